// Subsets: every subset a VirtualService uses must be defined by a DestinationRule for its host
// (in the workspace or the cluster); DestinationRules must not repeat names or leave labels out;
// one route must not name the same host+subset twice.
import { visibleIn } from '../exportTo';
import { qualifyHost } from '../hosts';
import type { Problem, YamlPath } from '../problems';
import type { Json } from '../resources';
import { asArray, asRecord, asString, asStringMap, isIstio } from '../resources';
import type { IndexedResource, WorkspaceIndex } from '../workspaceIndex';
import type { Check } from './report';
import { displayName, report } from './report';
import { virtualServiceReferences, virtualServiceRoutes } from './routes';

export interface SubsetDefinition {
  readonly name: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
  readonly hasLabels: boolean;
  /** Path of the subset entry. */
  readonly path: YamlPath;
}

const subsetsByRule = new WeakMap<Json, SubsetDefinition[]>();

/** The subsets of a DestinationRule (memoized: parsed values are never modified). */
export function destinationRuleSubsets(value: Json): SubsetDefinition[] {
  let subsets = subsetsByRule.get(value);
  if (!subsets) {
    subsets = readSubsets(value);
    subsetsByRule.set(value, subsets);
  }
  return subsets;
}

function readSubsets(value: Json): SubsetDefinition[] {
  return asArray(asRecord(value.spec).subsets).map((s, i) => {
    const subset = asRecord(s);
    const labels = asStringMap(subset.labels);
    return { name: asString(subset.name), labels, hasLabels: Object.keys(asRecord(subset.labels)).length > 0, path: ['spec', 'subsets', i] };
  });
}

/**
 * The DestinationRules for a host that namespace `from` can see (exportTo), and the subset
 * definitions among them named `subset`.
 */
export function findSubset(index: WorkspaceIndex, fqdn: string, subset: string, from: string): { rules: readonly IndexedResource[]; found?: SubsetDefinition } {
  const rules = index.istioForHost('DestinationRule', fqdn).filter((r) => visibleIn(r, from));
  for (const rule of rules) {
    const found = destinationRuleSubsets(rule.value).find((s) => s.name === subset);
    if (found) {
      return { rules, found };
    }
  }
  return { rules };
}

export const checkSubsetReferences: Check = (resource, index) => {
  if (!isIstio(resource.ref, 'VirtualService')) {
    return [];
  }
  const problems: Problem[] = [];
  for (const ref of virtualServiceReferences(resource.value)) {
    if (ref.subset === undefined) {
      continue;
    }
    const fqdn = qualifyHost(ref.host, resource.namespace);
    const { rules, found } = findSubset(index, fqdn, ref.subset, resource.namespace);
    if (found) {
      continue;
    }
    const rule = rules.find((r) => r.uri !== undefined) ?? rules[0];
    const data = {
      host: ref.host,
      fqdn,
      subset: ref.subset,
      namespace: resource.namespace,
      ...(rule ? { destinationRule: { name: rule.ref.name, namespace: rule.namespace, uri: rule.uri, documentIndex: rule.doc?.index } } : {}),
    };
    if (rule) {
      const names = destinationRuleSubsets(rule.value).flatMap((s) => (s.name ? [s.name] : []));
      const has = names.length > 0 ? ` (it has ${names.join(', ')})` : ' (it has no subsets)';
      problems.push(report(resource, 'FNM301', `DestinationRule ${displayName(rule)} has no subset '${ref.subset}'${has}`, [...ref.path, 'subset'], { data }));
    } else {
      // Without a connection the rule may live only in the cluster: say so, more softly.
      const where = index.clusterFacts ? 'in the workspace or the cluster' : 'in the workspace (connect to see the cluster)';
      const message = `No DestinationRule for ${ref.host} ${where} defines subset '${ref.subset}'`;
      problems.push(report(resource, 'FNM301', message, [...ref.path, 'subset'], { data, ...(index.clusterFacts ? {} : { severity: 'warning' }) }));
    }
  }
  return problems;
};

