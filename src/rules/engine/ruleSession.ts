// The engine's state for one workspace: the latest text of every YAML file, parsed lazily. Edits
// only record text; `flush` (called after the debounce) parses what changed and needs it, and says
// which rule files to re-validate. Used in the validation worker, by the command-line checker and
// by tests; knows nothing of VS Code or threads.
import type { ClusterFacts } from '../clusterFacts';
import type { Problem } from '../problems';
import type { QuickFix } from '../quickFixes';
import { quickFixesFor } from '../quickFixes';
import type { SchemaStore } from '../schemaStore';
import { validateFile } from '../validate';
import { WorkspaceIndex } from '../workspaceIndex';
import type { ParseOptions, YamlFile } from '../yamlDocuments';
import { parseYaml } from '../yamlDocuments';
import { documentRole } from '../indexPolicy';
import { isFuncYaml } from '../funcYaml';
import { compareFacts, isAffected } from './factsChange';
import { isRuleText, needsParsing } from './ruleTexts';

/** Problems of one rule file, each with its quick fixes (same order; empty when not asked for). */
export interface FileResult {
  readonly uri: string;
  readonly problems: readonly Problem[];
  readonly fixes: readonly (readonly QuickFix[])[];
}

export interface RuleSessionOptions {
  /** Where documents without metadata.namespace will be applied. */
  readonly defaultNamespace?: string;
  readonly parseOptions?: ParseOptions;
  /** The parser (tests count its calls). */
  readonly parse?: (text: string, options?: ParseOptions) => YamlFile;
}

export class RuleSession {
  private index: WorkspaceIndex;
  private readonly texts = new Map<string, string>();
  private readonly dirty = new Set<string>();
  private readonly ruleFiles = new Set<string>();
  private readonly parse: (text: string, options?: ParseOptions) => YamlFile;
  /** Files to re-validate at the next flush, whatever else changes. */
  private readonly owed = new Set<string>();
  private revalidateAll = false;

  constructor(
    private readonly schemas: () => SchemaStore,
    private readonly options: RuleSessionOptions = {},
  ) {
    this.index = new WorkspaceIndex(options.defaultNamespace);
    this.parse = options.parse ?? parseYaml;
  }

  /** Records the text of a file (cheap: nothing is parsed until `flush`). */
  setFile(uri: string, text: string): void {
    if (this.texts.get(uri) === text && !this.dirty.has(uri)) {
      return;
    }
    this.texts.set(uri, text);
    this.dirty.add(uri);
  }

  deleteFile(uri: string): void {
    this.texts.delete(uri);
    this.dirty.add(uri);
  }

  /**
   * New cluster facts (undefined: disconnected), and the namespace of documents that name none.
   * Only the rule files whose checks read what changed are re-validated.
   */
  setCluster(facts: ClusterFacts | undefined, namespace?: string): void {
    if (namespace !== undefined && namespace !== this.index.defaultNamespace) {
      const next = new WorkspaceIndex(namespace);
      for (const uri of this.texts.keys()) {
        const file = this.index.file(uri);
        if (file) {
          next.setFile(uri, file, { private: this.index.isPrivate(uri) });
        }
      }
      next.setCluster(facts);
      this.index = next;
      this.revalidateAll = true;
      return;
    }
    const change = compareFacts(this.index.clusterFacts, facts);
    this.index.setCluster(facts);
    if (change.all) {
      this.revalidateAll = true;
      return;
    }
    for (const uri of this.ruleFiles) {
      if (isAffected(change, this.index.resourcesOf(uri))) {
        this.owed.add(uri);
      }
    }
  }

  /** Whether `uri` holds routing rules (known after the flush that saw its text). */
  isRuleFile(uri: string): boolean {
    return this.ruleFiles.has(uri);
  }

  get hasRuleFiles(): boolean {
    return this.ruleFiles.size > 0;
  }

  /** The index (for tests and one-shot checks); reflects the last flush. */
  get workspace(): WorkspaceIndex {
    return this.index;
  }

  /**
   * Parses the files changed since the last flush (only those that need it) and returns the
   * rule files to validate now, plus `removed`: files that stopped being rule files (clear them).
   * A changed file that is indexed can change any rule file's cross-file checks: all are returned.
   */
  flush(onParse?: (uri: string) => void): { readonly validate: string[]; readonly removed: string[] } {
    const removed: string[] = [];
    let all = this.revalidateAll;
    for (const uri of this.dirty) {
      const text = this.texts.get(uri);
      const wasIndexed = this.index.file(uri) !== undefined;
      const wasRule = this.ruleFiles.has(uri);
      const ruleFile = text !== undefined && (isRuleText(text) || isFuncYaml(uri));
      if (text !== undefined && (ruleFile || needsParsing(text))) {
        onParse?.(uri);
        this.index.setFile(uri, this.parse(text, this.options.parseOptions), { private: roleOf(uri) === 'private' });
        all = true;
      } else if (wasIndexed) {
        this.index.deleteFile(uri);
        all = true;
      }
      if (ruleFile) {
        this.ruleFiles.add(uri);
        this.owed.add(uri);
      } else if (wasRule) {
        this.ruleFiles.delete(uri);
        removed.push(uri);
      }
    }
    this.dirty.clear();
    this.revalidateAll = false;
    const validate = all ? [...this.ruleFiles] : [...this.owed].filter((uri) => this.ruleFiles.has(uri));
    this.owed.clear();
    return { validate, removed };
  }

  /**
   * Problems of one rule file as of the last flush, with their quick fixes when `withFixes`
   * (tests, small files); the editor asks for fixes one problem at a time (`fixesFor`).
   */
  validate(uri: string, withFixes = false): FileResult {
    const problems = validateFile(uri, this.index, this.schemas());
    const fixes = withFixes ? problems.map((p) => safeFixes(p, uri, this.index)) : [];
    return { uri, problems, fixes };
  }

  /** The quick fixes of `problem` (one of `validate(uri)`'s), from the index as of the last flush. */
  fixesFor(uri: string, problem: Problem): QuickFix[] {
    return safeFixes(problem, uri, this.index);
  }
}

/** A quick fix that fails to compute must not take the file's problems with it. */
function safeFixes(problem: Problem, uri: string, index: WorkspaceIndex): QuickFix[] {
  try {
    return quickFixesFor(problem, uri, index);
  } catch {
    return [];
  }
}

/**
 * How the index treats a file key: a URI's scheme decides (indexPolicy.ts); a plain path (the
 * command-line checker) is a workspace file.
 */
function roleOf(uri: string): ReturnType<typeof documentRole> {
  const scheme = /^([a-z][a-z0-9+.-]+):/i.exec(uri)?.[1];
  return scheme ? documentRole(scheme.toLowerCase()) : 'workspace';
}
