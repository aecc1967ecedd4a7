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
    const seen: { match: Json; rule: number; text: string }[] = [];
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
      matches.forEach((m, j) => {
        const match = asRecord(m);
        const text = canonical(match);
        const earlier = seen.find((s) => s.text === text) ?? seen.find((s) => s.rule !== i && covers(s.match, match, kind));
        if (earlier) {
          ineffective++;
          const how = earlier.text === text ? 'repeats' : 'is covered by';
          const message = `This match ${how} a match of ${kind} rule ${earlier.rule}, which Envoy tries first: it never selects this rule`;
          problems.push(report(resource, 'FNM702', message, [...path, 'match', j], { data: { rule: earlier.rule } }));
        } else {
          seen.push({ match, rule: i, text });
        }
      });
      if (ineffective === matches.length) {
        problems.push(report(resource, 'FNM701', `Unreachable: every match is taken by earlier ${kind} rules`, [...path, 'match'], { key: true }));
      }
    });
  }
  return problems;
};

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
 * Whether every request `later` accepts is accepted by `earlier` (so `later` never wins).
 * Conservative: a field it does not understand makes it answer false.
 */
function covers(earlier: Json, later: Json, kind: string): boolean {
  if (kind !== 'http') {
    return false; // tcp/tls: only exact repeats are reported
  }
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
