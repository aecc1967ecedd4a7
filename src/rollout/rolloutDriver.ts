// Runs a rollout step by step through injected effects: write weights (the guarded update the
// routing layer owns), sample for a while, save the state. Pure of `vscode` and of timers: every
// wait is inside `effects.sample`. Weights always total 100: each write is a whole step's weights
// or the starting weights, and a failed write leaves the last good ones and stops the rollout.
import { describeWeights, decide, isFinal, stepWeights, type Decision, type RolloutState, type StepHealth } from './rolloutState';
import type { WeightMap } from './rolloutPlan';

/** The update must fail unless the route still has `expected` (nobody else changed it meanwhile). */
export interface WeightsGuard {
  readonly expected: WeightMap;
}

export interface RolloutEffects {
  /** Writes the route's weights; rejects (changing nothing) when the guard fails or the cluster is lost. */
  setWeights(weights: WeightMap, guard: WeightsGuard): Promise<void>;
  /** Samples the new version for `durationMs` (or until `signal` aborts) and returns its health. */
  sample(durationMs: number, signal: AbortSignal): Promise<StepHealth>;
  /** Persists the state (to survive a window reload). A throw is reported, not fatal. */
  save(state: RolloutState): void | Promise<void>;
  /** Clock, epoch ms. Default Date.now. */
  now?(): number;
}

export type RolloutListener = (state: RolloutState) => void;

export class RolloutDriver {
  private current: RolloutState;
  private loop: Promise<RolloutState> | undefined;
  /** A pause, promote or roll back in progress: run() settles after it. */
  private command: Promise<RolloutState> | undefined;
  private stopRequested = false;
  private sampling: AbortController | undefined;
  private readonly listeners = new Set<RolloutListener>();

  constructor(
    state: RolloutState,
    private readonly effects: RolloutEffects,
  ) {
    this.current = state;
  }

  get state(): RolloutState {
    return this.current;
  }

