// The diagnostics adapter for rule files: keeps a workspace index of YAML files, validates the
// files that hold routing rules (debounced, so typing is never blocked) and publishes the plain
// problems of src/rules as diagnostics, with a code that links to its explanation.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ClusterFacts } from '../clusterFacts';
import { docsLink } from '../codes';
import { isFuncYaml } from '../funcYaml';
import { closeAction, documentRole } from '../indexPolicy';
import type { Problem, Range } from '../problems';
import { loadSchemaStore, type SchemaStore } from '../schemaStore';
import { validateFile } from '../validate';
import { WorkspaceIndex } from '../workspaceIndex';
import { parseYaml } from '../yamlDocuments';

/** Files that hold routing rules; other YAML is indexed (for cross-file facts) but left alone. */
const ruleApi = /^\s*apiVersion:\s*["']?(networking\.istio\.io|gateway\.networking\.k8s\.io|config\.istio\.io)\//m;
const maxWorkspaceFiles = 2000;

export const diagnosticSource = 'fn-mesh';

export function toVsRange(r: Range): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

export class RuleDiagnostics implements vscode.Disposable {
  private current = new WorkspaceIndex();
  /** Every indexed file (rule files and other YAML), to carry them over to a new index. */
  private readonly indexed = new Set<string>();
  private readonly ruleFilesFound = new vscode.EventEmitter<void>();
  /** Fires when the first rule file is opened or indexed (what starts the cluster facts). */
  readonly onDidFindRuleFiles = this.ruleFilesFound.event;
  private schemaStore: SchemaStore | undefined;
  private readonly collection = vscode.languages.createDiagnosticCollection('fn-mesh-rules');
  private readonly problems = new Map<string, Problem[]>();
  private readonly ruleFiles = new Set<string>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly rulesDoc: string;
  private readonly schemaDir: string;

  constructor(
    extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.schemaDir = path.join(extensionUri.fsPath, 'schemas');
    this.rulesDoc = vscode.Uri.joinPath(extensionUri, 'docs', 'rules.md').toString();
    const isYaml = (doc: vscode.TextDocument): boolean => doc.languageId === 'yaml' || /\.ya?ml$/i.test(doc.uri.path);
    this.subscriptions.push(
      this.collection,
      this.ruleFilesFound,
      vscode.workspace.onDidOpenTextDocument((doc) => isYaml(doc) && this.update(doc.uri, doc.getText())),
      vscode.workspace.onDidChangeTextDocument((e) => isYaml(e.document) && this.update(e.document.uri, e.document.getText())),
      vscode.workspace.onDidDeleteFiles((e) => e.files.forEach((uri) => this.remove(uri))),
      vscode.workspace.onDidCloseTextDocument((doc) => isYaml(doc) && void this.closed(doc.uri)),
    );
    for (const doc of vscode.workspace.textDocuments.filter(isYaml)) {
      this.update(doc.uri, doc.getText());
    }
    void this.scanWorkspace();
  }

  /** The workspace index (replaced when the namespace of documents without one changes). */
  get index(): WorkspaceIndex {
    return this.current;
  }

  get hasRuleFiles(): boolean {
    return this.ruleFiles.size > 0;
  }

  /**
   * Cluster facts while connected, undefined when not; re-validates every rule file. `namespace`:
   * where documents that name none will be applied (the connection's namespace); kept when omitted.
   */
  setClusterFacts(facts: ClusterFacts | undefined, namespace?: string): void {
    if (namespace !== undefined && namespace !== this.current.defaultNamespace) {
      const next = new WorkspaceIndex(namespace);
      for (const key of this.indexed) {
        const file = this.current.file(key);
        if (file) {
          next.setFile(key, file, { private: this.current.isPrivate(key) });
        }
      }
      this.current = next;
    }
    this.current.setCluster(facts);
    this.schedule();
  }

  /** The problems last published for `uri` (what the quick-fix provider works from). */
  problemsOf(uri: vscode.Uri): readonly Problem[] {
    return this.problems.get(uri.toString()) ?? [];
  }

  /** Indexes (and checks) a document's text, as indexPolicy.ts says for its scheme. */
  update(uri: vscode.Uri, text: string): void {
    const role = documentRole(uri.scheme);
    if (role === 'ignored') {
      return;
    }
    const key = uri.toString();
    this.current.setFile(key, parseYaml(text), { private: role === 'private' });
    this.indexed.add(key);
    if (ruleApi.test(text) || isFuncYaml(uri.path)) {
      const first = this.ruleFiles.size === 0;
      this.ruleFiles.add(key);
      if (first) {
        this.ruleFilesFound.fire();
      }
    } else if (this.ruleFiles.delete(key)) {
      this.problems.delete(key);
      this.collection.delete(uri);
    }
    this.schedule();
  }

  remove(uri: vscode.Uri): void {
    const key = uri.toString();
    this.current.deleteFile(key);
    this.indexed.delete(key);
    this.ruleFiles.delete(key);
    this.problems.delete(key);
    this.collection.delete(uri);
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

  dispose(): void {
    if (this.timer) {
      clearTimeout(this.timer);
    }
    vscode.Disposable.from(...this.subscriptions).dispose();
  }

  /** Cross-file checks: a change anywhere re-validates every rule file, after a short pause. */
  private schedule(): void {
    if (this.timer) {
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => this.publishAll(), 250);
  }

  private publishAll(): void {
    this.timer = undefined;
    for (const key of this.ruleFiles) {
      const uri = vscode.Uri.parse(key);
      try {
        // The schemas are read on the first validation, not at activation.
        this.schemaStore ??= loadSchemaStore(this.schemaDir);
        const problems = validateFile(key, this.current, this.schemaStore);
        this.problems.set(key, problems);
        this.collection.set(uri, problems.map((p) => this.toDiagnostic(p)));
      } catch (err) {
        this.log.error(`validating ${uri.fsPath}: ${String(err)}`);
      }
    }
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
    const files = await vscode.workspace.findFiles('**/*.{yaml,yml}', '**/{node_modules,.git}/**', maxWorkspaceFiles);
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
