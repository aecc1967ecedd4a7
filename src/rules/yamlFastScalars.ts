// Scalars for the fast YAML path (yamlFastPath.ts): YAML 1.1 resolution with the full parser's own
// tags (so values agree), one-line quoted scalars, and the signal to give up on a text.
import type { ScalarTag, Tags } from 'yaml';
import { Document, isScalar } from 'yaml';

export const SPACE = 32;
export const HASH = 35;
export const DASH = 45;
export const COLON = 58;

/**
 * Kubernetes reads manifests as YAML 1.1 (`yes`/`on` are booleans, `<<` merges), minus
 * sexagesimal numbers and timestamps, which its parser leaves as strings.
 */
export function kubernetesTags(tags: Tags): Tags {
  return tags.filter((t) =>
    typeof t === 'string' ? !['intTime', 'floatTime', 'timestamp'].includes(t) : t.format !== 'TIME' && !t.tag.endsWith(':timestamp'),
  );
}

let plainTags: ScalarTag[] | undefined;

/** The tags a plain scalar may resolve to, in the full parser's order. */
function scalarTags(): ScalarTag[] {
  plainTags ??= new Document(null, { version: '1.1', customTags: kubernetesTags }).schema.tags.filter(
    (t): t is ScalarTag => t.default === true && 'test' in t && t.test instanceof RegExp,
  );
  return plainTags;
}

/** Thrown where the fast path stops: the full parser reads the text instead. */
export class GiveUp extends Error {}

export const giveUp = (): never => {
  throw new GiveUp();
};

/** Offset of the closing quote of the one-line quoted scalar at `at`. */
export function quotedEnd(t: string, at: number, end: number): number {
  const q = t.charCodeAt(at);
  for (let i = at + 1; i < end; i++) {
    const ch = t.charCodeAt(i);
    if (ch === 92 /* \ */ && q === 34) {
      giveUp(); // escapes: the full parser
    }
    if (ch === q) {
      if (q === 39 && t.charCodeAt(i + 1) === 39) {
        i++;
        continue;
      }
      return i;
    }
  }
  return giveUp();
}

export function quoted(t: string, at: number, close: number): string {
  const inner = t.slice(at + 1, close);
  return t.charCodeAt(at) === 39 ? inner.replace(/''/g, "'") : inner;
}

/** Characters that start no plain scalar here: flow, anchor, alias, tag, block scalar, reserved, complex key. */
export function isIndicator(c: number): boolean {
  // [ ] { } , ! & * | > @ ` % ? #
  return (
    c === 91 || c === 93 || c === 123 || c === 125 || c === 44 || c === 33 || c === 38 || c === 42 || c === 124 || c === 62 || c === 64 || c === 96 || c === 37 || c === 63 || c === HASH
  );
}

/** A plain scalar's value as the full parser resolves it (first matching 1.1 tag, else a string). */
export function resolvePlain(source: string): unknown {
  const c = source.charCodeAt(0);
  // Letters that start no null, boolean or number: a string (the common case, no regex tests).
  if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90)) {
    const lower = c | 32;
    if (lower !== 110 && lower !== 121 && lower !== 116 && lower !== 102 && lower !== 111) {
      return source;
    }
  }
  for (const tag of scalarTags()) {
    if ((tag.test as RegExp).test(source)) {
      let failed = false;
      const value: unknown = tag.resolve(source, () => (failed = true), {});
      if (failed) {
        giveUp();
      }
      return isScalar(value) ? value.value : value;
    }
  }
  return source;
}

/** The plain value as the engine keeps it (other resolved types by their source, as in the full path). */
export function plainValue(source: string): unknown {
  const v = resolvePlain(source);
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : source;
}
