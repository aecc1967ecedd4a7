// The rule engine's entry points: all problems of one file (YAML, schema, semantic and, when
// connected, cluster-aware checks), given the workspace index that holds every rule file.
import { checkDestinationsInCluster, checkSubsetWorkloads } from './checks/cluster';
import { checkDeprecatedFields } from './checks/deprecated';
import { checkDestinationTls } from './checks/destinationTls';
import { checkFaultsAndMirrors } from './checks/faults';
import { checkGatewayApiParents } from './checks/gatewayApiParents';
import { checkGatewayReferences } from './checks/gateways';
import { checkReachability } from './checks/reachability';
import { checkRegexes } from './checks/regex';
import { checkDestinationRuleHosts, checkVirtualServiceHosts } from './checks/hostConflicts';
import { checkConflictingGateways, checkHostsOnGateways } from './checks/istioGateways';
import type { Check } from './checks/report';
import { checkDestinationRuleSubsets, checkRepeatedDestinations, checkSubsetReferences } from './checks/subsets';
import { checkWeights } from './checks/weights';
import type { ClusterFacts } from './clusterFacts';
import { checkFuncYaml, isFuncYaml } from './funcYaml';
import type { Problem } from './problems';
import { sortProblems } from './problems';
import { checkSchema } from './schemaCheck';
import type { SchemaStore } from './schemaStore';
import { WorkspaceIndex } from './workspaceIndex';
import type { ParseOptions } from './yamlDocuments';
import { parseYaml } from './yamlDocuments';

export const semanticChecks: readonly Check[] = [
  checkWeights,
  checkSubsetReferences,
  checkDestinationRuleSubsets,
  checkRepeatedDestinations,
  checkVirtualServiceHosts,
  checkDestinationRuleHosts,
  checkGatewayReferences,
  checkHostsOnGateways,
  checkConflictingGateways,
  checkGatewayApiParents,
  checkFaultsAndMirrors,
  checkRegexes,
  checkReachability,
  checkDestinationTls,
  checkDeprecatedFields,
  checkSubsetWorkloads,
  checkDestinationsInCluster,
];

/** Problems of a file already in the index (see WorkspaceIndex.setFile). */
export function validateFile(uri: string, workspace: WorkspaceIndex, schemas: SchemaStore): Problem[] {
  const index = workspace.viewFor(uri);
  const file = index.file(uri);
  if (!file) {
    return [];
  }
  const problems: Problem[] = [...file.problems];
  // A document with YAML errors has a guessed value: checking it would only add noise.
  const broken = new Set(file.problems.filter((p) => p.severity === 'error').map((p) => p.documentIndex));
  const funcYaml = isFuncYaml(uri);
  for (const doc of file.documents) {
    if (!broken.has(doc.index)) {
      problems.push(...(funcYaml ? checkFuncYaml(doc) : checkSchema(doc, schemas)));
    }
  }
  for (const resource of index.resourcesOf(uri)) {
    if (broken.has(resource.doc.index)) {
      continue;
    }
    for (const check of semanticChecks) {
      problems.push(...check(resource, index));
    }
  }
  return sortProblems(problems);
}

export interface ValidateTextOptions extends ParseOptions {
  readonly defaultNamespace?: string;
  /** The text's file name (a `func.yaml` gets Fn's checks); default `untitled:validate`. */
  readonly uri?: string;
  readonly cluster?: ClusterFacts;
  /** Other files of the workspace, by uri. */
  readonly otherFiles?: Readonly<Record<string, string>>;
}

/** One-shot validation of a text (tests, the corpus, generated manifests before they are shown). */
export function validateText(text: string, schemas: SchemaStore, options: ValidateTextOptions = {}): Problem[] {
  const index = new WorkspaceIndex(options.defaultNamespace);
  for (const [uri, other] of Object.entries(options.otherFiles ?? {})) {
    index.setFile(uri, parseYaml(other, options));
  }
  index.setCluster(options.cluster);
  const uri = options.uri ?? 'untitled:validate';
  index.setFile(uri, parseYaml(text, options));
  return validateFile(uri, index, schemas);
}
