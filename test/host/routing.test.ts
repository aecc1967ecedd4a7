// Route Traffic from the Functions view creates the objects in the real API server, the Traffic
// Routing view shows the weights from its watches, and a change made by another client shows up
// without a refresh.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FnMeshApi } from '../../src/extension';
import type { ApplyOutcome } from '../../src/kube/objects/applyObjects';
import { connectKubeResources } from '../../src/routing/cluster/kubeResources';
import type { RoutedAppView } from '../../src/routing/cluster/routingView';
import type { WeightsChange } from '../../src/routing/cluster/weightsUpdate';
import { activateExtension, adminKubeConfig, fnAppNode, routedAppWhen, useRoutingNamespace } from './hostHelpers';

function requiredLbUrl(): string {
  const url = process.env.FN_MESH_TEST_LB_URL;
  assert.ok(url, 'FN_MESH_TEST_LB_URL is not set: the test launcher must start the Fn lb (scripts/test-all.sh exports it)');
  return url;
}

const namespace = `route-${Date.now().toString(36)}`;


const weightsOf = (app: RoutedAppView | undefined): string => (app ? app.versions.map((v) => `${v.version}=${v.weight}`).join(',') : 'none');

suite('Route traffic', () => {
  let api: FnMeshApi;

  let cleanUp: (() => Promise<void>) | undefined;

  suiteSetup(async () => {
    api = await activateExtension();
    cleanUp = await useRoutingNamespace(api, namespace);
  });

  suiteTeardown(async () => {
    await cleanUp?.();
  });

  test('routes hello-app 90/10 between v1 and v2, and the view shows it', async function () {
    // The proxies' pods must start and pass their readiness probes: seconds here, more on a loaded CI machine.
    this.timeout(150_000);
    const app = await fnAppNode(api, 'hello-app');
    const outcome = await vscode.commands.executeCommand<ApplyOutcome>('fnMesh.routing.routeTraffic', app, {
      functions: ['v1', 'v2'],
      weights: 'v1=90,v2=10',
      action: 'apply',
      // nginx really runs the proxies here: they must reach the local Fn lb (test-all exports it).
      lbBaseUrl: requiredLbUrl(),
    });
    assert.ok(outcome?.ok, outcome?.summary);
    assert.deepEqual(
      outcome.results.map((r) => `${r.ref.kind}/${r.ref.name}:${r.status}`),
      [
        'ConfigMap/hello-app-v1-nginx:created',
        'ConfigMap/hello-app-v2-nginx:created',
        'Deployment/hello-app-v1:created',
        'Deployment/hello-app-v2:created',
        'Service/hello-app:created',
        'DestinationRule/hello-app:created',
        'VirtualService/hello-app:created',
      ],
    );
    const view = await routedAppWhen(api, (a) => weightsOf(a) === 'v1=90,v2=10' && a.versions.every((v) => v.readyReplicas === 1), 120_000);
    assert.equal(weightsOf(view), 'v1=90,v2=10');
    assert.deepEqual(view?.versions.map((v) => [v.fnName, v.readyReplicas, v.desiredReplicas]), [
      ['v1', 1, 1],
      ['v2', 1, 1],
    ]);
  });

  test('a weight change by another client appears without a refresh, and adjust + undo work', async () => {
    const other = await connectKubeResources(await adminKubeConfig());
    await other.updateWeights(namespace, 'hello-app', new Map([['v1', 30], ['v2', 70]]));
    const seen = await routedAppWhen(api, (a) => weightsOf(a) === 'v1=30,v2=70');
    assert.equal(weightsOf(seen), 'v1=30,v2=70');

    const node = { kind: 'routedApp', id: 'x', view: seen };
    const change = await vscode.commands.executeCommand<WeightsChange>('fnMesh.routing.adjustWeights', node, 'v1=0,v2=100');
    assert.equal(change?.unchanged, false);
    assert.equal(weightsOf(await routedAppWhen(api, (a) => weightsOf(a) === 'v1=0,v2=100')), 'v1=0,v2=100');
    await vscode.commands.executeCommand('fnMesh.routing.undoWeights');
    assert.equal(weightsOf(await routedAppWhen(api, (a) => weightsOf(a) === 'v1=30,v2=70')), 'v1=30,v2=70');
  });

  test('weights are refused before anything is sent, and a stale view is refused too', async () => {
    const view = await routedAppWhen(api, () => true);
    assert.ok(view);
    const stale = { kind: 'routedApp', id: 'x', view: { ...view, versions: view.versions.map((v) => ({ ...v, weight: 50 })) } };
    // A negative weight: registerCommand shows the error and returns undefined; nothing changed.
    assert.equal(await vscode.commands.executeCommand('fnMesh.routing.adjustWeights', stale, 'v1=-5,v2=10'), undefined);
    // The view said 50/50 but the cluster has 30/70: the guarded update refuses.
    assert.equal(await vscode.commands.executeCommand('fnMesh.routing.adjustWeights', stale, 'v1=60,v2=40'), undefined);
    assert.equal(weightsOf(await routedAppWhen(api, () => true)), 'v1=30,v2=70');
  });

  test('remove deletes what Fn Mesh created and the view empties', async () => {
    const view = await routedAppWhen(api, () => true);
    const outcome = await vscode.commands.executeCommand<{ ok: boolean; deleted: unknown[] }>('fnMesh.routing.remove', { kind: 'routedApp', id: 'x', view }, true);
    assert.ok(outcome?.ok);
    assert.equal(outcome.deleted.length, 7);
    const until = Date.now() + 20_000;
    while (Date.now() < until && (await routedAppWhen(api, () => true, 0)) !== undefined) {
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(await routedAppWhen(api, () => true, 0), undefined);
  });
});
