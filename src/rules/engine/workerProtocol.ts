// Messages between the extension host and the rule validation worker (structured-clone data).
import type { ClusterFacts } from '../clusterFacts';
import type { QuickFix } from '../quickFixes';
import type { FileResult } from './ruleSession';

/** What the worker is started with (worker_threads workerData). */
export interface WorkerSetup {
  /** Folder of the generated JSON schemas. */
  readonly schemaDir: string;
  readonly defaultNamespace?: string;
}

export type ToWorker =
  /** New texts (null: the file is gone); nothing is parsed until the next `validate`. */
  | { readonly type: 'files'; readonly files: readonly (readonly [uri: string, text: string | null])[] }
  | { readonly type: 'cluster'; readonly facts: ClusterFacts | undefined; readonly namespace?: string }
  /** Parse what changed and validate what it affects; a newer generation supersedes this one. */
  | { readonly type: 'validate'; readonly generation: number }
  /** The quick fixes of problem `index` of the last result sent for `uri`. */
  | { readonly type: 'fixes'; readonly request: number; readonly uri: string; readonly index: number };

export type FromWorker =
  /** The worker starts parsing or validating `uri` (what the watchdog blames if it never ends). */
  | { readonly type: 'working'; readonly generation: number; readonly uri: string }
  | { readonly type: 'result'; readonly generation: number; readonly result: FileResult }
  /** Files that no longer hold rules: their problems are to be cleared. */
  | { readonly type: 'removed'; readonly generation: number; readonly uris: readonly string[] }
  /** The run of `generation` finished (superseded runs send nothing more). */
  | { readonly type: 'done'; readonly generation: number }
  | { readonly type: 'failed'; readonly generation: number; readonly uri: string; readonly message: string }
  | { readonly type: 'fixes'; readonly request: number; readonly fixes: readonly QuickFix[] };
