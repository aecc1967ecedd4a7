import * as assert from 'node:assert/strict';
import { briefs, validate, yaml } from '../helpers/rules';

const dr = yaml(
  'apiVersion: networking.istio.io/v1',
  'kind: DestinationRule',
  'metadata: {name: hello-app}',
  'spec:',
  '  host: hello-app',
  '  subsets:',
  '  - {name: v1, labels: {version: v1}}',
  '  - {name: v2, labels: {version: v2}}',
);
const options = { otherFiles: { 'dr.yaml': dr } };

/** A VirtualService whose first route has these destination lines (route entries start on line 7). */
function vs(...routeLines: string[]): string {
  return yaml('apiVersion: networking.istio.io/v1', 'kind: VirtualService', 'metadata: {name: hello-app}', 'spec:', '  hosts: [hello-app]', '  http:', '  - route:', ...routeLines);
}

describe('rules/checks/weights', () => {
  it('accepts weights that add up to 100, and a single destination without weight', () => {
    assert.deepEqual(briefs(vs('    - destination: {host: hello-app, subset: v1}', '      weight: 90', '    - destination: {host: hello-app, subset: v2}', '      weight: 10'), options), []);
    assert.deepEqual(briefs(vs('    - destination: {host: hello-app, subset: v1}'), options), []);
    assert.deepEqual(briefs(vs('    - destination: {host: hello-app, subset: v1}', '      weight: 100'), options), []);
  });

  it('FNM201: a negative weight, at the value', () => {
    const text = vs('    - destination: {host: hello-app, subset: v1}', '      weight: -10', '    - destination: {host: hello-app, subset: v2}', '      weight: 110');
    assert.deepEqual(briefs(text, options), ['FNM201 8:14-8:17']);
  });

  it('FNM202: a zero total, at the route key', () => {
    const text = vs('    - destination: {host: hello-app, subset: v1}', '      weight: 0', '    - destination: {host: hello-app, subset: v2}', '      weight: 0');
    assert.deepEqual(briefs(text, options), ['FNM202 6:4-6:9']);
  });

  it('FNM202: several destinations and no weight at all total 0, as Istio counts them', () => {
    const text = vs('    - destination: {host: hello-app, subset: v1}', '    - destination: {host: hello-app, subset: v2}');
    const problems = validate(text, options);
    assert.deepEqual(problems.map((p) => `${p.code} ${p.severity}`), ['FNM202 error']);
    assert.deepEqual(briefs(text, options), ['FNM202 6:4-6:9']);
  });

  it('FNM203: a total other than 100 is information, with the total as data', () => {
    const text = vs('    - destination: {host: hello-app, subset: v1}', '      weight: 3', '    - destination: {host: hello-app, subset: v2}', '      weight: 1');
    const [p, ...rest] = validate(text, options);
    assert.deepEqual(rest, []);
    assert.deepEqual([p.code, p.severity, p.data], ['FNM203', 'info', { total: 4 }]);
  });

  it('FNM204: a weight other than 100 on a single destination, at the key', () => {
    assert.deepEqual(briefs(vs('    - destination: {host: hello-app, subset: v1}', '      weight: 50'), options), ['FNM204 8:6-8:12']);
  });

  it('FNM205: a destination without weight among weighted ones is information (a parked canary)', () => {
    const text = vs('    - destination: {host: hello-app, subset: v1}', '      weight: 100', '    - destination: {host: hello-app, subset: v2}');
    assert.deepEqual(briefs(text, options), ['FNM205 9:6-9:17']);
    assert.deepEqual(validate(text, options).map((p) => p.severity), ['info']);
  });

  it('checks every http, tcp and tls route on its own', () => {
    const text = yaml(
      'apiVersion: networking.istio.io/v1',
      'kind: VirtualService',
      'metadata: {name: hello-app}',
      'spec:',
      '  hosts: [hello-app]',
      '  tcp:',
      '  - route:',
      '    - {destination: {host: hello-app, subset: v1}, weight: 1}',
      '    - {destination: {host: hello-app, subset: v2}, weight: -1}',
    );
    assert.deepEqual(briefs(text, options), ['FNM201 8:59-8:61']);
  });

  it('HTTPRoute: zero total is an error, a total other than 100 with explicit weights is information', () => {
    const route = (a: string, b: string) =>
      yaml('apiVersion: gateway.networking.k8s.io/v1', 'kind: HTTPRoute', 'metadata: {name: r}', 'spec:', '  rules:', '  - backendRefs:', `    - {name: a, port: 80${a}}`, `    - {name: b, port: 80${b}}`);
    assert.deepEqual(briefs(route(', weight: 0', ', weight: 0')), ['FNM202 5:4-5:15']);
    assert.deepEqual(briefs(route(', weight: 1', ', weight: 2')), ['FNM203 5:4-5:15']);
    assert.deepEqual(briefs(route('', '')), []);
    assert.deepEqual(briefs(route(', weight: 90', ', weight: 10')), []);
  });
});
