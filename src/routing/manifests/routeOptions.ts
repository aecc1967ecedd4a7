// Options of the routing rules beyond the weights: header pinning, fault injection, mirroring,
// timeouts, retries and outlier detection; their checks and the duration formats each API wants.
// Pure: no `vscode`.
import { UserError } from '../../common/errors';
import type { RoutedApp } from '../model';

/** Name of the weighted (default) route or rule: what weight updates look for. */
export const weightedRouteName = 'weighted';

/** Requests whose header matches go to `version`, whatever the weights say. */
export interface HeaderPin {
  /** Lower-case header name, e.g. `x-fn-version`. */
  readonly header: string;
  readonly value: string;
  /** Default `exact`. `prefix` exists only with Istio resources. */
  readonly match?: 'exact' | 'prefix';
  readonly version: string;
}

export interface FaultOptions {
  /** Delay `percent` of the requests by `seconds`. */
  readonly delay?: { readonly percent: number; readonly seconds: number };
  /** Answer `percent` of the requests with `httpStatus` without forwarding them. */
  readonly abort?: { readonly percent: number; readonly httpStatus: number };
}

/** Send a copy of `percent` (default 100) of the requests to `version`; its answers are dropped. */
export interface MirrorOptions {
  readonly version: string;
  readonly percent?: number;
}

export interface RetryOptions {
  /** 0 turns retries off (Istio otherwise retries twice by default). */
  readonly attempts: number;
  readonly perTryTimeoutSeconds?: number;
  /** Envoy retry conditions, e.g. `connect-failure,refused-stream,503`. Retrying on 5xx re-runs functions. */
  readonly retryOn?: string;
}

/** Every route (pinned ones included) gets the same fault, mirror, timeout and retry policy. */
export interface RouteOptions {
  readonly pins?: readonly HeaderPin[];
  readonly fault?: FaultOptions;
  readonly mirror?: MirrorOptions;
  readonly timeoutSeconds?: number;
  readonly retries?: RetryOptions;
}

/** Circuit breaking on the DestinationRule: eject a version's proxy after repeated 5xx. */
export interface OutlierDetectionOptions {
  readonly consecutive5xxErrors?: number;
  readonly intervalSeconds?: number;
  readonly baseEjectionSeconds?: number;
  readonly maxEjectionPercent?: number;
}

const headerName = /^[a-z0-9][a-z0-9-]{0,99}$/;
const headerValue = /^[\x20-\x7e]{1,256}$/;
const retryConditions = /^[a-z0-9-]+(,[a-z0-9-]+)*$/;
const maxDurationSeconds = 86_400;

function fail(message: string): never {
  throw new UserError(message);
}

function checkPercent(value: number, what: string): void {
  if (!Number.isFinite(value) || value <= 0 || value > 100) {
    fail(`${what} must be a percentage above 0 and at most 100, not ${value}`);
  }
}

function checkInteger(value: number, min: number, max: number, what: string): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    fail(`${what} must be a whole number from ${min} to ${max}, not ${value}`);
  }
}

/** Milliseconds of a duration given in seconds: at least 1 ms, whole milliseconds, at most a day. */
function milliseconds(seconds: number, what: string): number {
  const ms = Math.round(seconds * 1000);
  if (!Number.isFinite(seconds) || ms < 1 || seconds > maxDurationSeconds || Math.abs(ms - seconds * 1000) > 1e-6) {
    fail(`${what} must be a number of seconds from 0.001 to ${maxDurationSeconds} in whole milliseconds, not ${seconds}`);
  }
  return ms;
}

/** Istio (protobuf Duration) form: seconds with a decimal fraction, e.g. `1.5s`. */
export function istioDuration(seconds: number, what = 'Duration'): string {
  return `${milliseconds(seconds, what) / 1000}s`;
}

/** Gateway API form (`^([0-9]{1,5}(h|m|s|ms)){1,4}$`): whole seconds or milliseconds, e.g. `1500ms`. */
export function gatewayDuration(seconds: number, what = 'Duration'): string {
  const ms = milliseconds(seconds, what);
  if (ms % 1000 === 0) {
    return `${ms / 1000}s`;
  }
  if (ms > 99_999) {
    fail(`${what} of ${seconds} s must be whole seconds (the Gateway API allows at most 5 digits per unit)`);
  }
  return `${ms}ms`;
}

function checkVersion(app: RoutedApp, version: string, what: string): void {
  if (!app.versions.some((v) => v.version === version)) {
    fail(`${what} names version "${version}", which app "${app.fnAppName}" does not route to`);
  }
}

/** Throws a UserError for the first option that cannot be written safely. */
export function checkRouteOptions(app: RoutedApp, options: RouteOptions): void {
  const seen = new Set<string>();
  for (const pin of options.pins ?? []) {
    if (!headerName.test(pin.header)) {
      fail(`Header name ${JSON.stringify(pin.header)} must be lower-case letters, digits and "-"`);
    }
    if (!headerValue.test(pin.value)) {
      fail(`Header value ${JSON.stringify(pin.value)} must be 1 to 256 printable ASCII characters`);
    }
    const key = `${pin.header}\0${pin.match ?? 'exact'}\0${pin.value}`;
    if (seen.has(key)) {
      fail(`Header ${pin.header}: ${pin.value} is pinned twice`);
    }
    seen.add(key);
    checkVersion(app, pin.version, `Pin of header ${pin.header}`);
  }
  const { fault, mirror, retries } = options;
  if (fault?.delay) {
    checkPercent(fault.delay.percent, 'Delay percentage');
    istioDuration(fault.delay.seconds, 'Delay');
  }
  if (fault?.abort) {
    checkPercent(fault.abort.percent, 'Abort percentage');
    checkInteger(fault.abort.httpStatus, 200, 599, 'Abort HTTP status');
  }
  if (fault && !fault.delay && !fault.abort) {
    fail('Fault injection needs a delay, an abort, or both');
  }
  if (mirror) {
    checkVersion(app, mirror.version, 'Mirroring');
    checkPercent(mirror.percent ?? 100, 'Mirror percentage');
  }
  if (options.timeoutSeconds !== undefined) {
    istioDuration(options.timeoutSeconds, 'Timeout');
  }
  if (retries) {
    checkInteger(retries.attempts, 0, 10, 'Retry attempts');
    if (retries.perTryTimeoutSeconds !== undefined) {
      istioDuration(retries.perTryTimeoutSeconds, 'Per-try timeout');
    }
    if (retries.retryOn !== undefined && !retryConditions.test(retries.retryOn)) {
      fail(`Retry conditions ${JSON.stringify(retries.retryOn)} must be a comma-separated list like connect-failure,503`);
    }
  }
}

export function checkOutlierDetection(options: OutlierDetectionOptions): void {
  checkInteger(options.consecutive5xxErrors ?? 5, 1, 1000, 'Consecutive 5xx errors');
  istioDuration(options.intervalSeconds ?? 10, 'Outlier detection interval');
  istioDuration(options.baseEjectionSeconds ?? 30, 'Base ejection time');
  checkInteger(options.maxEjectionPercent ?? 100, 0, 100, 'Maximum ejection percentage');
}
