// The corpus of the differential test against the real istioctl: hand-written cases (one kind of
// fault each, and their valid twins), the rule fixtures, and seeded mutations of them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mutate, seededRandom } from '../../unit/rules/helpers/mutate';
import { repoRoot } from '../../unit/rules/helpers/rules';

export interface Case {
  readonly name: string;
  readonly text: string;
  readonly origin: 'hand-written' | 'fixture' | 'mutated';
}

const doc = (...lines: string[]): string => lines.join('\n');
const dr = (ns: string, subsets = ['v1', 'v2']): string =>
  doc('apiVersion: networking.istio.io/v1', 'kind: DestinationRule', `metadata: {name: web, namespace: ${ns}}`, 'spec:', '  host: web', '  subsets:', ...subsets.flatMap((s) => [`  - name: ${s}`, `    labels: {version: ${s}}`]));
const vs = (ns: string, name: string, ...http: string[]): string =>
  doc('apiVersion: networking.istio.io/v1', 'kind: VirtualService', `metadata: {name: ${name}, namespace: ${ns}}`, 'spec:', '  hosts: [web]', '  http:', ...http);
const gw = (ns: string, name: string): string =>
  doc('apiVersion: networking.istio.io/v1', 'kind: Gateway', `metadata: {name: ${name}, namespace: ${ns}}`, 'spec:', '  selector: {istio: ingressgateway}', '  servers:', '  - port: {number: 80, name: http, protocol: HTTP}', '    hosts: ["*"]');
const join = (...docs: string[]): string => `${docs.join('\n---\n')}\n`;

export const handWritten: readonly Case[] = [
  ['valid-split', join(dr('demo'), vs('demo', 'web', '  - route:', '    - destination: {host: web, subset: v1}', '      weight: 80', '    - destination: {host: web, subset: v2}', '      weight: 20'))],
  ['unknown-subset', join(dr('demo'), vs('demo', 'web', '  - route:', '    - destination: {host: web, subset: v9}'))],
  ['negative-weight', join(dr('demo'), vs('demo', 'web', '  - route:', '    - destination: {host: web, subset: v1}', '      weight: -10', '    - destination: {host: web, subset: v2}', '      weight: 110'))],
  ['weight-over-100', join(dr('demo'), vs('demo', 'web', '  - route:', '    - destination: {host: web, subset: v1}', '      weight: 150'))],
  ['unknown-field', join(dr('demo'), vs('demo', 'web', '  - route:', '    - destination: {host: web, subset: v1}', '    timout: 5s'))],
  ['bad-duration', join(dr('demo'), vs('demo', 'web', '  - route:', '    - destination: {host: web, subset: v1}', '    timeout: 5 seconds'))],
  ['fault-without-action', join(dr('demo'), vs('demo', 'web', '  - fault: {}', '    route:', '    - destination: {host: web, subset: v1}'))],
  ['abort-status', join(dr('demo'), vs('demo', 'web', '  - fault: {abort: {httpStatus: 700, percentage: {value: 10}}}', '    route:', '    - destination: {host: web, subset: v1}'))],
  ['mirror-percentage', join(dr('demo'), vs('demo', 'web', '  - route:', '    - destination: {host: web, subset: v1}', '    mirror: {host: web, subset: v2}', '    mirrorPercentage: {value: 150}'))],
  ['duplicate-subset', join(dr('demo', ['v1', 'v1']), vs('demo', 'web', '  - route:', '    - destination: {host: web, subset: v1}'))],
  ['missing-gateway', join(dr('demo'), vs('demo', 'web', '  - route:', '    - destination: {host: web, subset: v1}').replace('  hosts: [web]', '  hosts: [web]\n  gateways: [nowhere]'))],
  ['present-gateway', join(gw('demo', 'edge'), dr('demo'), vs('demo', 'web', '  - route:', '    - destination: {host: web, subset: v1}').replace('  hosts: [web]', '  hosts: [web]\n  gateways: [edge]'))],
  ['two-vs-same-host-mesh', join(dr('demo'), vs('demo', 'web', '  - route:', '    - destination: {host: web, subset: v1}'), vs('demo', 'web-2', '  - route:', '    - destination: {host: web, subset: v2}'))],
  ['missing-host', join(dr('demo'), vs('demo', 'web', '  - route:', '    - destination: {subset: v1}'))],
  ['empty-route', join(vs('demo', 'web', '  - match:', '    - uri: {prefix: /a}'))],
].map(([name, text]) => ({ name, text, origin: 'hand-written' as const }));

/** The rule fixtures (their `# expect:` lines are comments, harmless to istioctl). */
export function fixtureCases(): Case[] {
  const dir = path.join(repoRoot, 'test', 'fixtures', 'rules', 'invalid');
  return fs
    .readdirSync(dir)
    .filter((f) => !['alias-bomb.yaml', 'tabs.yaml', 'yaml-syntax.yaml', 'duplicate-keys.yaml'].includes(f)) // YAML-level: no resource to compare
    .map((f) => ({ name: `fixture ${f}`, text: fs.readFileSync(path.join(dir, f), 'utf8'), origin: 'fixture' as const }));
}

/** Seeded mutations of the hand-written cases (deletions, swaps, hostile tokens...). */
export function mutatedCases(count: number, seed = 1313): Case[] {
  const random = seededRandom(seed);
  const out: Case[] = [];
  for (let i = 0; i < count; i++) {
    const base = handWritten[i % handWritten.length];
    out.push({ name: `mutated ${i} of ${base.name}`, text: mutate(base.text, random), origin: 'mutated' });
  }
  return out;
}
