// A document that carries metadata.resourceVersion (an old Fn Mesh preview, a saved read of the
// object) was written against that version: applying it over a newer one would silently undo the
// change made since. The diff's read and the apply are guarded by the live resourceVersion, so the
// document's own must be checked against that read first.
import * as assert from 'node:assert/strict';
import { applyObjects } from '../../../../src/kube/objects/applyObjects';
import { diffObjects, staleObjects } from '../../../../src/kube/objects/diffObjects';
import { staleDocumentVersion } from '../../../../src/kube/objects/preview';
import type { ObjectToWrite } from '../../../../src/kube/objects/types';
import { FakeKubeClient, object } from './fakeKubeClient';

const vsRef = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', namespace: 'team', name: 'hello-app' };
const route = (v1: number, v2: number): ObjectToWrite => object('VirtualService', 'hello-app', { http: [{ name: 'weighted', route: [{ weight: v1 }, { weight: v2 }] }] });
const at = (obj: ObjectToWrite, resourceVersion: unknown): ObjectToWrite => ({ ...obj, metadata: { ...obj.metadata, resourceVersion } as ObjectToWrite['metadata'] });

describe('kube/objects: a document written against an older resourceVersion', () => {
  it('is refused, naming the object, both resourceVersions and what to do; nothing is written', async () => {
    const client = new FakeKubeClient();
    await applyObjects(client, [route(50, 50)]);
    const old = (await client.get(vsRef))?.metadata.resourceVersion ?? '';
    // A preview of 50/50 is opened; then the weights move on to 0/100.
    const document = at(route(50, 50), old);
    await applyObjects(client, [route(0, 100)]);
    const now = (await client.get(vsRef))?.metadata.resourceVersion ?? '';
    assert.notEqual(now, old);
    const diffs = await diffObjects(client, [document]);
    const stale = staleObjects([document], diffs);
    assert.equal(stale.length, 1);
    assert.match(stale[0], new RegExp(`^VirtualService team/hello-app is at resourceVersion "${now}" in the cluster, but the document was written against resourceVersion "${old}"`));
    assert.match(stale[0], /Nothing was written\. Re-open the object \(or run again the command that made this document\)/);
    const spec = (await client.get(vsRef))?.spec as { http: { route: { weight: number }[] }[] };
    assert.deepEqual(spec.http[0].route.map((r) => r.weight), [0, 100], 'the newer weights are intact');
  });

  it('passes when the document is at the live resourceVersion, or carries none', async () => {
    const client = new FakeKubeClient();
    await applyObjects(client, [route(50, 50)]);
    const current = (await client.get(vsRef))?.metadata.resourceVersion ?? '';
    for (const document of [at(route(0, 100), current), route(0, 100)]) {
      assert.deepEqual(staleObjects([document], await diffObjects(client, [document])), []);
    }
  });

  it('is refused when the object it was written against is gone; an unread object is left to the dry-run', () => {
    assert.match(staleDocumentVersion(at(route(1, 2), '7'), null) ?? '', /^VirtualService team\/hello-app no longer exists in the cluster, but the document was written against its resourceVersion "7"/);
    assert.equal(staleDocumentVersion(at(route(1, 2), '7'), undefined), undefined);
    // An unquoted YAML number is still a resourceVersion.
    assert.match(staleDocumentVersion(at(route(1, 2), 1142), { resourceVersion: '1200', content: {} }) ?? '', /at resourceVersion "1200" .* against resourceVersion "1142"/);
    assert.equal(staleDocumentVersion(at(route(1, 2), '1200'), { resourceVersion: '1200', content: {} }), undefined);
  });
});
