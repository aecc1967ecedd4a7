// Golden files of every generated object set (UPDATE_GOLDEN=1 rewrites them), plus checks that
// the objects of each set fit together, so a wrong golden file cannot hide a broken generator.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadAll } from 'js-yaml';
import { generateManifests, type ManifestOptions } from '../../../src/routing/manifests/appManifests';
import type { KubeObject } from '../../../src/routing/manifests/kubeObject';
import type { RoutedApp } from '../../../src/routing/model';
import { toYaml } from '../../../src/kube/objects/yaml';
import { helloApp, oddNamesApp } from '../../fixtures/routing/helloApp';

const goldenDir = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'routing', 'golden');
const update = process.env.UPDATE_GOLDEN === '1';

interface Variant {
  readonly app: RoutedApp;
  readonly options?: ManifestOptions;
}

const options: ManifestOptions = {
  gateway: { hosts: ['hello.example.com'] },
  proxy: { style: { kind: 'nginx', image: 'registry.example.com/mirror/nginx:1.27.3-alpine' }, replicas: 2, nginx: { maxBodyMegabytes: 6, connectTimeoutSeconds: 2 } },
  route: {
    pins: [
      { header: 'x-fn-version', value: 'v2', version: 'v2' },
      { header: 'x-canary-user', value: 'qa-', match: 'prefix', version: 'v2' },
    ],
    fault: { delay: { percent: 10, seconds: 0.5 }, abort: { percent: 1.5, httpStatus: 503 } },
    mirror: { version: 'v2', percent: 20 },
    timeoutSeconds: 15,
    retries: { attempts: 2, perTryTimeoutSeconds: 5, retryOn: 'connect-failure,refused-stream,503' },
  },
  outlierDetection: { consecutive5xxErrors: 3, intervalSeconds: 5, baseEjectionSeconds: 60, maxEjectionPercent: 50 },
};

const variants: Record<string, Variant> = {
  'istio-v1': { app: helloApp() },
  'istio-v1beta1': { app: helloApp(), options: { istioApiVersion: 'v1beta1' } },
  'istio-options': { app: helloApp(), options },
  'simple-proxy': { app: helloApp(), options: { proxy: { style: { kind: 'simple-proxy', image: 'registry.example.com/fn/simple-proxy:1.0' } } } },
  'api-2018': { app: helloApp('v1') },
  httproute: { app: helloApp(), options: { mode: 'httpRoute' } },
  'httproute-gateway': {
    app: helloApp(),
    options: {
      mode: 'httpRoute',
      httpRoute: { parentGateway: { name: 'public', namespace: 'istio-ingress', sectionName: 'http' }, hostnames: ['hello.example.com'] },
      route: { pins: [{ header: 'x-fn-version', value: 'v2', version: 'v2' }], timeoutSeconds: 2.5, mirror: { version: 'v2', percent: 25 } },
    },
  },
  'odd-names': { app: oddNamesApp() },
};

type Labels = Record<string, string>;

/** The generated objects as a cluster would read them: through the YAML text. */
interface Obj {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; labels: Labels; annotations: Labels };
  spec?: unknown;
  data?: Record<string, string>;
}

/** Views of the fields the checks read, per kind. */
interface DeploymentSpec {
  selector: { matchLabels: Labels };
  template: {
    metadata: { labels: Labels; annotations?: Labels };
    spec: { containers: { env?: { name: string; value: string }[] }[]; volumes?: { configMap: { name: string } }[] };
  };
}
interface ServiceSpec {
  selector: Labels;
  ports: { name: string; port: number }[];
}
interface DestinationRuleSpec {
  subsets: { name: string; labels: Labels }[];
}
interface VirtualServiceSpec {
  gateways?: string[];
  http: { name: string; route: { destination: { host: string; subset: string }; weight?: number }[] }[];
}
interface HttpRouteSpec {
  rules: { name: string; backendRefs: { name: string; port: number; weight?: number }[] }[];
}

function spec<T>(o: Obj | undefined): T {
  assert.ok(o?.spec, `${o?.kind ?? 'object'} has a spec`);
  return o.spec as T;
}

function parse(text: string): Obj[] {
  return loadAll(text) as Obj[];
}

