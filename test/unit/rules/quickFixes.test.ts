import * as assert from 'node:assert/strict';
import type { RuleCode } from '../../../src/rules/codes';
import type { FileEdit, QuickFix } from '../../../src/rules/quickFixes';
import { normalizedWeights, quickFixesFor } from '../../../src/rules/quickFixes';
import { validateFile } from '../../../src/rules/validate';
import { WorkspaceIndex } from '../../../src/rules/workspaceIndex';
import { parseYaml } from '../../../src/rules/yamlDocuments';
import { applyEdits, schemas, yaml } from './helpers/rules';

/** Indexes the files, finds the first problem with `code` in `uri` and returns its fixes. */
function fixesFor(files: Record<string, string>, uri: string, code: RuleCode): QuickFix[] {
  const index = new WorkspaceIndex();
  for (const [u, text] of Object.entries(files)) {
    index.setFile(u, parseYaml(text));
  }
  const problem = validateFile(uri, index, schemas()).find((p) => p.code === code);
  assert.ok(problem, `no ${code} in ${uri}`);
  return quickFixesFor(problem, uri, index);
}

/** The files after applying one fix. */
function apply(files: Record<string, string>, fix: QuickFix): Record<string, string> {
  const out = { ...files };
  const byUri = new Map<string, FileEdit[]>();
  for (const e of fix.edits) {
    byUri.set(e.uri, [...(byUri.get(e.uri) ?? []), e]);
  }
  for (const [uri, edits] of byUri) {
    out[uri] = applyEdits(files[uri], edits);
  }
  return out;
}

function remaining(files: Record<string, string>): string[] {
  const index = new WorkspaceIndex();
  for (const [u, text] of Object.entries(files)) {
    index.setFile(u, parseYaml(text));
  }
  return Object.keys(files).flatMap((u) => validateFile(u, index, schemas()).map((p) => `${u} ${p.code}`));
}

const head = ['apiVersion: networking.istio.io/v1', 'kind: VirtualService', 'metadata:', '  name: hello-app', 'spec:', '  hosts: [hello-app]'];
const rule = yaml(
  '# subsets for hello-app',
  'apiVersion: networking.istio.io/v1',
  'kind: DestinationRule',
  'metadata:',
  '  name: hello-app',
  'spec:',
  '  host: hello-app',
  '  subsets:',
  '  - name: v1',
  '    labels:',
  '      version: v1 # first',
  '  - name: v2',
  '    labels: {version: v2}',
);

