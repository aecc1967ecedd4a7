import * as assert from 'node:assert/strict';
import { appendItem, insertEntry, removeEntry, replaceValue } from '../../../src/rules/yamlEdits';
import type { TextEdit } from '../../../src/rules/yamlEdits';
import { parseYaml } from '../../../src/rules/yamlDocuments';
import { applyEdits } from './helpers/rules';

function edited(text: string, make: (f: ReturnType<typeof parseYaml>) => TextEdit | undefined): string {
  const file = parseYaml(text);
  const edit = make(file);
  assert.ok(edit, 'an edit');
  return applyEdits(text, [edit]);
}

describe('rules/yamlEdits', () => {
  it('replaces a value and keeps the comment after it', () => {
    assert.equal(edited('a: 1 # one\nb: 2\n', (f) => replaceValue(f, f.documents[0], ['a'], '10')), 'a: 10 # one\nb: 2\n');
  });

  it('removes an entry on its own line, the first entry of an item, and a flow entry', () => {
    assert.equal(edited('a: 1\nb: 2 # x\nc: 3\n', (f) => removeEntry(f, f.documents[0], ['b'])), 'a: 1\nc: 3\n');
    assert.equal(edited('- a: 1\n  b: 2\n', (f) => removeEntry(f, f.documents[0], [0, 'a'])), '- b: 2\n');
    assert.equal(edited('x: {a: 1, b: 2}\n', (f) => removeEntry(f, f.documents[0], ['x', 'b'])), 'x: {a: 1}\n');
    assert.equal(edited('x: {a: 1, b: 2}\n', (f) => removeEntry(f, f.documents[0], ['x', 'a'])), 'x: {b: 2}\n');
  });

  it('inserts entries into block and flow mappings with matching indentation', () => {
    assert.equal(edited('m:\n  a: 1\n  b: 2\nn: 3\n', (f) => insertEntry(f, f.documents[0], ['m'], 'c', 3)), 'm:\n  a: 1\n  b: 2\n  c: 3\nn: 3\n');
    assert.equal(edited('m: {a: 1}\n', (f) => insertEntry(f, f.documents[0], ['m'], 'c', 'x y')), 'm: {a: 1, c: x y}\n');
    assert.equal(edited('m:\n  a: 1\n', (f) => insertEntry(f, f.documents[0], ['m'], 'l', { k: 'v' })), 'm:\n  a: 1\n  l:\n    k: v\n');
  });

  it('appends items to block and flow sequences, or creates the key', () => {
    assert.equal(edited('s:\n- a\n- b\n', (f) => appendItem(f, f.documents[0], ['s'], 'c')), 's:\n- a\n- b\n- c\n');
    assert.equal(edited('s: [a]\n', (f) => appendItem(f, f.documents[0], ['s'], 'b')), 's: [a, b]\n');
    assert.equal(edited('spec:\n  host: h\n', (f) => appendItem(f, f.documents[0], ['spec', 'subsets'], { name: 'v1' })), 'spec:\n  host: h\n  subsets:\n    - name: v1\n');
  });

  it('keeps CRLF line breaks', () => {
    assert.equal(edited('m:\r\n  a: 1\r\n', (f) => insertEntry(f, f.documents[0], ['m'], 'b', 2)), 'm:\r\n  a: 1\r\n  b: 2\r\n');
  });
});
