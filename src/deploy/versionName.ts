// The name of the next version of a function: `v2` → `v3`, `hello-v1` → `hello-v2`, and a name
// that ends in no number gets `-v2` (`hello` → `hello-v2`). Pure.

import { fnNameProblem } from '../fn/names';

export function nextVersionName(name: string): string {
  const problem = fnNameProblem(name, 'Fn function name');
  if (problem) {
    throw new Error(problem);
  }
  const match = /^(.*?)(\d+)$/.exec(name);
  if (!match) {
    return `${name}-v2`;
  }
  const [, prefix, digits] = match;
  // Keep zero padding (`v09` → `v10`, `v007` → `v008`); BigInt keeps very long numbers exact.
  const next = (BigInt(digits) + 1n).toString().padStart(digits.length, '0');
  return `${prefix}${next}`;
}
