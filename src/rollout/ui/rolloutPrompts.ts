// Asks for a rollout plan: the new version, the steps (preset or custom list), the pause per step
// and the health gates; for Export Rollout Plan…, also the controller. Each answer is checked where it is typed; a given `input` skips the prompts
// (commands run from tests or other commands pass it).
import * as vscode from 'vscode';
import { UserError } from '../../common/errors';
import type { RoutedAppView } from '../../routing/cluster/routingView';
import { isExportTargetKind, type ExportTargetKind } from './exportTargets';
import { defaultSteps, parseSteps, type RolloutPlan, type RolloutPlanError } from '../rolloutPlan';

/** What a caller may pass instead of answering prompts. */
export interface PlanInput {
  readonly newVersion?: string;
  /** "10, 25, 50, 100" or a list of numbers. */
  readonly steps?: string | readonly number[];
  readonly pauseSeconds?: number;
  /** Percent (0–100). */
  readonly maxErrorPercent?: number;
  readonly maxP95Ms?: number;
  readonly minSamples?: number;
}

/** Export Rollout Plan…'s input for automation and tests: the plan, and the controller (default Flagger). */
export interface ExportInput extends PlanInput {
  readonly target?: ExportTargetKind;
}

/** Ends the command quietly (registerCommand treats an AbortError as a cancellation). */
const cancelled = (): never => {
  throw Object.assign(new Error('cancelled'), { name: 'AbortError' });
};

async function askNumber(title: string, value: number, min: number, max: number, unit: string): Promise<number> {
  const text = await vscode.window.showInputBox({
    title,
    value: String(value),
    validateInput: (t) => {
      const n = Number(t);
      return Number.isFinite(n) && n >= min && n <= max ? undefined : `a number of ${unit} from ${min} to ${max}`;
    },
  });
  return text === undefined ? cancelled() : Number(text);
}

function stepsOf(input: string | readonly number[]): number[] {
  try {
    return parseSteps(typeof input === 'string' ? input : input.join(','));
  } catch (err) {
    throw new UserError((err as RolloutPlanError).message);
  }
}

/** The plan for rolling out a version of `view`; throws an AbortError when the user cancels. */
export async function askRolloutPlan(view: RoutedAppView, input: PlanInput = {}): Promise<RolloutPlan> {
  const candidates = view.versions.filter((v) => v.weight < 100).map((v) => v.version);
  if (candidates.length === 0) {
    throw new UserError(`${view.appName} has no version to roll out: every version already has all the traffic or there is only one`);
  }
  const newVersion =
    input.newVersion ??
    (await vscode.window.showQuickPick(candidates.map((v) => ({ label: v, description: `now ${view.versions.find((x) => x.version === v)?.weight}%` })), { title: `Roll out which version of ${view.appName}?` }))?.label ??
    cancelled();
  if (!view.versions.some((v) => v.version === newVersion)) {
    throw new UserError(`${view.appName} has no version ${newVersion} (it has ${view.versions.map((v) => v.version).join(', ')})`);
  }
  let steps: number[];
  if (input.steps !== undefined) {
    steps = stepsOf(input.steps);
  } else {
    const preset = await vscode.window.showQuickPick([{ label: defaultSteps.join(' → ') }, { label: 'Custom steps…' }], { title: `Steps of ${newVersion}'s weight` });
    if (!preset) {
      return cancelled();
    }
    if (preset.label === 'Custom steps…') {
      const text = await vscode.window.showInputBox({
        title: `Steps of ${newVersion}'s weight (percent)`,
        value: '5, 20, 50, 100',
        validateInput: (t) => {
          try {
            parseSteps(t);
            return undefined;
          } catch (err) {
            return (err as Error).message;
          }
        },
      });
      steps = stepsOf(text ?? cancelled());
    } else {
      steps = [...defaultSteps];
    }
  }
  const pauseSeconds = input.pauseSeconds ?? (await askNumber('Seconds of sampling per step', 30, 1, 3600, 'seconds'));
  const maxErrorPercent = input.maxErrorPercent ?? (await askNumber(`Highest error rate of ${newVersion} per step (%)`, 1, 0, 100, 'percent'));
  const maxP95Ms = input.maxP95Ms ?? (await askNumber(`Highest p95 latency of ${newVersion} (ms)`, 500, 1, 600_000, 'ms'));
  const minSamples = input.minSamples ?? (await askNumber(`Responses of ${newVersion} needed per step`, 20, 1, 1_000_000, 'responses'));
  return { newVersion, steps, pauseSeconds, gates: { maxErrorRate: maxErrorPercent / 100, maxP95Ms, minSamples: Math.floor(minSamples) } };
}

/**
 * Why Export Rollout Plan… does not offer Argo Rollouts yet, though `argoRollout` builds a Rollout the
 * API server accepts: Argo's subset-level Istio routing adds its `rollouts-pod-template-hash` label to
 * both DestinationRule subsets and expects them to select labels every pod of the Rollout shares,
 * while Fn Mesh's subsets select the `version` label, which the pods of one Rollout (one pod
 * template) share only with one subset: the stable subset would select no pod (Argo Rollouts docs,
 * "Istio: subset-level traffic splitting").
 */
export const argoNotOffered =
  "Argo Rollouts is not offered yet: Argo adds its pod-template hash to both DestinationRule subsets, and Fn Mesh's subsets also select the version label, which the pods of one Rollout cannot all carry, so traffic to the stable subset would reach no pod. Export for Flagger instead.";

/**
 * Which controller the plan is exported for: Flagger (also when `input` names none). Argo Rollouts
 * is refused with `argoNotOffered`; any other name is refused naming it.
 */
export function askExportTarget(input: ExportInput | undefined): Promise<ExportTargetKind> {
  const target: unknown = input?.target ?? 'flagger';
  if (target === 'argo') {
    return Promise.reject(new UserError(argoNotOffered));
  }
  if (!isExportTargetKind(target)) {
    return Promise.reject(new UserError(`target: "${String(target)}" is not a controller Fn Mesh exports to (flagger)`));
  }
  return Promise.resolve(target);
}
