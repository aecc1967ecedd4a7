// fieldsV1 extraction: what one field manager set on an object, read back from managedFields.
import * as assert from 'node:assert/strict';
import { appliedConfiguration, extractFields, jsonEqual, unionFields } from '../../../../src/kube/objects/managedFields';
import type { FieldsNode, LiveObject } from '../../../../src/kube/objects/types';

const deployment: LiveObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'hello-app-v1',
    namespace: 'hello',
    resourceVersion: '42',
    labels: { app: 'hello-app', team: 'blue' },
    annotations: { 'deployment.kubernetes.io/revision': '3' },
    managedFields: [
      {
        manager: 'fn-mesh',
        operation: 'Apply',
        fieldsV1: {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': {
            'f:replicas': {},
            'f:template': {
              'f:spec': {
                'f:containers': {
                  'k:{"name":"proxy"}': { '.': {}, 'f:name': {}, 'f:image': {}, 'f:ports': { 'k:{"containerPort":8080,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } } },
                },
              },
            },
          },
        },
      },
      { manager: 'kubectl-label', operation: 'Update', fieldsV1: { 'f:metadata': { 'f:labels': { 'f:team': {} } } } },
      { manager: 'kube-controller-manager', operation: 'Update', fieldsV1: { 'f:metadata': { 'f:annotations': { '.': {}, 'f:deployment.kubernetes.io/revision': {} } } } },
      { manager: 'kube-controller-manager', operation: 'Update', subresource: 'status', fieldsV1: { 'f:status': { 'f:replicas': {} } } },
      { manager: 'fn-mesh', operation: 'Update', fieldsV1: { 'f:spec': { 'f:paused': {} } } },
    ],
  },
  spec: {
    replicas: 2,
    paused: false,
    strategy: { type: 'RollingUpdate' },
    template: {
      spec: {
        containers: [
          { name: 'proxy', image: 'nginx:1.27-alpine', imagePullPolicy: 'IfNotPresent', ports: [{ containerPort: 8080, protocol: 'TCP', name: 'http' }] },
          { name: 'debug', image: 'busybox' },
        ],
      },
    },
  },
  status: { replicas: 2 },
};

describe('managed fields', () => {
  it("extracts the manager's configuration: its fields only, list items by key, all its operations, no subresources", () => {
    assert.deepEqual(appliedConfiguration(deployment, 'fn-mesh'), {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'hello-app-v1', namespace: 'hello', labels: { app: 'hello-app' } },
      spec: {
        replicas: 2,
        paused: false,
        template: { spec: { containers: [{ name: 'proxy', image: 'nginx:1.27-alpine', ports: [{ containerPort: 8080, protocol: 'TCP' }] }] } },
      },
    });
  });

  it('gives only the identity of an object the manager owns nothing of', () => {
    assert.deepEqual(appliedConfiguration(deployment, 'helm'), {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'hello-app-v1', namespace: 'hello' },
    });
  });

  it('takes a leaf as the whole value (atomic lists, as in the Istio CRDs)', () => {
    const value = { http: [{ route: [{ weight: 90 }, { weight: 10 }] }], hosts: ['a'] };
    assert.deepEqual(extractFields(value, { 'f:http': {} }), { http: value.http });
  });

  it('picks set items by value and list items by index', () => {
    assert.deepEqual(extractFields(['a', 'b', 'c'], { 'v:"c"': {}, 'v:"a"': {} }), ['a', 'c']);
    assert.deepEqual(extractFields([{ x: 1, y: 2 }, { x: 3 }], { 'i:1': { 'f:x': {} } }), [{ x: 3 }]);
    assert.deepEqual(extractFields({ a: 1 }, { 'f:missing': {} }), {});
  });

  it('unions field sets and compares JSON structurally', () => {
    const a: FieldsNode = { 'f:spec': { 'f:a': {} } };
    const b: FieldsNode = { 'f:spec': { 'f:b': {} }, 'f:metadata': {} };
    assert.deepEqual(unionFields([a, b]), { 'f:spec': { 'f:a': {}, 'f:b': {} }, 'f:metadata': {} });
    assert.ok(jsonEqual({ a: [1, { b: 2 }], c: null }, { c: null, a: [1, { b: 2 }] }));
    assert.ok(!jsonEqual({ a: [1, 2] }, { a: [2, 1] }));
    assert.ok(!jsonEqual({ a: 1 }, { a: 1, b: undefined }));
  });
});
