// Applies an app's objects with server-side apply under Fn Mesh's field manager: a server-side
// dry-run of ALL objects first (nothing is written if any is refused), then the real apply in a safe
// order. A failure part-way is reported object by object, with the data to roll back what was
// written. Given the preview the user saw, every object someone changed since is refused and every
// write is conditional on the resourceVersion checked (preview.ts). Pure: no `vscode`.
import { UserError } from '../../common/errors';
import { sortForApply } from './applyOrder';
import { fieldManager, type KubeClient } from './kubeClient';
import { appliedConfiguration, jsonEqual } from './managedFields';
import { normaliseForDiff } from './normalise';
import { changedSincePreview, previewedState, refKey, type Preview, type PreviewedState } from './preview';
import { KubeObjectError, onlyOwnConflicts, fieldConflicts, type FieldConflict } from './resourceErrors';
import { describeRef, refOf, type LiveObject, type ObjectRef, type ObjectToWrite } from './types';

/** `created`/`configured`/`unchanged`: after a dry-run, what the apply would do. */
export type ObjectStatus = 'created' | 'configured' | 'unchanged' | 'failed' | 'not-applied';

export interface ObjectResult {
  readonly ref: ObjectRef;
  readonly status: ObjectStatus;
  /** For `failed`: one line naming the object and the reason. */
  readonly error?: string;
  /** For a server-side apply conflict: the other managers' fields. */
  readonly conflicts?: readonly FieldConflict[];
  /** The HTTP status of a failure, e.g. 403 (forbidden) or 422 (invalid). */
  readonly code?: number;
}

export interface RollbackStep {
  readonly ref: ObjectRef;
  /** `delete`: the object did not exist before the apply; `restore`: re-apply what Fn Mesh had set. */
  readonly action: 'delete' | 'restore';
  /** For `restore`: Fn Mesh's configuration of the object before the apply. */
  readonly previous?: ObjectToWrite;
  /** Fn Mesh's configuration right after the apply: the rollback refuses if it changed since. */
  readonly applied: ObjectToWrite;
}

/** Steps in the order to run them: the last object applied is the first undone. */
export interface RollbackPlan {
  readonly steps: readonly RollbackStep[];
}

export interface ApplyOutcome {
  readonly dryRun: boolean;
  readonly ok: boolean;
  /** `dry-run`: the server refused something in the dry-run and nothing was written. */
  readonly failedPhase?: 'dry-run' | 'apply';
  /** One per object, in apply order. */
  readonly results: readonly ObjectResult[];
  /** What undoes the objects this apply wrote (empty after a dry-run or when nothing changed). */
  readonly rollback: RollbackPlan;
  /** One or two sentences for the user. */
  readonly summary: string;
  /** Each object Fn Mesh wrote (or found unchanged) as it is after the apply: what a retry is guarded by. */
  readonly after: Preview;
}

export interface ApplyObjectsOptions {
  readonly dryRun?: boolean;
  /** What the user saw: objects changed since are refused, the others written conditionally. */
  readonly preview?: Preview;
}

/**
 * Server-side apply, never taking fields from another tool. Fn Mesh's own weight updates are
 * recorded under the same manager name as an `Update`; the server reports those as conflicts too.
 * They are taken back (`force`) only when `obj` carries the resourceVersion the user previewed:
 * the server then refuses the write if anyone (another Fn Mesh user too) changed the object since,
 * so the only fields taken are those the user saw. Unguarded, such a conflict is an error.
 */
export async function applyAsFnMesh(client: KubeClient, obj: ObjectToWrite, dryRun = false): Promise<LiveObject> {
  try {
    return await client.apply(obj, { dryRun });
  } catch (err) {
    const conflicts = fieldConflicts(err);
    const guarded = typeof (obj.metadata as { resourceVersion?: unknown }).resourceVersion === 'string';
    if (guarded && conflicts && onlyOwnConflicts(conflicts)) {
      try {
        return await client.apply(obj, { dryRun, force: true });
      } catch (forced) {
        throw new KubeObjectError(refOf(obj), forced);
      }
    }
    throw new KubeObjectError(refOf(obj), err);
  }
}

