// Converts a file of 2018 config.istio.io/v1alpha2 RouteRules and DestinationPolicies into
// networking.istio.io/v1 VirtualServices and DestinationRules: one VirtualService per
// destination (its RouteRules become http routes, highest precedence first) and one
// DestinationRule per destination that needs subsets or a policy. Other documents are kept as
// they are. The notes say what had no equivalent.
import { stringify } from 'yaml';
import { serviceOfHost } from './hosts';
import type { ConvertedPolicy } from './migration/destinationPolicy';
import { convertDestinationPolicy } from './migration/destinationPolicy';
import type { MigrationNote } from './migration/notes';
import { NoteSink } from './migration/notes';
import type { ConvertedRoute } from './migration/routeRule';
import { convertRouteRule } from './migration/routeRule';
import type { Json } from './resources';
import { asRecord, legacyIstioConfig, resourceRef } from './resources';
import { parseYaml } from './yamlDocuments';

export interface MigrationResult {
  /** The new file's objects: converted resources where their first source was, others unchanged. */
  readonly resources: readonly Json[];
  /** The same, as a multi-document YAML text. */
  readonly yaml: string;
  readonly notes: readonly MigrationNote[];
  /** How many RouteRules and DestinationPolicies were converted. */
  readonly converted: number;
}

interface Group {
  readonly host: string;
  readonly namespace: string | undefined;
  readonly routes: { route: ConvertedRoute; order: number; name: string }[];
  readonly policies: ConvertedPolicy[];
}

type Slot = { readonly kept: unknown } | { readonly group: Group };

export function migrateText(text: string): MigrationResult {
  const file = parseYaml(text);
  const notes: MigrationNote[] = [];
  const slots: Slot[] = [];
  const groups = new Map<string, Group>();
  let converted = 0;
  const groupFor = (host: string, namespace: string | undefined): Group => {
    const key = `${namespace ?? ''}|${host}`;
    let group = groups.get(key);
    if (!group) {
      group = { host, namespace, routes: [], policies: [] };
      groups.set(key, group);
      slots.push({ group });
    }
    return group;
  };
  for (const doc of file.documents) {
    const ref = resourceRef(doc.value);
    const sink = new NoteSink(doc.index);
    if (!ref || ref.group !== legacyIstioConfig || (ref.kind !== 'RouteRule' && ref.kind !== 'DestinationPolicy')) {
      if (ref?.group === legacyIstioConfig) {
        sink.warn(['kind'], `${ref.kind} is not converted (only RouteRule and DestinationPolicy are); kept as it is`);
      }
      if (doc.value !== null && doc.value !== undefined) {
        slots.push({ kept: doc.value });
      }
      notes.push(...sink.notes);
      continue;
    }
    const value = asRecord(doc.value);
    if (ref.kind === 'RouteRule') {
      const route = convertRouteRule(value, sink);
      if (route) {
        groupFor(route.host, ref.namespace).routes.push({ route, order: doc.index, name: ref.name ?? `document ${doc.index + 1}` });
        converted++;
      }
    } else {
      const policy = convertDestinationPolicy(value, sink);
      if (policy) {
        groupFor(policy.host, ref.namespace).policies.push(policy);
        converted++;
      }
    }
    notes.push(...sink.notes);
  }
  const resources = slots.flatMap((slot) => ('kept' in slot ? [slot.kept as Json] : groupResources(slot.group, notes)));
  const yaml = resources.map((r) => stringify(r, { lineWidth: 0 })).join('---\n');
  return { resources, yaml, notes, converted };
}

