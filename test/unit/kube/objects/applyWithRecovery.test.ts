// Issue 12, item 6: one apply-with-recovery path. The rollback accumulates across retries, a
// retry refused by the dry-run is an error that still offers Roll Back, and a rollback that stops
// half-way is an error offering Continue Rollback.
import * as assert from 'node:assert/strict';
import { ApplyWithRecovery } from '../../../../src/kube/objects/applyWithRecovery';
import { readPreview } from '../../../../src/kube/objects/preview';
import { FakeKubeClient, kubeError, object } from './fakeKubeClient';

const objects = [object('ConfigMap', 'hello-app-v1-nginx', { a: 1 }), object('Deployment', 'hello-app-v1', { replicas: 1 }), object('VirtualService', 'hello-app', { http: [] })];
const refs = (client: FakeKubeClient): string[] => [...client.store.keys()].sort();

describe('apply with recovery (Retry, Roll Back, Continue Rollback)', () => {
  it('after a failed Retry, Roll Back still removes what the first attempt created', async () => {
    const client = new FakeKubeClient();
    client.failures.set('VirtualService/hello-app', { onCall: [1, 2], error: () => kubeError(500, 'Internal error occurred: etcd timeout') });
    const session = new ApplyWithRecovery(client, objects, (await readPreview(client, objects)).preview);

    const first = await session.apply();
    assert.equal(first.severity, 'error');
    assert.deepEqual(first.actions, ['Retry', 'Roll Back']);
    assert.match(first.message, /^Applied 2 of 3 object\(s\) \(2 created\), then VirtualService team\/hello-app: .*Roll Back undoes 2 object\(s\) written so far\.$/);

    const retried = await session.retry();
    assert.equal(retried.severity, 'error', 'a failed retry is an error');
    assert.deepEqual(retried.actions, ['Retry', 'Roll Back']);
    assert.deepEqual(
      session.pendingRollback.steps.map((s) => `${s.action} ${s.ref.kind}`),
      ['delete Deployment', 'delete ConfigMap'],
      "the first attempt's objects are still rolled back",
    );

    const rolledBack = await session.rollBack();
    assert.equal(rolledBack.severity, 'info', rolledBack.message);
    assert.equal(rolledBack.message, 'Rolled back 2 object(s): 2 deleted, 0 restored.');
    assert.deepEqual(refs(client), []);
  });

  it('keeps the state from before the first attempt when a retry changes an object again', async () => {
    const client = new FakeKubeClient();
    await client.apply(object('ConfigMap', 'hello-app-v1-nginx', { a: 0 }));
    client.failures.set('VirtualService/hello-app', { onCall: [1], error: () => kubeError(500, 'boom') });
    const changed = [object('ConfigMap', 'hello-app-v1-nginx', { a: 1 }), object('VirtualService', 'hello-app', { http: [] })];
    const session = new ApplyWithRecovery(client, changed, (await readPreview(client, changed)).preview);
    assert.equal((await session.apply()).severity, 'error');
    const ok = await session.retry();
    assert.equal(ok.severity, 'info', ok.message);
    assert.deepEqual(
      session.pendingRollback.steps.map((s) => `${s.action} ${s.ref.kind}`),
      ['delete VirtualService', 'restore ConfigMap'],
    );
    const back = await session.rollBack();
    assert.equal(back.severity, 'info', back.message);
    const cm = await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'team', name: 'hello-app-v1-nginx' });
    assert.deepEqual(cm?.spec, { a: 0 }, 'restored to what it was before the first attempt');
    assert.deepEqual(refs(client), ['ConfigMap/team/hello-app-v1-nginx']);
  });

  it('a retry refused by the dry-run is an error, and Roll Back is still offered', async () => {
    const client = new FakeKubeClient();
    client.failures.set('VirtualService/hello-app', { onCall: [1], error: () => kubeError(500, 'boom') });
    const session = new ApplyWithRecovery(client, objects, (await readPreview(client, objects)).preview);
    await session.apply();
    // Someone else creates the route before the retry: the retry's check refuses it.
    await client.apply(object('VirtualService', 'hello-app', { http: [{ name: 'theirs' }] }));
    const retried = await session.retry();
    assert.equal(retried.severity, 'error');
    assert.equal(retried.outcome?.failedPhase, 'dry-run');
    assert.match(retried.message, /VirtualService team\/hello-app was created by "fn-mesh" since your preview.*Earlier attempts wrote 2 object\(s\): Roll Back undoes them\./);
    assert.deepEqual(retried.actions, ['Retry', 'Roll Back']);
  });

  it('a rollback that stops half-way is an error offering Continue Rollback, which finishes it', async () => {
    const client = new FakeKubeClient();
    client.failures.set('VirtualService/hello-app', { onCall: [1], error: () => kubeError(500, 'boom') });
    const session = new ApplyWithRecovery(client, objects);
    await session.apply();
    client.failDeleteOnce.add('ConfigMap/hello-app-v1-nginx');
    const stopped = await session.rollBack();
    assert.equal(stopped.severity, 'error');
    assert.deepEqual(stopped.actions, ['Continue Rollback']);
    assert.match(stopped.message, /^Rolled back 1 of 2 object\(s\), then stopped: .*1 object\(s\) still to roll back\.$/);
    assert.deepEqual(refs(client), ['ConfigMap/team/hello-app-v1-nginx']);
    const finished = await session.rollBack();
    assert.equal(finished.severity, 'info', finished.message);
    assert.deepEqual(finished.actions, []);
    assert.deepEqual(refs(client), []);
  });

  it('a first attempt refused by the dry-run wrote nothing and offers nothing to recover', async () => {
    const client = new FakeKubeClient();
    const session = new ApplyWithRecovery(client, objects, (await readPreview(client, objects)).preview);
    await client.apply(object('ConfigMap', 'hello-app-v1-nginx', { theirs: true }));
    const first = await session.apply();
    assert.equal(first.severity, 'error');
    assert.deepEqual(first.actions, []);
    assert.deepEqual(refs(client), ['ConfigMap/team/hello-app-v1-nginx']);
  });
});
