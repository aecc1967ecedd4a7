import * as assert from 'node:assert/strict';
import { hostMatches, WorkspaceIndex } from '../../../src/rules/workspaceIndex';
import { parseYaml } from '../../../src/rules/yamlDocuments';
import { yaml } from './helpers/rules';

const dr = (name: string, host: string, namespace?: string) =>
  yaml('apiVersion: networking.istio.io/v1', 'kind: DestinationRule', `metadata: {name: ${name}${namespace ? `, namespace: ${namespace}` : ''}}`, 'spec:', `  host: ${host}`);

describe('rules/workspaceIndex', () => {
  it('finds rules by qualified host and forgets deleted files', () => {
    const index = new WorkspaceIndex('fn');
    index.setFile('a.yaml', parseYaml(dr('a', 'hello-app')));
    index.setFile('b.yaml', parseYaml(dr('b', 'hello-app.fn.svc.cluster.local', 'fn')));
    const names = () => index.istioForHost('DestinationRule', 'hello-app.fn.svc.cluster.local').map((r) => r.ref.name);
    assert.deepEqual(names(), ['a', 'b']);
    index.deleteFile('a.yaml');
    assert.deepEqual(names(), ['b']);
    index.setFile('b.yaml', parseYaml(dr('b', 'other')));
    assert.deepEqual(names(), []);
  });

  it('lets a workspace file replace the cluster object of the same name', () => {
    const index = new WorkspaceIndex();
    index.setCluster({
      services: [],
      workloads: [],
      namespaces: [],
      resources: [
        { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'a', namespace: 'default' }, spec: { host: 'old' } },
        { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'c', namespace: 'default' }, spec: { host: 'old' } },
      ],
    });
    index.setFile('a.yaml', parseYaml(dr('a', 'new')));
    assert.deepEqual(index.istioForHost('DestinationRule', 'old.default.svc.cluster.local').map((r) => r.ref.name), ['c']);
    assert.deepEqual(index.istioForHost('DestinationRule', 'new.default.svc.cluster.local').map((r) => r.uri), ['a.yaml']);
  });

  it('applies wildcard hosts', () => {
    const index = new WorkspaceIndex();
    index.setFile('w.yaml', parseYaml(dr('w', '"*.fn.svc.cluster.local"')));
    assert.equal(index.istioForHost('DestinationRule', 'hello-app.fn.svc.cluster.local').length, 1);
    assert.equal(hostMatches('*', 'anything'), true);
    assert.equal(hostMatches('*.example.com', 'example.com'), false);
  });

  it('knows Services from files, and every namespace once connected', () => {
    const index = new WorkspaceIndex();
    index.setFile('s.yaml', parseYaml(yaml('apiVersion: v1', 'kind: Service', 'metadata: {name: s, namespace: fn}', 'spec: {selector: {app: s}}')));
    assert.deepEqual(index.service('s', 'fn'), { name: 's', namespace: 'fn', selector: { app: 's' } });
    assert.equal(index.knowsServicesIn('fn'), true);
    assert.equal(index.knowsServicesIn('other'), false);
    index.setCluster({ services: [], workloads: [], namespaces: [], resources: [] });
    assert.equal(index.knowsServicesIn('other'), true);
  });
});
