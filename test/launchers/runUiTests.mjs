#!/usr/bin/env node
// Runs the UI tests (test/ui/*.ui.mjs): Playwright drives the real VS Code
// workbench, as a person would, with the extension under development loaded.
// Same test host as runHostTests.mjs (the Workbench of common.mjs), but the
// URL's payload carries only extensionDevelopmentPath, so the extension host
// stays up for as long as the checks need it.
//
// A UI module exports `sessions`: each session is one fresh workbench (its own
// server, user data and settings) and an ordered list of checks that build on
// each other:
//
//   export const sessions = [{
//     title: 'Functions view',
//     settings: async (env) => ({ 'fnMesh.fn.apiUrl': ... }),   // optional
//     workspace: async ({ dir, env }) => dir,   // optional: the folder to open, made in `dir`
//     serverEnv: async (env) => ({ PATH: ... }),  // optional: added to the server's environment
//     checks: [{ name: 'shows hello-app', timeoutMs: 60000, run: async (page, ctx) => { ... } }],
//   }];
//
// ctx: { env, settings (the session's user settings), workspace (the folder opened),
// screenshot(name, { readme }), log(text) }. A check fails by throwing; the rest of its session is then
// skipped. Each failure leaves test-output/ui-<check>-failed.png.
//
// Environment (all optional):
//   FN_MESH_TEST_SETTINGS    JSON object merged into the user settings (the session's own win)
//   FN_MESH_TEST_UNTRUSTED=1 keep Workspace Trust on (the folder opens restricted)
//   FN_MESH_TEST_WORKSPACE   folder to open (default: an empty temp folder)
//   FN_MESH_TEST_GREP        only sessions whose title, or a check's, matches this regexp
//   FN_MESH_UI_UPDATE_DOCS=1 also write the README screenshots into docs/images/
//   FN_MESH_TEST_HOST_DIR, FN_MESH_TEST_KEEP=1, FN_MESH_CHROMIUM   as for runHostTests.mjs
// The UI modules read their own (FN_MESH_TEST_FN_URL, FN_MESH_TEST_LB_URL, ...).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  LauncherError,
  Workbench,
  checkBuilt,
  createRunDir,
  mkdir,
  repoRoot,
  reportLauncherFailure,
  reportResults,
  resolveHostDir,
  stateDir,
  userSettings,
} from './common.mjs';

const env = process.env;
const uiDir = path.join(repoRoot, 'test', 'ui');
const outputDir = path.join(repoRoot, 'test-output');
const docsImagesDir = path.join(repoRoot, 'docs', 'images');
const DEFAULT_CHECK_TIMEOUT_MS = 60_000;
/** Bounds every single Playwright wait, so a check fails with the wait that hung, not just a timeout. */
const ACTION_TIMEOUT_MS = 20_000;
/** The workbench and the extension's contributions must show up within this. */
const STARTUP_TIMEOUT_MS = 90_000;

/** The session running now: what the signal handlers and the final catch must stop. */
let workbench;
const stopAll = () => workbench?.stop() ?? Promise.resolve();

