// A fast reader for the plain YAML most rule files are: block mappings and sequences, one-line
// plain and quoted scalars, one-line flow collections, comments and `---`. It returns values
// only (ranges are computed later, on demand, by the full parser), and gives up, returning
// undefined, on anything else (anchors, tags, block and multi-line scalars, escapes, tabs, CR,
// duplicate keys, complex or null keys, any error) so that the full parser handles those and
// reports their problems. Plain scalars resolve with the full parser's own YAML 1.1 tags, so a
// value read here equals the full parser's (a differential unit test holds them together).
import { readFlow } from './yamlFastFlow';
import { COLON, DASH, GiveUp, HASH, SPACE, giveUp, isIndicator, plainValue, quoted, quotedEnd, resolvePlain } from './yamlFastScalars';

/** One document's value. */
export interface FastDocument {
  readonly value: unknown;
}

/** Values of every document of `text`, or undefined when the text needs the full parser. */
export function readPlainYaml(text: string, maxDepth: number): FastDocument[] | undefined {
  if (text.length === 0 || text.includes('\t') || text.includes('\r') || text.includes('\uFEFF')) {
    return undefined;
  }
  try {
    return new Reader(text, maxDepth).documents();
  } catch (err) {
    if (err instanceof GiveUp || err instanceof RangeError) {
      return undefined;
    }
    throw err;
  }
}

class Reader {
  /** Start offsets of the significant lines (not blank, not comment-only), their indents. */
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly indents: number[] = [];
  private line = 0;

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {
    let start = 0;
    while (start <= text.length) {
      let end = text.indexOf('\n', start);
      if (end < 0) {
        end = text.length;
      }
      let i = start;
      while (i < end && text.charCodeAt(i) === SPACE) {
        i++;
      }
      if (i < end && text.charCodeAt(i) !== HASH) {
        this.starts.push(start);
        this.ends.push(end);
        this.indents.push(i - start);
      }
      start = end + 1;
    }
  }

  documents(): FastDocument[] {
    const docs: FastDocument[] = [];
    let sawContent = false;
    while (this.line < this.starts.length) {
      if (this.isMarker(this.line)) {
        if (this.line > 0 && !sawContent) {
          giveUp(); // an empty document
        }
        this.line++;
        sawContent = false;
        continue;
      }
      if (sawContent || this.indents[this.line] !== 0) {
        giveUp();
      }
      docs.push({ value: this.node(this.line, this.starts[this.line], 0, -1) });
      sawContent = true;
    }
    if (!sawContent) {
      giveUp(); // no document, or a trailing empty one
    }
    return docs;
  }

  private isMarker(line: number): boolean {
    const s = this.starts[line];
    const t = this.text;
    if (t.startsWith('---', s)) {
      const rest = t.slice(s + 3, this.ends[line]).trim();
      if (rest === '' || rest.startsWith('#')) {
        return true;
      }
      giveUp(); // content after the marker
    }
    if (t.startsWith('...', s) || t.charCodeAt(s) === 37 /* % */) {
      giveUp();
    }
    return false;
  }

  /** The block node starting at offset `at` of significant line `line` (column = its indent). */
  private node(line: number, at: number, depth: number, parentIndent: number): unknown {
    if (depth > this.maxDepth) {
      giveUp();
    }
    const t = this.text;
    const column = at - this.starts[line];
    if (column <= parentIndent) {
      giveUp();
    }
    if (t.charCodeAt(at) === DASH && (at + 1 === this.ends[line] || t.charCodeAt(at + 1) === SPACE)) {
      return this.sequence(line, column, depth);
    }
    if (this.keyEnd(at, this.ends[line]) >= 0) {
      return this.mapping(line, column, depth);
    }
    // A lone scalar or flow collection as a whole node: it must end on its line.
    const value = this.inlineValue(at, this.ends[line], depth);
    this.line = line + 1;
    return value;
  }

  private sequence(line: number, column: number, depth: number): unknown[] {
    const items: unknown[] = [];
    this.line = line;
    let at = this.starts[line] + column;
    for (;;) {
      items.push(this.entryValue(this.line, at + 1, column, depth));
      const next = this.line;
      if (next >= this.starts.length || this.isMarkerQuick(next) || this.indents[next] < column) {
        return items;
      }
      if (this.indents[next] > column) {
        giveUp();
      }
      at = this.starts[next] + column;
      if (!(this.text.charCodeAt(at) === DASH && (at + 1 === this.ends[next] || this.text.charCodeAt(at + 1) === SPACE))) {
        return items; // a mapping key at the same column ends a sequence that is a mapping value
      }
    }
  }

  private mapping(line: number, column: number, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const seen = new Set<string>();
    this.line = line;
    let at = this.starts[line] + column;
    for (;;) {
      const end = this.ends[this.line];
      const colon = this.keyEnd(at, end);
      if (colon < 0) {
        giveUp();
      }
      const key = this.key(at, colon);
      if (seen.has(key)) {
        giveUp(); // the full parser reports it
      }
      seen.add(key);
      const value = this.entryValue(this.line, colon + 1, column, depth, true);
      if (key === '__proto__') {
        Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      } else {
        out[key] = value;
      }
      const next = this.line;
      if (next >= this.starts.length || this.isMarkerQuick(next) || this.indents[next] < column) {
        return out;
      }
      if (this.indents[next] > column) {
        giveUp();
      }
      at = this.starts[next] + column;
      const c = this.text.charCodeAt(at);
      if (c === DASH && (at + 1 === this.ends[next] || this.text.charCodeAt(at + 1) === SPACE)) {
        giveUp(); // a sequence entry where a key belongs
      }
    }
  }

