import * as assert from 'node:assert/strict';
import { contextTokens, contextValueFor } from '../../../../src/fn/tree/contextValue';
import { functionDetails, loadAppNodes, loadFunctionNodes, staticChildren, type FnTreeNode } from '../../../../src/fn/tree/functionsTree';
import type { FnClient } from '../../../../src/fn/fnClient';
import type { FnApiVersion, FnApp, FnFunction } from '../../../../src/fn/model';

/** An in-memory FnClient: the tree logic under test only sees the interface. */
function client(apps: FnApp[], fns: FnFunction[], api: FnApiVersion = 'v2', fail?: Error): FnClient {
  return {
    apiUrl: 'http://fn:8080',
    apiVersion: () => (fail ? Promise.reject(fail) : Promise.resolve(api)),
    listApps: () => (fail ? Promise.reject(fail) : Promise.resolve({ items: apps, truncated: false })),
    listFunctions: (app, options) => {
      const all = fns.filter((f) => f.appName === app.name);
      const limit = options?.limit ?? all.length;
      return Promise.resolve({ items: all.slice(0, limit), truncated: all.length > limit });
    },
  };
}

const fn = (name: string, extra: Partial<FnFunction> = {}): FnFunction => ({
  appName: 'hello-app',
  name,
  image: `img:${name}`,
  annotations: {},
  triggers: [],
  ...extra,
});

describe('functions tree model', () => {
  it('lists apps sorted, with stable ids', async () => {
    const nodes = await loadAppNodes(client([{ id: '2', name: 'b', annotations: {} }, { id: '1', name: 'a', annotations: {} }], []));
    assert.deepEqual(nodes.map((n) => n.id), ['app/1', 'app/2']);
  });

  it('turns failures into an error node with Retry and Configure', async () => {
    const nodes = await loadAppNodes(client([], [], 'v2', Object.assign(new Error('x'), { code: 'ECONNREFUSED' })));
    assert.equal(nodes.length, 1);
    const node = nodes[0] as FnTreeNode & { kind: 'message' };
    assert.equal(node.kind, 'message');
    assert.match(node.label, /Cannot list Fn apps from http:\/\/fn:8080/);
    assert.match(node.detail ?? '', /connection refused/);
    assert.deepEqual(staticChildren(node).map((c) => c.kind === 'action' && c.action), ['retry', 'configure']);
    assert.deepEqual(contextTokens(node), ['message', 'retryable', 'configurable']);
  });

  it('computes invoke URLs through triggers and marks functions invocable', async () => {
    const app: FnApp = { id: 'A', name: 'hello-app', annotations: {} };
    const nodes = await loadFunctionNodes(
      client([app], [fn('v2', { id: 'F2', triggers: [{ name: 't', type: 'http', source: '/v2' }] }), fn('v1', { id: 'F1' })]),
      app,
      { invokeBase: 'http://lb:90' },
    );
    assert.deepEqual(
      nodes.map((n) => (n.kind === 'function' ? [n.fn.name, n.invokeUrl, contextValueFor(n)] : n.kind)),
      [
        ['v1', 'http://lb:90/invoke/F1', 'function invocable hasInvokeUrl'],
        ['v2', 'http://lb:90/t/hello-app/v2', 'function invocable hasInvokeUrl'],
      ],
    );
  });

  it('uses /r/<app>/<route> for the 2018 API', async () => {
    const app: FnApp = { name: 'hello-app', annotations: {} };
    const nodes = await loadFunctionNodes(client([app], [fn('v1', { triggers: [{ name: '/v1', type: 'http', source: '/v1' }] })], 'v1'), app);
    assert.equal(nodes[0]?.kind === 'function' && nodes[0].invokeUrl, 'http://fn:8080/r/hello-app/v1');
  });

  it('caps huge apps and says so', async () => {
    const app: FnApp = { id: 'A', name: 'hello-app', annotations: {} };
    const many = Array.from({ length: 50 }, (_, i) => fn(`f${String(i).padStart(2, '0')}`, { id: `id${i}` }));
    const nodes = await loadFunctionNodes(client([app], many), app, { maxFunctionsPerApp: 10 });
    assert.equal(nodes.filter((n) => n.kind === 'function').length, 10);
    const last = nodes[nodes.length - 1];
    assert.equal(last?.kind === 'message' && last.label, 'Only the first 10 functions are shown');
  });

  it('describes a function with image, memory, timeout and triggers', () => {
    const details = functionDetails({
      kind: 'function',
      id: 'x',
      api: 'v2',
      invokeUrl: 'http://lb/t/hello-app/v1',
      fn: fn('v1', { memoryMb: 128, timeoutSeconds: 30, triggers: [{ name: 'v1', type: 'http', source: '/v1', endpoint: 'http://e/t/hello-app/v1' }] }),
    });
    assert.equal(details.description, 'img:v1 · 128 MB · 30s');
    assert.match(details.tooltip, /trigger v1 \(http\): \/v1 → http:\/\/e\/t\/hello-app\/v1/);
    assert.match(details.tooltip, /invoke: http:\/\/lb\/t\/hello-app\/v1/);
  });

  it('a function without any endpoint is not invocable', () => {
    assert.deepEqual(contextTokens({ kind: 'function', id: 'x', api: 'v2', fn: fn('v1') }), ['function']);
  });
});
