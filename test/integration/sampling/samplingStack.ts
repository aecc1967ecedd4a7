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
import { helloObjects, ref } from '../kube/kubeFixtures';

export const appHost = 'hello.fn-mesh.test';
/** The runner-lb stand-in: the proxy pods run on this machine and there is no cluster DNS. */
export const lbBaseUrl = (): string => requiredEnv('FN_MESH_TEST_LB_URL');

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
  const outcome = await resources.apply(helloObjects(namespace, weights, {}, lbBaseUrl()));
  if (!outcome.ok) {
    throw new Error(outcome.summary);
  }
  await exposeOnIngressGateway(client, namespace, 'hello-app', appHost);
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
  return {
    resources,
    view,
    target: resolved.target,
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
