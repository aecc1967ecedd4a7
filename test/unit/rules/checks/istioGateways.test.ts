import * as assert from 'node:assert/strict';
import { hostsOverlap } from '../../../../src/rules/hosts';
import { briefs, textAt, validate, yaml } from '../helpers/rules';

function gateway(name: string, namespace: string, selector: string, ...servers: string[]): string {
  return yaml('apiVersion: networking.istio.io/v1', 'kind: Gateway', `metadata: {name: ${name}, namespace: ${namespace}}`, 'spec:', `  selector: {${selector}}`, '  servers:', ...servers);
}

const http = (hosts: string, port = 80): string => `  - {port: {number: ${port}, name: http, protocol: HTTP}, hosts: [${hosts}]}`;

function vs(hosts: string, gateways: string): string {
  return yaml(
    'apiVersion: networking.istio.io/v1',
    'kind: VirtualService',
    'metadata: {name: web, namespace: demo}',
    'spec:',
    `  hosts: [${hosts}]`,
    `  gateways: [${gateways}]`,
    '  http:',
    '  - route:',
    '    - destination: {host: web}',
  );
}

describe('rules/checks/istioGateways', () => {
  it('hostsOverlap reads wildcards both ways', () => {
    assert.ok(hostsOverlap('*', 'a.example.com'));
    assert.ok(hostsOverlap('*.example.com', 'a.example.com'));
    assert.ok(hostsOverlap('a.example.com', '*.example.com'));
    assert.ok(hostsOverlap('*.a.example.com', '*.example.com'));
    assert.ok(hostsOverlap('Web.Example.com', 'web.example.com'));
    assert.ok(!hostsOverlap('*.example.com', 'example.com'));
    assert.ok(!hostsOverlap('a.example.com', 'b.example.com'));
  });

  it('FNM403: a gateway that exposes none of the VirtualService hosts, at the gateway reference', () => {
    const otherFiles = { 'gw.yaml': gateway('public', 'istio-system', 'istio: ingressgateway', http('shop.example.com, "*.api.example.com"')) };
    // One exposed host is enough (the others may be mesh-only names).
    assert.deepEqual(briefs(vs('web, orders.api.example.com', 'istio-system/public, mesh'), { otherFiles }), []);
    const text = vs('web, admin.example.com', 'mesh, istio-system/public');
    const problems = validate(text, { otherFiles });
    assert.deepEqual(problems.map((p) => [p.code, textAt(text, p)]), [['FNM403', 'istio-system/public']]);
    assert.deepEqual(problems[0].data, { gateway: 'istio-system/public', hosts: ['web', 'admin.example.com'] });
  });

  it('FNM403 reads namespace-scoped server hosts, and is silent for mesh and unknown gateways', () => {
    const scoped = gateway('public', 'istio-system', 'istio: ingressgateway', http('"demo/shop.example.com", "./own.example.com", "other/admin.example.com"'));
    const otherFiles = { 'gw.yaml': scoped };
    assert.deepEqual(briefs(vs('shop.example.com', 'istio-system/public'), { otherFiles }), []);
    assert.deepEqual(briefs(vs('admin.example.com', 'istio-system/public'), { otherFiles }), ['FNM403 5:13-5:32']);
    assert.deepEqual(briefs(vs('own.example.com', 'istio-system/public'), { otherFiles }), ['FNM403 5:13-5:32']);
    assert.deepEqual(briefs(vs('web', 'mesh'), { otherFiles }), []);
    assert.deepEqual(briefs(vs('web', 'istio-system/missing'), { otherFiles }).map((b) => b.slice(0, 6)), ['FNM401']);
  });

  it('FNM404: two Gateways with the same selector, port and host, at each server\'s hosts', () => {
    const a = gateway('a', 'istio-system', 'istio: ingressgateway', http('shop.example.com'), http('other.example.com', 8080));
    const b = gateway('b', 'istio-system', 'istio: ingressgateway', http('"./shop.example.com"'));
    const problems = validate(a, { otherFiles: { 'b.yaml': b } });
    assert.deepEqual(problems.map((p) => [p.code, p.severity, textAt(a, p)]), [['FNM404', 'error', 'hosts']]);
    assert.deepEqual(briefs(a, { otherFiles: { 'b.yaml': b } }), ['FNM404 6:53-6:58']);
    assert.deepEqual(problems[0].data, { gateways: ['istio-system/b'] });
  });

  it('FNM404 is silent for another selector, another port or other hosts', () => {
    const a = gateway('a', 'istio-system', 'istio: ingressgateway', http('shop.example.com'));
    for (const b of [
      gateway('b', 'istio-system', 'istio: internal', http('shop.example.com')),
      gateway('b', 'istio-system', 'istio: ingressgateway', http('shop.example.com', 8080)),
      gateway('b', 'istio-system', 'istio: ingressgateway', http('other.example.com')),
    ]) {
      assert.deepEqual(briefs(a, { otherFiles: { 'b.yaml': b } }), []);
    }
  });
});
