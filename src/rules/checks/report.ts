// Shared shape of the semantic checks: a pure function of one file resource and the index,
// returning problems that point into that resource's document.
import type { RuleCode, Severity } from '../codes';
import type { Problem, YamlPath } from '../problems';
import type { FileResource, WorkspaceIndex } from '../workspaceIndex';
import { problem } from '../yamlDocuments';

export type Check = (resource: FileResource, index: WorkspaceIndex) => Problem[];

export interface ReportOptions {
  /** Underline the key instead of the value. */
  readonly key?: boolean;
  readonly data?: Readonly<Record<string, unknown>>;
  /** Overrides the code's usual severity (only where the docs say so). */
  readonly severity?: Severity;
}

export function report(resource: FileResource, code: RuleCode, message: string, path: YamlPath, options: ReportOptions = {}): Problem {
  const range = options.key ? resource.doc.keyRange(path) : resource.doc.valueRange(path);
  const p = problem(code, message, range, { path, documentIndex: resource.doc.index, ...(options.data ? { data: options.data } : {}) });
  return options.severity ? { ...p, severity: options.severity } : p;
}

/** `namespace/name` for messages. */
export function displayName(resource: { readonly namespace: string; readonly ref: { readonly name?: string } }): string {
  return `${resource.namespace}/${resource.ref.name ?? '(unnamed)'}`;
}
