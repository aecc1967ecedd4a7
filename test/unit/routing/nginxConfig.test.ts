import * as assert from 'node:assert/strict';
import type { RoutedVersion } from '../../../src/routing/model';
import { nginxConfig, type NginxConfigOptions } from '../../../src/routing/nginxConfig';
import { helloApp } from '../../fixtures/routing/helloApp';

const app = helloApp();
const [v1, v2] = app.versions as [RoutedVersion, RoutedVersion];

/** The directive lines (without comments) of a configuration, trimmed. */
function directives(config: string): string[] {
  return config
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !l.startsWith('#'));
}

function only(config: string, prefix: string): string {
  const found = directives(config).filter((d) => d.startsWith(`${prefix} `) && !d.endsWith('{'));
  assert.equal(found.length, 1, `expected one "${prefix}" directive, found ${found.length}`);
  return found[0] ?? '';
}

describe('routing nginxConfig', () => {
  it('proxies every path to the version’s invocation path on the lb', () => {
    const config = nginxConfig(app, v1);
    assert.equal(only(config, 'rewrite'), 'rewrite ^ /t/hello-app/v1 break;');
    assert.equal(only(config, 'server'), 'server fn-runner-lb.fn.svc.cluster.local:90;');
    assert.equal(only(config, 'proxy_pass'), 'proxy_pass http://fn-lb-v1;');
    assert.ok(directives(config).includes('upstream fn-lb-v1 {'), 'the upstream block proxy_pass names');
    assert.equal(only(nginxConfig(app, v2), 'rewrite'), 'rewrite ^ /invoke/01J9ZV2HELL0APPFN0000000V2 break;');
  });

  it('sends the lb’s own authority as Host, without a default port', () => {
    assert.equal(only(nginxConfig(app, v1), 'proxy_set_header Host'), 'proxy_set_header Host fn-runner-lb.fn.svc.cluster.local:90;');
    const plain = nginxConfig(app, v1, { upstreamBaseUrl: 'http://fn-lb.fn' });
    assert.equal(only(plain, 'proxy_set_header Host'), 'proxy_set_header Host fn-lb.fn;');
    assert.equal(only(plain, 'server'), 'server fn-lb.fn:80;');
  });

  it('stamps the version on every response, errors included, and hides an upstream copy', () => {
    const config = nginxConfig(app, v2);
    assert.equal(only(config, 'add_header'), 'add_header X-Fn-Mesh-Version v2 always;');
    assert.equal(only(config, 'proxy_hide_header'), 'proxy_hide_header X-Fn-Mesh-Version;');
    // add_header is inherited only by locations that declare none themselves.
    const serverLevel = config.slice(config.indexOf('server {'), config.indexOf('location'));
    assert.ok(serverLevel.includes('add_header'), 'declared at server level, before any location');
  });

  it('serves /healthz itself and listens on 8080 unless told otherwise', () => {
    const config = nginxConfig(app, v1);
    assert.ok(directives(config).includes('location = /healthz {'));
    assert.equal(only(config, 'listen'), 'listen 8080;');
    assert.equal(only(nginxConfig(app, v1, { listenPort: 18080, listenAddress: '127.0.0.1' }), 'listen'), 'listen 127.0.0.1:18080;');
  });

  it('waits 10 s longer than the function may run', () => {
    assert.equal(only(nginxConfig(app, v1), 'proxy_read_timeout'), 'proxy_read_timeout 40s;');
    assert.equal(only(nginxConfig(app, v2), 'proxy_read_timeout'), 'proxy_read_timeout 70s;');
    assert.equal(only(nginxConfig(app, { ...v1, fnTimeoutSeconds: undefined }), 'proxy_read_timeout'), 'proxy_read_timeout 40s;', 'Fn default 30 s');
    assert.equal(only(nginxConfig(app, v1, { readTimeoutSeconds: 5 }), 'proxy_read_timeout'), 'proxy_read_timeout 5s;');
  });

  it('prefixes the lb base path and sets SNI for https host names', () => {
    const config = nginxConfig(app, v1, { upstreamBaseUrl: 'https://fn.example.com/api' });
    assert.equal(only(config, 'rewrite'), 'rewrite ^ /api/t/hello-app/v1 break;');
    assert.equal(only(config, 'proxy_pass'), 'proxy_pass https://fn-lb-v1;');
    assert.equal(only(config, 'proxy_ssl_name'), 'proxy_ssl_name fn.example.com;');
    assert.equal(only(config, 'server'), 'server fn.example.com:443;');
    assert.ok(!nginxConfig(app, v1, { upstreamBaseUrl: 'https://10.0.0.1' }).includes('proxy_ssl_name'), 'no SNI for IP addresses');
  });

  it('has balanced braces', () => {
    for (const config of [nginxConfig(app, v1), nginxConfig(app, v2, { upstreamBaseUrl: 'https://fn.example.com' })]) {
      let depth = 0;
      for (const ch of config.replace(/#.*$/gm, '')) {
        depth += ch === '{' ? 1 : ch === '}' ? -1 : 0;
        assert.ok(depth >= 0);
      }
      assert.equal(depth, 0);
    }
  });

  it('refuses values that would be interpolated unsafely', () => {
    const bad: [RoutedVersion, NginxConfigOptions, RegExp][] = [
      [{ ...v1, version: 'v1; include /etc/passwd' }, {}, /Version name/],
      [{ ...v1, version: 'V1' }, {}, /Version name "V1"/],
      [{ ...v1, fnName: 'v1"}' }, {}, /contains "\\""/],
      [{ ...v1, upstream: { ...v1.upstream, path: '/t/app/x;return 200' } }, {}, /segment "x;return 200"/],
      [{ ...v1, upstream: { ...v1.upstream, path: '/t/app/$request_uri' } }, {}, /segment/],
      [{ ...v1, upstream: { ...v1.upstream, baseUrl: 'http://lb {' } }, {}, /cannot be used/],
      [v1, { upstreamBaseUrl: 'http://127.0.0.1:1;\n' }, /cannot be used/],
      [v1, { listenPort: 0 }, /listen port must be a whole number from 1 to 65535, not 0/],
      [v1, { listenPort: 80.5 }, /not 80.5/],
      [v1, { listenAddress: '127.0.0.1; listen 80' }, /not an IPv4 address/],
      [v1, { readTimeoutSeconds: 0 }, /Read timeout/],
      [v1, { maxBodyMegabytes: 2048 }, /Maximum body size/],
    ];
    for (const [version, options, message] of bad) {
      assert.throws(() => nginxConfig(app, version, options), message, message.source);
    }
    assert.throws(() => nginxConfig({ ...app, fnAppName: 'a{' }, v1), /Fn app name "a\{"/);
  });
});
