// The presets Adjust Weights offers for a routed app: even split, all to one version, and (for a
// version picked in the view) shift N% to it. Pure: no `vscode`.
import { allTo, evenSplit, shiftTo, type Weights } from './weights';

export interface WeightPreset {
  readonly label: string;
  readonly weights: Weights;
}

/** Percent points the "Shift N% to" presets move. */
export const shiftSteps = [10, 25, 50] as const;

/**
 * Presets for a route whose weights are `current` (in route order), with `focus` the version
 * right-clicked, if any. Never throws for a route the view can show: shifting needs some traffic
 * to shift from, so a route whose weights total zero (allowed in a Gateway API HTTPRoute: every
 * request fails) gets no shift presets, only the ones that set every weight.
 */
export function weightPresets(current: Weights, focus: string | undefined): WeightPreset[] {
  const versions = [...current.keys()];
  if (versions.length === 0) {
    return [];
  }
  const total = [...current.values()].reduce((a, b) => a + b, 0);
  const canShift = focus !== undefined && current.has(focus) && total > 0;
  return [
    { label: 'Even split', weights: evenSplit(versions) },
    ...versions.map((v) => ({ label: `All traffic to ${v}`, weights: allTo(versions, v) })),
    ...(canShift ? shiftSteps.map((n) => ({ label: `Shift ${n}% to ${focus}`, weights: shiftTo(current, focus, n) })) : []),
  ];
}
