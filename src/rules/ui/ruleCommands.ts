// Rule-file commands: migrate 2018 rules, and apply the open rule file to the cluster (refused
// while it has errors, for Fn Mesh's own previews and other views that are not workspace files,
// and for objects the document was written against an older resourceVersion of; a server-side
// dry-run and a diff come first).
import * as vscode from 'vscode';
import { commandIds } from '../../common/commandIds';
import { UserError } from '../../common/errors';
import { registerCommand } from '../../common/vscode/commands';
import { ApplyWithRecovery } from '../../kube/objects/applyWithRecovery';
import { previewOfDiffs, staleObjects } from '../../kube/objects/diffObjects';
import { applyWithPrompts } from '../../kube/ui/applyRecoveryPrompts';
import type { ObjectToWrite } from '../../kube/objects/types';
import type { RoutingService } from '../../routing/ui/routingService';
import type { YamlDocuments } from '../../routing/ui/yamlDocuments';
import { applyRefusal } from '../indexPolicy';
import { migrateText } from '../migrate';
import { parseYaml } from '../yamlDocuments';
import type { RuleDiagnostics } from './ruleDiagnostics';

export interface RuleCommandDeps {
  readonly log: vscode.LogOutputChannel;
  readonly diagnostics: RuleDiagnostics;
  readonly routing: RoutingService;
  readonly documents: YamlDocuments;
}

function activeYaml(): vscode.TextDocument {
  const doc = vscode.window.activeTextEditor?.document;
  if (!doc) {
    throw new UserError('open a rule file (YAML) first');
  }
  return doc;
}

/** The documents of a rule file as objects to apply, namespaced to `namespace` when they name none. */
export function objectsOf(text: string, namespace: string): ObjectToWrite[] {
  return parseYaml(text)
    .documents.map((d) => d.value as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } } | null)
    .filter((v): v is NonNullable<typeof v> => v !== null && typeof v === 'object')
    .map((v, i) => {
      if (typeof v.apiVersion !== 'string' || typeof v.kind !== 'string' || typeof v.metadata?.name !== 'string') {
        throw new UserError(`document ${i + 1} has no apiVersion, kind or metadata.name`);
      }
      const ns = typeof v.metadata.namespace === 'string' ? v.metadata.namespace : namespace;
      return { ...v, metadata: { ...v.metadata, name: v.metadata.name, namespace: ns } } as ObjectToWrite;
    });
}

export function registerRuleCommands(deps: RuleCommandDeps): vscode.Disposable[] {
  const { log } = deps;
  return [
    registerCommand(log, commandIds.rulesMigrate, async () => {
      const doc = activeYaml();
      const result = migrateText(doc.getText());
      if (result.converted === 0) {
        throw new UserError('no config.istio.io/v1alpha2 RouteRule or DestinationPolicy in this file');
      }
      const out = await vscode.workspace.openTextDocument({ language: 'yaml', content: result.yaml });
      await vscode.window.showTextDocument(out);
      for (const note of result.notes) {
        log.warn(`migration of ${vscode.workspace.asRelativePath(doc.uri)}, document ${note.documentIndex + 1}, ${note.path.join('.')}: ${note.message}`);
      }
      const summary = `converted ${result.converted} 2018 rule(s); ${result.notes.length} note(s) about what has no equivalent`;
      void vscode.window.showInformationMessage(`Fn Mesh: ${summary}`, ...(result.notes.length ? ['Show Log'] : [])).then((c) => c && log.show());
      return result;
    }),
    registerCommand(log, commandIds.rulesApplyFile, async (confirmed?: unknown) => {
      const doc = activeYaml();
      const notAFile = applyRefusal(doc.uri.scheme, deps.documents.originOf(doc.uri));
      if (notAFile) {
        throw new UserError(`nothing applied: ${notAFile}`);
      }
      deps.diagnostics.update(doc.uri, doc.getText());
      const errors = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
      if (errors.length > 0) {
        throw new UserError(`${vscode.workspace.asRelativePath(doc.uri)} has ${errors.length} error(s); fix them before applying (first: line ${errors[0].range.start.line + 1}: ${errors[0].message})`);
      }
      const target = await deps.routing.resolve();
      const objects = objectsOf(doc.getText(), target.namespace);
      const diffs = await target.resources.diff(objects);
      // The document's own resourceVersions are preconditions; the diff's read stands for the cluster
      // (the apply below is guarded by it: whatever changes after it is refused too).
      const stale = staleObjects(objects, diffs);
      if (stale.length > 0) {
        throw new UserError(`${vscode.workspace.asRelativePath(doc.uri)} is out of date: ${stale.join(' ')}`);
      }
      const refused = diffs.filter((d) => d.change === 'error');
      if (refused.length > 0) {
        throw new UserError(`the API server's dry-run refused: ${refused.map((d) => d.error).join('; ')}`);
      }
      if (confirmed !== true) {
        const live = deps.documents.put('apply-live', diffs.map((d) => d.live).join('---\n'));
        const proposed = deps.documents.put('apply-proposed', diffs.map((d) => d.proposed).join('---\n'));
        await vscode.commands.executeCommand('vscode.diff', live, proposed, `${vscode.workspace.asRelativePath(doc.uri)}: cluster ↔ after apply`);
        const changes = diffs.filter((d) => d.change !== 'none').length;
        const choice = await vscode.window.showInformationMessage(`Apply ${objects.length} object(s) (${changes} change) to ${target.namespace} in ${target.context}?`, { modal: true }, 'Apply');
        if (choice !== 'Apply') {
          return undefined;
        }
      }
      const session = new ApplyWithRecovery(target.resources.client, objects, previewOfDiffs(diffs));
      return applyWithPrompts(log, `Apply ${vscode.workspace.asRelativePath(doc.uri)}`, session);
    }),
  ];
}
