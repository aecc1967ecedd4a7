// Exposure on the ingress gateway: reading it back from live objects, planning it for a routed
// app (weights and options kept), and route option changes that keep the gateway binding.
import * as assert from 'node:assert/strict';
import type { LiveObject } from '../../../src/kube/objects/types';
import { defaultGatewayHost, findGatewayExposure, keptGateway, planGatewayExposure } from '../../../src/routing/gatewayExposure';
import { generateManifests } from '../../../src/routing/manifests/appManifests';
import type { SpecObject } from '../../../src/routing/manifests/kubeObject';
import { planRouteOptions } from '../../../src/routing/routeOptionsPlan';
import { helloApp } from '../../fixtures/routing/helloApp';

const live = (obj: SpecObject, resourceVersion = '7'): LiveObject => ({ ...obj, metadata: { ...obj.metadata, resourceVersion } });

function objects(gateway?: { hosts: string[]; port?: number }): { vs: LiveObject; gw?: LiveObject } {
  const all = generateManifests(helloApp(), {
    route: { pins: [{ header: 'x-canary', value: 'yes', version: 'v2' }], timeoutSeconds: 2 },
    ...(gateway ? { gateway } : {}),
  });
  const vs = all.find((o) => o.kind === 'VirtualService');
  const gw = all.find((o) => o.kind === 'Gateway');
  return { vs: live(vs as SpecObject), ...(gw ? { gw: live(gw as SpecObject) } : {}) };
}

const specOf = (o: object | undefined): Record<string, unknown> => ((o as { spec?: unknown } | undefined)?.spec ?? {}) as Record<string, unknown>;
const versionOf = (o: SpecObject | undefined): unknown => (o?.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;

describe('gateway exposure', () => {
  it('finds the gateway, host and port of an exposed VirtualService', () => {
    const { vs, gw } = objects({ hosts: ['hello.example.com'], port: 8000 });
    assert.deepEqual(findGatewayExposure(vs, gw ? [gw] : []), { gateway: 'hello/hello-app-gateway', host: 'hello.example.com', port: 8000 });
  });

  it('is undefined for a mesh-only route, a missing Gateway, or hosts the Gateway does not serve', () => {
    const meshOnly = objects();
    assert.equal(findGatewayExposure(meshOnly.vs, []), undefined);
    assert.equal(findGatewayExposure(undefined, []), undefined);
    const { vs, gw } = objects({ hosts: ['hello.example.com'] });
    assert.equal(findGatewayExposure(vs, []), undefined, 'the Gateway the route names is gone');
    const other = { ...(gw as LiveObject), spec: { servers: [{ port: { number: 80, protocol: 'HTTP', name: 'http' }, hosts: ['other.example.com'] }] } };
    assert.equal(findGatewayExposure(vs, [other]), undefined);
    const tls = { ...(gw as LiveObject), spec: { servers: [{ port: { number: 443, protocol: 'HTTPS', name: 'https' }, hosts: ['*'] }] } };
    assert.equal(findGatewayExposure(vs, [tls]), undefined, 'only HTTP servers count');
    const elsewhere = { ...(gw as LiveObject), metadata: { ...(gw as LiveObject).metadata, namespace: 'istio-system' } };
    assert.equal(findGatewayExposure(vs, [elsewhere]), undefined, 'a bare gateway name is in the route\'s namespace');
  });

  it('understands namespace/name references and wildcard and namespace-scoped server hosts', () => {
    const { vs } = objects({ hosts: ['hello.example.com'] });
    const shared: LiveObject = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'Gateway',
      metadata: { name: 'public', namespace: 'istio-system' },
      spec: { servers: [{ port: { number: 80, protocol: 'HTTP', name: 'http' }, hosts: ['hello/*.example.com'] }] },
    };
    const bound = { ...vs, spec: { ...specOf(vs), gateways: ['mesh', 'istio-system/public'] } };
    assert.deepEqual(findGatewayExposure(bound, [shared]), { gateway: 'istio-system/public', host: 'hello.example.com', port: 80 });
    const wrongScope = { ...shared, spec: { servers: [{ port: { number: 80, protocol: 'HTTP' }, hosts: ['other-ns/*.example.com'] }] } };
    assert.equal(findGatewayExposure(bound, [wrongScope]), undefined);
  });

  it('plans the Gateway and the VirtualService bound to it and to mesh, keeping weights and options', () => {
    const { vs } = objects();
    const plan = planGatewayExposure({ virtualService: vs });
    assert.equal(defaultGatewayHost(plan.app), 'hello-app.hello.example');
    assert.deepEqual(plan.exposure, { gateway: 'hello/hello-app-gateway', host: 'hello-app.hello.example', port: 80 });
    assert.deepEqual(
      plan.objects.map((o) => o.kind),
      ['Gateway', 'VirtualService'],
    );
    const [gateway, route] = plan.objects;
    assert.deepEqual(specOf(gateway), { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['hello-app.hello.example'] }] });
    assert.deepEqual(specOf(route).gateways, ['hello-app-gateway', 'mesh']);
    assert.deepEqual(specOf(route).hosts, ['hello-app', 'hello-app.hello.example']);
    assert.deepEqual(specOf(route).http, specOf(vs).http, 'weights, pin and timeout unchanged');
    assert.equal(versionOf(route), '7', 'guarded by the version read');
    assert.equal(versionOf(gateway), undefined, 'a new Gateway is created, not guarded');
    // Reading the plan back finds the exposure it made.
    assert.deepEqual(findGatewayExposure(live(route), [live(gateway)]), plan.exposure);
  });

  it('refuses a bad host or port before anything is written', () => {
    const { vs } = objects();
    assert.throws(() => planGatewayExposure({ virtualService: vs, host: 'not a host' }), /Gateway host "not a host" is not a DNS name/);
    assert.throws(() => planGatewayExposure({ virtualService: vs, host: '*' }), /cannot be shared with in-mesh routing/);
    assert.throws(() => planGatewayExposure({ virtualService: vs, port: 70000 }), /Gateway port must be a whole number from 1 to 65535, not 70000/);
  });

  it('route option changes keep the gateway binding', () => {
    const { vs } = objects({ hosts: ['hello.example.com'] });
    const plan = planRouteOptions({ virtualService: vs }, { kind: 'fault', fault: { abort: { percent: 50, httpStatus: 503 } } });
    const route = plan.objects.find((o) => o.kind === 'VirtualService');
    assert.deepEqual(specOf(route).gateways, ['hello-app-gateway', 'mesh']);
    assert.deepEqual(specOf(route).hosts, ['hello-app', 'hello.example.com']);
  });

  it('refuses to rewrite a VirtualService bound to gateways Fn Mesh did not write', () => {
    const { vs } = objects({ hosts: ['hello.example.com'] });
    const foreign = { ...vs, spec: { ...specOf(vs), gateways: ['istio-system/public', 'mesh'] } };
    assert.throws(() => keptGateway(foreign, helloApp()), /bound to gateways istio-system\/public, mesh that Fn Mesh did not write/);
    assert.throws(() => planRouteOptions({ virtualService: foreign }, { kind: 'clear' }), /did not write/);
    assert.equal(keptGateway(objects().vs, helloApp()), undefined);
  });
});
