// Fault handling of the Fn client against local servers that misbehave on purpose. The happy
// paths run against the real Fn server in test/integration.
import * as assert from 'node:assert/strict';
import { FnHttpClient } from '../../../src/fn/fnClient';
import { closedPort, sendJson, startLocalServer, type LocalServer } from '../../helpers/localServer';

describe('Fn client faults', () => {
  let server: LocalServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('names the endpoint and the cause when nothing listens', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    await assert.rejects(new FnHttpClient(url).listApps(), (err: Error) => {
      assert.match(err.message, new RegExp(`cannot reach the Fn API at ${url}`));
      assert.equal((err as { code?: string }).code, 'ECONNREFUSED');
      return true;
    });
  });

  it('reports malformed JSON with the start of the answer', async () => {
    server = await startLocalServer((_req, res) => sendJson(res, 200, '{"items": [oops'));
    await assert.rejects(new FnHttpClient(server.url).listApps(), /malformed JSON from GET \/v2\/apps: .*answer starts with "\{"items": \[oops"/);
  });

  for (const status of [401, 500]) {
    it(`reports ${status} with the server's message`, async () => {
      server = await startLocalServer((_req, res) => sendJson(res, status, { message: `boom ${status}` }));
      await assert.rejects(new FnHttpClient(server.url).listApps(), (err: Error & { status?: number }) => {
        assert.equal(err.status, status);
        assert.match(err.message, new RegExp(`GET /v2/apps failed with ${status} .*: boom ${status}`));
        return true;
      });
    });
  }

  it('says a server that answers 404 everywhere is not an Fn server', async () => {
    server = await startLocalServer((_req, res) => sendJson(res, 404, { message: 'nope' }));
    await assert.rejects(new FnHttpClient(server.url).apiVersion(), /does not look like an Fn server: GET \/v2\/apps answered 404, GET \/v1\/apps answered 404/);
  });

  it('retries detection after a failure instead of caching it', async () => {
    let up = false;
    server = await startLocalServer((_req, res) => (up ? sendJson(res, 200, { items: [] }) : sendJson(res, 503, { message: 'starting' })));
    const client = new FnHttpClient(server.url);
    await assert.rejects(client.apiVersion(), /503/);
    up = true;
    assert.equal(await client.apiVersion(), 'v2');
  });

  it('stops on a cursor loop and honours the limit', async () => {
    server = await startLocalServer((req, res) => {
      const n = Number(new URL(req.url ?? '', 'http://x').searchParams.get('cursor') ?? '0');
      // Pages of 2 items; the third page points back at the second.
      sendJson(res, 200, { items: [{ name: `a${n}x` }, { name: `a${n}y` }], next_cursor: n >= 2 ? '1' : String(n + 1) });
    });
    const client = new FnHttpClient(server.url, { pageSize: 2 });
    const all = await client.listApps();
    assert.deepEqual(all.items.map((a) => a.name), ['a0x', 'a0y', 'a1x', 'a1y', 'a2x', 'a2y']);
    assert.equal(all.truncated, false);
    const some = await client.listApps({ limit: 3 });
    assert.equal(some.items.length, 3);
    assert.equal(some.truncated, true);
  });

  it('times out a server that never answers', async () => {
    server = await startLocalServer(() => undefined);
    await assert.rejects(new FnHttpClient(server.url, { timeoutMs: 200 }).listApps(), /no answer from .* within 200 ms/);
  });

  it('reports a TLS handshake with a plain HTTP server', async () => {
    server = await startLocalServer((_req, res) => sendJson(res, 200, { items: [] }));
    await assert.rejects(new FnHttpClient(server.url.replace('http:', 'https:'), { timeoutMs: 2000 }).listApps(), /cannot reach the Fn API/);
  });

  it('stops when cancelled', async () => {
    server = await startLocalServer(() => undefined);
    const abort = new AbortController();
    const pending = new FnHttpClient(server.url, { timeoutMs: 10_000 }).listApps({ signal: abort.signal });
    abort.abort();
    await assert.rejects(pending, (err: Error) => err.name === 'AbortError');
  });
});
