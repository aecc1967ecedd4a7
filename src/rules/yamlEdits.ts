// Minimal text edits on YAML sources that keep the user's formatting, comments and style:
// replace a value, remove an entry, add an entry to a mapping, add an item to a sequence.
// Block and flow collections are both handled; everything else in the file is left untouched.
import type { Node, Pair, ParsedNode, YAMLMap, YAMLSeq } from 'yaml';
import { isMap, isScalar, isSeq, stringify } from 'yaml';
import type { Range, YamlPath } from './problems';
import type { YamlDocument, YamlFile } from './yamlDocuments';

export interface TextEdit {
  readonly range: Range;
  readonly newText: string;
}

function edit(file: YamlFile, start: number, end: number, newText: string): TextEdit {
  return { range: { start: file.positionAt(start), end: file.positionAt(end) }, newText };
}

/** A scalar as YAML writes it in flow or block context (quoted only when it must be). */
export function scalarText(value: string | number | boolean): string {
  return stringify(value).trimEnd();
}

/** Replaces the value at `path` (a scalar or a whole collection) with `newText`. */
export function replaceValue(file: YamlFile, doc: YamlDocument, path: YamlPath, newText: string): TextEdit | undefined {
  const span = doc.span(path);
  return span ? edit(file, span.value[0], span.value[1], newText) : undefined;
}

/** Removes the mapping entry at `path`, with its line when it has one to itself. */
export function removeEntry(file: YamlFile, doc: YamlDocument, path: YamlPath): TextEdit | undefined {
  const span = doc.span(path);
  const parent = collectionAt(doc, path.slice(0, -1));
  if (!span?.pair || !span.key || !isMap(parent)) {
    return undefined;
  }
  const pairs = parent.items as Pair<ParsedNode, ParsedNode | null>[];
  const at = pairs.indexOf(span.pair);
  const next = pairs[at + 1];
  const text = file.text;
  const [keyStart] = span.key;
  const valueEnd = Math.max(span.value[1], span.key[1]);
  if (parent.flow) {
    // `{a: 1, weight: 2}`: take the comma before (or after, for the first entry).
    const previous = pairs[at - 1];
    if (previous) {
      return edit(file, endOf(previous), valueEnd, '');
    }
    return next ? edit(file, keyStart, startOf(next), '') : edit(file, keyStart, valueEnd, '');
  }
  const lineStart = text.lastIndexOf('\n', keyStart - 1) + 1;
  if (text.slice(lineStart, keyStart).trim() === '') {
    return edit(file, lineStart, nextLineStart(text, lastContentOffset(text, valueEnd)), '');
  }
  // `- weight: 2` opens a sequence item: pull the next entry up onto the dash.
  return next ? edit(file, keyStart, startOf(next), '') : edit(file, keyStart, valueEnd, '{}');
}

/** Adds `key: value` at the end of the mapping at `path` (value rendered as YAML). */
export function insertEntry(file: YamlFile, doc: YamlDocument, path: YamlPath, key: string, value: unknown): TextEdit | undefined {
  const map = collectionAt(doc, path);
  if (!isMap(map)) {
    return undefined;
  }
  const pairs = map.items as Pair<ParsedNode, ParsedNode | null>[];
  if (map.flow || pairs.length === 0) {
    const inner = `${scalarText(key)}: ${flowText(value)}`;
    const close = (map.range?.[1] ?? 0) - 1;
    if (file.text[close] !== '}') {
      return undefined;
    }
    return edit(file, close, close, pairs.length === 0 ? inner : `, ${inner}`);
  }
  const indent = columnOf(file, startOf(pairs[0]));
  const at = endOfLine(file.text, lastContentOffset(file.text, endOf(pairs[pairs.length - 1])));
  return edit(file, at, at, withLineBreaks(file.text, `\n${blockEntry(key, value, indent)}`));
}

