// Wires progressive rollout: the controller, its commands, and the question about a rollout that a
// previous window left unfinished.
import type * as vscode from 'vscode';
import type { RoutingService } from '../../routing/ui/routingService';
import type { SamplingController } from '../../sampling/ui/samplingController';
import { askAboutInterruptedRollout, registerRolloutCommands } from './rolloutCommands';
import { RolloutController } from './rolloutController';

export function createRolloutFeature(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
  routing: RoutingService,
  sampling: SamplingController,
): { rollouts: RolloutController; disposables: vscode.Disposable[] } {
  const rollouts = new RolloutController(log, routing, sampling, context.workspaceState);
  askAboutInterruptedRollout(log, rollouts);
  return { rollouts, disposables: registerRolloutCommands({ log, routing, rollouts }) };
}
