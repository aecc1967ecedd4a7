import * as assert from 'node:assert/strict';
import { argoRollout, flaggerCanary, goDuration } from '../../../src/rollout/rolloutExport';
import { plan } from './rolloutFixtures';

describe('rollout export', () => {
  it('writes Go durations', () => {
    assert.deepEqual([30, 60, 90, 3600, 5400, 0].map(goDuration), ['30s', '1m', '1m30s', '1h', '1h30m', '0s']);
  });

  it('makes a Flagger Canary for Istio from the plan', () => {
    const canary = flaggerCanary(plan, { namespace: 'fns', deployment: 'hello-app-v2', port: 8080, hosts: ['hello-app.example.com'], gateways: ['istio-system/ingress'] });
    assert.deepEqual(canary, {
      apiVersion: 'flagger.app/v1beta1',
      kind: 'Canary',
      metadata: { name: 'hello-app-v2', namespace: 'fns', labels: { 'app.kubernetes.io/managed-by': 'fn-mesh' } },
      spec: {
        provider: 'istio',
        targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'hello-app-v2' },
        service: { port: 8080, hosts: ['hello-app.example.com'], gateways: ['istio-system/ingress'] },
        analysis: {
          interval: '1m',
          threshold: 1,
          maxWeight: 50,
          stepWeights: [10, 25, 50],
          metrics: [
            { name: 'request-success-rate', interval: '1m', thresholdRange: { min: 99 } },
            { name: 'request-duration', interval: '1m', thresholdRange: { max: 500 } },
          ],
        },
      },
    });
  });

  it('refuses what Flagger cannot express or Kubernetes cannot name', () => {
    assert.throws(() => flaggerCanary({ ...plan, steps: [100] }, { namespace: 'fns', deployment: 'd', port: 80 }), /at least one step below 100/);
    assert.throws(() => flaggerCanary(plan, { namespace: 'Bad_NS', deployment: 'd', port: 80 }), /namespace: "Bad_NS"/);
    assert.throws(() => flaggerCanary(plan, { namespace: 'fns', deployment: 'd', port: 0 }), /port: 0/);
    assert.throws(() => flaggerCanary(plan, { namespace: 'fns', deployment: 'd', port: 80, threshold: 0 }), /threshold: 0/);
  });

  const argoTarget = { name: 'hello-app', namespace: 'fns', virtualService: 'hello-app', route: 'weighted', routeSubsets: ['v1', 'v2'], destinationRule: 'hello-app', stableSubset: 'v1', canarySubset: 'v2', deployment: 'hello-app-v2', selector: { app: 'hello-app', version: 'v2' } };

  it('makes an Argo Rollouts canary with a weight and a pause per step', () => {
    assert.deepEqual(argoRollout(plan, argoTarget), {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'hello-app', namespace: 'fns', labels: { 'app.kubernetes.io/managed-by': 'fn-mesh' } },
      spec: {
        selector: { matchLabels: { app: 'hello-app', version: 'v2' } },
        workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'hello-app-v2' },
        strategy: {
          canary: {
            trafficRouting: {
              istio: {
                virtualService: { name: 'hello-app', routes: ['weighted'] },
                destinationRule: { name: 'hello-app', canarySubsetName: 'v2', stableSubsetName: 'v1' },
              },
            },
            steps: [{ setWeight: 10 }, { pause: { duration: '1m' } }, { setWeight: 25 }, { pause: { duration: '1m' } }, { setWeight: 50 }, { pause: { duration: '1m' } }],
          },
        },
      },
    });
    const single = { ...argoTarget, route: undefined, routeSubsets: undefined };
    const unnamed = argoRollout(plan, single) as { spec: { strategy: { canary: { trafficRouting: { istio: { virtualService: unknown } } } } } };
    assert.deepEqual(unnamed.spec.strategy.canary.trafficRouting.istio.virtualService, { name: 'hello-app' }, 'no routes: the VirtualService\'s one HTTP route');
  });

  it('refuses what Argo Rollouts cannot split or Kubernetes cannot name', () => {
    assert.throws(() => argoRollout({ ...plan, steps: [100] }, argoTarget), /Argo Rollouts needs at least one step below 100/);
    assert.throws(() => argoRollout(plan, { ...argoTarget, stableSubset: 'v2' }), /stable and the canary subset are both "v2"/);
    assert.throws(() => argoRollout(plan, { ...argoTarget, canarySubset: '' }), /both the stable and the canary subset must be named/);
    assert.throws(
      () => argoRollout(plan, { ...argoTarget, routeSubsets: ['v1', 'v2', 'v3'] }),
      /route "weighted" of VirtualService "hello-app" between exactly two subsets, v1 \(stable\) and v2 \(canary\), but it goes to v1, v2, v3: Argo would drop v3/,
    );
    assert.throws(() => argoRollout(plan, { ...argoTarget, routeSubsets: ['v1', 'v3'] }), /but it goes to v1, v3/);
    assert.throws(() => argoRollout(plan, { ...argoTarget, selector: {} }), /selector: the Rollout needs the labels/);
    assert.throws(() => argoRollout(plan, { ...argoTarget, selector: { app: 'bad value' } }), /"app=bad value" is not a Kubernetes label/);
    assert.throws(() => argoRollout(plan, { ...argoTarget, deployment: 'Hello_v2' }), /deployment: "Hello_v2" is not a Kubernetes object name/);
    assert.throws(() => argoRollout(plan, { ...argoTarget, namespace: 'Bad_NS' }), /namespace: "Bad_NS"/);
  });
});
