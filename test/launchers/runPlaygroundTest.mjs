#!/usr/bin/env node
// The playground as a newcomer meets it: runs the README's `bash scripts/playground.sh` from a
// fresh state folder, opens the workbench URL it prints in headless Chromium, checks what a
// newcomer sees (a trusted workspace, hello-app in the Fn Mesh view, nothing unrelated in the
// way), then presses Ctrl-C (SIGINT to the playground's process group, as a terminal does) and
// checks that every process it started is gone and every port they listened on is free.
//
// The processes it started are found by a marker variable given to the playground
// (FN_MESH_PLAYGROUND_TEST_RUN=<random>): every process it starts inherits it, whatever process
// group or session it moves to. Each is identified by pid and start time, so a reused pid is
// not mistaken for a survivor. Whatever is still alive at the end is stopped by its pid.
//
// Environment: the playground's own (FN_MESH_FN_PORT, FN_MESH_APISERVER_PORT, ... as
// scripts/test-all.sh exports them, so it never meets a running playground), and
//   FN_MESH_STATE                       the parent of its state folder (<FN_MESH_STATE>/playground-test,
//                                       emptied first: the newcomer's first run)
//   FN_MESH_PLAYGROUND_TEST_START_MS    how long the playground may take to print its URL (default 20 min)
//   FN_MESH_TEST_HOST_DIR, FN_MESH_CHROMIUM   as for runHostTests.mjs
// Prints every check and `N passed, N failed`; screenshots and the playground's output go to test-output/.
import { randomBytes } from 'node:crypto';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { CHROMIUM_ARGS, LauncherError, chromiumPath, freePort, mkdir, repoRoot, reportLauncherFailure, reportResults, resolveHostDir, sleep, stateDir } from './common.mjs';
import { activityBarTab, openViewContainer, sideBarView, statusBarItem, treeRow } from '../ui/workbenchDriver.mjs';

const env = process.env;
const startMs = Number(env.FN_MESH_PLAYGROUND_TEST_START_MS || 20 * 60_000);
const outputDir = mkdir(repoRoot, 'test-output');
const playgroundLog = path.join(outputDir, 'playground.log');
const marker = `FN_MESH_PLAYGROUND_TEST_RUN=${randomBytes(8).toString('hex')}`;
/** Processes this slow (a loaded 2-core machine) still count: the stop commands wait for each server. */
const STOP_MS = 180_000;

const results = { tests: [], failures: [], passed: 0, failed: 0, pending: 0 };
let skipRest = false;
async function check(title, fn) {
  if (skipRest) {
    results.tests.push({ title, state: 'pending' });
    results.pending += 1;
    return;
  }
  const started = Date.now();
  try {
    await fn();
    results.tests.push({ title, state: 'passed', durationMs: Date.now() - started });
    results.passed += 1;
  } catch (err) {
    results.tests.push({ title, state: 'failed', durationMs: Date.now() - started });
    results.failed += 1;
    results.failures.push({ title, error: err instanceof LauncherError || !err?.stack ? String(err?.message ?? err) : err.stack.split('\n').slice(0, 3).join('\n') });
    skipRest = true;
  }
}

/** The playground (bash, leading its own process group, like a shell's foreground job). */
let playground;
let playgroundExit;
let browser;
/** The workbench page, once open. */
let workbenchPage;
/** pid → { startTime, command }: every process seen with the marker. */
const seen = new Map();
/** Listening addresses ("127.0.0.1:13443") of those processes. */
const listening = new Set();

