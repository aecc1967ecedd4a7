// kube-inject for Route Traffic: finding istioctl on PATH, the arguments Fn Mesh passes, and
// failures (stand-in scripts that fail). The real istioctl's output is tested in
// test/integration/mesh/kubeInject.test.ts.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UserError } from '../../../src/common/errors';
import type { CliConnection } from '../../../src/kube/cliConnection';
import { deploymentsYaml, kubeInjectArgs, runKubeInject, withInjectedDeployments } from '../../../src/routing/kubeInject';
import { generateManifests } from '../../../src/routing/manifests/appManifests';
import { helloApp } from '../../fixtures/routing/helloApp';

describe('route traffic: istioctl kube-inject', () => {
  let dir: string;
  const objects = generateManifests(helloApp());
  const connection: CliConnection = { files: ['/home/dev/.kube/config'], source: 'default', context: 'dev' };

  function script(name: string, body: string): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    return file;
  }

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fn-mesh-kube-inject-'));
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('always names the revision, so istioctl never waits for a cluster to tell it', () => {
    assert.deepEqual(kubeInjectArgs(), ['kube-inject', '--revision', 'default', '-f', '-']);
    assert.deepEqual(kubeInjectArgs({ revision: 'canary', offline: { injectConfigFile: 'i', meshConfigFile: 'm', valuesFile: 'v' } }), [
      'kube-inject',
      '--revision',
      'canary',
      '--injectConfigFile',
      'i',
      '--meshConfigFile',
      'm',
      '--valuesFile',
      'v',
      '-f',
      '-',
    ]);
  });

  it('keeps the generated objects other than Deployments and the namespace', () => {
    const input = deploymentsYaml(objects);
    assert.equal((input.match(/^kind: Deployment$/gm) ?? []).length, 2);
    // What kube-inject prints has no namespace; the apply needs it back.
    const injected = withInjectedDeployments(objects, input.replace(/^ {2}namespace: hello$/gm, ''));
    assert.deepEqual(injected, objects);
  });

  it('stops an istioctl that hangs', async () => {
    const hanging = script('istioctl-hang', 'exec sleep 30');
    await assert.rejects(runKubeInject(hanging, 'x', { timeoutMs: 300 }), /killed by SIGTERM/);
  });

  it('reports a failing or incomplete kube-inject without applying anything', async () => {
    const failing = script('istioctl-fail', 'echo "error: no Istio installation found" >&2; exit 1');
    await assert.rejects(runKubeInject(failing, 'x', { connection }), (err: unknown) => err instanceof UserError && /exit 1\): error: no Istio installation found/.test(err.message));
    assert.throws(() => withInjectedDeployments(objects, 'kind: ConfigMap\nmetadata: {name: x}\n'), /returned no Deployment hello-app-v1; nothing was applied/);
    await assert.rejects(runKubeInject(path.join(dir, 'missing'), 'x', { connection }), /could not run/);
  });

  describe('targets the cluster Fn Mesh is connected to, not kubectl\'s current context', () => {
    /** A stand-in istioctl that records its arguments (one a line) and KUBECONFIG, then echoes stdin. */
    function recordingIstioctl(): { tool: string; argv: () => string[]; kubeconfigEnv: () => string } {
      const argvFile = path.join(dir, 'argv');
      const envFile = path.join(dir, 'env');
      const tool = script('istioctl-record', `for a in "$@"; do printf '%s\\n' "$a"; done > '${argvFile}'\nprintf '%s' "\${KUBECONFIG-unset}" > '${envFile}'\ncat`);
      return { tool, argv: () => fs.readFileSync(argvFile, 'utf8').split('\n').filter((l) => l !== ''), kubeconfigEnv: () => fs.readFileSync(envFile, 'utf8') };
    }
    let savedKubeconfig: string | undefined;
    beforeEach(() => {
      // What kubectl would use on its own: another file, whose current-context is not Fn Mesh's.
      savedKubeconfig = process.env.KUBECONFIG;
      process.env.KUBECONFIG = path.join(dir, 'kubectl-own-config');
    });
    afterEach(() => {
      if (savedKubeconfig === undefined) {
        delete process.env.KUBECONFIG;
      } else {
        process.env.KUBECONFIG = savedKubeconfig;
      }
    });

    it('passes the fnMesh.kubeconfig file and the context picked in Fn Mesh', async () => {
      const { tool, argv, kubeconfigEnv } = recordingIstioctl();
      const input = deploymentsYaml(objects);
      const out = await runKubeInject(tool, input, { connection: { files: ['/projects/team/kubeconfig.yaml'], source: 'setting', context: 'staging' } });
      assert.equal(out, input);
      assert.deepEqual(argv(), ['kube-inject', '--revision', 'default', '-f', '-', '--kubeconfig', '/projects/team/kubeconfig.yaml', '--context', 'staging']);
      assert.equal(kubeconfigEnv(), '/projects/team/kubeconfig.yaml');
    });

    it('gives a merged KUBECONFIG list as KUBECONFIG, in the same order, with the context', async () => {
      const { tool, argv, kubeconfigEnv } = recordingIstioctl();
      const files = ['/home/dev/.kube/a.yaml', '/home/dev/.kube/b.yaml'];
      await runKubeInject(tool, 'x', { connection: { files, source: 'KUBECONFIG', context: 'b-ctx' } });
      assert.deepEqual(argv(), ['kube-inject', '--revision', 'default', '-f', '-', '--context', 'b-ctx']);
      assert.equal(kubeconfigEnv(), files.join(path.delimiter));
    });
  });
});
