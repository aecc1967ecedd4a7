import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { makeAttribution } from '../../../src/sampling/attribution';
import { runLoad } from '../../../src/sampling/loadGenerator';
import { LoadOptionsError, type LoadOptions } from '../../../src/sampling/loadOptions';
import type { ResponseSample } from '../../../src/sampling/samplerStats';
import { closedPort } from '../../helpers/localServer';

interface Tracked {
  readonly url: string;
  readonly port: number;
  connections: number;
  open: number;
  requests: number;
  inFlight: number;
  maxInFlight: number;
  readonly seen: http.IncomingMessage[];
  close(): Promise<void>;
}

/** A real server on 127.0.0.1 that counts connections, requests and requests in flight. */
async function trackedServer(handler: (req: http.IncomingMessage, res: http.ServerResponse, t: Tracked) => void): Promise<Tracked> {
  const server = http.createServer((req, res) => {
    t.requests++;
    t.inFlight++;
    t.maxInFlight = Math.max(t.maxInFlight, t.inFlight);
    t.seen.length < 50 && t.seen.push(req);
    res.on('close', () => t.inFlight--);
    req.resume();
    req.on('end', () => handler(req, res, t));
  });
  server.on('connection', (socket) => {
    t.connections++;
    t.open++;
    socket.on('close', () => t.open--);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const t: Tracked = {
    url: `http://127.0.0.1:${port}/`,
    port,
    connections: 0,
    open: 0,
    requests: 0,
    inFlight: 0,
    maxInFlight: 0,
    seen: [],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return t;
}

function versioned(version: string, status = 200) {
  return (_req: http.IncomingMessage, res: http.ServerResponse): void => {
    res.writeHead(status, { 'x-fn-mesh-version': version, 'content-type': 'text/plain' });
    res.end(`hello from ${version}\n`);
  };
}

async function collect(options: Omit<LoadOptions, 'onSample' | 'limits'> & Partial<Pick<LoadOptions, 'limits'>>): Promise<{ samples: ResponseSample[]; result: Awaited<ReturnType<typeof runLoad>> }> {
  const samples: ResponseSample[] = [];
  const result = await runLoad({ limits: { maxRatePerSecond: Infinity, maxConcurrency: 64 }, ...options, onSample: (s) => samples.push(s) });
  return { samples, result };
}

async function until(condition: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!condition() && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 10));
  }
  return condition();
}

