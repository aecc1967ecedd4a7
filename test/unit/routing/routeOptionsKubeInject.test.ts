// kube-inject for Route Traffic, run against stand-in `istioctl` scripts (the real one is not
// installed in CI): found on PATH, fed the Deployments on stdin, its output put in their place.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UserError } from '../../../src/common/errors';
import { addedContainers, deploymentsYaml, runKubeInject, withInjectedDeployments } from '../../../src/routing/kubeInject';
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

  it('puts the injected Deployments in place of the generated ones', async () => {
    // Adds an istio-proxy container after each `containers:` key, as kube-inject would.
    const tool = script(
      'istioctl-add',
      `[ "$1 $2 $3" = "kube-inject -f -" ] || { echo "bad args: $*" >&2; exit 2; }\nsed 's/^\\( *\\)containers:$/&\\n\\1  - name: istio-proxy\\n\\1    image: proxyv2/'`,
    );
    const input = deploymentsYaml(objects);
    assert.equal((input.match(/^kind: Deployment$/gm) ?? []).length, 2);
    const injected = withInjectedDeployments(objects, await runKubeInject(tool, input));
    assert.deepEqual(injected.map((o) => o.kind), objects.map((o) => o.kind));
    assert.equal(addedContainers(objects, injected), 2);
    const deployment = injected.find((o) => o.kind === 'Deployment') as unknown as { metadata: { namespace: string }; spec: { template: { spec: { containers: { name: string }[] } } } };
    assert.equal(deployment.metadata.namespace, 'hello');
    assert.ok(deployment.spec.template.spec.containers.some((c) => c.name === 'istio-proxy'));
    // Everything else is untouched.
    assert.deepEqual(injected.filter((o) => o.kind !== 'Deployment'), objects.filter((o) => o.kind !== 'Deployment'));
  });

  it('reports a failing or incomplete kube-inject without applying anything', async () => {
    const failing = script('istioctl-fail', 'echo "error: no Istio installation found" >&2; exit 1');
    await assert.rejects(runKubeInject(failing, 'x'), (err: unknown) => err instanceof UserError && /exit 1\): error: no Istio installation found/.test(err.message));
    assert.throws(() => withInjectedDeployments(objects, 'kind: ConfigMap\nmetadata: {name: x}\n'), /returned no Deployment hello-app-v1; nothing was applied/);
    await assert.rejects(runKubeInject(path.join(dir, 'missing'), 'x'), /could not run/);
  });
});
