// Runs every generated proxy configuration in a real nginx (Debian's): `nginx -t` must accept it,
// and requests through it must reach a local stand-in for the Fn lb at the version's invocation
// path, with method, query and body intact, and come back stamped with the version.
//
// Needs nginx: scripts/nginx-available.sh installs it. FN_MESH_SKIP_NGINX=1 skips (and says so).
import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateManifests } from '../../../src/routing/manifests/appManifests';
import type { ConfigMap } from '../../../src/routing/manifests/proxyManifests';
import type { RoutedApp } from '../../../src/routing/model';
import { healthPath, versionHeader, type NginxConfigOptions } from '../../../src/routing/nginxConfig';
import { helloApp, oddNamesApp } from '../../fixtures/routing/helloApp';

const host = '127.0.0.1';

interface Seen {
  method: string;
  url: string;
  host: string;
  body: Buffer;
}

/** The Fn lb stand-in: records each request; answers with `status` and a forged version header. */
class LbStandIn {
  readonly seen: Seen[] = [];
  status = 200;
  private server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      this.seen.push({ method: req.method ?? '', url: req.url ?? '', host: req.headers.host ?? '', body: Buffer.concat(chunks) });
      // The proxy must replace this with its own value.
      res.writeHead(this.status, { 'content-type': 'text/plain', [versionHeader]: 'forged-by-lb' });
      res.end(`fn answered ${req.method ?? ''} ${req.url ?? ''}`);
    });
  });

  async start(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, host, resolve));
    return (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function send(port: number, method: string, urlPath: string, body?: Buffer): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host, port, method, path: urlPath, agent: false, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${urlPath} timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** A port nothing listens on right now (the OS picks it; nginx binds it a moment later). */
async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function findNginx(): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/local/sbin'];
  const candidates = process.env.NGINX_BIN ? [process.env.NGINX_BIN] : dirs.filter((d) => d).map((d) => path.join(d, 'nginx'));
  return candidates.find((c) => {
    try {
      fs.accessSync(c, fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** A main nginx.conf that keeps every file nginx writes inside `dir` and includes `confFile`. */
function mainConfig(dir: string, confFile: string): string {
  const inDir = (name: string): string => JSON.stringify(path.join(dir, name));
  return [
    'worker_processes 1;',
    `pid ${inDir('nginx.pid')};`,
    `error_log ${inDir('error.log')} info;`,
    'events { worker_connections 64; }',
    'http {',
    `    access_log ${inDir('access.log')};`,
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `    ${t}_temp_path ${inDir(t)};`),
    `    include ${JSON.stringify(confFile)};`,
    '}',
    '',
  ].join('\n');
}

/** One nginx master process in the foreground, stopped by its pid. */
class NginxRun {
  private child: ChildProcess | undefined;
  private stderr = '';

  constructor(
    private readonly nginx: string,
    private readonly dir: string,
  ) {}

  private args(): string[] {
    return ['-p', this.dir, '-e', path.join(this.dir, 'error.log'), '-c', path.join(this.dir, 'nginx.conf')];
  }

  test(): { status: number | null; output: string } {
    const run = spawnSync(this.nginx, [...this.args(), '-t'], { encoding: 'utf8', timeout: 20_000 });
    return { status: run.status, output: `${run.stdout}${run.stderr}` };
  }

  async start(port: number): Promise<void> {
    this.child = spawn(this.nginx, [...this.args(), '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child.stderr?.on('data', (c: Buffer) => (this.stderr += c.toString()));
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (this.child.exitCode !== null) {
        throw new Error(`nginx exited with ${this.child.exitCode}: ${this.stderr}${this.errorLog()}`);
      }
      try {
        if ((await send(port, 'GET', healthPath)).status === 200) {
          return;
        }
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        throw new Error(`nginx did not answer ${healthPath} on port ${port} within 10 s: ${this.errorLog()}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  errorLog(): string {
    const file = path.join(this.dir, 'error.log');
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  }

  /** SIGTERM to the master (it stops its workers); SIGKILL if it lingers. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child?.pid || child.exitCode !== null || child.signalCode !== null) {
      return;
    }
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    process.kill(child.pid, 'SIGTERM');
    const timer = setTimeout(() => child.pid && child.exitCode === null && process.kill(child.pid, 'SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}

/** The nginx configurations as the generator puts them into ConfigMaps, with test port and lb. */
function configsOf(app: RoutedApp, nginx: NginxConfigOptions): { version: string; path: string; conf: string }[] {
  return generateManifests(app, { proxy: { nginx } })
    .filter((o): o is ConfigMap => o.kind === 'ConfigMap')
    .map((cm) => ({
      version: cm.metadata.labels.version ?? '',
      path: cm.metadata.annotations['fn-mesh.io/invoke-path'] ?? '',
      conf: Object.values(cm.data)[0] ?? '',
    }));
}

describe('routing nginx proxy (real nginx)', function () {
  this.timeout(60_000);
  const nginx = findNginx();
  const lb = new LbStandIn();
  let lbPort = 0;
  let dir = '';
  let run: NginxRun | undefined;

  before(async function () {
    if (!nginx) {
      if (process.env.FN_MESH_SKIP_NGINX === '1') {
        console.warn('    nginx is not installed: SKIPPING the nginx proxy tests (FN_MESH_SKIP_NGINX=1)');
        this.skip();
      }
      const where = process.env.NGINX_BIN ? `NGINX_BIN=${process.env.NGINX_BIN} is not executable` : 'not in PATH, /usr/sbin or /usr/local/sbin';
      throw new Error(`nginx is not installed (${where}): run scripts/nginx-available.sh or \`apt-get install -y nginx\``);
    }
    lbPort = await lb.start();
  });

  after(async () => {
    await lb.stop();
  });

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fn-mesh-nginx-'));
    // Run as root, nginx workers switch to `nobody`: they must reach the temp paths inside.
    fs.chmodSync(dir, 0o755);
    lb.seen.length = 0;
    lb.status = 200;
  });

  afterEach(async () => {
    await run?.stop();
    run = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function serve(conf: string): NginxRun {
    const confFile = path.join(dir, 'fn-mesh.conf');
    fs.writeFileSync(confFile, conf);
    fs.writeFileSync(path.join(dir, 'nginx.conf'), mainConfig(dir, confFile));
    run = new NginxRun(nginx ?? 'nginx', dir);
    const checked = run.test();
    assert.equal(checked.status, 0, `nginx -t refused the configuration:\n${checked.output}\n${conf}`);
    assert.match(checked.output, /test is successful/);
    return run;
  }

  const apps: [string, () => RoutedApp][] = [
    ['v2 API', () => helloApp('v2')],
    ['2018 API', () => helloApp('v1')],
    ['mapped names', oddNamesApp],
  ];
  for (const [label, makeApp] of apps) {
    it(`passes nginx -t and forwards to the right path: ${label}`, async () => {
      const app = makeApp();
      const port = await freePort();
      const configs = configsOf(app, { listenPort: port, listenAddress: host, upstreamBaseUrl: `http://${host}:${lbPort}` });
      assert.equal(configs.length, app.versions.length);
      for (const { version, path: invokePath, conf } of configs) {
        lb.seen.length = 0;
        const nginxRun = serve(conf);
        await nginxRun.start(port);

        const body = Buffer.from(JSON.stringify({ name: 'Fn Mesh', version }));
        const reply = await send(port, 'POST', '/any/client/path?x=1&name=a%20b', body);
        assert.equal(reply.status, 200, reply.body);
        assert.equal(reply.headers[versionHeader.toLowerCase()], version, 'the proxy names its version and hides the lb’s');
        assert.equal(reply.body, `fn answered POST ${invokePath}?x=1&name=a%20b`);
        assert.equal(lb.seen.length, 1);
        assert.deepEqual(
          { ...lb.seen[0], body: lb.seen[0]?.body.toString() },
          { method: 'POST', url: `${invokePath}?x=1&name=a%20b`, host: `${host}:${lbPort}`, body: body.toString() },
        );

        const health = await send(port, 'GET', healthPath);
        assert.deepEqual([health.status, health.body, health.headers[versionHeader.toLowerCase()]], [200, 'ok\n', version]);
        assert.equal(lb.seen.length, 1, '/healthz is answered by nginx, not forwarded');
        await nginxRun.stop();
      }
    });
  }

  it('keeps every method, large bodies, an lb base path, and names the version on errors', async () => {
    const app = helloApp();
    const port = await freePort();
    const [config] = configsOf(app, { listenPort: port, listenAddress: host, upstreamBaseUrl: `http://${host}:${lbPort}/fn-base`, maxBodyMegabytes: 4 });
    assert.ok(config);
    await serve(config.conf).start(port);

    for (const method of ['GET', 'PUT', 'PATCH', 'DELETE']) {
      await send(port, method, '/');
    }
    assert.deepEqual(
      lb.seen.map((s) => `${s.method} ${s.url}`),
      ['GET', 'PUT', 'PATCH', 'DELETE'].map((m) => `${m} /fn-base/t/hello-app/v1`),
    );

    // Larger than nginx's in-memory buffer: goes through the client body temp file.
    const big = Buffer.alloc(3 * 1024 * 1024, 'fn');
    assert.equal((await send(port, 'POST', '/', big)).status, 200);
    assert.ok(lb.seen[lb.seen.length - 1]?.body.equals(big), 'a 3 MB body arrives intact');
    const tooBig = await send(port, 'POST', '/', Buffer.alloc(5 * 1024 * 1024));
    assert.deepEqual([tooBig.status, tooBig.headers[versionHeader.toLowerCase()]], [413, 'v1']);

    lb.status = 500;
    const failed = await send(port, 'GET', '/');
    assert.deepEqual([failed.status, failed.headers[versionHeader.toLowerCase()]], [500, 'v1']);

    await lb.stop();
    const down = await send(port, 'GET', '/');
    assert.deepEqual([down.status, down.headers[versionHeader.toLowerCase()]], [502, 'v1'], 'nginx’s own error page is stamped too');
    lbPort = await lb.start();
  });
});
