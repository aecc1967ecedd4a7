// Gateways a VirtualService binds to (spec.gateways and per-match gateways) must exist; an
// unqualified name means "in the VirtualService's namespace", a common slip when the Gateway
// lives in istio-system.
import type { Problem, YamlPath } from '../problems';
import { asArray, asRecord, isIstio } from '../resources';
import type { Check } from './report';
import { report } from './report';

interface GatewayReference {
  readonly path: YamlPath;
  readonly text: string;
}

function gatewayReferences(value: unknown): GatewayReference[] {
  const spec = asRecord(asRecord(value).spec);
  const refs: GatewayReference[] = [];
  const collect = (list: unknown, path: YamlPath): void => {
    asArray(list).forEach((g, i) => {
      if (typeof g === 'string' && g !== 'mesh') {
        refs.push({ path: [...path, i], text: g });
      }
    });
  };
  collect(spec.gateways, ['spec', 'gateways']);
  for (const kind of ['http', 'tcp', 'tls']) {
    asArray(spec[kind]).forEach((route, i) => {
      asArray(asRecord(route).match).forEach((match, j) => collect(asRecord(match).gateways, ['spec', kind, i, 'match', j, 'gateways']));
    });
  }
  return refs;
}

/** `namespace/name`, or the older `name.namespace.svc.cluster.local`, or a bare name. */
export function parseGatewayReference(text: string, namespace: string): { name: string; namespace: string; qualified: boolean } {
  const slash = text.indexOf('/');
  if (slash >= 0) {
    return { namespace: text.slice(0, slash), name: text.slice(slash + 1), qualified: true };
  }
  const parts = text.split('.');
  return parts.length > 1 ? { name: parts[0], namespace: parts[1], qualified: true } : { name: text, namespace, qualified: false };
}

export const checkGatewayReferences: Check = (resource, index) => {
  if (!isIstio(resource.ref, 'VirtualService')) {
    return [];
  }
  const problems: Problem[] = [];
  for (const ref of gatewayReferences(resource.value)) {
    const target = parseGatewayReference(ref.text, resource.namespace);
    const candidates = index.gatewaysNamed(target.name);
    if (candidates.some((g) => g.namespace === target.namespace)) {
      continue;
    }
    if (!target.qualified && candidates.length > 0) {
      const qualified = candidates.map((g) => `${g.namespace}/${target.name}`);
      const message = `Gateway ${target.name} is not in namespace ${target.namespace}; did you mean ${qualified.join(' or ')}?`;
      problems.push(report(resource, 'FNM402', message, ref.path, { data: { qualified } }));
    } else {
      const where = index.clusterFacts ? 'in the workspace or the cluster' : 'in the workspace (connect to see the cluster)';
      problems.push(report(resource, 'FNM401', `Gateway ${target.namespace}/${target.name} is not defined ${where}`, ref.path));
    }
  }
  return problems;
};
