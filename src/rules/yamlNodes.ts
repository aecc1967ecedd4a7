// Lookups in `yaml` node trees: source offsets of keys and values, Kubernetes' reading of keys,
// and the span of the entry at a path. Shared by the parser wrapper and the edit computations.
import type { Node, Pair, ParsedNode } from 'yaml';
import { isMap, isPair, isScalar, isSeq } from 'yaml';
import type { YamlPath } from './problems';

/** Source offsets of one entry: the key (for mapping entries) and the value. */
export interface EntrySpan {
  readonly key?: readonly [number, number];
  readonly value: readonly [number, number];
  /** The pair holding the entry, for mapping entries (edits need it). */
  readonly pair?: Pair<ParsedNode, ParsedNode | null>;
  readonly node?: ParsedNode | null;
}

/**
 * The source span of the entry at `path`, found by walking the nodes (lookups are rare: only
 * for problems and edits, so no table is built per node). Aliased content has no span of its own.
 */
export function spanAt(root: ParsedNode | null, path: YamlPath): EntrySpan | undefined {
  if (!root) {
    return undefined;
  }
  let span: EntrySpan = { value: offsets(root), node: root };
  for (const segment of path) {
    const node = span.node;
    if (isSeq(node) && typeof segment === 'number') {
      const child = node.items[segment] as ParsedNode | null | undefined;
      if (!child) {
        return undefined;
      }
      span = { value: offsets(child), node: child };
    } else if (isMap(node) && typeof segment === 'string') {
      // The last pair with the key wins, as in the value (duplicates are reported separately).
      const pairs = node.items;
      let i = pairs.length - 1;
      while (i >= 0 && keyOf(pairs[i].key) !== segment) {
        i--;
      }
      if (i < 0) {
        return undefined;
      }
      const pair = pairs[i];
      span = { key: keyOffsets(pair), value: valueOffsets(pair), pair, node: pair.value };
    } else {
      return undefined;
    }
  }
  return span;
}

export const merge = Symbol('merge');

/** Kubernetes turns scalar keys into strings; collection and null keys cannot be applied. */
export function keyOf(key: unknown): string | typeof merge | undefined {
  if (!isScalar(key)) {
    return undefined;
  }
  if (typeof key.value === 'symbol') {
    return merge; // `<<` under the YAML 1.1 schema
  }
  const value: unknown = key.value;
  if (typeof value === 'string') {
    return value;
  }
  // A plain `y:` or `on:` key is a boolean in YAML 1.1; name it as written.
  return typeof value === 'number' || typeof value === 'boolean' ? (key.source ?? String(value)) : undefined;
}

export function offsets(node: Node): [number, number] {
  const range = node.range ?? [0, 0, 0];
  return [range[0], range[1]];
}

export function keyOffsets(pair: Pair<ParsedNode, ParsedNode | null>): [number, number] {
  if (isPair(pair) && pair.key && (pair.key as Node).range) {
    return offsets(pair.key);
  }
  return pair.value ? offsets(pair.value) : [0, 0];
}

/** Value offsets; an empty value (`key:`) points at its key so the problem is visible. */
export function valueOffsets(pair: Pair<ParsedNode, ParsedNode | null>): [number, number] {
  const value = pair.value ? offsets(pair.value) : undefined;
  return value && value[1] > value[0] ? value : keyOffsets(pair);
}
