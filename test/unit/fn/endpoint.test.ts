import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { normaliseUrl, resolveFnEndpoint } from '../../../src/fn/endpoint';

function fnHome(files: Record<string, string>): string {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'fnmesh-home-'));
  for (const [rel, text] of Object.entries(files)) {
    const file = path.join(home, '.fn', rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
  return home;
}

describe('fn endpoint resolution', () => {
  const prodHome = fnHome({
    'config.yaml': 'current-context: prod\n',
    'contexts/prod.yaml': 'api-url: https://fn.example.test:8443/\nregistry: registry.example.test/team\nprovider: default\n',
  });

  it('prefers the setting over FN_API_URL and the fn context', async () => {
    const r = await resolveFnEndpoint({ settingUrl: 'http://a:1/', env: { FN_API_URL: 'http://b:2' }, homeDir: prodHome });
    assert.equal(r.kind, 'resolved');
    assert.equal(r.kind === 'resolved' && r.endpoint.apiUrl, 'http://a:1');
    assert.equal(r.kind === 'resolved' && r.endpoint.source, 'setting');
  });

  it('uses FN_API_URL when the setting is empty, with FN_REGISTRY', async () => {
    const r = await resolveFnEndpoint({ settingUrl: '  ', env: { FN_API_URL: 'http://b:2', FN_REGISTRY: 'me' }, homeDir: prodHome });
    assert.deepEqual(r, { kind: 'resolved', endpoint: { apiUrl: 'http://b:2', source: 'env', origin: 'FN_API_URL', registry: 'me' } });
  });

  it('falls back to the current fn context and names it', async () => {
    const r = await resolveFnEndpoint({ env: {}, homeDir: prodHome });
    assert.equal(r.kind, 'resolved');
    if (r.kind === 'resolved') {
      assert.equal(r.endpoint.apiUrl, 'https://fn.example.test:8443');
      assert.equal(r.endpoint.source, 'fnContext');
      assert.equal(r.endpoint.registry, 'registry.example.test/team');
      assert.match(r.endpoint.origin, /fn context "prod"/);
    }
  });

  it('reports none when nothing is configured, saying where it looked', async () => {
    const r = await resolveFnEndpoint({ env: {}, homeDir: fnHome({}) });
    assert.equal(r.kind, 'none');
    assert.ok(r.kind === 'none' && r.looked.includes('FN_API_URL'));
  });

  it('does not fall through past an invalid setting', async () => {
    const r = await resolveFnEndpoint({ settingUrl: 'ftp://x', env: { FN_API_URL: 'http://ok:1' }, homeDir: prodHome });
    assert.equal(r.kind, 'invalid');
    assert.match(r.kind === 'invalid' ? r.message : '', /fnMesh\.fn\.apiUrl.*http:\/\/ or https:\/\//);
  });

  it('points at file and line of broken fn YAML', async () => {
    const home = fnHome({ 'config.yaml': 'current-context: x\n', 'contexts/x.yaml': 'api-url: http://a\n  bad: [\n' });
    const r = await resolveFnEndpoint({ env: {}, homeDir: home });
    assert.equal(r.kind, 'invalid');
    assert.match(r.kind === 'invalid' ? r.message : '', /contexts[/\\]x\.yaml:2:\d+: invalid YAML/);
  });

  it('refuses a context name that would leave ~/.fn/contexts', async () => {
    const r = await resolveFnEndpoint({ env: {}, homeDir: fnHome({ 'config.yaml': 'current-context: ../../etc/passwd\n' }) });
    assert.equal(r.kind, 'invalid');
    assert.match(r.kind === 'invalid' ? r.message : '', /invalid context name/);
  });

  it('says which file is missing for a dangling current-context', async () => {
    const r = await resolveFnEndpoint({ env: {}, homeDir: fnHome({ 'config.yaml': 'current-context: gone\n' }) });
    assert.match(r.kind === 'invalid' ? r.message : '', /current context "gone" has no file .*gone\.yaml/);
  });

  it('reports a non-string api-url with its field', async () => {
    const home = fnHome({ 'config.yaml': 'current-context: n\n', 'contexts/n.yaml': 'api-url: [1]\n' });
    const r = await resolveFnEndpoint({ env: {}, homeDir: home });
    assert.match(r.kind === 'invalid' ? r.message : '', /field "api-url" must be a string/);
  });

  it('normalises URLs and rejects non-URLs', () => {
    assert.deepEqual(normaliseUrl(' http://h:8080/// '), { url: 'http://h:8080' });
    assert.deepEqual(normaliseUrl('http://h/base/?q=1#x'), { url: 'http://h/base' });
    assert.ok('error' in normaliseUrl('localhost:8080'));
    assert.ok('error' in normaliseUrl('not a url'));
  });
});
