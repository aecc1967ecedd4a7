// One 2018 RouteRule (config.istio.io/v1alpha2) as one http route of a v1 VirtualService:
// match, weighted routes (label sets become subsets), redirect/rewrite, timeout, retries,
// fault, mirror, CORS and appended headers. Anything else is reported, not guessed.
import type { YamlPath } from '../problems';
import type { Json } from '../resources';
import { asArray, asNumber, asRecord, asString, isRecord } from '../resources';
import type { NoteSink } from './notes';
import { durationOf, labelsOf, legacyHost, subsetName } from './legacyDestination';

/** A subset a converted route needs in the DestinationRule of `host`. */
export interface NeededSubset {
  readonly host: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface ConvertedRoute {
  readonly host: string;
  readonly precedence: number;
  readonly hasMatch: boolean;
  readonly http: Json;
  readonly subsets: readonly NeededSubset[];
}

const knownSpecKeys = [
  'destination',
  'precedence',
  'match',
  'route',
  'redirect',
  'rewrite',
  'httpReqTimeout',
  'httpReqRetries',
  'httpFault',
  'mirror',
  'corsPolicy',
  'appendHeaders',
  'websocketUpgrade',
];

export function convertRouteRule(value: Json, notes: NoteSink): ConvertedRoute | undefined {
  const spec = asRecord(value.spec);
  const ruleNamespace = asString(asRecord(value.metadata).namespace);
  const host = legacyHost(spec.destination, ruleNamespace);
  if (!host) {
    notes.warn(['spec', 'destination'], 'RouteRule without spec.destination.name: not converted');
    return undefined;
  }
  notes.unknownKeys(spec, knownSpecKeys, ['spec']);
  const subsets: NeededSubset[] = [];
  const http: Json = {};
  const match = convertMatch(spec.match, notes);
  if (match) {
    http.match = [match];
  }
  http.route = convertRoutes(spec, host, ruleNamespace, subsets);
  for (const key of ['redirect', 'rewrite'] as const) {
    if (isRecord(spec[key])) {
      http[key] = pick(spec[key], ['uri', 'authority'], ['spec', key], notes);
    }
  }
  const timeout = asRecord(asRecord(spec.httpReqTimeout).simpleTimeout);
  if (timeout.timeout !== undefined) {
    http.timeout = durationOf(timeout.timeout, ['spec', 'httpReqTimeout', 'simpleTimeout', 'timeout'], notes);
  }
  noteExtras(timeout, ['timeout'], ['spec', 'httpReqTimeout', 'simpleTimeout'], notes);
  const retry = asRecord(asRecord(spec.httpReqRetries).simpleRetry);
  if (retry.attempts !== undefined || retry.perTryTimeout !== undefined) {
    http.retries = {
      ...(retry.attempts !== undefined ? { attempts: retry.attempts } : {}),
      ...(retry.perTryTimeout !== undefined ? { perTryTimeout: durationOf(retry.perTryTimeout, ['spec', 'httpReqRetries', 'simpleRetry', 'perTryTimeout'], notes) } : {}),
    };
  }
  noteExtras(retry, ['attempts', 'perTryTimeout'], ['spec', 'httpReqRetries', 'simpleRetry'], notes);
  const fault = convertFault(asRecord(spec.httpFault), notes);
  if (fault) {
    http.fault = fault;
  }
  if (isRecord(spec.mirror)) {
    const mirrorHost = legacyHost(spec.mirror, ruleNamespace);
    const labels = labelsOf(spec.mirror.labels);
    if (mirrorHost) {
      const subset = Object.keys(labels).length > 0 ? subsetName(labels) : undefined;
      http.mirror = { host: mirrorHost, ...(subset ? { subset } : {}) };
      if (subset) {
        subsets.push({ host: mirrorHost, name: subset, labels });
      }
    }
  }
  if (isRecord(spec.corsPolicy)) {
    http.corsPolicy = convertCors(spec.corsPolicy, notes);
  }
  if (isRecord(spec.appendHeaders)) {
    http.headers = { request: { add: spec.appendHeaders } };
  }
  if (spec.websocketUpgrade !== undefined) {
    notes.info(['spec', 'websocketUpgrade'], 'websocketUpgrade is no longer needed: Istio upgrades WebSocket connections by itself');
  }
  return { host, precedence: asNumber(spec.precedence) ?? 0, hasMatch: match !== undefined, http, subsets };
}

function convertRoutes(spec: Json, host: string, ruleNamespace: string | undefined, subsets: NeededSubset[]): Json[] {
  const routes = asArray(spec.route);
  if (routes.length === 0) {
    return [{ destination: { host } }];
  }
  return routes.map((r) => {
    const route = asRecord(r);
    const target = route.destination === undefined ? host : (legacyHost(route.destination, ruleNamespace) ?? host);
    const labels = labelsOf(route.labels);
    const subset = Object.keys(labels).length > 0 ? subsetName(labels) : undefined;
    if (subset) {
      subsets.push({ host: target, name: subset, labels });
    }
    const weight = asNumber(route.weight);
    return { destination: { host: target, ...(subset ? { subset } : {}) }, ...(weight !== undefined && routes.length > 1 ? { weight } : {}) };
  });
}

/** v1alpha2 matched uri/scheme/method/authority as pseudo-headers; v1 has fields for them. */
function convertMatch(match: unknown, notes: NoteSink): Json | undefined {
  if (!isRecord(match)) {
    return undefined;
  }
  notes.unknownKeys(match, ['source', 'request'], ['spec', 'match']);
  const out: Json = {};
  const source = asRecord(match.source);
  const sourceLabels = labelsOf(source.labels);
  if (Object.keys(sourceLabels).length > 0) {
    out.sourceLabels = sourceLabels;
  }
  if (source.name !== undefined) {
    notes.warn(['spec', 'match', 'source', 'name'], 'match.source.name has no equivalent: match the client by sourceLabels (for example its app label)');
  }
  for (const [name, condition] of Object.entries(asRecord(asRecord(match.request).headers))) {
    const stringMatch = pick(condition, ['exact', 'prefix', 'regex'], ['spec', 'match', 'request', 'headers', name], notes);
    if (['uri', 'scheme', 'method', 'authority'].includes(name)) {
      out[name] = stringMatch;
    } else {
      out.headers = { ...asRecord(out.headers), [name]: stringMatch };
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function convertFault(fault: Json, notes: NoteSink): Json | undefined {
  const out: Json = {};
  const delay = asRecord(fault.delay);
  if (delay.fixedDelay !== undefined) {
    out.delay = { fixedDelay: durationOf(delay.fixedDelay, ['spec', 'httpFault', 'delay', 'fixedDelay'], notes), ...percentage(delay.percent) };
  }
  if (delay.exponentialDelay !== undefined) {
    notes.warn(['spec', 'httpFault', 'delay', 'exponentialDelay'], 'exponentialDelay is not supported by Istio any more: use fixedDelay');
  }
  noteExtras(delay, ['percent', 'fixedDelay', 'exponentialDelay'], ['spec', 'httpFault', 'delay'], notes);
  const abort = asRecord(fault.abort);
  const status = abort.httpStatus ?? abort.grpcStatus ?? abort.http2Error;
  if (status !== undefined) {
    const key = abort.httpStatus !== undefined ? 'httpStatus' : abort.grpcStatus !== undefined ? 'grpcStatus' : 'http2Error';
    // v1 writes gRPC statuses and HTTP/2 errors as strings ("UNAVAILABLE", "PROTOCOL_ERROR").
    const text = typeof status === 'number' ? String(status) : status;
    out.abort = { [key]: key === 'httpStatus' ? status : text, ...percentage(abort.percent) };
  }
  noteExtras(abort, ['percent', 'httpStatus', 'grpcStatus', 'http2Error'], ['spec', 'httpFault', 'abort'], notes);
  if (fault.l4Fault !== undefined) {
    notes.warn(['spec', 'httpFault', 'l4Fault'], 'l4Fault has no equivalent in networking.istio.io/v1');
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function percentage(percent: unknown): Json {
  const value = asNumber(percent);
  return value === undefined ? {} : { percentage: { value } };
}

function convertCors(cors: Json, notes: NoteSink): Json {
  const out = pick(cors, ['allowMethods', 'allowHeaders', 'exposeHeaders', 'allowCredentials', 'allowOrigin', 'maxAge'], ['spec', 'corsPolicy'], notes);
  const origins = asArray(out.allowOrigin).flatMap((o) => (typeof o === 'string' ? [{ exact: o }] : []));
  delete out.allowOrigin;
  if (origins.length > 0) {
    out.allowOrigins = origins;
  }
  if (out.maxAge !== undefined) {
    out.maxAge = durationOf(out.maxAge, ['spec', 'corsPolicy', 'maxAge'], notes);
  }
  return out;
}

/** The listed keys of `value`; the others are reported as dropped. */
function pick(value: unknown, keys: readonly string[], path: YamlPath, notes: NoteSink): Json {
  const record = asRecord(value);
  notes.unknownKeys(record, keys, path);
  return Object.fromEntries(Object.entries(record).filter(([k]) => keys.includes(k)));
}

/** Reports overrideHeaderName (gone in v1) and any key outside `known`. */
function noteExtras(value: Json, known: readonly string[], path: YamlPath, notes: NoteSink): void {
  if (value.overrideHeaderName !== undefined) {
    notes.warn([...path, 'overrideHeaderName'], 'overrideHeaderName has no equivalent in networking.istio.io/v1');
  }
  notes.unknownKeys(value, [...known, 'overrideHeaderName'], path);
}