/** Appends `item` to the sequence at `path`; creates the key in the parent mapping when absent. */
export function appendItem(file: YamlFile, doc: YamlDocument, path: YamlPath, item: unknown): TextEdit | undefined {
  const seq = collectionAt(doc, path);
  if (seq === undefined && path.length > 0) {
    return insertEntry(file, doc, path.slice(0, -1), String(path[path.length - 1]), [item]);
  }
  if (!isSeq(seq)) {
    return undefined;
  }
  const items = seq.items as ParsedNode[];
  if (seq.flow || items.length === 0) {
    const close = (seq.range?.[1] ?? 0) - 1;
    if (file.text[close] !== ']') {
      return undefined;
    }
    return edit(file, close, close, `${items.length === 0 ? '' : ', '}${flowText(item)}`);
  }
  const indent = columnOf(file, seq.range?.[0] ?? 0); // a block sequence starts at its first dash
  const at = endOfLine(file.text, lastContentOffset(file.text, endOf(items[items.length - 1])));
  return edit(file, at, at, withLineBreaks(file.text, `\n${indentLines(`- ${blockText(item, 2)}`, indent)}`));
}

/** The yaml collection node at `path`, if the source has one there. */
function collectionAt(doc: YamlDocument, path: YamlPath): YAMLMap | YAMLSeq | undefined {
  const node = path.length === 0 ? (doc.ast.contents as Node | null) : doc.span(path)?.node;
  return isMap(node) || isSeq(node) ? node : undefined;
}

function startOf(node: Pair<ParsedNode, ParsedNode | null> | ParsedNode): number {
  const n = ('key' in node ? node.key : node) as Node;
  return n.range?.[0] ?? 0;
}

function endOf(node: Pair<ParsedNode, ParsedNode | null> | ParsedNode): number {
  if ('key' in node) {
    const value = node.value as Node | null;
    return value?.range && value.range[1] > value.range[0] ? value.range[1] : ((node.key as Node).range?.[1] ?? 0);
  }
  return (node as Node).range?.[1] ?? 0;
}

function columnOf(file: YamlFile, offset: number): number {
  return file.positionAt(offset).character;
}

/** The last non-blank character before `end` (block nodes' ranges may include trailing blank lines). */
function lastContentOffset(text: string, end: number): number {
  let i = end;
  while (i > 0 && /\s/.test(text[i - 1])) {
    i--;
  }
  return i;
}

/** Offset of the line break ending the line that holds `offset` (or the text end). */
function endOfLine(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  if (newline < 0) {
    return text.length;
  }
  return text[newline - 1] === '\r' ? newline - 1 : newline;
}

/** Offset of the line after the one that holds `offset` (or the text end). */
function nextLineStart(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  return newline < 0 ? text.length : newline + 1;
}

/** `newText` with the file's line break style. */
export function withLineBreaks(text: string, newText: string): string {
  return text.includes('\r\n') ? newText.replace(/\r?\n/g, '\r\n') : newText;
}

function flowText(value: unknown): string {
  return isScalarValue(value) ? scalarText(value) : stringify(value, { collectionStyle: 'flow' }).trimEnd();
}

function isScalarValue(value: unknown): value is string | number | boolean {
  return ['string', 'number', 'boolean'].includes(typeof value);
}

/** YAML for a value in block style, continuation lines indented by `indent`. */
function blockText(value: unknown, indent: number): string {
  const text = stringify(value, { indentSeq: true }).trimEnd();
  return text.split('\n').map((line, i) => (i === 0 ? line : `${' '.repeat(indent)}${line}`)).join('\n');
}

function blockEntry(key: string, value: unknown, indent: number): string {
  const head = `${' '.repeat(indent)}${scalarText(key)}:`;
  if (isScalarValue(value)) {
    return `${head} ${scalarText(value)}`;
  }
  return `${head}\n${indentLines(stringify(value, { indentSeq: true }).trimEnd(), indent + 2)}`;
}

function indentLines(text: string, indent: number): string {
  return text.split('\n').map((line) => `${' '.repeat(indent)}${line}`).join('\n');
}

/** Whether the node at `path` is a plain scalar (used to decide what a fix may replace). */
export function isScalarAt(doc: YamlDocument, path: YamlPath): boolean {
  return isScalar(doc.span(path)?.node);
}
