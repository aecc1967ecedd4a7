import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkGatewayExposure, hostMatches, type MeshObject } from '../../../src/sampling/ui/gatewayCheck';

const vs = (spec: unknown): MeshObject => ({ metadata: { name: 'hello-app', namespace: 'demo' }, spec });
const gw = (namespace: string, name: string, servers: unknown[]): [string, MeshObject] => [
  `${namespace}/${name}`,
  { metadata: { name, namespace }, spec: { selector: { istio: 'ingressgateway' }, servers } },
];
const http = (hosts: string[], protocol = 'HTTP') => ({ port: { number: 80, name: 'http', protocol }, hosts });

describe('gateway exposure check (sampling)', () => {
  it('finds the Gateway and the Host header of an exposed app', () => {
    const gateways = new Map([gw('demo', 'hello-gw', [http(['hello.example.com'])])]);
    const found = checkGatewayExposure(vs({ hosts: ['hello-app', 'hello.example.com'], gateways: ['mesh', 'hello-gw'] }), gateways);
    assert.deepEqual(found, { exposed: true, gateway: 'demo/hello-gw', host: 'hello.example.com', selector: { istio: 'ingressgateway' } });
  });

  it('accepts wildcard and namespace-qualified server hosts, and gateways of other namespaces', () => {
    const gateways = new Map([gw('istio-system', 'shared', [http(['demo/*'])])]);
    const found = checkGatewayExposure(vs({ hosts: ['hello-app'], gateways: ['istio-system/shared'] }), gateways);
    assert.equal(found.exposed && found.host, 'hello-app');
    assert.equal(hostMatches('*.example.com', 'a.example.com', 'x'), true);
    assert.equal(hostMatches('*.example.com', 'example.com', 'x'), false);
    assert.equal(hostMatches('other/*', 'a', 'demo'), false);
    assert.equal(hostMatches('./a', 'a', 'demo'), true);
  });

  it('says why not: only the mesh, a missing Gateway, no matching HTTP server', () => {
    const none = checkGatewayExposure(vs({ hosts: ['hello-app'] }), new Map());
    assert.equal(none.exposed, false);
    assert.match(!none.exposed ? none.reason : '', /VirtualService demo\/hello-app is bound to no Gateway/);
    const missing = checkGatewayExposure(vs({ hosts: ['hello-app'], gateways: ['gone'] }), new Map());
    assert.match(!missing.exposed ? missing.reason : '', /Gateway demo\/gone does not exist/);
    const tls = new Map([gw('demo', 'g', [http(['hello-app'], 'HTTPS'), http(['other.example.com'])])]);
    const noServer = checkGatewayExposure(vs({ hosts: ['hello-app'], gateways: ['g'] }), tls);
    assert.match(!noServer.exposed ? noServer.reason : '', /Gateway demo\/g has no plain HTTP server for hello-app/);
  });

  it('survives malformed objects', () => {
    const odd = checkGatewayExposure(vs({ hosts: 'x', gateways: [1, 'g'] }), new Map([gw('demo', 'g', [{ port: null }])]));
    assert.equal(odd.exposed, false);
    assert.equal(checkGatewayExposure(vs(undefined), new Map()).exposed, false);
  });
});

describe('lazy sampling core', () => {
  const uiDir = path.resolve(__dirname, '..', '..', '..', '..', 'src', 'sampling', 'ui');
  it('only samplingCore.ts loads the core at run time; the rest of sampling/ui imports it for types', () => {
    const bad: string[] = [];
    for (const file of fs.readdirSync(uiDir).filter((f) => f.endsWith('.ts') && f !== 'samplingCore.ts')) {
      const text = fs.readFileSync(path.join(uiDir, file), 'utf8');
      for (const m of text.matchAll(/^import\s+(type\s+)?[^;]*?from\s+'\.\.\/([A-Za-z]+)';/gms)) {
        if (!m[1]) {
          bad.push(`${file} imports ../${m[2]} at run time`);
        }
      }
    }
    assert.deepEqual(bad, []);
  });
});
