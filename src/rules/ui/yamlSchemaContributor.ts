// Completion and hover wherever rules are written: registers Fn Mesh's rule schema with the Red Hat
// YAML extension's schema contributor API, chosen by each file's content (apiVersion/kind) rather
// than by its name. Does nothing when that extension is not installed; the `yamlValidation`
// patterns of package.json remain the fallback. Waits for the first YAML document before
// activating the YAML extension, so Fn Mesh's activation never starts it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CombinedSchema } from '../schemaAssociation';
import { combinedSchemaFile, schemaFileFor, schemaKinds } from '../schemaAssociation';

export const yamlExtensionId = 'redhat.vscode-yaml';
/** URI scheme of the schemas Fn Mesh contributes (`fnmesh-schema://schemas/fn-mesh-rules.json`). */
export const schemaScheme = 'fnmesh-schema';

/** The part of the YAML extension's exported API used here. */
interface YamlExtensionApi {
  registerContributor(
    schema: string,
    requestSchema: (resource: string) => string | undefined,
    requestSchemaContent: (uri: string) => string | undefined,
    label?: string,
  ): boolean;
}

export function registerYamlSchemaContributor(extensionUri: vscode.Uri, log: vscode.LogOutputChannel): vscode.Disposable {
  let done = false;
  const subscriptions: vscode.Disposable[] = [];
  const tryRegister = (): void => {
    const extension = vscode.extensions.getExtension<YamlExtensionApi>(yamlExtensionId);
    const hasYaml = vscode.workspace.textDocuments.some((d) => d.languageId === 'yaml');
    if (done || !extension || !hasYaml) {
      return;
    }
    done = true;
    extension.activate().then(
      (api) => register(api, extensionUri, log),
      (err: unknown) => log.warn(`rule schemas: the YAML extension did not activate: ${String(err)}`),
    );
  };
  subscriptions.push(vscode.workspace.onDidOpenTextDocument(tryRegister), vscode.extensions.onDidChange(tryRegister));
  tryRegister();
  return vscode.Disposable.from(...subscriptions);
}

function register(api: YamlExtensionApi | undefined, extensionUri: vscode.Uri, log: vscode.LogOutputChannel): void {
  if (typeof api?.registerContributor !== 'function') {
    log.warn('rule schemas: the YAML extension offers no schema contributor API; file patterns only');
    return;
  }
  const schemaDir = path.join(extensionUri.fsPath, 'schemas');
  let content: string | undefined;
  let known: ReadonlySet<string> | undefined;
  const combined = (): string => (content ??= fs.readFileSync(path.join(schemaDir, combinedSchemaFile), 'utf8'));
  const requestSchema = (resource: string): string | undefined => {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === resource);
    if (!doc) {
      return undefined;
    }
    try {
      known ??= schemaKinds(JSON.parse(combined()) as CombinedSchema);
      const file = schemaFileFor(doc.getText(), known);
      return file ? `${schemaScheme}://schemas/${file}` : undefined;
    } catch (err) {
      log.warn(`rule schemas: ${String(err)}`);
      return undefined;
    }
  };
  const requestSchemaContent = (uri: string): string | undefined => (uri === `${schemaScheme}://schemas/${combinedSchemaFile}` ? combined() : undefined);
  if (api.registerContributor(schemaScheme, requestSchema, requestSchemaContent, 'Fn Mesh route rules')) {
    log.info('rule schemas: associated by content through the YAML extension');
  }
}
