// Shared by the two launchers (runHostTests.mjs, runElectronTests.mjs): where
// things are, the test user's settings, and reading and reporting the JSON
// results file that test/host/index.ts writes inside the extension host.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The compiled in-host runner (index.js) and suites (*.test.js). */
export const testsPath = path.join(repoRoot, 'out', 'test', 'host');

/** A failure of the launcher itself, reported as one message rather than a stack. */
export class LauncherError extends Error {}

/** Fails clearly when the extension bundle or the compiled tests are missing. */
export function checkBuilt() {
  const main = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).main;
  if (!main) {
    throw new LauncherError('package.json has no "main": nothing for VS Code to load');
  }
  for (const file of [path.resolve(repoRoot, main), path.join(testsPath, 'index.js')]) {
    if (!fs.existsSync(file)) {
      throw new LauncherError(`${file} is missing: build the extension and compile the tests first (npm run pretest)`);
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
  const dir = path.join(userDataDir, 'User');
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
export function reportResults(results) {
  const marks = { passed: '✔', failed: '✘', pending: '-' };
  for (const test of results.tests) {
    const ms = test.state === 'pending' || test.durationMs === undefined ? '' : ` (${test.durationMs} ms)`;
    console.log(`  ${marks[test.state] ?? '?'} ${test.title}${ms}`);
  }
  for (const [i, failure] of results.failures.entries()) {
    console.log(`\n  ${i + 1}) ${failure.title}\n${indent(failure.error, '     ')}`);
  }
  if (results.passed + results.failed === 0) {
    console.log('\nNo host test ran (is FN_MESH_TEST_GREP too narrow, or are there no *.test.js files?)');
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
