import * as assert from 'node:assert/strict';
import { briefs, textAt, validate, yaml } from '../helpers/rules';

const head = ['apiVersion: networking.istio.io/v1', 'kind: VirtualService', 'metadata: {name: web}', 'spec:', '  hosts: [web]'];
const to = (v: string): string => `    route: [{destination: {host: web, subset: ${v}}}]`;
const dr = yaml('apiVersion: networking.istio.io/v1', 'kind: DestinationRule', 'metadata: {name: web}', 'spec:', '  host: web', '  subsets:', ...['a', 'b', 'c'].map((v) => `  - {name: ${v}, labels: {version: ${v}}}`));
const options = { otherFiles: { 'dr.yaml': dr } };

describe('rules/checks/reachability (FNM701, FNM702)', () => {
  it('accepts a catch-all last and distinct matches before it', () => {
    const text = yaml(...head, '  http:', '  - match: [{uri: {prefix: /api/v2}}]', to('b'), '  - match: [{uri: {prefix: /api}}]', to('a'), '  - route: [{destination: {host: web, subset: c}}]');
    assert.deepEqual(briefs(text, options), []);
  });

  it('FNM701: a rule after a match-less one, at its match key (or route key)', () => {
    const text = yaml(...head, '  http:', '  - route: [{destination: {host: web, subset: a}}]', '  - match: [{uri: {prefix: /api}}]', to('b'), '  - route: [{destination: {host: web, subset: c}}]');
    assert.deepEqual(briefs(text, options), ['FNM701 7:4-7:9', 'FNM701 9:4-9:9']);
    assert.deepEqual(validate(text, options).map((p) => p.data), [{ after: 0 }, { after: 0 }]);
  });

  it('FNM702: a repeated match (any key order) and a match a shorter prefix covers; FNM701 when all of a rule\'s matches are taken', () => {
    const text = yaml(
      ...head,
      '  http:',
      '  - match: [{uri: {prefix: /api}, headers: {x: {exact: "1"}}}]',
      to('a'),
      '  - match:',
      '    - {headers: {x: {exact: "1"}}, uri: {prefix: /api}}',
      '    - {uri: {prefix: /api/v2}, headers: {x: {exact: "1"}, y: {exact: "2"}}}',
      to('b'),
    );
    const problems = validate(text, options);
    assert.deepEqual(
      problems.map((p) => [p.code, textAt(text, p)]),
      [
        ['FNM701', 'match'],
        ['FNM702', '{headers: {x: {exact: "1"}}, uri: {prefix: /api}}'],
        ['FNM702', '{uri: {prefix: /api/v2}, headers: {x: {exact: "1"}, y: {exact: "2"}}}'],
      ],
    );
    assert.match(problems[1].message, /repeats/);
    assert.match(problems[2].message, /covered by/);
  });

  it('does not call a match covered when the earlier one is narrower or differs in a field it cannot compare', () => {
    const text = yaml(
      ...head,
      '  http:',
      '  - match: [{uri: {prefix: /api/v2}, port: 8080}]',
      to('a'),
      '  - match: [{uri: {prefix: /api}}, {uri: {regex: "/api/.*"}}, {uri: {prefix: /api/v2}}]',
      to('b'),
      '  - match: [{uri: {exact: /x}, sourceLabels: {app: a}}]',
      to('a'),
      '  - match: [{uri: {exact: /x}}]',
      to('c'),
    );
    assert.deepEqual(briefs(text, options), []);
  });

  it('checks tcp rules: a repeated match, and a rule after a match-less one', () => {
    const text = yaml(
      ...head,
      '  tcp:',
      '  - match: [{port: 9000}]',
      '    route: [{destination: {host: web}}]',
      '  - match: [{port: 9000}]',
      '    route: [{destination: {host: web}}]',
      '  - route: [{destination: {host: web}}]',
      '  - match: [{port: 9001}]',
      '    route: [{destination: {host: web}}]',
    );
    assert.deepEqual(briefs(text, options), ['FNM701 8:4-8:9', 'FNM702 8:12-8:24', 'FNM701 11:4-11:9']);
  });

  it('finds the covering match among many earlier rules (indexed by uri), and the earliest one', () => {
    const rules = Array.from({ length: 300 }, (_, i) => [`  - match: [{uri: {prefix: /r${i}/}}]`, to('a')]).flat();
    const text = yaml(...head, '  http:', ...rules, '  - match: [{uri: {prefix: /r150/x}}, {uri: {exact: /r7/y}}, {uri: {prefix: /s}}]', to('b'));
    const problems = validate(text, options);
    assert.deepEqual(problems.map((p) => [p.code, p.data]), [
      ['FNM702', { rule: 150 }],
      ['FNM702', { rule: 7 }],
    ]);
  });
});
