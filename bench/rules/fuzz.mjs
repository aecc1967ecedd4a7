#!/usr/bin/env node
// Longer fuzz run of the rule engine (the unit test runs 300 documents). Runs on the compiled
// tests: `npx tsc -p . && node bench/rules/fuzz.mjs [documents] [seed] [budget-ms]`.
// Fails (exit 1) on the first document that throws or exceeds the time budget, printing it.
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const load = (rel) => {
  try {
    return require(path.join(root, 'out', rel));
  } catch (err) {
    console.error(`fuzz: cannot load out/${rel}: run 'npx tsc -p .' first (${err.message})`);
    process.exit(1);
  }
};
const { exercise, fuzzCorpus } = load('test/unit/rules/helpers/fuzzing.js');
const { mutate, seededRandom } = load('test/unit/rules/helpers/mutate.js');
const { WorkspaceIndex } = load('src/rules/workspaceIndex.js');
const { parseYaml } = load('src/rules/yamlDocuments.js');

const documents = Number(process.argv[2] ?? 20_000);
const seed = Number(process.argv[3] ?? Date.now() % 1_000_000);
const budgetMs = Number(process.argv[4] ?? 200);

const corpus = fuzzCorpus();
const random = seededRandom(seed);
const index = new WorkspaceIndex();
index.setFile('context.yaml', parseYaml(corpus[0]));
corpus.forEach((text) => exercise(text, index)); // warm-up: measure steady state
const times = [];
let problems = 0;
const started = Date.now();
for (let i = 0; i < documents; i++) {
  // Mutations stack: every tenth document mutates an already mutated one.
  const base = i % 10 === 9 ? mutate(corpus[i % corpus.length], random) : corpus[i % corpus.length];
  const text = mutate(base, random);
  const t0 = process.hrtime.bigint();
  try {
    problems += exercise(text, index);
  } catch (err) {
    console.error(`fuzz: document ${i} (seed ${seed}) threw:\n${err.stack}\n--- document ---\n${text}`);
    process.exit(1);
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  times.push(ms);
  if (ms > budgetMs) {
    console.error(`fuzz: document ${i} (seed ${seed}) took ${ms.toFixed(1)} ms (budget ${budgetMs}):\n${text.slice(0, 4000)}`);
    process.exit(1);
  }
}
times.sort((a, b) => a - b);
const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(2);
console.log(
  `fuzz: ${documents} documents, seed ${seed}, ${problems} problems, no throw; ` +
    `per document p50 ${q(0.5)} ms, p99 ${q(0.99)} ms, max ${q(1)} ms; total ${((Date.now() - started) / 1000).toFixed(1)} s`,
);
