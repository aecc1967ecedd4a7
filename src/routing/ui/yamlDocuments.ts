// Read-only YAML documents for previews and diffs (scheme `fn-mesh`), kept in memory.
import * as vscode from 'vscode';

export const previewScheme = 'fn-mesh';

export class YamlDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  /** The command each document was opened for, by URI. */
  private readonly origins = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(previewScheme, this);

  /**
   * A document URI with `text`; the same `name` is updated in place. `origin` names the command it
   * was opened for (`Route Traffic… on hello-app`): what a refusal to apply the preview points to.
   */
  put(name: string, text: string, origin?: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: previewScheme, path: `/${name}.yaml` });
    this.texts.set(uri.toString(), text);
    if (origin) {
      this.origins.set(uri.toString(), origin);
    }
    this.changed.fire(uri);
    return uri;
  }

  /** The command the document at `uri` was opened for, when it is one of these previews and said so. */
  originOf(uri: vscode.Uri): string | undefined {
    return this.origins.get(uri.toString());
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}
