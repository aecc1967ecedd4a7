// Regular expressions in route matches must be RE2, as Envoy and istiod compile them (Go's
// `regexp` is RE2 too): no lookaround, no backreferences. Istio's validation also refuses an
// empty regex and one longer than 1024 characters. Covers VirtualService string matches (uri,
// scheme, method, authority, headers, withoutHeaders, queryParams), CORS origins and
// uriRegexRewrite, and Gateway API HTTPRoute `RegularExpression` path, header and query matches.
// Source of the rules: istio.io/istio pkg/config/validation (validateStringRegexp).
import { RE2JS } from 're2js';
import type { Problem, YamlPath } from '../problems';
import { asArray, asRecord, asString, gatewayApi, isIstio, isRecord } from '../resources';
import type { FileResource } from '../workspaceIndex';
import type { Check } from './report';
import { report } from './report';

/** Istio's limit on a regex's length (an approximation of Envoy's RE2 program size limit). */
export const maxRegexLength = 1024;

const verdicts = new Map<string, string | undefined>();

/**
 * Why RE2 refuses `pattern` (a sentence), or undefined when it compiles. Results are cached
 * (bounded), since large files repeat the same few patterns.
 */
export function re2Error(pattern: string): string | undefined {
  if (verdicts.has(pattern)) {
    return verdicts.get(pattern);
  }
  let verdict: string | undefined;
  if (pattern === '') {
    verdict = 'An empty regex is not allowed';
  } else if (pattern.length > maxRegexLength) {
    verdict = `The regex is ${pattern.length} characters long; Istio allows at most ${maxRegexLength}`;
  } else {
    try {
      RE2JS.compile(pattern);
    } catch (err) {
      const reason = err instanceof Error ? err.message.replace(/^error parsing regexp: /, '') : String(err);
      verdict = `RE2 (used by Envoy and istiod) does not accept this regex: ${reason}${/\(\?[=!<]/.test(pattern) ? ' (RE2 has no lookaround)' : ''}`;
    }
  }
  if (verdicts.size > 1000) {
    verdicts.clear();
  }
  verdicts.set(pattern, verdict);
  return verdict;
}

export const checkRegexes: Check = (resource) => {
  const problems: Problem[] = [];
  const check = (value: unknown, path: YamlPath): void => {
    const pattern = asString(value);
    const error = pattern === undefined ? undefined : re2Error(pattern);
    if (error) {
      problems.push(report(resource, 'FNM112', error, path));
    }
  };
  if (isIstio(resource.ref, 'VirtualService')) {
    virtualServiceRegexes(resource, check);
  } else if (resource.ref.group === gatewayApi && (resource.ref.kind === 'HTTPRoute' || resource.ref.kind === 'GRPCRoute')) {
    httpRouteRegexes(resource, check);
  }
  return problems;
};

type Visit = (value: unknown, path: YamlPath) => void;

/** A StringMatch's `regex`, when it has one. */
function stringMatch(match: unknown, path: YamlPath, visit: Visit, skipStar = false): void {
  if (isRecord(match) && match.regex !== undefined && !(skipStar && match.regex === '*')) {
    visit(match.regex, [...path, 'regex']);
  }
}

function virtualServiceRegexes(resource: FileResource, visit: Visit): void {
  asArray(asRecord(resource.value.spec).http).forEach((entry, i) => {
    const route = asRecord(entry);
    const path: YamlPath = ['spec', 'http', i];
    asArray(route.match).forEach((m, j) => {
      const match = asRecord(m);
      const at: YamlPath = [...path, 'match', j];
      for (const field of ['uri', 'scheme', 'method', 'authority']) {
        stringMatch(match[field], [...at, field], visit);
      }
      for (const field of ['headers', 'queryParams', 'withoutHeaders']) {
        for (const [name, value] of Object.entries(asRecord(match[field]))) {
          // In withoutHeaders, `regex: "*"` means "header present", not a regex.
          stringMatch(value, [...at, field, name], visit, field === 'withoutHeaders');
        }
      }
    });
    const cors = asRecord(route.corsPolicy);
    asArray(cors.allowOrigins).forEach((origin, j) => stringMatch(origin, [...path, 'corsPolicy', 'allowOrigins', j], visit));
    const rewrite = asRecord(asRecord(route.rewrite).uriRegexRewrite);
    if (rewrite.match !== undefined) {
      visit(rewrite.match, [...path, 'rewrite', 'uriRegexRewrite', 'match']);
    }
  });
}

function httpRouteRegexes(resource: FileResource, visit: Visit): void {
  asArray(asRecord(resource.value.spec).rules).forEach((rule, i) => {
    asArray(asRecord(rule).matches).forEach((m, j) => {
      const match = asRecord(m);
      const at: YamlPath = ['spec', 'rules', i, 'matches', j];
      const typed = (node: unknown, path: YamlPath): void => {
        const n = asRecord(node);
        if (n.type === 'RegularExpression' && n.value !== undefined) {
          visit(n.value, [...path, 'value']);
        }
      };
      typed(match.path, [...at, 'path']);
      asArray(match.headers).forEach((h, k) => typed(h, [...at, 'headers', k]));
      asArray(match.queryParams).forEach((q, k) => typed(q, [...at, 'queryParams', k]));
    });
  });
}
