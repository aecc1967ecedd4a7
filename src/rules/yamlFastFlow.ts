// One-line flow collections (`[a, b]`, `{k: v}`) for the fast YAML path: anything else (a
// collection spanning lines, comments inside, trailing commas, indicators) gives up.
import { COLON, DASH, HASH, SPACE, giveUp, isIndicator, plainValue, quoted, quotedEnd, resolvePlain } from './yamlFastScalars';

/** A one-line flow collection at `at`; returns its value and the offset after it. */
export function readFlow(t: string, at: number, end: number, depth: number, maxDepth: number): [unknown, number] {
  if (depth > maxDepth) {
    giveUp();
  }
  const isMap = t.charCodeAt(at) === 123;
  const close = isMap ? 125 : 93;
  const items: unknown[] = [];
  const out: Record<string, unknown> = {};
  const seen = new Set<string>();
  let i = skipSpaces(t, at + 1, end);
  if (t.charCodeAt(i) === close) {
    return [isMap ? out : items, i + 1];
  }
  for (;;) {
    let key: string | undefined;
    if (isMap) {
      const [k, afterKey] = flowScalar(t, i, end, true);
      if (typeof k !== 'string' || t.charCodeAt(afterKey) !== COLON) {
        giveUp();
      }
      key = k as string;
      if (seen.has(key)) {
        giveUp();
      }
      seen.add(key);
      i = afterKey + 1;
      if (t.charCodeAt(i) !== SPACE) {
        giveUp();
      }
      i = skipSpaces(t, i, end);
    }
    const c = t.charCodeAt(i);
    let value: unknown;
    if (c === 91 || c === 123) {
      [value, i] = readFlow(t, i, end, depth + 1, maxDepth);
    } else {
      [value, i] = flowScalar(t, i, end, false);
    }
    if (key === undefined) {
      items.push(value);
    } else if (key === '__proto__') {
      Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    } else {
      out[key] = value;
    }
    i = skipSpaces(t, i, end);
    const sep = t.charCodeAt(i);
    if (sep === close) {
      return [isMap ? out : items, i + 1];
    }
    if (sep !== 44) {
      giveUp();
    }
    i = skipSpaces(t, i + 1, end);
    if (t.charCodeAt(i) === close || t.charCodeAt(i) === 44) {
      giveUp(); // trailing or doubled comma
    }
  }
}

function skipSpaces(t: string, i: number, end: number): number {
  while (i < end && t.charCodeAt(i) === SPACE) {
    i++;
  }
  return i < end ? i : giveUp();
}

/** A scalar inside a flow collection (a key when `asKey`); returns it and the offset after it. */
function flowScalar(t: string, at: number, end: number, asKey: boolean): [unknown, number] {
  const c = t.charCodeAt(at);
  if (c === 34 || c === 39) {
    const close = quotedEnd(t, at, end);
    return [quoted(t, at, close), close + 1];
  }
  const n = t.charCodeAt(at + 1);
  if (isIndicator(c) || ((c === DASH || c === COLON) && (n === SPACE || n === 44 || n === 93 || n === 125 || at + 1 === end))) {
    giveUp(); // indicators, and a lone `-` or `:`
  }
  let i = at;
  for (; i < end; i++) {
    const ch = t.charCodeAt(i);
    if (ch === 44 || ch === 93 || ch === 125) {
      break;
    }
    if (ch === 91 || ch === 123 || (ch === HASH && t.charCodeAt(i - 1) === SPACE)) {
      giveUp();
    }
    if (ch === COLON) {
      const next = t.charCodeAt(i + 1);
      if (asKey && next === SPACE) {
        break;
      }
      if (asKey || next === SPACE || next === 44 || next === 93 || next === 125 || i + 1 === end) {
        giveUp();
      }
    }
  }
  const source = t.slice(at, i).trimEnd();
  if (source === '' || source === '-') {
    giveUp();
  }
  if (asKey) {
    const value = source === '<<' ? giveUp() : resolvePlain(source);
    return [typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? source : giveUp(), i];
  }
  return [plainValue(source), i];
}
