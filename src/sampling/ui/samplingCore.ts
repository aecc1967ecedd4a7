// Loads the sampling core (load generator on undici, histograms, statistics) on first use. The
// bundle keeps it in its own file (dist/sampling.js, see esbuild.mjs), so activation stays light;
// everything else in sampling/ui imports the core for types only.
import type * as Attribution from '../attribution';
import type * as Fit from '../goodnessOfFit';
import type * as Session from '../samplingSession';

export type SamplingCore = typeof Session & typeof Attribution & Pick<typeof Fit, 'verdictText'>;

let loading: Promise<SamplingCore> | undefined;

export function samplingCore(): Promise<SamplingCore> {
  // In the bundle both specifiers resolve to the same external file, which exports all of them.
  loading ??= Promise.all([import('../samplingSession.js'), import('../attribution.js'), import('../goodnessOfFit.js')]).then(([session, attribution, fit]) => ({
    ...attribution,
    ...session,
    verdictText: fit.verdictText,
  }));
  loading.catch(() => (loading = undefined));
  return loading;
}
