// With no Fn URL configured, the extension finds Fn in the cluster (the Service registered by
// scripts/cluster-fixtures.sh, laid out like the fn-helm chart) and lists it through port-forwards.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FnMeshApi } from '../../src/extension';
import { activateExtension, fnAppNode, labels, rootsWhen, setSetting } from './hostHelpers';

suite('Fn discovered in the cluster', () => {
  let api: FnMeshApi;

  suiteSetup(async () => {
    assert.ok(process.env.KUBECONFIG, 'KUBECONFIG is not set: the launcher must start the control plane');
    assert.equal(process.env.FN_API_URL, undefined, 'FN_API_URL must not be set for this suite');
    api = await activateExtension();
    await setSetting('fn.apiUrl', undefined);
    await setSetting('fn.invokeUrl', undefined);
    api.functionsTree.refresh();
  });

  test('the Functions tree lists hello-app with v1 and v2 through the port-forward', async () => {
    const roots = await rootsWhen(api, (nodes) => labels(nodes).includes('hello-app'), 30_000);
    assert.ok(labels(roots).includes('hello-app'), `root items: ${labels(roots).join(', ')}`);
    const line = await vscode.commands.executeCommand<string>('fnMesh.fn.showEndpoint');
    assert.match(line, /^http:\/\/127\.0\.0\.1:\d+ \(from Service fn-system\/fn in context fn-mesh-local, port-forwarded/);
    const app = roots.find((n) => n.kind === 'app' && n.app.name === 'hello-app');
    assert.ok(app);
    const fns = await api.functionsTree.getChildren(app);
    assert.deepEqual(labels(fns).filter((l) => l === 'v1' || l === 'v2'), ['v1', 'v2']);
  });

  test('invoking v1 goes through the runner-lb port-forward and the real FDK', async () => {
    const app = await fnAppNode(api, 'hello-app', 30_000);
    const v1 = (await api.functionsTree.getChildren(app)).find((n) => n.kind === 'function' && n.fn.name === 'v1');
    assert.ok(v1 && v1.kind === 'function');
    assert.match(v1.invokeUrl ?? '', /^http:\/\/127\.0\.0\.1:\d+\/t\/hello-app\/v1$/);
    const answer = await vscode.commands.executeCommand<{ status: number; body: string }>('fnMesh.fn.invoke', v1, '{}');
    assert.equal(answer?.status, 200);
    assert.deepEqual(JSON.parse(answer?.body ?? ''), { message: 'Hello V1' });
  });
});
