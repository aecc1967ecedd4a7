// Corpus: every object Fn Mesh generates validates clean with Fn Mesh's own rule checks, for the
// hello-app fixture and each manifest option variant. The v1beta1 variant may only be told that a
// newer API version exists (FNM110); anything else would mean the generator writes rules the
// editor then flags.
import * as assert from 'node:assert/strict';
import { generateManifests, type ManifestOptions } from '../../../src/routing/manifests/appManifests';
import { toYaml } from '../../../src/kube/objects/yaml';
import { helloApp, oddNamesApp } from '../../fixtures/routing/helloApp';
import { brief, validate } from './helpers/rules';

const routeOptions: ManifestOptions['route'] = {
  pins: [
    { header: 'x-fn-version', value: 'v2', version: 'v2' },
    { header: 'x-canary', value: 'yes', match: 'prefix', version: 'v1' },
  ],
  fault: { delay: { percent: 10, seconds: 0.5 }, abort: { percent: 5, httpStatus: 503 } },
  mirror: { version: 'v2', percent: 20 },
  timeoutSeconds: 15,
  retries: { attempts: 3, perTryTimeoutSeconds: 2.5, retryOn: 'connect-failure,refused-stream' },
};

const gateway: ManifestOptions['gateway'] = { hosts: ['hello.example.com', '*.apps.example.com'], port: 8080, selector: { istio: 'ingressgateway' } };

/** Each variant, by name, with the codes it may report (none unless said). */
const variants: readonly { name: string; options: ManifestOptions; allowed?: readonly string[] }[] = [
  { name: 'istio v1 (default)', options: {} },
  { name: 'istio v1beta1', options: { istioApiVersion: 'v1beta1' }, allowed: ['FNM110'] },
  { name: 'istio v1 with every route option', options: { route: routeOptions } },
  { name: 'istio v1beta1 with every route option', options: { istioApiVersion: 'v1beta1', route: routeOptions }, allowed: ['FNM110'] },
  { name: 'istio v1 with outlier detection', options: { outlierDetection: { consecutive5xxErrors: 3, intervalSeconds: 10, baseEjectionSeconds: 30, maxEjectionPercent: 50 } } },
  { name: 'istio v1 with an ingress gateway', options: { gateway } },
  { name: 'istio v1beta1 with an ingress gateway and options', options: { istioApiVersion: 'v1beta1', gateway, route: routeOptions }, allowed: ['FNM110'] },
  { name: 'istio v1 with three replicas of a simple proxy', options: { proxy: { replicas: 3, style: { kind: 'simple-proxy', image: 'example.com/proxy:1', port: 9000 } } } },
  { name: 'httpRoute (in-mesh)', options: { mode: 'httpRoute' } },
  {
    name: 'httpRoute with pins and a timeout',
    options: { mode: 'httpRoute', route: { pins: routeOptions.pins?.filter((p) => p.match !== 'prefix'), timeoutSeconds: 15 } },
  },
  { name: 'httpRoute on a gateway', options: { mode: 'httpRoute', httpRoute: { parentGateway: { name: 'public', namespace: 'ingress', sectionName: 'http' }, hostnames: ['hello.example.com'] } } },
];

function problemsOf(text: string, allowed: readonly string[] = []): string[] {
  return validate(text)
    .filter((p) => !allowed.includes(p.code))
    .map((p) => `${brief(p)} ${p.message}`);
}

describe('rules/generated corpus', () => {
  for (const { name, options, allowed } of variants) {
    it(`hello-app, ${name}: every generated object validates clean`, () => {
      const objects = generateManifests(helloApp(), options);
      const text = toYaml(objects);
      assert.deepEqual(problemsOf(text, allowed), [], text);
    });
  }

  it('the 2018 Fn API app and an app with odd function names validate clean too', () => {
    for (const app of [helloApp('v1'), oddNamesApp()]) {
      const text = toYaml(generateManifests(app, { route: { timeoutSeconds: 30 } }));
      assert.deepEqual(problemsOf(text), [], text);
    }
  });

  it('the v1beta1 variant reports FNM110 once per Istio object and nothing else', () => {
    const text = toYaml(generateManifests(helloApp(), { istioApiVersion: 'v1beta1', gateway }));
    const codes = validate(text).map((p) => p.code);
    assert.deepEqual(codes, ['FNM110', 'FNM110', 'FNM110']);
  });

  it('previews clean while connected to a cluster that has none of the new objects yet (Route Traffic preview)', () => {
    const text = toYaml(generateManifests(helloApp(), {}));
    const cluster = { services: [], workloads: [], namespaces: [{ name: 'hello', labels: { 'istio-injection': 'enabled' } }], resources: [] };
    assert.deepEqual(
      validate(text, { cluster }).map((p) => `${brief(p)} ${p.message}`),
      [],
      text,
    );
  });
});
