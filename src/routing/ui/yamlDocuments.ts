// Read-only YAML documents for previews and diffs (scheme `fn-mesh`), kept in memory.
import * as vscode from 'vscode';

export const previewScheme = 'fn-mesh';

export class YamlDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(previewScheme, this);

  /** A document URI with `text`; the same `name` is updated in place. */
  put(name: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: previewScheme, path: `/${name}.yaml` });
    this.texts.set(uri.toString(), text);
    this.changed.fire(uri);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}
