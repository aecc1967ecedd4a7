// Issue 11, item 2: Fn server faults for chosen apps (a 500, a request that never answers, a slow
// second page of a paginated list), injected by a small proxy in front of the real Fn server. The
// Functions tree (fn/tree, as the view loads it) degrades per app: the faulty apps show an error
// item with Retry, every other app shows its functions.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import { FnHttpClient } from '../../src/fn/fnClient';
import { loadAppNodes, loadFunctionNodes, type FnTreeNode } from '../../src/fn/tree/functionsTree';
import type { FnApp } from '../../src/fn/model';
import { callJson, requiredEnv } from '../helpers/integrationEnv';
import { startLocalServer, type LocalServer } from '../helpers/localServer';

type Fault = 'error500' | 'hang' | 'slowPage';

describe('reliability: Fn server faults degrade the Functions tree per app (real Fn server)', function () {
  this.timeout(60_000);
  const base = requiredEnv('FN_MESH_TEST_FN_URL');
  const tag = Date.now().toString(36);
  const names = { healthy: `rel-ok-${tag}`, error500: `rel-500-${tag}`, hang: `rel-hang-${tag}`, slowPage: `rel-slow-${tag}`, healthy2: `rel-ok2-${tag}` };
  const ids = new Map<string, string>(); // app id → name
  const faults = new Map<string, Fault>(); // app id → fault
  const held: http.ServerResponse[] = [];
  let proxy: LocalServer;

  before(async () => {
    for (const name of Object.values(names)) {
      const id = String((await callJson('POST', `${base}/v2/apps`, { name })).id);
      ids.set(id, name);
      for (let i = 0; i < 5; i++) {
        await callJson('POST', `${base}/v2/fns`, { app_id: id, name: `f${i}`, image: `img:${i}` });
      }
    }
    for (const [id, name] of ids) {
      const fault = name === names.error500 ? 'error500' : name === names.hang ? 'hang' : name === names.slowPage ? 'slowPage' : undefined;
      if (fault) {
        faults.set(id, fault);
      }
    }
    // The proxy: the real Fn server's answers, except the chosen faults on /v2/fns?app_id=<faulty app>.
    proxy = await startLocalServer((req, res, body) => {
      const url = new URL(req.url ?? '/', 'http://proxy');
      const fault = url.pathname === '/v2/fns' ? faults.get(url.searchParams.get('app_id') ?? '') : undefined;
      if (fault === 'error500') {
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"message":"internal server error"}');
        return;
      }
      if (fault === 'hang') {
        held.push(res); // never answered
        return;
      }
      const forward = (): void => {
        const upstream = http.request(`${base}${req.url ?? '/'}`, { method: req.method, headers: { ...req.headers, host: new URL(base).host } }, (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        });
        upstream.on('error', () => res.writeHead(502).end());
        upstream.end(body);
      };
      if (fault === 'slowPage' && url.searchParams.has('cursor')) {
        setTimeout(forward, 5_000); // the second page comes after the client's time limit
      } else {
        forward();
      }
    });
  });

  after(async () => {
    for (const res of held) {
      res.destroy();
    }
    await proxy?.close();
    const client = new FnHttpClient(base);
    for (const [id, name] of ids) {
      for (const fn of (await client.listFunctions({ id, name, annotations: {} })).items) {
        await callJson('DELETE', `${base}/v2/fns/${fn.id}`);
      }
      await callJson('DELETE', `${base}/v2/apps/${id}`);
    }
  });

  it('shows every app, an error item with Retry under each faulty one, and the functions of the others', async () => {
    // Two functions per page: every app's list is paginated (three pages).
    const client = new FnHttpClient(proxy.url, { timeoutMs: 1_500, pageSize: 2 });
    const appNodes = await loadAppNodes(client);
    const apps = appNodes.filter((n): n is Extract<FnTreeNode, { kind: 'app' }> => n.kind === 'app').map((n) => n.app);
    const ours = apps.filter((a) => a.id && ids.has(a.id));
    assert.equal(ours.length, ids.size, 'every app is listed');

    const started = Date.now();
    const children = new Map<string, FnTreeNode[]>(await Promise.all(ours.map(async (app: FnApp) => [app.name, await loadFunctionNodes(client, app)] as const)));
    const elapsed = Date.now() - started;
    assert.ok(elapsed < 10_000, `the faults are bounded by the time limit (${elapsed} ms)`);

    for (const name of [names.healthy, names.healthy2]) {
      const nodes = children.get(name) ?? [];
      assert.deepEqual(
        nodes.map((n) => (n.kind === 'function' ? n.fn.name : `${n.kind}:${n.kind === 'message' ? n.label : ''}`)),
        ['f0', 'f1', 'f2', 'f3', 'f4'],
        `${name} keeps its functions`,
      );
    }
    const expected: Record<Fault, RegExp> = { error500: /500/, hang: /time|timed out|1\.5 ?s/i, slowPage: /time|timed out|1\.5 ?s/i };
    for (const [fault, name] of [
      ['error500', names.error500],
      ['hang', names.hang],
      ['slowPage', names.slowPage],
    ] as const) {
      const nodes = children.get(name) ?? [];
      assert.equal(nodes.length, 1, `${name}: one error item, no half list (${JSON.stringify(nodes)})`);
      const node = nodes[0];
      assert.ok(node?.kind === 'message' && node.severity === 'error' && node.retryable, `${name}: an error item with Retry`);
      assert.equal(node.label, `Cannot list the functions of ${name}`);
      assert.match(node.detail ?? '', expected[fault], `${name}: ${node.detail}`);
      assert.doesNotMatch(node.detail ?? '', /\n|\[object Object\]/, 'one line');
    }
  });
});
