// Which app an object in the cluster belongs to, and the objects a route plan would take over from
// another app. Kubernetes names of two Fn apps can meet (`a-b` is app `a-b`'s Service and also
// the Service of app `a`'s version `b`; Deployment `a-b-c` is app `a`'s version `b-c` and app
// `a-b`'s version `c`); server-side apply under the one field manager would silently take such an
// object over. Pure: no `vscode`.
import { UserError } from '../common/errors';
import { describeRef, refOf, type LiveObject, type ObjectToWrite } from '../kube/objects/types';
import { annotations, managedByLabel, managedByValue, partOfLabel } from './manifests/kubeObject';
import type { RoutedApp } from './model';

export interface OwnershipCollision {
  readonly object: string;
  /** The Fn app the live object belongs to; undefined when Fn Mesh did not make it. */
  readonly otherApp?: string;
  readonly message: string;
}

/** `Fn app "a" (version "b")`, from the live object's labels and annotations. */
function ownerOf(live: LiveObject): string | undefined {
  const labels = live.metadata.labels ?? {};
  if (labels[managedByLabel] !== managedByValue) {
    return undefined;
  }
  const fnApp = live.metadata.annotations?.[annotations.app] ?? labels[partOfLabel] ?? '';
  const version = labels.version;
  return `Fn app ${JSON.stringify(fnApp)}${version ? ` (version ${JSON.stringify(version)})` : ''}`;
}

/**
 * The planned objects that already exist and belong to another app, or to no Fn Mesh app at all.
 * `live[i]` is the cluster's `planned[i]` (undefined: it does not exist).
 */
export function ownershipCollisions(app: RoutedApp, planned: readonly ObjectToWrite[], live: readonly (LiveObject | undefined)[]): OwnershipCollision[] {
  const ours = `Fn app ${JSON.stringify(app.fnAppName)}`;
  const collisions: OwnershipCollision[] = [];
  planned.forEach((obj, i) => {
    const existing = live[i];
    if (!existing) {
      return;
    }
    const labels = existing.metadata.labels ?? {};
    if (labels[managedByLabel] === managedByValue && labels[partOfLabel] === app.appName) {
      return; // this app's own object
    }
    const object = describeRef(refOf(obj));
    const owner = ownerOf(existing);
    collisions.push({
      object,
      ...(owner ? { otherApp: existing.metadata.annotations?.[annotations.app] ?? labels[partOfLabel] } : {}),
      message: owner
        ? `${object} belongs to ${owner}; routing ${ours} would take it over. Rename one of the two in Fn, or route them in different namespaces`
        : `${object} exists and was not made by Fn Mesh; routing ${ours} would take it over. Rename the app in Fn, or route it in another namespace`,
    });
  });
  return collisions;
}

/** Throws a UserError naming the first collision (and counting the others); nothing is planned or applied. */
export function assertNoOwnershipCollisions(app: RoutedApp, planned: readonly ObjectToWrite[], live: readonly (LiveObject | undefined)[]): void {
  const collisions = ownershipCollisions(app, planned, live);
  const [first] = collisions;
  if (first) {
    const more = collisions.length > 1 ? ` (and ${collisions.length - 1} more object(s))` : '';
    throw new UserError(`${first.message}${more}`, collisions.map((c) => c.message).join('\n'));
  }
}
