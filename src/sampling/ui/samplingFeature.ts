// Wires the sampling feature: the controller (panel, status bar), the chart and the commands.
// Nothing heavy loads here: the core (undici, histograms) loads on the first Start Sampling.
import type * as vscode from 'vscode';
import type { KubeConnectionService } from '../../kube/ui/kubeConnectionService';
import type { RoutingService } from '../../routing/ui/routingService';
import { SamplingChartPanel } from './samplingChartPanel';
import { registerSamplingCommands } from './samplingCommands';
import { SamplingController } from './samplingController';

export function createSamplingFeature(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
  routing: RoutingService,
  kube: KubeConnectionService,
): { controller: SamplingController; disposables: vscode.Disposable[] } {
  const controller = new SamplingController(log, routing, kube);
  const chart = new SamplingChartPanel(context.extensionUri);
  return { controller, disposables: [controller, chart, ...registerSamplingCommands({ log, routing, controller, chart })] };
}
