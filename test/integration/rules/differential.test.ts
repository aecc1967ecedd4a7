// Differential test against the real istioctl (`istioctl analyze --use-kube=false -A -o json` and
// `istioctl validate`): for every kind of fault both cover, the same resources must be flagged;
// each known disagreement is listed below with its reason. Prints the agreement figures.
// Needs istioctl: FN_MESH_ISTIOCTL, ~/.cache/fn-mesh/bin/istioctl or PATH. Fails in CI (env CI)
// when there is none, since CI builds it; elsewhere it skips, saying why.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { IstioFinding } from '../../../src/rules/istioctl/istioctlOutput';
import { analyzeFiles, findIstioctl, validateFileWithIstioctl } from '../../../src/rules/istioctl/istioctlRun';
import type { Problem } from '../../../src/rules/problems';
import { asRecord, asString } from '../../../src/rules/resources';
import { parseYaml } from '../../../src/rules/yamlDocuments';
import { validate } from '../../unit/rules/helpers/rules';
import type { Case } from './differentialCorpus';
import { fixtureCases, handWritten, mutatedCases } from './differentialCorpus';

/** Kinds of fault both tools cover, and how each side names them. */
const categories = {
  /** The API's validation (webhook): schema, weights, durations, faults. */
  invalid: {
    fnMesh: (p: Problem) => p.severity === 'error' && /^FNM(10[1-79]|20[12]|302|50[1-6])$/.test(p.code),
    istio: (f: IstioFinding) => f.code === 'validate' || f.code === 'IST0106',
  },
  subsetReference: { fnMesh: (p: Problem) => p.code === 'FNM301', istio: (f: IstioFinding) => f.code === 'IST0101' && /subset/i.test(f.message) },
  gatewayReference: { fnMesh: (p: Problem) => p.code === 'FNM401', istio: (f: IstioFinding) => f.code === 'IST0101' && /gateway/i.test(f.message) },
} as const;
type Category = keyof typeof categories;

const emptyHost =
  'A destination without host: istioctl reports the missing host (IST0106) and also an unknown host+subset "+v1" (IST0101); Fn Mesh reports the missing host once (FNM103).';

/** Disagreements known and accepted: `case|category|Kind/ns/name` -> reason. */
const known: Record<string, string> = {
  'missing-host|subsetReference|VirtualService/demo/web': emptyHost,
  'fixture schema-fields.yaml|subsetReference|VirtualService/default/hello-app': emptyHost,
  'empty-route|invalid|VirtualService/demo/web':
    'Not yet in Fn Mesh: an HTTP route needs route, redirect or directResponse (Istio validation); a check for the rule checks, not the schema (the CRD schema does not require it).',
  'fixture api-versions.yaml|invalid|VirtualService/default/a':
    'apiVersion networking.istio.io/v2 does not exist: istioctl ignores the object, Fn Mesh reports FNM109 (not served).',
  'fixture api-versions.yaml|invalid|Gateway/default/b':
    'Not yet in Fn Mesh: a Gateway needs at least one server (Istio validation); the CRD schema does not require `servers`.',
};

interface Outcome {
  readonly agree: number;
  readonly onlyIstio: string[];
  readonly onlyFnMesh: string[];
}

const resourceKey = (kind: string | undefined, namespace: string | undefined, name: string | undefined): string => `${kind ?? '?'}/${namespace || 'default'}/${name ?? '?'}`;

function fnMeshFlags(text: string): Map<Category, Set<string>> {
  const docs = parseYaml(text).documents;
  const out = new Map<Category, Set<string>>(Object.keys(categories).map((c) => [c as Category, new Set<string>()]));
  for (const p of validate(text, { defaultNamespace: 'default' })) {
    const value = asRecord(p.documentIndex === undefined ? undefined : docs[p.documentIndex]?.value);
    const metadata = asRecord(value.metadata);
    for (const [name, c] of Object.entries(categories)) {
      if (c.fnMesh(p)) {
        out.get(name as Category)?.add(resourceKey(asString(value.kind), asString(metadata.namespace), asString(metadata.name)));
      }
    }
  }
  return out;
}

function istioFlags(findings: readonly IstioFinding[]): Map<Category, Set<string>> {
  const out = new Map<Category, Set<string>>(Object.keys(categories).map((c) => [c as Category, new Set<string>()]));
  for (const f of findings) {
    for (const [name, c] of Object.entries(categories)) {
      if (c.istio(f) && f.origin) {
        out.get(name as Category)?.add(resourceKey(f.origin.kind, f.origin.namespace, f.origin.name));
      }
    }
  }
  return out;
}

