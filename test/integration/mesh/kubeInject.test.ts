// Route Traffic's `istioctl kube-inject` path against the real istioctl (scripts/istio.sh builds
// it): offline from the files `istioctl manifest generate` yields, and against the local cluster's
// injector ConfigMaps; the injected Deployments replace the generated ones.
import * as assert from 'node:assert/strict';
import type { KubeObject } from '../../../src/routing/manifests/kubeObject';
import { addedContainers, deploymentsYaml, runKubeInject, withInjectedDeployments } from '../../../src/routing/kubeInject';
import { generateManifests } from '../../../src/routing/manifests/appManifests';
import { requiredEnv } from '../../helpers/integrationEnv';
import { helloApp } from '../../fixtures/routing/helloApp';

interface PodSpec {
  containers?: { name: string; image?: string }[];
  initContainers?: { name: string }[];
}
const podSpec = (d: KubeObject | undefined): PodSpec => (d as unknown as { spec: { template: { spec: PodSpec } } }).spec.template.spec;

describe('route traffic: the real istioctl kube-inject', function () {
  this.timeout(60_000);
  const objects = generateManifests(helloApp());

  function checkInjected(injected: KubeObject[]): void {
    assert.deepEqual(injected.map((o) => o.kind), objects.map((o) => o.kind));
    assert.deepEqual(injected.filter((o) => o.kind !== 'Deployment'), objects.filter((o) => o.kind !== 'Deployment'), 'only the Deployments change');
    assert.ok(addedContainers(objects, injected) >= 2, 'at least istio-proxy in each Deployment');
    for (const d of injected.filter((o) => o.kind === 'Deployment')) {
      const spec = podSpec(d);
      const names = [...(spec.containers ?? []), ...(spec.initContainers ?? [])].map((c) => c.name);
      assert.ok(names.includes('istio-proxy'), `${d.metadata.name}: ${names.join(', ')}`);
      assert.ok(names.includes('proxy'), 'the nginx container stays');
      assert.equal(d.metadata.namespace, 'hello');
    }
  }

  it('injects offline, from the generated configuration, with no cluster to ask', async () => {
    const offline = {
      injectConfigFile: requiredEnv('FN_MESH_ISTIO_INJECT_CONFIG'),
      meshConfigFile: requiredEnv('FN_MESH_ISTIO_MESH_CONFIG'),
      valuesFile: requiredEnv('FN_MESH_ISTIO_INJECT_VALUES'),
    };
    const saved = process.env.KUBECONFIG;
    // Without `--revision`, istioctl would look for revision tags in this (absent) cluster forever.
    process.env.KUBECONFIG = '/nonexistent/kubeconfig';
    try {
      const started = Date.now();
      const output = await runKubeInject(requiredEnv('FN_MESH_ISTIOCTL'), deploymentsYaml(objects), { offline, timeoutMs: 20_000 });
      assert.ok(Date.now() - started < 20_000);
      checkInjected(withInjectedDeployments(objects, output));
    } finally {
      process.env.KUBECONFIG = saved;
    }
  });

  it("injects from the cluster's injector configuration (KUBECONFIG)", async () => {
    requiredEnv('KUBECONFIG');
    const output = await runKubeInject(requiredEnv('FN_MESH_ISTIOCTL'), deploymentsYaml(objects));
    checkInjected(withInjectedDeployments(objects, output));
  });

  it("reports istioctl's own message when it cannot inject, and nothing is returned to apply", async () => {
    await assert.rejects(
      runKubeInject(requiredEnv('FN_MESH_ISTIOCTL'), deploymentsYaml(objects), { revision: 'no-such-revision' }),
      /istioctl kube-inject failed \(exit \d+\): .*\S/,
    );
  });
});
