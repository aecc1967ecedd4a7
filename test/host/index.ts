// In-host test runner: VS Code loads this module inside the extension host
// (extensionTestsPath) and awaits run(). It runs every `*.test.js` beside it
// (compiled from test/host/**/*.test.ts) with mocha's tdd UI.
//
// The extension host's exit code is not trustworthy under the browser-based
// test host, so the results also go to a JSON file that the launchers read:
// $FN_MESH_TEST_RESULTS, or RESULTS_FALLBACK in the OS temp folder.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type Mocha from 'mocha';

export const RESULTS_FALLBACK = 'fn-mesh-host-test-results.json';
const TEST_TIMEOUT_MS = 20_000;

type TestState = 'passed' | 'failed' | 'pending';

interface TestRecord {
  title: string;
  file?: string;
  state: TestState;
  durationMs?: number;
}

interface Failure {
  title: string;
  error: string;
}

/** Shape of the results file; the launchers in test/launchers read it. */
export interface HostTestResults {
  passed: number;
  failed: number;
  pending: number;
  failures: Failure[];
  tests: TestRecord[];
}

export async function run(): Promise<void> {
  const results: HostTestResults = { passed: 0, failed: 0, pending: 0, failures: [], tests: [] };
  try {
    // mocha 12 is an ES module: import() loads it on any Node, while require()
    // of ESM needs Node >= 20.19 (older VS Code builds for test-electron have less).
    const { default: MochaClass } = await import('mocha');
    const mocha = new MochaClass({
      ui: 'tdd',
      color: false,
      timeout: TEST_TIMEOUT_MS,
      // A regular expression over full test titles; /pattern/flags works too.
      grep: process.env.FN_MESH_TEST_GREP || undefined,
    });
    for (const file of findTestFiles(__dirname)) {
      mocha.addFile(file);
    }
    await runMocha(mocha, results);
  } catch (err) {
    // A test file that does not load is a failure, not a silent empty run.
    results.failed += 1;
    results.failures.push({ title: 'loading the host tests', error: errorText(err) });
  }
  writeResults(results);
  if (results.failed > 0) {
    throw new Error(`${results.failed} host test(s) failed`);
  }
}

function runMocha(mocha: Mocha, results: HostTestResults): Promise<void> {
  return new Promise((resolve) => {
    const runner = mocha.run(() => resolve());
    const record = (test: Mocha.Test, state: TestState): void => {
      results.tests.push({
        title: test.fullTitle(),
        file: test.file && path.relative(__dirname, test.file),
        state,
        durationMs: test.duration,
      });
    };
    runner.on('pass', (test) => {
      results.passed += 1;
      record(test, 'passed');
    });
    runner.on('pending', (test) => {
      results.pending += 1;
      record(test, 'pending');
    });
    // Also fires for failing hooks ("before all" ...), which mocha hands over as a Hook.
    runner.on('fail', (test, err) => {
      results.failed += 1;
      results.failures.push({ title: test.fullTitle(), error: errorText(err) });
      if (test.type === 'test') {
        record(test, 'failed');
      }
    });
  });
}

/** All `*.test.js` files under dir, sorted, so the order is the same on every machine. */
function findTestFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      files.push(...findTestFiles(full));
    } else if (entry.isFile() && entry.name.endsWith('.test.js')) {
      files.push(full);
    }
  }
  return files.sort();
}

function errorText(err: unknown): string {
  if (err instanceof Error) {
    return err.stack ?? `${err.name}: ${err.message}`;
  }
  return String(err);
}

/** Write then rename, so a launcher polling for the file never reads half of it. */
function writeResults(results: HostTestResults): void {
  const target = process.env.FN_MESH_TEST_RESULTS || path.join(os.tmpdir(), RESULTS_FALLBACK);
  const partial = `${target}.${process.pid}.partial`;
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(partial, JSON.stringify(results, null, 2));
  fs.renameSync(partial, target);
}
