// Fields Istio's API marks deprecated (`[deprecated = true]` in istio.io/api's protos, or
// "Deprecated" in the CRD descriptions): they still work, but have replacements and may go.
// istioctl reports them as IST0002 Deprecated (it checks only fault.delay.percent).
import type { Problem, YamlPath } from '../problems';
import { asArray, asRecord, isIstio, isRecord } from '../resources';
import type { Check } from './report';
import { report } from './report';

export const checkDeprecatedFields: Check = (resource) => {
  const problems: Problem[] = [];
  const flag = (present: boolean, path: YamlPath, what: string, instead: string): void => {
    if (present) {
      problems.push(report(resource, 'FNM113', `${what} is deprecated; use ${instead}`, path, { key: true }));
    }
  };
  const spec = asRecord(resource.value.spec);
  if (isIstio(resource.ref, 'VirtualService')) {
    asArray(spec.http).forEach((r, i) => {
      const route = asRecord(r);
      const at: YamlPath = ['spec', 'http', i];
      for (const key of ['mirrorPercent', 'mirror_percent']) {
        flag(key in route, [...at, key], key, 'mirrorPercentage');
      }
      flag('allowOrigin' in asRecord(route.corsPolicy), [...at, 'corsPolicy', 'allowOrigin'], 'corsPolicy.allowOrigin', 'allowOrigins (string matches)');
      const fault = asRecord(route.fault);
      for (const part of ['delay', 'abort']) {
        flag('percent' in asRecord(fault[part]), [...at, 'fault', part, 'percent'], `fault.${part}.percent`, `fault.${part}.percentage.value`);
      }
    });
  } else if (isIstio(resource.ref, 'DestinationRule')) {
    trafficPolicies(spec).forEach(([policy, at]) => checkPolicy(policy, at, flag));
  } else if (isIstio(resource.ref, 'Gateway')) {
    asArray(spec.servers).forEach((s, i) => {
      flag('targetPort' in asRecord(asRecord(s).port), ['spec', 'servers', i, 'port', 'targetPort'], 'port.targetPort', 'the port of the gateway Service (targetPort is ignored)');
    });
  }
  return problems;
};

type Flag = (present: boolean, path: YamlPath, what: string, instead: string) => void;

/** Every traffic policy of a DestinationRule (top level, per port, per subset) with its path. */
function trafficPolicies(spec: Record<string, unknown>): [Record<string, unknown>, YamlPath][] {
  const out: [Record<string, unknown>, YamlPath][] = [];
  const add = (policy: unknown, at: YamlPath): void => {
    if (!isRecord(policy)) {
      return;
    }
    out.push([policy, at]);
    asArray(policy.portLevelSettings).forEach((p, i) => {
      if (isRecord(p)) {
        out.push([p, [...at, 'portLevelSettings', i]]);
      }
    });
  };
  add(spec.trafficPolicy, ['spec', 'trafficPolicy']);
  asArray(spec.subsets).forEach((s, i) => add(asRecord(s).trafficPolicy, ['spec', 'subsets', i, 'trafficPolicy']));
  return out;
}

function checkPolicy(policy: Record<string, unknown>, at: YamlPath, flag: Flag): void {
  const balancer = asRecord(policy.loadBalancer);
  flag(balancer.simple === 'LEAST_CONN', [...at, 'loadBalancer', 'simple'], 'loadBalancer.simple LEAST_CONN', 'LEAST_REQUEST');
  flag('minimumRingSize' in asRecord(balancer.consistentHash), [...at, 'loadBalancer', 'consistentHash', 'minimumRingSize'], 'consistentHash.minimumRingSize', 'consistentHash.ringHash.minimumRingSize');
  flag('warmupDurationSecs' in balancer, [...at, 'loadBalancer', 'warmupDurationSecs'], 'loadBalancer.warmupDurationSecs', 'loadBalancer.warmup');
  flag('consecutiveErrors' in asRecord(policy.outlierDetection), [...at, 'outlierDetection', 'consecutiveErrors'], 'outlierDetection.consecutiveErrors', 'consecutive5xxErrors or consecutiveGatewayErrors');
}
