// Progressive rollout end to end on the local stack, as Roll Out Version… drives it: weights
// written by the routing layer's guarded update, each step sampled through the ingress gateway.
// A healthy v2 reaches 100; a v2 whose function fails rolls back to the starting weights. The
// Flagger Canary and the Argo Rollouts Rollout of the same plan, filled from the routed app, pass a
// server-side dry-run against the controllers' installed CRDs.
import * as assert from 'node:assert/strict';
import { RolloutDriver } from '../../../src/rollout/rolloutDriver';
import { checkExport, exportObject } from '../../../src/rollout/ui/exportTargets';
import { flaggerCanary } from '../../../src/rollout/rolloutExport';
import type { RolloutPlan } from '../../../src/rollout/rolloutPlan';
import { createRollout, stepHealth, type RolloutState } from '../../../src/rollout/rolloutState';
import { startSampling } from '../../../src/sampling/samplingSession';
import type { ObjectToWrite } from '../../../src/kube/objects/types';
import { eventually, useTestNamespace } from '../../helpers/controlPlane';
import { callJson, requiredEnv } from '../../helpers/integrationEnv';
import { ref, weightsOfVs } from '../kube/kubeFixtures';
import { appHost, routeAndExpose, type RoutedStack } from './samplingStack';

const plan: RolloutPlan = { newVersion: 'v2', steps: [50, 100], pauseSeconds: 4, gates: { maxErrorRate: 0.05, maxP95Ms: 10_000, minSamples: 10 }, maxHolds: 1 };
const toMap = (w: Readonly<Record<string, number>>) => new Map(Object.entries(w));

/** Sets the image of Fn function hello-app/v2 on the real Fn server; returns the previous image. */
async function setV2Image(image: string): Promise<string> {
  const base = `${requiredEnv('FN_MESH_TEST_FN_URL')}/v2`;
  const app = ((await callJson('GET', `${base}/apps?name=hello-app`)).items as { id: string }[])[0];
  const fn = ((await callJson('GET', `${base}/fns?app_id=${app.id}&name=v2`)).items as { id: string; image: string }[])[0];
  await callJson('PUT', `${base}/fns/${fn.id}`, { image });
  return fn.image;
}

function rollout(stack: RoutedStack, namespace: string): Promise<RolloutState> {
  const saved: RolloutState[] = [];
  const driver = new RolloutDriver(createRollout(plan, stack.weights.current(), Date.now()), {
    setWeights: async (weights, guard) => {
      await stack.resources.updateWeights(namespace, 'hello-app', toMap(weights), { expected: toMap(guard.expected) });
    },
    sample: async (durationMs, signal) => {
      const session = startSampling({
        load: { url: stack.target.url, host: stack.target.host, ratePerSecond: 100, concurrency: 8, durationMs, limits: { maxRatePerSecond: 2000, maxConcurrency: 64 } },
        weights: stack.weights,
        onText: () => undefined,
      });
      signal.addEventListener('abort', () => void session.stop());
      await session.done;
      return stepHealth(session.stats.snapshot(), plan.newVersion);
    },
    save: (s) => void saved.push(s),
  });
  return driver.run().then((s) => {
    assert.ok(saved.length >= 3, 'the state is saved after every change');
    return s;
  });
}