async function main() {
  const started = Date.now();
  const hostDir = resolveHostDir();
  const state = stateDir('playground-test');
  fs.rmSync(state, { recursive: true, force: true });
  fs.mkdirSync(state, { recursive: true });
  const port = await freePort();
  console.log(`playground test: state ${state}, workbench port ${port}, output ${path.relative(repoRoot, playgroundLog)}`);

  let url;
  await check('bash scripts/playground.sh starts everything from a fresh state and prints the URL to open', async () => {
    const log = fs.openSync(playgroundLog, 'w');
    const [name, value] = marker.split('=');
    playground = spawn('bash', [path.join(repoRoot, 'scripts', 'playground.sh')], {
      cwd: repoRoot,
      detached: true, // its own process group: the one Ctrl-C signals
      stdio: ['ignore', log, log],
      env: { ...env, FN_MESH_STATE: state, FN_MESH_PLAYGROUND_PORT: String(port), [name]: value },
    });
    fs.closeSync(log);
    playgroundExit = new Promise((resolve) => playground.on('exit', (code, signal) => resolve(signal ?? code)));
    let exited;
    void playgroundExit.then((how) => (exited = how));
    for (const deadline = Date.now() + startMs; Date.now() < deadline && !url; await sleep(1_000)) {
      if (exited !== undefined) {
        throw new LauncherError(`the playground exited (${exited}) before it printed a URL: see ${playgroundLog}`);
      }
      url = /^Open in a browser:\s+(\S+)/m.exec(fs.readFileSync(playgroundLog, 'utf8'))?.[1];
    }
    if (!url) {
      throw new LauncherError(`no URL after ${startMs / 1000} s: see ${playgroundLog}`);
    }
    assertThat(url.startsWith(`http://127.0.0.1:${port}/?tkn=`), `the URL is on 127.0.0.1:${port} with a connection token: ${url}`);
  });

  await check('its processes are running: control plane, kubelet and gateway stand-ins, istiod, Fn server, runner-lb, VS Code server', async () => {
    collect();
    const commands = [...seen.values()].map((p) => p.command);
    const expected = ['kube-apiserver', 'etcd', 'kube-controller-manager', 'kubelet-standin', 'pilot-discovery', 'mesh-gateway', 'fnserver', 'fn-lb', 'server-main.js'];
    const missing = expected.filter((name) => !commands.some((c) => c.includes(name)));
    assertThat(missing.length === 0, `no process for ${missing.join(', ')} among:\n  ${commands.join('\n  ')}`);
    console.log(`playground test: ${seen.size} processes, listening on ${[...listening].sort().join(' ')}`);
  });

  await check('the workbench opens on the playground folder, trusted: no Restricted Mode, no trust prompt', async () => {
    const { chromium } = createRequire(path.join(hostDir, 'package.json'))('playwright-core');
    browser = await chromium.launch({ executablePath: chromiumPath(env), headless: true, args: CHROMIUM_ARGS, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(20_000);
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    await activityBarTab(page, 'Fn Mesh').waitFor({ timeout: 120_000 });
    await page.locator('.part.statusbar').waitFor();
    assertThat((await page.locator('.monaco-dialog-box').count()) === 0, 'a dialog is shown (the trust prompt?)');
    assertThat((await statusBarItem(page, 'Restricted Mode').count()) === 0, 'the status bar shows Restricted Mode');
    assertThat((await page.locator('.part.banner', { hasText: 'Restricted Mode' }).count()) === 0, 'the Restricted Mode banner is shown');
    workbenchPage = page;
  });

  await check('the Fn Mesh view shows hello-app (Fn found in the cluster)', async () => {
    await openViewContainer(workbenchPage, 'Fn Mesh');
    await treeRow(sideBarView(workbenchPage, 'Functions'), 'hello-app').waitFor({ timeout: 180_000 });
    await workbenchPage.screenshot({ path: path.join(outputDir, 'playground-workbench.png') });
  });

  await check('nothing unrelated in the way: no editor (welcome page, walkthrough), panel, secondary side bar or notification', async () => {
    const page = workbenchPage;
    // Still no trust prompt or Restricted Mode once the extension is busy.
    assertThat((await statusBarItem(page, 'Restricted Mode').count()) === 0, 'the status bar shows Restricted Mode');
    const tabs = await page.locator('[id="workbench.parts.editor"] .tab').allTextContents();
    assertThat(tabs.length === 0, `editors are open: ${tabs.join(', ')}`);
    assertThat(!(await page.locator('.part.panel').isVisible()), 'the panel is open');
    assertThat(!(await page.locator('.part.auxiliarybar').isVisible()), 'the secondary side bar is open');
    const toasts = await page.locator('.notifications-toasts .notification-toast .notification-list-item-message').allTextContents();
    assertThat(toasts.length === 0, `notifications are shown: ${toasts.join(' | ')}`);
  });
  await browser?.close().catch(() => {});
  browser = undefined;

  // Ctrl-C runs even after a failed check (but only once the playground is up), so nothing is left.
  const wasSkipping = skipRest;
  skipRest = !playground || playground.exitCode !== null;
  await check('Ctrl-C (SIGINT to its process group) stops the playground', async () => {
    collect(); // the latest ones too (port-forwards, function processes)
    process.kill(-playground.pid, 'SIGINT');
    const how = await Promise.race([playgroundExit, sleep(STOP_MS).then(() => 'still running')]);
    assertThat(how !== 'still running', `the playground still runs ${STOP_MS / 1000} s after SIGINT`);
    assertThat(/stopping everything the playground started/.test(fs.readFileSync(playgroundLog, 'utf8')), 'it did not say it stopped everything');
  });
  await check('no process it started is left', async () => {
    const left = [...seen].filter(([pid, p]) => alive(pid, p.startTime)).map(([pid, p]) => `${pid} ${p.command}`);
    assertThat(left.length === 0, `still running after the playground exited:\n  ${left.join('\n  ')}`);
    assertThat(seen.size > 0, 'no process was collected');
  });
  skipRest = !playground || (playground.exitCode === null && playground.signalCode === null); // checked even when a process is left
  await check('every port they listened on is free', async () => {
    const taken = [];
    for (const address of listening) {
      if (await answers(address)) {
        taken.push(address);
      }
    }
    assertThat(taken.length === 0, `still listening: ${taken.join(' ')}`);
  });
  skipRest = skipRest || wasSkipping;

  const code = reportResults(results, { kind: 'playground', files: 'checks' });
  console.log(`playground test: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return code;
}

/** Adds every process with the marker in its environment, and what it listens on, to `seen`. */
function collect() {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) {
      continue;
    }
    const pid = Number(entry);
    try {
      const environ = fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      if (!environ.includes(marker)) {
        continue;
      }
      const command = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
      seen.set(pid, { startTime: startTime(pid), command: command.slice(0, 200) });
    } catch {
      // gone meanwhile, or not readable
    }
  }
  const ss = execFileSync('ss', ['-Hltnp'], { encoding: 'utf8' });
  for (const line of ss.split('\n')) {
    const address = line.trim().split(/\s+/)[3];
    const pids = [...line.matchAll(/pid=(\d+)/g)].map((m) => Number(m[1]));
    if (address && pids.some((pid) => seen.has(pid))) {
      listening.add(address);
    }
  }
}

/** Field 22 of /proc/<pid>/stat (after the command in parentheses), or undefined when gone. */
function startTime(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0], start: fields[19] };
  } catch {
    return undefined;
  }
}

/** The same process (same start time) still exists and is not a zombie waiting to be reaped. */
function alive(pid, was) {
  const now = startTime(pid);
  return now !== undefined && now.start === was?.start && now.state !== 'Z';
}

/** Whether something accepts a TCP connection at "host:port" ("*:port" and "[::]:port" are tried on 127.0.0.1). */
function answers(address) {
  const i = address.lastIndexOf(':');
  let host = address.slice(0, i).replace(/^\[|\]$/g, '');
  if (host === '*' || host === '0.0.0.0' || host === '::') {
    host = '127.0.0.1';
  }
  host = host.replace(/%.*$/, '');
  return new Promise((resolve) => {
    const socket = net.connect({ host, port: Number(address.slice(i + 1)) });
    socket.setTimeout(3_000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(false));
  });
}

function assertThat(ok, message) {
  if (!ok) {
    throw new Error(message);
  }
}

/** After a failure or a signal: the playground's group first (its own stop commands), then each survivor by pid. */
async function stopAll() {
  await browser?.close().catch(() => {});
  if (playground && playground.exitCode === null && playground.signalCode === null) {
    try {
      process.kill(-playground.pid, 'SIGTERM');
    } catch {
      // already gone
    }
    await Promise.race([playgroundExit, sleep(STOP_MS)]);
  }
  for (const [pid, p] of seen) {
    if (alive(pid, p.startTime)) {
      console.log(`playground test: stopping the leftover ${pid} ${p.command}`);
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
  }
}

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(sig, () => {
    console.error(`\nplayground test: ${sig}, stopping`);
    void stopAll().finally(() => process.exit(130));
  });
}

main().then(
  async (code) => {
    await stopAll();
    process.exit(code);
  },
  async (err) => {
    await stopAll();
    reportLauncherFailure(`playground test: ${err instanceof LauncherError ? err.message : err.stack}`);
    process.exit(1);
  },
);
