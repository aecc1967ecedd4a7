// Reading the weighted route of a live VirtualService/HTTPRoute and the patch that sets weights;
// the wording of Kubernetes errors about one object.
import * as assert from 'node:assert/strict';
import { backoffDelay } from '../../../../src/kube/objects/objectApiClient';
import { describeConflicts, fieldConflicts, KubeObjectError, onlyOwnConflicts } from '../../../../src/kube/objects/resourceErrors';
import { readWeightedRoute, routeWeights, sameWeights, showWeights, weightsPatch } from '../../../../src/routing/cluster/routeWeights';
import type { LiveObject } from '../../../../src/kube/objects/types';

function vs(http: unknown[]): LiveObject {
  return { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'hello-app', namespace: 'hello', resourceVersion: '7' }, spec: { hosts: ['hello-app'], http } };
}
const to = (subset: string, weight?: number): object => ({ destination: { host: 'hello-app', subset }, ...(weight === undefined ? {} : { weight }) });

describe('weighted routes', () => {
  it('finds the rule named "weighted" behind header pins, with the paths of its weights', () => {
    const route = readWeightedRoute(vs([{ name: 'pin-1-v2', match: [{ headers: {} }], route: [to('v2')] }, { name: 'weighted', route: [to('v1', 90), to('v2', 10)] }]));
    assert.deepEqual(route.entries, [
      { version: 'v1', weight: 90, path: '/spec/http/1/route/0/weight' },
      { version: 'v2', weight: 10, path: '/spec/http/1/route/1/weight' },
    ]);
    assert.equal(showWeights(routeWeights(route)), 'v1=90,v2=10');
    assert.equal(route.ruleName, 'weighted');
    assert.equal(route.ruleCount, 2);
    assert.deepEqual(weightsPatch(route, new Map([['v1', 0], ['v2', 100]])), [
      { op: 'replace', path: '/metadata/resourceVersion', value: '7' },
      { op: 'add', path: '/spec/http/1/route/0/weight', value: 0 },
      { op: 'add', path: '/spec/http/1/route/1/weight', value: 100 },
    ]);
    assert.throws(() => weightsPatch(route, new Map([['v1', 100]])), /No weight given for version "v2"/);
  });

  it('falls back to the last rule without match; one destination without weight gets 100', () => {
    const route = readWeightedRoute(vs([{ match: [{ uri: { prefix: '/a' } }], route: [to('v2')] }, { route: [to('v1')] }]));
    assert.deepEqual(route.entries, [{ version: 'v1', weight: 100, path: '/spec/http/1/route/0/weight' }]);
    assert.equal(route.ruleName, undefined, 'the default route has no name');
    assert.equal(route.ruleCount, 2);
  });

  it('refuses routes it cannot read as versions', () => {
    assert.throws(() => readWeightedRoute(vs([{ match: [{}], route: [to('v1')] }])), /has no weighted route/);
    assert.throws(() => readWeightedRoute(vs([{ route: [to('v1', 50), to('v1', 50)] }])), /names version "v1" twice/);
    assert.throws(() => readWeightedRoute(vs([{ route: [{ destination: { host: 'x' }, weight: 100 }] }])), /without subset/);
    assert.throws(() => readWeightedRoute({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'x', namespace: 'y' } }), /not a VirtualService or HTTPRoute/);
  });

  it('compares weights regardless of order', () => {
    assert.ok(sameWeights(new Map([['a', 1], ['b', 2]]), new Map([['b', 2], ['a', 1]])));
    assert.ok(!sameWeights(new Map([['a', 1]]), new Map([['a', 1], ['b', 0]])));
  });
});

describe('errors about one object', () => {
  const ref = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', namespace: 'hello', name: 'hello-app' };
  const status = (code: number, message: string, causes?: unknown[]): object => ({ code, body: JSON.stringify({ kind: 'Status', code, message, details: causes ? { causes } : {} }) });

  it('names the other field managers and their fields in an apply conflict', () => {
    const err = status(409, 'Apply failed with 2 conflicts', [
      { reason: 'FieldManagerConflict', message: 'conflict with "kubectl-edit" using networking.istio.io/v1', field: '.spec.http' },
      { reason: 'FieldManagerConflict', message: 'conflict with "helm" using networking.istio.io/v1', field: '.spec.hosts' },
      { reason: 'FieldManagerConflict', message: 'conflict with "kubectl-edit"', field: '.metadata.labels.team' },
    ]);
    const conflicts = fieldConflicts(err) ?? [];
    assert.equal(describeConflicts(conflicts), '"kubectl-edit" owns .spec.http, .metadata.labels.team; "helm" owns .spec.hosts');
    assert.equal(onlyOwnConflicts(conflicts), false);
    assert.equal(onlyOwnConflicts([{ manager: 'fn-mesh', field: '.spec.http' }]), true);
    const error = new KubeObjectError(ref, err);
    assert.match(error.message, /^VirtualService hello\/hello-app: conflict: fields managed by another tool would change \("kubectl-edit" owns/);
    assert.deepEqual(error.conflicts, conflicts);
  });

  it('keeps the server message for 403, 404, optimistic-concurrency 409 and 422', () => {
    assert.equal(fieldConflicts(status(409, 'the object has been modified')), undefined);
    assert.equal(new KubeObjectError(ref, status(403, 'virtualservices is forbidden')).message, 'VirtualService hello/hello-app: forbidden: virtualservices is forbidden');
    assert.equal(new KubeObjectError(ref, status(403, 'x')).forbidden, true);
    assert.equal(new KubeObjectError(ref, status(422, 'spec.x: Invalid value')).message, 'VirtualService hello/hello-app: spec.x: Invalid value');
    assert.match(new KubeObjectError(ref, Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })).message, /connection refused/);
  });

  it('backs off watches 1 s, 2 s, 4 s ... up to 30 s', () => {
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5, 6, 20].map(backoffDelay),
      [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000],
    );
  });
});
