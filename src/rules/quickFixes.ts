// Quick fixes as pure edit computations: given a problem (with its data) and the index, the
// edits that repair it, possibly in another file (a DestinationRule elsewhere). The VS Code
// layer turns them into a WorkspaceEdit.
import { apportion } from '../common/apportion';
import type { RuleCode } from './codes';
import { virtualServiceReferences, virtualServiceRoutes } from './checks/routes';
import { qualifyHost, serviceOfHost } from './hosts';
import type { Problem, Range, YamlPath } from './problems';
import { asArray, asNumber, asRecord, asString, gatewayApi, isRecord, resourceRef } from './resources';
import type { WorkspaceIndex } from './workspaceIndex';
import type { TextEdit } from './yamlEdits';
import { appendItem, insertEntry, removeEntry, replaceValue, scalarText, withLineBreaks } from './yamlEdits';
import type { YamlDocument, YamlFile } from './yamlDocuments';

export interface FileEdit extends TextEdit {
  readonly uri: string;
}

export interface QuickFix {
  readonly title: string;
  readonly code: RuleCode;
  readonly edits: readonly FileEdit[];
  /** The fix to apply with "Fix all" / the light bulb's first choice. */
  readonly preferred: boolean;
}

/** The quick fixes for a problem reported on file `uri`. */
export function quickFixesFor(problem: Problem, uri: string, index: WorkspaceIndex): QuickFix[] {
  const file = index.file(uri);
  const doc = problem.documentIndex === undefined ? undefined : file?.documents[problem.documentIndex];
  if (!file || !doc || !problem.path) {
    return [];
  }
  const path = problem.path;
  const fix = (title: string, edits: (TextEdit | undefined)[], preferred = true, target = uri): QuickFix[] => {
    const defined = edits.filter((e): e is TextEdit => e !== undefined);
    return defined.length === 0 ? [] : [{ title, code: problem.code, edits: defined.map((e) => ({ ...e, uri: target })), preferred }];
  };
  switch (problem.code) {
    case 'FNM202':
    case 'FNM203':
    case 'FNM205': {
      const routePath = problem.code === 'FNM205' ? path.slice(0, -3) : path.slice(0, -1);
      // A zero total carries no traffic to keep: an even split is a guess, never the preferred fix.
      const title = problem.code === 'FNM202' ? 'Split traffic evenly (weights adding up to 100)' : 'Normalize weights to add up to 100 (same traffic)';
      return fix(title, normalizeWeightEdits(file, doc, routePath), problem.code !== 'FNM202');
    }
    case 'FNM204':
      return fix('Remove the weight of the single destination', [removeEntry(file, doc, path)]);
    case 'FNM301':
      return subsetFixes(problem, uri, doc, index);
    case 'FNM402': {
      const qualified = Array.isArray(problem.data?.qualified) ? problem.data.qualified.filter((q): q is string => typeof q === 'string') : [];
      return qualified.flatMap((q, i) => fix(`Qualify the gateway as ${q}`, [replaceValue(file, doc, path, scalarText(q))], i === 0));
    }
    default:
      return [];
  }
}

/**
 * Weights scaled to integers adding up to 100 without moving traffic: a missing weight counts as
 * `missing` (0 for Istio, whose destinations without a weight get none of the traffic when
 * others have one; 1 for Gateway API backendRefs, the API's default). When every weight is 0
 * there is no traffic to keep, and the split is even. Rounding: largest remainder (apportion).
 */
export function normalizedWeights(weights: readonly (number | undefined)[], missing = 0): number[] {
  const values = weights.map((w) => (w === undefined ? missing : w));
  const scaled = apportion(values, 100);
  return scaled.some((w) => w > 0) ? scaled : apportion(values.map(() => 1), 100);
}

function normalizeWeightEdits(file: YamlFile, doc: YamlDocument, routePath: YamlPath): (TextEdit | undefined)[] {
  const entries = weightedEntries(doc.value, routePath);
  if (!entries || entries.list.length === 0) {
    return [];
  }
  const weights = normalizedWeights(entries.list.map((e) => (e.weight === undefined ? undefined : (asNumber(e.weight) ?? 0))), entries.missing);
  return entries.list.map((e, i) =>
    e.weight === undefined ? insertEntry(file, doc, e.path, 'weight', weights[i]) : replaceValue(file, doc, [...e.path, 'weight'], String(weights[i])),
  );
}

