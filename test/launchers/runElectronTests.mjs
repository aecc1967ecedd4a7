#!/usr/bin/env node
// Runs the same host suites (out/test/host) in desktop VS Code through
// @vscode/test-electron, for machines that can download VS Code. (This
// workplace cannot: its CI uses runHostTests.mjs.)
//
// test-electron downloads VS Code into .vscode-test/ on first use. On Linux
// without a display run it under Xvfb: `xvfb-run -a npm run test:electron`.
//
// Environment (all optional):
//   FN_MESH_VSCODE_VERSION   VS Code to download: 'stable' (default), 'insiders'
//                            or a version such as the oldest engines.vscode allows
//   FN_MESH_VSCODE_PATH      use this VS Code executable instead of downloading
//   FN_MESH_TEST_WORKSPACE, FN_MESH_TEST_SETTINGS,
//   FN_MESH_TEST_GREP        as for runHostTests.mjs
// Not FN_MESH_TEST_UNTRUSTED: test-electron always passes --disable-workspace-trust
// (and --no-sandbox, --skip-welcome, --skip-release-notes), so Restricted Mode
// can only be tested with runHostTests.mjs.
// The extension host inherits this process's environment (FN_API_URL, KUBECONFIG, ...).
import * as fs from 'node:fs';
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

async function main() {
  checkBuilt();
  if (process.env.FN_MESH_TEST_UNTRUSTED === '1') {
    throw new LauncherError('FN_MESH_TEST_UNTRUSTED=1 needs runHostTests.mjs: test-electron always disables Workspace Trust');
  }
  const settings = userSettings();
  // Imported here so a missing devDependency is reported as such, not as a crash on load.
  const { runTests } = await import('@vscode/test-electron').catch(() => {
    throw new LauncherError('@vscode/test-electron is not installed (npm install)');
  });

  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fn-mesh-electron-'));
  const userDataDir = path.join(runDir, 'user-data');
  const resultsFile = path.join(runDir, 'results.json');
  const workspace = path.resolve(process.env.FN_MESH_TEST_WORKSPACE || makeDir(runDir, 'workspace'));
  writeUserSettings(userDataDir, settings);

  try {
    await runTests({
      version: process.env.FN_MESH_VSCODE_VERSION || 'stable',
      vscodeExecutablePath: process.env.FN_MESH_VSCODE_PATH || undefined,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: testsPath,
      extensionTestsEnv: { FN_MESH_TEST_RESULTS: resultsFile },
      launchArgs: [
        workspace,
        '--user-data-dir', userDataDir,
        '--extensions-dir', makeDir(runDir, 'extensions'),
        '--disable-extensions', // other installed extensions; the one under development still loads
        '--disable-gpu',
      ],
    });
  } catch (err) {
    // runTests rejects when VS Code exits non-zero, which is also how a failing
    // run() ends: the results file, when there is one, says what happened.
    if (!fs.existsSync(resultsFile)) {
      throw new LauncherError(`VS Code did not run the tests: ${err.message ?? err}`);
    }
  }
  const results = readResults(resultsFile);
  if (!results) {
    throw new LauncherError('VS Code exited but the extension host never reported results');
  }
  fs.rmSync(runDir, { recursive: true, force: true });
  return reportResults(results);
}

function makeDir(parent, name) {
  const dir = path.join(parent, name);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    reportLauncherFailure(`electron tests: ${err instanceof LauncherError ? err.message : err.stack}`);
    process.exit(1);
  },
);
