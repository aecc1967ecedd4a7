// The one rule for Fn app and function names, as the Fn server accepts them: letters, digits, `_`
// and `-`, 1 to 255 characters. The 2018 API's route paths (`/hello/world`, shown as function
// names) may also hold `/` between non-empty segments. Pure: no `vscode`.
import { UserError } from '../common/errors';

/** Fn limits app and function names to 255 characters. */
export const maxFnNameLength = 255;

const fnNameCharacter = /^[A-Za-z0-9_-]$/;

export interface FnNameOptions {
  /** Accept `/` between segments: a 2018 route path rather than a name. */
  readonly routePath?: boolean;
}

/** Why `name` is not an Fn name (one line naming `what`), or undefined when it is one. */
export function fnNameProblem(name: string, what = 'Fn name', options: FnNameOptions = {}): string | undefined {
  if (name.length === 0) {
    return `${what} is empty`;
  }
  if (name.length > maxFnNameLength) {
    return `${what} is ${name.length} characters long; Fn allows at most ${maxFnNameLength}`;
  }
  const chars = Array.from(name);
  const bad = chars.findIndex((c) => !(fnNameCharacter.test(c) || (options.routePath && c === '/')));
  if (bad >= 0) {
    // JSON.stringify shows control characters (newline, tab) visibly.
    return `${what} ${JSON.stringify(name)} contains ${JSON.stringify(chars[bad])} at position ${bad + 1}: only letters, digits, "_" and "-" are accepted`;
  }
  if (options.routePath && (name.startsWith('/') || name.endsWith('/') || name.includes('//'))) {
    return `${what} ${JSON.stringify(name)} has an empty path segment`;
  }
  return undefined;
}

export function isFnName(name: string): boolean {
  return fnNameProblem(name) === undefined;
}

/** Throws a UserError with `fnNameProblem`'s words. */
export function assertFnName(name: string, what = 'Fn name', options: FnNameOptions = {}): void {
  const problem = fnNameProblem(name, what, options);
  if (problem) {
    throw new UserError(problem);
  }
}
