#!/usr/bin/env node
// Activation of Fn Mesh in the real VS Code extension host (code-server's VS Code server and
// headless Chromium, as the host tests use), against a built-in extension activated in the same
// host just before. Each run starts a fresh server and browser. Prints, per run and as medians:
// the activate() time of both and their ratio, and what Fn Mesh's activation loaded (files, bytes),
// failing if that includes anything but dist/extension.js (client-node, a parser, the rule worker,
// a feature bundled apart) or a package. The extension's own share (evaluating dist/extension.js,
// the activate() call) is timed apart from the host's bookkeeping around it.
//
//   npm run build && node bench/activation/activation.bench.mjs [runs=6]
//
// Runs alternate which extension activates first (the first pays part of the host's warm-up).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Workbench, checkBuilt, createRunDir, mkdir, repoRoot, resolveHostDir, sleep, stateDir, userSettings } from '../../test/launchers/common.mjs';

const runs = Number(process.argv[2] ?? 6);
const targetMs = 25;
/**
 * Loaded lazily by the features that need them, never by activation: every file of dist/ but
 * extension.js (client-node, the parsers, the rule worker, the features bundled apart), and any
 * package.
 */
const heavy = [/^dist[\\/](?!extension\.js$)/, /[\\/]node_modules[\\/]/];

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

async function oneRun(hostDir, first) {
  const runDir = createRunDir(stateDir('bench-activation'));
  const resultsFile = path.join(runDir, 'results.json');
  const workbench = new Workbench({ hostDir, dir: runDir });
  try {
    await workbench.start({
      settings: userSettings(),
      workspace: mkdir(runDir, 'workspace'),
      payload: { extensionDevelopmentPath: repoRoot, extensionTestsPath: path.join(repoRoot, 'bench', 'activation', 'host') },
      serverEnv: { FN_MESH_BENCH_RESULTS: resultsFile, FN_MESH_BENCH_FIRST: first },
    });
    const deadline = Date.now() + 180_000;
    while (!fs.existsSync(resultsFile)) {
      if (Date.now() > deadline) {
        throw new Error(`no results from the extension host within 180 s (see ${runDir})`);
      }
      await sleep(200);
    }
    await sleep(100);
    return JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
  } finally {
    await workbench.stop();
    fs.rmSync(runDir, { recursive: true, force: true });
  }
}

checkBuilt({ hostTests: false });
const hostDir = resolveHostDir();
const bundle = path.join(repoRoot, 'dist', 'extension.js');
console.log(`dist/extension.js: ${fs.statSync(bundle).size} bytes; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
const results = [];
for (let i = 0; i < runs; i++) {
  const r = await oneRun(hostDir, i % 2 === 0 ? 'baseline' : 'fn-mesh');
  if (r.error) {
    console.error(`run ${i + 1}: ${r.error}`);
    process.exit(1);
  }
  const loadedBytes = r.loaded.reduce((sum, f) => sum + f.bytes, 0);
  const ms = (x) => (x === undefined ? '?' : x.toFixed(1));
  console.log(
    `run ${i + 1} (${r.first} first): activate() fn-mesh ${ms(r.fnMesh.totalMs)} ms, baseline ${ms(r.baseline.totalMs)} ms, ratio ${(r.fnMesh.totalMs / r.baseline.totalMs).toFixed(2)}; ` +
      `own share (module load + activate call) fn-mesh ${ms(r.fnMesh.loadMs)} + ${ms(r.fnMesh.callMs)} ms, baseline ${ms(r.baseline.ownMs)} ms; ` +
      `loaded ${r.loaded.length} files, ${loadedBytes} bytes; load ${os.loadavg()[0].toFixed(2)}`,
  );
  results.push({ ...r, loadedBytes });
}
const last = results[results.length - 1];
for (const f of last.loaded) {
  console.log(`  loaded by activation: ${path.relative(repoRoot, f.file)} (${f.bytes} bytes)`);
}
const heavyLoaded = last.loaded.filter((f) => heavy.some((re) => re.test(path.relative(repoRoot, f.file))));
const fnMesh = median(results.map((r) => r.fnMesh.totalMs));
const baseline = median(results.map((r) => r.baseline.totalMs));
const fnMeshOwn = median(results.map((r) => r.fnMesh.ownMs ?? Number.NaN));
const baselineOwn = median(results.map((r) => r.baseline.ownMs ?? Number.NaN));
console.log(`median of ${runs}: activate() fn-mesh ${fnMesh.toFixed(1)} ms, baseline ${baseline.toFixed(1)} ms, ratio ${(fnMesh / baseline).toFixed(2)}`);
console.log(`median of ${runs}: own share fn-mesh ${fnMeshOwn.toFixed(1)} ms, baseline ${baselineOwn.toFixed(1)} ms, ratio ${(fnMeshOwn / baselineOwn).toFixed(2)} (target < ${targetMs} ms)`);
if (heavyLoaded.length > 0) {
  console.error(`FAIL: activation loaded heavy modules: ${heavyLoaded.map((f) => path.relative(repoRoot, f.file)).join(', ')}`);
  process.exit(1);
}
console.log(fnMesh < targetMs && fnMeshOwn < targetMs ? 'PASS: under target' : `MISS: ${fnMeshOwn < targetMs ? 'the own share is under' : 'over'} the ${targetMs} ms target${fnMeshOwn < targetMs ? ', the whole activate() is not' : ''}`);
