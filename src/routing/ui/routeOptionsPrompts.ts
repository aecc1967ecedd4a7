// The questions of the route option commands: input boxes and quick picks that validate as the
// user types, with the values in force as defaults. Each returns a change, or undefined when the
// user cancels.
import * as vscode from 'vscode';
import { describeError } from '../../common/errors';
import { checkOutlierDetection, istioDuration, type OutlierDetectionOptions, type RetryOptions, type RouteOptions } from '../manifests/routeOptions';
import { optionsInForce, type OptionKind, type RouteOptionsChange } from '../routeOptionsPlan';

const headerName = /^[a-z0-9][a-z0-9-]{0,99}$/;

/** Undefined when `check` accepts the value, else its message (what validateInput wants). */
function problem(check: () => void): string | undefined {
  try {
    check();
    return undefined;
  } catch (err) {
    return describeError(err);
  }
}

function parseNumber(text: string, what: string): number {
  const n = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(n)) {
    throw new Error(`${what} must be a number`);
  }
  return n;
}

const percent = (n: number, what: string): void => {
  if (n <= 0 || n > 100) {
    throw new Error(`${what} must be above 0 and at most 100`);
  }
};

const wholeIn = (min: number, max: number) => (n: number, what: string) => {
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`${what} must be a whole number from ${min} to ${max}`);
  }
};

const seconds = (n: number, what: string): void => void istioDuration(n, what);

/** A number box; with `optional`, an empty answer is `null` (leave it out). */
async function askNumber(title: string, what: string, value: number | undefined, check: (n: number, what: string) => void, optional = false): Promise<number | null | undefined> {
  const text = await vscode.window.showInputBox({
    title,
    prompt: optional ? `${what} (leave empty for none)` : what,
    value: value === undefined ? '' : String(value),
    validateInput: (t) => (optional && t.trim() === '' ? undefined : problem(() => check(parseNumber(t, what), what))),
  });
  if (text === undefined) {
    return undefined;
  }
  return optional && text.trim() === '' ? null : parseNumber(text, what);
}

async function pickVersion(title: string, versions: readonly string[]): Promise<string | undefined> {
  return (await vscode.window.showQuickPick([...versions], { title }))?.toString();
}

export async function askPin(app: string, versions: readonly string[]): Promise<RouteOptionsChange | undefined> {
  const title = `Pin requests of ${app} by header`;
  const header = await vscode.window.showInputBox({
    title,
    prompt: 'Header name (lower case), e.g. x-fn-version',
    value: 'x-fn-version',
    validateInput: (t) => (headerName.test(t) ? undefined : 'Lower-case letters, digits and "-", e.g. x-fn-version'),
  });
  if (!header) {
    return undefined;
  }
  const match = await vscode.window.showQuickPick(
    [
      { label: 'exact', description: 'the header equals the value' },
      { label: 'prefix', description: 'the header starts with the value' },
    ],
    { title },
  );
  const value = match && (await vscode.window.showInputBox({ title, prompt: `Value of ${header}`, validateInput: (t) => (/^[\x20-\x7e]{1,256}$/.test(t) ? undefined : '1 to 256 printable ASCII characters') }));
  const version = value && (await pickVersion(`Requests with ${header} ${match?.label === 'prefix' ? 'starting with' : '='} ${value} go to`, versions));
  if (!match || !value || !version) {
    return undefined;
  }
  return { kind: 'pin', pin: { header, value, version, ...(match.label === 'prefix' ? { match: 'prefix' as const } : {}) } };
}

export async function askFault(app: string, current: RouteOptions): Promise<RouteOptionsChange | undefined> {
  const title = `Fault injection for ${app}`;
  const kind = await vscode.window.showQuickPick(['Delay', 'Abort', 'Delay and abort'], { title });
  if (!kind) {
    return undefined;
  }
  let delay: { percent: number; seconds: number } | undefined;
  let abort: { percent: number; httpStatus: number } | undefined;
  if (kind.startsWith('Delay')) {
    const s = await askNumber(title, 'Fixed delay in seconds', current.fault?.delay?.seconds ?? 5, seconds);
    const p = s && (await askNumber(title, 'Percentage of requests to delay', current.fault?.delay?.percent ?? 10, percent));
    if (!s || !p) {
      return undefined;
    }
    delay = { percent: p, seconds: s };
  }
  if (kind.endsWith('bort')) {
    const status = await askNumber(title, 'HTTP status to answer with', current.fault?.abort?.httpStatus ?? 503, wholeIn(200, 599));
    const p = status && (await askNumber(title, 'Percentage of requests to abort', current.fault?.abort?.percent ?? 10, percent));
    if (!status || !p) {
      return undefined;
    }
    abort = { percent: p, httpStatus: status };
  }
  return { kind: 'fault', fault: { ...(delay ? { delay } : {}), ...(abort ? { abort } : {}) } };
}

