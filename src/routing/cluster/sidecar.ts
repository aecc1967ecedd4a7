// Istio sidecar injection: whether a namespace or a pod is set up for it, whether a pod actually
// runs the `istio-proxy` container (without it routing silently does not apply), and labelling a
// namespace for injection. Mirrors the selectors of Istio's injection webhooks. Pure: no `vscode`.
import { UserError } from '../../common/errors';
import { sidecarInjectLabel } from '../manifests/kubeObject';
import { isDns1123Label } from '../names';
import { namespaceType } from './discovery';
import type { KubeClient } from '../../kube/objects/kubeClient';
import { objectError } from '../../kube/objects/resourceErrors';
import type { LiveObject } from '../../kube/objects/types';

export const injectionLabel = 'istio-injection';
export const revisionLabel = 'istio.io/rev';
export const sidecarContainer = 'istio-proxy';

export type SidecarState = 'injected' | 'missing' | 'unknown';

export interface NamespaceInjection {
  /** `enabled`: istio-injection=enabled; `revision`: istio.io/rev=<rev>; `disabled`: istio-injection=disabled. */
  readonly mode: 'enabled' | 'revision' | 'disabled' | 'none';
  readonly revision?: string;
}

type Labels = Readonly<Record<string, string>> | undefined;

export function namespaceInjection(labels: Labels): NamespaceInjection {
  const injection = labels?.[injectionLabel];
  if (injection === 'enabled') {
    return { mode: 'enabled' };
  }
  if (injection !== undefined) {
    // The webhooks skip a namespace with istio-injection set to anything else, whatever istio.io/rev says.
    return { mode: 'disabled' };
  }
  const revision = labels?.[revisionLabel];
  return revision !== undefined ? { mode: 'revision', revision } : { mode: 'none' };
}

/**
 * Whether Istio's webhooks would inject a sidecar into a pod with `podLabels` in a namespace with
 * `namespaceLabels`, and why, in words for the user.
 */
export function injectionDecision(namespaceLabels: Labels, podLabels: Labels): { readonly inject: boolean; readonly reason: string } {
  const ns = namespaceInjection(namespaceLabels);
  const pod = podLabels?.[sidecarInjectLabel];
  if (ns.mode === 'disabled') {
    return { inject: false, reason: `the namespace has ${injectionLabel}=${namespaceLabels?.[injectionLabel] ?? ''}` };
  }
  if (pod === 'false') {
    return { inject: false, reason: `the pod has ${sidecarInjectLabel}=false` };
  }
  if (ns.mode === 'enabled') {
    return { inject: true, reason: `the namespace has ${injectionLabel}=enabled` };
  }
  if (ns.mode === 'revision') {
    return { inject: true, reason: `the namespace has ${revisionLabel}=${ns.revision ?? ''}` };
  }
  if (pod === 'true' || podLabels?.[revisionLabel] !== undefined) {
    return { inject: true, reason: pod === 'true' ? `the pod has ${sidecarInjectLabel}=true` : `the pod has ${revisionLabel}` };
  }
  return { inject: false, reason: `neither the namespace (${injectionLabel}=enabled or ${revisionLabel}) nor the pod (${sidecarInjectLabel}=true) asks for it` };
}

interface ContainerSpec {
  readonly name?: string;
  readonly restartPolicy?: string;
}

function containers(pod: LiveObject, field: 'containers' | 'initContainers'): readonly ContainerSpec[] {
  const spec = pod.spec as Partial<Record<typeof field, ContainerSpec[]>> | undefined;
  return spec?.[field] ?? [];
}

/**
 * Whether the pod carries the `istio-proxy` sidecar, in either form istiod injects: a regular
 * container (older Kubernetes, or `ENABLE_NATIVE_SIDECARS=false`), or a native sidecar, an init
 * container with `restartPolicy: Always` (what istiod injects on Kubernetes 1.29+). An init
 * container of that name without `restartPolicy: Always` runs to completion before the app
 * starts: it is no proxy, so it does not count.
 */
export function podHasSidecar(pod: LiveObject): boolean {
  return (
    containers(pod, 'containers').some((c) => c.name === sidecarContainer) ||
    containers(pod, 'initContainers').some((c) => c.name === sidecarContainer && c.restartPolicy === 'Always')
  );
}

/** For a version's pods: `missing` as soon as one live pod lacks the sidecar; `unknown` without pods. */
export function sidecarState(pods: readonly LiveObject[]): SidecarState {
  const live = pods.filter((p) => !p.metadata.deletionTimestamp);
  if (live.length === 0) {
    return 'unknown';
  }
  return live.every(podHasSidecar) ? 'injected' : 'missing';
}

function checkNamespace(namespace: string): void {
  if (!isDns1123Label(namespace)) {
    throw new UserError(`Namespace ${JSON.stringify(namespace)} is not a valid Kubernetes namespace name`);
  }
}

export async function readNamespaceInjection(client: KubeClient, namespace: string): Promise<NamespaceInjection> {
  checkNamespace(namespace);
  const ref = { ...namespaceType, namespace: '', name: namespace };
  const ns = await client.get(ref).catch((err: unknown) => {
    throw objectError(ref, err);
  });
  if (!ns) {
    throw new UserError(`Namespace "${namespace}" does not exist`);
  }
  return namespaceInjection(ns.metadata.labels);
}

/**
 * Labels `namespace` with istio-injection=enabled (a merge patch of that one label), unless it is
 * already injected (by that label or by an istio.io/rev revision, which the label would override).
 * Pods created afterwards get the sidecar; running pods keep running without it until restarted.
 * Returns the namespace's injection after the call.
 */
export async function labelNamespaceForInjection(client: KubeClient, namespace: string): Promise<NamespaceInjection> {
  const now = await readNamespaceInjection(client, namespace);
  if (now.mode === 'enabled' || now.mode === 'revision') {
    return now;
  }
  const ref = { ...namespaceType, namespace: '', name: namespace };
  try {
    const patched = await client.mergePatch(ref, { metadata: { labels: { [injectionLabel]: 'enabled' } } });
    return namespaceInjection(patched.metadata.labels);
  } catch (err) {
    throw objectError(ref, err);
  }
}
