import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CombinedSchema } from '../../../src/rules/schemaAssociation';
import { documentKinds, schemaFileFor, schemaKinds } from '../../../src/rules/schemaAssociation';
import { repoRoot } from './helpers/rules';

const combined = JSON.parse(fs.readFileSync(path.join(repoRoot, 'schemas', 'fn-mesh-rules.json'), 'utf8')) as CombinedSchema;

describe('rules/schemaAssociation (schema by content)', () => {
  const known = schemaKinds(combined);

  it('reads the kinds the combined schema covers from its if/then branches', () => {
    assert.ok(known.has('networking.istio.io/v1|VirtualService'));
    assert.ok(known.has('networking.istio.io/v1beta1|DestinationRule'));
    assert.ok(known.has('gateway.networking.k8s.io/v1|HTTPRoute'));
    assert.ok(!known.has('apps/v1|Deployment'));
  });

  it('a k8s/reviews.yaml holding a VirtualService gets the rule schema, whatever its name', () => {
    const text = ['apiVersion: apps/v1', 'kind: Deployment', 'spec:', '  template: {}', '---', '# reviews routing', "apiVersion: 'networking.istio.io/v1'", 'kind: "VirtualService" # canary', 'spec: {hosts: [reviews]}', ''].join('\n');
    assert.deepEqual(documentKinds(text), [
      { apiVersion: 'apps/v1', kind: 'Deployment' },
      { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService' },
    ]);
    assert.equal(schemaFileFor(text, known), 'fn-mesh-rules.json');
  });

  it('other YAML gets none: unknown kinds, nested kind keys, documents missing apiVersion', () => {
    assert.equal(schemaFileFor('apiVersion: apps/v1\nkind: Deployment\n', known), undefined);
    assert.equal(schemaFileFor('apiVersion: v1\nkind: ConfigMap\ndata:\n  kind: VirtualService\n  apiVersion: networking.istio.io/v1\n', known), undefined);
    assert.equal(schemaFileFor('kind: VirtualService\n---\napiVersion: networking.istio.io/v1\n', known), undefined, 'the two halves are in different documents');
    assert.equal(schemaFileFor('', known), undefined);
  });

  it('handles CRLF line ends and the document marker with a comment', () => {
    const text = '--- # first\r\napiVersion: gateway.networking.k8s.io/v1\r\nkind: HTTPRoute\r\n';
    assert.deepEqual(documentKinds(text), [{ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute' }]);
    assert.equal(schemaFileFor(text, known), 'fn-mesh-rules.json');
  });
});
