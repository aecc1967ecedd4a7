// Cheap checks that run before the YAML parser sees a text, so that a huge, binary or
// pathologically nested file costs milliseconds and can never crash the extension host.
// (The `yaml` parser recurses per nesting level; a few thousand `[` or `- ` make V8 abort the
// whole process while compiling a regular expression near the stack limit: no catch stops that.)

export interface InputLimits {
  /** Largest text accepted, in UTF-8 bytes. */
  readonly maxBytes: number;
  /** Deepest nesting accepted (Kubernetes manifests rarely go past 15 levels). */
  readonly maxDepth: number;
}

export const defaultInputLimits: InputLimits = { maxBytes: 2 * 1024 * 1024, maxDepth: 100 };

export interface Refusal {
  readonly message: string;
  /** Offset the refusal points at (the NUL byte, the too-deep bracket), 0 otherwise. */
  readonly offset: number;
}

/** Why a text must not be parsed, or undefined when it may be. Linear in the text length. */
export function refuseInput(text: string, limits: InputLimits = defaultInputLimits): Refusal | undefined {
  // UTF-16 length bounds the UTF-8 size from below; count bytes only when it could matter.
  if (text.length > limits.maxBytes / 3 && Buffer.byteLength(text, 'utf8') > limits.maxBytes) {
    const mb = (limits.maxBytes / (1024 * 1024)).toFixed(0);
    return { message: `File is larger than ${mb} MB: Fn Mesh does not validate it.`, offset: 0 };
  }
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    return { message: 'File contains NUL bytes (binary data?): Fn Mesh does not validate it.', offset: nul };
  }
  const deep = deepNestingOffset(text, limits.maxDepth);
  if (deep >= 0) {
    return { message: `Nesting deeper than ${limits.maxDepth} levels: Fn Mesh does not validate this file.`, offset: deep };
  }
  return undefined;
}

/**
 * Offset of the first line whose nesting estimate exceeds `maxDepth`, or -1. The estimate
 * adds, for each line, the open block indentation levels, the compact indicators that start
 * it (`- - -`, `? ?`) and the open flow brackets. Quoted scalars (where a scalar can start),
 * comments and block scalars (`|`, `>`) are skipped, so an nginx configuration in a ConfigMap
 * does not count. It over-estimates a little, never by a whole level per line.
 */
function deepNestingOffset(text: string, maxDepth: number): number {
  const indents: number[] = [];
  let flow = 0;
  let blockScalarIndent = -1; // indentation of the key that opened a block scalar
  let lineStart = 0;
  while (lineStart < text.length) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline < 0 ? text.length : newline;
    let i = lineStart;
    while (i < lineEnd && text[i] === ' ') {
      i++;
    }
    const indent = i - lineStart;
    const blank = i >= lineEnd || text[i] === '#' || text[i] === '\r';
    if (blockScalarIndent >= 0 && (blank || indent > blockScalarIndent)) {
      lineStart = lineEnd + 1;
      continue;
    }
    blockScalarIndent = -1;
    if (!blank && flow === 0) {
      while (indents.length > 0 && indents[indents.length - 1] >= indent) {
        indents.pop();
      }
      indents.push(indent);
      if (indents.length > maxDepth) {
        return i;
      }
    }
    let compact = 0;
    while (i + 1 < lineEnd && '-?:'.includes(text[i]) && (text[i + 1] === ' ' || text[i + 1] === '\t')) {
      compact++;
      i += 2;
      while (i < lineEnd && text[i] === ' ') {
        i++;
      }
      if (indents.length + compact + flow > maxDepth) {
        return i;
      }
    }
    const scan = scanLine(text, i, lineEnd, flow, maxDepth - indents.length - compact);
    if (scan.overflowAt >= 0) {
      return scan.overflowAt;
    }
    flow = scan.flow;
    if (scan.opensBlockScalar) {
      blockScalarIndent = indent;
    }
    lineStart = scan.end + 1;
  }
  return -1;
}

interface LineScan {
  readonly flow: number;
  readonly overflowAt: number;
  readonly opensBlockScalar: boolean;
  /** Where scanning stopped: the line end, or later when a quoted scalar spans lines. */
  readonly end: number;
}

/** Tracks flow brackets over one line (and the lines a quoted scalar continues onto). */
function scanLine(text: string, from: number, lineEnd: number, flow: number, budget: number): LineScan {
  let previous = ' ';
  let last = ''; // last significant character of the line, outside comments
  let end = lineEnd;
  for (let i = from; i < end; i++) {
    const c = text[i];
    if ((c === '"' || c === "'") && scalarMayStartAfter(previous)) {
      i = endOfQuoted(text, i);
      const eol = text.indexOf('\n', i);
      end = Math.max(end, eol < 0 ? text.length : eol);
      previous = last = c;
      continue;
    }
    if (c === '#' && (i === from || text[i - 1] === ' ' || text[i - 1] === '\t')) {
      break;
    }
    if (c === '[' || c === '{') {
      if (++flow > budget) {
        return { flow, overflowAt: i, opensBlockScalar: false, end };
      }
    } else if ((c === ']' || c === '}') && flow > 0) {
      flow--;
    }
    if (c !== ' ' && c !== '\t' && c !== '\r') {
      previous = c;
      last = c;
    }
  }
  const header = text.slice(from, end).replace(/\s+#.*$/, '').trimEnd();
  return { flow, overflowAt: -1, opensBlockScalar: flow === 0 && /(^|[\s:])[|>][-+0-9]*$/.test(header) && last !== '', end };
}

function scalarMayStartAfter(previous: string): boolean {
  return ' :-[{,?'.includes(previous);
}

/** Offset of the closing quote of the quoted scalar opening at `start` (or the text end). */
function endOfQuoted(text: string, start: number): number {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    if (quote === '"' && text[i] === '\\') {
      i++;
    } else if (text[i] === quote) {
      return i;
    }
  }
  return text.length;
}
