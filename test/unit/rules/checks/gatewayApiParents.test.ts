import * as assert from 'node:assert/strict';
import type { ClusterFacts } from '../../../../src/rules/clusterFacts';
import { briefs, textAt, validate, yaml } from '../helpers/rules';

function gateway(...listeners: string[]): string {
  return yaml('apiVersion: gateway.networking.k8s.io/v1', 'kind: Gateway', 'metadata: {name: public, namespace: ingress}', 'spec:', '  gatewayClassName: istio', '  listeners:', ...listeners);
}

const sameOnly = '  - {name: http, port: 80, protocol: HTTP}';
const fromAll = '  - {name: http, port: 80, protocol: HTTP, hostname: "*.example.com", allowedRoutes: {namespaces: {from: All}}}';

function route(parent: string, hostnames = 'hello.example.com', namespace = 'demo'): string {
  return yaml(
    'apiVersion: gateway.networking.k8s.io/v1',
    'kind: HTTPRoute',
    `metadata: {name: web, namespace: ${namespace}}`,
    'spec:',
    `  parentRefs: [${parent}]`,
    `  hostnames: [${hostnames}]`,
    '  rules:',
    '  - backendRefs: [{name: web, port: 8080}]',
  );
}

describe('rules/checks/gatewayApiParents', () => {
  it('accepts a parent whose listener admits the namespace, kind and hostname; ignores Service parents', () => {
    assert.deepEqual(briefs(route('{name: public, namespace: ingress}'), { otherFiles: { 'gw.yaml': gateway(fromAll) } }), []);
    assert.deepEqual(briefs(route('{name: public, namespace: ingress, sectionName: http}'), { otherFiles: { 'gw.yaml': gateway(fromAll) } }), []);
    assert.deepEqual(briefs(route('{group: "", kind: Service, name: web}')), []);
  });

  it('FNM405: a parent Gateway the workspace does not define (when it defines some), at its name', () => {
    const text = route('{name: missing}');
    assert.deepEqual(briefs(text), []); // no Gateway known at all: it may live in the cluster
    const problems = validate(text, { otherFiles: { 'gw.yaml': gateway(fromAll) } });
    assert.deepEqual(problems.map((p) => [p.code, p.severity, textAt(text, p)]), [['FNM405', 'warning', 'missing']]);
    assert.equal(problems[0].message, 'Gateway demo/missing is not defined in the workspace (it has ingress/public)');
  });

  it('a Gateway that lives only in the cluster counts: its listeners are checked, and a missing parent names both places', () => {
    const clusterGateway = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'public', namespace: 'ingress' },
      spec: { gatewayClassName: 'istio', listeners: [{ name: 'http', port: 80, protocol: 'HTTP', hostname: '*.example.com', allowedRoutes: { namespaces: { from: 'Same' } } }] },
    };
    const cluster: ClusterFacts = { services: [], workloads: [], namespaces: [], resources: [clusterGateway] };
    assert.deepEqual(
      validate(route('{name: public, namespace: ingress}'), { cluster }).map((p) => `${p.code} ${p.message}`),
      ['FNM406 No listener of Gateway ingress/public admits this HTTPRoute: allowedRoutes.namespaces does not admit namespace demo'],
    );
    assert.deepEqual(briefs(route('{name: public, namespace: ingress}', 'hello.example.com', 'ingress'), { cluster }), []);
    const missing = validate(route('{name: private, namespace: ingress}'), { cluster });
    assert.deepEqual(missing.map((p) => `${p.code} ${p.message}`), ['FNM405 Gateway ingress/private is not defined in the workspace or the cluster (they have ingress/public)']);
  });

  it('FNM406: listeners that do not admit the route (namespace Same by default, sectionName, port, kinds)', () => {
    const parent = '{name: public, namespace: ingress}';
    const check = (listener: string, ref = parent): string[] => validate(route(ref), { otherFiles: { 'gw.yaml': gateway(listener) } }).map((p) => `${p.code} ${p.message}`);
    assert.deepEqual(check(sameOnly), ['FNM406 No listener of Gateway ingress/public admits this HTTPRoute: allowedRoutes.namespaces does not admit namespace demo']);
    assert.match(check(fromAll, '{name: public, namespace: ingress, sectionName: https}')[0], /no listener named https$/);
    assert.match(check(fromAll, '{name: public, namespace: ingress, port: 443}')[0], /no listener on port 443$/);
    assert.match(check('  - {name: tcp, port: 9000, protocol: TCP, allowedRoutes: {namespaces: {from: All}}}')[0], /do not allow HTTPRoute/);
    assert.deepEqual(briefs(route(parent), { otherFiles: { 'gw.yaml': gateway(sameOnly) } }), ['FNM406 4:22-4:28']);
  });

  it('FNM406 with a namespace Selector: decided by the namespace labels while connected', () => {
    const selector = '  - {name: http, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: Selector, selector: {matchLabels: {shared: "true"}}}}}';
    const otherFiles = { 'gw.yaml': gateway(selector) };
    const cluster = (labels: Record<string, string>): ClusterFacts => ({ services: [], workloads: [], namespaces: [{ name: 'demo', labels }], resources: [] });
    const text = route('{name: public, namespace: ingress}');
    assert.deepEqual(briefs(text, { otherFiles }), []);
    assert.deepEqual(briefs(text, { otherFiles, cluster: cluster({ shared: 'true' }) }), []);
    assert.deepEqual(briefs(text, { otherFiles, cluster: cluster({}) }), ['FNM406 4:22-4:28']);
  });

  it('FNM407: no admitting listener accepts the route hostnames, at the hostnames key', () => {
    const text = route('{name: public, namespace: ingress}', 'hello.other.org');
    const problems = validate(text, { otherFiles: { 'gw.yaml': gateway(fromAll) } });
    assert.deepEqual(problems.map((p) => [p.code, textAt(text, p)]), [['FNM407', 'hostnames']]);
  });
});
