// The worker pool in plain Node with real worker threads (the compiled ruleWorker.js).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { FileResult } from '../../../../src/rules/engine/ruleSession';
import { RuleWorkerClient } from '../../../../src/rules/engine/ruleWorkerClient';
import { fuzzCorpus } from '../helpers/fuzzing';
import { mutate, seededRandom } from '../helpers/mutate';
import { repoRoot, yaml } from '../helpers/rules';

const script = path.join(repoRoot, 'out', 'src', 'rules', 'engine', 'ruleWorker.js');
const schemaDir = path.join(repoRoot, 'schemas');

const virtualService = (subset: string): string =>
  yaml('apiVersion: networking.istio.io/v1', 'kind: VirtualService', 'metadata: {name: web}', 'spec:', '  hosts: [web]', '  http:', '  - route:', `    - destination: {host: web, subset: ${subset}}`);
const destinationRule = yaml('apiVersion: networking.istio.io/v1', 'kind: DestinationRule', 'metadata: {name: web}', 'spec:', '  host: web', '  subsets:', '  - name: v1', '    labels: {version: v1}');

/** A valid rule file of `routes` routes (~280 bytes each). */
function bigRuleFile(routes: number): string {
  const lines = ['apiVersion: networking.istio.io/v1', 'kind: VirtualService', 'metadata: {name: big}', 'spec:', '  hosts: [web]', '  http:'];
  for (let i = 0; i < routes; i++) {
    lines.push(`  - name: r${i}`, '    match:', '    - headers:', '        x-tenant:', `          exact: t${i}`, '    route:', '    - destination: {host: web, subset: v1}');
  }
  return yaml(...lines);
}

function client(results: Map<string, FileResult>, removed: string[] = [], fileTimeoutMs = 20_000): RuleWorkerClient {
  return new RuleWorkerClient({
    script,
    schemaDir,
    fileTimeoutMs,
    onResult: (r) => results.set(r.uri, r),
    onRemoved: (uris) => removed.push(...uris),
  });
}

const codes = (r: FileResult | undefined): string[] => (r ? r.problems.map((p) => p.code) : ['(no result)']);

describe('rules/engine/ruleWorkerClient (real worker threads)', function () {
  this.timeout(60_000);
  let pool: RuleWorkerClient | undefined;
  afterEach(() => pool?.dispose());

  it('validates rule files in the worker, across files, with quick fixes on demand, and clears files that stop being rules', async () => {
    const results = new Map<string, FileResult>();
    const removed: string[] = [];
    pool = client(results, removed);
    pool.setFile('vs.yaml', virtualService('v9'));
    pool.setFile('dr.yaml', destinationRule);
    pool.setFile('ci.yaml', 'on: push\n');
    await pool.validate();
    assert.deepEqual(codes(results.get('vs.yaml')), ['FNM301']);
    const fixes = await pool.fixesFor('vs.yaml', 0);
    assert.ok(fixes.length > 0 && fixes[0].edits.length > 0, 'the unknown subset’s quick fix comes from the worker');
    assert.deepEqual(await pool.fixesFor('vs.yaml', 99), [], 'no such problem: no fix');
    assert.deepEqual(codes(results.get('dr.yaml')), []);
    assert.ok(!results.has('ci.yaml'));
    pool.setFile('vs.yaml', 'not: rules\n');
    await pool.validate();
    assert.deepEqual(removed, ['vs.yaml']);
  });

  it('a newer run supersedes an older one: the last text wins', async () => {
    const results = new Map<string, FileResult>();
    pool = client(results);
    pool.setFile('dr.yaml', destinationRule);
    pool.setFile('vs.yaml', virtualService('v9'));
    const first = pool.validate();
    pool.setFile('vs.yaml', virtualService('v1'));
    const second = pool.validate();
    await Promise.all([first, second]);
    assert.deepEqual(codes(results.get('vs.yaml')), []);
  });

  it('a file that keeps the worker busy past the guard gets FNM005; the worker restarts and checks the rest', async () => {
    const results = new Map<string, FileResult>();
    const logs: string[] = [];
    pool = new RuleWorkerClient({ script, schemaDir, fileTimeoutMs: 150, onResult: (r) => results.set(r.uri, r), onRemoved: () => undefined, log: (m) => logs.push(m) });
    pool.setFile('big.yaml', bigRuleFile(6000)); // ~1.7 MB: seconds to parse, under the 2 MB refusal
    await pool.validate();
    assert.deepEqual(codes(results.get('big.yaml')), ['FNM005']);
    assert.match(results.get('big.yaml')?.problems[0].message ?? '', /took longer than 0\.1 s/);
    assert.equal(pool.restarts, 1, logs.join('\n'));
    pool.setFile('vs.yaml', virtualService('v9'));
    pool.setFile('dr.yaml', destinationRule);
    await pool.validate();
    assert.deepEqual(codes(results.get('vs.yaml')), ['FNM301'], 'the restarted worker validates other files');
    assert.deepEqual(codes(results.get('big.yaml')), ['FNM005'], 'the culprit stays out until it changes');
  });

  it('a large file validates while the calling thread stays responsive', async () => {
    const results = new Map<string, FileResult>();
    pool = client(results, [], 60_000);
    pool.setFile('big.yaml', bigRuleFile(5000)); // ~1.4 MB
    let worst = 0;
    let last = Date.now();
    const ticker = setInterval(() => {
      worst = Math.max(worst, Date.now() - last);
      last = Date.now();
    }, 10);
    const started = Date.now();
    await pool.validate();
    clearInterval(ticker);
    const took = Date.now() - started;
    assert.ok(results.has('big.yaml'));
    // On this thread the parse alone blocks for the whole run; here ticks keep coming.
    assert.ok(worst < Math.max(250, took / 4), `the calling thread was blocked ${worst} ms of a ${took} ms run`);
  });

  it('mutated documents through the worker boundary: every one answered, no restart', async () => {
    const results = new Map<string, FileResult>();
    pool = client(results, [], 10_000);
    const corpus = fuzzCorpus();
    const random = seededRandom(1313);
    for (let i = 0; i < 60; i++) {
      const text = `apiVersion: networking.istio.io/v1\n${mutate(corpus[i % corpus.length], random)}`;
      pool.setFile(`f${i}.yaml`, text);
    }
    await pool.validate();
    assert.equal(results.size, 60);
    assert.equal(pool.restarts, 0);
  });
});
