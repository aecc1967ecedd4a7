// Bounded latency histogram (HdrHistogram): constant memory however many values are recorded.
// Values are kept in microseconds from 1 µs to 1 hour with 3 significant digits, so any
// percentile is within 0.1% of the exact value (values above 1 hour are recorded as 1 hour).
import * as hdr from 'hdr-histogram-js';

const highestMicros = 3_600_000_000;

export interface LatencyPercentiles {
  /** Milliseconds; 0 when nothing was recorded. */
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  readonly count: number;
}

export class LatencyHistogram {
  private readonly histogram = hdr.build({
    bitBucketSize: 32,
    autoResize: false,
    lowestDiscernibleValue: 1,
    highestTrackableValue: highestMicros,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });

  /** Records one latency in milliseconds (negative or NaN values are recorded as 0). */
  record(ms: number): void {
    const micros = Number.isFinite(ms) && ms > 0 ? Math.min(highestMicros, Math.round(ms * 1000)) : 0;
    this.histogram.recordValue(micros);
  }

  get count(): number {
    return this.histogram.totalCount;
  }

  /** The latency (ms) below which `percentile` percent of the recorded values lie. */
  percentile(percentile: number): number {
    return this.histogram.totalCount === 0 ? 0 : this.histogram.getValueAtPercentile(percentile) / 1000;
  }

  percentiles(): LatencyPercentiles {
    return { p50: this.percentile(50), p95: this.percentile(95), p99: this.percentile(99), max: this.histogram.totalCount === 0 ? 0 : this.histogram.maxValue / 1000, count: this.count };
  }

  reset(): void {
    this.histogram.reset();
  }
}
