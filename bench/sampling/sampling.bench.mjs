#!/usr/bin/env node
// Benchmark of the sampling core, each figure with its baseline in the same run:
//  1. throughput and CPU of the load generator against autocannon, same local endpoint, same
//     connections (nginx `return 200` when Debian's nginx is installed, else a Node http server);
//  2. time to a verdict for a 90/10 split within ±2 points at 95% (seeded simulation, and real
//     requests through a local nginx that splits 90/10 and tags each answer with X-Fn-Mesh-Version);
//  3. heap and RSS after one million recorded responses (against the same process before).
//   npm run compile-tests && node --expose-gc bench/sampling/sampling.bench.mjs [seconds] [connections] [rounds]
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(path.join(root, 'package.json'));
const load = (rel) => {
  try {
    return require(path.join(root, 'out', rel));
  } catch (err) {
    console.error(`bench: cannot load out/${rel}: run 'npm run compile-tests' first (${err.message})`);
    process.exit(1);
  }
};
const autocannon = require('autocannon');
const { runLoad } = load('src/sampling/loadGenerator.js');
const { SamplerStats, fixedWeights } = load('src/sampling/samplerStats.js');
const { seededRandom } = load('test/helpers/seededRandom.js');

const seconds = Number(process.argv[2] ?? 10);
const connections = Number(process.argv[3] ?? 10);
const gc = globalThis.gc ?? (() => undefined);

async function freePort() {
  const s = http.createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

function findNginx() {
  return [process.env.NGINX_BIN, '/usr/sbin/nginx', '/usr/local/sbin/nginx', ...(process.env.PATH ?? '').split(':').map((d) => `${d}/nginx`)].find((c) => {
    try {
      return c && fs.statSync(c).isFile();
    } catch {
      return false;
    }
  });
}

/** Starts nginx in the foreground with `server` as its only server block; stop() kills it by pid. */
async function startNginx(nginx, port, server) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fn-mesh-bench-'));
  fs.chmodSync(dir, 0o755);
  const inDir = (n) => JSON.stringify(path.join(dir, n));
  fs.writeFileSync(
    path.join(dir, 'nginx.conf'),
    [
      'worker_processes 1;',
      `pid ${inDir('nginx.pid')};`,
      `error_log ${inDir('error.log')} warn;`,
      'events { worker_connections 1024; }',
      'http {',
      '  access_log off;',
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${inDir(t)};`),
      '  keepalive_requests 1000000;',
      server.replace('PORT', String(port)),
      '}',
    ].join('\n'),
  );
  const child = spawn(nginx, ['-p', dir, '-e', path.join(dir, 'error.log'), '-c', path.join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: 'ignore' });
  for (let i = 0; i < 200; i++) {
    const up = await new Promise((r) => http.get(`http://127.0.0.1:${port}/`, (res) => (res.resume(), r(true))).on('error', () => r(false)));
    if (up) {
      break;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    stop: () =>
      new Promise((r) => {
        if (child.exitCode !== null) {
          return r();
        }
        child.once('exit', () => (fs.rmSync(dir, { recursive: true, force: true }), r()));
        process.kill(child.pid, 'SIGTERM');
      }),
  };
}

function nodeServer(port) {
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'x-fn-mesh-version': 'v1' });
    res.end('ok\n');
  });
  return new Promise((r) => server.listen(port, '127.0.0.1', () => r({ stop: () => new Promise((s) => (server.closeAllConnections(), server.close(s))) })));
}

/** CPU time (user + system, ms) and wall time (ms) of `fn`. */
async function measure(fn) {
  gc();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await fn();
  const cpu = process.cpuUsage(cpu0);
  return { result, wallMs: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000 };
}

