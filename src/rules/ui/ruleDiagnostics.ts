// The diagnostics adapter for rule files: records the text of YAML documents as they change,
// and after a short pause hands what changed to the validation worker (a thread of its own, so a
// large file never delays commands, views or typing). Publishes the worker's plain problems as
// diagnostics, with a code that links to its explanation, and keeps their quick fixes.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ClusterFacts } from '../clusterFacts';
import { docsLink } from '../codes';
import type { FileResult } from '../engine/ruleSession';
import { RuleWorkerClient } from '../engine/ruleWorkerClient';
import { isRuleText } from '../engine/ruleTexts';
import { isFuncYaml } from '../funcYaml';
import { closeAction, documentRole } from '../indexPolicy';
import type { Problem, Range } from '../problems';
import type { QuickFix } from '../quickFixes';
import { isYamlDocument, yamlFilesExclude, yamlFilesGlob } from './yamlFiles';

const maxWorkspaceFiles = 2000;
const debounceMs = 250;

export const diagnosticSource = 'fn-mesh';

export function toVsRange(r: Range): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

export class RuleDiagnostics implements vscode.Disposable {
  /** Changes since the last hand-over: an open document (read at the pause), a text, or null (gone). */
  private readonly pending = new Map<string, vscode.TextDocument | string | null>();
  private readonly ruleFilesFound = new vscode.EventEmitter<void>();
  /** Fires when the first rule file is opened or indexed (what starts the cluster facts). */
  readonly onDidFindRuleFiles = this.ruleFilesFound.event;
  private readonly collection = vscode.languages.createDiagnosticCollection('fn-mesh-rules');
  private readonly results = new Map<string, FileResult>();
  private readonly ruleFiles = new Set<string>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly worker: RuleWorkerClient;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly rulesDoc: string;
  private running: Promise<void> = Promise.resolve();

  constructor(
    extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.rulesDoc = vscode.Uri.joinPath(extensionUri, 'docs', 'rules.md').toString();
    this.worker = new RuleWorkerClient({
      script: path.join(extensionUri.fsPath, 'dist', 'ruleWorker.js'),
      schemaDir: path.join(extensionUri.fsPath, 'schemas'),
      onResult: (result) => this.publish(result),
      onRemoved: (uris) => uris.forEach((uri) => this.clear(uri)),
      log: (message) => this.log.warn(`rule checks: ${message}`),
    });
    const isYaml = isYamlDocument;
    this.subscriptions.push(
      this.collection,
      this.ruleFilesFound,
      vscode.workspace.onDidOpenTextDocument((doc) => isYaml(doc) && this.updateDocument(doc)),
      vscode.workspace.onDidChangeTextDocument((e) => e.contentChanges.length > 0 && isYaml(e.document) && this.updateDocument(e.document)),
      vscode.workspace.onDidDeleteFiles((e) => e.files.forEach((uri) => this.remove(uri))),
      vscode.workspace.onDidCloseTextDocument((doc) => isYaml(doc) && void this.closed(doc.uri)),
    );
    for (const doc of vscode.workspace.textDocuments.filter(isYaml)) {
      this.updateDocument(doc);
    }
    void this.scanWorkspace();
  }

  get hasRuleFiles(): boolean {
    return this.ruleFiles.size > 0;
  }

  /**
   * Cluster facts while connected, undefined when not. `namespace`: where documents that name
   * none will be applied (the connection's namespace); kept when omitted. The worker re-validates
   * only the rule files whose checks read what changed.
   */
  setClusterFacts(facts: ClusterFacts | undefined, namespace?: string): void {
    this.worker.setCluster(facts, namespace);
    this.schedule();
  }

  /** The problems last published for `uri` (what the quick-fix provider works from). */
  problemsOf(uri: vscode.Uri): readonly Problem[] {
    return this.results.get(uri.toString())?.problems ?? [];
  }

