// Text for the sampling output panel: one line per response (throttled) and a fixed-width
// summary table. Pure functions of their inputs; the caller owns the clock and the panel.
import { verdictText } from './goodnessOfFit';
import type { LoadResult } from './loadGenerator';
import type { ResponseSample, SamplerSnapshot, TransportError } from './samplerStats';

const errorWords: Record<TransportError, string> = {
  refused: 'connection refused',
  reset: 'connection reset',
  timeout: 'timed out',
  protocol: 'not an HTTP answer',
  dns: 'host not found',
  other: 'failed',
};

/** "HH:MM:SS.mmm" in UTC. */
export function formatTime(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(11, 23);
}

/** `12:00:01.234  v2        200   12.3 ms`, or the failure in words instead of the status. */
export function formatResponseLine(s: ResponseSample): string {
  const outcome = s.error ? (s.status === undefined ? errorWords[s.error] : `${s.status} ${errorWords[s.error]}`) : String(s.status ?? '-');
  return `${formatTime(s.at)}  ${pad(s.version, 12)}  ${pad(outcome, 5)}  ${ms(s.latencyMs)} ms`;
}

/**
 * Lets through at most `perSecond` lines in each second of the clock the caller gives, and counts
 * the rest. `offer` says whether to print a line; `flush` returns "… N more responses" for what
 * was held back since the last flush (or undefined), and is meant to be called once a second.
 */
export class LineThrottle {
  private second = -1;
  private printed = 0;
  private held = 0;

  constructor(private readonly perSecond: number) {
    if (!(perSecond >= 0)) {
      throw new RangeError(`line throttle: ${perSecond} lines per second must be >= 0`);
    }
  }

  offer(nowMs: number): boolean {
    const second = Math.floor(nowMs / 1000);
    if (second !== this.second) {
      this.second = second;
      this.printed = 0;
    }
    if (this.printed < this.perSecond) {
      this.printed++;
      return true;
    }
    this.held++;
    return false;
  }

  flush(): string | undefined {
    if (this.held === 0) {
      return undefined;
    }
    const line = `… ${this.held} more response${this.held === 1 ? '' : 's'}`;
    this.held = 0;
    return line;
  }
}

/**
 * The summary table: a header, one row per version (count, share, weight, difference, p50, p95,
 * p99 in ms, error rate) and the verdict. Shares are of the verdict window; counts since start.
 * While the window waits for the mesh to apply changed weights, the first line says so.
 */
export function formatSummaryTable(s: SamplerSnapshot, nowMs: number): string {
  const head = ['version', 'count', 'share', 'weight', 'diff', 'p50 ms', 'p95 ms', 'p99 ms', 'errors'];
  const rows = s.rows.map((r) => [
    r.version,
    String(r.count),
    percent(r.share),
    r.weight === undefined ? '-' : percent(r.weight),
    r.difference === undefined ? '-' : `${r.difference >= 0 ? '+' : ''}${r.difference.toFixed(1)}`,
    r.latency.count ? ms(r.latency.p50) : '-',
    r.latency.count ? ms(r.latency.p95) : '-',
    r.latency.count ? ms(r.latency.p99) : '-',
    r.count ? percent(100 * r.errorRate) : '-',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const window =
    nowMs < s.windowStartedAt
      ? `the weights changed: verdict window opens in ${Math.ceil((s.windowStartedAt - nowMs) / 1000)} s, once the mesh has applied them`
      : `verdict window ${s.windowTotal} responses over ${Math.round((nowMs - s.windowStartedAt) / 1000)} s`;
  // Every answer failed or named no version (a fault, a route to elsewhere): the verdict can only
  // wait, so the reason is said beside it.
  const fromRoute = s.rows.filter((r) => r.weight !== undefined).reduce((sum, r) => sum + r.windowCount, 0);
  const why = s.windowTotal > 0 && fromRoute === 0 ? ` (none of the ${s.windowTotal} responses in the window came from a version of the route: see the rows above)` : '';
  return [
    `── ${formatTime(nowMs)}  ${s.total} responses, ${s.errors} errors; ${window}`,
    line(head),
    ...rows.map(line),
    `verdict: ${verdictText(s.verdict)}${why}`,
  ].join('\n');
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text.padEnd(width);
}

function ms(value: number): string {
  return value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : value.toFixed(0);
}

function percent(value: number): string {
  return `${value.toFixed(1)}%`;
}

const stopWords: Record<LoadResult['stoppedBy'], string> = {
  duration: 'its duration was reached',
  count: 'its request count was reached',
  abort: 'stopped',
};

/**
 * The line that ends a sampling run, e.g. `=== Sampling of hello-app ended (stopped): 184 requests
 * sent, 181 answered or failed in 43.9 s (4.1 a second; asked for 20 a second, 8 at a time)`.
 */
export function formatRunEnd(app: string, r: LoadResult): string {
  const seconds = r.elapsedMs / 1000;
  const achieved = seconds > 0 ? (r.reported / seconds).toFixed(1) : '0';
  const asked = Number.isFinite(r.ratePerSecond) ? `${r.ratePerSecond} a second` : 'as fast as possible';
  return `=== Sampling of ${app} ended (${stopWords[r.stoppedBy]}): ${r.sent} requests sent, ${r.reported} answered or failed in ${seconds.toFixed(1)} s (${achieved} a second; asked for ${asked}, ${r.concurrency} at a time)`;
}
