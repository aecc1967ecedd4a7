#!/usr/bin/env node
// Runs the host test suites (out/test/host) inside a real VS Code extension
// host, with no VS Code download: the VS Code server bundled in code-server
// (installed by scripts/setup-test-host.sh) serves the web workbench, and
// headless Chromium opens it with the extension under development and the
// tests module in the URL's `payload` (needs --enable-smoke-test-driver).
// Starting and stopping both is the Workbench of common.mjs.
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
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  LauncherError,
  Workbench,
  checkBuilt,
  createRunDir,
  mkdir,
  readResults,
  repoRoot,
  reportLauncherFailure,
  reportResults,
  resolveHostDir,
  sleep,
  stateDir,
  testsPath,
  userSettings,
} from './common.mjs';

const env = process.env;
const timeoutMs = Number(env.FN_MESH_TEST_TIMEOUT_MS || 600_000);
if (!(timeoutMs > 0)) {
  reportLauncherFailure(`host tests: FN_MESH_TEST_TIMEOUT_MS must be a positive number of ms, not '${env.FN_MESH_TEST_TIMEOUT_MS}'`);
  process.exit(1);
}

/** What the signal handlers and the final catch must stop, once started. */
let workbench;
const stopAll = () => workbench?.stop() ?? Promise.resolve();

async function main() {
  const started = Date.now();
  checkBuilt();
  const settings = userSettings();
  const hostDir = resolveHostDir();
  const runDir = createRunDir(stateDir('test-host'));
  const resultsFile = path.join(runDir, 'results.json');
  const workspace = path.resolve(env.FN_MESH_TEST_WORKSPACE || mkdir(runDir, 'workspace'));
  console.log(`host tests: run folder ${runDir}`);

  let exitCode = 1;
  workbench = new Workbench({ hostDir, dir: runDir });
  try {
    const page = await workbench.start({
      settings,
      workspace,
      payload: { extensionDevelopmentPath: repoRoot, extensionTestsPath: testsPath },
      serverEnv: { FN_MESH_TEST_RESULTS: resultsFile },
    });
    const results = await waitForResults(resultsFile);
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
    workbench.printConsoleErrors('host tests');
    console.log('host tests: logs (the browser console has the extension host console and mocha output):');
    for (const log of workbench.logFiles()) {
      console.log(`  ${log}`);
    }
  } else {
    fs.rmSync(runDir, { recursive: true, force: true });
  }
  return exitCode;
}

/**
 * Polls for the results file. Fails early when the server or the browser goes
 * away, or when the extension host exited without writing results (e.g. the
 * tests module did not load): the server logs that exit.
 */
async function waitForResults(resultsFile) {
  const deadline = Date.now() + timeoutMs;
  let gone;
  let hostExitedAt;
  void workbench.server.exited.then((how) => (gone ??= `the VS Code server exited (${how})`));
  workbench.browser.on('disconnected', () => (gone ??= 'the browser closed'));
  while (Date.now() < deadline) {
    const results = readResults(resultsFile);
    if (results) {
      return results;
    }
    if (gone) {
      throw new LauncherError(`${gone} before the tests reported`);
    }
    if (hostExitedAt === undefined && fs.readFileSync(workbench.serverLog, 'utf8').includes('Extension Host Process exited')) {
      hostExitedAt = Date.now();
    }
    if (hostExitedAt !== undefined && Date.now() - hostExitedAt > 3_000) {
      throw new LauncherError('the extension host exited without reporting results (did out/test/host/index.js load?)');
    }
    await sleep(500);
  }
  throw new LauncherError(`no test results after ${timeoutMs / 1000} s (the extension host never reported)`);
}

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
