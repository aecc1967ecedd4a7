// Parses a (multi-document) YAML text into plain values plus the source range of every key and
// value, so that every later check can point at the exact offending text. Never throws: bad
// input becomes problems. Uses `yaml` (eemeli) because it keeps source ranges; js-yaml does not.
import type { Alias, Document, ParsedNode } from 'yaml';
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseAllDocuments } from 'yaml';
import type { RuleCode } from './codes';
import { ruleCodes } from './codes';
import type { Position, Problem, Range, YamlPath } from './problems';
import type { InputLimits } from './yamlGuards';
import { defaultInputLimits, refuseInput } from './yamlGuards';
import type { EntrySpan } from './yamlNodes';
import { readPlainYaml } from './yamlFastPath';
import { kubernetesTags } from './yamlFastScalars';
import { keyOf, keyOffsets, merge, spanAt } from './yamlNodes';

export interface ParseOptions extends Partial<InputLimits> {
  /** Most alias dereferences per document, nested ones included (as `yaml`'s maxAliasCount). */
  readonly maxAliasCount?: number;
  /** Most nodes materialised through aliases per document. */
  readonly maxAliasNodes?: number;
  /** Most problems reported for one file. */
  readonly maxProblems?: number;
}

export interface YamlDocument {
  /** 0-based position of the document in its file. */
  readonly index: number;
  /** Plain value (undefined when the document could not be expanded safely). */
  readonly value: unknown;
  readonly range: Range;
  /** The `yaml` document, for edit computations. */
  readonly ast: Document.Parsed;
  /** Offsets of the entry at `path`, if the path exists in the source. */
  span(path: YamlPath): EntrySpan | undefined;
  /** Range of the key at `path` (falls back to its value, then to the nearest ancestor). */
  keyRange(path: YamlPath): Range;
  /** Range of the value at `path` (falls back to the nearest ancestor). */
  valueRange(path: YamlPath): Range;
}

export interface YamlFile {
  readonly text: string;
  readonly documents: readonly YamlDocument[];
  /** YAML-level problems (syntax, duplicate keys, tabs, aliases, refused input). */
  readonly problems: readonly Problem[];
  positionAt(offset: number): Position;
  offsetAt(position: Position): number;
}

const defaults = { maxAliasCount: 100, maxAliasNodes: 10_000, maxProblems: 200 };

export function parseYaml(text: string, options: ParseOptions = {}): YamlFile {
  const limits = { ...defaultInputLimits, ...defaults, ...options };
  const lineCounter = new LineCounter();
  const problems: Problem[] = [];
  const file = newFile(text, lineCounter, problems);

  const refusal = refuseInput(text, limits);
  if (refusal) {
    lineCounter.addNewLine(0);
    for (let i = text.indexOf('\n'); i >= 0 && i < refusal.offset; i = text.indexOf('\n', i + 1)) {
      lineCounter.addNewLine(i + 1);
    }
    const at = file.positionAt(refusal.offset);
    problems.push(problem('FNM005', refusal.message, { start: at, end: at }));
    return file;
  }
  const plain = readPlainYaml(text, limits.maxDepth);
  if (plain) {
    // Plain YAML without problems: values now, ranges from the full parser when first asked for
    // (only documents with a problem, or a quick fix, ever ask).
    lineCounter.addNewLine(0);
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
      lineCounter.addNewLine(i + 1);
    }
    let full: YamlFile | undefined;
    const fullDocument = (index: number): YamlDocument | undefined => (full ??= parseFull(text, limits)).documents[index];
    plain.forEach((d, index) => file.documents.push(lazyDocument(index, d.value, () => fullDocument(index), file)));
    return file;
  }
  return parseFull(text, limits);
}

/** parseYaml without the fast path (the differential test holds the two together). */
export function parseYamlFull(text: string, options: ParseOptions = {}): YamlFile {
  const limits = { ...defaultInputLimits, ...defaults, ...options };
  return refuseInput(text, limits) ? parseYaml(text, options) : parseFull(text, limits);
}

