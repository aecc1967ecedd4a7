// Weights of VirtualService destinations and HTTPRoute backendRefs. Istio treats weights as
// relative (only negatives and a zero total are rejected), but people read them as percentages.
import type { Problem } from '../problems';
import { asArray, asNumber, asRecord, gatewayApi, isIstio } from '../resources';
import type { FileResource } from '../workspaceIndex';
import type { Check } from './report';
import { report } from './report';
import { virtualServiceRoutes } from './routes';

export const checkWeights: Check = (resource) => {
  if (isIstio(resource.ref, 'VirtualService')) {
    return virtualServiceWeights(resource);
  }
  if (resource.ref.group === gatewayApi && resource.ref.kind === 'HTTPRoute') {
    return httpRouteWeights(resource);
  }
  return [];
};

function virtualServiceWeights(resource: FileResource): Problem[] {
  const problems: Problem[] = [];
  for (const route of virtualServiceRoutes(resource.value)) {
    const { destinations } = route;
    const weights = destinations.map((d) => asNumber(d.weight));
    destinations.forEach((d, i) => {
      const w = weights[i];
      if (w !== undefined && w < 0) {
        problems.push(report(resource, 'FNM201', `Weight ${w} is negative`, [...d.path, 'weight']));
      }
    });
    if (destinations.length === 1) {
      const w = weights[0];
      if (w !== undefined && w >= 0 && w !== 100) {
        const message = `A single destination receives all traffic: weight ${w} has no effect`;
        problems.push(report(resource, 'FNM204', message, [...destinations[0].path, 'weight'], { key: true }));
      }
      continue;
    }
    const routeKey = [...route.path, 'route'];
    const weighted = weights.filter((w): w is number => w !== undefined);
    if (weighted.length === 0) {
      // Istio adds the weights, a missing one counting as 0: several destinations without
      // weights total 0 and the route is refused ("total destination weight = 0").
      if (destinations.every((d) => d.weight === undefined)) {
        const message = `None of the ${destinations.length} destinations has a weight: the total is 0 and Istio refuses the route`;
        problems.push(report(resource, 'FNM202', message, routeKey, { key: true }));
      }
      continue;
    }
    destinations.forEach((d) => {
      if (d.weight === undefined) {
        const message = 'Destination without a weight gets none of the traffic (weight 0) while the others have weights';
        problems.push(report(resource, 'FNM205', message, [...d.path, 'destination'], { key: true }));
      }
    });
    const allNumbers = destinations.every((d, i) => d.weight === undefined || weights[i] !== undefined);
    if (!allNumbers || weighted.some((w) => w < 0)) {
      continue;
    }
    const total = weighted.reduce((a, b) => a + b, 0);
    if (total === 0) {
      problems.push(report(resource, 'FNM202', 'Every weight is 0: no destination can receive traffic', routeKey, { key: true }));
    } else if (total !== 100) {
      const message = `Weights add up to ${total}; Istio reads them as relative, people read percentages`;
      problems.push(report(resource, 'FNM203', message, routeKey, { key: true, data: { total } }));
    }
  }
  return problems;
}

/** backendRefs weights default to 1 and are validated >= 0 by the schema. */
function httpRouteWeights(resource: FileResource): Problem[] {
  const problems: Problem[] = [];
  asArray(asRecord(resource.value.spec).rules).forEach((rule, i) => {
    const refs = asArray(asRecord(rule).backendRefs);
    if (refs.length < 2) {
      return;
    }
    const weights = refs.map((r) => asRecord(r).weight);
    const numbers = weights.map((w) => (w === undefined ? 1 : asNumber(w)));
    if (numbers.some((w) => w === undefined || w < 0)) {
      return;
    }
    const total = (numbers as number[]).reduce((a, b) => a + b, 0);
    const path = ['spec', 'rules', i, 'backendRefs'];
    if (total === 0) {
      problems.push(report(resource, 'FNM202', 'Every weight is 0: requests get HTTP 500', path, { key: true }));
    } else if (total !== 100 && weights.every((w) => w !== undefined)) {
      problems.push(report(resource, 'FNM203', `Weights add up to ${total}; they are relative, people read percentages`, path, { key: true, data: { total } }));
    }
  });
  return problems;
}