function ofKind(objects: Obj[], kind: string): Obj[] {
  return objects.filter((o) => o.kind === kind);
}

function matches(selector: Labels, labels: Labels): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** Checks that hold for every generated set; each failure names the broken link. */
function checkConsistency(app: RoutedApp, objects: Obj[]): void {
  const versions = app.versions.map((v) => v.version);
  const names = new Set<string>();
  for (const o of objects) {
    assert.equal(o.metadata.labels['app.kubernetes.io/managed-by'], 'fn-mesh', `${o.kind}/${o.metadata.name} managed-by`);
    assert.equal(o.metadata.labels['app.kubernetes.io/part-of'], app.appName, `${o.kind}/${o.metadata.name} part-of`);
    assert.equal(o.metadata.annotations['fn-mesh.io/app'], app.fnAppName);
    assert.equal(o.metadata.namespace, app.namespace);
    assert.ok(!names.has(`${o.kind}/${o.metadata.name}`), `duplicate ${o.kind}/${o.metadata.name}`);
    names.add(`${o.kind}/${o.metadata.name}`);
    // ConfigMap names are DNS subdomains (253); every other name here is also a label or a Service.
    assert.ok(o.metadata.name.length <= (o.kind === 'ConfigMap' ? 253 : 63), `${o.metadata.name} is too long`);
    assert.match(o.metadata.name, /^[a-z]([-a-z0-9]*[a-z0-9])?$/);
  }

  const deployments = ofKind(objects, 'Deployment').map((d) => ({ meta: d.metadata, spec: spec<DeploymentSpec>(d) }));
  assert.equal(deployments.length, versions.length, 'one Deployment per version');
  for (const d of deployments) {
    const pod = d.spec.template.metadata.labels;
    const version = app.versions.find((v) => v.version === pod.version);
    assert.ok(version, `Deployment ${d.meta.name} runs an unknown version ${pod.version}`);
    assert.ok(matches(d.spec.selector.matchLabels, pod), 'selector selects its own pods');
    assert.equal(pod['sidecar.istio.io/inject'], 'true');
    assert.equal(pod.app, app.appName);
    assert.equal(d.meta.annotations['fn-mesh.io/function'], version.fnName);
    assert.equal(d.meta.annotations['fn-mesh.io/invoke-path'], version.upstream.path);
    assert.equal(d.meta.annotations['fn-mesh.io/function-id'], version.fnId);
    const volume = d.spec.template.spec.volumes?.[0];
    if (volume) {
      const configMap = ofKind(objects, 'ConfigMap').find((c) => c.metadata.name === volume.configMap.name);
      assert.ok(configMap, `Deployment ${d.meta.name} mounts a missing ConfigMap`);
      const conf = Object.values(configMap.data ?? {})[0] ?? '';
      assert.ok(conf.includes(`add_header X-Fn-Mesh-Version ${version.version} always;`), 'the proxy names its own version');
      assert.ok(conf.includes(`rewrite ^ ${version.upstream.path} break;`), 'the proxy forwards to its own function');
    } else {
      assert.deepEqual(d.spec.template.spec.containers[0]?.env, [
        { name: 'UPSTREAM', value: version.upstream.baseUrl },
        { name: 'ROUTE', value: version.upstream.path },
      ]);
    }
  }
  const podLabels = deployments.map((d) => d.spec.template.metadata.labels);
  const selected = (selector: Labels): number => podLabels.filter((l) => matches(selector, l)).length;

  const appService = spec<ServiceSpec>(ofKind(objects, 'Service').find((s) => s.metadata.name === app.appName));
  assert.equal(selected(appService.selector), versions.length, 'the app Service selects every version');
  assert.equal(appService.ports[0]?.name, 'http');

  const virtualService = ofKind(objects, 'VirtualService')[0];
  if (virtualService) {
    const { subsets } = spec<DestinationRuleSpec>(ofKind(objects, 'DestinationRule')[0]);
    assert.deepEqual(
      subsets.map((s) => s.name),
      versions,
    );
    for (const s of subsets) {
      assert.equal(selected(s.labels), 1, `subset ${s.name} selects exactly one Deployment's pods`);
    }
    const { http, gateways } = spec<VirtualServiceSpec>(virtualService);
    const weighted = http.find((r) => r.name === 'weighted');
    assert.equal(http[http.length - 1], weighted, 'the weighted route comes last (pins first)');
    assert.deepEqual(
      weighted?.route.map((r) => [r.destination.subset, r.weight]),
      app.versions.map((v) => [v.version, v.weight]),
    );
    assert.equal(
      weighted?.route.reduce((a, r) => a + (r.weight ?? 0), 0),
      100,
    );
    for (const route of http.flatMap((r) => r.route)) {
      assert.equal(route.destination.host, app.appName);
      assert.ok(versions.includes(route.destination.subset));
    }
    for (const g of gateways ?? []) {
      assert.ok(g === 'mesh' || ofKind(objects, 'Gateway').some((o) => o.metadata.name === g), `gateway ${g} exists`);
    }
  }

  const route = ofKind(objects, 'HTTPRoute')[0];
  if (route) {
    const { rules } = spec<HttpRouteSpec>(route);
    const weighted = rules.find((r) => r.name === 'weighted');
    assert.deepEqual(
      weighted?.backendRefs.map((b) => b.weight),
      app.versions.map((v) => v.weight),
    );
    for (const ref of rules.flatMap((r) => r.backendRefs)) {
      const service = spec<ServiceSpec>(ofKind(objects, 'Service').find((s) => s.metadata.name === ref.name));
      assert.equal(selected(service.selector), 1, `${ref.name} selects one version`);
      assert.equal(ref.port, service.ports[0]?.port);
    }
  }
}