  /**
   * The value after `- ` or `key:` (offset `from` on line `line`): inline on the line, a compact
   * nested node, or a block node on the following lines. Leaves `this.line` after it.
   */
  private entryValue(line: number, from: number, column: number, depth: number, inMapping = false): unknown {
    const t = this.text;
    const end = this.ends[line];
    let i = from;
    while (i < end && t.charCodeAt(i) === SPACE) {
      i++;
    }
    if (i < end && i === from) {
      giveUp(); // `key:value` or `-x`: not an entry
    }
    if (i >= end || t.charCodeAt(i) === HASH) {
      const next = line + 1;
      this.line = next;
      if (next >= this.starts.length || this.isMarkerQuick(next)) {
        return null;
      }
      const indent = this.indents[next];
      const nextAt = this.starts[next] + indent;
      const isDash = t.charCodeAt(nextAt) === DASH && (nextAt + 1 === this.ends[next] || t.charCodeAt(nextAt + 1) === SPACE);
      if (indent > column || (inMapping && indent === column && isDash)) {
        return this.node(next, nextAt, depth + 1, inMapping && isDash ? column - 1 : column);
      }
      return null;
    }
    if (!inMapping || t.charCodeAt(i) !== DASH) {
      const c = t.charCodeAt(i);
      // Compact nested nodes: `- - a`, `- key: value`.
      if (!inMapping && c === DASH && (i + 1 === end || t.charCodeAt(i + 1) === SPACE)) {
        return this.node(line, i, depth + 1, column);
      }
      if (!inMapping && c !== 34 && c !== 39 && c !== 91 && c !== 123 && this.keyEnd(i, end) >= 0) {
        return this.node(line, i, depth + 1, column);
      }
    }
    const value = this.inlineValue(i, end, depth + 1);
    this.line = line + 1;
    return value;
  }

  private isMarkerQuick(line: number): boolean {
    return this.indents[line] === 0 && (this.text.startsWith('---', this.starts[line]) || this.text.startsWith('...', this.starts[line]));
  }

  /** Offset of the `:` that ends a block mapping key starting at `at`, or -1. */
  private keyEnd(at: number, end: number): number {
    const t = this.text;
    const c = t.charCodeAt(at);
    if (c === 34 || c === 39) {
      const close = quotedEnd(this.text, at, end);
      return close + 1 < end && t.charCodeAt(close + 1) === COLON && (close + 2 === end || t.charCodeAt(close + 2) === SPACE) ? close + 1 : -1;
    }
    if (isIndicator(c)) {
      return -1;
    }
    for (let i = at; i < end; i++) {
      const ch = t.charCodeAt(i);
      if (ch === COLON && (i + 1 === end || t.charCodeAt(i + 1) === SPACE)) {
        return i;
      }
      if (ch === HASH && t.charCodeAt(i - 1) === SPACE) {
        return -1;
      }
    }
    return -1;
  }

  private key(at: number, colon: number): string {
    const t = this.text;
    const c = t.charCodeAt(at);
    if (c === 34 || c === 39) {
      return quoted(this.text, at, colon - 1);
    }
    const source = t.slice(at, colon).trimEnd();
    if (source === '<<') {
      giveUp(); // merge keys
    }
    const value = resolvePlain(source);
    if (typeof value === 'string') {
      return value;
    }
    // Kubernetes names number and boolean keys as written; null and merge keys go to the full parser.
    return typeof value === 'number' || typeof value === 'boolean' ? source : giveUp();
  }

  /** A scalar or flow collection spanning offsets [at, end) of one line, comments excepted. */
  private inlineValue(at: number, end: number, depth: number): unknown {
    const t = this.text;
    const c = t.charCodeAt(at);
    if (c === 91 || c === 123) {
      const [value, after] = readFlow(this.text, at, end, depth, this.maxDepth);
      this.restIsComment(after, end);
      return value;
    }
    if (c === 34 || c === 39) {
      const close = quotedEnd(this.text, at, end);
      this.restIsComment(close + 1, end);
      return quoted(this.text, at, close);
    }
    if (isIndicator(c) || ((c === DASH || c === COLON) && (at + 1 === end || t.charCodeAt(at + 1) === SPACE))) {
      giveUp();
    }
    let stop = end;
    for (let i = at; i < end; i++) {
      const ch = t.charCodeAt(i);
      if (ch === HASH && t.charCodeAt(i - 1) === SPACE) {
        stop = i;
        break;
      }
      if (ch === COLON && (i + 1 === end || t.charCodeAt(i + 1) === SPACE)) {
        giveUp(); // `a: b: c`
      }
    }
    const source = t.slice(at, stop).trimEnd();
    if (source === '-' || source === '?') {
      giveUp();
    }
    return plainValue(source);
  }

  private restIsComment(from: number, end: number): void {
    const t = this.text;
    let i = from;
    while (i < end && t.charCodeAt(i) === SPACE) {
      i++;
    }
    if (i < end && (t.charCodeAt(i) !== HASH || i === from)) {
      giveUp();
    }
  }
}
