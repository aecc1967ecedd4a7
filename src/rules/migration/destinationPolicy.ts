// One 2018 DestinationPolicy (config.istio.io/v1alpha2) as a v1 traffic policy: load balancing
// and the simple circuit breaker, which v1 splits into connectionPool and outlierDetection.
// A policy with destination labels applies to the subset those labels define.
import type { Json } from '../resources';
import { asRecord, asString, isRecord } from '../resources';
import type { NoteSink } from './notes';
import { durationOf, labelsOf, legacyHost, subsetName } from './legacyDestination';

export interface ConvertedPolicy {
  readonly host: string;
  /** Set when the policy applies to one subset. */
  readonly subset?: { readonly name: string; readonly labels: Readonly<Record<string, string>> };
  readonly trafficPolicy: Json;
}

const loadBalancers: Readonly<Record<string, string>> = {
  ROUND_ROBIN: 'ROUND_ROBIN',
  LEAST_CONN: 'LEAST_REQUEST',
  RANDOM: 'RANDOM',
};

/** simpleCb field -> [v1 section, v1 field, is a duration]. */
const circuitBreakerFields: Readonly<Record<string, readonly [string, string, boolean]>> = {
  maxConnections: ['tcp', 'maxConnections', false],
  connectTimeout: ['tcp', 'connectTimeout', true],
  httpMaxPendingRequests: ['http', 'http1MaxPendingRequests', false],
  httpMaxRequests: ['http', 'http2MaxRequests', false],
  httpMaxRequestsPerConnection: ['http', 'maxRequestsPerConnection', false],
  httpMaxRetries: ['http', 'maxRetries', false],
  httpConsecutiveErrors: ['outlier', 'consecutive5xxErrors', false],
  httpDetectionInterval: ['outlier', 'interval', true],
  sleepWindow: ['outlier', 'baseEjectionTime', true],
  httpMaxEjectionPercent: ['outlier', 'maxEjectionPercent', false],
};

export function convertDestinationPolicy(value: Json, notes: NoteSink): ConvertedPolicy | undefined {
  const spec = asRecord(value.spec);
  const host = legacyHost(spec.destination, asString(asRecord(value.metadata).namespace));
  if (!host) {
    notes.warn(['spec', 'destination'], 'DestinationPolicy without spec.destination.name: not converted');
    return undefined;
  }
  notes.unknownKeys(spec, ['destination', 'source', 'loadBalancing', 'circuitBreaker'], ['spec']);
  if (spec.source !== undefined) {
    notes.warn(['spec', 'source'], 'A policy per client (source) has no equivalent: the DestinationRule applies to every client');
  }
  const trafficPolicy: Json = {};
  const lb = asString(asRecord(spec.loadBalancing).name);
  if (lb !== undefined) {
    if (loadBalancers[lb]) {
      trafficPolicy.loadBalancer = { simple: loadBalancers[lb] };
    } else {
      notes.warn(['spec', 'loadBalancing', 'name'], `Load balancer ${lb} has no equivalent`);
    }
  }
  const simpleCb = asRecord(asRecord(spec.circuitBreaker).simpleCb);
  const tcp: Json = {};
  const http: Json = {};
  const outlier: Json = {};
  for (const [key, v] of Object.entries(simpleCb)) {
    const target = circuitBreakerFields[key];
    if (!target) {
      notes.warn(['spec', 'circuitBreaker', 'simpleCb', key], `'${key}' has no equivalent in networking.istio.io/v1 and was dropped`);
      continue;
    }
    const [section, field, isDuration] = target;
    (section === 'tcp' ? tcp : section === 'http' ? http : outlier)[field] = isDuration ? durationOf(v, ['spec', 'circuitBreaker', 'simpleCb', key], notes) : v;
  }
  if (isRecord(asRecord(spec.circuitBreaker).custom)) {
    notes.warn(['spec', 'circuitBreaker', 'custom'], 'A custom circuit breaker has no equivalent');
  }
  const connectionPool = { ...(Object.keys(tcp).length > 0 ? { tcp } : {}), ...(Object.keys(http).length > 0 ? { http } : {}) };
  if (Object.keys(connectionPool).length > 0) {
    trafficPolicy.connectionPool = connectionPool;
  }
  if (Object.keys(outlier).length > 0) {
    trafficPolicy.outlierDetection = outlier;
  }
  const labels = labelsOf(asRecord(spec.destination).labels);
  const subset = Object.keys(labels).length > 0 ? { name: subsetName(labels), labels } : undefined;
  return { host, ...(subset ? { subset } : {}), trafficPolicy };
}