  /** Calls `listener` after every change of state; returns a function that unsubscribes. */
  onChange(listener: RolloutListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Runs (or keeps running) the rollout until it is promoted, rolled back, paused or interrupted.
   * Never rejects: failures become the "interrupted" status with a message.
   */
  run(): Promise<RolloutState> {
    if (this.current.status === 'interrupted' || this.current.status === 'paused') {
      void this.update({ status: 'running', holds: 0, message: `resumed at ${describeWeights(this.current.appliedWeights)}` });
    }
    this.loop ??= this.steps().finally(() => (this.loop = undefined));
    return this.loop.then(async () => {
      while (this.command) {
        await this.command;
      }
      return this.current;
    });
  }

  /** Runs one command at a time; run() waits for it before it settles. */
  private exclusive(action: () => Promise<RolloutState>): Promise<RolloutState> {
    const previous = this.command ?? Promise.resolve(this.current);
    const next = previous.then(action, action).finally(() => {
      if (this.command === next) {
        this.command = undefined;
      }
    });
    this.command = next;
    return next;
  }

  /** Stops after the current write; the weights stay where they are. */
  pause(): Promise<RolloutState> {
    return this.exclusive(async () => {
      await this.stop();
      if (this.current.status === 'running') {
        await this.update({ status: 'paused', message: `paused at ${describeWeights(this.current.appliedWeights)}` });
      }
      return this.current;
    });
  }

  /** Sends all traffic to the new version now (the weights of the last step). */
  promoteNow(): Promise<RolloutState> {
    return this.exclusive(async () => {
      await this.stop();
      if (isFinal(this.current.status)) {
        return this.current;
      }
      const last = this.current.plan.steps.length - 1;
      return this.write(stepWeights(this.current, last), { status: 'promoted', stepIndex: last, message: `${this.current.plan.newVersion} promoted by hand` });
    });
  }

  /** Stops and returns to the starting weights ("aborted"). */
  abort(): Promise<RolloutState> {
    return this.rollBack('aborted', 'aborted by hand');
  }

  /** Returns to the starting weights: after an interruption, or when a gate fails. */
  rollBack(status: 'rolled-back' | 'aborted' = 'rolled-back', reason = 'rolled back by hand'): Promise<RolloutState> {
    return this.exclusive(async () => {
      await this.stop();
      if (isFinal(this.current.status)) {
        return this.current;
      }
      return this.write({ ...this.current.startWeights }, { status, message: `${reason}: weights back to ${describeWeights(this.current.startWeights)}` });
    });
  }

  private async stop(): Promise<void> {
    if (this.loop) {
      this.stopRequested = true;
      this.sampling?.abort();
      await this.loop;
      this.stopRequested = false;
    }
  }

  private async steps(): Promise<RolloutState> {
    const plan = this.current.plan;
    if (this.current.stepIndex < 0 && !(await this.applyStep(0))) {
      return this.current;
    }
    while (this.current.status === 'running' && !this.stopRequested) {
      const index = this.current.stepIndex;
      if (index === plan.steps.length - 1) {
        await this.update({ status: 'promoted', message: `${plan.newVersion} promoted: it has all the traffic` });
        break;
      }
      let health: StepHealth;
      this.sampling = new AbortController();
      try {
        health = await this.effects.sample(plan.pauseSeconds * 1000, this.sampling.signal);
      } catch (err) {
        if (!this.stopRequested) {
          await this.update({ status: 'interrupted', message: `sampling failed at step ${index + 1} (${(err as Error).message}); weights stay at ${describeWeights(this.current.appliedWeights)}: resume or roll back` });
        }
        break;
      } finally {
        this.sampling = undefined;
      }
      if (this.stopRequested) {
        break;
      }
      const decision = decide(plan, health, this.current.holds);
      await this.record(decision, health);
      if (decision.kind === 'hold') {
        await this.update({ holds: this.current.holds + 1 });
      } else if (decision.kind === 'rollback') {
        await this.write({ ...this.current.startWeights }, { status: 'rolled-back', message: `rolled back at step ${index + 1}: ${decision.reason}; weights back to ${describeWeights(this.current.startWeights)}` });
      } else if (!(await this.applyStep(index + 1))) {
        break;
      }
    }
    return this.current;
  }

  /** Writes the weights of step `index`; false (and "interrupted") when the write fails. */
  private async applyStep(index: number): Promise<boolean> {
    const percent = this.current.plan.steps[index];
    await this.write(stepWeights(this.current, index), { stepIndex: index, holds: 0, message: `step ${index + 1} of ${this.current.plan.steps.length}: ${this.current.plan.newVersion} at ${percent}%` });
    return this.current.status === 'running';
  }

  /** The one place weights are written. On failure the state keeps the last good weights. */
  private async write(weights: WeightMap, change: Partial<RolloutState>): Promise<RolloutState> {
    try {
      await this.effects.setWeights(weights, { expected: this.current.appliedWeights });
    } catch (err) {
      return this.update({
        status: 'interrupted',
        message: `could not set the weights ${describeWeights(weights)}: ${(err as Error).message}. The route keeps ${describeWeights(this.current.appliedWeights)}; resume to try again, or roll back to ${describeWeights(this.current.startWeights)}`,
      });
    }
    return this.update({ ...change, appliedWeights: weights });
  }

  private record(decision: Decision, health: StepHealth): Promise<RolloutState> {
    const index = this.current.stepIndex;
    const entry = { step: index, percent: this.current.plan.steps[index], decision: decision.kind, reason: decision.reason, health, at: this.now() };
    return this.update({ history: [...this.current.history, entry], message: `step ${index + 1}: ${decision.kind}: ${decision.reason}` });
  }

  private async update(change: Partial<RolloutState>): Promise<RolloutState> {
    this.current = { ...this.current, ...change, updatedAt: this.now() };
    try {
      await this.effects.save(this.current);
    } catch (err) {
      this.current = { ...this.current, message: `${this.current.message} (the state could not be saved: ${(err as Error).message})` };
    }
    for (const l of this.listeners) {
      try {
        l(this.current);
      } catch {
        // a listener's failure must not stop or corrupt the rollout
      }
    }
    return this.current;
  }

  private now(): number {
    return this.effects.now ? this.effects.now() : Date.now();
  }
}
