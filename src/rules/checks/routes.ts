// The destinations of a VirtualService with their paths, shared by the weight, subset and
// cluster checks: http/tcp/tls routes, plus http mirrors (which need subsets too).
import type { YamlPath } from '../problems';
import { asArray, asRecord, asString, isRecord } from '../resources';

export type RouteKind = 'http' | 'tcp' | 'tls';

export interface RouteDestination {
  /** Path of the route entry (the item holding `destination` and `weight`). */
  readonly path: YamlPath;
  readonly host: string | undefined;
  readonly subset: string | undefined;
  /** The weight as written (any type), undefined when absent. */
  readonly weight: unknown;
}

export interface Route {
  readonly kind: RouteKind;
  /** Path of the route (e.g. spec.http[0]). */
  readonly path: YamlPath;
  readonly destinations: readonly RouteDestination[];
}

/** A host+subset a VirtualService sends traffic to, with the path of its `destination`-like node. */
export interface HostReference {
  /** Path of the node holding `host` and `subset`. */
  readonly path: YamlPath;
  readonly host: string;
  readonly subset: string | undefined;
}

const routeKinds: readonly RouteKind[] = ['http', 'tcp', 'tls'];

export function virtualServiceRoutes(value: unknown): Route[] {
  const spec = asRecord(asRecord(value).spec);
  return routeKinds.flatMap((kind) =>
    asArray(spec[kind]).map((route, i): Route => {
      const path: YamlPath = ['spec', kind, i];
      const destinations = asArray(asRecord(route).route).map((entry, j): RouteDestination => {
        const item = asRecord(entry);
        const destination = asRecord(item.destination);
        return { path: [...path, 'route', j], host: asString(destination.host), subset: asString(destination.subset), weight: item.weight };
      });
      return { kind, path, destinations };
    }),
  );
}

/** Every host+subset the VirtualService routes or mirrors to. */
export function virtualServiceReferences(value: unknown): HostReference[] {
  const refs: HostReference[] = [];
  const add = (node: unknown, path: YamlPath): void => {
    const host = isRecord(node) ? asString(node.host) : undefined;
    if (host && isRecord(node)) {
      refs.push({ path, host, subset: asString(node.subset) });
    }
  };
  for (const route of virtualServiceRoutes(value)) {
    for (const d of route.destinations) {
      if (d.host) {
        refs.push({ path: [...d.path, 'destination'], host: d.host, subset: d.subset });
      }
    }
  }
  const http = asArray(asRecord(asRecord(value).spec).http);
  http.forEach((route, i) => {
    const r = asRecord(route);
    add(r.mirror, ['spec', 'http', i, 'mirror']);
    asArray(r.mirrors).forEach((m, j) => add(asRecord(m).destination, ['spec', 'http', i, 'mirrors', j, 'destination']));
  });
  return refs;
}
