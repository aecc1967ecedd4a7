// Wires the rule-file feature: diagnostics while typing (with cluster facts when connected), quick
// fixes, migrate and apply commands.
import * as vscode from 'vscode';
import type { KubeConnectionService } from '../../kube/ui/kubeConnectionService';
import type { RoutingService } from '../../routing/ui/routingService';
import type { YamlDocuments } from '../../routing/ui/yamlDocuments';
import { ClusterFactsFeed } from './clusterFactsFeed';
import { RuleCodeActions } from './ruleCodeActions';
import { registerIstioctlCommand } from './istioctlCommand';
import { registerRuleCommands } from './ruleCommands';
import { RuleDiagnostics } from './ruleDiagnostics';
import { registerYamlSchemaContributor } from './yamlSchemaContributor';

export function createRulesFeature(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
  routing: RoutingService,
  documents: YamlDocuments,
  /** Given: the cluster-aware checks get their facts from this connection. */
  kube?: KubeConnectionService,
): { diagnostics: RuleDiagnostics; disposables: vscode.Disposable[] } {
  const diagnostics = new RuleDiagnostics(context.extensionUri, log);
  return {
    diagnostics,
    disposables: [
      diagnostics,
      registerYamlSchemaContributor(context.extensionUri, log),
      ...(kube ? [new ClusterFactsFeed(log, kube, diagnostics)] : []),
      vscode.languages.registerCodeActionsProvider({ language: 'yaml' }, new RuleCodeActions(diagnostics), {
        providedCodeActionKinds: RuleCodeActions.kinds,
      }),
      ...registerRuleCommands({ log, diagnostics, routing, documents }),
      ...registerIstioctlCommand(log, kube),
    ],
  };
}
