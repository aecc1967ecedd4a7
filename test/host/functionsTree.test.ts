// The Functions view against the real Fn server started by the launcher, and against faults.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import type { FnMeshApi } from '../../src/extension';
import type { FunctionNode } from '../../src/fn/tree/functionsTree';
import { activateExtension, fnDelete, fnPost, fnServerUrl, labels, rootsWhen, setSetting } from './hostHelpers';

suite('Functions view', () => {
  let api: FnMeshApi;
  const appName = `host-${Date.now().toString(36)}`;
  let appId = '';
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason);
  };

  suiteSetup(async () => {
    process.on('unhandledRejection', onUnhandled);
    api = await activateExtension();
    const app = await fnPost('/v2/apps', { name: appName });
    appId = String(app.id);
    for (const v of ['v1', 'v2']) {
      const fn = await fnPost('/v2/fns', { app_id: appId, name: v, image: `fnmesh/hello:${v}`, memory: 128, timeout: 30 });
      await fnPost('/v2/triggers', { app_id: appId, fn_id: fn.id, name: `${v}-trigger`, type: 'http', source: `/${v}` });
    }
  });

  suiteTeardown(async () => {
    process.off('unhandledRejection', onUnhandled);
    await setSetting('fn.apiUrl', undefined);
    await setSetting('fn.invokeUrl', undefined);
    if (appId) {
      await fnDelete(`/v2/apps/${appId}`);
    }
  });

  test('lists the apps and functions put into the Fn server', async () => {
    await setSetting('fn.apiUrl', fnServerUrl());
    const roots = await rootsWhen(api, (nodes) => labels(nodes).includes(appName));
    assert.ok(labels(roots).includes(appName), `apps shown: ${labels(roots).join(', ')}`);
    const appNode = roots.find((n) => n.kind === 'app' && n.app.name === appName);
    assert.ok(appNode);
    const fns = await api.functionsTree.getChildren(appNode);
    assert.deepEqual(labels(fns), ['v1', 'v2']);
    const item = api.functionsTree.getTreeItem(fns[0]);
    assert.equal(item.description, 'fnmesh/hello:v1 · 128 MB · 30s');
    assert.match(typeof item.tooltip === 'string' ? item.tooltip : '', /trigger v1-trigger \(http\): \/v1/);
    assert.match(item.contextValue ?? '', /\binvocable\b/);
  });

  test('invokes a function through the configured lb and copies its URL', async () => {
    const seen: { method?: string; url?: string; body: string }[] = [];
    const lb = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, body });
        res.writeHead(200, { 'content-type': 'application/json', 'x-fn-mesh-version': 'v2' });
        res.end('{"message":"Hello V2"}');
      });
    });
    await new Promise<void>((r) => lb.listen(0, '127.0.0.1', r));
    try {
      const lbUrl = `http://127.0.0.1:${(lb.address() as AddressInfo).port}`;
      await setSetting('fn.invokeUrl', lbUrl);
      const roots = await rootsWhen(api, (nodes) => labels(nodes).includes(appName));
      const appNode = roots.find((n) => n.kind === 'app' && n.app.name === appName);
      assert.ok(appNode);
      const fns = await api.functionsTree.getChildren(appNode);
      const v2 = fns.find((n): n is FunctionNode => n.kind === 'function' && n.fn.name === 'v2');
      assert.equal(v2?.invokeUrl, `${lbUrl}/t/${appName}/v2`);
      const answer = await vscode.commands.executeCommand<{ status: number; body: string }>('fnMesh.fn.invoke', v2, '{"name":"mesh"}');
      assert.deepEqual(answer, { status: 200, body: '{"message":"Hello V2"}' });
      assert.deepEqual(seen, [{ method: 'POST', url: `/t/${appName}/v2`, body: '{"name":"mesh"}' }]);
      const copied = await vscode.commands.executeCommand<string>('fnMesh.fn.copyInvokeUrl', v2);
      assert.equal(copied, `${lbUrl}/t/${appName}/v2`);
      assert.equal(await vscode.env.clipboard.readText(), copied);
    } finally {
      lb.closeAllConnections();
      lb.close();
    }
  });

  test('an unreachable endpoint yields an error item with Retry and Configure', async () => {
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    await setSetting('fn.apiUrl', `http://127.0.0.1:${port}`);
    const roots = await rootsWhen(api, (nodes) => nodes[0]?.kind === 'message');
    const node = roots[0];
    assert.ok(node?.kind === 'message', `expected an error item, got ${labels(roots).join(', ')}`);
    assert.match(node.label, new RegExp(`Cannot list Fn apps from http://127.0.0.1:${port}`));
    assert.match(node.detail ?? '', /connection refused/);
    assert.deepEqual(labels(await api.functionsTree.getChildren(node)), ['Retry', 'Configure Fn Endpoint…']);
    assert.match(api.functionsTree.getTreeItem(node).contextValue ?? '', /\bretryable\b.*\bconfigurable\b/);
  });

  test('a misconfigured URL is reported, and the view shows how the endpoint was found', async () => {
    await setSetting('fn.apiUrl', 'localhost:8080');
    const roots = await rootsWhen(api, (nodes) => nodes[0]?.kind === 'message' && nodes[0].label.includes('misconfigured'));
    assert.match(roots[0]?.kind === 'message' ? roots[0].detail ?? '' : '', /fnMesh\.fn\.apiUrl/);
    await setSetting('fn.apiUrl', fnServerUrl());
    const line = await vscode.commands.executeCommand<string>('fnMesh.fn.showEndpoint');
    assert.equal(line, `${fnServerUrl()} (from setting fnMesh.fn.apiUrl)`);
  });

  test('commands that fail show a message instead of rejecting', async () => {
    await setSetting('fn.apiUrl', 'http://127.0.0.1:9');
    // No node and an unreachable server: the quick pick cannot be filled, the command must not throw.
    const result = await vscode.commands.executeCommand('fnMesh.fn.copyInvokeUrl', { kind: 'function', fn: { name: 'x' } });
    assert.equal(result, undefined);
  });

  test('no unhandled promise rejection was logged during these tests', async () => {
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(unhandled.map(String), []);
  });
});
