// Errors of requests about one object, in words a user can act on: server-side apply conflicts
// name the other field manager and its fields; 403s, 404s, 409s and 422s carry the API server's
// own message. Pure: no `vscode`.
import { UserError } from '../../common/errors';
import { describeKubeError, kubeStatus, kubeStatusCode } from '../kubeErrors';
import { fieldManager } from './kubeClient';
import { describeRef, type ObjectRef } from './types';

/** A field that server-side apply refused to take from another field manager. */
export interface FieldConflict {
  readonly manager: string;
  /** `.spec.http`, `.metadata.labels.team` */
  readonly field: string;
}

/**
 * The conflicts of a failed server-side apply (409 with `FieldManagerConflict` causes), or
 * undefined when `err` is something else (an optimistic-concurrency 409 has no such causes).
 */
export function fieldConflicts(err: unknown): FieldConflict[] | undefined {
  if (kubeStatusCode(err) !== 409) {
    return undefined;
  }
  const causes = (kubeStatus(err)?.details?.causes ?? []).filter((c) => c.reason === 'FieldManagerConflict');
  if (causes.length === 0) {
    return undefined;
  }
  // The server words each cause as: conflict with "<manager>" [using <apiVersion>]
  return causes.map((c) => ({ manager: /conflict with "([^"]*)"/.exec(c.message ?? '')?.[1] ?? 'another field manager', field: c.field ?? '(unknown field)' }));
}

/** True when every conflict is with Fn Mesh's own earlier updates (weight changes), never another tool. */
export function onlyOwnConflicts(conflicts: readonly FieldConflict[]): boolean {
  return conflicts.length > 0 && conflicts.every((c) => c.manager === fieldManager);
}

/** `"kubectl-edit" owns .spec.http; "helm" owns .spec.hosts, .metadata.labels.team` */
export function describeConflicts(conflicts: readonly FieldConflict[]): string {
  const byManager = new Map<string, string[]>();
  for (const c of conflicts) {
    byManager.set(c.manager, [...(byManager.get(c.manager) ?? []), c.field]);
  }
  return [...byManager].map(([manager, fields]) => `"${manager}" owns ${fields.join(', ')}`).join('; ');
}

/** A failed request about one object; `message` starts with the object it is about. */
export class KubeObjectError extends UserError {
  readonly code: number | undefined;
  readonly conflicts: readonly FieldConflict[] | undefined;

  constructor(
    readonly ref: ObjectRef,
    err: unknown,
    what = '',
  ) {
    const conflicts = fieldConflicts(err);
    super(`${describeRef(ref)}: ${what}${conflicts ? conflictMessage(conflicts) : describeKubeError(err)}`);
    this.name = 'KubeObjectError';
    this.code = kubeStatusCode(err);
    this.conflicts = conflicts;
  }

  get forbidden(): boolean {
    return this.code === 403;
  }
}

function conflictMessage(conflicts: readonly FieldConflict[]): string {
  if (onlyOwnConflicts(conflicts)) {
    return (
      `conflict: fields Fn Mesh wrote outside this apply would change (${describeConflicts(conflicts)}: a weight change, or another person using Fn Mesh). ` +
      'Nothing of theirs is taken without a preview: preview the change again, then apply'
    );
  }
  return (
    `conflict: fields managed by another tool would change (${describeConflicts(conflicts)}). ` +
    'Fn Mesh never takes fields over: change them with that tool, or make the values in Fn Mesh match them'
  );
}

/** Wraps what a request about `ref` threw (a UserError passes unchanged). */
export function objectError(ref: ObjectRef, err: unknown, what?: string): UserError {
  return err instanceof UserError ? err : new KubeObjectError(ref, err, what);
}
