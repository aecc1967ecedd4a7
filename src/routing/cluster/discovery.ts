// Which routing APIs the cluster serves (API discovery), and the kinds Fn Mesh manages in them.
// Pure: no `vscode`.
import { gatewayApiVersion } from '../manifests/httpRouteManifests';
import type { IstioApiVersion } from '../manifests/istioManifests';
import type { KubeClient } from '../../kube/objects/kubeClient';
import type { ResourceType } from '../../kube/objects/types';

export interface RoutingApis {
  /** `v1` where served, else `v1beta1`; undefined when the cluster has no Istio networking API. */
  readonly istio: IstioApiVersion | undefined;
  /** Whether `gateway.networking.k8s.io/v1` HTTPRoute is served. */
  readonly httpRoute: boolean;
}

const istioGroup = 'networking.istio.io';

/**
 * Each of `kinds` that the cluster serves in `networking.istio.io`, in the version Fn Mesh prefers
 * (`v1`, else `v1beta1`), in the order given; kinds served in neither are left out. The one
 * reading of Istio's API versions (Route Traffic and the cluster-aware rule checks share it).
 */
export async function servedIstioTypes(client: Pick<KubeClient, 'servedKinds'>, kinds: readonly string[]): Promise<ResourceType[]> {
  const [v1, v1beta1] = await Promise.all([client.servedKinds(`${istioGroup}/v1`), client.servedKinds(`${istioGroup}/v1beta1`)]);
  return kinds.flatMap((kind): ResourceType[] => {
    const version: IstioApiVersion | undefined = v1?.has(kind) ? 'v1' : v1beta1?.has(kind) ? 'v1beta1' : undefined;
    return version ? [{ apiVersion: `${istioGroup}/${version}`, kind }] : [];
  });
}

export async function discoverRoutingApis(client: Pick<KubeClient, 'servedKinds'>): Promise<RoutingApis> {
  const [[virtualService], gateway] = await Promise.all([servedIstioTypes(client, ['VirtualService']), client.servedKinds(gatewayApiVersion)]);
  const istio = virtualService ? (virtualService.apiVersion.slice(istioGroup.length + 1) as IstioApiVersion) : undefined;
  return { istio, httpRoute: gateway?.has('HTTPRoute') ?? false };
}

export const configMapType: ResourceType = { apiVersion: 'v1', kind: 'ConfigMap' };
export const deploymentType: ResourceType = { apiVersion: 'apps/v1', kind: 'Deployment' };
export const serviceType: ResourceType = { apiVersion: 'v1', kind: 'Service' };
export const podType: ResourceType = { apiVersion: 'v1', kind: 'Pod' };
export const namespaceType: ResourceType = { apiVersion: 'v1', kind: 'Namespace' };
export const httpRouteType: ResourceType = { apiVersion: gatewayApiVersion, kind: 'HTTPRoute' };

export function istioType(apis: RoutingApis, kind: 'VirtualService' | 'DestinationRule' | 'Gateway'): ResourceType | undefined {
  return apis.istio ? { apiVersion: `${istioGroup}/${apis.istio}`, kind } : undefined;
}

/** Every kind Fn Mesh creates for an app that this cluster serves (not Pods or ReplicaSets: their owners go). */
export function managedTypes(apis: RoutingApis): ResourceType[] {
  const istio = (['DestinationRule', 'VirtualService', 'Gateway'] as const).map((k) => istioType(apis, k));
  return [configMapType, deploymentType, serviceType, ...istio.filter((t): t is ResourceType => t !== undefined), ...(apis.httpRoute ? [httpRouteType] : [])];
}
