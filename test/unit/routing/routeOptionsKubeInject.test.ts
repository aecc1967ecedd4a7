// kube-inject for Route Traffic: finding istioctl on PATH, the arguments Fn Mesh passes, and
// failures (stand-in scripts that fail). The real istioctl's output is tested in
// test/integration/mesh/kubeInject.test.ts.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UserError } from '../../../src/common/errors';
import { deploymentsYaml, findOnPath, kubeInjectArgs, runKubeInject, withInjectedDeployments } from '../../../src/routing/kubeInject';
import { generateManifests } from '../../../src/routing/manifests/appManifests';
import { helloApp } from '../../fixtures/routing/helloApp';

describe('route traffic: istioctl kube-inject', () => {
  let dir: string;
  const objects = generateManifests(helloApp());

  function script(name: string, body: string): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    return file;
  }

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fn-mesh-kube-inject-'));
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('finds an executable on PATH only', () => {
    const tool = script('istioctl', 'exit 0');
    fs.writeFileSync(path.join(dir, 'not-executable'), '', { mode: 0o644 });
    assert.equal(findOnPath('istioctl', { PATH: ['/nonexistent', dir].join(path.delimiter) }), tool);
    assert.equal(findOnPath('not-executable', { PATH: dir }), undefined);
    assert.equal(findOnPath('istioctl', { PATH: '' }), undefined);
  });

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
    await assert.rejects(runKubeInject(failing, 'x'), (err: unknown) => err instanceof UserError && /exit 1\): error: no Istio installation found/.test(err.message));
    assert.throws(() => withInjectedDeployments(objects, 'kind: ConfigMap\nmetadata: {name: x}\n'), /returned no Deployment hello-app-v1; nothing was applied/);
    await assert.rejects(runKubeInject(path.join(dir, 'missing'), 'x'), /could not run/);
  });
});
