// Issue 12, item 6, against the real kube-apiserver: a failure part-way (injected by a wrapper
// around the real client on the route's apply), a Retry that fails again, then Roll Back: every
// object the first attempt created is removed. A rollback that stops half-way continues.
import * as assert from 'node:assert/strict';
import { ApplyWithRecovery } from '../../../src/kube/objects/applyWithRecovery';
import { readPreview } from '../../../src/kube/objects/preview';
import { useTestNamespace } from '../../helpers/controlPlane';
import { helloObjects, ref, wrapClient } from './kubeFixtures';

describe('apply with recovery (real kube-apiserver)', function () {
  this.timeout(60_000);
  const cluster = useTestNamespace('recovery');

  it('after a failed Retry, Roll Back removes what the first attempt created; a stopped rollback continues', async () => {
    const { client, name } = cluster();
    let routeApplies = 0;
    let failDeletes = 0;
    const flaky = wrapClient(client, {
      beforeApply(obj, options) {
        if (obj.kind === 'VirtualService' && !options.dryRun && ++routeApplies <= 2) {
          throw Object.assign(new Error('connection reset'), { code: 503 });
        }
      },
      beforeDelete(r) {
        if (r.kind === 'Deployment' && failDeletes-- > 0) {
          throw Object.assign(new Error('connection reset'), { code: 503 });
        }
      },
    });
    const objects = helloObjects(name);
    const session = new ApplyWithRecovery(flaky, objects, (await readPreview(flaky, objects)).preview);
    const first = await session.apply();
    assert.equal(first.severity, 'error');
    assert.deepEqual(first.actions, ['Retry', 'Roll Back']);
    const retried = await session.retry();
    assert.equal(retried.severity, 'error');
    assert.equal(retried.outcome?.failedPhase, 'apply', retried.message);
    assert.equal(session.pendingRollback.steps.length, 6, retried.message);

    failDeletes = 1;
    const stopped = await session.rollBack();
    assert.equal(stopped.severity, 'error');
    assert.deepEqual(stopped.actions, ['Continue Rollback']);
    const finished = await session.rollBack();
    assert.equal(finished.severity, 'info', finished.message);
    for (const [kind, objName] of [
      ['ConfigMap', 'hello-app-v1-nginx'],
      ['ConfigMap', 'hello-app-v2-nginx'],
      ['Deployment', 'hello-app-v1'],
      ['Deployment', 'hello-app-v2'],
      ['Service', 'hello-app'],
      ['DestinationRule', 'hello-app'],
      ['VirtualService', 'hello-app'],
    ] as const) {
      assert.equal(await client.get(ref(name, kind, objName)), undefined, `${kind}/${objName} is gone`);
    }
  });
});
