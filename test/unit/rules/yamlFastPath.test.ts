// The fast path against the full parser: wherever the fast path reads a text, its values (and the
// absence of problems) must be exactly the full parser's; ranges still come from the full parser.
import * as assert from 'node:assert/strict';
import { parseYaml, parseYamlFull } from '../../../src/rules/yamlDocuments';
import { readPlainYaml } from '../../../src/rules/yamlFastPath';
import { refuseInput } from '../../../src/rules/yamlGuards';
import { fuzzCorpus } from './helpers/fuzzing';
import { mutate, seededRandom } from './helpers/mutate';
import { yaml } from './helpers/rules';

/** Asserts the fast path either declines `text` or agrees with the full parser; returns whether it read it. */
function agree(text: string): boolean {
  const fast = refuseInput(text) ? undefined : readPlainYaml(text, 100); // refused texts never reach it
  if (!fast) {
    return false;
  }
  const full = parseYamlFull(text);
  assert.deepEqual(
    full.problems.map((p) => `${p.code} ${p.message}`),
    [],
    `the fast path read a text with problems:\n${text}`,
  );
  assert.deepEqual(
    fast.map((d) => d.value),
    full.documents.map((d) => d.value),
    `values differ for:\n${text}`,
  );
  return true;
}

describe('rules/yamlFastPath (differential against the full parser)', function () {
  this.timeout(120_000);

  it('reads plain rule YAML with YAML 1.1 scalars as the full parser does', () => {
    const text = yaml(
      '# comment',
      '---',
      'apiVersion: networking.istio.io/v1',
      'kind: VirtualService',
      'metadata: {name: web, namespace: "demo", labels: {a: "1", b: yes}}',
      'spec:',
      '  hosts: [web, "*.example.com", \'it\'\'s\']',
      '  http:',
      '  - match:',
      '    - headers: {x: {exact: on}}',
      '    route:',
      '    - destination: {host: web, subset: v1}',
      '      weight: 0x10  # hex',
      '    - - nested',
      '      - 010',
      '    empty:',
      '    nulls: [~, null, Null]',
      '    numbers: [1_000, 1.5e3, .inf, -.Inf, 0b11, 1:30, 2024-01-01]',
      '    url: http://a:8080/x#frag',
      '  1: one',
      '  true: two',
      '  __proto__: kept',
      '--- # second',
      'y: n',
    );
    assert.ok(agree(text), 'the fast path should read this text');
    const doc = readPlainYaml(text, 100)?.[0].value as { spec: Record<string, unknown> };
    assert.equal(Object.getPrototypeOf(doc.spec), Object.prototype, '__proto__ stays a plain key');
    assert.equal(doc.spec.__proto__, 'kept');
  });

  it('declines what it does not handle, leaving it to the full parser', () => {
    for (const text of [
      'a: &x 1\nb: *x\n',
      'a: !!str 1\n',
      'a: |\n  text\n',
      'a: "esc\\n"\n',
      'a: multi\n  line\n',
      'a: [1,\n  2]\n',
      'a: 1\na: 2\n',
      '? [a]\n: 1\n',
      'null: 1\n',
      '<<: {a: 1}\n',
      'a:\n\tb: 1\n',
      'a: 1\r\nb: 2\r\n',
      'a: b: c\n',
      '---\n---\na: 1\n',
      'a: 1\n---\n',
      '',
      '%YAML 1.1\n---\na: 1\n',
      'key: - a\n',
    ]) {
      assert.equal(readPlainYaml(text, 100), undefined, JSON.stringify(text));
      // The public parser still answers, through the full path.
      assert.deepEqual(parseYaml(text).problems, parseYamlFull(text).problems);
    }
  });

  it('ranges of fast-path documents are the full parser’s, computed on demand', () => {
    const text = yaml('spec:', '  http:', '  - route:', '    - destination: {host: a}', '      weight: 50 # half');
    const fast = parseYaml(text);
    const full = parseYamlFull(text);
    const path = ['spec', 'http', 0, 'route', 0, 'weight'];
    assert.deepEqual(fast.documents[0].valueRange(path), full.documents[0].valueRange(path));
    assert.deepEqual(fast.documents[0].keyRange(path), full.documents[0].keyRange(path));
    assert.deepEqual(fast.documents[0].range, full.documents[0].range);
    assert.deepEqual(fast.positionAt(40), full.positionAt(40));
    assert.ok(fast.documents[0].ast.contents);
  });

  it('agrees with the full parser on the corpus and 3,000 mutations of it', () => {
    const corpus = fuzzCorpus();
    const random = seededRandom(2026);
    let read = 0;
    for (const text of corpus) {
      read += agree(text) ? 1 : 0;
    }
    assert.ok(read >= corpus.length / 3, `the fast path read only ${read} of ${corpus.length} corpus texts`);
    for (let i = 0; i < 3000; i++) {
      agree(mutate(corpus[i % corpus.length], random));
    }
  });
});
