import * as assert from 'node:assert/strict';
import { visibility, visibleIn, visibleTogether } from '../../../src/rules/exportTo';
import type { Json } from '../../../src/rules/resources';
import { briefs, yaml } from './helpers/rules';

const object = (namespace: string, exportTo?: string[], annotation?: string): { value: Json; namespace: string } => ({
  namespace,
  value: { metadata: annotation === undefined ? {} : { annotations: { 'networking.istio.io/exportTo': annotation } }, spec: exportTo === undefined ? {} : { exportTo } },
});

function dr(namespace: string, exportTo: string, subset: string): string {
  return yaml(
    'apiVersion: networking.istio.io/v1',
    'kind: DestinationRule',
    `metadata: {name: web-${namespace}, namespace: ${namespace}}`,
    'spec:',
    '  host: web.shop.svc.cluster.local',
    `  exportTo: [${exportTo}]`,
    '  subsets:',
    `  - {name: ${subset}, labels: {version: ${subset}}}`,
  );
}

function vs(namespace: string, subset: string, exportTo = '"*"'): string {
  return yaml(
    'apiVersion: networking.istio.io/v1',
    'kind: VirtualService',
    `metadata: {name: web, namespace: ${namespace}}`,
    'spec:',
    '  hosts: [web.shop.svc.cluster.local]',
    `  exportTo: [${exportTo}]`,
    '  http:',
    `  - route: [{destination: {host: web.shop.svc.cluster.local, subset: ${subset}}}]`,
  );
}

describe('rules/exportTo', () => {
  it('reads spec.exportTo and the Service annotation: *, ., ~ and names', () => {
    assert.equal(visibility(object('a').value, 'a'), '*');
    assert.deepEqual([...(visibility(object('a', ['.', 'b']).value, 'a') as Set<string>)], ['a', 'b']);
    assert.deepEqual([...(visibility(object('a', ['~']).value, 'a') as Set<string>)], []);
    assert.ok(visibleIn(object('a', ['.']), 'a') && !visibleIn(object('a', ['.']), 'b'));
    assert.ok(visibleIn(object('a', undefined, 'b, c'), 'c') && !visibleIn(object('a', undefined, 'b, c'), 'a'));
    assert.ok(visibleTogether(object('a', ['.']), object('b', ['a'])));
    assert.ok(!visibleTogether(object('a', ['.']), object('b', ['.'])));
    assert.ok(!visibleTogether(object('a', ['~']), object('b')));
  });

  it('FNM301: a subset defined only in a DestinationRule the VirtualService namespace cannot see', () => {
    const otherFiles = { 'dr.yaml': dr('shop', '"."', 'v1') };
    assert.deepEqual(briefs(vs('shop', 'v1'), { otherFiles }), []);
    assert.deepEqual(briefs(vs('front', 'v1'), { otherFiles }).map((b) => b.slice(0, 6)), ['FNM301']);
    assert.deepEqual(briefs(vs('front', 'v1'), { otherFiles: { 'dr.yaml': dr('shop', 'front', 'v1') } }), []);
  });

  it('FNM306 and FNM305: objects no namespace sees together do not conflict', () => {
    assert.deepEqual(briefs(dr('a', '"."', 'v1'), { otherFiles: { 'b.yaml': dr('b', '"."', 'v1') } }), []);
    assert.deepEqual(briefs(dr('a', '"*"', 'v1'), { otherFiles: { 'b.yaml': dr('b', '"."', 'v1') } }), ['FNM306 7:11-7:13']);
    const subsets = { 'dr.yaml': dr('shop', '"*"', 'v1') };
    assert.deepEqual(briefs(vs('a', 'v1', '"."'), { otherFiles: { ...subsets, 'b.yaml': vs('b', 'v1', '"."') } }), []);
    assert.deepEqual(briefs(vs('a', 'v1'), { otherFiles: { ...subsets, 'b.yaml': vs('b', 'v1', '"."') } }).map((b) => b.slice(0, 6)), ['FNM305']);
  });
});
