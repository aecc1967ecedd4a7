// The extension host's side of the rule validation worker: forwards texts and cluster facts,
// starts validation runs (a newer run supersedes an older one), and guards the thread: when one
// file keeps the worker busy longer than `fileTimeoutMs`, or the worker dies, it is terminated and
// restarted without that file, which gets one FNM005 problem instead of freezing anything.
import { Worker } from 'node:worker_threads';
import type { ClusterFacts } from '../clusterFacts';
import type { QuickFix } from '../quickFixes';
import { ruleCodes } from '../codes';
import { zeroRange } from '../problems';
import type { FileResult } from './ruleSession';
import type { FromWorker, ToWorker, WorkerSetup } from './workerProtocol';

export interface RuleWorkerOptions extends WorkerSetup {
  /** Path of the worker script (dist/ruleWorker.js, or the compiled ruleWorker.js in tests). */
  readonly script: string;
  /** Longest time one file may keep the worker busy, in milliseconds (default 10,000). */
  readonly fileTimeoutMs?: number;
  /** Heap limit of the worker in MB (default 1,024): a memory bomb kills the worker, not the host. */
  readonly maxHeapMb?: number;
  readonly onResult: (result: FileResult) => void;
  /** Files that no longer hold rules (or are gone): their problems are to be cleared. */
  readonly onRemoved: (uris: readonly string[]) => void;
  readonly log?: (message: string) => void;
}

export class RuleWorkerClient {
  private worker: Worker | undefined;
  private generation = 0;
  private readonly texts = new Map<string, string>();
  /** Files that overran the time guard, left out until their text changes. */
  private readonly excluded = new Set<string>();
  private cluster: { facts: ClusterFacts | undefined; namespace?: string } = { facts: undefined };
  private watchdog: ReturnType<typeof setTimeout> | undefined;
  private blamed = '';
  private finish: (() => void) | undefined;
  private disposed = false;
  private nextRequest = 0;
  private readonly fixRequests = new Map<number, (fixes: readonly QuickFix[]) => void>();
  /** How many times the worker was restarted (tests, the log). */
  restarts = 0;

  constructor(private readonly options: RuleWorkerOptions) {}

  /** New text of a file; parsed in the worker at the next `validate`. */
  setFile(uri: string, text: string): void {
    if (this.texts.get(uri) === text) {
      return;
    }
    this.texts.set(uri, text);
    this.excluded.delete(uri);
    this.send({ type: 'files', files: [[uri, text]] });
  }

  deleteFile(uri: string): void {
    this.texts.delete(uri);
    this.excluded.delete(uri);
    this.send({ type: 'files', files: [[uri, null]] });
  }

  setCluster(facts: ClusterFacts | undefined, namespace?: string): void {
    this.cluster = { facts, namespace: namespace ?? this.cluster.namespace };
    this.send({ type: 'cluster', facts, namespace });
  }

  /**
   * Validates what changed since the last run. Resolves when this run is done, superseded by a
   * newer one, or cut short by the time guard (results arrive through `onResult` meanwhile).
   */
  validate(): Promise<void> {
    this.finish?.();
    const generation = ++this.generation;
    return new Promise<void>((resolve) => {
      this.finish = () => {
        this.finish = undefined;
        resolve();
      };
      this.send({ type: 'validate', generation });
    });
  }

  /**
   * The quick fixes of problem `index` of the last result reported for `uri`, computed in the
   * worker on demand (empty when the worker restarts or is disposed meanwhile).
   */
  fixesFor(uri: string, index: number): Promise<readonly QuickFix[]> {
    if (this.disposed) {
      return Promise.resolve([]);
    }
    const request = ++this.nextRequest;
    return new Promise((resolve) => {
      this.fixRequests.set(request, resolve);
      this.send({ type: 'fixes', request, uri, index });
    });
  }

  dispose(): void {
    this.disposed = true;
    this.settleFixRequests();
    this.disarm();
    this.finish?.();
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private send(message: ToWorker): void {
    if (!this.disposed) {
      this.start().postMessage(message);
    }
  }

  private start(): Worker {
    if (this.worker) {
      return this.worker;
    }
    const setup: WorkerSetup = { schemaDir: this.options.schemaDir, defaultNamespace: this.options.defaultNamespace };
    const worker = new Worker(this.options.script, { workerData: setup, resourceLimits: { maxOldGenerationSizeMb: this.options.maxHeapMb ?? 1024 } });
    worker.on('message', (message: FromWorker) => worker === this.worker && this.receive(message));
    worker.on('error', (err) => worker === this.worker && this.recover(`The validation worker failed (${err.message})`));
    worker.on('exit', (code) => worker === this.worker && !this.disposed && this.recover(`The validation worker stopped (exit code ${code})`));
    worker.unref(); // never keeps a process (a test, the CLI) alive
    this.worker = worker;
    const texts = [...this.texts].filter(([uri]) => !this.excluded.has(uri));
    if (texts.length > 0) {
      worker.postMessage({ type: 'files', files: texts } satisfies ToWorker);
    }
    if (this.cluster.facts !== undefined || this.cluster.namespace !== undefined) {
      worker.postMessage({ type: 'cluster', ...this.cluster } satisfies ToWorker);
    }
    return worker;
  }

  private settleFixRequests(): void {
    this.fixRequests.forEach((resolve) => resolve([]));
    this.fixRequests.clear();
  }

  private receive(message: FromWorker): void {
    if (message.type === 'fixes') {
      this.fixRequests.get(message.request)?.(message.fixes);
      this.fixRequests.delete(message.request);
      return;
    }
    if (message.generation !== this.generation) {
      return; // an older run's late news: the newer run reports these files again
    }
    // The guard times one file: armed when the worker starts on it, disarmed by any other news.
    this.disarm();
    switch (message.type) {
      case 'working':
        this.blamed = message.uri;
        this.arm();
        break;
      case 'result':
        this.options.onResult(message.result);
        break;
      case 'removed':
        this.options.onRemoved(message.uris);
        break;
      case 'failed':
        this.options.log?.(`validating ${message.uri || 'the workspace'} failed: ${message.message}`);
        break;
      case 'done':
        this.finish?.();
        break;
    }
  }

  /** The worker overran or died: report the file it was on, restart without it, run again. */
  private recover(reason: string): void {
    this.disarm();
    const worker = this.worker;
    this.worker = undefined;
    void worker?.terminate();
    const uri = this.blamed;
    this.blamed = '';
    this.restarts++;
    this.settleFixRequests();
    this.options.log?.(`rule worker restarted: ${reason}${uri ? ` (on ${uri})` : ''}`);
    if (uri && this.texts.has(uri)) {
      this.excluded.add(uri);
      const message = `${reason}: the file is too large or complex for Fn Mesh to check; it is checked again when it changes.`;
      const problem = { range: zeroRange, severity: ruleCodes.FNM005.severity, code: 'FNM005' as const, message };
      this.options.onResult({ uri, problems: [problem], fixes: [[]] });
    }
    if (this.finish && !this.disposed) {
      const done = this.finish;
      this.finish = undefined;
      void this.validate().then(done);
    }
  }

  private arm(): void {
    this.disarm();
    const ms = this.options.fileTimeoutMs ?? 10_000;
    this.watchdog = setTimeout(() => this.recover(`Validation took longer than ${(ms / 1000).toFixed(1)} s`), ms);
    this.watchdog.unref();
  }

  private disarm(): void {
    if (this.watchdog) {
      clearTimeout(this.watchdog);
      this.watchdog = undefined;
    }
  }
}
