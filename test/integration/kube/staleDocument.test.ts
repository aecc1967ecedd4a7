// A rule file that carries metadata.resourceVersion (an old Fn Mesh preview, a saved read) applied
// over an object changed since, against the real kube-apiserver: the server honours the
// resourceVersion of a server-side apply body as a precondition (409), but Fn Mesh's diff and apply
// are guarded by the version they read themselves, so the document's own version is checked first
// (staleObjects, as Apply Rule File does) and the newer weights are never overwritten.
import * as assert from 'node:assert/strict';
import { applyAsFnMesh } from '../../../src/kube/objects/applyObjects';
import { diffObjects, staleObjects } from '../../../src/kube/objects/diffObjects';
import type { ObjectToWrite } from '../../../src/kube/objects/types';
import { createKubeResources } from '../../../src/routing/cluster/kubeResources';
import { useTestNamespace } from '../../helpers/controlPlane';
import { helloObjects, ref, weightsOfVs } from './kubeFixtures';

describe('kube: a document with an out-of-date resourceVersion (real kube-apiserver)', function () {
  this.timeout(60_000);
  const cluster = useTestNamespace('stale');

  it('is refused before anything is written, naming both resourceVersions; the newer weights stay', async () => {
    const { client, name } = cluster();
    const resources = createKubeResources(client);
    const first = await resources.apply(helloObjects(name, { v1: 50, v2: 50 }));
    assert.equal(first.ok, true, first.summary);
    const old = await client.get(ref(name, 'VirtualService', 'hello-app'));
    const oldVersion = old?.metadata.resourceVersion ?? '';
    assert.notEqual(oldVersion, '');
    // The document a preview showed then: the 50/50 route at that resourceVersion.
    const vs = helloObjects(name, { v1: 50, v2: 50 }).find((o) => o.kind === 'VirtualService') as ObjectToWrite;
    const document = { ...vs, metadata: { ...vs.metadata, resourceVersion: oldVersion } } as ObjectToWrite;
    // Since then, the rollout moved on to 0/100.
    const second = await resources.apply(helloObjects(name, { v1: 0, v2: 100 }));
    assert.equal(second.ok, true, second.summary);
    const now = await client.get(ref(name, 'VirtualService', 'hello-app'));
    const newVersion = now?.metadata.resourceVersion ?? '';
    assert.notEqual(newVersion, oldVersion);

    // The server itself refuses the body's resourceVersion (what Fn Mesh's own guard replaces).
    await assert.rejects(applyAsFnMesh(client, document, true), /409|has been modified/);

    const diffs = await resources.diff([document]);
    const stale = staleObjects([document], diffs);
    assert.equal(stale.length, 1, JSON.stringify(diffs.map((d) => [d.change, d.error])));
    assert.match(stale[0], new RegExp(`^VirtualService ${name}/hello-app is at resourceVersion "${newVersion}" in the cluster, but the document was written against resourceVersion "${oldVersion}"`));
    assert.match(stale[0], /Nothing was written\. Re-open the object/);
    const after = await client.get(ref(name, 'VirtualService', 'hello-app'));
    assert.deepEqual(weightsOfVs(after), [0, 100]);
    assert.equal(after?.metadata.resourceVersion, newVersion, 'nothing was written');

    // At the current resourceVersion the same document passes the check.
    const current = { ...vs, metadata: { ...vs.metadata, resourceVersion: newVersion } } as ObjectToWrite;
    assert.deepEqual(staleObjects([current], await diffObjects(client, [current])), []);
  });
});
