import * as assert from 'node:assert/strict';
import { UserError } from '../../../src/common/errors';
import { generateManifests, type ManifestOptions } from '../../../src/routing/manifests/appManifests';
import { gatewayDuration, istioDuration, type RouteOptions } from '../../../src/routing/manifests/routeOptions';
import { helloApp } from '../../fixtures/routing/helloApp';

function refused(options: ManifestOptions, message: RegExp): void {
  assert.throws(
    () => generateManifests(helloApp(), options),
    (err: unknown) => err instanceof UserError && message.test(err.message),
    `expected a UserError matching ${message.source}`,
  );
}

const istio = (route: RouteOptions): ManifestOptions => ({ route });
const httpRoute = (route: RouteOptions): ManifestOptions => ({ mode: 'httpRoute', route });

describe('routing manifest options', () => {
  it('formats durations for Istio and for the Gateway API', () => {
    assert.equal(istioDuration(15), '15s');
    assert.equal(istioDuration(0.5), '0.5s');
    assert.equal(istioDuration(0.001), '0.001s');
    assert.equal(gatewayDuration(2.5), '2500ms');
    assert.equal(gatewayDuration(86_400), '86400s');
    assert.throws(() => gatewayDuration(100.5), /whole seconds/);
    for (const bad of [0, -1, 0.0004, 1.0005, Number.NaN, 86_401]) {
      assert.throws(() => istioDuration(bad, 'Timeout'), /^UserError: Timeout must be a number of seconds/, String(bad));
    }
  });

  it('refuses pins, mirrors and policies that cannot be written', () => {
    refused(istio({ pins: [{ header: 'X-Version', value: 'v2', version: 'v2' }] }), /Header name "X-Version" must be lower-case/);
    refused(istio({ pins: [{ header: 'x-version', value: 'a\nb', version: 'v2' }] }), /Header value "a\\nb"/);
    refused(istio({ pins: [{ header: 'x-version', value: '', version: 'v2' }] }), /Header value ""/);
    refused(istio({ pins: [{ header: 'x-version', value: 'v2', version: 'v3' }] }), /names version "v3", which app "hello-app" does not route to/);
    const pin = { header: 'x-version', value: 'v2', version: 'v2' };
    refused(istio({ pins: [pin, { ...pin, version: 'v1' }] }), /pinned twice/);
    refused(istio({ mirror: { version: 'v9' } }), /Mirroring names version "v9"/);
    refused(istio({ mirror: { version: 'v2', percent: 0 } }), /Mirror percentage must be a percentage above 0/);
    refused(istio({ fault: {} }), /needs a delay, an abort, or both/);
    refused(istio({ fault: { delay: { percent: 120, seconds: 1 } } }), /Delay percentage/);
    refused(istio({ fault: { abort: { percent: 5, httpStatus: 99 } } }), /Abort HTTP status must be a whole number from 200 to 599/);
    refused(istio({ retries: { attempts: 11 } }), /Retry attempts/);
    refused(istio({ retries: { attempts: 2, retryOn: '5xx; rm' } }), /Retry conditions/);
    refused(istio({ timeoutSeconds: 0 }), /Timeout must be/);
    refused({ outlierDetection: { maxEjectionPercent: 101 } }, /Maximum ejection percentage/);
    refused({ outlierDetection: { consecutive5xxErrors: 0 } }, /Consecutive 5xx errors/);
  });

  it('refuses a Gateway host of "*" and malformed gateways', () => {
    refused({ gateway: { hosts: ['*'] } }, /cannot be shared with in-mesh routing/);
    refused({ gateway: { hosts: [] } }, /at least one host name/);
    refused({ gateway: { hosts: ['hello example.com'] } }, /is not a DNS name/);
    refused({ gateway: { hosts: ['a.example.com'], port: 70000 } }, /Gateway port/);
    refused({ gateway: { hosts: ['a.example.com'], selector: { istio: 'ingress gateway' } } }, /is not a valid Kubernetes label/);
    assert.doesNotThrow(() => generateManifests(helloApp(), { gateway: { hosts: ['*.example.com'] } }));
  });

  it('refuses what an HTTPRoute cannot express instead of dropping it', () => {
    refused(httpRoute({ fault: { abort: { percent: 5, httpStatus: 503 } } }), /Fault injection is not available with a Gateway API HTTPRoute/);
    refused(httpRoute({ retries: { attempts: 1 } }), /A retry policy is not available/);
    refused(httpRoute({ pins: [{ header: 'x-user', value: 'qa', match: 'prefix', version: 'v2' }] }), /A prefix header match is not available/);
    refused(httpRoute({ mirror: { version: 'v2', percent: 12.5 } }), /must be a whole number with an HTTPRoute/);
    refused(httpRoute({ timeoutSeconds: 100.5 }), /whole seconds/);
    const pins = Array.from({ length: 16 }, (_, i) => ({ header: 'x-user', value: `u${i}`, version: 'v2' }));
    refused(httpRoute({ pins }), /at most 15 header pins, not 16/);
    assert.doesNotThrow(() => generateManifests(helloApp(), httpRoute({ pins: pins.slice(1) })));
    refused({ mode: 'httpRoute', httpRoute: { hostnames: ['a.example.com'] } }, /only when the route is attached to a Gateway/);
    refused({ mode: 'httpRoute', httpRoute: { parentGateway: { name: 'Public' } } }, /Gateway name "Public"/);
  });

  it('refuses options of the other mode and unknown modes', () => {
    refused({ mode: 'httpRoute', gateway: { hosts: ['a.example.com'] } }, /apply only to the Istio mode/);
    refused({ mode: 'httpRoute', istioApiVersion: 'v1' }, /apply only to the Istio mode/);
    refused({ httpRoute: {} }, /apply only to the httpRoute mode/);
    refused({ mode: 'linkerd' as 'istio' }, /Routing mode must be istio or httpRoute, not "linkerd"/);
    refused({ istioApiVersion: 'v1alpha3' as 'v1' }, /Istio API version must be v1 or v1beta1/);
  });

  it('refuses bad proxy settings', () => {
    refused({ proxy: { style: { kind: 'nginx', image: 'nginx:1.27 ; sh' } } }, /^Proxy image: "nginx:1.27 ; sh" is not an image reference/);
    refused({ proxy: { style: { kind: 'simple-proxy', image: 'p:1', port: 0 } } }, /Simple-proxy port/);
    refused({ proxy: { replicas: -1 } }, /Proxy replicas/);
  });

  it('refuses an app whose weights do not total 100', () => {
    const app = helloApp();
    assert.throws(() => generateManifests({ ...app, versions: app.versions.map((v) => ({ ...v, weight: 60 })) }), /Weights total 120; they must total 100/);
  });

  it('does not mirror a pinned route to its own version', () => {
    const objects = generateManifests(helloApp(), istio({ pins: [{ header: 'x-v', value: '1', version: 'v1' }, { header: 'x-v', value: '2', version: 'v2' }], mirror: { version: 'v2' } }));
    const vs = objects.find((o) => o.kind === 'VirtualService') as unknown as { spec: { http: { name: string; mirror?: unknown }[] } };
    assert.deepEqual(
      vs.spec.http.map((r) => [r.name, r.mirror !== undefined]),
      [
        ['pin-1-v1', true],
        ['pin-2-v2', false],
        ['weighted', true],
      ],
    );
  });
});
