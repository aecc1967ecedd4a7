// Shared by the sampling end-to-end suites: hello-app routed 90/10 in a test namespace, bound to
// the Istio ingress gateway, and the sampler pointed at it the way Start Sampling does it
// (resolveSamplingTarget: the gateway's port-forward with the app's host as Host).
import type { KubeConfig } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { createKubeResources, type KubeResources } from '../../../src/routing/cluster/kubeResources';
import type { RoutedAppView } from '../../../src/routing/cluster/routingView';
import type { Weights, WeightsSource } from '../../../src/sampling/samplerStats';
import { resolveSamplingTarget, type SamplingTarget } from '../../../src/sampling/ui/samplingTarget';
import type { KubeClient } from '../../../src/kube/objects/kubeClient';
import { eventually } from '../../helpers/controlPlane';
import { requiredEnv } from '../../helpers/integrationEnv';
import { exposeOnIngressGateway } from '../../helpers/gatewayExposure';
import { generateManifests } from '../../../src/routing/manifests/appManifests';
import { buildRoutedApp } from '../../../src/routing/model';
import type { FnFunction } from '../../../src/fn/model';
import { callJson } from '../../helpers/integrationEnv';
import { httpRequest } from '../../../src/common/http';
import { ref } from '../kube/kubeFixtures';

/** The app's host on the gateway: one per namespace, so suites never share a route. */
export const appHost = (namespace: string): string => `hello.${namespace}.fn-mesh.test`;
/** The runner-lb stand-in: the proxy pods run on this machine and there is no cluster DNS. */
export const lbBaseUrl = (): string => requiredEnv('FN_MESH_TEST_LB_URL');

/** hello-app's functions v1 and v2 and their triggers as the real Fn server (seeded by scripts/fnserver.sh) has them. */
async function helloFunctionsFromFn(): Promise<FnFunction[]> {
  const base = `${requiredEnv('FN_MESH_TEST_FN_URL')}/v2`;
  const app = ((await callJson('GET', `${base}/apps?name=hello-app`)).items as { id: string }[])[0];
  const fns = (await callJson('GET', `${base}/fns?app_id=${app.id}`)).items as { id: string; name: string; image: string }[];
  const triggers = (await callJson('GET', `${base}/triggers?app_id=${app.id}`)).items as { id: string; fn_id: string; name: string; type: string; source: string }[];
  // With their HTTP triggers, the proxies call /t/hello-app/<version> (a GET works there; /invoke needs POST).
  return fns
    .filter((f) => f.name === 'v1' || f.name === 'v2')
    .map((f) => ({
      appName: 'hello-app',
      name: f.name,
      id: f.id,
      image: f.image,
      annotations: {},
      triggers: triggers.filter((t) => t.fn_id === f.id).map((t) => ({ id: t.id, name: t.name, type: t.type, source: t.source })),
    }));
}

export interface RoutedStack {
  readonly resources: KubeResources;
  readonly view: RoutedAppView;
  readonly target: SamplingTarget;
  /** Configured weights from the route's watch. */
  readonly weights: WeightsSource & { dispose(): void };
}

/** Routes hello-app with `weights`, exposes it on the gateway, waits for both proxies, opens the target. */
export async function routeAndExpose(client: KubeClient, config: KubeConfig, namespace: string, weights: Record<string, number>): Promise<RoutedStack> {
  const resources = createKubeResources(client);
  const app = buildRoutedApp({ fnAppName: 'hello-app', namespace, api: 'v2', lbBaseUrl: lbBaseUrl(), functions: await helloFunctionsFromFn(), weights: new Map(Object.entries(weights)) });
  const outcome = await resources.apply(generateManifests(app));
  if (!outcome.ok) {
    throw new Error(outcome.summary);
  }
  await exposeOnIngressGateway(client, namespace, 'hello-app', appHost(namespace));
  for (const v of ['v1', 'v2']) {
    await eventually(
      `Deployment hello-app-${v} ready`,
      async () => ((await client.get(ref(namespace, 'Deployment', `hello-app-${v}`)))?.status as { readyReplicas?: number } | undefined)?.readyReplicas === 1 || undefined,
      120_000,
      500,
    );
  }
  let current: Weights = weights;
  const listeners = new Set<(w: Weights) => void>();
  let latest: RoutedAppView | undefined;
  const watch = await resources.watchRouting(namespace, (apps) => {
    const app = apps.find((a) => a.appName === 'hello-app');
    if (!app) {
      return;
    }
    latest = app;
    const next = Object.fromEntries(app.versions.map((v) => [v.version, v.weight]));
    if (JSON.stringify(next) !== JSON.stringify(current)) {
      current = next;
      listeners.forEach((l) => l(next));
    }
  });
  const view = await eventually('hello-app in the routing watch', () => latest, 20_000);
  const resolved = await resolveSamplingTarget(view, { resources, config, overrideUrl: '' });
  if (resolved.kind !== 'target') {
    watch.dispose();
    throw new Error(`hello-app is not exposed: ${resolved.reason}`);
  }
  // istiod pushes the new route and endpoints to the gateway a moment after the objects exist.
  const target = resolved.target;
  await eventually(
    'the gateway routes hello-app to a proxy',
    async () => {
      const res = await httpRequest({ method: 'GET', url: `${target.url}/`, headers: { host: appHost(namespace) } }).catch(() => undefined);
      return res && res.status === 200 && res.headers['x-fn-mesh-version'] ? true : undefined;
    },
    60_000,
    500,
  );
  return {
    resources,
    view,
    target,
    weights: {
      current: () => current,
      onDidChange: (l) => {
        listeners.add(l);
        return { dispose: () => listeners.delete(l) };
      },
      dispose: () => watch.dispose(),
    },
  };
}