describe('routing manifests', () => {
  for (const [name, variant] of Object.entries(variants)) {
    describe(name, () => {
      const text = toYaml(generateManifests(variant.app, variant.options));
      const file = path.join(goldenDir, `${name}.yaml`);

      it(`matches the golden file ${name}.yaml`, () => {
        if (update) {
          fs.mkdirSync(goldenDir, { recursive: true });
          fs.writeFileSync(file, text);
        }
        assert.ok(fs.existsSync(file), `${file} is missing: run the tests with UPDATE_GOLDEN=1 and review the new file`);
        assert.equal(text, fs.readFileSync(file, 'utf8'), `${name}.yaml differs: if the change is intended, rerun with UPDATE_GOLDEN=1 and review the diff`);
      });

      it('fits together: labels, selectors, subsets, weights, proxies', () => {
        checkConsistency(variant.app, parse(text));
      });
    });
  }

  describe('golden folder', () => {
    // In its own suite: mocha runs a suite's tests before its child suites, which write the files.
    it('has no golden file without a variant', () => {
      const files = fs.readdirSync(goldenDir).filter((f) => f.endsWith('.yaml'));
      assert.deepEqual(files.sort(), Object.keys(variants).map((n) => `${n}.yaml`).sort());
    });
  });

  it('orders objects for apply: ConfigMaps, Deployments, Services, then rules (DestinationRule before VirtualService)', () => {
    const kinds = (o: ManifestOptions): string[] => generateManifests(helloApp(), o).map((x: KubeObject) => x.kind);
    assert.deepEqual(kinds({ gateway: { hosts: ['a.example.com'] } }), ['ConfigMap', 'ConfigMap', 'Deployment', 'Deployment', 'Service', 'Gateway', 'DestinationRule', 'VirtualService']);
    assert.deepEqual(kinds({ mode: 'httpRoute' }), ['ConfigMap', 'ConfigMap', 'Deployment', 'Deployment', 'Service', 'Service', 'Service', 'HTTPRoute']);
  });

  it('changes the pod template hash when the nginx configuration changes', () => {
    const hash = (o: ManifestOptions): string | undefined =>
      spec<DeploymentSpec>(parse(toYaml(generateManifests(helloApp(), o))).find((x) => x.kind === 'Deployment')).template.metadata.annotations?.['fn-mesh.io/config-hash'];
    assert.match(hash({}) ?? '', /^[0-9a-f]{16}$/);
    assert.equal(hash({}), hash({}));
    assert.notEqual(hash({}), hash({ proxy: { nginx: { maxBodyMegabytes: 1 } } }));
  });
});
