// The Fn client and the tree model against the real Fn server (API v2) and the 2018 API stand-in,
// both started by scripts/test-all.sh. Each test creates the data it reads.
import * as assert from 'node:assert/strict';
import { loadAppNodes, loadFunctionNodes } from '../../../src/fn/tree/functionsTree';
import { FnHttpClient } from '../../../src/fn/fnClient';
import { callJson, requiredEnv } from '../../helpers/integrationEnv';

describe('Fn client against the real Fn server (API v2)', function () {
  this.timeout(60_000);
  const base = requiredEnv('FN_MESH_TEST_FN_URL');
  const appName = `it-${Date.now().toString(36)}`;
  let appId = '';

  before(async () => {
    appId = String((await callJson('POST', `${base}/v2/apps`, { name: appName })).id);
  });
  after(async () => {
    if (appId) {
      const client = new FnHttpClient(base);
      const fns = await client.listFunctions({ id: appId, name: appName, annotations: {} });
      for (const fn of fns.items) {
        await callJson('DELETE', `${base}/v2/fns/${fn.id}`);
      }
      await callJson('DELETE', `${base}/v2/apps/${appId}`);
    }
  });

  it('detects API v2', async () => {
    assert.equal(await new FnHttpClient(base).apiVersion(), 'v2');
  });

  it('follows pagination cursors across many functions and joins triggers', async () => {
    const count = 23;
    for (let i = 0; i < count; i++) {
      const fn = await callJson('POST', `${base}/v2/fns`, { app_id: appId, name: `f${String(i).padStart(2, '0')}`, image: `img:${i}`, memory: 128 + i });
      if (i % 5 === 0) {
        await callJson('POST', `${base}/v2/triggers`, { app_id: appId, fn_id: fn.id, name: `t${i}`, type: 'http', source: `/f${i}` });
      }
    }
    // A page size of 4 forces six pages of functions.
    const client = new FnHttpClient(base, { pageSize: 4 });
    const apps = await client.listApps();
    const app = apps.items.find((a) => a.name === appName);
    assert.ok(app, `app ${appName} not listed`);
    const fns = await client.listFunctions(app);
    assert.equal(fns.items.length, count);
    assert.equal(fns.truncated, false);
    assert.deepEqual(new Set(fns.items.map((f) => f.name)).size, count);
    const f05 = fns.items.find((f) => f.name === 'f05');
    assert.equal(f05?.memoryMb, 133);
    assert.deepEqual(f05?.triggers.map((t) => [t.type, t.source]), [['http', '/f5']]);
    assert.deepEqual(fns.items.find((f) => f.name === 'f06')?.triggers, []);

    const limited = await client.listFunctions(app, { limit: 10 });
    assert.equal(limited.items.length, 10);
    assert.equal(limited.truncated, true);
  });

  it('builds tree nodes with invoke URLs from the real data', async () => {
    const client = new FnHttpClient(base);
    const roots = await loadAppNodes(client);
    const appNode = roots.find((n) => n.kind === 'app' && n.app.name === appName);
    assert.ok(appNode && appNode.kind === 'app');
    const nodes = await loadFunctionNodes(client, appNode.app, { invokeBase: 'http://lb.test:90' });
    const f10 = nodes.find((n) => n.kind === 'function' && n.fn.name === 'f10');
    assert.equal(f10?.kind === 'function' && f10.invokeUrl, `http://lb.test:90/t/${appName}/f10`);
    const f11 = nodes.find((n) => n.kind === 'function' && n.fn.name === 'f11');
    assert.match(f11?.kind === 'function' ? f11.invokeUrl ?? '' : '', /^http:\/\/lb\.test:90\/invoke\/[A-Za-z0-9]+$/);
  });

  it('reports a missing app as an error node, not a rejection', async () => {
    const nodes = await loadFunctionNodes(new FnHttpClient(base), { id: 'no-such-app-id', name: 'ghost', annotations: {} });
    assert.equal(nodes.length, 1);
    assert.equal(nodes[0]?.kind, 'message');
  });
});

describe('Fn client against the 2018 API stand-in (v1)', function () {
  this.timeout(30_000);
  const base = requiredEnv('FN_MESH_TEST_FN_V1_URL');
  const appName = `legacy-${Date.now().toString(36)}`;

  before(async () => {
    await callJson('POST', `${base}/v1/apps`, { app: { name: appName } });
    for (const v of ['v1', 'v2']) {
      await callJson('POST', `${base}/v1/apps/${appName}/routes`, { route: { path: `/${v}`, image: `fnmesh/hello:${v}`, memory: 256, type: 'sync' } });
    }
  });
  after(async () => {
    await callJson('DELETE', `${base}/v1/apps/${appName}`);
  });

  it('detects the 2018 API and lists routes as functions with /r/ invoke URLs', async () => {
    const client = new FnHttpClient(base);
    assert.equal(await client.apiVersion(), 'v1');
    const app = (await client.listApps()).items.find((a) => a.name === appName);
    assert.ok(app);
    const nodes = await loadFunctionNodes(client, app);
    assert.deepEqual(
      nodes.map((n) => (n.kind === 'function' ? [n.fn.name, n.fn.image, n.fn.memoryMb, n.invokeUrl] : n.kind)),
      [
        ['v1', 'fnmesh/hello:v1', 256, `${base}/r/${appName}/v1`],
        ['v2', 'fnmesh/hello:v2', 256, `${base}/r/${appName}/v2`],
      ],
    );
  });
});
