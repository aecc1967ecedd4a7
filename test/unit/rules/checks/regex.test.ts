import * as assert from 'node:assert/strict';
import { re2Error } from '../../../../src/rules/checks/regex';
import { briefs, textAt, validate, yaml } from '../helpers/rules';

const head = ['apiVersion: networking.istio.io/v1', 'kind: VirtualService', 'metadata: {name: web, namespace: demo}', 'spec:', '  hosts: [web]', '  http:'];

function vs(...lines: string[]): string {
  return yaml(...head, ...lines, '    route:', '    - destination: {host: web}');
}

describe('rules/checks/regex (FNM112)', () => {
  it('refuses lookaround in a header regex, underlining the regex value', () => {
    const text = vs('  - match:', '    - headers:', '        user-agent: {regex: "^(?!.*bot).*$"}');
    const problems = validate(text);
    assert.deepEqual(problems.map((p) => `${p.code} ${p.severity}`), ['FNM112 error']);
    assert.equal(textAt(text, problems[0]), '"^(?!.*bot).*$"');
    assert.match(problems[0].message, /lookaround/);
    assert.deepEqual(briefs(text), ['FNM112 8:28-8:43']);
  });

  it('accepts RE2 regexes, and `*` in withoutHeaders (a presence test, not a regex)', () => {
    const text = vs('  - match:', '    - uri: {regex: "^/api/v[0-9]+/.*"}', '      headers:', '        x-id: {regex: "(?i)abc"}', '      withoutHeaders:', '        x-debug: {regex: "*"}');
    assert.deepEqual(briefs(text), []);
  });

  it('checks uri, authority, queryParams, CORS origins and uriRegexRewrite', () => {
    const text = yaml(
      ...head,
      '  - match:',
      '    - uri: {regex: "a(?=b)"}',
      '      authority: {regex: "(x)\\\\1"}',
      '      queryParams:',
      '        q: {regex: "(?<=a)b"}',
      '    corsPolicy:',
      '      allowOrigins:',
      '      - regex: "(?!evil).*"',
      '    rewrite:',
      '      uriRegexRewrite: {match: "(?=x)", rewrite: "/"}',
      '    route:',
      '    - destination: {host: web}',
    );
    const problems = validate(text);
    assert.deepEqual(
      problems.map((p) => [p.code, textAt(text, p)]),
      [
        ['FNM112', '"a(?=b)"'],
        ['FNM112', '"(x)\\\\1"'],
        ['FNM112', '"(?<=a)b"'],
        ['FNM112', '"(?!evil).*"'],
        ['FNM112', '"(?=x)"'],
      ],
    );
  });

  it('refuses an empty regex and one longer than 1024 characters', () => {
    assert.match(re2Error('') ?? '', /empty/);
    assert.match(re2Error('a'.repeat(1025)) ?? '', /1025 characters/);
    assert.equal(re2Error('a'.repeat(1024)), undefined);
  });

  it('checks Gateway API RegularExpression path, header and query matches, not other types', () => {
    const text = yaml(
      'apiVersion: gateway.networking.k8s.io/v1',
      'kind: HTTPRoute',
      'metadata: {name: web, namespace: demo}',
      'spec:',
      '  rules:',
      '  - matches:',
      '    - path: {type: RegularExpression, value: "/(?!admin).*"}',
      '      headers:',
      '      - {type: RegularExpression, name: x, value: "(?<n>a)\\\\k<n>"}',
      '      - {type: Exact, name: y, value: "(?!fine-here)"}',
      '      queryParams:',
      '      - {type: RegularExpression, name: q, value: "[a-z]+"}',
      '    backendRefs:',
      '    - {name: web, port: 8080}',
    );
    const problems = validate(text).filter((p) => p.code === 'FNM112');
    assert.deepEqual(problems.map((p) => textAt(text, p)), ['"/(?!admin).*"', '"(?<n>a)\\\\k<n>"']);
  });
});
