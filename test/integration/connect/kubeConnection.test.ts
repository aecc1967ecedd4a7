// Connecting to the real local kube-apiserver the way the extension does: two kubeconfig files in
// KUBECONFIG, a context switch, RBAC's 403 for a limited user, and an API server that is down.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { connectKube } from '../../../src/kube/connection';
import { describeKubeError, kubeStatusCode } from '../../../src/kube/kubeErrors';
import { listNamespaceNames } from '../../../src/kube/namespaces';
import { closedPort } from '../../helpers/localServer';
import { requiredEnv } from '../../helpers/integrationEnv';

describe('Kubernetes connection against the real API server', function () {
  this.timeout(30_000);
  const admin = requiredEnv('KUBECONFIG');
  const limited = requiredEnv('FN_MESH_KUBECONFIG_LIMITED');
  const kubeconfig = [admin, limited].join(path.delimiter);

  it('reads two kubeconfig files like kubectl and lists namespaces as the admin', async () => {
    const state = await connectKube({ env: { KUBECONFIG: kubeconfig }, homeDir: os.tmpdir() }, {});
    assert.equal(state.kind, 'connected');
    if (state.kind !== 'connected') {
      return;
    }
    assert.deepEqual(state.files, [admin, limited]);
    assert.equal(state.context.name, 'fn-mesh-local', 'the first file sets the current context');
    const names = await listNamespaceNames(state.config);
    assert.ok(names.includes('kube-system') && names.includes('default'), names.join(','));
  });

  it('switches to the limited user and gets a clear 403 from RBAC', async () => {
    const state = await connectKube({ env: { KUBECONFIG: kubeconfig }, homeDir: os.tmpdir() }, { context: 'fn-mesh-limited', namespace: 'team' });
    assert.equal(state.kind, 'connected');
    if (state.kind !== 'connected') {
      return;
    }
    assert.equal(state.context.user, 'fn-mesh-limited');
    assert.equal(state.namespace, 'team');
    await assert.rejects(listNamespaceNames(state.config), (err: unknown) => {
      assert.equal(kubeStatusCode(err), 403);
      assert.match(describeKubeError(err), /^forbidden: namespaces is forbidden: User "fn-mesh-limited" cannot list resource "namespaces"/);
      return true;
    });
  });

  it('names the server when the API server is down', async () => {
    const text = fs.readFileSync(admin, 'utf8').replace(/server: https:\/\/127\.0\.0\.1:\d+/, `server: https://127.0.0.1:${await closedPort()}`);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fnmesh-down-')), 'config');
    fs.writeFileSync(file, text);
    const state = await connectKube({ explicitPath: file, env: {}, homeDir: os.tmpdir() }, {});
    assert.ok(state.kind === 'connected');
    await assert.rejects(listNamespaceNames(state.config), (err: unknown) => {
      assert.match(describeKubeError(err, state.context.server), /cannot reach the Kubernetes API server at https:\/\/127\.0\.0\.1:\d+: .*(ECONNREFUSED|connect)/);
      return true;
    });
  });

  it('reports an expired or wrong token as unauthorized', async () => {
    const text = fs.readFileSync(admin, 'utf8').replace(/token: \S+/, 'token: not-a-valid-token');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fnmesh-badtoken-')), 'config');
    fs.writeFileSync(file, text);
    const state = await connectKube({ explicitPath: file, env: {}, homeDir: os.tmpdir() }, {});
    assert.ok(state.kind === 'connected');
    await assert.rejects(listNamespaceNames(state.config), (err: unknown) => {
      assert.equal(kubeStatusCode(err), 401);
      assert.match(describeKubeError(err), /^unauthorized: the API server rejected the credentials/);
      return true;
    });
  });
});
