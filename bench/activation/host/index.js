// Runs inside the real VS Code extension host (as the workbench's extensionTestsPath): activates a
// small built-in extension (the baseline), then Fn Mesh, timing each `activate()` from the call to
// its resolution, and lists every module file that Fn Mesh's activation added to Node's module
// cache. Writes the figures as JSON to $FN_MESH_BENCH_RESULTS. CommonJS, no build step.
'use strict';
const fs = require('node:fs');
const Module = require('node:module');
const vscode = require('vscode');

/**
 * The extension's own share of an activation: evaluating its main module (`loadMs`) and the
 * synchronous activate() call (`callMs`), as seen by wrapping Node's module loader; the rest of
 * an activate() is the host's bookkeeping. Keyed by the main file's path.
 */
const own = new Map();
const mains = [/[\\/]dist[\\/]extension(\.js)?$/];
const load = Module._load;
Module._load = function (request, ...rest) {
  if (!mains.some((re) => re.test(request))) {
    return load.call(this, request, ...rest);
  }
  const start = performance.now();
  const exports = load.call(this, request, ...rest);
  const entry = { loadMs: performance.now() - start, callMs: 0 };
  own.set(request, entry);
  if (typeof exports?.activate !== 'function') {
    return exports;
  }
  const activate = exports.activate;
  return {
    ...exports,
    activate(...args) {
      const callStart = performance.now();
      try {
        return activate.apply(this, args);
      } finally {
        entry.callMs = performance.now() - callStart;
      }
    },
  };
};

const fnMeshId = 'fn-mesh.fn-mesh';
/** Built-in, lazy (activates on a command), a tree view like Fn Mesh's: about 27 KB of code. */
const baselineId = 'vscode.references-view';

async function timeActivation(id) {
  const ext = vscode.extensions.getExtension(id);
  if (!ext) {
    throw new Error(`extension ${id} is not in this host`);
  }
  if (ext.isActive) {
    throw new Error(`extension ${id} was already active: its activation cannot be timed`);
  }
  own.clear();
  const start = performance.now();
  await ext.activate();
  const totalMs = performance.now() - start;
  const [entry] = [...own.values()];
  return { totalMs, ownMs: entry ? entry.loadMs + entry.callMs : undefined, loadMs: entry?.loadMs, callMs: entry?.callMs };
}

exports.run = async function run() {
  const result = {};
  try {
    // The first activation in a fresh host pays some of the host's warm-up: the launcher
    // alternates which extension goes first (FN_MESH_BENCH_FIRST=fn-mesh|baseline).
    const fnMeshFirst = process.env.FN_MESH_BENCH_FIRST === 'fn-mesh';
    if (!fnMeshFirst) {
      result.baseline = await timeActivation(baselineId);
    }
    const before = new Set(Object.keys(require.cache));
    result.fnMesh = await timeActivation(fnMeshId);
    result.loaded = Object.keys(require.cache)
      .filter((file) => !before.has(file))
      .map((file) => ({ file, bytes: fs.existsSync(file) ? fs.statSync(file).size : 0 }));
    if (fnMeshFirst) {
      result.baseline = await timeActivation(baselineId);
    }
    result.first = fnMeshFirst ? 'fn-mesh' : 'baseline';
  } catch (err) {
    result.error = err instanceof Error ? err.stack : String(err);
  }
  fs.writeFileSync(process.env.FN_MESH_BENCH_RESULTS, JSON.stringify(result));
};