describe('load generator', function () {
  this.timeout(10_000);
  const servers: Tracked[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  async function serve(handler: Parameters<typeof trackedServer>[0]): Promise<Tracked> {
    const s = await trackedServer(handler);
    servers.push(s);
    return s;
  }

  it('reuses keep-alive connections and attributes each response by header', async () => {
    const s = await serve(versioned('v2'));
    const { samples, result } = await collect({ url: s.url, concurrency: 4, maxRequests: 200 });
    assert.equal(result.stoppedBy, 'count');
    assert.equal(samples.length, 200);
    assert.ok(samples.every((x) => x.version === 'v2' && x.status === 200 && x.error === undefined));
    assert.equal(s.requests, 200);
    assert.ok(s.connections <= 4, `${s.connections} connections for 200 requests`);
    assert.ok(await until(() => s.open === 0, 1000), `${s.open} connections left open`);
  });

  it('honours the rate, and clamps it to the limit', async () => {
    const s = await serve(versioned('v1'));
    const { result } = await collect({ url: s.url, ratePerSecond: 50, concurrency: 2, durationMs: 1000 });
    // 50 slots in 1 s; a loaded machine may delay some timers (never adds any)
    assert.ok(result.sent >= 38 && result.sent <= 51, `sent ${result.sent} at 50/s for 1 s`);
    const clamped = await collect({ url: s.url, ratePerSecond: 5000, concurrency: 50, durationMs: 500, limits: { maxRatePerSecond: 20, maxConcurrency: 3 } });
    assert.equal(clamped.result.ratePerSecond, 20);
    assert.equal(clamped.result.concurrency, 3);
    assert.ok(clamped.result.sent >= 6 && clamped.result.sent <= 11, `sent ${clamped.result.sent} at 20/s for 0.5 s`);
  });

  it('never has more requests in flight than the concurrency', async () => {
    const s = await serve((req, res) => setTimeout(() => versioned('v1')(req, res), 30));
    await collect({ url: s.url, concurrency: 3, maxRequests: 30 });
    assert.equal(s.maxInFlight, 3);
  });

  it('sends method, path, body, headers and the Host override; does not follow redirects', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere', 'x-fn-mesh-version': 'v1' });
      res.end();
    });
    const { samples } = await collect({ url: s.url, method: 'post', path: '/t/hello-app/hello?x=1', body: '{"n":1}', headers: { 'X-Test': 'yes' }, host: 'hello-app.example.com', maxRequests: 1 });
    assert.equal(s.requests, 1);
    const req = s.seen[0];
    assert.deepEqual([req.method, req.url, req.headers.host, req.headers['x-test'], req.headers['content-length']], ['POST', '/t/hello-app/hello?x=1', 'hello-app.example.com', 'yes', '7']);
    assert.deepEqual([samples[0].status, samples[0].version, samples[0].error], [302, 'v1', undefined]);
  });

  it('counts a refused connection as an error of an unknown version', async () => {
    const port = await closedPort();
    const { samples } = await collect({ url: `http://127.0.0.1:${port}/`, maxRequests: 3 });
    assert.deepEqual(
      samples.map((x) => [x.version, x.error, x.status]),
      Array.from({ length: 3 }, () => ['unknown', 'refused', undefined]),
    );
  });

  it('counts resets, timeouts and a non-HTTP answer, and keeps the version of a reset mid-body', async () => {
    const reset = await serve((req) => req.socket.destroy());
    const silent = await serve(() => undefined);
    const midBody = await serve((req, res) => {
      res.writeHead(200, { 'x-fn-mesh-version': 'v3', 'content-length': '1000' });
      res.write('partial');
      setTimeout(() => req.socket.destroy(), 20);
    });
    const garbage = net.createServer((socket) => socket.resume().end('SSH-2.0-OpenSSH\r\n\r\n'));
    await new Promise<void>((resolve) => garbage.listen(0, '127.0.0.1', resolve));
    try {
      const kinds = async (url: string, timeoutMs = 2000): Promise<string[]> => (await collect({ url, maxRequests: 2, timeoutMs })).samples.map((x) => `${x.version} ${x.status ?? '-'} ${x.error ?? 'ok'}`);
      assert.deepEqual(await kinds(reset.url), ['unknown - reset', 'unknown - reset']);
      const t0 = Date.now();
      assert.deepEqual(await kinds(silent.url, 100), ['unknown - timeout', 'unknown - timeout']);
      assert.ok(Date.now() - t0 < 1500, 'timeouts took too long');
      assert.deepEqual(await kinds(midBody.url), ['v3 200 reset', 'v3 200 reset']);
      assert.deepEqual(await kinds(`http://127.0.0.1:${(garbage.address() as AddressInfo).port}/`), ['unknown - protocol', 'unknown - protocol']);
    } finally {
      await new Promise<void>((resolve) => garbage.close(() => resolve()));
    }
  });

  it('streams a huge body without keeping it, and applies the body pattern to its first 4 KiB only', async () => {
    const chunk = Buffer.alloc(1024 * 1024, 'x');
    const s = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write(req.url === '/early' ? 'version=v7\n' : Buffer.alloc(5000, ' '));
      res.write('version=v9\n');
      let left = req.url === '/early' ? 1 : 128;
      const pump = (): void => {
        while (left > 0) {
          left--;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      pump();
    });
    const attribution = makeAttribution('x-fn-mesh-version', 'version=(?<version>\\w+)');
    const before = process.memoryUsage().arrayBuffers;
    let peak = before;
    const watch = setInterval(() => (peak = Math.max(peak, process.memoryUsage().arrayBuffers)), 2);
    const early = await collect({ url: s.url, path: '/early', maxRequests: 1, attribution, timeoutMs: 8000 });
    const late = await collect({ url: s.url, path: '/late', maxRequests: 1, attribution, timeoutMs: 8000 });
    clearInterval(watch);
    const grown = peak - before;
    assert.deepEqual([early.samples[0].version, early.samples[0].status, early.samples[0].error], ['v7', 200, undefined]);
    assert.deepEqual([late.samples[0].version, late.samples[0].error], ['unknown', undefined]);
    // A client that kept the body would peak above 128 MiB; chunks read and not yet collected stay near 32 MiB.
    assert.ok(grown < 64 * 1024 * 1024, `array buffers peaked ${grown} bytes above the start while reading a 128 MiB body`);
  });

  it('stops promptly on abort, reports nothing cut off, and leaves no socket open', async () => {
    const s = await serve((req, res) => setTimeout(() => versioned('v1')(req, res), 5000));
    const controller = new AbortController();
    const t0 = Date.now();
    setTimeout(() => controller.abort(), 100);
    const { samples, result } = await collect({ url: s.url, concurrency: 5, signal: controller.signal });
    assert.ok(Date.now() - t0 < 1000, `abort took ${Date.now() - t0} ms (the server answers after 5 s)`);
    assert.equal(result.stoppedBy, 'abort');
    assert.equal(samples.length, 0);
    assert.equal(s.connections, 5);
    assert.ok(await until(() => s.open === 0, 1000), `${s.open} connections left open`);
  });

  it('rejects with the error a sample listener throws, after closing everything', async () => {
    const s = await serve(versioned('v1'));
    await assert.rejects(
      runLoad({
        url: s.url,
        maxRequests: 100,
        limits: { maxRatePerSecond: Infinity, maxConcurrency: 4 },
        onSample: () => {
          throw new Error('listener broke');
        },
      }),
      /listener broke/,
    );
    assert.ok(await until(() => s.open === 0, 1000));
  });

  it('refuses invalid options naming the option', async () => {
    const base = { limits: { maxRatePerSecond: 10, maxConcurrency: 2 }, onSample: () => undefined, maxRequests: 1 };
    await assert.rejects(runLoad({ ...base, url: 'ftp://x/' }), /target: ftp: is not supported/);
    await assert.rejects(runLoad({ ...base, url: 'nope' }), LoadOptionsError);
    await assert.rejects(runLoad({ ...base, url: 'http://127.0.0.1/', headers: { 'bad name': 'x' } }), /headers: "bad name"/);
    await assert.rejects(runLoad({ ...base, url: 'http://127.0.0.1/', host: 'a b' }), /host: "a b"/);
    await assert.rejects(runLoad({ ...base, url: 'http://127.0.0.1/', maxRequests: undefined }), /needs a duration, a request count or a stop signal/);
    await assert.rejects(runLoad({ ...base, url: 'http://127.0.0.1/', ratePerSecond: -1 }), /ratePerSecond: -1/);
  });
});
