// The weight changes made from VS Code, for Undo: each bound to its app, namespace and cluster.
// An Undo names what it undoes (the change of a notification, the last change of a right-clicked
// app, or the last change where Fn Mesh is connected now) and is refused when Fn Mesh is connected
// somewhere else than where the change was made. Pure: no `vscode`.
import { UserError } from '../common/errors';
import type { WeightsChange } from './cluster/weightsUpdate';
import { describeSite as where, sameSite, type ChangeSite } from './routingSite';

/**
 * A UserError saying a change can never be undone (its route is gone, or its weights were changed
 * since): the undo history should forget it. Marked by a property, not a class, because the error
 * may cross from one bundle's copy of this module to another's.
 */
export function undoGone(message: string): UserError {
  return Object.assign(new UserError(message), { undoGone: true as const });
}

/** Whether `err` says the change to undo can never be undone (see `undoWeights`). */
export function isUndoGone(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { undoGone?: unknown }).undoGone === true;
}

/** A UserError saying there is nothing to undo here: news for the user, not a failure. */
function nothingToUndo(message: string): UserError {
  return Object.assign(new UserError(message), { nothingToUndo: true as const });
}

/** Whether `err` only says there is nothing to undo (see `WeightHistory.pick`). */
export function isNothingToUndo(err: unknown): err is UserError {
  return typeof err === 'object' && err !== null && (err as { nothingToUndo?: unknown }).nothingToUndo === true;
}

/** A change as recorded: the change itself and where it was made. */
export interface RecordedChange {
  readonly change: WeightsChange;
  /** The routed app (the route's name). */
  readonly app: string;
  readonly site: ChangeSite;
}

/** What an Undo asks for. */
export type UndoRequest =
  | { readonly kind: 'change'; readonly change: WeightsChange }
  | { readonly kind: 'app'; readonly app: string; readonly namespace: string }
  | { readonly kind: 'latest' };

function lastWhere<T>(items: readonly T[], accept: (item: T) => boolean): T | undefined {
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i];
    if (item !== undefined && accept(item)) {
      return item;
    }
  }
  return undefined;
}

/** A bounded history of weight changes, oldest first. */
export class WeightHistory {
  private entries: RecordedChange[] = [];

  /** `limit`: how many changes are kept in all (the oldest are forgotten first). */
  constructor(private readonly limit = 50) {}

  get size(): number {
    return this.entries.length;
  }

  /** Records a written change (an unchanged one is ignored); returns the record, if any. */
  record(change: WeightsChange, site: ChangeSite): RecordedChange | undefined {
    if (change.unchanged) {
      return undefined;
    }
    const entry: RecordedChange = { change, app: change.ref.name, site };
    this.entries.push(entry);
    if (this.entries.length > this.limit) {
      this.entries.splice(0, this.entries.length - this.limit);
    }
    return entry;
  }

  /** Forgets `entry` (after it was undone, or when it can no longer be). */
  forget(entry: RecordedChange): void {
    this.entries = this.entries.filter((e) => e !== entry);
  }

  /**
   * The change `request` asks to undo while Fn Mesh is connected to `here`. Throws a UserError
   * (nothing is written) when there is none, or when it was made in another cluster or namespace.
   */
  pick(request: UndoRequest, here: ChangeSite): RecordedChange {
    const isHere = (e: RecordedChange): boolean => sameSite(e.site, here);
    switch (request.kind) {
      case 'change': {
        const entry = this.entries.find((e) => e.change === request.change);
        if (!entry) {
          throw new UserError(`the weight change of ${request.change.ref.name} was already undone (or is too old to undo)`);
        }
        if (!isHere(entry)) {
          throw new UserError(
            `the weight change of ${entry.app} was made in ${where(entry.site)}; Fn Mesh is now connected to ${where(here)}. Switch back to undo it: nothing was written.`,
          );
        }
        return entry;
      }
      case 'app': {
        if (request.namespace !== here.namespace) {
          throw new UserError(`${request.app} is shown in namespace ${request.namespace}, but Fn Mesh is now connected to ${where(here)}: refresh the Traffic Routing view`);
        }
        const entry = lastWhere(this.entries, (e) => e.app === request.app && isHere(e));
        if (!entry) {
          throw nothingToUndo(`there is no weight change of ${request.app} in ${where(here)} to undo`);
        }
        return entry;
      }
      case 'latest': {
        const entry = lastWhere(this.entries, isHere);
        if (!entry) {
          const elsewhere = this.entries.at(-1);
          const hint = elsewhere ? ` (the last one, of ${elsewhere.app}, was made in ${where(elsewhere.site)}: switch there to undo it)` : '';
          throw nothingToUndo(`there is no weight change in ${where(here)} to undo${hint}`);
        }
        return entry;
      }
    }
  }
}
