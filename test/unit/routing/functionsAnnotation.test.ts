// The `fn-mesh.io/functions` annotation: one writer (the manifests) and one reader, which every
// route reader (weights, the routed-app view, route options) goes through.
import * as assert from 'node:assert/strict';
import { annotations, parseFunctionsAnnotation } from '../../../src/routing/manifests/kubeObject';
import { generateManifests } from '../../../src/routing/manifests/appManifests';
import { helloApp } from '../../fixtures/routing/helloApp';

describe('routing/functions annotation', () => {
  it('reads back what the manifests write, in order', () => {
    const route = generateManifests(helloApp('v2')).find((o) => o.kind === 'VirtualService');
    const text = route?.metadata.annotations?.[annotations.functions];
    assert.ok(text, 'the route carries the annotation');
    assert.deepEqual([...parseFunctionsAnnotation(text)], [
      ['v1', 'v1'],
      ['v2', 'v2'],
    ]);
  });

  it('skips entries without both parts and never throws on hand-edited text', () => {
    assert.deepEqual([...parseFunctionsAnnotation(' v1 = fn-a ,=x,v2=,v3,,v4=fn_b=c,v5=fn-e')], [
      ['v1', 'fn-a'],
      ['v5', 'fn-e'],
    ]);
    assert.equal(parseFunctionsAnnotation(undefined).size, 0);
    assert.equal(parseFunctionsAnnotation('').size, 0);
  });
});