/** `obj` written only if the object is still at `live`'s resourceVersion. */
export function guardedBy(obj: ObjectToWrite, live: LiveObject | undefined): ObjectToWrite {
  const resourceVersion = live?.metadata.resourceVersion;
  return resourceVersion ? { ...obj, metadata: { ...obj.metadata, resourceVersion } as ObjectToWrite['metadata'] } : obj;
}

/**
 * How often a guarded write re-reads an object whose resourceVersion moved while its content did
 * not (a controller's status write, e.g. a Deployment's rollout progress) before it gives up.
 */
const guardAttempts = 4;

type GuardedWrite = { readonly obj: ObjectToWrite; readonly before: LiveObject | undefined; readonly written: LiveObject } | { readonly changed: string };

/**
 * Writes `given` (or dry-runs it) conditionally on `before`'s resourceVersion when the object has a
 * previewed state. A 409 "the object has been modified" is not yet a refusal: the object is read
 * again, and if its content still matches what the user previewed the write is tried again on the
 * new resourceVersion; if the content changed, `changed` says by whom. Other errors are thrown.
 */
async function writeGuarded(
  client: KubeClient,
  given: ObjectToWrite,
  previewed: PreviewedState | undefined,
  before: LiveObject | undefined,
  dryRun: boolean,
): Promise<GuardedWrite> {
  let current = before;
  for (let attempt = 1; ; attempt++) {
    const obj = previewed === undefined ? given : guardedBy(given, current);
    try {
      return { obj, before: current, written: await applyAsFnMesh(client, obj, dryRun) };
    } catch (err) {
      const moved = err instanceof KubeObjectError && err.code === 409 && !err.conflicts;
      if (previewed === undefined || !moved || attempt >= guardAttempts) {
        throw err;
      }
      const ref = refOf(given);
      current = await client.get(ref);
      const changed = changedSincePreview(ref, previewed, current);
      if (changed) {
        return { changed };
      }
    }
  }
}

function failure(ref: ObjectRef, err: unknown): ObjectResult {
  const error = err instanceof UserError ? err : new KubeObjectError(ref, err);
  const details = error instanceof KubeObjectError ? error : undefined;
  return {
    ref,
    status: 'failed',
    error: details ? error.message : `${describeRef(ref)}: ${error.message}`,
    ...(details?.conflicts ? { conflicts: details.conflicts } : {}),
    ...(details?.code !== undefined ? { code: details.code } : {}),
  };
}

/** `text` ending with a full stop, to be followed by another sentence. */
function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function changeOf(before: LiveObject | undefined, after: LiveObject): ObjectStatus {
  if (!before) {
    return 'created';
  }
  return jsonEqual(normaliseForDiff(before), normaliseForDiff(after)) ? 'unchanged' : 'configured';
}

function count(results: readonly ObjectResult[], status: ObjectStatus): number {
  return results.filter((r) => r.status === status).length;
}

function tally(results: readonly ObjectResult[], verbs: Partial<Record<ObjectStatus, string>>): string {
  return Object.entries(verbs)
    .map(([status, verb]) => [count(results, status as ObjectStatus), verb] as const)
    .filter(([n]) => n > 0)
    .map(([n, verb]) => `${n} ${verb}`)
    .join(', ');
}

interface Prepared {
  /** What is written: guarded by the resourceVersion checked against the preview. */
  readonly obj: ObjectToWrite;
  readonly before?: LiveObject;
  readonly previewed?: PreviewedState;
  readonly result: ObjectResult;
}

