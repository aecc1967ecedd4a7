// Looking for Fn in the cluster fails in one line that says what failed, and within a bounded time.
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import * as os from 'node:os';
import { describeError } from '../../../../src/common/errors';
import { connectFnInCluster } from '../../../../src/fn/cluster/fnInCluster';
import { connectFn } from '../../../../src/fn/connection';
import { clientNode } from '../../../../src/kube/clientNode';

const settings = { requestTimeoutSeconds: 5 };

describe('Fn discovery errors', () => {
  it('describes client-node HTTP errors in one line with the server reason, as a kind', async () => {
    const k8s = await clientNode();
    const status = { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Forbidden', code: 403, message: 'services is forbidden: User "dev" cannot list resource "services" in API group "" in the namespace "team"' };
    const apiErr = new k8s.ApiException(403, 'Unknown API Status Code!', JSON.stringify(status), { 'content-type': 'application/json', 'audit-id': 'abc' });
    assert.match(apiErr.message, /\n/, 'client-node words it on several lines');
    assert.equal(describeError(apiErr), `forbidden: ${status.message}`);
    assert.equal(describeError(new k8s.ApiException(500, 'x', 'upstream\nbroke', {})), 'HTTP 500: upstream broke');
    assert.equal(describeError(new Error('first\n  second')), 'first second');
  });

  it('gives up looking for Fn after the time limit, with a label that says what failed', async () => {
    // A server that accepts connections and never answers: the API server hangs.
    const sockets: net.Socket[] = [];
    const server = net.createServer((s) => void sockets.push(s));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const k8s = await clientNode();
      const config = new k8s.KubeConfig();
      const port = (server.address() as net.AddressInfo).port;
      config.loadFromOptions({ clusters: [{ name: 'c', server: `https://127.0.0.1:${port}`, skipTLSVerify: true }], users: [{ name: 'u' }], contexts: [{ name: 'x', cluster: 'c', user: 'u' }], currentContext: 'x' });
      const started = Date.now();
      const state = await connectFn(settings, {}, os.tmpdir(), { discover: () => connectFnInCluster(config, 'x', 'default'), discoveryTimeoutMs: 300 });
      assert.ok(Date.now() - started < 2000, 'bounded wait');
      assert.equal(state.kind, 'invalid');
      assert.equal(state.kind === 'invalid' && state.failed, 'cluster discovery');
      assert.match(state.kind === 'invalid' ? state.message : '', /looking for Fn in the cluster failed: no answer within 0 s$/);
    } finally {
      for (const s of sockets) {
        s.destroy();
      }
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('closes what a discovery opens after the time limit', async () => {
    let closed = false;
    const late = new Promise<{ apiUrl: string; origin: string; close(): Promise<void> }>((resolve) =>
      setTimeout(() => resolve({ apiUrl: 'http://127.0.0.1:1', origin: 'late', close: () => Promise.resolve(void (closed = true)) }), 50),
    );
    const state = await connectFn(settings, {}, os.tmpdir(), { discover: () => late, discoveryTimeoutMs: 10 });
    assert.equal(state.kind, 'invalid');
    await late;
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(closed, true);
  });
});
