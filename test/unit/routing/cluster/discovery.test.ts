// Which Istio API version Fn Mesh writes and watches: one rule (v1 where served, else v1beta1),
// shared by Route Traffic and the cluster-aware rule checks.
import * as assert from 'node:assert/strict';
import { discoverRoutingApis, servedIstioTypes } from '../../../../src/routing/cluster/discovery';

/** A cluster that serves `kinds` per group/version (undefined: the group/version is not served). */
function cluster(served: Record<string, string[]>): { servedKinds(apiVersion: string): Promise<ReadonlySet<string> | undefined> } {
  return { servedKinds: (apiVersion) => Promise.resolve(served[apiVersion] ? new Set(served[apiVersion]) : undefined) };
}

describe('routing/cluster/discovery', () => {
  it('prefers v1 per kind, falls back to v1beta1, and leaves out kinds served in neither', async () => {
    const mixed = cluster({
      'networking.istio.io/v1': ['VirtualService', 'DestinationRule'],
      'networking.istio.io/v1beta1': ['VirtualService', 'DestinationRule', 'Gateway'],
    });
    assert.deepEqual(await servedIstioTypes(mixed, ['VirtualService', 'Gateway', 'ServiceEntry']), [
      { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService' },
      { apiVersion: 'networking.istio.io/v1beta1', kind: 'Gateway' },
    ]);
    assert.deepEqual(await discoverRoutingApis(mixed), { istio: 'v1', httpRoute: false });
  });

  it('reads an Istio that serves only v1beta1, and a cluster with the Gateway API and no Istio', async () => {
    assert.deepEqual(await discoverRoutingApis(cluster({ 'networking.istio.io/v1beta1': ['VirtualService'] })), { istio: 'v1beta1', httpRoute: false });
    assert.deepEqual(await discoverRoutingApis(cluster({ 'gateway.networking.k8s.io/v1': ['HTTPRoute', 'Gateway'] })), { istio: undefined, httpRoute: true });
  });
});
