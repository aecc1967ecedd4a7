import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import { connectFn, describeConnection } from '../../../src/fn/connection';

const emptyHome = os.tmpdir();
const settings = { requestTimeoutSeconds: 5 };

describe('Fn connection', () => {
  it('asks the cluster only when the fn CLI sources give nothing', async () => {
    let asked = 0;
    const discover = () => {
      asked++;
      return Promise.resolve({ apiUrl: 'http://127.0.0.1:1', invokeUrl: 'http://127.0.0.1:2', origin: 'Service fn-system/fn', close: () => Promise.resolve() });
    };
    const fromEnv = await connectFn(settings, { FN_API_URL: 'http://env:8080' }, emptyHome, { discover });
    assert.equal(fromEnv.kind === 'connected' && fromEnv.endpoint.source, 'env');
    assert.equal(asked, 0);
    const fromCluster = await connectFn(settings, {}, emptyHome, { discover });
    assert.equal(asked, 1);
    assert.ok(fromCluster.kind === 'connected');
    assert.equal(fromCluster.endpoint.source, 'cluster');
    assert.equal(fromCluster.invokeBase, 'http://127.0.0.1:2');
    assert.equal(describeConnection(fromCluster), 'http://127.0.0.1:1 (from Service fn-system/fn)');
  });

  it('keeps an explicit invoke URL over the discovered lb', async () => {
    const state = await connectFn({ ...settings, invokeUrl: 'http://lb:90/' }, {}, emptyHome, {
      discover: () => Promise.resolve({ apiUrl: 'http://127.0.0.1:1', invokeUrl: 'http://127.0.0.1:2', origin: 'x', close: () => Promise.resolve() }),
    });
    assert.equal(state.kind === 'connected' && state.invokeBase, 'http://lb:90');
  });

  it('reports a failed discovery and an empty one differently', async () => {
    const failed = await connectFn(settings, {}, emptyHome, { discover: () => Promise.reject(new Error('forbidden: services is forbidden')) });
    assert.equal(failed.kind, 'invalid');
    assert.match(failed.kind === 'invalid' ? failed.message : '', /looking for Fn in the cluster failed: forbidden/);
    const none = await connectFn(settings, {}, emptyHome, { discover: () => Promise.resolve(undefined) });
    assert.equal(none.kind, 'none');
    assert.ok(none.kind === 'none' && none.looked.includes('Fn services in the Kubernetes cluster'));
  });

  it('rejects a malformed invoke URL before anything else', async () => {
    const state = await connectFn({ ...settings, invokeUrl: 'lb:90' }, { FN_API_URL: 'http://ok' }, emptyHome);
    assert.match(state.kind === 'invalid' ? state.message : '', /fnMesh\.fn\.invokeUrl/);
  });
});