/** Reads each object, checks it against the preview, and dry-runs it; side by side (independent requests). */
function prepare(client: KubeClient, objects: readonly ObjectToWrite[], preview: Preview | undefined): Promise<Prepared[]> {
  return Promise.all(
    objects.map(async (given): Promise<Prepared> => {
      const ref = refOf(given);
      try {
        const before = await client.get(ref);
        const previewed = preview?.get(refKey(ref));
        const changed = previewed === undefined ? undefined : changedSincePreview(ref, previewed, before);
        if (changed) {
          return { obj: given, result: { ref, status: 'failed', error: changed, code: 409 } };
        }
        const dry = await writeGuarded(client, given, previewed, before, true);
        if ('changed' in dry) {
          return { obj: given, result: { ref, status: 'failed', error: dry.changed, code: 409 } };
        }
        return { obj: dry.obj, before: dry.before, previewed, result: { ref, status: changeOf(dry.before, dry.written) } };
      } catch (err) {
        return { obj: given, result: failure(ref, err) };
      }
    }),
  );
}

export async function applyObjects(client: KubeClient, objects: readonly ObjectToWrite[], options: ApplyObjectsOptions = {}): Promise<ApplyOutcome> {
  const prepared = await prepare(client, sortForApply(objects), options.preview);
  const after = new Map<string, ReturnType<typeof previewedState>>();
  const dryResults = prepared.map((p) => p.result);
  const refused = dryResults.filter((r) => r.status === 'failed');
  if (refused.length > 0) {
    const results = dryResults.map((r) => (r.status === 'failed' ? r : { ref: r.ref, status: 'not-applied' as const }));
    const summary =
      `The server refused ${refused.length} of ${objects.length} object(s) in the dry-run; nothing was written. ` + refused.map((r) => sentence(r.error ?? '')).join(' ');
    return { dryRun: options.dryRun ?? false, ok: false, failedPhase: 'dry-run', results, rollback: { steps: [] }, summary, after };
  }
  if (options.dryRun) {
    const what = tally(dryResults, { created: 'to create', configured: 'to change', unchanged: 'unchanged' });
    return { dryRun: true, ok: true, results: dryResults, rollback: { steps: [] }, summary: `Dry-run passed for ${objects.length} object(s): ${what}.`, after };
  }

  const results: ObjectResult[] = [];
  const steps: RollbackStep[] = [];
  for (const [i, item] of prepared.entries()) {
    const ref = refOf(item.obj);
    let written: LiveObject;
    let before = item.before;
    try {
      const write = await writeGuarded(client, item.obj, item.previewed, before, false);
      if ('changed' in write) {
        throw new UserError(write.changed);
      }
      ({ written, before } = write);
    } catch (err) {
      results.push(failure(ref, err), ...prepared.slice(i + 1).map((p) => ({ ref: refOf(p.obj), status: 'not-applied' as const })));
      const done = tally(results, { created: 'created', configured: 'changed', unchanged: 'unchanged' });
      const notApplied = results.filter((r) => r.status === 'not-applied').map((r) => describeRef(r.ref));
      const summary =
        `Applied ${i} of ${objects.length} object(s)${done ? ` (${done})` : ''}, then ${sentence(results[i]?.error ?? 'a request failed')}` +
        (notApplied.length > 0 ? ` Not applied: ${notApplied.join(', ')}.` : '');
      return { dryRun: false, ok: false, failedPhase: 'apply', results, rollback: { steps: [...steps].reverse() }, summary, after };
    }
    const status = changeOf(before, written);
    after.set(refKey(ref), previewedState(written));
    results.push({ ref, status });
    if (status !== 'unchanged') {
      const applied = appliedConfiguration(written, fieldManager);
      steps.push(before ? { ref, action: 'restore', previous: appliedConfiguration(before, fieldManager), applied } : { ref, action: 'delete', applied });
    }
  }
  const what = tally(results, { created: 'created', configured: 'changed', unchanged: 'unchanged' });
  return { dryRun: false, ok: true, results, rollback: { steps: [...steps].reverse() }, summary: `Applied ${objects.length} object(s): ${what}.`, after };
}
