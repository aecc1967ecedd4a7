// "Analyze with istioctl": runs the real `istioctl analyze` on the workspace's rule files (and the
// cluster while connected) and shows its findings in the Problems view beside Fn Mesh's, under
// source `istioctl`, each code linked to Istio's documentation. istioctl comes from the setting
// fnMesh.rules.istioctlPath, FN_MESH_ISTIOCTL or PATH.
import * as vscode from 'vscode';
import { commandIds } from '../../common/commandIds';
import { UserError } from '../../common/errors';
import { registerCommand } from '../../common/vscode/commands';
import { restrictedString } from '../../common/vscode/settings';
import type { KubeConnectionService } from '../../kube/ui/kubeConnectionService';
import { isRuleText } from '../engine/ruleTexts';
import type { IstioFinding, SkippedFile } from '../istioctl/istioctlOutput';
import { fileKeyOf, placeFinding } from '../istioctl/istioctlOutput';
import { analyzeFiles, findIstioctl } from '../istioctl/istioctlRun';
import type { YamlFile } from '../yamlDocuments';
import { parseYaml } from '../yamlDocuments';

export const istioctlSource = 'istioctl';

export function registerIstioctlCommand(log: vscode.LogOutputChannel, kube?: KubeConnectionService): vscode.Disposable[] {
  const collection = vscode.languages.createDiagnosticCollection('fn-mesh-istioctl');
  const command = registerCommand(log, commandIds.rulesAnalyzeWithIstioctl, async () => {
    // A program path from an untrusted workspace's settings is never run (only the user's own value).
    const configured = restrictedString(vscode.workspace.getConfiguration('fnMesh'), 'rules.istioctlPath')?.trim();
    const binary = findIstioctl(configured || undefined);
    if (!binary) {
      // The setting is a machine one: a workspace's value never counts, so say where it goes.
      throw new UserError('istioctl not found: set fnMesh.rules.istioctlPath in your user settings (a workspace cannot choose the program), or put istioctl on PATH');
    }
    const files = await ruleFiles();
    if (files.size === 0) {
      throw new UserError('no rule files (Istio or Gateway API YAML) in the workspace');
    }
    const state = kube ? await kube.state() : undefined;
    const connected = state?.kind === 'connected' ? state : undefined;
    const { findings, skipped, logLines } = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `istioctl analyze: ${files.size} file(s)${connected ? ` and ${connected.context.name}` : ''}` },
      () => analyzeFiles(binary, [...files.keys()], connected ? { kubeconfigFiles: connected.files, context: connected.context.name } : {}),
    );
    const unplaced = publish(collection, findings, files, skipped);
    log.info(`istioctl analyze (${binary}): ${findings.length} finding(s), ${unplaced.length} on objects outside the files, ${skipped.length} file document(s) skipped`);
    logLines.forEach((line) => log.info(`  istioctl: ${line}`));
    skipped.forEach((s) => log.warn(`  istioctl skipped ${s.file} (document ${s.document + 1}): ${s.reason}`));
    unplaced.forEach((f) => log.info(`  ${f.code} ${f.level} ${f.origin ? `${f.origin.kind} ${f.origin.namespace ?? ''}/${f.origin.name}` : ''}: ${f.message}`));
    const summary = `istioctl analyze: ${findings.length} finding(s)${unplaced.length > 0 ? `, ${unplaced.length} about cluster objects (see the log)` : ''}`;
    if (skipped.length > 0) {
      const names = [...new Set(skipped.map((s) => vscode.workspace.asRelativePath(s.file)))];
      const first = skipped[0];
      void vscode.window
        .showWarningMessage(
          `${summary}; istioctl could not read ${names.length} file(s) and analyzed the others without them: ${names.join(', ')} (${vscode.workspace.asRelativePath(first.file)}: ${first.reason})`,
          'Show Log',
        )
        .then((choice) => choice && log.show());
      return { findings, skipped };
    }
    void vscode.window.showInformationMessage(summary);
    return { findings, skipped };
  });
  return [collection, command];
}

/** Saved rule files of the workspace (istioctl reads the disk), by path, parsed for placing findings. */
async function ruleFiles(): Promise<Map<string, YamlFile>> {
  const out = new Map<string, YamlFile>();
  for (const uri of await vscode.workspace.findFiles('**/*.{yaml,yml}', '**/{node_modules,.git}/**', 2000)) {
    if (uri.scheme !== 'file') {
      continue;
    }
    const text = Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
    if (isRuleText(text)) {
      out.set(uri.fsPath, parseYaml(text));
    }
  }
  return out;
}

/** Replaces the istioctl diagnostics (a warning on each file istioctl skipped); returns the findings no file holds. */
function publish(collection: vscode.DiagnosticCollection, findings: readonly IstioFinding[], files: ReadonlyMap<string, YamlFile>, skipped: readonly SkippedFile[]): IstioFinding[] {
  collection.clear();
  const byFile = new Map<string, vscode.Diagnostic[]>();
  const unplaced: IstioFinding[] = [];
  for (const s of skipped) {
    const key = fileKeyOf(s.file, files.keys()) ?? s.file;
    const d = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0), `istioctl could not read document ${s.document + 1} of this file and analyzed the workspace without it: ${s.reason}`, vscode.DiagnosticSeverity.Warning);
    d.source = istioctlSource;
    byFile.set(key, [...(byFile.get(key) ?? []), d]);
  }
  for (const finding of findings) {
    const placed = placeFinding(finding, files);
    if (!placed) {
      unplaced.push(finding);
      continue;
    }
    const { start, end } = placed.range;
    const severity = finding.level === 'error' ? vscode.DiagnosticSeverity.Error : finding.level === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information;
    const d = new vscode.Diagnostic(new vscode.Range(start.line, start.character, end.line, end.character), finding.message, severity);
    d.source = istioctlSource;
    d.code = { value: finding.code, target: vscode.Uri.parse(finding.documentationUrl) };
    byFile.set(placed.file, [...(byFile.get(placed.file) ?? []), d]);
  }
  for (const [file, diagnostics] of byFile) {
    collection.set(vscode.Uri.file(file), diagnostics);
  }
  return unplaced;
}