describe('progressive rollout through the ingress gateway (end to end)', function () {
  this.timeout(300_000);
  const ns = useTestNamespace('roll');
  let stack: RoutedStack | undefined;
  let originalImage: string | undefined;

  after(async () => {
    if (originalImage) {
      await setV2Image(originalImage);
    }
    await stack?.target.close();
    stack?.weights.dispose();
  });

  it('a healthy v2 goes 50 → 100 and is promoted', async () => {
    const { client, config, name } = ns();
    stack = await routeAndExpose(client, config, name, { v1: 100, v2: 0 });
    const end = await rollout(stack, name);
    assert.equal(end.status, 'promoted', end.message);
    assert.deepEqual(weightsOfVs(await client.get(ref(name, 'VirtualService', 'hello-app'))), [0, 100]);
    assert.ok(end.history.every((h) => h.decision === 'advance' && h.health.errors === 0), JSON.stringify(end.history));
  });

  it('a v2 whose function fails is rolled back to the starting weights', async () => {
    assert.ok(stack, 'the first test routed the app');
    const { client, name } = ns();
    await stack.resources.updateWeights(name, 'hello-app', new Map([['v1', 100], ['v2', 0]]));
    const routed = stack;
    await eventually('the watch sees 100/0 again', () => routed.weights.current().v1 === 100 || undefined);
    originalImage = await setV2Image('fnmesh/hello:fail');
    const end = await rollout(stack, name);
    assert.equal(end.status, 'rolled-back', `${end.message} ${JSON.stringify(end.history)}`);
    assert.deepEqual(weightsOfVs(await client.get(ref(name, 'VirtualService', 'hello-app'))), [100, 0]);
    assert.equal(end.history.length > 0 && end.history[end.history.length - 1].decision, 'rollback');
  });

  it("the plan's Flagger Canary passes a server-side dry-run against Flagger's CRD", async () => {
    assert.ok(stack, 'the first test routed the app');
    const { name } = ns();
    const canary = flaggerCanary(plan, { name: 'hello-app', namespace: name, deployment: 'hello-app-v2', port: 80, targetPort: 8080, hosts: [appHost(name)], gateways: ['fn-mesh-sampling-gw'] });
    const ok = await stack.resources.apply([canary as unknown as ObjectToWrite], { dryRun: true });
    assert.ok(ok.ok, ok.summary);
    const bad = { ...canary, spec: { ...(canary.spec as object), analysis: { interval: 'often' } } };
    const refused = await stack.resources.apply([bad as unknown as ObjectToWrite], { dryRun: true });
    assert.equal(refused.ok, false, 'a Canary the CRD schema refuses fails the dry-run');
  });

  it("the plan's Argo Rollouts Rollout, filled from the routed app, passes a server-side dry-run against Argo's Rollout CRD", async () => {
    assert.ok(stack, 'the first test routed the app');
    const { client, name } = ns();
    const vs = await client.get(ref(name, 'VirtualService', 'hello-app'));
    const rollout = exportObject('argo', stack.view, plan, vs) as { spec: { workloadRef: { name: string }; selector: { matchLabels: Record<string, string> }; strategy: { canary: { trafficRouting: unknown } } } };
    // What it refers to exists in the cluster as named.
    const deployment = await client.get(ref(name, 'Deployment', rollout.spec.workloadRef.name));
    const podLabels = (deployment?.spec as { template: { metadata: { labels: Record<string, string> } } } | undefined)?.template.metadata.labels ?? {};
    for (const [k, v] of Object.entries(rollout.spec.selector.matchLabels)) {
      assert.equal(podLabels[k], v, `the Deployment's pods carry ${k}=${v}`);
    }
    assert.deepEqual(rollout.spec.strategy.canary.trafficRouting, {
      istio: { virtualService: { name: 'hello-app', routes: ['weighted'] }, destinationRule: { name: 'hello-app', canarySubsetName: 'v2', stableSubsetName: 'v1' } },
    });
    assert.ok(await client.get(ref(name, 'DestinationRule', 'hello-app')), 'the DestinationRule exists');
    const ok = await checkExport(stack.resources, rollout as unknown as ObjectToWrite);
    assert.equal(ok.kind, 'dryRun', JSON.stringify(ok));
    assert.ok(ok.kind === 'dryRun' && ok.outcome.ok, JSON.stringify(ok.kind === 'dryRun' ? ok.outcome.summary : ok));

    const broken = { ...rollout, spec: { ...rollout.spec, strategy: { canary: { ...rollout.spec.strategy.canary, steps: [{ setWeight: 'ten' }] } } } };
    const refused = await checkExport(stack.resources, broken as unknown as ObjectToWrite);
    assert.equal(refused.kind === 'dryRun' && refused.outcome.ok, false, 'a Rollout the CRD schema refuses fails the dry-run');
    assert.match(refused.kind === 'dryRun' ? refused.outcome.summary : '', /setWeight/);

    const unserved = await checkExport(stack.resources, { ...rollout, apiVersion: 'argoproj.io/v1alpha9' } as unknown as ObjectToWrite);
    assert.deepEqual(unserved, { kind: 'unchecked', message: 'not checked: the cluster does not serve argoproj.io/v1alpha9 Rollout' });
  });
});
