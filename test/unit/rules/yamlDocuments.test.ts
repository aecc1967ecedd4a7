import * as assert from 'node:assert/strict';
import { parseYaml } from '../../../src/rules/yamlDocuments';
import { yaml } from './helpers/rules';

const r = (sl: number, sc: number, el: number, ec: number) => ({ start: { line: sl, character: sc }, end: { line: el, character: ec } });

describe('rules/yamlDocuments', () => {
  const text = yaml(
    'apiVersion: v1', //                         0
    'kind: X', //                                1
    'spec:', //                                  2
    '  http:', //                                3
    '  - route:', //                             4
    '    - destination: {host: a}', //           5
    '      weight: 50 # half', //                6
    '---',
    'b: [1, "two"]', //                          8
  );
  const file = parseYaml(text);

  it('parses every document into plain values', () => {
    assert.equal(file.documents.length, 2);
    assert.deepEqual(file.documents[0].value, { apiVersion: 'v1', kind: 'X', spec: { http: [{ route: [{ destination: { host: 'a' }, weight: 50 }] }] } });
    assert.deepEqual(file.documents[1].value, { b: [1, 'two'] });
    assert.deepEqual(file.problems, []);
  });

  it('gives the range of every key and value (0-based, end exclusive)', () => {
    const doc = file.documents[0];
    assert.deepEqual(doc.keyRange(['spec', 'http', 0, 'route', 0, 'weight']), r(6, 6, 6, 12));
    assert.deepEqual(doc.valueRange(['spec', 'http', 0, 'route', 0, 'weight']), r(6, 14, 6, 16));
    assert.deepEqual(doc.valueRange(['spec', 'http', 0, 'route', 0, 'destination', 'host']), r(5, 26, 5, 27));
    assert.deepEqual(file.documents[1].valueRange(['b', 1]), r(8, 7, 8, 12));
  });

  it('falls back to the nearest ancestor for paths the source lacks', () => {
    const doc = file.documents[0];
    assert.deepEqual(doc.keyRange(['spec', 'http', 0, 'route', 0, 'destination', 'port']), r(5, 6, 5, 17));
    assert.equal(doc.span(['spec', 'nothing']), undefined);
  });

  it('points an empty value at its key', () => {
    const doc = parseYaml('a:\nb: 1\n').documents[0];
    assert.deepEqual(doc.value, { a: null, b: 1 });
    assert.deepEqual(doc.valueRange(['a']), r(0, 0, 0, 1));
  });

  it('converts offsets and positions both ways, CRLF included', () => {
    const crlf = parseYaml('a: 1\r\nbb: 2\r\n');
    assert.deepEqual(crlf.positionAt(8), { line: 1, character: 2 });
    assert.equal(crlf.offsetAt({ line: 1, character: 2 }), 8);
    assert.deepEqual(crlf.documents[0].valueRange(['bb']), r(1, 4, 1, 5));
  });

  it('reports duplicate keys at the repeated key', () => {
    const f = parseYaml('a: 1\nb: 2\na: 3\n');
    assert.deepEqual(
      f.problems.map((p) => [p.code, p.range]),
      [['FNM002', r(2, 0, 2, 1)]],
    );
  });

  it('reports tabs used as indentation', () => {
    const f = parseYaml('a:\n\tb: 1\n');
    assert.deepEqual(f.problems.map((p) => [p.code, p.range.start.line]), [['FNM003', 1]]);
  });

  it('reports syntax errors with their position and keeps going', () => {
    const f = parseYaml('a: [1, 2\nb: c: d\n---\nok: true\n');
    assert.ok(f.problems.length >= 1);
    assert.ok(f.problems.every((p) => p.code === 'FNM001' && p.severity === 'error'));
    assert.deepEqual(f.documents[1].value, { ok: true });
  });

  it('refuses an alias bomb instead of expanding it', () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (const [i, name] of ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'].entries()) {
      const prev = 'abcdefgh'[i];
      lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const started = Date.now();
    const f = parseYaml(yaml(...lines));
    assert.ok(Date.now() - started < 500, 'refused quickly');
    assert.deepEqual(f.problems.map((p) => p.code), ['FNM004']);
    assert.equal(f.documents[0].value, undefined);
  });

  it('expands a few aliases and merge keys as Kubernetes does', () => {
    const f = parseYaml('base: &b {x: 1, y: 0}\nm:\n  <<: *b\n  y: 2\nn: *b\n');
    assert.deepEqual(f.documents[0].value, { base: { x: 1, y: 0 }, m: { y: 2, x: 1 }, n: { x: 1, y: 0 } });
    assert.deepEqual(f.problems, []);
  });

  it('reads YAML 1.1 scalars like kubectl (yes is a boolean, 10:30 and dates stay strings)', () => {
    const f = parseYaml('a: yes\nb: 10:30\nc: 2001-12-14\nd: "yes"\n');
    assert.deepEqual(f.documents[0].value, { a: true, b: '10:30', c: '2001-12-14', d: 'yes' });
  });

  it('reports keys that are not scalars', () => {
    const f = parseYaml('? [a]\n: 1\nok: 2\n');
    assert.deepEqual(f.problems.map((p) => p.code), ['FNM006']);
    assert.deepEqual(f.documents[0].value, { ok: 2 });
  });

  it('keeps a __proto__ key as data', () => {
    const value = parseYaml('__proto__: {polluted: 1}\n').documents[0].value as Record<string, unknown>;
    assert.deepEqual(Object.keys(value), ['__proto__']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('refuses NUL bytes, huge files and deep nesting with one problem each, quickly', () => {
    const cases: [string, string][] = [
      ['nul', 'a: 1\nb: \u0000\n'],
      ['huge', `a: ${'x'.repeat(2 * 1024 * 1024 + 1)}`],
      ['flow', `a: ${'['.repeat(20_000)}${']'.repeat(20_000)}`],
      ['compact', '- '.repeat(30_000)],
      ['keys', '? '.repeat(30_000)],
    ];
    for (const [name, input] of cases) {
      const started = Date.now();
      const f = parseYaml(input);
      assert.ok(Date.now() - started < 200, `${name} took ${Date.now() - started} ms`);
      assert.deepEqual(f.problems.map((p) => p.code), ['FNM005'], name);
      assert.equal(f.documents.length, 0, name);
    }
    assert.deepEqual(parseYaml('a: 1\nb: \u0000\n').problems[0].range, r(1, 3, 1, 3));
  });

  it('handles empty input, comments only and a bare scalar', () => {
    assert.deepEqual(parseYaml('').documents, []);
    assert.equal(parseYaml('# only a comment\n').documents[0]?.value ?? null, null);
    assert.equal(parseYaml('hello').documents[0].value, 'hello');
  });
});
