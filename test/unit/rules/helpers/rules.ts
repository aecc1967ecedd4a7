// Shared helpers for the rule tests: the generated schemas, one-call validation and a compact
// notation for problems ("FNM201 4:14-4:16", 0-based line:character, end exclusive).
import * as path from 'node:path';
import type { ClusterFacts } from '../../../../src/rules/clusterFacts';
import type { Problem } from '../../../../src/rules/problems';
import type { SchemaStore } from '../../../../src/rules/schemaStore';
import { loadSchemaStore } from '../../../../src/rules/schemaStore';
import { validateText } from '../../../../src/rules/validate';
import type { TextEdit } from '../../../../src/rules/yamlEdits';
import { parseYaml } from '../../../../src/rules/yamlDocuments';

/** The repository root (tests run from out/test/unit/rules/helpers). */
export const repoRoot = path.resolve(__dirname, '..', '..', '..', '..', '..');

let store: SchemaStore | undefined;
export function schemas(): SchemaStore {
  store ??= loadSchemaStore(path.join(repoRoot, 'schemas'));
  return store;
}

export interface Options {
  readonly cluster?: ClusterFacts;
  readonly otherFiles?: Readonly<Record<string, string>>;
  readonly defaultNamespace?: string;
}

export function validate(text: string, options: Options = {}): Problem[] {
  return validateText(text, schemas(), options);
}

/** "FNM201 4:14-4:16" */
export function brief(p: Problem): string {
  const { start, end } = p.range;
  return `${p.code} ${start.line}:${start.character}-${end.line}:${end.character}`;
}

export function briefs(text: string, options: Options = {}): string[] {
  return validate(text, options).map(brief);
}

export function codes(text: string, options: Options = {}): string[] {
  return validate(text, options).map((p) => p.code);
}

/** The text a range covers. */
export function textAt(text: string, p: Problem): string {
  const file = parseYaml(text);
  return text.slice(file.offsetAt(p.range.start), file.offsetAt(p.range.end));
}

/** Applies non-overlapping edits to a text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const file = parseYaml(text);
  const sorted = [...edits].sort((a, b) => file.offsetAt(b.range.start) - file.offsetAt(a.range.start));
  let out = text;
  for (const e of sorted) {
    out = out.slice(0, file.offsetAt(e.range.start)) + e.newText + out.slice(file.offsetAt(e.range.end));
  }
  return out;
}

/** Joins lines into a YAML text (keeps test sources readable). */
export function yaml(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}
