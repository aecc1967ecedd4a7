// The command-line checker, run as a child process on files written for each test.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot, yaml } from '../helpers/rules';

const cli = path.join(repoRoot, 'out', 'src', 'rules', 'cli', 'cli.js');

const destinationRule = yaml('apiVersion: networking.istio.io/v1', 'kind: DestinationRule', 'metadata: {name: web}', 'spec:', '  host: web', '  subsets:', '  - name: v1', '    labels: {version: v1}');
const unknownSubset = yaml('apiVersion: networking.istio.io/v1', 'kind: VirtualService', 'metadata: {name: web}', 'spec:', '  hosts: [web]', '  http:', '  - route:', '    - destination: {host: web, subset: v9}');
const secondRule = destinationRule.replace('name: web}', 'name: web-2}'); // FNM306: a warning

function workspace(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fn-mesh-cli-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

function run(cwd: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('rules/cli (child process)', function () {
  this.timeout(60_000);
  const dirs: string[] = [];
  const ws = (files: Record<string, string>): string => {
    const d = workspace(files);
    dirs.push(d);
    return d;
  };
  after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('text: one compiler-style line per problem across a folder, exit 2 on an error', () => {
    const dir = ws({ 'k8s/vs.yaml': unknownSubset, 'k8s/dr.yaml': destinationRule, 'ci/workflow.yml': 'on: push\n', 'node_modules/x/bad.yaml': unknownSubset });
    const r = run(dir, 'check', '.');
    assert.equal(r.status, 2, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.deepEqual(lines.slice(0, -1), [`${path.join('k8s', 'vs.yaml')}:8:40: error FNM301 DestinationRule default/web has no subset 'v9' (it has v1)`]);
    assert.match(lines[lines.length - 1], /^3 YAML file\(s\), 2 with rules: 1 error\(s\), 0 warning\(s\), 0 information$/);
  });

  it('exit 1 when the worst is a warning, 0 when clean; files and folders mix', () => {
    const dir = ws({ 'a.yaml': destinationRule, 'more/b.yaml': secondRule, 'clean/dr.yaml': destinationRule });
    const warned = run(dir, 'check', 'a.yaml', 'more');
    assert.equal(warned.status, 1, warned.stdout);
    assert.match(warned.stdout, /warning FNM306/);
    assert.equal(run(dir, 'check', 'clean').status, 0);
  });

  it('json: the engine problems per file, with 0-based ranges', () => {
    const dir = ws({ 'vs.yaml': unknownSubset, 'dr.yaml': destinationRule });
    const r = run(dir, 'check', '.', '--format', 'json');
    assert.equal(r.status, 2);
    const out = JSON.parse(r.stdout) as { files: { file: string; problems: { code: string; range: unknown }[] }[] };
    assert.deepEqual(
      out.files.map((f) => [f.file, f.problems.map((p) => p.code)]),
      [
        ['dr.yaml', []],
        ['vs.yaml', ['FNM301']],
      ],
    );
    assert.deepEqual(out.files[1].problems[0].range, { start: { line: 7, character: 39 }, end: { line: 7, character: 41 } });
  });

  it('sarif 2.1.0: rule ids are FNM codes with help links, 1-based regions with an exclusive end', () => {
    const dir = ws({ 'vs.yaml': unknownSubset, 'dr.yaml': destinationRule, 'dr2.yaml': secondRule });
    const r = run(dir, 'check', '.', '--format', 'sarif', '--docs-url', 'https://example.org/docs/rules.md');
    assert.equal(r.status, 2);
    const sarif = JSON.parse(r.stdout) as {
      version: string;
      runs: { tool: { driver: { rules: { id: string; helpUri: string }[] } }; results: { ruleId: string; ruleIndex: number; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: Record<string, number> } }[] }[] }[];
    };
    assert.equal(sarif.version, '2.1.0');
    const run0 = sarif.runs[0];
    assert.deepEqual(
      run0.tool.driver.rules.map((x) => [x.id, x.helpUri]),
      [
        ['FNM301', 'https://example.org/docs/rules.md#fnm301'],
        ['FNM306', 'https://example.org/docs/rules.md#fnm306'],
      ],
    );
    const subset = run0.results.find((x) => x.ruleId === 'FNM301');
    assert.ok(subset);
    assert.equal(subset.level, 'error');
    assert.equal(run0.tool.driver.rules[subset.ruleIndex].id, 'FNM301');
    assert.deepEqual(subset.locations[0].physicalLocation, { artifactLocation: { uri: 'vs.yaml' }, region: { startLine: 8, startColumn: 40, endLine: 8, endColumn: 42 } });
    assert.ok(run0.results.some((x) => x.ruleId === 'FNM306' && x.level === 'warning'));
  });

  it('bad usage and missing paths exit 3 with the reason on stderr', () => {
    const dir = ws({});
    for (const [args, reason] of [
      [['check'], /No file or folder given/],
      [['lint', '.'], /Unknown command: lint/],
      [['check', '.', '--format', 'xml'], /Unknown format: xml/],
      [['check', 'nowhere.yaml'], /No such file or folder: nowhere\.yaml/],
    ] as const) {
      const r = run(dir, ...args);
      assert.equal(r.status, 3, args.join(' '));
      assert.match(r.stderr, reason);
      assert.equal(r.stdout, '');
    }
  });
});