/** The full parse: every node with its source range, and every problem of the text. */
function parseFull(text: string, limits: Required<ParseOptions>): YamlFile {
  const lineCounter = new LineCounter();
  const problems: Problem[] = [];
  const file = newFile(text, lineCounter, problems);
  try {
    const docs = parseAllDocuments(text, {
      lineCounter,
      prettyErrors: false,
      // Duplicate keys are found in buildDocument with a Set: the parser's own check compares
      // each key with every earlier one (quadratic: seconds for a 20,000-key mapping).
      uniqueKeys: false,
      version: '1.1',
      customTags: kubernetesTags,
    });
    for (const [index, doc] of docs.entries()) {
      for (const error of doc.errors) {
        problems.push(problem(errorCode(error.code), firstLine(error.message), file.rangeOf(error.pos[0], error.pos[1]), { documentIndex: index }));
      }
      for (const warning of doc.warnings) {
        const range = file.rangeOf(warning.pos[0], warning.pos[1]);
        problems.push({ ...problem('FNM001', firstLine(warning.message), range, { documentIndex: index }), severity: 'warning' });
      }
      file.documents.push(buildDocument(doc, index, file, limits));
    }
  } catch (err) {
    // The parser reports its own errors as values; this is a last line of defence.
    problems.push(problem('FNM001', `YAML parser failed: ${err instanceof Error ? err.message : String(err)}`, file.rangeOf(0, 0)));
  }
  if (problems.length > limits.maxProblems) {
    problems.length = limits.maxProblems;
  }
  return file;
}

/** A document read by the fast path; its ranges and AST come from the full parse, on demand. */
function lazyDocument(index: number, value: unknown, full: () => YamlDocument | undefined, file: MutableFile): YamlDocument {
  const start = file.rangeOf(0, 0);
  return {
    index,
    value,
    get range() {
      return full()?.range ?? start;
    },
    get ast() {
      const doc = full();
      if (!doc) {
        throw new Error(`YAML document ${index} not found by the full parser`);
      }
      return doc.ast;
    },
    span: (path) => full()?.span(path),
    keyRange: (path) => full()?.keyRange(path) ?? start,
    valueRange: (path) => full()?.valueRange(path) ?? start,
  };
}

interface MutableFile extends YamlFile {
  readonly documents: YamlDocument[];
  readonly problems: Problem[];
  rangeOf(start: number, end: number): Range;
}

function newFile(text: string, lineCounter: LineCounter, problems: Problem[]): MutableFile {
  const positionAt = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(Math.max(0, Math.min(offset, text.length)));
    return { line: Math.max(0, line - 1), character: Math.max(0, col - 1) };
  };
  return {
    text,
    documents: [],
    problems,
    positionAt,
    offsetAt: (position) => {
      const starts = lineCounter.lineStarts;
      const lineStart = starts[Math.min(position.line, starts.length - 1)] ?? 0;
      const next = starts[position.line + 1] ?? text.length + 1;
      return Math.min(lineStart + position.character, next - 1, text.length);
    },
    rangeOf: (start, end) => ({ start: positionAt(start), end: positionAt(Math.max(start, end)) }),
  };
}

export function problem(code: RuleCode, message: string, range: Range, extra: Partial<Problem> = {}): Problem {
  return { range, severity: ruleCodes[code].severity, code, message, ...extra };
}

