// Which version answered: the header the generated proxies set, else a user pattern on the start
// of the body, else "unknown". Version names are cut to 63 characters.
import { unknownVersion } from './samplerStats';

/** The header the generated per-version proxies add to every response. */
export const defaultVersionHeader = 'x-fn-mesh-version';

/** Most bytes of a body the pattern is applied to (the rest is never kept). */
export const maxPatternInputBytes = 4096;
const maxPatternLength = 500;
const maxVersionLength = 63;

export class PatternError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PatternError';
  }
}

export interface Attribution {
  /** Lower-case header name. */
  readonly header: string;
  readonly pattern: RegExp | undefined;
}

/**
 * Checks and compiles the body pattern of the setting `where` names. The version is the named
 * group `version` if there is one, else the first group, else the whole match. The pattern is
 * applied to at most the first 4 KiB of a body, which bounds the cost of a slow pattern.
 * @throws PatternError naming `where` when the pattern is longer than 500 characters or invalid.
 */
export function compileBodyPattern(source: string, where = 'body pattern'): RegExp | undefined {
  if (source.trim() === '') {
    return undefined;
  }
  if (source.length > maxPatternLength) {
    throw new PatternError(`${where}: the pattern is ${source.length} characters long; at most ${maxPatternLength} are allowed`);
  }
  try {
    return new RegExp(source);
  } catch (err) {
    throw new PatternError(`${where}: not a valid regular expression: ${(err as Error).message}`);
  }
}

/**
 * Builds the attribution rules.
 * @throws PatternError when the header name is not a valid HTTP token or the pattern is invalid.
 */
export function makeAttribution(header: string = defaultVersionHeader, pattern = ''): Attribution {
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(header)) {
    throw new PatternError(`version header: "${header}" is not a valid HTTP header name`);
  }
  return { header: header.toLowerCase(), pattern: compileBodyPattern(pattern) };
}

/** The version named by a header value (first value if repeated), or undefined when empty. */
export function versionFromHeader(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  const v = first?.trim();
  return v ? v.slice(0, maxVersionLength) : undefined;
}

/** The version the pattern finds in the first bytes of a body, or undefined. */
export function versionFromBody(pattern: RegExp, bodyPrefix: string): string | undefined {
  const m = pattern.exec(bodyPrefix.slice(0, maxPatternInputBytes));
  if (!m) {
    return undefined;
  }
  const v = (m.groups?.version ?? m[1] ?? m[0]).trim();
  return v ? v.slice(0, maxVersionLength) : undefined;
}

/** Header first, then body pattern, then "unknown". */
export function attribute(attribution: Attribution, headerValue: string | string[] | undefined, bodyPrefix: string | undefined): string {
  return versionFromHeader(headerValue) ?? (attribution.pattern && bodyPrefix !== undefined ? versionFromBody(attribution.pattern, bodyPrefix) : undefined) ?? unknownVersion;
}
