// Shapes and metadata shared by every generated object: the labels that mark an object as Fn
// Mesh's (and select it for removal) and the annotations that tie it back to Fn. Pure.
import type { RoutedApp, RoutedVersion } from '../model';

export interface ObjectMeta {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** Any generated Kubernetes object: plain data, turned into YAML by `toYaml`. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: ObjectMeta;
}

/** An object whose content is a `spec` (Istio and Gateway API resources). */
export interface SpecObject extends KubeObject {
  readonly spec: Readonly<Record<string, unknown>>;
}

export const managedByLabel = 'app.kubernetes.io/managed-by';
export const managedByValue = 'fn-mesh';
/** Carries the routed app's Kubernetes name on every object, so an app's objects can be listed. */
export const partOfLabel = 'app.kubernetes.io/part-of';
/** Istio's conventional workload labels: the Service selects `app`, subsets select `version`. */
export const appLabel = 'app';
export const versionLabel = 'version';
export const sidecarInjectLabel = 'sidecar.istio.io/inject';

export const annotations = {
  /** Fn app name as Fn spells it. */
  app: 'fn-mesh.io/app',
  /** Fn API the app was read from: `v2` or `v1` (2018). */
  fnApi: 'fn-mesh.io/fn-api',
  function: 'fn-mesh.io/function',
  functionId: 'fn-mesh.io/function-id',
  invokePath: 'fn-mesh.io/invoke-path',
  /** The Fn lb base URL the proxy forwards to. */
  upstream: 'fn-mesh.io/upstream',
  /** On app-level objects: `version=function,...` for every version. */
  functions: 'fn-mesh.io/functions',
  /** Hash of the proxy configuration on the pod template: a change rolls the pods. */
  configHash: 'fn-mesh.io/config-hash',
} as const;

/** Label selector (`key=value,...`) for every object Fn Mesh made for `appName`. */
export function appObjectsSelector(appName: string): string {
  return `${managedByLabel}=${managedByValue},${partOfLabel}=${appName}`;
}

function appLabels(app: RoutedApp): Record<string, string> {
  return { [managedByLabel]: managedByValue, [partOfLabel]: app.appName };
}

function appAnnotations(app: RoutedApp): Record<string, string> {
  return { [annotations.app]: app.fnAppName, [annotations.fnApi]: app.api };
}

/** `version=function,...`: an app-level object alone says which Fn function each version runs. */
function functionsAnnotation(app: RoutedApp): string {
  // Neither Kubernetes names nor Fn names contain `=` or `,`.
  return app.versions.map((v) => `${v.version}=${v.fnName}`).join(',');
}

/**
 * The `fn-mesh.io/functions` annotation of an app-level object read back: version → Fn function,
 * in the order written. The one reader of that format: entries without both parts are skipped
 * (a hand-edited annotation never throws); undefined or empty text gives an empty map.
 */
export function parseFunctionsAnnotation(text: string | undefined): Map<string, string> {
  const pairs = (text ?? '').split(',').map((pair) => pair.split('=').map((s) => s.trim()));
  return new Map(pairs.filter((p): p is [string, string] => p.length === 2 && p[0] !== '' && p[1] !== ''));
}

/** Metadata of an object that belongs to the app as a whole (Service, Istio rules, HTTPRoute). */
export function appMeta(app: RoutedApp, name: string): ObjectMeta {
  return {
    name,
    namespace: app.namespace,
    labels: appLabels(app),
    annotations: { ...appAnnotations(app), [annotations.functions]: functionsAnnotation(app) },
  };
}

/** `app` and `version` labels: pod identity for the Service, subsets and per-version Services. */
export function workloadLabels(app: RoutedApp, version: RoutedVersion): Record<string, string> {
  return { [appLabel]: app.appName, [versionLabel]: version.version };
}

/** Metadata of an object of one version (ConfigMap, Deployment, per-version Service). */
export function versionMeta(app: RoutedApp, version: RoutedVersion, name: string): ObjectMeta {
  return {
    name,
    namespace: app.namespace,
    labels: { ...appLabels(app), ...workloadLabels(app, version) },
    annotations: {
      ...appAnnotations(app),
      [annotations.function]: version.fnName,
      ...(version.fnId ? { [annotations.functionId]: version.fnId } : {}),
      [annotations.invokePath]: version.upstream.path,
      [annotations.upstream]: version.upstream.baseUrl,
    },
  };
}
