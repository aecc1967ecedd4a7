// The join of watched objects into the tree's view model, and the sidecar checks it relies on.
import * as assert from 'node:assert/strict';
import { joinRouting, type RoutingSnapshot } from '../../../../src/routing/cluster/routingView';
import { injectionDecision, namespaceInjection, podHasSidecar, sidecarState } from '../../../../src/routing/cluster/sidecar';
import type { LiveObject } from '../../../../src/kube/objects/types';
import { versionDescription } from '../../../../src/routing/routingTree';
import { generateManifests } from '../../../../src/routing/manifests/appManifests';
import { helloApp } from '../../../fixtures/routing/helloApp';

const managed = { 'app.kubernetes.io/managed-by': 'fn-mesh', 'app.kubernetes.io/part-of': 'hello-app' };

/** The generated objects as the server would return them (plus status). */
function live(mode: 'istio' | 'httpRoute' = 'istio'): LiveObject[] {
  return generateManifests(helloApp(), { mode }).map((o) => structuredClone(o) as unknown as LiveObject);
}

function withStatus(deployment: LiveObject, readyReplicas: number): LiveObject {
  return { ...deployment, status: { readyReplicas } };
}

function pod(version: string, containers: string[], extra: Partial<LiveObject['metadata']> = {}, initContainers: (string | { name: string; restartPolicy?: string })[] = []): LiveObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `hello-app-${version}-${containers.length}`, namespace: 'hello', labels: { ...managed, app: 'hello-app', version }, ...extra },
    spec: { containers: containers.map((name) => ({ name })), initContainers: initContainers.map((c) => (typeof c === 'string' ? { name: c } : c)) },
  };
}

function snapshot(objects: LiveObject[], pods: LiveObject[] = []): RoutingSnapshot {
  const of = (...kinds: string[]): LiveObject[] => objects.filter((o) => kinds.includes(o.kind));
  return { routes: of('VirtualService', 'HTTPRoute'), destinationRules: of('DestinationRule'), deployments: of('Deployment'), pods };
}

