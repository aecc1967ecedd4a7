// The name of the next version of a function: `v2` → `v3`, `hello-v1` → `hello-v2`, and a name
// that ends in no number gets `-v2` (`hello` → `hello-v2`). Pure.

/** Fn function names: letters, digits, `_` and `-` (what the Fn server accepts), at most 255. */
const fnNamePattern = /^[A-Za-z0-9_-]{1,255}$/;

export function isFnName(name: string): boolean {
  return fnNamePattern.test(name);
}

export function nextVersionName(name: string): string {
  if (!isFnName(name)) {
    throw new Error(`"${name}" is not a valid Fn function name (letters, digits, "_" and "-" only)`);
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