  /** The quick fixes of `problem` (one of problemsOf's), computed in the worker when asked for. */
  async fixesOf(uri: vscode.Uri, problem: Problem): Promise<readonly QuickFix[]> {
    const result = this.results.get(uri.toString());
    const i = result ? result.problems.indexOf(problem) : -1;
    return i >= 0 ? this.worker.fixesFor(uri.toString(), i) : [];
  }

  /** Records a text (read from disk, generated); checked after the pause like an edit. */
  update(uri: vscode.Uri, text: string): void {
    if (documentRole(uri.scheme) === 'ignored') {
      return; // diff views and other virtual documents are neither checked nor indexed
    }
    this.pending.set(uri.toString(), text);
    this.schedule();
  }

  remove(uri: vscode.Uri): void {
    this.pending.set(uri.toString(), null);
    this.clear(uri.toString());
    this.schedule();
  }

  /** Resolves once everything recorded so far has been validated and published (tests). */
  async settled(): Promise<void> {
    while (this.timer || this.pending.size > 0) {
      await new Promise((resolve) => setTimeout(resolve, debounceMs));
    }
    await this.running;
  }

  dispose(): void {
    if (this.timer) {
      clearTimeout(this.timer);
    }
    this.worker.dispose();
    vscode.Disposable.from(...this.subscriptions).dispose();
  }

  /** Keystrokes only record the document; its text is read and checked after the pause. */
  private updateDocument(doc: vscode.TextDocument): void {
    if (documentRole(doc.uri.scheme) === 'ignored') {
      return;
    }
    this.pending.set(doc.uri.toString(), doc);
    this.schedule();
  }

  /** An editor closed: the file on disk counts again (or nothing, when there is none). */
  private async closed(uri: vscode.Uri): Promise<void> {
    const action = closeAction(uri.scheme);
    if (action === 'drop') {
      this.remove(uri);
    } else if (action === 'reread') {
      try {
        this.update(uri, Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8'));
      } catch {
        this.remove(uri); // deleted or unreadable: nothing on disk stands for it
      }
    }
  }

  private schedule(): void {
    if (this.timer) {
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => this.handOver(), debounceMs);
  }

  private handOver(): void {
    this.timer = undefined;
    const first = this.ruleFiles.size === 0;
    for (const [key, change] of this.pending) {
      const text = change === null || typeof change === 'string' ? change : change.getText();
      if (text === null) {
        this.worker.deleteFile(key);
        this.ruleFiles.delete(key);
        continue;
      }
      this.worker.setFile(key, text);
      if (isRuleText(text) || isFuncYaml(key)) {
        this.ruleFiles.add(key);
      }
    }
    this.pending.clear();
    if (first && this.ruleFiles.size > 0) {
      this.ruleFilesFound.fire();
    }
    this.running = this.worker.validate();
  }

  private publish(result: FileResult): void {
    this.results.set(result.uri, result);
    this.collection.set(
      vscode.Uri.parse(result.uri),
      result.problems.map((p) => this.toDiagnostic(p)),
    );
  }

  private clear(key: string): void {
    this.results.delete(key);
    this.ruleFiles.delete(key);
    this.collection.delete(vscode.Uri.parse(key));
  }

  private toDiagnostic(p: Problem): vscode.Diagnostic {
    const severity =
      p.severity === 'error' ? vscode.DiagnosticSeverity.Error : p.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information;
    const d = new vscode.Diagnostic(toVsRange(p.range), p.message, severity);
    d.source = diagnosticSource;
    d.code = { value: p.code, target: vscode.Uri.parse(docsLink(p.code, this.rulesDoc)) };
    return d;
  }

  private async scanWorkspace(): Promise<void> {
    const files = await vscode.workspace.findFiles(yamlFilesGlob, yamlFilesExclude, maxWorkspaceFiles);
    for (const uri of files) {
      if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString())) {
        continue; // the editor's text wins over the file on disk
      }
      try {
        const bytes = await vscode.workspace.fs.readFile(uri);
        this.update(uri, Buffer.from(bytes).toString('utf8'));
      } catch (err) {
        this.log.warn(`cannot read ${uri.fsPath}: ${String(err)}`);
      }
    }
  }
}
