import * as assert from 'node:assert/strict';
import { parseGatewayReference } from '../../../../src/rules/checks/gateways';
import type { ClusterFacts } from '../../../../src/rules/clusterFacts';
import { briefs, validate, yaml } from '../helpers/rules';

function vs(gateways: string, matchGateways?: string): string {
  return yaml(
    'apiVersion: networking.istio.io/v1',
    'kind: VirtualService',
    'metadata: {name: hello-app}',
    'spec:',
    '  hosts: [hello.example.com]',
    `  gateways: ${gateways}`,
    '  http:',
    ...(matchGateways ? ['  - match:', `    - gateways: ${matchGateways}`, '    route:'] : ['  - route:']),
    '    - destination: {host: hello-app.default.svc.cluster.local}',
  );
}

const gateway = (namespace: string) =>
  yaml('apiVersion: networking.istio.io/v1', 'kind: Gateway', `metadata: {name: ingress, namespace: ${namespace}}`, 'spec:', '  selector: {istio: ingressgateway}', '  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]');

describe('rules/checks/gateways', () => {
  it('accepts mesh, gateways in the same namespace and qualified references', () => {
    assert.deepEqual(briefs(vs('[mesh, ingress]'), { otherFiles: { 'gw.yaml': gateway('default') } }), []);
    assert.deepEqual(briefs(vs('[istio-system/ingress]'), { otherFiles: { 'gw.yaml': gateway('istio-system') } }), []);
  });

  it('FNM402: an unqualified name that exists in another namespace, with the qualified names', () => {
    const [p, ...rest] = validate(vs('[mesh, ingress]'), { otherFiles: { 'gw.yaml': gateway('istio-system') } });
    assert.deepEqual(rest, []);
    assert.deepEqual([p.code, p.range.start, p.range.end, p.data], ['FNM402', { line: 5, character: 19 }, { line: 5, character: 26 }, { qualified: ['istio-system/ingress'] }]);
  });

  it('FNM401: a gateway defined nowhere, also in per-match gateways', () => {
    assert.deepEqual(briefs(vs('[istio-system/ingress]')), ['FNM401 5:13-5:33']);
    assert.deepEqual(briefs(vs('[mesh]', '[nowhere]')), ['FNM401 8:17-8:24']);
  });

  it('looks for gateways in the cluster while connected', () => {
    const cluster: ClusterFacts = {
      services: [{ name: 'hello-app', namespace: 'default' }],
      workloads: [],
      namespaces: [],
      resources: [{ apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'ingress', namespace: 'istio-system' }, spec: { servers: [{ hosts: ['*'] }] } }],
    };
    assert.deepEqual(briefs(vs('[istio-system/ingress]'), { cluster }), []);
    assert.match(validate(vs('[istio-system/other]'), { cluster })[0].message, /in the workspace or the cluster$/);
  });

  it('parses the reference forms Istio accepts', () => {
    assert.deepEqual(parseGatewayReference('istio-system/ingress', 'default'), { name: 'ingress', namespace: 'istio-system', qualified: true });
    assert.deepEqual(parseGatewayReference('ingress.istio-system.svc.cluster.local', 'default'), { name: 'ingress', namespace: 'istio-system', qualified: true });
    assert.deepEqual(parseGatewayReference('ingress', 'default'), { name: 'ingress', namespace: 'default', qualified: false });
  });
});
