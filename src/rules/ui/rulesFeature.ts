// Wires the rule-file feature: diagnostics while typing, quick fixes, migrate and apply commands.
import * as vscode from 'vscode';
import type { RoutingService } from '../../routing/ui/routingService';
import type { YamlDocuments } from '../../routing/ui/yamlDocuments';
import { RuleCodeActions } from './ruleCodeActions';
import { registerRuleCommands } from './ruleCommands';
import { RuleDiagnostics } from './ruleDiagnostics';

export function createRulesFeature(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
  routing: RoutingService,
  documents: YamlDocuments,
): { diagnostics: RuleDiagnostics; disposables: vscode.Disposable[] } {
  const diagnostics = new RuleDiagnostics(context.extensionUri, log);
  return {
    diagnostics,
    disposables: [
      diagnostics,
      vscode.languages.registerCodeActionsProvider({ language: 'yaml' }, new RuleCodeActions(diagnostics), {
        providedCodeActionKinds: RuleCodeActions.kinds,
      }),
      ...registerRuleCommands({ log, diagnostics, routing, documents }),
    ],
  };
}