/**
 * For each `fqdn`, the subsets that share a route with another subset of the same host, from
 * every VirtualService of the index (memoized per index build).
 */
const mixedByBuild = new WeakMap<readonly IndexedResource[], Map<string, Map<string, Set<string>>>>();

function subsetsRoutedBeside(index: WorkspaceIndex, fqdn: string, subset: string): ReadonlySet<string> {
  const all = index.resources();
  let table = mixedByBuild.get(all);
  if (!table) {
    table = new Map();
    for (const vs of all) {
      if (!isIstio(vs.ref, 'VirtualService')) {
        continue;
      }
      for (const route of virtualServiceRoutes(vs.value)) {
        const byHost = new Map<string, string[]>();
        for (const d of route.destinations) {
          if (d.host !== undefined && d.subset !== undefined) {
            const host = qualifyHost(d.host, vs.namespace);
            byHost.set(host, [...(byHost.get(host) ?? []), d.subset]);
          }
        }
        for (const [host, subsets] of byHost) {
          const perSubset = table.get(host) ?? new Map<string, Set<string>>();
          table.set(host, perSubset);
          for (const s of subsets) {
            const beside = perSubset.get(s) ?? new Set<string>();
            perSubset.set(s, beside);
            subsets.filter((o) => o !== s).forEach((o) => beside.add(o));
          }
        }
      }
    }
    mixedByBuild.set(all, table);
  }
  return table.get(fqdn)?.get(subset) ?? new Set();
}

export const checkDestinationRuleSubsets: Check = (resource, index) => {
  if (!isIstio(resource.ref, 'DestinationRule')) {
    return [];
  }
  const host = asString(asRecord(resource.value.spec).host);
  const fqdn = host === undefined ? undefined : qualifyHost(host, resource.namespace);
  const labelled = new Set(destinationRuleSubsets(resource.value).flatMap((s) => (s.hasLabels && s.name !== undefined ? [s.name] : [])));
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const subset of destinationRuleSubsets(resource.value)) {
    if (subset.name === undefined) {
      continue;
    }
    if (seen.has(subset.name)) {
      problems.push(report(resource, 'FNM302', `Subset '${subset.name}' is defined twice`, [...subset.path, 'name']));
    }
    seen.add(subset.name);
    if (!subset.hasLabels) {
      // Only a route that splits traffic between it and a labelled subset of the same host is
      // misled; alone (an external host, a subset carrying only a traffic policy) it is the usual pattern.
      const beside = fqdn === undefined ? [] : [...subsetsRoutedBeside(index, fqdn, subset.name)].filter((o) => labelled.has(o));
      const message =
        beside.length > 0
          ? `Subset '${subset.name}' has no labels: it selects every endpoint of the host, including those of ${beside.join(', ')} it shares a route with`
          : `Subset '${subset.name}' has no labels: it selects every endpoint of the host`;
      problems.push(report(resource, 'FNM303', message, [...subset.path, 'name'], beside.length > 0 ? {} : { severity: 'info' }));
    }
  }
  return problems;
};

export const checkRepeatedDestinations: Check = (resource) => {
  if (!isIstio(resource.ref, 'VirtualService')) {
    return [];
  }
  const problems: Problem[] = [];
  for (const route of virtualServiceRoutes(resource.value)) {
    const seen = new Set<string>();
    for (const d of route.destinations) {
      if (d.host === undefined) {
        continue;
      }
      const key = `${qualifyHost(d.host, resource.namespace)}|${d.subset ?? ''}`;
      if (seen.has(key)) {
        const what = d.subset === undefined ? d.host : `${d.host} subset ${d.subset}`;
        problems.push(report(resource, 'FNM304', `${what} appears twice in this route; merge the two and add their weights`, [...d.path, 'destination'], { key: true }));
      }
      seen.add(key);
    }
  }
  return problems;
};
