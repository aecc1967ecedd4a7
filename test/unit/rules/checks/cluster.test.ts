import * as assert from 'node:assert/strict';
import type { ClusterFacts, WorkloadFact } from '../../../../src/rules/clusterFacts';
import { isInjected } from '../../../../src/rules/clusterFacts';
import { briefs, validate, yaml } from '../helpers/rules';

const rules = yaml(
  'apiVersion: networking.istio.io/v1', //   0
  'kind: DestinationRule',
  'metadata: {name: hello-app, namespace: fn}',
  'spec:',
  '  host: hello-app',
  '  subsets:', //                             5
  '  - name: v1',
  '    labels: {version: v1}',
  '  - name: v2',
  '    labels: {version: v2}',
  '---', //                                    10
  'apiVersion: networking.istio.io/v1',
  'kind: VirtualService',
  'metadata: {name: hello-app, namespace: fn}',
  'spec:',
  '  hosts: [hello-app]', //                   15
  '  http:',
  '  - route:',
  '    - destination: {host: hello-app, subset: v1}',
  '      weight: 50',
  '    - destination: {host: hello-app, subset: v2}', // 20
  '      weight: 50',
);

const proxy = (version: string, labels: Record<string, string> = {}): WorkloadFact => ({
  kind: 'Deployment',
  name: `hello-app-${version}`,
  namespace: 'fn',
  labels: { app: 'hello-app', version, ...labels },
});

function facts(over: Partial<ClusterFacts> = {}): ClusterFacts {
  return {
    services: [{ name: 'hello-app', namespace: 'fn', selector: { app: 'hello-app' } }],
    workloads: [proxy('v1'), proxy('v2')],
    namespaces: [{ name: 'fn', labels: { 'istio-injection': 'enabled' } }],
    resources: [],
    ...over,
  };
}

describe('rules/checks/cluster', () => {
  it('is silent when not connected, and when the cluster matches the rules', () => {
    assert.deepEqual(briefs(rules), []);
    assert.deepEqual(briefs(rules, { cluster: facts() }), []);
  });

  it('FNM601: a subset whose labels select no pod or Deployment, at its labels key', () => {
    assert.deepEqual(briefs(rules, { cluster: facts({ workloads: [proxy('v1')] }) }), ['FNM601 9:4-9:10']);
  });

  it('FNM601 counts Deployments defined in the same file or the workspace, as in the Route Traffic preview', () => {
    const deployment = (version: string) =>
      yaml(
        '---',
        'apiVersion: apps/v1',
        'kind: Deployment',
        `metadata: {name: hello-app-${version}-proxy, namespace: fn}`,
        'spec:',
        `  selector: {matchLabels: {app: hello-app, version: ${version}}}`,
        '  template:',
        `    metadata: {labels: {app: hello-app, version: ${version}}}`,
        '    spec: {containers: [{name: nginx, image: nginx}]}',
      );
    const connected = { cluster: facts({ workloads: [] }) };
    assert.deepEqual(briefs(rules, connected), ['FNM601 7:4-7:10', 'FNM601 9:4-9:10']);
    assert.deepEqual(briefs(rules + deployment('v1') + deployment('v2'), connected), []);
    assert.deepEqual(briefs(rules + deployment('v1'), { ...connected, otherFiles: { 'file:///v2.yaml': deployment('v2') } }), []);
    // A Deployment of another namespace does not count.
    assert.deepEqual(briefs(rules + deployment('v1') + deployment('v2').replace('namespace: fn', 'namespace: other'), connected), ['FNM601 9:4-9:10']);
  });

  it('FNM601 respects the Service selector: a pod of another app does not count', () => {
    const stranger: WorkloadFact = { kind: 'Pod', name: 'x', namespace: 'fn', labels: { app: 'other', version: 'v2' } };
    assert.deepEqual(briefs(rules, { cluster: facts({ workloads: [proxy('v1'), stranger] }) }), ['FNM601 9:4-9:10']);
  });

  it('FNM602: a destination host without a Service in the cluster, at the host', () => {
    const found = briefs(rules, { cluster: facts({ services: [] }) });
    assert.deepEqual(found.filter((b) => b.startsWith('FNM602')), ['FNM602 18:26-18:35', 'FNM602 20:26-20:35']);
  });

  it('FNM603: routed workloads without sidecar when the namespace is not injected', () => {
    const problems = validate(rules, { cluster: facts({ namespaces: [{ name: 'fn', labels: {} }] }) });
    assert.deepEqual(problems.map((p) => `${p.code} ${p.range.start.line}`), ['FNM603 18', 'FNM603 20']);
    assert.deepEqual(problems[0].data?.workloads, ['Deployment/hello-app-v1']);
    const optedIn = facts({ namespaces: [{ name: 'fn', labels: {} }], workloads: [proxy('v1', { 'sidecar.istio.io/inject': 'true' }), proxy('v2')] });
    assert.deepEqual(briefs(rules, { cluster: optedIn }), ['FNM603 20:26-20:35']);
  });

  it('decides injection from the pod, its labels, then the namespace labels', () => {
    const ns = (labels: Record<string, string>) => ({ name: 'fn', labels });
    assert.equal(isInjected(proxy('v1'), ns({ 'istio-injection': 'enabled' })), true);
    assert.equal(isInjected(proxy('v1'), ns({ 'istio.io/rev': 'canary' })), true);
    assert.equal(isInjected(proxy('v1', { 'sidecar.istio.io/inject': 'false' }), ns({ 'istio-injection': 'enabled' })), false);
    assert.equal(isInjected({ ...proxy('v1'), hasSidecar: true }, ns({})), true);
    assert.equal(isInjected(proxy('v1'), undefined), false);
  });
});