/** The weighted entries of a VirtualService route or an HTTPRoute rule at `routePath`. */
function weightedEntries(value: unknown, routePath: YamlPath): { list: { path: YamlPath; weight: unknown }[]; missing: number } | undefined {
  const ref = resourceRef(value);
  if (ref?.group === gatewayApi) {
    const rule = asRecord(asArray(asRecord(asRecord(value).spec).rules)[Number(routePath[2])]);
    const list = asArray(rule.backendRefs).map((r, i) => ({ path: [...routePath, 'backendRefs', i], weight: asRecord(r).weight }));
    return routePath.length === 3 && routePath[1] === 'rules' ? { list, missing: 1 } : undefined;
  }
  const route = virtualServiceRoutes(value).find((r) => samePath(r.path, routePath));
  return route ? { list: route.destinations.map((d) => ({ path: d.path, weight: d.weight })), missing: 0 } : undefined;
}

function subsetFixes(problem: Problem, uri: string, doc: YamlDocument, index: WorkspaceIndex): QuickFix[] {
  const host = asString(problem.data?.host);
  const subset = asString(problem.data?.subset);
  const namespace = asString(problem.data?.namespace) ?? index.defaultNamespace;
  if (!host || !subset) {
    return [];
  }
  const rule = isRecord(problem.data?.destinationRule) ? problem.data.destinationRule : undefined;
  const ruleUri = asString(rule?.uri);
  const ruleFile = ruleUri === undefined ? undefined : index.file(ruleUri);
  const ruleDoc = typeof rule?.documentIndex === 'number' ? ruleFile?.documents[rule.documentIndex] : undefined;
  if (ruleUri && ruleFile && ruleDoc) {
    const edit = appendItem(ruleFile, ruleDoc, ['spec', 'subsets'], subsetEntry(subset));
    const name = asString(rule?.name) ?? 'the DestinationRule';
    return edit ? [{ title: `Add subset ${subset} to DestinationRule ${name}`, code: problem.code, edits: [{ ...edit, uri: ruleUri }], preferred: true }] : [];
  }
  if (rule) {
    return []; // the rule lives only in the cluster: nothing to edit here
  }
  // Every subset this VirtualService uses for the host goes into the new rule.
  const fqdn = qualifyHost(host, namespace);
  const subsets = [
    ...new Set(virtualServiceReferences(doc.value).flatMap((r) => (r.subset !== undefined && qualifyHost(r.host, namespace) === fqdn ? [r.subset] : []))),
  ];
  const file = index.file(uri);
  if (!file) {
    return [];
  }
  const text = newDestinationRuleText(host, namespace, resourceRef(doc.value)?.namespace !== undefined, subsets.length > 0 ? subsets : [subset]);
  const end = file.positionAt(file.text.length);
  const separator = file.text.length === 0 || file.text.endsWith('\n') ? '' : '\n';
  const edit: FileEdit = { uri, range: { start: end, end } satisfies Range, newText: withLineBreaks(file.text, `${separator}${text}`) };
  return [{ title: `Create a DestinationRule for ${host} with subset${subsets.length > 1 ? 's' : ''} ${subsets.join(', ')}`, code: problem.code, edits: [edit], preferred: true }];
}

/** Fn Mesh's convention: subset `v1` selects pods labelled `version: v1`. */
function subsetEntry(subset: string): Record<string, unknown> {
  return { name: subset, labels: { version: subset } };
}

function newDestinationRuleText(host: string, namespace: string, explicitNamespace: boolean, subsets: readonly string[]): string {
  const name = serviceOfHost(host, namespace)?.name ?? host.replace(/[^a-z0-9.-]/gi, '-').toLowerCase();
  const lines = [
    '---',
    'apiVersion: networking.istio.io/v1',
    'kind: DestinationRule',
    'metadata:',
    `  name: ${scalarText(name)}`,
    ...(explicitNamespace ? [`  namespace: ${scalarText(namespace)}`] : []),
    'spec:',
    `  host: ${scalarText(host)}`,
    '  subsets:',
    ...subsets.flatMap((s) => [`  - name: ${scalarText(s)}`, '    labels:', `      version: ${scalarText(s)}`]),
  ];
  return `${lines.join('\n')}\n`;
}

function samePath(a: YamlPath, b: YamlPath): boolean {
  return a.length === b.length && a.every((p, i) => p === b[i]);
}
