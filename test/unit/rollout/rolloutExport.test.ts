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

  it('makes an Argo Rollouts canary with a weight and a pause per step', () => {
    const rollout = argoRollout(plan, { name: 'hello-app', namespace: 'fns', virtualService: 'hello-app', route: 'primary', destinationRule: 'hello-app', stableSubset: 'v1', canarySubset: 'v2', deployment: 'hello-app-v2', selector: { app: 'hello-app' } }) as {
      spec: { strategy: { canary: { steps: unknown[]; trafficRouting: { istio: { destinationRule: unknown } } } }; workloadRef: unknown; selector: unknown };
    };
    assert.deepEqual(rollout.spec.strategy.canary.steps, [{ setWeight: 10 }, { pause: { duration: '1m' } }, { setWeight: 25 }, { pause: { duration: '1m' } }, { setWeight: 50 }, { pause: { duration: '1m' } }]);
    assert.deepEqual(rollout.spec.strategy.canary.trafficRouting.istio.destinationRule, { name: 'hello-app', canarySubsetName: 'v2', stableSubsetName: 'v1' });
    assert.deepEqual(rollout.spec.workloadRef, { apiVersion: 'apps/v1', kind: 'Deployment', name: 'hello-app-v2' });
    assert.deepEqual(rollout.spec.selector, { matchLabels: { app: 'hello-app' } });
  });
});