export async function askMirror(app: string, versions: readonly string[], current: RouteOptions): Promise<RouteOptionsChange | undefined> {
  const title = `Mirror traffic of ${app}`;
  const version = await pickVersion(`${title}: copy requests to (answers are dropped)`, versions);
  const p = version && (await askNumber(title, 'Percentage of requests to copy', current.mirror?.percent ?? 100, percent));
  return version && p ? { kind: 'mirror', mirror: { version, percent: p } } : undefined;
}

export async function askTimeouts(app: string, current: RouteOptions): Promise<RouteOptionsChange | undefined> {
  const title = `Timeout and retries of ${app}`;
  const timeout = await askNumber(title, 'Request timeout in seconds', current.timeoutSeconds, seconds, true);
  if (timeout === undefined) {
    return undefined;
  }
  const attempts = await askNumber(title, "Retry attempts (0 turns retries off; empty keeps Istio's default)", current.retries?.attempts, wholeIn(0, 10), true);
  if (attempts === undefined) {
    return undefined;
  }
  let retries: RetryOptions | undefined;
  if (attempts !== null && attempts > 0) {
    const perTry = await askNumber(title, 'Timeout per try in seconds', current.retries?.perTryTimeoutSeconds, seconds, true);
    const retryOn =
      perTry === undefined
        ? undefined
        : await vscode.window.showInputBox({
            title,
            prompt: 'Retry on (Envoy conditions). Retrying on 5xx runs a function again: only for idempotent functions',
            value: current.retries?.retryOn ?? 'connect-failure,refused-stream,unavailable',
            validateInput: (t) => (t === '' || /^[a-z0-9-]+(,[a-z0-9-]+)*$/.test(t) ? undefined : 'A comma-separated list like connect-failure,503'),
          });
    if (perTry === undefined || retryOn === undefined) {
      return undefined;
    }
    retries = { attempts, ...(perTry !== null ? { perTryTimeoutSeconds: perTry } : {}), ...(retryOn ? { retryOn } : {}) };
  } else if (attempts === 0) {
    retries = { attempts: 0 };
  }
  return { kind: 'timeouts', ...(timeout !== null ? { timeoutSeconds: timeout } : {}), ...(retries ? { retries } : {}) };
}

export async function askOutlier(app: string, current: OutlierDetectionOptions | undefined): Promise<RouteOptionsChange | undefined> {
  const title = `Outlier detection (circuit breaking) of ${app}`;
  const errors = await askNumber(title, 'Consecutive 5xx errors before a proxy is ejected', current?.consecutive5xxErrors ?? 5, wholeIn(1, 1000));
  const interval = errors && (await askNumber(title, 'Interval between checks, in seconds', current?.intervalSeconds ?? 10, seconds));
  const base = interval && (await askNumber(title, 'Base ejection time in seconds', current?.baseEjectionSeconds ?? 30, seconds));
  const max = base && (await askNumber(title, 'Maximum percentage of proxies ejected at once', current?.maxEjectionPercent ?? 100, wholeIn(0, 100)));
  if (!errors || !interval || !base || max === undefined || max === null) {
    return undefined;
  }
  const outlier = { consecutive5xxErrors: errors, intervalSeconds: interval, baseEjectionSeconds: base, maxEjectionPercent: max };
  checkOutlierDetection(outlier);
  return { kind: 'outlier', outlier };
}

const kindLabels: Record<OptionKind, string> = {
  pins: 'Header pins',
  fault: 'Fault injection',
  mirror: 'Mirroring',
  timeouts: 'Timeout and retries',
  outlier: 'Outlier detection',
};

export async function askClear(app: string, route: RouteOptions, outlier: OutlierDetectionOptions | undefined): Promise<RouteOptionsChange | undefined> {
  const inForce = optionsInForce(route, outlier);
  const picked = await vscode.window.showQuickPick(
    inForce.map((option) => ({ label: kindLabels[option], picked: true, option })),
    { title: `Route options of ${app} to clear (weights are kept)`, canPickMany: true },
  );
  return picked && picked.length > 0 ? { kind: 'clear', what: picked.map((p) => p.option) } : undefined;
}
