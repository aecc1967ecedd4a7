// Quick fixes for rule-file diagnostics: the pure edits of src/rules/quickFixes.ts (computed in the
// validation worker when asked for) as WorkspaceEdits.
import * as vscode from 'vscode';
import { diagnosticSource, toVsRange, type RuleDiagnostics } from './ruleDiagnostics';

export class RuleCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly diagnostics: RuleDiagnostics) {}

  async provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    const actions: vscode.CodeAction[] = [];
    const problems = this.diagnostics.problemsOf(document.uri);
    for (const diagnostic of context.diagnostics.filter((d) => d.source === diagnosticSource)) {
      const code = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
      const problem = problems.find((p) => p.code === code && toVsRange(p.range).isEqual(diagnostic.range));
      if (!problem) {
        continue;
      }
      for (const fix of await this.diagnostics.fixesOf(document.uri, problem)) {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [diagnostic];
        action.isPreferred = fix.preferred;
        action.edit = new vscode.WorkspaceEdit();
        for (const edit of fix.edits) {
          action.edit.replace(vscode.Uri.parse(edit.uri), toVsRange(edit.range), edit.newText);
        }
        actions.push(action);
      }
    }
    return actions;
  }
}
