import * as assert from 'node:assert/strict';
import type { ClusterFacts } from '../../../../src/rules/clusterFacts';
import { briefs, validate, yaml } from '../helpers/rules';

const vs = yaml(
  'apiVersion: networking.istio.io/v1', //         0
  'kind: VirtualService',
  'metadata: {name: hello-app}',
  'spec:',
  '  hosts: [hello-app]',
  '  http:', //                                    5
  '  - route:',
  '    - destination: {host: hello-app, subset: v1}',
  '      weight: 50',
  '    - destination: {host: hello-app.default.svc.cluster.local, subset: v3}',
  '      weight: 50', //                             10
  '    mirror: {host: hello-app, subset: v4}',
);

function dr(...subsetLines: string[]): string {
  return yaml('apiVersion: networking.istio.io/v1', 'kind: DestinationRule', 'metadata: {name: hello-app}', 'spec:', '  host: hello-app', '  subsets:', ...subsetLines);
}

const emptyCluster: ClusterFacts = { services: [], workloads: [], namespaces: [], resources: [] };

describe('rules/checks/subsets', () => {
  it('FNM301: subsets no DestinationRule defines (routes and mirrors), with what a fix needs', () => {
    const rule = dr('  - {name: v1, labels: {version: v1}}', '  - {name: v2, labels: {version: v2}}');
    const problems = validate(vs, { otherFiles: { 'file:///dr.yaml': rule } });
    assert.deepEqual(problems.map((p) => `${p.code} ${p.range.start.line}:${p.range.start.character}`), ['FNM301 9:71', 'FNM301 11:38']);
    assert.equal(problems[0].message, "DestinationRule default/hello-app has no subset 'v3' (it has v1, v2)");
    assert.deepEqual(problems[0].data, {
      host: 'hello-app.default.svc.cluster.local',
      fqdn: 'hello-app.default.svc.cluster.local',
      subset: 'v3',
      namespace: 'default',
      destinationRule: { name: 'hello-app', namespace: 'default', uri: 'file:///dr.yaml', documentIndex: 0 },
    });
  });

  it('FNM301 is a warning while not connected and no rule is known, an error when connected', () => {
    const text = yaml('apiVersion: networking.istio.io/v1', 'kind: VirtualService', 'metadata: {name: a}', 'spec:', '  hosts: [a]', '  http:', '  - route:', '    - destination: {host: a, subset: v1}');
    assert.deepEqual(validate(text).map((p) => [p.code, p.severity]), [['FNM301', 'warning']]);
    assert.deepEqual(validate(text, { cluster: { ...emptyCluster, services: [{ name: 'a', namespace: 'default' }] } }).map((p) => [p.code, p.severity]), [['FNM301', 'error']]);
  });

  it('finds subsets in cluster DestinationRules and honours namespaces', () => {
    const clusterRule = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: 'hello-app', namespace: 'default' },
      spec: { host: 'hello-app', subsets: ['v1', 'v3', 'v4'].map((v) => ({ name: v, labels: { version: v } })) },
    };
    const cluster: ClusterFacts = { ...emptyCluster, services: [{ name: 'hello-app', namespace: 'default', selector: { app: 'hello-app' } }], resources: [clusterRule] };
    assert.deepEqual(briefs(vs, { cluster }), []);
    assert.deepEqual(briefs(vs, { cluster, defaultNamespace: 'other' }).length, 5); // wrong namespace: nothing matches
  });

  it('FNM302 and FNM303: duplicate subset names and subsets without labels, at the name', () => {
    const text = dr('  - name: v1', '    labels: {version: v1}', '  - name: v2', '  - name: v1', '    labels: {version: v1}');
    assert.deepEqual(briefs(text), ['FNM303 8:10-8:12', 'FNM302 9:10-9:12']);
  });

  it('FNM303 is a warning where a route mixes the label-less subset with a labelled one of the same host', () => {
    const rule = dr('  - name: all', '  - name: v2', '    labels: {version: v2}');
    const route = yaml(
      'apiVersion: networking.istio.io/v1',
      'kind: VirtualService',
      'metadata: {name: hello-app}',
      'spec:',
      '  hosts: [hello-app]',
      '  http:',
      '  - route:',
      '    - destination: {host: hello-app, subset: all}',
      '      weight: 90',
      '    - destination: {host: hello-app, subset: v2}',
      '      weight: 10',
    );
    const problems = validate(rule, { otherFiles: { 'vs.yaml': route } });
    assert.deepEqual(problems.map((p) => [p.code, p.severity]), [['FNM303', 'warning']]);
    assert.match(problems[0].message, /including those of v2/);
    assert.deepEqual(briefs(rule, { otherFiles: { 'vs.yaml': route } }), ['FNM303 6:10-6:13']);
  });

  it('FNM303 is information for a subset used alone (external host, traffic policy only)', () => {
    const external = yaml(
      'apiVersion: networking.istio.io/v1',
      'kind: DestinationRule',
      'metadata: {name: api}',
      'spec:',
      '  host: api.example.com',
      '  subsets:',
      '  - name: tls',
      '    trafficPolicy: {tls: {mode: SIMPLE, sni: api.example.com}}',
    );
    const route = yaml('apiVersion: networking.istio.io/v1', 'kind: VirtualService', 'metadata: {name: api}', 'spec:', '  hosts: [api.example.com]', '  http:', '  - route:', '    - destination: {host: api.example.com, subset: tls}');
    assert.deepEqual(validate(external, { otherFiles: { 'vs.yaml': route } }).map((p) => [p.code, p.severity]), [['FNM303', 'info']]);
  });

  it('FNM304: the same host and subset twice in one route (short and long host names alike)', () => {
    const text = yaml(
      'apiVersion: networking.istio.io/v1',
      'kind: VirtualService',
      'metadata: {name: hello-app}',
      'spec:',
      '  hosts: [hello-app]',
      '  http:',
      '  - route:',
      '    - destination: {host: hello-app, subset: v1}',
      '      weight: 50',
      '    - destination: {host: hello-app.default.svc.cluster.local, subset: v1}',
      '      weight: 50',
    );
    assert.deepEqual(briefs(text, { otherFiles: { 'dr.yaml': dr('  - {name: v1, labels: {version: v1}}') } }), ['FNM304 9:6-9:17']);
  });
});
