// Issue 11, item 2 (secrets), in plain Node against the real stack: a kubeconfig with a known
// bearer token and a client key, and an Fn client with a known Authorization header, driven
// through the failures that produce messages (refused credentials, the API server stopped, a watch
// that keeps failing, a refused Fn request). Neither secret appears in any error message, outcome,
// watch error, or anything written to stdout/stderr meanwhile.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeError } from '../../src/common/errors';
import { redactText } from '../../src/common/redact';
import { FnHttpClient } from '../../src/fn/fnClient';
import { loadAppNodes } from '../../src/fn/tree/functionsTree';
import { createKubeClient } from '../../src/kube/objects/objectApiClient';
import { connectKubeResources } from '../../src/routing/cluster/kubeResources';
import { kubeconfigFrom } from '../helpers/controlPlane';
import { requiredEnv } from '../helpers/integrationEnv';
import { startLocalServer } from '../helpers/localServer';
import { helloObjects } from '../integration/kube/kubeFixtures';
import { restoreStackAfter, startApiServer, stopApiServer } from './stack';

describe('reliability: no trace of a bearer token or a client key in messages and output (real stack)', function () {
  this.timeout(120_000);
  restoreStackAfter();
  const token = `fnmeshsecret${randomBytes(16).toString('hex')}`;
  let keyPem = '';
  let certPem = '';
  let secrets: string[] = [];
  const seen: string[] = [];
  const leaks = (): string[] => seen.filter((text) => secrets.some((s) => text.includes(s)));
  let dir = '';
  let kubeconfigFile = '';
  const restore: (() => void)[] = [];

  before(() => {
    // Everything written to stdout/stderr while the tests run is checked too (mocha's own lines included).
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write.bind(stream);
      stream.write = ((chunk: unknown, ...rest: unknown[]) => {
        seen.push(String(chunk));
        return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
      });
      restore.push(() => (stream.write = write));
    }
    const admin = fs.readFileSync(requiredEnv('KUBECONFIG').split(':')[0] ?? '', 'utf8');
    const server = /server: (\S+)/.exec(admin)?.[1] ?? '';
    const ca = /certificate-authority-data: (\S+)/.exec(admin)?.[1] ?? '';
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fnm-secrets-'));
    // A client key with its own (self-signed, so unknown to the API server) certificate.
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', path.join(dir, 'k.pem'), '-out', path.join(dir, 'c.pem'), '-days', '1', '-subj', '/CN=someone'], { stdio: 'ignore' });
    keyPem = fs.readFileSync(path.join(dir, 'k.pem'), 'utf8');
    certPem = fs.readFileSync(path.join(dir, 'c.pem'), 'utf8');
    const keyLines = keyPem.split('\n').filter((l) => l && !l.startsWith('-----'));
    secrets = [token, Buffer.from(keyPem).toString('base64'), keyLines.join(''), ...keyLines.filter((l) => l.length > 20)];
    kubeconfigFile = path.join(dir, 'kubeconfig');
    fs.writeFileSync(
      kubeconfigFile,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        '- name: local',
        '  cluster:',
        `    server: ${server}`,
        `    certificate-authority-data: ${ca}`,
        'users:',
        '- name: someone',
        '  user:',
        `    token: ${token}`,
        `    client-key-data: ${Buffer.from(keyPem).toString('base64')}`,
        `    client-certificate-data: ${Buffer.from(certPem).toString('base64')}`,
        'contexts:',
        '- name: local',
        '  context: {cluster: local, user: someone, namespace: default}',
        'current-context: local',
        '',
      ].join('\n'),
      { mode: 0o600 },
    );
  });
  after(() => {
    restore.forEach((r) => r());
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refused credentials, a stopped API server and a failing watch: every message is free of both secrets', async () => {
    const config = await kubeconfigFrom(kubeconfigFile);
    const kube = await connectKubeResources(config);
    const record = async (what: Promise<unknown>): Promise<void> => {
      try {
        seen.push(JSON.stringify(await what));
      } catch (err) {
        seen.push(describeError(err), String(err), (err as Error).stack ?? '', redactText(String(err)));
      }
    };
    await record(kube.discoverIstioVersion());
    await record(kube.apply(helloObjects('default')));
    await record(kube.updateWeights('default', 'hello-app', new Map([['v1', 100]])));
    const watchErrors: string[] = [];
    const watch = await kube.watchRouting('default', () => undefined, { onError: (err) => watchErrors.push(describeError(err)) }).catch((err: unknown) => {
      seen.push(describeError(err));
      return undefined;
    });
    await stopApiServer();
    try {
      await record(createKubeClient(config).then((c) => c.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'x' })));
      await record(kube.apply(helloObjects('default')));
      await new Promise((resolve) => setTimeout(resolve, 2_500));
    } finally {
      watch?.dispose();
      await startApiServer();
    }
    seen.push(...watchErrors);
    assert.ok(seen.some((t) => /Unauthorized|401|forbidden|certificate/i.test(t)), `the refused credentials were reported: ${seen.filter((t) => !t.includes('\n')).join(' | ').slice(0, 1500)}`);
    assert.ok(seen.some((t) => /connection refused|ECONNREFUSED/.test(t)), 'the stopped server was reported');
    assert.deepEqual(leaks(), []);
  });

  it('an Fn server that refuses the Authorization header: the error item does not carry the token', async () => {
    const fn = await startLocalServer((req, res) => {
      // A careless server that echoes what it got.
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ message: `bad credentials: ${req.headers.authorization ?? ''}` }));
    });
    try {
      const nodes = await loadAppNodes(new FnHttpClient(fn.url, { authorization: `Bearer ${token}`, timeoutMs: 2_000 }));
      seen.push(JSON.stringify(nodes));
      assert.equal(nodes[0]?.kind, 'message');
      assert.match(JSON.stringify(nodes), /401/);
    } finally {
      await fn.close();
    }
    assert.deepEqual(leaks(), []);
  });
});
