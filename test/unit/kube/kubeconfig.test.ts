import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { kubeconfigFiles, listContexts, loadKubeconfig, selectContext } from '../../../src/kube/kubeconfig';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fnmesh-kc-'));
function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

const first = write(
  'first.yaml',
  `apiVersion: v1
kind: Config
current-context: alpha
clusters:
- name: c1
  cluster: {server: 'https://127.0.0.1:1111', certificate-authority: ca.crt}
- name: shared
  cluster: {server: 'https://127.0.0.1:2222'}
users:
- name: u1
  user: {token: first-token}
contexts:
- name: alpha
  context: {cluster: c1, user: u1, namespace: team-a}
- name: shared-ctx
  context: {cluster: shared, user: u1}
`,
);
const second = write(
  'second.yaml',
  `apiVersion: v1
kind: Config
current-context: beta
clusters:
- name: shared
  cluster: {server: 'https://127.0.0.1:9999'}
- name: c2
  cluster: {server: 'https://127.0.0.1:3333'}
users:
- name: u2
  user: {token: second-token}
contexts:
- name: beta
  context: {cluster: c2, user: u2}
- name: dangling
  context: {cluster: nowhere, user: u2}
`,
);

describe('kubeconfig like kubectl', () => {
  it('merges a KUBECONFIG list: first file wins names and current-context, missing files are skipped', async () => {
    const env = { KUBECONFIG: [path.join(dir, 'missing.yaml'), first, second].join(path.delimiter) };
    const loaded = await loadKubeconfig({ env, homeDir: dir });
    assert.deepEqual(loaded.files, [first, second]);
    assert.equal(loaded.source, 'KUBECONFIG');
    assert.equal(loaded.config.getCurrentContext(), 'alpha');
    assert.equal(loaded.config.getCluster('shared')?.server, 'https://127.0.0.1:2222');
    assert.deepEqual(listContexts(loaded.config).map((c) => c.name), ['alpha', 'shared-ctx', 'beta', 'dangling']);
    // Relative certificate paths resolve against the file that names them.
    assert.equal(loaded.config.getCluster('c1')?.caFile, path.join(dir, 'ca.crt'));
  });

  it('switches context and reports its namespace, server and user', async () => {
    const loaded = await loadKubeconfig({ env: { KUBECONFIG: `${first}${path.delimiter}${second}` }, homeDir: dir });
    assert.deepEqual(selectContext(loaded.config), { name: 'alpha', cluster: 'c1', server: 'https://127.0.0.1:1111', user: 'u1', namespace: 'team-a' });
    const beta = selectContext(loaded.config, 'beta');
    assert.equal(beta.namespace, 'default');
    assert.equal(loaded.config.getCurrentContext(), 'beta');
    assert.equal(loaded.config.getCurrentUser()?.token, 'second-token');
  });

  it('refuses unknown contexts and contexts with missing clusters, by name', async () => {
    const loaded = await loadKubeconfig({ env: { KUBECONFIG: second }, homeDir: dir });
    assert.throws(() => selectContext(loaded.config, 'gamma'), /context "gamma" is not in the kubeconfig \(known: beta, dangling\)/);
    assert.throws(() => selectContext(loaded.config, 'dangling'), /refers to cluster "nowhere"/);
  });

  it('points at the file and line of broken YAML', async () => {
    const broken = write('broken.yaml', 'apiVersion: v1\nclusters:\n- name: x\n  cluster: {server: [\n');
    await assert.rejects(loadKubeconfig({ env: { KUBECONFIG: broken }, homeDir: dir }), /invalid kubeconfig .*broken\.yaml:\d+:\d+/);
  });

  it('requires an explicit file to exist, and says so when nothing is found', async () => {
    await assert.rejects(loadKubeconfig({ explicitPath: path.join(dir, 'nope'), env: {}, homeDir: dir }), /cannot read kubeconfig .*nope/);
    await assert.rejects(loadKubeconfig({ env: {}, homeDir: dir }), /no kubeconfig found: .*\.kube[/\\]config does not exist/);
  });

  it('prefers the explicit file over KUBECONFIG and expands ~', () => {
    assert.deepEqual(kubeconfigFiles({ explicitPath: '~/k.yaml', env: { KUBECONFIG: first }, homeDir: '/home/u' }), { files: ['/home/u/k.yaml'], source: 'setting' });
    assert.deepEqual(kubeconfigFiles({ env: { KUBECONFIG: `${first}${path.delimiter}${path.delimiter}${first}` }, homeDir: '/h' }).files, [first]);
  });

  it('reads an empty file in KUBECONFIG as an empty config, like kubectl', async () => {
    const empty = write('empty.yaml', '');
    const loaded = await loadKubeconfig({ env: { KUBECONFIG: [empty, second].join(path.delimiter) }, homeDir: dir });
    assert.deepEqual(loaded.files, [empty, second]);
    assert.equal(selectContext(loaded.config).name, 'beta');
    const onlyEmpty = await loadKubeconfig({ env: { KUBECONFIG: empty }, homeDir: dir });
    assert.throws(() => selectContext(onlyEmpty.config), /no current-context/);
  });

  it('loads a file with an unrelated incomplete cluster and context; only the selected context must be complete', async () => {
    const partial = write(
      'partial.yaml',
      `apiVersion: v1
clusters:
- name: half
  cluster: {certificate-authority-data: Zm9v}
- name: c3
  cluster: {server: 'https://127.0.0.1:4444'}
users:
- name: u3
  user: {token: t3}
contexts:
- name: uses-half
  context: {cluster: half, user: u3}
- name: no-cluster
  context: {user: u3}
- name: gamma
  context: {cluster: c3, user: u3}
`,
    );
    const loaded = await loadKubeconfig({ env: { KUBECONFIG: [first, partial].join(path.delimiter) }, homeDir: dir });
    assert.equal(selectContext(loaded.config).name, 'alpha');
    assert.equal(selectContext(loaded.config, 'gamma').server, 'https://127.0.0.1:4444');
    assert.equal(loaded.config.getCurrentUser()?.token, 't3');
    assert.throws(() => selectContext(loaded.config, 'uses-half'), /context "uses-half" uses cluster "half", which has no server/);
    assert.throws(() => selectContext(loaded.config, 'no-cluster'), /context "no-cluster" names no cluster/);
  });

  it('refuses a kubeconfig that is not a mapping, naming the file', async () => {
    const list = write('list.yaml', '- a\n- b\n');
    await assert.rejects(loadKubeconfig({ env: { KUBECONFIG: list }, homeDir: dir }), /invalid kubeconfig .*list\.yaml: expected a mapping/);
  });
});
