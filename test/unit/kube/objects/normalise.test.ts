// Normalisation of objects for the diff editor, and the apply/removal order.
import * as assert from 'node:assert/strict';
import { sortForApply, sortForRemoval } from '../../../../src/kube/objects/applyOrder';
import { diffText, normaliseForDiff } from '../../../../src/kube/objects/normalise';
import type { LiveObject } from '../../../../src/kube/objects/types';

const live: LiveObject = {
  kind: 'VirtualService',
  apiVersion: 'networking.istio.io/v1',
  metadata: {
    annotations: { 'fn-mesh.io/app': 'hello-app', 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
    creationTimestamp: '2026-11-26T10:00:00Z',
    generation: 3,
    labels: { 'app.kubernetes.io/managed-by': 'fn-mesh' },
    managedFields: [{ manager: 'fn-mesh', operation: 'Apply', fieldsV1: {} }],
    name: 'hello-app',
    namespace: 'hello',
    resourceVersion: '1234',
    uid: '5a7c',
  },
  spec: { hosts: ['hello-app'] },
  status: { observedGeneration: 3 },
};

describe('normalise for diff', () => {
  it('drops server bookkeeping and status, and puts identity first', () => {
    const normalised = normaliseForDiff(live);
    assert.deepEqual(normalised, {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'hello-app', namespace: 'hello', annotations: { 'fn-mesh.io/app': 'hello-app' }, labels: { 'app.kubernetes.io/managed-by': 'fn-mesh' } },
      spec: { hosts: ['hello-app'] },
    });
    assert.deepEqual(Object.keys(normalised ?? {}), ['apiVersion', 'kind', 'metadata', 'spec']);
    assert.deepEqual(Object.keys((normalised?.metadata ?? {}) as object).slice(0, 2), ['name', 'namespace']);
    assert.ok(live.metadata.uid, 'the input is not modified');
  });

  it('removes an annotations map left empty, and writes YAML ("" for no object)', () => {
    const bare: LiveObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'hello', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' } } };
    assert.equal(diffText(bare), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: hello\n');
    assert.equal(diffText(undefined), '');
    assert.equal(normaliseForDiff(undefined), undefined);
  });
});

describe('apply and removal order', () => {
  const kinds = ['VirtualService', 'Service', 'Gateway', 'ConfigMap', 'DestinationRule', 'Deployment', 'Service', 'HTTPRoute', 'Secret'].map((kind, i) => ({
    apiVersion: 'v1',
    kind,
    i,
  }));

  it('applies what a route names before the route, stable within a kind, unknown kinds last', () => {
    assert.deepEqual(
      sortForApply(kinds).map((k) => `${k.kind}${k.i}`),
      ['ConfigMap3', 'Deployment5', 'Service1', 'Service6', 'DestinationRule4', 'VirtualService0', 'HTTPRoute7', 'Gateway2', 'Secret8'],
    );
  });

  it('removes routes first', () => {
    assert.deepEqual(
      sortForRemoval(kinds).map((k) => k.kind),
      ['VirtualService', 'HTTPRoute', 'Gateway', 'DestinationRule', 'Service', 'Service', 'Deployment', 'ConfigMap', 'Secret'],
    );
  });
});
