// From what the user picked (app, functions, weights) to the objects to apply. Pure: no `vscode`.
import { UserError } from '../common/errors';
import type { FnApiVersion, FnFunction } from '../fn/model';
import { generateManifests, type ManifestOptions } from './manifests/appManifests';
import type { KubeObject } from './manifests/kubeObject';
import { buildRoutedApp, type RoutedApp } from './model';
import { toKubeName } from './names';
import { normaliseWeights, parseWeights, type Weights } from './weights';

export interface RoutePlanInput {
  readonly fnAppName: string;
  readonly functions: readonly FnFunction[];
  readonly api: FnApiVersion;
  readonly namespace: string;
  /** In-cluster base URL of the Fn lb the proxies forward to. */
  readonly lbBaseUrl: string;
  /** `v1=90,v2=10`; empty: an even split. */
  readonly weights?: string;
  readonly manifest?: ManifestOptions;
}

export interface RoutePlan {
  readonly app: RoutedApp;
  readonly objects: readonly KubeObject[];
}

/** Kubernetes version names of `functions`, in order: what weight input refers to. */
export function versionNames(functions: readonly FnFunction[]): string[] {
  return functions.map((f) => toKubeName(f.name, 'Fn function name'));
}

/** Parses weight input for these versions; the message names the offending token. */
export function weightsFromInput(input: string, versions: readonly string[]): Weights {
  const parsed = parseWeights(input, versions);
  if (!parsed.ok) {
    throw new UserError(`Weights: ${parsed.problem.message}`);
  }
  return normaliseWeights(parsed.weights);
}

export function planRoute(input: RoutePlanInput): RoutePlan {
  const versions = versionNames(input.functions);
  const weights = input.weights?.trim() ? weightsFromInput(input.weights, versions) : undefined;
  const app = buildRoutedApp({
    fnAppName: input.fnAppName,
    namespace: input.namespace,
    api: input.api,
    lbBaseUrl: input.lbBaseUrl,
    functions: input.functions,
    weights,
  });
  return { app, objects: generateManifests(app, input.manifest) };
}
