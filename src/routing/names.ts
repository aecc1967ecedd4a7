// Maps Fn names (apps, functions, 2018 route paths) to Kubernetes names, deterministically, and
// finds two Fn names that would land on the same Kubernetes name. Pure: no `vscode`.
//
// A name that already is a valid DNS-1035 label is used as is. Any other name is sanitised and
// gets a short hash of the ORIGINAL name as suffix, so `Hello_App` and `hello-app` never meet.
import { createHash } from 'node:crypto';
import { UserError } from '../common/errors';
import { assertFnName as assertFnNameOf, fnNameProblem as fnNameProblemOf } from '../fn/names';

/** DNS-1035 labels (Service names, label values) are at most 63 characters. */
export const maxKubeNameLength = 63;

const hashLength = 8;
const dns1035Label = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function isDns1035Label(name: string): boolean {
  return name.length <= maxKubeNameLength && dns1035Label.test(name);
}

/** Namespaces are DNS-1123 labels: like DNS-1035 but they may start with a digit. */
export function isDns1123Label(name: string): boolean {
  return name.length <= maxKubeNameLength && dns1123Label.test(name);
}

/** An Fn name in a manifest (see fn/names.ts): a function name, or a 2018 route path. */
export function fnNameProblem(name: string, what = 'Fn name'): string | undefined {
  return fnNameProblemOf(name, what, { routePath: true });
}

export function assertFnName(name: string, what = 'Fn name'): void {
  assertFnNameOf(name, what, { routePath: true });
}

function shortHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, hashLength);
}

/** `base` cut so that `base-hash` fits in a label, without a dangling `-`. */
function withHash(base: string, hashed: string): string {
  const room = maxKubeNameLength - hashLength - 1;
  const head = base.slice(0, room).replace(/-+$/, '');
  return `${head}-${shortHash(hashed)}`;
}

/**
 * The Kubernetes name (DNS-1035 label) for an Fn name. Valid labels map to themselves; others are
 * lower-cased, `_` and `/` become `-`, runs of `-` collapse, a leading digit gets `fn-` in front,
 * and a hash of the original name is appended (the mapping is lossy, the hash keeps it unique).
 * Throws a UserError for names with characters outside the Fn alphabet.
 */
export function toKubeName(fnName: string, what = 'Fn name'): string {
  assertFnName(fnName, what);
  if (isDns1035Label(fnName)) {
    return fnName;
  }
  const dashed = fnName
    .toLowerCase()
    .replace(/[_/]/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+/, '');
  const base = /^[a-z]/.test(dashed) ? dashed : `fn-${dashed}`;
  return withHash(base, fnName);
}

/**
 * Name of the objects of one version (`<app>-<version>`: Deployment, ConfigMap prefix, per-version
 * Service). Too long a pair is cut and hashed so that it still fits in 63 characters.
 */
export function versionObjectName(appKubeName: string, versionKubeName: string): string {
  const joined = `${appKubeName}-${versionKubeName}`;
  // Kubernetes names contain no `/`, so `app/version` identifies the pair unambiguously.
  return joined.length <= maxKubeNameLength ? joined : withHash(joined, `${appKubeName}/${versionKubeName}`);
}

/** The Fn names of one app that is (or will be) routed: the app and its versions' functions. */
export interface FnAppNames {
  readonly appName: string;
  readonly functionNames: readonly string[];
}

export interface NameCollision {
  readonly kubeName: string;
  /** The two Fn owners, described for a person (`Fn app "a"`, `function "f" of Fn app "a"`). */
  readonly first: string;
  readonly second: string;
  readonly message: string;
}

/**
 * Finds Kubernetes names claimed by two different Fn names across all the given apps (one
 * namespace): versions of one app that map to the same version label, and object names
 * (`<app>` for the app's Service and Istio rules, `<app>-<version>` for a version's objects) that
 * coincide. Both kinds of name share one space, as in HTTPRoute mode Services exist for both.
 * Throws a UserError for invalid Fn names.
 */
export function findNameCollisions(apps: readonly FnAppNames[]): NameCollision[] {
  const collisions: NameCollision[] = [];
  const objectOwners = new Map<string, { key: string; label: string }>();

  const claim = (owners: Map<string, { key: string; label: string }>, kubeName: string, key: string, label: string, role: string): void => {
    const previous = owners.get(kubeName);
    if (!previous) {
      owners.set(kubeName, { key, label });
    } else if (previous.key !== key) {
      collisions.push({
        kubeName,
        first: previous.label,
        second: label,
        message: `${previous.label} and ${label} would both use the Kubernetes ${role} "${kubeName}": rename one of them in Fn`,
      });
    }
  };

  for (const app of apps) {
    const appKube = toKubeName(app.appName, 'Fn app name');
    const appLabel = `Fn app ${JSON.stringify(app.appName)}`;
    claim(objectOwners, appKube, `app\0${app.appName}`, appLabel, 'name');
    const versionOwners = new Map<string, { key: string; label: string }>();
    for (const fnName of app.functionNames) {
      const versionKube = toKubeName(fnName, `Fn function name (app ${JSON.stringify(app.appName)})`);
      const key = `fn\0${app.appName}\0${fnName}`;
      const label = `function ${JSON.stringify(fnName)} of ${appLabel}`;
      claim(versionOwners, versionKube, key, label, 'version label');
      claim(objectOwners, versionObjectName(appKube, versionKube), key, label, 'name');
    }
  }
  return collisions;
}

/** Throws a UserError naming both Fn names of the first collision (and counting the others). */
export function assertNoNameCollisions(apps: readonly FnAppNames[]): void {
  const collisions = findNameCollisions(apps);
  const [first] = collisions;
  if (first) {
    const more = collisions.length > 1 ? ` (and ${collisions.length - 1} more)` : '';
    throw new UserError(`${first.message}${more}`, collisions.map((c) => c.message).join('\n'));
  }
}
