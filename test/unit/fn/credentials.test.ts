// Credentials of the Fn API never show in a URL that is displayed or logged, and they reach the
// server: user:password from the URL (as HTTP Basic), FN_TOKEN or the fn context's `token`, or a
// token stored with Set Fn API Token… (as Bearer, winning over the others).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { deployEnv } from '../../../src/deploy/fnCli';
import { connectFn, describeConnection } from '../../../src/fn/connection';
import { bearer, splitUrlCredentials, tokenKey } from '../../../src/fn/credentials';
import { normaliseUrl, resolveFnEndpoint } from '../../../src/fn/endpoint';
import { loadAppNodes } from '../../../src/fn/tree/functionsTree';
import { startLocalServer } from '../../helpers/localServer';

const settings = { requestTimeoutSeconds: 5 };
const emptyHome = fs.mkdtempSync(path.join(os.tmpdir(), 'fnmesh-cred-'));

describe('Fn API credentials', () => {
  it('takes user:password out of the URL and sends them as Basic; nothing shown carries them', async () => {
    const server = await startLocalServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"items":[]}'));
    try {
      const withCreds = server.url.replace('http://', 'http://alice:s3cr%40t@');
      const state = await connectFn(settings, { FN_API_URL: withCreds }, emptyHome);
      assert.equal(state.kind, 'connected');
      if (state.kind !== 'connected') {
        return;
      }
      assert.equal(state.endpoint.apiUrl, server.url);
      assert.equal(state.client.apiUrl, server.url);
      assert.doesNotMatch(describeConnection(state), /alice|s3cr/);
      await state.client.listApps();
      assert.equal(server.requests.at(-1)?.headers.authorization, `Basic ${Buffer.from('alice:s3cr@t').toString('base64')}`);
    } finally {
      await server.close();
    }
  });

  it('sends a token stored for the origin as Bearer, over the URL and fn context credentials', async () => {
    const server = await startLocalServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"items":[]}'));
    try {
      const asked: string[] = [];
      const state = await connectFn(settings, { FN_API_URL: server.url.replace('http://', 'http://bob:pw@') + '/' }, emptyHome, {
        storedToken: (apiUrl) => {
          asked.push(tokenKey(apiUrl));
          return Promise.resolve('tok-123');
        },
      });
      assert.deepEqual(asked, [`fnMesh.fn.token:${server.url}`]);
      assert.equal(state.kind === 'connected' && (await loadAppNodes(state.client))[0]?.kind, 'message');
      assert.equal(server.requests.at(-1)?.headers.authorization, 'Bearer tok-123');
      assert.deepEqual(state.kind === 'connected' && deployEnv(state.endpoint), { FN_API_URL: server.url, FN_TOKEN: 'tok-123' });
    } finally {
      await server.close();
    }
  });

  it("honours the fn context's token and FN_TOKEN, like the fn CLI", async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'fnmesh-ctx-'));
    fs.mkdirSync(path.join(home, '.fn', 'contexts'), { recursive: true });
    fs.writeFileSync(path.join(home, '.fn', 'config.yaml'), 'current-context: prod\n');
    fs.writeFileSync(path.join(home, '.fn', 'contexts', 'prod.yaml'), 'api-url: https://fn.example.test\ntoken: ctx-token\n');
    const fromContext = await resolveFnEndpoint({ env: {}, homeDir: home });
    assert.equal(fromContext.kind === 'resolved' && fromContext.endpoint.authorization, 'Bearer ctx-token');
    const fromEnv = await resolveFnEndpoint({ env: { FN_TOKEN: 'env-token' }, homeDir: home });
    assert.equal(fromEnv.kind === 'resolved' && fromEnv.endpoint.authorization, 'Bearer env-token');
  });

  it('keeps user:password out of error messages and splits them exactly', () => {
    const bad = normaliseUrl('ftp://carol:hunter2@fn.example.test');
    assert.doesNotMatch('error' in bad ? bad.error : '', /hunter2|carol/);
    const unparsable = normaliseUrl('http://dave:pa55@');
    assert.doesNotMatch('error' in unparsable ? unparsable.error : 'x', /pa55/);
    assert.deepEqual(splitUrlCredentials('https://fn.example.test:8443/base'), { url: 'https://fn.example.test:8443/base' });
    assert.equal(splitUrlCredentials('https://u:p@fn.example.test:8443/base').url, 'https://fn.example.test:8443/base');
    assert.throws(() => bearer('two words'), /one word/);
    assert.deepEqual(deployEnv({ apiUrl: 'https://fn.example.test', source: 'env', origin: 'FN_API_URL', authorization: splitUrlCredentials('https://u:p%20q@fn.example.test').authorization }), {
      FN_API_URL: 'https://u:p%20q@fn.example.test',
    });
  });
});
