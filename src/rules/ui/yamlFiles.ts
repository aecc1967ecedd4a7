// Which documents and workspace files the rule checks read. Apart from the diagnostics so that
// activation can tell whether the workspace has any without loading the rule features.
import type * as vscode from 'vscode';

export const yamlFilesGlob = '**/*.{yaml,yml}';
export const yamlFilesExclude = '**/{node_modules,.git}/**';

export function isYamlDocument(doc: vscode.TextDocument): boolean {
  return doc.languageId === 'yaml' || /\.ya?ml$/i.test(doc.uri.path);
}