function groupResources(group: Group, notes: MigrationNote[]): Json[] {
  const name = serviceOfHost(group.host, group.namespace ?? 'default')?.name ?? group.host.toLowerCase().replace(/[^a-z0-9.-]+/g, '-');
  const metadata = { name, ...(group.namespace ? { namespace: group.namespace } : {}) };
  const out: Json[] = [];
  if (group.routes.length > 0) {
    // Highest precedence first; among equals, rules with a match before catch-alls, then file order.
    const ordered = [...group.routes].sort(
      (a, b) => b.route.precedence - a.route.precedence || Number(b.route.hasMatch) - Number(a.route.hasMatch) || a.order - b.order,
    );
    for (let i = 1; i < ordered.length; i++) {
      if (ordered[i].route.precedence === ordered[i - 1].route.precedence) {
        notes.push({
          severity: 'info',
          message: `RouteRules ${ordered[i - 1].name} and ${ordered[i].name} have the same precedence; their routes keep the order shown`,
          documentIndex: ordered[i].order,
          path: ['spec', 'precedence'],
        });
      }
    }
    const http = ordered.map((r) => r.route.http);
    if (ordered.every((r) => r.route.hasMatch)) {
      // In 2018 a request no RouteRule matched went to the service's instances as if there were
      // no rule; a v1 VirtualService answers it with 404. Keep the old behaviour, and say so.
      http.push({ route: [{ destination: { host: group.host } }] });
      notes.push({
        severity: 'info',
        message: `Every RouteRule for ${group.host} has a match: added a last route without match to ${group.host} (all versions), as the 2018 mesh sent unmatched requests there; without it they would get 404`,
        documentIndex: ordered[ordered.length - 1].order,
        path: ['spec', 'match'],
      });
    }
    out.push({
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata,
      spec: { hosts: [group.host], http },
    });
  }
  const rule = destinationRule(group, notes);
  if (rule) {
    out.push({ apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata, spec: rule });
  }
  return out;
}

function destinationRule(group: Group, notes: MigrationNote[]): Json | undefined {
  const subsets = new Map<string, Json>();
  const addSubset = (name: string, labels: Readonly<Record<string, string>>, documentIndex: number): Json => {
    const existing = subsets.get(name);
    if (existing && JSON.stringify(existing.labels) !== JSON.stringify(labels)) {
      notes.push({ severity: 'warning', message: `Subset ${name} is used with different labels; the first ones are kept`, documentIndex, path: ['spec'] });
    }
    const subset = existing ?? { name, labels };
    subsets.set(name, subset);
    return subset;
  };
  // Route subsets only exist in the DestinationRule of their own host.
  for (const { route, order } of group.routes) {
    for (const s of route.subsets.filter((n) => n.host === group.host)) {
      addSubset(s.name, s.labels, order);
    }
  }
  let trafficPolicy: Json | undefined;
  for (const policy of group.policies) {
    if (policy.subset) {
      addSubset(policy.subset.name, policy.subset.labels, 0).trafficPolicy = policy.trafficPolicy;
    } else {
      trafficPolicy = { ...(trafficPolicy ?? {}), ...policy.trafficPolicy };
    }
  }
  const otherHostSubsets = group.routes.flatMap(({ route }) => route.subsets.filter((n) => n.host !== group.host));
  for (const s of otherHostSubsets) {
    notes.push({
      severity: 'warning',
      message: `Subset ${s.name} of ${s.host} needs a DestinationRule for ${s.host}: add one (Fn Mesh's quick fix can)`,
      documentIndex: group.routes[0]?.order ?? 0,
      path: ['spec', 'route'],
    });
  }
  if (subsets.size === 0 && !trafficPolicy) {
    return undefined;
  }
  return {
    host: group.host,
    ...(trafficPolicy && Object.keys(trafficPolicy).length > 0 ? { trafficPolicy } : {}),
    ...(subsets.size > 0 ? { subsets: [...subsets.values()] } : {}),
  };
}

/** Whether a text holds anything `migrateText` converts (to offer the command). */
export function hasLegacyRules(text: string): boolean {
  return parseYaml(text).documents.some((d) => {
    const ref = resourceRef(d.value);
    return ref?.group === legacyIstioConfig && (ref.kind === 'RouteRule' || ref.kind === 'DestinationPolicy');
  });
}

