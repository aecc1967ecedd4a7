import * as assert from 'node:assert/strict';
import { UserError } from '../../../src/common/errors';
import type { LiveObject } from '../../../src/kube/objects/types';
import { destinationRule, virtualService } from '../../../src/routing/manifests/istioManifests';
import type { OutlierDetectionOptions, RouteOptions } from '../../../src/routing/manifests/routeOptions';
import { withWeights } from '../../../src/routing/model';
import { describeOptions, optionsInForce, planRouteOptions, type LiveRouting, type RouteOptionsChange } from '../../../src/routing/routeOptionsPlan';
import { parseDuration, readOutlierDetection, readRouteOptions, routedAppOf } from '../../../src/routing/routeOptionsRead';
import { helloApp } from '../../fixtures/routing/helloApp';

/** The app's objects as the API server would return them: generated, then weights changed to 70/30 by an update. */
function live(route: RouteOptions = {}, outlier?: OutlierDetectionOptions): LiveRouting {
  const app = withWeights(helloApp(), new Map([['v1', 70], ['v2', 30]]));
  const asLive = (o: object, rv: string): LiveObject => {
    const obj = structuredClone(o) as LiveObject;
    return { ...obj, metadata: { ...obj.metadata, resourceVersion: rv } };
  };
  return { virtualService: asLive(virtualService(app, 'v1', route), '41'), destinationRule: asLive(destinationRule(app, 'v1', outlier), '40') };
}

type Json = Record<string, unknown>;
interface Rule extends Json {
  readonly match?: unknown;
  readonly route: readonly { readonly destination: { readonly subset: string }; readonly weight?: number }[];
  readonly fault?: { readonly delay?: { readonly fixedDelay: string; readonly percentage: { readonly value: number } } };
}
interface VsSpec {
  readonly http: readonly Rule[];
}
interface DrSpec {
  readonly subsets: readonly { readonly name: string }[];
  readonly trafficPolicy?: { readonly outlierDetection?: unknown };
}

function specOf<T>(plan: { objects: readonly { kind: string }[] }, kind: string): T {
  const obj = plan.objects.find((o) => o.kind === kind) as { spec?: T } | undefined;
  assert.ok(obj?.spec, `no ${kind} in the plan`);
  return obj.spec;
}

const vsOf = (plan: { objects: readonly { kind: string }[] }): VsSpec => specOf<VsSpec>(plan, 'VirtualService');

const weightedRoute = (vs: VsSpec): string => (vs.http.at(-1)?.route ?? []).map((r) => `${r.destination.subset}=${r.weight}`).join(',');

function refused(current: LiveRouting, change: RouteOptionsChange, message: RegExp): void {
  assert.throws(
    () => planRouteOptions(current, change),
    (err: unknown) => err instanceof UserError && message.test(err.message),
    `expected a UserError matching ${message.source}`,
  );
}

const fault = { delay: { percent: 10, seconds: 2.5 } };
const pin = { header: 'x-fn-version', value: 'beta', version: 'v2' };

