// Go duration syntax (time.ParseDuration), which Istio's CRD validation and proxy config use:
// an optional sign, then one or more decimal numbers with a unit: ns, us (µs), ms, s, m, h.

const unitNanos: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  'µs': 1e3,
  'μs': 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

const component = /(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

/** Nanoseconds of a Go duration string, or undefined when it does not parse. */
export function parseGoDuration(text: string): number | undefined {
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') {
    return 0;
  }
  if (rest === '') {
    return undefined;
  }
  let total = 0;
  component.lastIndex = 0;
  while (component.lastIndex < rest.length) {
    const start = component.lastIndex;
    const match = component.exec(rest);
    if (!match || match.index !== start) {
      return undefined;
    }
    total += Number(match[1]) * unitNanos[match[2]];
  }
  return sign * total;
}

export const oneMillisecond = 1e6;

/** The longest Go duration: int64 nanoseconds (about 292 years); time.ParseDuration refuses more. */
export const maxGoDurationNanos = 2 ** 63 - 1;
