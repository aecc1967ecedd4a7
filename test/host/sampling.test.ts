// Start Sampling from the Traffic Routing view in a real VS Code: an app on no Gateway is refused
// with the reason (nothing is sent around the mesh); once exposed on the Istio ingress gateway, the
// summary table with both versions appears in the `Fn Mesh: Sampling` output, and Stop ends it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FnMeshApi } from '../../src/extension';
import type { ApplyOutcome } from '../../src/kube/objects/applyObjects';
import { createKubeClient } from '../../src/kube/objects/objectApiClient';
import type { StartOutcome } from '../../src/sampling/ui/samplingController';
import { exposeOnIngressGateway } from '../helpers/gatewayExposure';
import { activateExtension, adminKubeConfig, fnAppNode, routedAppWhen, useRoutingNamespace } from './hostHelpers';

const namespace = `samp-${Date.now().toString(36)}`;

async function textWhen(api: FnMeshApi, accept: (text: string) => boolean, timeoutMs: number): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const text = api.sampling.recentText();
    if (accept(text) || Date.now() > until) {
      return text;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

suite('Sampling', () => {
  let api: FnMeshApi;
  let cleanUp: (() => Promise<void>) | undefined;

  suiteSetup(async () => {
    api = await activateExtension();
    cleanUp = await useRoutingNamespace(api, namespace);
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('fnMesh.sampling.stop');
    await cleanUp?.();
  });

  test('an app on no Gateway is not sampled, and the reason is given', async function () {
    this.timeout(150_000);
    const lb = process.env.FN_MESH_TEST_LB_URL;
    assert.ok(lb, 'FN_MESH_TEST_LB_URL is not set: the launcher starts the runner-lb stand-in');
    const app = await fnAppNode(api, 'hello-app');
    const outcome = await vscode.commands.executeCommand<ApplyOutcome>('fnMesh.routing.routeTraffic', app, {
      functions: ['v1', 'v2'],
      weights: 'v1=50,v2=50',
      action: 'apply',
      lbBaseUrl: lb,
    });
    assert.ok(outcome?.ok, outcome?.summary);
    const view = await routedAppWhen(api, (a) => a.versions.every((v) => v.readyReplicas === 1), 120_000);
    assert.ok(view, 'hello-app routed');
    const started = await vscode.commands.executeCommand<StartOutcome>('fnMesh.sampling.start', { kind: 'routedApp', id: 'x', view });
    assert.equal(started?.kind, 'notExposed');
    assert.match(started.kind === 'notExposed' ? started.reason : '', /bound to no Gateway/);
    assert.equal(api.sampling.running, undefined);
  });

  test('from the tree, the summary table with both versions appears in the Sampling output', async function () {
    this.timeout(150_000);
    const client = await createKubeClient(await adminKubeConfig());
    await exposeOnIngressGateway(client, namespace, 'hello-app', `hello.${namespace}.fn-mesh.test`);
    const view = await routedAppWhen(api, () => true);
    assert.ok(view);
    // istiod pushes the new route to the gateway within moments; until then requests fail (counted, shown).
    const started = await vscode.commands.executeCommand<StartOutcome>('fnMesh.sampling.start', { kind: 'routedApp', id: 'x', view });
    assert.equal(started?.kind, 'started', JSON.stringify(started));
    assert.equal(api.sampling.running?.app, 'hello-app');
    const table = /^v1 +\d+ +[\d.]+% +50\.0%.*\n^v2 +\d+ +[\d.]+% +50\.0%/m;
    const text = await textWhen(api, (t) => table.test(t) && /verdict: consistent/.test(t), 90_000);
    assert.match(text, table);
    assert.match(text, /^version +count +share +weight +diff +p50 ms +p95 ms +p99 ms +errors$/m);
    assert.match(text, /verdict: consistent/);
    await vscode.commands.executeCommand('fnMesh.sampling.stop');
    assert.equal(api.sampling.running, undefined);
  });
});
