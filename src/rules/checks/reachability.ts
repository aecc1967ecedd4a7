// Rules no request reaches and matches that never take effect, in VirtualService http, tcp and
// tls routes: Envoy tries rules in order, so a rule after a match-less one is unreachable, and a
// match that repeats (or is covered by) an earlier rule's match never selects its own rule.
// Istio's validation reports the same as warnings (IST0130 VirtualServiceUnreachableRule,
// IST0131 VirtualServiceIneffectiveMatch); its prefix-overlap test is replaced here by a general
// "every request this match accepts, the earlier one accepts too" on the fields it understands.
import type { Problem, YamlPath } from '../problems';
import type { Json } from '../resources';
import { asArray, asRecord, isIstio, isRecord } from '../resources';
import type { Check } from './report';
import { report } from './report';

export const checkReachability: Check = (resource) => {
  if (!isIstio(resource.ref, 'VirtualService')) {
    return [];
  }
  const problems: Problem[] = [];
  const spec = asRecord(resource.value.spec);
  for (const kind of ['http', 'tcp', 'tls'] as const) {
    const seen = new Map<string, number>();
    const earlier = new EarlierMatches();
    let matchless = -1;
    asArray(spec[kind]).forEach((entry, i) => {
      const path: YamlPath = ['spec', kind, i];
      const matches = asArray(asRecord(entry).match);
      if (matchless >= 0) {
        const what = matches.length === 0 ? 'route' : 'match';
        const message = `Unreachable: ${kind} rule ${matchless} has no match and takes every request first`;
        problems.push(report(resource, 'FNM701', message, [...path, what], { key: true, data: { after: matchless } }));
        return;
      }
      if (matches.length === 0) {
        matchless = i;
        return;
      }
      let ineffective = 0;
      const added: { match: Json; rule: number }[] = [];
      matches.forEach((m, j) => {
        const match = asRecord(m);
        const text = canonical(match);
        const repeated = seen.get(text);
        const rule = repeated ?? (kind === 'http' ? earlier.covering(match) : undefined);
        if (rule !== undefined) {
          ineffective++;
          const how = repeated !== undefined ? 'repeats' : 'is covered by';
          const message = `This match ${how} a match of ${kind} rule ${rule}, which Envoy tries first: it never selects this rule`;
          problems.push(report(resource, 'FNM702', message, [...path, 'match', j], { data: { rule } }));
        } else {
          seen.set(text, i);
          added.push({ match, rule: i });
        }
      });
      // Matches of one rule do not shadow each other (they select the same rule).
      added.forEach((a) => earlier.add(a.match, a.rule));
      if (ineffective === matches.length) {
        problems.push(report(resource, 'FNM701', `Unreachable: every match is taken by earlier ${kind} rules`, [...path, 'match'], { key: true }));
      }
    });
  }
  return problems;
};

/**
 * Earlier http matches, indexed by their uri condition so that finding one that covers a later
 * match looks at a few candidates, not at every earlier match (files with thousands of rules).
 */
class EarlierMatches {
  private readonly noUri: { match: Json; rule: number }[] = [];
  private readonly byExact = new Map<string, { match: Json; rule: number }[]>();
  private readonly byPrefix = new Map<string, { match: Json; rule: number }[]>();
  private readonly byRegex = new Map<string, { match: Json; rule: number }[]>();

  add(match: Json, rule: number): void {
    const uri = asRecord(match.uri);
    const entry = { match, rule };
    const list =
      match.uri === undefined
        ? this.noUri
        : typeof uri.exact === 'string'
          ? this.bucket(this.byExact, uri.exact)
          : typeof uri.prefix === 'string'
            ? this.bucket(this.byPrefix, uri.prefix)
            : typeof uri.regex === 'string'
              ? this.bucket(this.byRegex, uri.regex)
              : undefined;
    list?.push(entry);
  }

  /** The rule of the first earlier match that covers `later`, if any. */
  covering(later: Json): number | undefined {
    const uri = asRecord(later.uri);
    const value = typeof uri.exact === 'string' ? uri.exact : typeof uri.prefix === 'string' ? uri.prefix : undefined;
    const candidates = [...this.noUri];
    if (typeof uri.exact === 'string') {
      candidates.push(...(this.byExact.get(uri.exact) ?? []));
    }
    if (value !== undefined) {
      for (let n = 0; n <= value.length; n++) {
        candidates.push(...(this.byPrefix.get(value.slice(0, n)) ?? []));
      }
    }
    if (typeof uri.regex === 'string') {
      candidates.push(...(this.byRegex.get(uri.regex) ?? []));
    }
    let best: number | undefined;
    for (const c of candidates) {
      if ((best === undefined || c.rule < best) && covers(c.match, later)) {
        best = c.rule;
      }
    }
    return best;
  }

  private bucket(map: Map<string, { match: Json; rule: number }[]>, key: string): { match: Json; rule: number }[] {
    let list = map.get(key);
    if (!list) {
      list = [];
      map.set(key, list);
    }
    return list;
  }
}

/** JSON with sorted keys: equal for matches written in a different key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(canonical).join(',')}]`;
  }
  if (isRecord(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const stringMatchFields = new Set(['uri', 'scheme', 'method', 'authority']);
const mapFields = new Set(['headers', 'queryParams']);
const equalFields = new Set(['port', 'sourceLabels', 'gateways', 'sourceNamespace', 'withoutHeaders', 'ignoreUriCase', 'sniHosts', 'destinationSubnets']);

/**
 * Whether every request `later` accepts is accepted by `earlier` (so `later` never wins); http
 * only (tcp/tls: only exact repeats are reported). Conservative: a field it does not understand
 * makes it answer false.
 */
function covers(earlier: Json, later: Json): boolean {
  return Object.entries(earlier).every(([field, condition]) => {
    if (field === 'name') {
      return true;
    }
    if (stringMatchFields.has(field)) {
      return stringCovers(condition, later[field]);
    }
    if (mapFields.has(field)) {
      return Object.entries(asRecord(condition)).every(([key, c]) => stringCovers(c, asRecord(later[field])[key]));
    }
    return equalFields.has(field) && canonical(condition) === canonical(later[field]);
  });
}

/** Whether StringMatch `a` accepts every value StringMatch `b` accepts. */
function stringCovers(a: unknown, b: unknown): boolean {
  const [x, y] = [asRecord(a), asRecord(b)];
  if (typeof x.exact === 'string') {
    return y.exact === x.exact;
  }
  if (typeof x.prefix === 'string') {
    const p = x.prefix;
    return (typeof y.exact === 'string' && y.exact.startsWith(p)) || (typeof y.prefix === 'string' && y.prefix.startsWith(p));
  }
  if (typeof x.regex === 'string') {
    return y.regex === x.regex;
  }
  return false;
}