function errorCode(code: string): RuleCode {
  return code === 'DUPLICATE_KEY' ? 'FNM002' : code === 'TAB_AS_INDENT' ? 'FNM003' : 'FNM001';
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

class AliasLimitError extends Error {}

/** Walks one document's nodes once, building its value and its path -> span table. */
function buildDocument(doc: Document.Parsed, index: number, file: MutableFile, limits: Required<ParseOptions>): YamlDocument {
  let aliasCount = 0;
  let aliasNodes = 0;
  let tooDeep = false;

  // `record` is false inside aliased content: its nodes live elsewhere in the text.
  const build = (node: ParsedNode | Alias | null, record: boolean, depth: number): unknown => {
    if (depth > limits.maxDepth) {
      tooDeep = true;
      return undefined;
    }
    if (!record && ++aliasNodes > limits.maxAliasNodes) {
      throw new AliasLimitError(`Aliases expand to more than ${limits.maxAliasNodes} nodes`);
    }
    if (node === null) {
      return null;
    }
    if (isAlias(node)) {
      if (++aliasCount > limits.maxAliasCount) {
        throw new AliasLimitError(`More than ${limits.maxAliasCount} aliases are expanded`);
      }
      const target = node.resolve(doc);
      return target ? build(target as ParsedNode, false, depth + 1) : null;
    }
    if (isScalar(node)) {
      const v = node.value;
      return v === null || ['string', 'number', 'boolean'].includes(typeof v) ? v : String(node.source ?? v);
    }
    if (isSeq(node)) {
      return node.items.map((item) => build(item as ParsedNode | null, record, depth + 1));
    }
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      const merges: unknown[] = [];
      const seen = record ? new Set<unknown>() : undefined;
      for (const item of node.items) {
        const pair = item;
        if (seen && isScalar(pair.key) && typeof pair.key.value !== 'symbol') {
          // Same rule as the parser's uniqueKeys: equal scalar values (1 and "1" differ); `<<` may repeat.
          const identity = typeof pair.key.value === 'string' ? pair.key.value : `\u0000${typeof pair.key.value}:${String(pair.key.value)}`;
          if (seen.has(identity)) {
            const at = keyOffsets(pair)[0];
            file.problems.push(problem('FNM002', 'Map keys must be unique', file.rangeOf(at, at + 1), { documentIndex: index }));
          }
          seen.add(identity);
        }
        const key = keyOf(pair.key);
        if (key === merge) {
          merges.push(build(pair.value, false, depth + 1));
          continue;
        }
        if (key === undefined) {
          if (record) {
            file.problems.push(problem('FNM006', 'Keys must be strings, numbers or booleans', file.rangeOf(...keyOffsets(pair)), { documentIndex: index }));
          }
          continue;
        }
        define(out, key, build(pair.value, record, depth + 1));
      }
      // Explicit keys win over merged ones, whatever their order (as in Kubernetes' parser).
      for (const source of merges.flatMap((m): unknown[] => (Array.isArray(m) ? (m as unknown[]) : [m]))) {
        if (source !== null && typeof source === 'object') {
          for (const [k, v] of Object.entries(source as Record<string, unknown>)) {
            if (!Object.prototype.hasOwnProperty.call(out, k)) {
              define(out, k, v);
            }
          }
        }
      }
      return out;
    }
    return undefined;
  };

  let value: unknown;
  const contents = doc.contents;
  try {
    value = build(contents, true, 0);
  } catch (err) {
    if (!(err instanceof AliasLimitError || err instanceof RangeError)) {
      throw err;
    }
    value = undefined;
    const message = err instanceof AliasLimitError ? `${err.message}: document not expanded (alias bomb?)` : 'Document nests too deeply';
    const code = err instanceof AliasLimitError ? 'FNM004' : 'FNM005';
    file.problems.push(problem(code, message, file.rangeOf(doc.range[0], doc.range[0]), { documentIndex: index }));
  }
  if (tooDeep) {
    const message = `Document nests deeper than ${limits.maxDepth} levels: deeper values are ignored`;
    file.problems.push(problem('FNM005', message, file.rangeOf(doc.range[0], doc.range[0]), { documentIndex: index }));
  }

  const nearest = (path: YamlPath, wantKey: boolean): Range => {
    for (let n = path.length; n >= 0; n--) {
      const span = spanAt(contents, path.slice(0, n));
      if (span) {
        const [start, end] = (n === path.length && wantKey && span.key) || (n < path.length && span.key) || span.value;
        return file.rangeOf(start, end);
      }
    }
    return file.rangeOf(doc.range[0], doc.range[0]);
  };
  return {
    index,
    value,
    range: file.rangeOf(doc.range[0], doc.range[1]),
    ast: doc,
    span: (path) => spanAt(contents, path),
    keyRange: (path) => nearest(path, true),
    valueRange: (path) => nearest(path, false),
  };
}

/** Sets a property even when the key is `__proto__`. */
function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
