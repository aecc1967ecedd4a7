import * as assert from 'node:assert/strict';
import type { ClusterFacts } from '../../../../src/rules/clusterFacts';
import { briefs, validate, yaml } from '../helpers/rules';

function vs(name: string, host: string, ...extra: string[]): string {
  return yaml('apiVersion: networking.istio.io/v1', 'kind: VirtualService', `metadata: {name: ${name}}`, 'spec:', `  hosts: [${host}]`, ...extra, '  http:', '  - route:', `    - destination: {host: ${host}}`);
}

function dr(name: string, host: string, ...extra: string[]): string {
  return yaml('apiVersion: networking.istio.io/v1', 'kind: DestinationRule', `metadata: {name: ${name}}`, 'spec:', `  host: ${host}`, ...extra);
}

const cluster = (services: string[]): ClusterFacts => ({
  services: services.map((name) => ({ name, namespace: 'default' })),
  workloads: [],
  namespaces: [],
  resources: [],
});

describe('rules/checks/hostConflicts', () => {
  it('FNM305: two VirtualServices for one host in the mesh, at the host', () => {
    const problems = validate(vs('a', 'hello-app'), { otherFiles: { 'b.yaml': vs('b', 'hello-app.default.svc.cluster.local') } });
    assert.deepEqual(problems.map((p) => `${p.code} ${p.range.start.line}:${p.range.start.character}-${p.range.end.character}`), ['FNM305 4:10-19']);
    assert.deepEqual(problems[0].data, { others: ['default/b'] });
  });

  it('FNM305 is silent when the VirtualServices bind different gateways', () => {
    const other = vs('b', 'hello-app', '  gateways: [istio-system/ingress]');
    assert.deepEqual(briefs(vs('a', 'hello-app'), { otherFiles: { 'b.yaml': other } }), []);
  });

  it('FNM305 is silent for VirtualServices of one host on the same gateway (Istio merges them), not when both also bind mesh', () => {
    const gateway = yaml('apiVersion: networking.istio.io/v1', 'kind: Gateway', 'metadata: {name: ingress, namespace: istio-system}', 'spec:', '  selector: {istio: ingressgateway}', '  servers:', '  - port: {number: 80, name: http, protocol: HTTP}', '    hosts: ["*"]');
    const onGateway = (name: string, gateways: string) => vs(name, 'hello-app', `  gateways: [${gateways}]`);
    const otherFiles = { 'gw.yaml': gateway, 'b.yaml': onGateway('b', 'istio-system/ingress') };
    assert.deepEqual(briefs(onGateway('a', 'istio-system/ingress'), { otherFiles }), []);
    const both = { ...otherFiles, 'b.yaml': onGateway('b', 'istio-system/ingress, mesh') };
    assert.deepEqual(briefs(onGateway('a', 'istio-system/ingress, mesh'), { otherFiles: both }), ['FNM305 4:10-4:19']);
  });

  it('FNM306: a subset name defined in two DestinationRules of one host, at the name; unless one selects workloads', () => {
    const subsets = (...names: string[]): string[] => ['  subsets:', ...names.map((n) => `  - {name: ${n}, labels: {version: ${n}}}`)];
    const problems = validate(dr('a', 'hello-app', ...subsets('v1', 'v2')), { otherFiles: { 'b.yaml': dr('b', 'hello-app.default.svc.cluster.local', ...subsets('v2', 'v3')) } });
    assert.deepEqual(problems.map((p) => `${p.code} ${p.range.start.line}:${p.range.start.character}-${p.range.end.character}`), ['FNM306 7:11-13']);
    assert.equal(problems[0].message, 'Subset v2 of hello-app is also defined by DestinationRule default/b; Istio merges the rules and keeps only the oldest rule\'s v2');
    // Istio merges rules that split the subsets between them: nothing is lost, nothing reported.
    assert.deepEqual(briefs(dr('a', 'hello-app', ...subsets('v1')), { otherFiles: { 'b.yaml': dr('b', 'hello-app', ...subsets('v2')) } }), []);
    assert.deepEqual(briefs(dr('a', 'hello-app'), { otherFiles: { 'b.yaml': dr('b', 'hello-app') } }), []);
    const scoped = dr('b', 'hello-app', '  workloadSelector: {matchLabels: {app: web}}', ...subsets('v1'));
    assert.deepEqual(briefs(dr('a', 'hello-app', ...subsets('v1')), { otherFiles: { 'b.yaml': scoped } }), []);
  });

  it('FNM306: a top-level trafficPolicy in two DestinationRules of one host, at trafficPolicy', () => {
    const policy = '  trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}';
    assert.deepEqual(briefs(dr('a', 'hello-app', policy), { otherFiles: { 'b.yaml': dr('b', 'hello-app', policy) } }), ['FNM306 5:17-5:44']);
    // Only one of them sets it: istiod keeps it whichever is older.
    assert.deepEqual(briefs(dr('a', 'hello-app', policy), { otherFiles: { 'b.yaml': dr('b', 'hello-app') } }), []);
  });

  it('FNM306 treats two documents of one file as two rules', () => {
    const text = `${dr('a', 'hello-app', '  subsets: [{name: v1, labels: {v: one}}]')}---\n${dr('b', 'hello-app', '  subsets: [{name: v1, labels: {v: one}}]')}`;
    assert.deepEqual(briefs(text), ['FNM306 5:19-5:21', 'FNM306 12:19-12:21']);
  });

  it('FNM307: a VirtualService host no Service provides, only when Services are known', () => {
    assert.deepEqual(briefs(vs('a', 'hello-app')), []);
    // Connected, the route's destination is reported too (FNM602).
    assert.deepEqual(briefs(vs('a', 'hello-app'), { cluster: cluster(['other']) }), ['FNM307 4:10-4:19', 'FNM602 7:26-7:35']);
    assert.deepEqual(briefs(vs('a', 'hello-app'), { cluster: cluster(['hello-app']) }), []);
    const service = yaml('apiVersion: v1', 'kind: Service', 'metadata: {name: other}', 'spec: {selector: {app: other}}');
    assert.deepEqual(briefs(vs('a', 'hello-app'), { otherFiles: { 's.yaml': service } }), ['FNM307 4:10-4:19']);
  });

  it('FNM307 ignores external hosts, wildcards and hosts a ServiceEntry declares', () => {
    assert.deepEqual(briefs(vs('a', 'api.example.com'), { cluster: cluster([]) }), []);
    assert.deepEqual(briefs(vs('a', '"*.example.com"'), { cluster: cluster([]) }).filter((b) => b.startsWith('FNM307')), []);
    const entry = yaml('apiVersion: networking.istio.io/v1', 'kind: ServiceEntry', 'metadata: {name: e}', 'spec:', '  hosts: [legacy]', '  resolution: DNS');
    assert.deepEqual(briefs(vs('a', 'legacy'), { cluster: cluster([]), otherFiles: { 'e.yaml': entry } }), []);
  });
});
