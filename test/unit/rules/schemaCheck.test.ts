import * as assert from 'node:assert/strict';
import { checkSchema } from '../../../src/rules/schemaCheck';
import { parseYaml } from '../../../src/rules/yamlDocuments';
import { brief, schemas, textAt, yaml } from './helpers/rules';

function schemaProblems(text: string) {
  return parseYaml(text).documents.flatMap((d) => checkSchema(d, schemas()));
}

const vsHead = ['apiVersion: networking.istio.io/v1', 'kind: VirtualService', 'metadata:', '  name: hello-app', 'spec:', '  hosts: [hello-app]'];

describe('rules/schemaCheck', () => {
  it('accepts a valid VirtualService', () => {
    const text = yaml(...vsHead, '  http:', '  - route:', '    - destination: {host: hello-app, subset: v1}', '      weight: 100', '    timeout: 1.5s');
    assert.deepEqual(schemaProblems(text), []);
  });

  it('points an unknown field at its key and suggests the close name', () => {
    const text = yaml(...vsHead, '  http:', '  - route:', '    - destination: {host: hello-app}', '      weigth: 100');
    const [p, ...rest] = schemaProblems(text);
    assert.deepEqual(rest, []);
    assert.equal(brief(p), 'FNM101 9:6-9:12');
    assert.equal(p.message, "Unknown field 'weigth'; did you mean 'weight'?");
    assert.deepEqual(p.path, ['spec', 'http', 0, 'route', 0, 'weigth']);
  });

  it('reports wrong types at the value, with a hint for quoted numbers', () => {
    const text = yaml(...vsHead, '  http:', '  - route:', '    - destination: {host: hello-app}', '      weight: "50"');
    const [p] = schemaProblems(text);
    assert.equal(brief(p), 'FNM102 9:14-9:18');
    assert.equal(p.message, "Expected an integer, found the string '50'");
    const labels = schemaProblems(yaml('apiVersion: networking.istio.io/v1', 'kind: DestinationRule', 'metadata: {name: d}', 'spec:', '  host: a', '  subsets:', '  - name: v1', '    labels: {version: 1.0}'));
    assert.equal(labels[0].message, 'Expected a string, found the integer 1; quote the value');
  });

  it('reports a missing required field at the key of its parent, an empty one at its own key', () => {
    const text = yaml(...vsHead, '  http:', '  - route:', '    - destination:', '        subset: v1', '    - destination:', '        host:');
    assert.deepEqual(schemaProblems(text).map(brief), ['FNM103 8:6-8:17', 'FNM103 11:8-11:12']);
  });

  it('reports enum values, with the right spelling when only the case differs', () => {
    const text = yaml('apiVersion: networking.istio.io/v1', 'kind: DestinationRule', 'metadata: {name: d}', 'spec:', '  host: a', '  trafficPolicy:', '    loadBalancer: {simple: round_robin}');
    const [p] = schemaProblems(text);
    assert.equal(brief(p), 'FNM104 6:27-6:38');
    assert.match(p.message, /use 'ROUND_ROBIN'/);
  });

  it('reports numbers outside int32 and schema minimums', () => {
    const text = yaml(...vsHead, '  http:', '  - route:', '    - destination: {host: hello-app}', '      weight: 99999999999');
    assert.deepEqual(schemaProblems(text).map(brief), ['FNM105 9:14-9:25']);
  });

  it('words mutually exclusive fields as Istio does', () => {
    const text = yaml(...vsHead, '  http:', '  - match:', '    - uri: {prefix: /a, exact: /b}', '    route:', '    - destination: {host: hello-app}');
    const [p] = schemaProblems(text);
    assert.equal(p.message, 'Set only one of prefix, exact');
    assert.equal(textAt(text, p), 'exact');
  });

  it('checks Go durations and the 1ms minimum', () => {
    const text = yaml(...vsHead, '  http:', '  - timeout: 10x', '    retries: {attempts: 2, perTryTimeout: 500us}', '    route:', '    - destination: {host: hello-app}');
    assert.deepEqual(schemaProblems(text).map(brief), ['FNM504 7:13-7:16', 'FNM505 8:42-8:47']);
    // Past int64 nanoseconds, which Go (and so the API server) cannot parse.
    const huge = yaml(...vsHead, '  http:', '  - timeout: 99999999999999999999999s', '    route:', '    - destination: {host: hello-app}');
    assert.deepEqual(schemaProblems(huge).map((p) => `${p.code} ${p.message}`), ["FNM504 '99999999999999999999999s' is longer than any duration can be (at most about 292 years, e.g. 2562047h)"]);
    const longest = yaml(...vsHead, '  http:', '  - timeout: 2562047h', '    route:', '    - destination: {host: hello-app}');
    assert.deepEqual(schemaProblems(longest), []);
  });

  it('warns about empty values the API server drops', () => {
    const text = yaml(...vsHead, '  gateways:', '  http:', '  - route:', '    - destination: {host: hello-app}');
    assert.deepEqual(schemaProblems(text).map(brief), ['FNM108 6:2-6:10']);
  });

  it('checks metadata: unknown fields and invalid names', () => {
    const text = yaml('apiVersion: networking.istio.io/v1', 'kind: Gateway', 'metadata:', '  name: Bad_Name', '  namespce: x', 'spec: {}');
    assert.deepEqual(schemaProblems(text).map((p) => p.code), ['FNM107', 'FNM101']);
  });

  it('knows which apiVersions the CRDs serve', () => {
    const v2 = schemaProblems(yaml('apiVersion: networking.istio.io/v2', 'kind: Gateway', 'metadata: {name: g}'));
    assert.deepEqual(v2.map(brief), ['FNM109 0:12-0:34']);
    const beta = schemaProblems(yaml('apiVersion: networking.istio.io/v1beta1', 'kind: Gateway', 'metadata: {name: g}', 'spec: {}'));
    assert.deepEqual(beta.map((p) => [p.code, p.severity]), [['FNM110', 'info']]);
    const legacy = schemaProblems(yaml('apiVersion: config.istio.io/v1alpha2', 'kind: RouteRule', 'metadata: {name: r}'));
    assert.deepEqual(legacy.map((p) => p.code), ['FNM111']);
  });

  it('validates Gateway API HTTPRoutes', () => {
    const text = yaml(
      'apiVersion: gateway.networking.k8s.io/v1',
      'kind: HTTPRoute',
      'metadata: {name: r}',
      'spec:',
      '  rules:',
      '  - backendRefs:',
      '    - {name: a, port: 80, weight: -1}',
    );
    assert.deepEqual(schemaProblems(text).map(brief), ['FNM105 6:34-6:36']);
  });

  it('leaves other documents alone', () => {
    const others = [
      yaml('apiVersion: v1', 'kind: Service', 'metadata: {name: s}', 'spec: {anything: [1, 2]}'),
      yaml('apiVersion: gateway.networking.k8s.io/v1', 'kind: Gateway', 'metadata: {name: g}', 'spec: {whatever: true}'),
      yaml('just: some', 'config: [1, 2]'),
      'plain scalar\n',
    ];
    for (const text of others) {
      assert.deepEqual(schemaProblems(text), [], text);
    }
  });

  it('never validates the controller-written status (a copy from kubectl get -o yaml)', () => {
    const route = yaml(
      'apiVersion: gateway.networking.k8s.io/v1',
      'kind: HTTPRoute',
      'metadata: {name: web, namespace: demo}',
      'spec:',
      '  rules:',
      '  - backendRefs: [{name: web, port: 8080}]',
      'status:',
      '  parents:',
      '  - conditions: [{type: Accepted, status: "True"}]',
      '    unknownField: 1',
    );
    assert.deepEqual(schemaProblems(route).map((p) => p.code), []);
    // The same mistake under spec is still found.
    assert.deepEqual(schemaProblems(route.replace('  - backendRefs', '  - unknownField: 1\n    backendRefs')).map((p) => p.code), ['FNM101']);
  });
});
