// Rolls back an apply that failed part-way (or one the user regrets): objects it created are
// deleted, objects it changed get Fn Mesh's previous configuration re-applied. A step is refused
// when Fn Mesh's fields of the object changed since the apply (someone else's change is never
// lost), and every write is conditional on the resourceVersion just read. Pure: no `vscode`.
import { describeError } from '../../common/errors';
import { applyAsFnMesh, type RollbackPlan, type RollbackStep } from './applyObjects';
import { fieldManager, type KubeClient } from './kubeClient';
import { appliedConfiguration, jsonEqual } from './managedFields';
import { kubeStatusCode } from '../kubeErrors';
import { fieldConflicts, KubeObjectError } from './resourceErrors';
import { describeRef, type ObjectRef } from './types';

export interface RollbackResult {
  readonly ref: ObjectRef;
  readonly action: RollbackStep['action'];
  /** `not-done`: not tried because an earlier step failed (order matters: routes first). */
  readonly status: 'done' | 'failed' | 'not-done';
  readonly error?: string;
}

export interface RollbackOutcome {
  readonly ok: boolean;
  readonly results: readonly RollbackResult[];
  /** The steps still to do (the failed one first): what a retry of the rollback runs. */
  readonly remaining: RollbackPlan;
  readonly summary: string;
}

class StepRefused extends Error {}

/** One attempt: read, check that Fn Mesh's fields are as applied, write conditionally on what was read. */
async function tryStep(client: KubeClient, step: RollbackStep): Promise<void> {
  const current = await client.get(step.ref);
  if (!current) {
    if (step.action === 'delete') {
      return; // already gone
    }
    throw new StepRefused(`${describeRef(step.ref)} was deleted since Fn Mesh applied it; not re-created`);
  }
  if (!jsonEqual(appliedConfiguration(current, fieldManager), step.applied)) {
    throw new StepRefused(`${describeRef(step.ref)} changed since Fn Mesh applied it; left as it is so that the other change is not lost`);
  }
  const resourceVersion = current.metadata.resourceVersion;
  if (step.action === 'delete') {
    await client.delete(step.ref, resourceVersion ? { resourceVersion } : {});
  } else if (step.previous) {
    await applyAsFnMesh(client, { ...step.previous, metadata: { ...step.previous.metadata, ...(resourceVersion ? { resourceVersion } : {}) } });
  }
}

/** Attempts of a step whose write lost a race (a 409 on the resourceVersion, e.g. a controller's status update). */
const attempts = 5;

async function runStep(client: KubeClient, step: RollbackStep): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await tryStep(client, step);
    } catch (err) {
      const lostRace = kubeStatusCode(err) === 409 && !fieldConflicts(err);
      if (!lostRace || attempt >= attempts) {
        throw err instanceof StepRefused || err instanceof KubeObjectError ? err : new KubeObjectError(step.ref, err);
      }
      // Read again: the check runs on the new state, so another client's change is still never lost.
    }
  }
}

export async function rollbackApply(client: KubeClient, plan: RollbackPlan): Promise<RollbackOutcome> {
  const results: RollbackResult[] = [];
  for (const [i, step] of plan.steps.entries()) {
    try {
      await runStep(client, step);
      results.push({ ref: step.ref, action: step.action, status: 'done' });
    } catch (err) {
      const error = err instanceof StepRefused ? err.message : describeError(err);
      results.push(
        { ref: step.ref, action: step.action, status: 'failed', error },
        ...plan.steps.slice(i + 1).map((s) => ({ ref: s.ref, action: s.action, status: 'not-done' as const })),
      );
      return {
        ok: false,
        results,
        remaining: { steps: plan.steps.slice(i) },
        summary: `Rolled back ${i} of ${plan.steps.length} object(s), then stopped: ${error}`,
      };
    }
  }
  const deleted = results.filter((r) => r.action === 'delete').length;
  return {
    ok: true,
    results,
    remaining: { steps: [] },
    summary: `Rolled back ${plan.steps.length} object(s): ${deleted} deleted, ${plan.steps.length - deleted} restored.`,
  };
}
