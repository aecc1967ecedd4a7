// A usual plan for the rollout tests: 10 → 25 → 50 → 100, one minute per step.
import type { RolloutPlan } from '../../../src/rollout/rolloutPlan';

export const plan: RolloutPlan = { newVersion: 'v2', steps: [10, 25, 50, 100], pauseSeconds: 60, gates: { maxErrorRate: 0.01, maxP95Ms: 500, minSamples: 100 } };
