// Shared by the Kubernetes integration tests: the walkthrough's hello-app objects in a test
// namespace, and a KubeClient wrapper that lets a test act between two requests of the code
// under test (another client's write, a permission change) and counts the requests.
import type { ManifestOptions } from '../../../src/routing/manifests/appManifests';
import { generateManifests } from '../../../src/routing/manifests/appManifests';
import type { KubeObject } from '../../../src/routing/manifests/kubeObject';
import { withWeights } from '../../../src/routing/model';
import type { ApplyOptions, KubeClient } from '../../../src/kube/objects/kubeClient';
import type { LiveObject, ObjectRef, ObjectToWrite } from '../../../src/kube/objects/types';
import { helloApp } from '../../fixtures/routing/helloApp';

/** hello-app (v1 → function v1, v2 → function v2) in `namespace`, 90/10 unless `weights` say otherwise. */
export function helloObjects(namespace: string, weights?: Record<string, number>, options: ManifestOptions = {}, lbBaseUrl?: string): KubeObject[] {
  let app = { ...helloApp('v2', lbBaseUrl), namespace };
  if (weights) {
    app = withWeights(app, new Map(Object.entries(weights)));
  }
  return generateManifests(app, options);
}

export function ref(namespace: string, kind: string, name: string): ObjectRef {
  const apiVersion =
    { VirtualService: 'networking.istio.io/v1', DestinationRule: 'networking.istio.io/v1', Deployment: 'apps/v1', HTTPRoute: 'gateway.networking.k8s.io/v1' }[kind] ?? 'v1';
  return { apiVersion, kind, namespace, name };
}

export function weightsOfVs(vs: LiveObject | undefined): number[] {
  const http = (vs?.spec as { http?: { route?: { weight?: number }[] }[] } | undefined)?.http ?? [];
  return (http[http.length - 1]?.route ?? []).map((r) => r.weight ?? 0);
}

export interface Hooks {
  /** Runs before the wrapped client's apply (after its own dry-runs too: check `options.dryRun`). */
  beforeApply?(obj: ObjectToWrite, options: ApplyOptions): Promise<void> | void;
  /** Runs after a get, before the code under test sees the result. */
  afterGet?(ref: ObjectRef, result: LiveObject | undefined): Promise<void> | void;
  beforeDelete?(ref: ObjectRef): Promise<void> | void;
}

export interface Recorded {
  readonly writes: string[];
}

/** `client` with `hooks`; `recorded.writes` lists every write as `verb Kind/name`. */
export function wrapClient(client: KubeClient, hooks: Hooks = {}): KubeClient & { recorded: Recorded } {
  const recorded: Recorded = { writes: [] };
  const name = (r: ObjectRef | ObjectToWrite): string => `${r.kind}/${'name' in r ? r.name : r.metadata.name}`;
  return {
    recorded,
    servedKinds: (gv) => client.servedKinds(gv),
    async get(r) {
      const result = await client.get(r);
      await hooks.afterGet?.(r, result);
      return result;
    },
    list: (type, ns, selector) => client.list(type, ns, selector),
    async apply(obj, options = {}) {
      await hooks.beforeApply?.(obj, options);
      if (!options.dryRun) {
        recorded.writes.push(`apply ${name(obj)}`);
      }
      return client.apply(obj, options);
    },
    jsonPatch(r, ops) {
      recorded.writes.push(`patch ${name(r)}`);
      return client.jsonPatch(r, ops);
    },
    mergePatch(r, patch) {
      recorded.writes.push(`merge ${name(r)}`);
      return client.mergePatch(r, patch);
    },
    async delete(r, options) {
      await hooks.beforeDelete?.(r);
      recorded.writes.push(`delete ${name(r)}`);
      return client.delete(r, options);
    },
    watch: (type, ns, selector, listener) => client.watch(type, ns, selector, listener),
  };
}
