// The one apply-with-recovery path of every command that applies objects (Route Traffic, route
// options, Apply Rule File): dry-run everything, apply in order, and after a failure offer Retry
// and Roll Back. The rollback accumulates across retries (each object keeps the state it had
// before the FIRST attempt), a retry is guarded by what this session wrote, and a rollback that
// stops half-way can be continued. A small state machine: each call returns the next step to
// show, with its severity and the actions to offer. Pure: no `vscode`.
import { applyObjects, type ApplyOutcome, type RollbackPlan, type RollbackStep } from './applyObjects';
import { sortForApply } from './applyOrder';
import type { KubeClient } from './kubeClient';
import { refKey, type Preview, type PreviewedState } from './preview';
import { rollbackApply, type RollbackOutcome } from './rollback';
import { refOf, type ObjectToWrite } from './types';

export type RecoveryAction = 'Retry' | 'Roll Back' | 'Continue Rollback';

/** What to show after each call. `error` steps are failures; `actions` are the ways on. */
export interface RecoveryStep {
  readonly severity: 'info' | 'error';
  readonly message: string;
  readonly actions: readonly RecoveryAction[];
  /** The apply this step reports (after `apply` and `retry`). */
  readonly outcome?: ApplyOutcome;
  /** The rollback this step reports (after `rollBack`). */
  readonly rollback?: RollbackOutcome;
}

export class ApplyWithRecovery {
  /** Undo steps of everything written so far, last applied first. */
  private steps: RollbackStep[] = [];
  private preview: Map<string, PreviewedState>;
  private readonly order: string[];

  constructor(
    private readonly client: KubeClient,
    private readonly objects: readonly ObjectToWrite[],
    preview?: Preview,
  ) {
    this.preview = new Map(preview ?? []);
    this.order = sortForApply(objects).map((o) => refKey(refOf(o)));
  }

  /** What Roll Back would undo now: every object written by any attempt of this session. */
  get pendingRollback(): RollbackPlan {
    return { steps: [...this.steps] };
  }

  /** The first attempt. A dry-run refusal here wrote nothing: an error with nothing to recover. */
  apply(): Promise<RecoveryStep> {
    return this.attempt();
  }

  /** Dry-run and apply again; the rollback keeps what earlier attempts wrote. */
  retry(): Promise<RecoveryStep> {
    return this.attempt();
  }

  /** Rolls back everything accumulated; a stop half-way is an error offering Continue Rollback. */
  async rollBack(): Promise<RecoveryStep> {
    const outcome = await rollbackApply(this.client, this.pendingRollback);
    this.steps = [...outcome.remaining.steps];
    if (outcome.ok) {
      return { severity: 'info', message: outcome.summary, actions: [], rollback: outcome };
    }
    return { severity: 'error', message: `${outcome.summary} ${this.steps.length} object(s) still to roll back.`, actions: ['Continue Rollback'], rollback: outcome };
  }

  private async attempt(): Promise<RecoveryStep> {
    const outcome = await applyObjects(this.client, this.objects, { preview: this.preview });
    this.remember(outcome);
    const pending = this.steps.length;
    const recover: RecoveryAction[] = pending > 0 ? ['Retry', 'Roll Back'] : ['Retry'];
    if (outcome.ok) {
      return { severity: 'info', message: outcome.summary, actions: [], outcome };
    }
    if (outcome.failedPhase === 'dry-run') {
      // Nothing written by this attempt; earlier attempts' objects may still need rolling back.
      const earlier = pending > 0 ? ` Earlier attempts wrote ${pending} object(s): Roll Back undoes them.` : '';
      return { severity: 'error', message: `${outcome.summary}${earlier}`, actions: pending > 0 ? recover : [], outcome };
    }
    return { severity: 'error', message: `${outcome.summary} Roll Back undoes ${pending} object(s) written so far.`, actions: recover, outcome };
  }

  /** Merges the attempt's undo steps and guards the next retry by what it wrote. */
  private remember(outcome: ApplyOutcome): void {
    for (const [key, state] of outcome.after) {
      this.preview.set(key, state);
    }
    const byKey = new Map(this.steps.map((s) => [refKey(s.ref), s]));
    for (const step of outcome.rollback.steps) {
      const key = refKey(step.ref);
      const earlier = byKey.get(key);
      // The first attempt's action and previous state stay; the check uses what was applied last.
      byKey.set(key, earlier ? { ...earlier, applied: step.applied } : step);
    }
    const rank = (s: RollbackStep): number => this.order.indexOf(refKey(s.ref));
    this.steps = [...byKey.values()].sort((a, b) => rank(b) - rank(a));
  }
}