async function main() {
  const started = Date.now();
  checkBuilt({ hostTests: false });
  userSettings(env); // a bad FN_MESH_TEST_SETTINGS fails the run once, before any session
  const grep = grepFromEnv();
  const sessions = (await loadSessions()).filter((s) => !grep || grep.test(s.title) || s.checks.some((c) => grep.test(c.name)));
  const hostDir = resolveHostDir();
  const runDir = createRunDir(stateDir('test-ui'));
  const workspace = path.resolve(env.FN_MESH_TEST_WORKSPACE || mkdir(runDir, 'workspace'));
  mkdir(repoRoot, 'test-output');
  console.log(`ui tests: run folder ${runDir}`);

  const results = { tests: [], failures: [], passed: 0, failed: 0, pending: 0 };
  const record = (title, state, durationMs, error) => {
    results.tests.push({ title, state, durationMs });
    results[state] += 1;
    if (error) {
      results.failures.push({ title, error });
    }
  };
  for (const [i, session] of sessions.entries()) {
    const failedBefore = results.failed;
    workbench = new Workbench({ hostDir, dir: mkdir(runDir, `session-${i + 1}-${slug(session.title)}`) });
    try {
      await runSession(session, { workbench, workspace, record });
    } finally {
      await workbench.stop();
    }
    if (results.failed > failedBefore) {
      workbench.printConsoleErrors(`ui tests: ${session.title}`);
      console.log(`ui tests: logs of "${session.title}":`);
      for (const log of workbench.logFiles()) {
        console.log(`  ${log}`);
      }
    }
  }
  const exitCode = reportResults(results, { kind: 'UI', files: 'test/ui/*.ui.mjs' });
  console.log(`ui tests: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (exitCode === 0 && env.FN_MESH_TEST_KEEP !== '1') {
    fs.rmSync(runDir, { recursive: true, force: true });
  }
  return exitCode;
}

/** One fresh workbench; its checks in order, the rest skipped after the first failure. */
async function runSession(session, { workbench, workspace, record }) {
  const startedAt = Date.now();
  console.log(`ui tests: ${session.title}: starting the workbench`);
  let page;
  let settings;
  let folder = workspace;
  const ctx = {
    env,
    get settings() {
      return settings;
    },
    get workspace() {
      return folder;
    },
    screenshot: (name, options) => screenshot(page, name, options),
    log: (text) => console.log(`ui tests:   ${text}`),
  };
  try {
    // The session's settings are its premise: they win over FN_MESH_TEST_SETTINGS.
    settings = { ...userSettings(env), ...((await session.settings?.(env)) ?? {}) };
    if (session.workspace) {
      folder = path.resolve(await session.workspace({ dir: mkdir(workbench.dir, 'workspace'), env }));
    }
    const serverEnv = (await session.serverEnv?.(env)) ?? {};
    page = await workbench.start({ settings, workspace: folder, payload: { extensionDevelopmentPath: repoRoot }, serverEnv });
    page.setDefaultTimeout(ACTION_TIMEOUT_MS);
    await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: STARTUP_TIMEOUT_MS });
  } catch (err) {
    const title = `${session.title}: set-up (settings, server, workbench)`;
    record(title, 'failed', Date.now() - startedAt, await failureText(err, page, `${slug(session.title)}-startup`));
    for (const check of session.checks) {
      record(`${session.title}: ${check.name}`, 'pending');
    }
    return;
  }

  let failed = false;
  for (const check of session.checks) {
    const title = `${session.title}: ${check.name}`;
    if (failed) {
      record(title, 'pending');
      continue;
    }
    const checkStarted = Date.now();
    try {
      await withTimeout(check.run(page, ctx), check.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS);
      record(title, 'passed', Date.now() - checkStarted);
    } catch (err) {
      failed = true;
      record(title, 'failed', Date.now() - checkStarted, await failureText(err, page, slug(check.name)));
    }
  }
}

/**
 * The error's message (Playwright's carries its call log; others get the top
 * of their stack, which points at the failing line), and where the failure
 * screenshot went.
 */
async function failureText(err, page, name) {
  const plain = err instanceof LauncherError || err?.name === 'TimeoutError' || !err?.stack;
  const text = plain ? (err?.message ?? String(err)) : topOfStack(err);
  // eslint-disable-next-line no-control-regex -- ESC starts the terminal colour codes Playwright's call logs carry
  const message = text.replace(/\x1b\[[0-9;]*m/g, '');
  const file = path.join(outputDir, `ui-${name}-failed.png`);
  if (!page) {
    return message;
  }
  try {
    await page.screenshot({ path: file, timeout: 10_000 });
    return `${message}\nscreenshot: ${path.relative(repoRoot, file)}`;
  } catch (shotErr) {
    return `${message}\n(no screenshot: ${shotErr.message.split('\n')[0]})`;
  }
}

/** The message and the first frames of the stack (its later frames are this launcher's). */
function topOfStack(err) {
  const lines = err.stack.split('\n');
  const firstFrame = lines.findIndex((line) => /^\s+at /.test(line));
  return firstFrame < 0 ? err.stack : lines.slice(0, firstFrame + 2).join('\n');
}

/**
 * A named screenshot: test-output/ui-<name>.png; with `readme` (an image the
 * README shows) also docs/images/<name>.png when FN_MESH_UI_UPDATE_DOCS=1,
 * so ordinary runs leave the repository clean.
 */
async function screenshot(page, name, { readme = false } = {}) {
  const files = [path.join(outputDir, `ui-${name}.png`)];
  if (readme && env.FN_MESH_UI_UPDATE_DOCS === '1') {
    fs.mkdirSync(docsImagesDir, { recursive: true });
    files.push(path.join(docsImagesDir, `${name}.png`));
  }
  const png = await page.screenshot();
  for (const file of files) {
    fs.writeFileSync(file, png);
    console.log(`ui tests:   screenshot ${path.relative(repoRoot, file)}`);
  }
}

/** Imports test/ui/*.ui.mjs in name order and checks what each exports. */
async function loadSessions() {
  const files = fs.existsSync(uiDir) ? fs.readdirSync(uiDir).filter((f) => f.endsWith('.ui.mjs')).sort() : [];
  const sessions = [];
  for (const file of files) {
    const mod = await import(pathToFileURL(path.join(uiDir, file)).href);
    if (!Array.isArray(mod.sessions)) {
      throw new LauncherError(`test/ui/${file} exports no \`sessions\` array`);
    }
    for (const session of mod.sessions) {
      const ok = typeof session.title === 'string' && Array.isArray(session.checks) &&
        session.checks.every((c) => typeof c.name === 'string' && typeof c.run === 'function');
      if (!ok) {
        throw new LauncherError(`test/ui/${file}: every session needs a title and checks of { name, run }`);
      }
      sessions.push(session);
    }
  }
  return sessions;
}

function grepFromEnv() {
  if (!env.FN_MESH_TEST_GREP) {
    return undefined;
  }
  try {
    return new RegExp(env.FN_MESH_TEST_GREP);
  } catch (err) {
    throw new LauncherError(`FN_MESH_TEST_GREP is not a valid regexp: ${err.message}`);
  }
}

/** Rejects after `ms`; the check's own promise is left to fail quietly when its page closes. */
function withTimeout(promise, ms) {
  promise.catch(() => {});
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new LauncherError(`the check did not finish within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A file-name-safe form of a title: its first words, lower case, joined by dashes. */
function slug(text) {
  return text.toLowerCase().match(/[a-z0-9]+/g).slice(0, 8).join('-');
}

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(sig, () => {
    console.error(`\nui tests: ${sig}, stopping`);
    void stopAll().finally(() => process.exit(130));
  });
}

main().then(
  (code) => process.exit(code),
  async (err) => {
    await stopAll();
    reportLauncherFailure(`ui tests: ${err instanceof LauncherError ? err.message : err.stack}`);
    process.exit(1);
  },
);
