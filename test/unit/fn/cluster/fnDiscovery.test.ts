import * as assert from 'node:assert/strict';
import type { V1Pod, V1Service } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { matchFnService, rankFnServices } from '../../../../src/fn/cluster/fnDiscovery';
import { resolveTargetPort } from '../../../../src/kube/portForwardTunnel';

const svc = (namespace: string, name: string, ports: { name?: string; port: number; targetPort?: number | string }[]): V1Service => ({
  metadata: { name, namespace },
  spec: { ports, selector: { app: name } },
});

describe('Fn discovery in a cluster', () => {
  it('recognises the current fn-helm layout by its api and runner-lb ports', () => {
    assert.deepEqual(matchFnService(svc('fn-system', 'fn', [{ name: 'api', port: 80 }, { name: 'runner-lb', port: 90 }])), {
      namespace: 'fn-system',
      name: 'fn',
      layout: 'fn-helm',
      apiPort: 80,
      lbPort: 90,
    });
  });

  it('recognises the 2018 chart by the -fn-api name', () => {
    assert.deepEqual(matchFnService(svc('default', 'my-release-fn-api', [{ port: 8080 }])), {
      namespace: 'default',
      name: 'my-release-fn-api',
      layout: 'fn-helm-2018',
      apiPort: 8080,
    });
  });

  it('ignores other services', () => {
    assert.equal(matchFnService(svc('default', 'kubernetes', [{ name: 'https', port: 443 }])), undefined);
    assert.equal(matchFnService(svc('default', 'api-only', [{ name: 'api', port: 80 }])), undefined);
    assert.equal(matchFnService(svc('default', 'x-fn-api', [])), undefined);
  });

  it('ranks the current layout first, then by namespace and name', () => {
    const ranked = rankFnServices([
      { namespace: 'b', name: 'old-fn-api', layout: 'fn-helm-2018', apiPort: 80 },
      { namespace: 'z', name: 'fn', layout: 'fn-helm', apiPort: 80, lbPort: 90 },
      { namespace: 'a', name: 'fn', layout: 'fn-helm', apiPort: 80, lbPort: 90 },
    ]);
    assert.deepEqual(ranked.map((m) => `${m.namespace}/${m.name}`), ['a/fn', 'z/fn', 'b/old-fn-api']);
  });

  it('resolves numeric and named target ports', () => {
    const pod: V1Pod = { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', ports: [{ name: 'http-api', containerPort: 8080 }] }] } };
    const s = svc('n', 'fn', [
      { name: 'api', port: 80, targetPort: 'http-api' },
      { name: 'runner-lb', port: 90, targetPort: 9090 },
      { name: 'plain', port: 70 },
    ]);
    assert.equal(resolveTargetPort(s, 80, pod), 8080);
    assert.equal(resolveTargetPort(s, 90, pod), 9090);
    assert.equal(resolveTargetPort(s, 70, pod), 70);
    assert.throws(() => resolveTargetPort(s, 81, pod), /has no port 81/);
    assert.throws(() => resolveTargetPort(svc('n', 'fn', [{ port: 80, targetPort: 'nope' }]), 80, pod), /no container port named "nope"/);
  });
});