describe('routing view', () => {
  it('joins routes, deployments and pods: weights, functions, replicas, sidecars', () => {
    const objects = live().map((o) => (o.kind === 'Deployment' ? withStatus(o, o.metadata.name.endsWith('v1') ? 1 : 0) : o));
    const views = joinRouting(snapshot(objects, [pod('v1', ['proxy', 'istio-proxy']), pod('v2', ['proxy'])]));
    assert.equal(views.length, 1);
    const [view] = views;
    assert.equal(view?.appName, 'hello-app');
    assert.equal(view?.fnAppName, 'hello-app');
    assert.deepEqual(view?.route, { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', namespace: 'hello', name: 'hello-app' });
    assert.deepEqual(view?.versions, [
      { version: 'v1', weight: 90, fnName: 'v1', readyReplicas: 1, desiredReplicas: 1, sidecar: 'injected' },
      { version: 'v2', weight: 10, fnName: 'v2', readyReplicas: 0, desiredReplicas: 1, sidecar: 'missing' },
    ]);
    assert.deepEqual(view?.warnings, ['A proxy pod of version "v2" runs without the istio-proxy sidecar: the weights do not apply to its traffic']);
  });

  it('says what is missing: DestinationRule, subset, Deployment; sidecar unknown without pods', () => {
    const noRule = live().filter((o) => o.kind !== 'DestinationRule' && o.metadata.name !== 'hello-app-v2');
    const [view] = joinRouting(snapshot(noRule));
    assert.deepEqual(
      view?.versions.map((v) => [v.version, v.desiredReplicas, v.sidecar]),
      [
        ['v1', 1, 'unknown'],
        ['v2', 0, 'unknown'],
      ],
    );
    assert.deepEqual(view?.warnings, ['No DestinationRule "hello-app": the route\'s subsets are not defined, so no traffic reaches any version', 'Version "v2" has no proxy Deployment']);

    const oneSubset = live().map((o) =>
      o.kind === 'DestinationRule' ? { ...o, spec: { host: 'hello-app', subsets: [{ name: 'v1', labels: { version: 'v1' } }] } } : o,
    );
    assert.deepEqual(joinRouting(snapshot(oneSubset))[0]?.warnings, ['Version "v2" has no subset in DestinationRule "hello-app"']);
  });

  it('reads an HTTPRoute: backendRefs to per-version Services are versions', () => {
    const [view] = joinRouting(snapshot(live('httpRoute')));
    assert.equal(view?.route.kind, 'HTTPRoute');
    assert.deepEqual(
      view?.versions.map((v) => [v.version, v.weight, v.fnName]),
      [
        ['v1', 90, 'v1'],
        ['v2', 10, 'v2'],
      ],
    );
    assert.deepEqual(view?.warnings, []);
  });

  it('ignores routes Fn Mesh does not manage or that are being deleted; sorts by app', () => {
    const vs = live().find((o) => o.kind === 'VirtualService') as LiveObject;
    const foreign = { ...vs, metadata: { ...vs.metadata, name: 'foreign', labels: {} } };
    const deleting = { ...vs, metadata: { ...vs.metadata, name: 'going', labels: { ...managed, 'app.kubernetes.io/part-of': 'going' }, deletionTimestamp: '2026-01-01T00:00:00Z' } };
    const another = { ...vs, metadata: { ...vs.metadata, name: 'alpha', labels: { ...managed, 'app.kubernetes.io/part-of': 'alpha' } } };
    const views = joinRouting({ routes: [vs, foreign, deleting, another], destinationRules: [], deployments: [], pods: [] });
    assert.deepEqual(
      views.map((v) => v.appName),
      ['alpha', 'hello-app'],
    );
  });

  it('turns an unreadable route into a warning instead of failing the whole view', () => {
    const vs = live().find((o) => o.kind === 'VirtualService') as LiveObject;
    const broken = { ...vs, spec: { hosts: ['hello-app'], http: [{ name: 'weighted', route: [{ destination: { host: 'hello-app' } }] }] } };
    const [view] = joinRouting({ routes: [broken], destinationRules: [], deployments: [], pods: [] });
    assert.deepEqual(view?.versions, []);
    assert.match(view?.warnings[0] ?? '', /destination without subset/);
  });
});

describe('sidecar checks', () => {
  it('finds the sidecar as a container or a native sidecar init container', () => {
    assert.equal(podHasSidecar(pod('v1', ['proxy', 'istio-proxy'])), true);
    // istiod's native sidecar form: an init container that keeps running (restartPolicy: Always).
    assert.equal(podHasSidecar(pod('v1', ['proxy'], {}, ['istio-init', { name: 'istio-proxy', restartPolicy: 'Always' }])), true);
    // An init container of that name that runs to completion is no proxy.
    assert.equal(podHasSidecar(pod('v1', ['proxy'], {}, ['istio-init', 'istio-proxy'])), false);
    assert.equal(podHasSidecar(pod('v1', ['proxy'], {}, ['istio-init'])), false);
    assert.equal(sidecarState([pod('v1', ['proxy'], {}, [{ name: 'istio-proxy', restartPolicy: 'Always' }])]), 'injected');
  });

  it('shows istio-proxy on an injected version, "no sidecar" on one without', () => {
    const base = { version: 'v1', weight: 90, readyReplicas: 1, desiredReplicas: 1 } as const;
    assert.equal(versionDescription({ ...base, sidecar: 'injected' }), '90% · 1/1 ready · istio-proxy');
    assert.equal(versionDescription({ ...base, sidecar: 'missing' }), '90% · 1/1 ready · no sidecar');
    assert.equal(versionDescription({ ...base, sidecar: 'unknown' }), '90% · 1/1 ready');
  });

  it('rates a version by its live pods', () => {
    const injected = pod('v1', ['proxy', 'istio-proxy']);
    const bare = pod('v1', ['proxy']);
    const terminating = pod('v1', ['proxy'], { deletionTimestamp: '2026-01-01T00:00:00Z' });
    assert.equal(sidecarState([]), 'unknown');
    assert.equal(sidecarState([terminating]), 'unknown');
    assert.equal(sidecarState([injected, terminating]), 'injected');
    assert.equal(sidecarState([injected, bare]), 'missing');
  });

  it('mirrors the injection webhooks: namespace label, revision, pod label', () => {
    const on = { 'istio-injection': 'enabled' };
    const rev = { 'istio.io/rev': 'canary' };
    const off = { 'istio-injection': 'disabled', 'istio.io/rev': 'canary' };
    const podOn = { 'sidecar.istio.io/inject': 'true' };
    const podOff = { 'sidecar.istio.io/inject': 'false' };
    assert.deepEqual(namespaceInjection(on), { mode: 'enabled' });
    assert.deepEqual(namespaceInjection(rev), { mode: 'revision', revision: 'canary' });
    assert.deepEqual(namespaceInjection(off), { mode: 'disabled' });
    assert.deepEqual(namespaceInjection(undefined), { mode: 'none' });
    const decide = (ns: Record<string, string> | undefined, p: Record<string, string> | undefined): boolean => injectionDecision(ns, p).inject;
    assert.deepEqual(
      [decide(on, undefined), decide(on, podOff), decide(rev, undefined), decide(off, podOn), decide(undefined, podOn), decide(undefined, undefined), decide(undefined, rev)],
      [true, false, true, false, true, false, true],
    );
    assert.match(injectionDecision(undefined, undefined).reason, /neither the namespace .* nor the pod/);
    assert.equal(injectionDecision(off, podOn).reason, 'the namespace has istio-injection=disabled');
  });
});
