// With istiod stopped, the API server refuses Istio writes (the validation webhook's failure
// policy is Fail): Fn Mesh's apply stops at its dry-run with the API server's reason, and nothing
// of the routing is written half-way. istiod is started again afterwards (scripts/istio.sh).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { createKubeResources } from '../../../src/routing/cluster/kubeResources';
import { useTestNamespace } from '../../helpers/controlPlane';
import { requiredEnv } from '../../helpers/integrationEnv';
import { helloObjects, weightsOfVs } from '../kube/kubeFixtures';

const root = path.resolve(__dirname, '../../../..');

function istioSh(command: 'start' | 'stop'): void {
  const run = spawnSync('bash', [path.join(root, 'scripts/istio.sh'), command], { cwd: root, encoding: 'utf8', timeout: 150_000 });
  assert.equal(run.status, 0, `scripts/istio.sh ${command}: ${run.stderr}${run.stdout}`);
}

describe('mesh: istiod stopped (real webhooks, failure policy Fail)', function () {
  this.timeout(180_000);
  const cluster = useTestNamespace('istiod-down');
  let stopped = false;

  before(async () => {
    // The suite stops and starts the istiod of the running stack: make sure it is the test's own.
    requiredEnv('FN_MESH_ISTIOD_PORT');
    requiredEnv('FN_MESH_STATE');
    const outcome = await createKubeResources(cluster().client).apply(helloObjects(cluster().name));
    assert.equal(outcome.ok, true, outcome.summary);
    istioSh('stop');
    stopped = true;
  });

  after(() => {
    if (stopped) {
      istioSh('start');
    }
  });

  it("refuses at the dry-run with the API server's reason, and writes nothing", async () => {
    const { client, name } = cluster();
    const objects = helloObjects(name, { v1: 50, v2: 50 });
    const versions = async (): Promise<(string | undefined)[]> =>
      Promise.all(objects.map(async (o) => (await client.get({ apiVersion: o.apiVersion, kind: o.kind, namespace: name, name: o.metadata.name }))?.metadata.resourceVersion));
    const before = await versions();
    const outcome = await createKubeResources(client).apply(objects);
    assert.equal(outcome.ok, false);
    assert.equal(outcome.failedPhase, 'dry-run', outcome.summary);
    // The API server's words: the webhook it could not call, and why.
    assert.match(outcome.summary, /validation\.istio\.io/, outcome.summary);
    assert.match(outcome.summary, /failed calling webhook|connection refused|no endpoints/i, outcome.summary);
    assert.deepEqual(await versions(), before, 'not one object was written');
    const vs = await client.get({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', namespace: name, name: 'hello-app' });
    assert.deepEqual(weightsOfVs(vs), [90, 10]);
  });

  it('refuses a weight update too, leaving the weights as they were', async () => {
    const { client, name } = cluster();
    const kube = createKubeResources(client);
    await assert.rejects(
      kube.updateWeights(
        name,
        'hello-app',
        new Map([
          ['v1', 0],
          ['v2', 100],
        ]),
      ),
      /validation\.istio\.io/,
    );
    const vs = await client.get({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', namespace: name, name: 'hello-app' });
    assert.deepEqual(weightsOfVs(vs), [90, 10]);
  });
});
