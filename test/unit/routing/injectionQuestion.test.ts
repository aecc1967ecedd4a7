// Route Traffic's injection question: an answer given up front is taken without reading the
// namespace (a user who may not read namespaces can still route), and a failed read asks instead
// of aborting.
import * as assert from 'node:assert/strict';
import { UserError } from '../../../src/common/errors';
import { injectionQuestion } from '../../../src/routing/cluster/injectionQuestion';
import type { NamespaceInjection } from '../../../src/routing/cluster/sidecar';

function reader(result: NamespaceInjection | Error): { read: () => Promise<NamespaceInjection>; calls: () => number } {
  let calls = 0;
  return {
    read: () => {
      calls++;
      return result instanceof Error ? Promise.reject(result) : Promise.resolve(result);
    },
    calls: () => calls,
  };
}

const forbidden = new UserError('Namespace shop: forbidden: User "dev" cannot get resource "namespaces" in API group "" at the cluster scope');

describe('sidecar injection question', () => {
  it('takes a given answer without reading the namespace', async () => {
    for (const choice of ['pod-label', 'label', 'kube-inject'] as const) {
      const r = reader(forbidden);
      assert.deepEqual(await injectionQuestion(r.read, choice), { kind: 'given', choice });
      assert.equal(r.calls(), 0, `read for ${choice}`);
    }
  });

  it('asks with the reason when the namespace cannot be read', async () => {
    const r = reader(forbidden);
    const q = await injectionQuestion(r.read, undefined);
    assert.equal(q.kind, 'ask');
    assert.equal(q.kind === 'ask' && q.mode, 'unknown');
    assert.match(q.kind === 'ask' ? (q.readError ?? '') : '', /forbidden: User "dev" cannot get resource "namespaces"/);
  });

  it('asks nothing for an injected namespace, and asks for one that is not', async () => {
    assert.equal((await injectionQuestion(reader({ mode: 'enabled' }).read, undefined)).kind, 'injected');
    assert.equal((await injectionQuestion(reader({ mode: 'revision', revision: 'canary' }).read, undefined)).kind, 'injected');
    assert.deepEqual(await injectionQuestion(reader({ mode: 'disabled' }).read, undefined), { kind: 'ask', mode: 'disabled' });
    assert.deepEqual(await injectionQuestion(reader({ mode: 'none' }).read, undefined), { kind: 'ask', mode: 'none' });
  });
});
