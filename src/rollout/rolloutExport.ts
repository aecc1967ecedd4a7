// Exports a rollout plan for controllers that run it in the cluster, where a rollout from the
// editor would stop when its window closes: a Flagger `Canary` (Istio provider) and an Argo
// Rollouts `Rollout` canary strategy. Plain objects; the caller turns them into YAML.
import { RolloutPlanError, validatePlan, type RolloutPlan } from './rolloutPlan';

export interface FlaggerTarget {
  /** Name of the Canary (by default the Deployment's). */
  readonly name?: string;
  readonly namespace: string;
  /** The Deployment of the new version that Flagger takes over (Flagger copies it to "<name>-primary"). */
  readonly deployment: string;
  /** The port of the Service Flagger generates (ClusterIP). */
  readonly port: number;
  /** Container port, when it differs from `port`. */
  readonly targetPort?: number;
  /** Istio hosts and gateways of the generated VirtualService, e.g. the app's host and its gateway. */
  readonly hosts?: readonly string[];
  readonly gateways?: readonly string[];
  /** Failed checks before Flagger rolls back. Default 1: like the editor, the first failed gate rolls back. */
  readonly threshold?: number;
}

/** Go duration text for a pause: "45s", "2m", "1h30m". */
export function goDuration(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${rest || s === 0 ? `${rest}s` : ''}`;
}

/**
 * A Flagger Canary (flagger.app/v1beta1, provider istio) that runs the plan in the cluster.
 * Field meanings follow Flagger's Canary CRD and its "Metrics Analysis" docs (docs.flagger.app):
 * - spec.targetRef: the Deployment under analysis (apps/v1);
 * - spec.service.port / targetPort / hosts / gateways: the ClusterIP Service and Istio routing Flagger generates;
 * - spec.analysis.interval: time between checks, here the plan's pause per step;
 * - spec.analysis.threshold: failed checks before rollback;
 * - spec.analysis.stepWeights: the canary's weight at each step (the plan's steps without the final 100:
 *   Flagger promotes after the last one), with maxWeight the last of them (Flagger ignores it when
 *   stepWeights is set; kept for readers);
 * - metrics request-success-rate (thresholdRange.min, percent of non-5xx responses) from the error-rate
 *   gate, and request-duration (thresholdRange.max, ms) from the p95 gate. Flagger's built-in duration
 *   is the P99, so the exported check is stricter than the editor's p95 gate.
 * The editor's minimum samples per step has no Flagger field: Flagger judges whatever traffic an
 * interval had (a load-testing webhook is the usual way to make sure there is some).
 * @throws RolloutPlanError when the plan or target is invalid.
 */
export function flaggerCanary(plan: RolloutPlan, target: FlaggerTarget): Record<string, unknown> {
  validatePlan(plan);
  checkTarget(target.namespace, target.deployment, target.port);
  const stepWeights = plan.steps.filter((s) => s < 100);
  if (stepWeights.length === 0) {
    throw new RolloutPlanError('steps: Flagger needs at least one step below 100');
  }
  const interval = goDuration(plan.pauseSeconds);
  const threshold = target.threshold ?? 1;
  if (!(Number.isInteger(threshold) && threshold >= 1)) {
    throw new RolloutPlanError(`threshold: ${threshold} must be a whole number >= 1`);
  }
  return {
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    metadata: { name: target.name ?? target.deployment, namespace: target.namespace, labels: { 'app.kubernetes.io/managed-by': 'fn-mesh' } },
    spec: {
      provider: 'istio',
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target.deployment },
      service: {
        port: target.port,
        ...(target.targetPort !== undefined ? { targetPort: target.targetPort } : {}),
        ...(target.hosts?.length ? { hosts: [...target.hosts] } : {}),
        ...(target.gateways?.length ? { gateways: [...target.gateways] } : {}),
      },
      analysis: {
        interval,
        threshold,
        maxWeight: stepWeights[stepWeights.length - 1],
        stepWeights,
        metrics: [
          { name: 'request-success-rate', interval, thresholdRange: { min: round(100 * (1 - plan.gates.maxErrorRate)) } },
          { name: 'request-duration', interval, thresholdRange: { max: round(plan.gates.maxP95Ms) } },
        ],
      },
    },
  };
}

export interface ArgoTarget {
  readonly name: string;
  readonly namespace: string;
  /** The Istio VirtualService and its route that Argo Rollouts adjusts, and the stable/canary subsets. */
  readonly virtualService: string;
  /** The weighted HTTP route's name; Argo needs it when the VirtualService has more than one HTTP route. */
  readonly route?: string;
  /** The subsets that route sends traffic to, when known: Argo drops every destination but the two. */
  readonly routeSubsets?: readonly string[];
  readonly destinationRule: string;
  readonly stableSubset: string;
  readonly canarySubset: string;
  /** The Deployment whose pod template the Rollout uses (workloadRef), and its pods' labels. */
  readonly deployment: string;
  readonly selector: Readonly<Record<string, string>>;
}

/**
 * An Argo Rollouts `Rollout` (argoproj.io/v1alpha1) canary strategy with Istio subset-level traffic
 * routing, as Argo Rollouts' docs describe it ("Istio", "Subset-level Traffic Splitting"):
 * - spec.strategy.canary.trafficRouting.istio.virtualService: the VirtualService and the name of its
 *   HTTP route whose destinations Argo weighs (the name may be left out only when it is the one HTTP route);
 * - ...istio.destinationRule: the DestinationRule and the stable and canary subset names. That route
 *   must send traffic to exactly these two subsets: Argo gives the canary the step's weight, the stable
 *   subset the rest, and removes any other destination;
 * - spec.steps: for each step below 100 a setWeight, then a pause of the plan's pause; Argo promotes
 *   after the last step;
 * - spec.workloadRef: the pods come from the given Deployment's template ("Migrating to Rollouts"),
 *   so spec.template stays empty and spec.selector must match that template's labels.
 * Argo also adds its `rollouts-pod-template-hash` label to both subsets' labels. Health gates need an
 * AnalysisTemplate with queries, which is not exported.
 * @throws RolloutPlanError when the plan or target is invalid.
 */
export function argoRollout(plan: RolloutPlan, target: ArgoTarget): Record<string, unknown> {
  validatePlan(plan);
  checkTarget(target.namespace, target.name, 1);
  checkArgoTarget(target);
  const below100 = plan.steps.filter((s) => s < 100);
  if (below100.length === 0) {
    throw new RolloutPlanError('steps: Argo Rollouts needs at least one step below 100');
  }
  const steps = below100.flatMap((w) => [{ setWeight: w }, { pause: { duration: goDuration(plan.pauseSeconds) } }]);
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: target.name, namespace: target.namespace, labels: { 'app.kubernetes.io/managed-by': 'fn-mesh' } },
    spec: {
      selector: { matchLabels: { ...target.selector } },
      workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target.deployment },
      strategy: {
        canary: {
          trafficRouting: {
            istio: {
              virtualService: { name: target.virtualService, ...(target.route ? { routes: [target.route] } : {}) },
              destinationRule: { name: target.destinationRule, canarySubsetName: target.canarySubset, stableSubsetName: target.stableSubset },
            },
          },
          steps,
        },
      },
    },
  };
}

const labelKey = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const labelValue = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

function checkArgoTarget(target: ArgoTarget): void {
  for (const [field, name] of [
    ['virtualService', target.virtualService],
    ['destinationRule', target.destinationRule],
    ['deployment', target.deployment],
  ] as const) {
    if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name) || name.length > 253) {
      throw new RolloutPlanError(`${field}: "${name}" is not a Kubernetes object name`);
    }
  }
  if (!target.stableSubset || !target.canarySubset) {
    throw new RolloutPlanError('subsets: both the stable and the canary subset must be named');
  }
  if (target.stableSubset === target.canarySubset) {
    throw new RolloutPlanError(`subsets: the stable and the canary subset are both "${target.canarySubset}"`);
  }
  if (target.routeSubsets) {
    const others = target.routeSubsets.filter((s) => s !== target.stableSubset && s !== target.canarySubset);
    const missing = [target.stableSubset, target.canarySubset].filter((s) => !target.routeSubsets?.includes(s));
    if (missing.length > 0 || others.length > 0) {
      const route = `route${target.route ? ` "${target.route}"` : ''} of VirtualService "${target.virtualService}"`;
      throw new RolloutPlanError(
        `subsets: Argo Rollouts splits the ${route} between exactly two subsets, ${target.stableSubset} (stable) and ${target.canarySubset} (canary), ` +
          `but it goes to ${target.routeSubsets.join(', ') || 'none'}${others.length > 0 ? `: Argo would drop ${others.join(', ')}` : ''}`,
      );
    }
  }
  const entries = Object.entries(target.selector);
  if (entries.length === 0) {
    throw new RolloutPlanError('selector: the Rollout needs the labels of the Deployment\'s pods');
  }
  for (const [key, value] of entries) {
    if (!labelKey.test(key) || !labelValue.test(value)) {
      throw new RolloutPlanError(`selector: "${key}=${value}" is not a Kubernetes label`);
    }
  }
}

function checkTarget(namespace: string, name: string, port: number): void {
  const dns = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
  if (!dns.test(namespace) || namespace.length > 63) {
    throw new RolloutPlanError(`namespace: "${namespace}" is not a Kubernetes namespace name`);
  }
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name) || name.length > 253) {
    throw new RolloutPlanError(`name: "${name}" is not a Kubernetes object name`);
  }
  if (!(Number.isInteger(port) && port >= 1 && port <= 65535)) {
    throw new RolloutPlanError(`port: ${port} is not a port number`);
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