describe('rules/quickFixes', () => {
  it('normalizes weights with the largest remainder without moving traffic (a missing weight is 0), or splits a zero total evenly', () => {
    assert.deepEqual(normalizedWeights([1, 1, 1]), [34, 33, 33]);
    assert.deepEqual(normalizedWeights([30, 30, undefined]), [50, 50, 0]);
    assert.deepEqual(normalizedWeights([90, undefined]), [100, 0]);
    assert.deepEqual(normalizedWeights([3, 1]), [75, 25]);
    assert.deepEqual(normalizedWeights([0, 0]), [50, 50]);
    assert.deepEqual(normalizedWeights([undefined, undefined]), [50, 50]);
    assert.deepEqual(normalizedWeights([2, 1, 1]), [50, 25, 25]);
    // Gateway API: a backendRef without a weight has weight 1.
    assert.deepEqual(normalizedWeights([1, undefined], 1), [50, 50]);
    assert.deepEqual(normalizedWeights([3, undefined], 1), [75, 25]);
  });

  it('FNM203: normalize weights keeps comments and layout', () => {
    const files = {
      'vs.yaml': yaml(...head, '  http:', '  - route:', '    - destination: {host: hello-app, subset: v1}', '      weight: 3   # most', '    - destination: {host: hello-app, subset: v2}', '      weight: 1'),
      'dr.yaml': rule,
    };
    const [fix] = fixesFor(files, 'vs.yaml', 'FNM203');
    assert.equal(fix.title, 'Normalize weights to add up to 100 (same traffic)');
    assert.equal(fix.preferred, true);
    const fixed = apply(files, fix);
    assert.equal(fixed['vs.yaml'], yaml(...head, '  http:', '  - route:', '    - destination: {host: hello-app, subset: v1}', '      weight: 75   # most', '    - destination: {host: hello-app, subset: v2}', '      weight: 25'));
    assert.deepEqual(remaining(fixed), []);
  });

  it('FNM205: normalize weights writes the 0 Istio applies to the missing weight: traffic does not move', () => {
    const files = {
      'vs.yaml': yaml(...head, '  http:', '  - route:', '    - destination: {host: hello-app, subset: v1}', '      weight: 90', '    - destination:', '        host: hello-app', '        subset: v2'),
      'dr.yaml': rule,
    };
    const fixed = apply(files, fixesFor(files, 'vs.yaml', 'FNM205')[0]);
    assert.equal(
      fixed['vs.yaml'],
      yaml(...head, '  http:', '  - route:', '    - destination: {host: hello-app, subset: v1}', '      weight: 100', '    - destination:', '        host: hello-app', '        subset: v2', '      weight: 0'),
    );
    assert.deepEqual(remaining(fixed), []);
  });

  it('FNM202: several destinations without weights get an even split, offered but not preferred', () => {
    const files = { 'vs.yaml': yaml(...head, '  http:', '  - route:', '    - destination: {host: hello-app, subset: v1}', '    - destination: {host: hello-app, subset: v2}'), 'dr.yaml': rule };
    const [fix] = fixesFor(files, 'vs.yaml', 'FNM202');
    assert.equal(fix.preferred, false);
    const fixed = apply(files, fix);
    assert.equal(
      fixed['vs.yaml'],
      yaml(...head, '  http:', '  - route:', '    - destination: {host: hello-app, subset: v1}', '      weight: 50', '    - destination: {host: hello-app, subset: v2}', '      weight: 50'),
    );
    assert.deepEqual(remaining(fixed), []);
  });

  it('FNM203 on an HTTPRoute: backendRef weights are normalized too (a missing one counts as 1)', () => {
    const route = (w1: string, w2: string): string =>
      yaml(
        'apiVersion: gateway.networking.k8s.io/v1',
        'kind: HTTPRoute',
        'metadata: {name: web}',
        'spec:',
        '  rules:',
        '  - backendRefs:',
        `    - {name: web-v1, port: 8080${w1}}`,
        `    - {name: web-v2, port: 8080${w2}}`,
      );
    const files = { 'route.yaml': route(', weight: 3', ', weight: 1') };
    const [fix] = fixesFor(files, 'route.yaml', 'FNM203');
    assert.equal(apply(files, fix)['route.yaml'], route(', weight: 75', ', weight: 25'));
  });

  it('FNM204: removes the weight of a single destination, in block and flow style', () => {
    const block = { 'vs.yaml': yaml(...head, '  http:', '  - route:', '    - weight: 50', '      destination: {host: hello-app}', '    timeout: 5s') };
    const fixedBlock = apply(block, fixesFor(block, 'vs.yaml', 'FNM204')[0]);
    assert.equal(fixedBlock['vs.yaml'], yaml(...head, '  http:', '  - route:', '    - destination: {host: hello-app}', '    timeout: 5s'));
    const flow = { 'vs.yaml': yaml(...head, '  http:', '  - route:', '    - {destination: {host: hello-app}, weight: 50}') };
    const fixedFlow = apply(flow, fixesFor(flow, 'vs.yaml', 'FNM204')[0]);
    assert.equal(fixedFlow['vs.yaml'], yaml(...head, '  http:', '  - route:', '    - {destination: {host: hello-app}}'));
    assert.deepEqual(remaining(fixedFlow), []);
  });

  it('FNM301: adds the missing subset to the DestinationRule in its own file', () => {
    const files = { 'vs.yaml': yaml(...head, '  http:', '  - route:', '    - destination: {host: hello-app, subset: v3}'), 'dr.yaml': rule };
    const [fix] = fixesFor(files, 'vs.yaml', 'FNM301');
    assert.equal(fix.title, 'Add subset v3 to DestinationRule hello-app');
    assert.deepEqual(fix.edits.map((e) => e.uri), ['dr.yaml']);
    const fixed = apply(files, fix);
    assert.equal(fixed['dr.yaml'], `${rule}  - name: v3\n    labels:\n      version: v3\n`);
    assert.deepEqual(remaining(fixed), []);
  });

  it('FNM301: adds the subset to a flow sequence too', () => {
    const flowRule = yaml('apiVersion: networking.istio.io/v1', 'kind: DestinationRule', 'metadata: {name: hello-app}', 'spec:', '  host: hello-app', '  subsets: [{name: v1, labels: {version: v1}}]');
    const files = { 'vs.yaml': yaml(...head, '  http:', '  - route:', '    - destination: {host: hello-app, subset: v2}'), 'dr.yaml': flowRule };
    const fixed = apply(files, fixesFor(files, 'vs.yaml', 'FNM301')[0]);
    assert.match(fixed['dr.yaml'], /subsets: \[\{name: v1, labels: \{version: v1\}\}, \{ name: v2, labels: \{ version: v2 \} \}\]/);
    assert.deepEqual(remaining(fixed), []);
  });

  it('FNM301: creates the missing DestinationRule with every subset the VirtualService uses', () => {
    const vs = yaml(...head, '  http:', '  - route:', '    - destination: {host: hello-app, subset: v1}', '      weight: 50', '    - destination: {host: hello-app, subset: v2}', '      weight: 50');
    const files = { 'vs.yaml': vs };
    const [fix] = fixesFor(files, 'vs.yaml', 'FNM301');
    assert.equal(fix.title, 'Create a DestinationRule for hello-app with subsets v1, v2');
    const fixed = apply(files, fix);
    assert.equal(
      fixed['vs.yaml'],
      vs +
        yaml(
          '---',
          'apiVersion: networking.istio.io/v1',
          'kind: DestinationRule',
          'metadata:',
          '  name: hello-app',
          'spec:',
          '  host: hello-app',
          '  subsets:',
          '  - name: v1',
          '    labels:',
          '      version: v1',
          '  - name: v2',
          '    labels:',
          '      version: v2',
        ),
    );
    assert.deepEqual(remaining(fixed), []);
  });

  it('FNM402: qualifies the gateway as namespace/name', () => {
    const gateway = yaml('apiVersion: networking.istio.io/v1', 'kind: Gateway', 'metadata: {name: ingress, namespace: istio-system}', 'spec: {selector: {istio: ingressgateway}, servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]}');
    const files = { 'vs.yaml': yaml(...head, '  gateways:', '  - ingress', '  http:', '  - route:', '    - destination: {host: hello-app}'), 'gw.yaml': gateway };
    const [fix] = fixesFor(files, 'vs.yaml', 'FNM402');
    assert.equal(fix.title, 'Qualify the gateway as istio-system/ingress');
    const fixed = apply(files, fix);
    assert.match(fixed['vs.yaml'], /\n {2}- istio-system\/ingress\n/);
    assert.deepEqual(remaining(fixed), []);
  });

  it('offers nothing for codes without a fix', () => {
    const files = { 'vs.yaml': yaml(...head, '  http:', '  - route:', '    - destination: {host: hello-app}', '    fault: {}') };
    assert.deepEqual(fixesFor(files, 'vs.yaml', 'FNM501'), []);
  });
});