const fmt = (n, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

async function autocannonRun(url) {
  const m = await measure(() => new Promise((resolve, reject) => autocannon({ url, connections, duration: seconds }, (err, r) => (err ? reject(err) : resolve(r)))));
  const n = m.result.requests.total;
  return { rps: n / (m.wallMs / 1000), cpuUs: (m.cpuMs / n) * 1000, errors: m.result.errors + m.result.non2xx };
}

async function samplerRun(url) {
  const stats = new SamplerStats(fixedWeights({ v1: 100 }));
  let n = 0;
  const m = await measure(() => runLoad({ url, concurrency: connections, durationMs: seconds * 1000, limits: { maxRatePerSecond: Infinity, maxConcurrency: 256 }, onSample: (s) => (n++, stats.record(s)) }));
  return { rps: n / (m.wallMs / 1000), cpuUs: (m.cpuMs / n) * 1000, errors: stats.snapshot().errors };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function throughput(url, rounds) {
  console.log(`\nthroughput, ${rounds} alternating rounds of ${seconds} s each, ${connections} connections, keep-alive, ${url}`);
  const ac = [];
  const ours = [];
  for (let i = 0; i < rounds; i++) {
    ac.push(await autocannonRun(url));
    ours.push(await samplerRun(url));
    console.log(`   round ${i + 1}: autocannon ${fmt(ac[i].rps)} req/s (${fmt(ac[i].cpuUs, 1)} µs CPU/req), fn-mesh ${fmt(ours[i].rps)} req/s (${fmt(ours[i].cpuUs, 1)} µs CPU/req), ratio ${fmt(ours[i].rps / ac[i].rps, 2)}; errors ${ac[i].errors} / ${ours[i].errors}`);
  }
  const ratios = ours.map((o, i) => o.rps / ac[i].rps);
  console.log(`   median: autocannon ${fmt(median(ac.map((a) => a.rps)))} req/s, ${fmt(median(ac.map((a) => a.cpuUs)), 1)} µs CPU/req; fn-mesh sampler (recording every response into SamplerStats) ${fmt(median(ours.map((a) => a.rps)))} req/s, ${fmt(median(ours.map((a) => a.cpuUs)), 1)} µs CPU/req`);
  console.log(`   throughput ratio (median of rounds) ${fmt(median(ratios), 2)} (target >= 0.5); CPU per request ratio ${fmt(median(ours.map((o, i) => o.cpuUs / ac[i].cpuUs)), 2)}`);
}

function simulatedVerdict(seed, tolerancePoints) {
  const stats = new SamplerStats(fixedWeights({ v1: 90, v2: 10 }), { fit: { tolerancePoints } });
  const random = seededRandom(seed);
  for (let n = 1; ; n++) {
    stats.record({ at: 0, version: random() < 0.9 ? 'v1' : 'v2', status: 200, latencyMs: 1 });
    if (n % 25 === 0) {
      const v = stats.snapshot().verdict;
      if (v.kind !== 'not-enough') {
        return { n, kind: v.kind };
      }
    }
  }
}

async function realVerdict(url) {
  const stats = new SamplerStats(fixedWeights({ v1: 90, v2: 10 }), { fit: { tolerancePoints: 2 } });
  const controller = new AbortController();
  let verdict;
  const timer = setInterval(() => {
    const v = stats.snapshot().verdict;
    if (v.kind !== 'not-enough') {
      verdict = v;
      controller.abort();
    }
  }, 20);
  const t0 = performance.now();
  await runLoad({ url, concurrency: connections, durationMs: 60_000, signal: controller.signal, limits: { maxRatePerSecond: Infinity, maxConcurrency: 256 }, onSample: (s) => stats.record(s) });
  clearInterval(timer);
  const ms = performance.now() - t0;
  const s = stats.snapshot();
  return { ms, verdict: verdict?.kind ?? 'none in 60 s', n: s.windowTotal, shares: s.rows.map((r) => `${r.version} ${r.share.toFixed(1)}%`).join(', ') };
}

function memory() {
  // Runs first, so that nothing else has grown the heap yet.
  const stats = new SamplerStats(fixedWeights({ v1: 50, v2: 30, v3: 20 }));
  const random = seededRandom(5);
  const versions = ['v1', 'v2', 'v3'];
  const record = (count) => {
    for (let i = 0; i < count; i++) {
      const status = random() < 0.01 ? 503 : 200;
      stats.record({ at: Date.now(), version: versions[Math.floor(random() * 3)], status, latencyMs: 1 + random() * random() * 2000 });
    }
  };
  const usage = () => (gc(), gc(), process.memoryUsage());
  const before = usage();
  record(1_000);
  const small = usage();
  const t0 = performance.now();
  record(999_000);
  const ns = ((performance.now() - t0) * 1e6) / 999_000;
  const after = usage();
  const mb = (b) => `${fmt(b / 1048576, 1)} MiB`;
  console.log(`\nmemory of SamplerStats (3 versions, bounded histograms), ${globalThis.gc ? 'after a full GC' : 'no --expose-gc: rough'}`);
  const grown = (u) => `heap+external ${mb(u.heapUsed + u.external - before.heapUsed - before.external)}, RSS ${mb(u.rss - before.rss)}`;
  console.log(`   process before: heap ${mb(before.heapUsed)}, external ${mb(before.external)}, RSS ${mb(before.rss)}`);
  console.log(`   growth after 1,000 responses:     ${grown(small)}`);
  console.log(`   growth after 1,000,000 responses: ${grown(after)}  (record: ${fmt(ns)} ns each)`);
  console.log(`   snapshot: ${stats.snapshot().total} responses, verdict ${stats.snapshot().verdict.kind}`);
}

const rounds = Number(process.argv[4] ?? 3);
console.log(`machine: ${os.cpus().length} cores (${os.cpus()[0]?.model}), load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}, Node ${process.version}`);
memory();
const nginx = findNginx();
const port = await freePort();
const splitPort = await freePort();
console.log(`\nendpoint: ${nginx ? `nginx ${nginx} (1 worker, return 200)` : 'Node http server (nginx not installed)'}`);
const target = nginx ? await startNginx(nginx, port, `  server { listen 127.0.0.1:PORT; location / { add_header X-Fn-Mesh-Version v1; return 200 "ok\\n"; } }`) : await nodeServer(port);
try {
  await throughput(`http://127.0.0.1:${port}/`, rounds);
} finally {
  await target.stop();
}

console.log('\ntime to a verdict, 90/10 configured and 90/10 served, tolerance 2 points (power 0.8, alpha 0.05)');
const runs = Array.from({ length: 20 }, (_, i) => simulatedVerdict(100 + i, 2));
const ns = runs.map((r) => r.n).sort((a, b) => a - b);
console.log(`   seeded simulation, 20 seeds: verdict after ${ns[0]}–${ns[ns.length - 1]} responses (${runs.filter((r) => r.kind === 'consistent').length}/20 "consistent"); at 10 req/s about ${fmt(ns[0] / 10)} s, at 100 req/s about ${fmt(ns[0] / 100)} s`);
const five = simulatedVerdict(100, 5);
console.log(`   same at the default tolerance of 5 points: ${five.n} responses (${five.kind})`);
if (nginx) {
  const splitter = await startNginx(
    nginx,
    splitPort,
    `  split_clients "\${request_id}" $fn_version { 90% v1; * v2; }\n  server { listen 127.0.0.1:PORT; location / { add_header X-Fn-Mesh-Version $fn_version; return 200 "ok\\n"; } }`,
  );
  try {
    for (let i = 0; i < 3; i++) {
      const r = await realVerdict(`http://127.0.0.1:${splitPort}/`);
      console.log(`   real requests through a local nginx splitting 90/10 (split_clients), ${connections} connections, no rate limit, run ${i + 1}: "${r.verdict}" after ${fmt(r.ms)} ms and ${r.n} responses (${r.shares})`);
    }
  } finally {
    await splitter.stop();
  }
}
