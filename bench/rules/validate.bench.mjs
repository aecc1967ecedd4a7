#!/usr/bin/env node
// Benchmark: validating a 2,000-route VirtualService (plus its DestinationRule) with Fn Mesh's
// rule engine, against plain js-yaml parsing of the same text in the same process (target: at
// most 3x js-yaml's CPU time).
//   npx tsc -p . && node --expose-gc bench/rules/validate.bench.mjs [routes] [runs]
// Reports the median wall time and CPU time (CPU time is steadier on a busy machine), with a
// full GC before each run when --expose-gc is given.
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(path.join(root, 'package.json'));
const load = (rel) => {
  try {
    return require(path.join(root, 'out', rel));
  } catch (err) {
    console.error(`bench: cannot load out/${rel}: run 'npx tsc -p .' first (${err.message})`);
    process.exit(1);
  }
};
const jsYaml = require('js-yaml');
const { parseYaml } = load('src/rules/yamlDocuments.js');
const { loadSchemaStore } = load('src/rules/schemaStore.js');
const { validateText } = load('src/rules/validate.js');

const routes = Number(process.argv[2] ?? 2000);
const runs = Number(process.argv[3] ?? 15);

/** A VirtualService with `n` header-matched weighted routes and the DestinationRule they need. */
function ruleFile(n) {
  const lines = ['apiVersion: networking.istio.io/v1', 'kind: VirtualService', 'metadata:', '  name: hello-app', 'spec:', '  hosts:', '  - hello-app', '  http:'];
  for (let i = 0; i < n; i++) {
    const w = i % 100;
    lines.push(
      `  - name: route-${i}`,
      '    match:',
      '    - headers:',
      '        x-fn-tenant:',
      `          exact: tenant-${i}`,
      '    route:',
      '    - destination:',
      '        host: hello-app',
      '        subset: v1',
      `      weight: ${w}`,
      '    - destination:',
      '        host: hello-app',
      '        subset: v2',
      `      weight: ${100 - w}`,
      '    timeout: 10s',
    );
  }
  lines.push('---', 'apiVersion: networking.istio.io/v1', 'kind: DestinationRule', 'metadata:', '  name: hello-app', 'spec:', '  host: hello-app', '  subsets:');
  for (const v of ['v1', 'v2']) {
    lines.push(`  - name: ${v}`, '    labels:', `      version: ${v}`);
  }
  return `${lines.join('\n')}\n`;
}

function measure(fn) {
  const wall = [];
  const cpu = [];
  let result;
  for (let i = 0; i < runs; i++) {
    globalThis.gc?.();
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    result = fn();
    wall.push(Number(process.hrtime.bigint() - t0) / 1e6);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
  return { wall: median(wall), cpu: median(cpu), result };
}

const text = ruleFile(routes);
const schemas = loadSchemaStore(path.join(root, 'schemas'));
// Warm-up: JIT and the schema's lazily compiled patterns.
for (let i = 0; i < 2; i++) {
  jsYaml.loadAll(text);
  validateText(text, schemas);
}
const jsyaml = measure(() => jsYaml.loadAll(text));
const parse = measure(() => parseYaml(text));
const full = measure(() => validateText(text, schemas));
const problems = full.result.length;
// The same file with one unknown subset: its problem needs ranges, which the full parser computes.
const broken = text.replace(/subset: v2\n(?![\s\S]*subset: v2\n)/, 'subset: v3\n');
const oneProblem = measure(() => validateText(broken, schemas));

const kb = (Buffer.byteLength(text) / 1024).toFixed(0);
const row = (name, m) =>
  `  ${name.padEnd(30)} ${m.wall.toFixed(1).padStart(8)} ms ${m.cpu.toFixed(1).padStart(8)} ms` +
  (m === jsyaml ? '' : `   x${(m.wall / jsyaml.wall).toFixed(1)} wall, x${(m.cpu / jsyaml.cpu).toFixed(1)} cpu`);
console.log(`rules bench: ${routes} routes, ${text.split('\n').length} lines, ${kb} KiB, median of ${runs} runs${globalThis.gc ? ', GC between runs' : ''}`);
console.log(`  ${''.padEnd(30)} ${'wall'.padStart(11)} ${'cpu'.padStart(11)}`);
console.log(row('js-yaml loadAll', jsyaml));
console.log(row('parseYaml (values + ranges)', parse));
console.log(row('validateText (all checks)', full));
console.log(row('validateText, 1 problem', oneProblem));
console.log(`  problems found: ${problems} (expected 0); with one unknown subset: ${oneProblem.result.length} (expected 1)`);
const ratio = full.cpu / jsyaml.cpu;
console.log(`  validateText / js-yaml loadAll (cpu): x${ratio.toFixed(2)} (target: at most x3)`);
if (problems !== 0 || oneProblem.result.length !== 1) {
  console.error(full.result.slice(0, 5), oneProblem.result.slice(0, 5));
  process.exit(1);
}
