import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type * as net from 'node:net';
import { clientNode } from '../../../../src/kube/clientNode';
import { createKubeClient, isLoopbackServer } from '../../../../src/kube/objects/objectApiClient';

/** A plain-HTTP API server that answers lists with no items and discovery with `resources`, recording every path asked. */
async function fakeApiServer(resources: Record<string, { kind: string; name: string; namespaced: boolean }[]>): Promise<{ url: string; paths: string[]; close: () => Promise<void> }> {
  const paths: string[] = [];
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    paths.push(path);
    res.setHeader('content-type', 'application/json');
    const discovery = resources[path];
    res.end(JSON.stringify(discovery ? { kind: 'APIResourceList', resources: discovery } : { kind: 'List', apiVersion: 'v1', metadata: {}, items: [] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, paths, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('object API client', () => {
  it('asks for uncompressed answers only from a server on this machine', () => {
    for (const server of ['https://127.0.0.1:6443', 'https://127.3.4.5', 'https://localhost:16443/', 'https://[::1]:6443']) {
      assert.ok(isLoopbackServer(server), server);
    }
    for (const server of ['https://10.0.0.1:6443', 'https://api.example.test', 'https://127.0.0.1.example.test', 'https://[::2]', 'not a url', '', undefined]) {
      assert.ok(!isLoopbackServer(server), String(server));
    }
  });

  it('lists built-in kinds without a discovery request, and asks discovery once per group version for the others', async () => {
    const server = await fakeApiServer({ '/apis/networking.istio.io/v1': [{ kind: 'VirtualService', name: 'virtualservices', namespaced: true }] });
    try {
      const k8s = await clientNode();
      const config = new k8s.KubeConfig();
      config.loadFromOptions({ clusters: [{ name: 'c', server: server.url, skipTLSVerify: true }], users: [{ name: 'u' }], contexts: [{ name: 'x', cluster: 'c', user: 'u' }], currentContext: 'x' });
      const client = await createKubeClient(config);
      await Promise.all([
        client.list({ apiVersion: 'v1', kind: 'Pod' }, 'shop'),
        client.list({ apiVersion: 'apps/v1', kind: 'Deployment' }, 'shop'),
        client.list({ apiVersion: 'v1', kind: 'Namespace' }, ''),
        client.list({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService' }, 'shop'),
        client.list({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService' }, 'other'),
      ]);
      assert.deepEqual(server.paths.filter((p) => !p.includes('/namespaces/') && p !== '/api/v1/namespaces'), ['/apis/networking.istio.io/v1']);
      assert.deepEqual(
        server.paths.filter((p) => p.includes('namespaces')).sort(),
        [
          '/api/v1/namespaces',
          '/api/v1/namespaces/shop/pods',
          '/apis/apps/v1/namespaces/shop/deployments',
          '/apis/networking.istio.io/v1/namespaces/other/virtualservices',
          '/apis/networking.istio.io/v1/namespaces/shop/virtualservices',
        ],
      );
    } finally {
      await server.close();
    }
  });
});