describe('route options plan', () => {
  it('reads the generated options back exactly', () => {
    const route: RouteOptions = {
      pins: [pin, { header: 'x-user', value: 'qa-', match: 'prefix', version: 'v1' }],
      fault: { delay: { percent: 5, seconds: 0.25 }, abort: { percent: 1, httpStatus: 503 } },
      mirror: { version: 'v2', percent: 20 },
      timeoutSeconds: 15,
      retries: { attempts: 3, perTryTimeoutSeconds: 2, retryOn: 'connect-failure,503' },
    };
    const outlier = { consecutive5xxErrors: 3, intervalSeconds: 5, baseEjectionSeconds: 60, maxEjectionPercent: 50 };
    const current = live(route, outlier);
    assert.deepEqual(readRouteOptions(current.virtualService), route);
    assert.deepEqual(readOutlierDetection(current.destinationRule), outlier);
    assert.equal(readOutlierDetection(live().destinationRule), undefined);
    const app = routedAppOf(current.virtualService);
    assert.deepEqual(app.versions.map((v) => [v.version, v.weight, v.fnName]), [['v1', 70, 'v1'], ['v2', 30, 'v2']]);
  });

  it('adds a header pin keeping the weights, the other options and the resourceVersion guard', () => {
    const plan = planRouteOptions(live({ fault }), { kind: 'pin', pin });
    assert.deepEqual(plan.objects.map((o) => o.kind), ['VirtualService']);
    assert.equal((plan.objects[0]?.metadata as { resourceVersion?: string } | undefined)?.resourceVersion, '41');
    const vs = vsOf(plan);
    assert.equal(weightedRoute(vs), 'v1=70,v2=30');
    assert.deepEqual(vs.http[0]?.match, [{ headers: { 'x-fn-version': { exact: 'beta' } } }]);
    assert.deepEqual(vs.http[0]?.route, [{ destination: { host: 'hello-app', subset: 'v2' } }]);
    assert.equal(vs.http[0]?.fault?.delay?.fixedDelay, '2.5s');
    assert.equal(vs.http[1]?.fault?.delay?.percentage.value, 10);
    assert.deepEqual(plan.summary, ['pin: header x-fn-version = beta → v2', 'fault: delay 10% of requests by 2.5 s']);
  });

  it('re-points the pin of the same header and value instead of adding a second one', () => {
    const plan = planRouteOptions(live({ pins: [pin] }), { kind: 'pin', pin: { ...pin, version: 'v1' } });
    assert.deepEqual(plan.route.pins, [{ ...pin, version: 'v1' }]);
    assert.equal(vsOf(plan).http.length, 2);
  });

  it('sets fault, mirror, timeout and retries on every route', () => {
    let current = live({ pins: [pin] });
    const changes: RouteOptionsChange[] = [
      { kind: 'fault', fault: { abort: { percent: 50, httpStatus: 503 } } },
      { kind: 'mirror', mirror: { version: 'v2', percent: 25 } },
      { kind: 'timeouts', timeoutSeconds: 3, retries: { attempts: 2, perTryTimeoutSeconds: 1, retryOn: 'connect-failure' } },
    ];
    let vs: VsSpec = { http: [] };
    for (const change of changes) {
      const plan = planRouteOptions(current, change);
      vs = vsOf(plan);
      current = { ...current, virtualService: { ...current.virtualService, spec: vs } };
    }
    const [pinned, weighted] = vs.http;
    assert.equal(weightedRoute(vs), 'v1=70,v2=30');
    for (const rule of [pinned, weighted]) {
      assert.deepEqual(rule?.fault, { abort: { percentage: { value: 50 }, httpStatus: 503 } });
      assert.equal(rule?.timeout, '3s');
      assert.deepEqual(rule?.retries, { attempts: 2, perTryTimeout: '1s', retryOn: 'connect-failure' });
    }
    // The pin goes to the mirror's version: a copy to itself would be pointless.
    assert.equal(pinned?.mirror, undefined);
    assert.deepEqual([weighted?.mirror, weighted?.mirrorPercentage], [{ host: 'hello-app', subset: 'v2' }, { value: 25 }]);
  });

  it('sets outlier detection on the DestinationRule only, keeping its subsets', () => {
    const plan = planRouteOptions(live({ fault }), { kind: 'outlier', outlier: { consecutive5xxErrors: 2, intervalSeconds: 1.5 } });
    assert.deepEqual(plan.objects.map((o) => o.kind), ['DestinationRule']);
    assert.equal((plan.objects[0]?.metadata as { resourceVersion?: string } | undefined)?.resourceVersion, '40');
    const dr = specOf<DrSpec>(plan, 'DestinationRule');
    assert.deepEqual(dr.subsets.map((s) => s.name), ['v1', 'v2']);
    assert.deepEqual(dr.trafficPolicy?.outlierDetection, { consecutive5xxErrors: 2, interval: '1.5s', baseEjectionTime: '30s', maxEjectionPercent: 100 });
    assert.deepEqual(plan.route, { fault });
  });

  it('clears every option, or only the ones named, and keeps the weights', () => {
    const current = live({ pins: [pin], fault, timeoutSeconds: 9 }, { consecutive5xxErrors: 4 });
    assert.deepEqual(optionsInForce(readRouteOptions(current.virtualService), readOutlierDetection(current.destinationRule)), ['pins', 'fault', 'timeouts', 'outlier']);
    const all = planRouteOptions(current, { kind: 'clear' });
    assert.deepEqual(all.objects.map((o) => o.kind), ['DestinationRule', 'VirtualService']);
    assert.deepEqual(vsOf(all).http, [
      { name: 'weighted', route: [{ destination: { host: 'hello-app', subset: 'v1' }, weight: 70 }, { destination: { host: 'hello-app', subset: 'v2' }, weight: 30 }] },
    ]);
    assert.equal(specOf<DrSpec>(all, 'DestinationRule').trafficPolicy, undefined);
    assert.deepEqual(all.summary, []);

    const some = planRouteOptions(current, { kind: 'clear', what: ['fault'] });
    assert.deepEqual(some.objects.map((o) => o.kind), ['VirtualService']);
    assert.deepEqual(some.route, { pins: [pin], timeoutSeconds: 9 });
  });

  it('refuses values that cannot be written, naming the field', () => {
    const current = live();
    refused(current, { kind: 'pin', pin: { ...pin, version: 'v9' } }, /Pin of header x-fn-version names version "v9"/);
    refused(current, { kind: 'pin', pin: { ...pin, header: 'X-Bad' } }, /Header name "X-Bad"/);
    refused(current, { kind: 'fault', fault: { delay: { percent: 0, seconds: 1 } } }, /Delay percentage/);
    refused(current, { kind: 'fault', fault: { abort: { percent: 5, httpStatus: 700 } } }, /Abort HTTP status/);
    refused(current, { kind: 'fault', fault: {} }, /needs a delay, an abort, or both/);
    refused(current, { kind: 'mirror', mirror: { version: 'v3' } }, /Mirroring names version "v3"/);
    refused(current, { kind: 'timeouts', timeoutSeconds: -1 }, /^Timeout must be/);
    refused(current, { kind: 'timeouts', retries: { attempts: 2, perTryTimeoutSeconds: 0 } }, /Per-try timeout/);
    refused(current, { kind: 'outlier', outlier: { maxEjectionPercent: 150 } }, /Maximum ejection percentage/);
    refused(current, { kind: 'outlier', outlier: { baseEjectionSeconds: 0 } }, /Base ejection time/);
  });

  it('refuses a VirtualService with rules Fn Mesh did not write, and an HTTPRoute', () => {
    const current = live();
    const spec = current.virtualService.spec as VsSpec;
    const foreign = { ...current.virtualService, spec: { ...spec, http: [{ name: 'canary', match: [{ uri: { prefix: '/x' } }], route: spec.http[0]?.route }, ...spec.http] } };
    refused({ virtualService: foreign }, { kind: 'pin', pin }, /rule 1 \(canary\) is not a header pin Fn Mesh wrote/);
    const httpRoute = { ...current.virtualService, apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute' };
    refused({ virtualService: httpRoute }, { kind: 'pin', pin }, /route options need Istio/);
  });

  it('parses durations in the forms Istio and kubectl write', () => {
    assert.equal(parseDuration('1.5s', 'x'), 1.5);
    assert.equal(parseDuration('250ms', 'x'), 0.25);
    assert.equal(parseDuration('1m30s', 'x'), 90);
    assert.equal(parseDuration('1h', 'x'), 3600);
    for (const bad of ['', '5', 's', '1.5 s', '-1s', 5]) {
      assert.throws(() => parseDuration(bad, 'Timeout'), /Timeout .* is not a duration/, String(bad));
    }
  });

  it('describes every option in words', () => {
    assert.deepEqual(
      describeOptions({ mirror: { version: 'v2' }, retries: { attempts: 0 } }, { maxEjectionPercent: 10 }),
      [
        'mirror: 100% of requests copied to v2',
        'retries: 0 attempt(s)',
        'outlier detection: eject after 5 consecutive 5xx (checked every 10 s) for 30 s, at most 10% of proxies',
      ],
    );
  });
});