describe('rules/istioctl: differential test against the real istioctl', function () {
  this.timeout(600_000);
  const binary = findIstioctl();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fn-mesh-differential-'));
  const totals = new Map<string, Outcome>();
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    for (const [key, o] of totals) {
      const all = o.agree + o.onlyIstio.length + o.onlyFnMesh.length;
      console.log(`      agreement ${key}: ${o.agree}/${all} resources flagged by both; only istioctl ${o.onlyIstio.length}, only Fn Mesh ${o.onlyFnMesh.length}`);
      if (process.env.FN_MESH_DIFFERENTIAL_VERBOSE) {
        [...o.onlyIstio.map((r) => `only istioctl: ${r}`), ...o.onlyFnMesh.map((r) => `only Fn Mesh: ${r}`)].forEach((line) => console.log(`        ${line}`));
      }
    }
  });

  before(function () {
    if (!binary) {
      // The integration tier runs with the stack, which builds istioctl (scripts/istio.sh): never a skip.
      assert.fail('istioctl not found (FN_MESH_ISTIOCTL or PATH): start the stack with scripts/istio.sh, or run scripts/test-all.sh');
    }
  });

  /** Compares one case; returns disagreements not in `known`. */
  async function compare(c: Case): Promise<string[]> {
    const file = path.join(dir, `${c.name.replace(/[^a-z0-9]+/gi, '-')}.yaml`);
    fs.writeFileSync(file, c.text);
    let findings: IstioFinding[];
    try {
      findings = [...(await analyzeFiles(binary ?? 'istioctl', [file])).findings, ...(await validateFileWithIstioctl(binary ?? 'istioctl', file))];
    } catch {
      return []; // istioctl cannot read the file at all (broken YAML): nothing to compare
    }
    const ours = fnMeshFlags(c.text);
    const theirs = istioFlags(findings);
    const unexplained: string[] = [];
    for (const category of Object.keys(categories) as Category[]) {
      const a = ours.get(category) ?? new Set<string>();
      const b = theirs.get(category) ?? new Set<string>();
      const key = `${c.origin} ${category}`;
      const o = totals.get(key) ?? { agree: 0, onlyIstio: [], onlyFnMesh: [] };
      totals.set(key, o);
      for (const r of new Set([...a, ...b])) {
        if (a.has(r) && b.has(r)) {
          (o as { agree: number }).agree++;
          continue;
        }
        const side = a.has(r) ? 'only Fn Mesh' : 'only istioctl';
        (a.has(r) ? o.onlyFnMesh : o.onlyIstio).push(`${c.name} ${r}`);
        const id = `${c.name}|${category}|${r}`;
        if (!known[id]) {
          unexplained.push(`${id} (${side}): ${findings.map((f) => `${f.code} ${f.message}`).join('; ')}`);
        }
      }
    }
    return unexplained;
  }

  it('a broken file beside a valid one: the valid file\'s findings, the broken one reported as skipped', async () => {
    // istioctl warns about the file it cannot parse on stdout, before the JSON, and analyzes the rest.
    const good = path.join(dir, 'skip-good.yaml');
    const broken = path.join(dir, 'skip-broken.yaml');
    fs.writeFileSync(good, ['apiVersion: networking.istio.io/v1', 'kind: VirtualService', 'metadata: {name: web, namespace: demo}', 'spec:', '  hosts: [web]', '  gateways: [no-such-gateway]', '  http:', '  - route:', '    - destination: {host: web}', ''].join('\n'));
    fs.writeFileSync(broken, ['apiVersion: networking.istio.io/v1', 'kind: VirtualService', 'metadata:', '  name: broken', '  labels: [', 'spec: {}', ''].join('\n'));
    const out = await analyzeFiles(binary ?? 'istioctl', [good, broken]);
    assert.ok(
      out.findings.some((f) => f.code === 'IST0101' && /no-such-gateway/.test(f.message) && f.origin?.name === 'web'),
      `the valid file's missing gateway: ${JSON.stringify(out.findings)}`,
    );
    assert.deepEqual(
      out.skipped.map((s) => [s.file, s.document]),
      [[broken, 0]],
    );
    assert.match(out.skipped[0]?.reason ?? '', /YAML/);
    assert.ok(!out.logLines.some((l) => l.includes('skip-broken')), 'the skip warning is read, not left as a log line');
  });

  it('hand-written cases: the same resources flagged, or a listed reason', async () => {
    const unexplained: string[] = [];
    for (const c of handWritten) {
      unexplained.push(...(await compare(c)));
    }
    assert.deepEqual(unexplained, []);
  });

  it('rule fixtures: the same resources flagged, or a listed reason', async () => {
    const unexplained: string[] = [];
    for (const c of fixtureCases()) {
      unexplained.push(...(await compare(c)));
    }
    assert.deepEqual(unexplained, []);
  });

  it('mutated documents: agreement figures (printed), and no crash on either side', async () => {
    let compared = 0;
    for (const c of mutatedCases(40)) {
      await compare(c);
      compared++;
    }
    assert.equal(compared, 40);
  });
});
