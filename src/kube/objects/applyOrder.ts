// The order in which Fn Mesh writes and deletes an app's objects. Pure: no `vscode`.
//
// Apply: what a route names must exist first: the proxies' configuration and Deployments, the
// Services, the DestinationRule's subsets, and only then the routes (VirtualService or HTTPRoute)
// and the ingress Gateway. Removal goes the other way, routes first, so traffic never points at
// a subset or a Service that is already gone.
import type { ResourceType } from './types';

const applyKinds = ['Namespace', 'ConfigMap', 'Deployment', 'Service', 'DestinationRule', 'VirtualService', 'HTTPRoute', 'Gateway'];
const removalKinds = ['VirtualService', 'HTTPRoute', 'Gateway', 'DestinationRule', 'Service', 'Deployment', 'ConfigMap', 'Namespace'];

function sortBy<T extends ResourceType>(objects: readonly T[], kinds: readonly string[]): T[] {
  // Kinds not listed go last; the sort is stable, so objects of one kind keep their order.
  const rank = (o: T): number => {
    const i = kinds.indexOf(o.kind);
    return i < 0 ? kinds.length : i;
  };
  return [...objects].sort((a, b) => rank(a) - rank(b));
}

export function sortForApply<T extends ResourceType>(objects: readonly T[]): T[] {
  return sortBy(objects, applyKinds);
}

export function sortForRemoval<T extends ResourceType>(objects: readonly T[]): T[] {
  return sortBy(objects, removalKinds);
}
