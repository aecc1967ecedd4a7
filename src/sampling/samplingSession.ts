// One sampling run as the output panel shows it: the load generator feeds the statistics, every
// response is offered as a line (throttled), and a summary table is produced every second. The
// caller gives the sinks (the panel, the chart, the status bar) and the weights source; no `vscode`.
import { runLoad, type LoadResult } from './loadGenerator';
import type { LoadOptions } from './loadOptions';
import { SamplerStats, type ResponseSample, type SamplerSnapshot, type SamplerStatsOptions, type WeightsSource } from './samplerStats';
import { formatResponseLine, formatSummaryTable, LineThrottle } from './samplingFormat';

/** The run's last line, for the panel (re-exported: the UI reaches the core only through this module's bundle). */
export { formatRunEnd } from './samplingFormat';

export interface SessionOptions {
  readonly load: Omit<LoadOptions, 'onSample' | 'signal'>;
  readonly weights: WeightsSource;
  readonly stats?: SamplerStatsOptions;
  /** Most response lines per second; the rest are counted in "… N more responses". Default 20. */
  readonly linesPerSecond?: number;
  /** Summary period in ms. Default 1000. */
  readonly summaryEveryMs?: number;
  /** Receives each line of text for the panel (response lines, "… N more", summary tables). */
  readonly onText: (text: string) => void;
  /** Receives each summary's snapshot (for the chart and the status bar). */
  readonly onSnapshot?: (snapshot: SamplerSnapshot) => void;
}

export interface SamplingSession {
  readonly stats: SamplerStats;
  /** Resolves when the run ends by itself or after stop(); after a final summary. Never rejects for network faults. */
  readonly done: Promise<LoadResult>;
  /** Stops at once (requests in flight are cut off). */
  stop(): Promise<LoadResult>;
}

/**
 * Starts sampling. Invalid load options reject `done` with a LoadOptionsError (nothing is sent).
 * A sink that throws stops the run and rejects `done` with its error.
 */
export function startSampling(o: SessionOptions): SamplingSession {
  const stats = new SamplerStats(o.weights, o.stats);
  const throttle = new LineThrottle(o.linesPerSecond ?? 20);
  const controller = new AbortController();
  const summary = (): void => {
    const held = throttle.flush();
    if (held) {
      o.onText(held);
    }
    const snapshot = stats.snapshot();
    o.onText(formatSummaryTable(snapshot, Date.now()));
    o.onSnapshot?.(snapshot);
  };
  let sinkError: { error: unknown } | undefined;
  const timer = setInterval(() => {
    try {
      summary();
    } catch (error) {
      sinkError ??= { error };
      controller.abort();
    }
  }, o.summaryEveryMs ?? 1000);
  const onSample = (s: ResponseSample): void => {
    stats.record(s);
    if (throttle.offer(Date.now())) {
      o.onText(formatResponseLine(s));
    }
  };
  const done = runLoad({ ...o.load, signal: controller.signal, onSample }).then(
    (result) => {
      clearInterval(timer);
      summary();
      stats.dispose();
      if (sinkError) {
        throw sinkError.error;
      }
      return result;
    },
    (error: unknown) => {
      clearInterval(timer);
      stats.dispose();
      throw error;
    },
  );
  return {
    stats,
    done,
    stop: () => {
      controller.abort();
      return done;
    },
  };
}
