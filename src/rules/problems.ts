// Plain problems with ranges and codes: what every rule module returns. A thin adapter in the
// VS Code layer turns them into diagnostics; nothing here depends on VS Code.
import type { RuleCode, Severity } from './codes';

/** A position in a text: both 0-based; `character` counts UTF-16 code units, as VS Code does. */
export interface Position {
  readonly line: number;
  readonly character: number;
}

/** A range of a text; `end` is exclusive. */
export interface Range {
  readonly start: Position;
  readonly end: Position;
}

/** A path into a YAML document's value: mapping keys and sequence indexes. */
export type YamlPath = readonly (string | number)[];

export interface Problem {
  readonly range: Range;
  readonly severity: Severity;
  readonly code: RuleCode;
  readonly message: string;
  /** Path of the offending node in its document, when the problem is about one node. */
  readonly path?: YamlPath;
  /** Index of the document in a multi-document file. */
  readonly documentIndex?: number;
  /** Facts a quick fix needs (host, subset, namespace...); plain JSON data. */
  readonly data?: Readonly<Record<string, unknown>>;
}

export const zeroRange: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

/** Problems in reading order (then by code), so results and tests are stable. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) => comparePositions(a.range.start, b.range.start) || comparePositions(a.range.end, b.range.end) || a.code.localeCompare(b.code),
  );
}
