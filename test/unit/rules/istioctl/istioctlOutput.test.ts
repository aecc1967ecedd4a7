import * as assert from 'node:assert/strict';
import { fileKeyOf, istioDocsUrl, parseAnalyzeJson, parseAnalyzeOutput, parseOrigin, parseSkipped, parseValidateText, placeFinding } from '../../../../src/rules/istioctl/istioctlOutput';
import { parseYaml } from '../../../../src/rules/yamlDocuments';
import { yaml } from '../helpers/rules';

const analyzeOutput = JSON.stringify([
  {
    code: 'IST0101',
    documentationUrl: 'https://istio.io/v1.31/docs/reference/config/analysis/ist0101/?ref=istioctl',
    level: 'Error',
    message: 'Referenced host+subset in destinationrule not found: "web+v9"',
    origin: 'VirtualService demo/web',
    reference: 'k8s/routes.yaml:14',
  },
  { code: 'IST0102', level: 'Info', message: 'The namespace is not enabled for Istio injection.', origin: 'Namespace demo' },
  { code: 'IST0173', level: 'Warning', message: 'DestinationRule is deprecated', origin: 'networking.istio.io/v1 DestinationRule demo/web' },
]);

const routes = yaml(
  'apiVersion: networking.istio.io/v1', // 0
  'kind: DestinationRule', // 1
  'metadata: {name: web, namespace: demo}', // 2
  'spec: {host: web}', // 3
  '---', // 4
  'apiVersion: networking.istio.io/v1', // 5
  'kind: VirtualService', // 6
  'metadata:', // 7
  '  name: web', // 8
  '  namespace: demo', // 9
  'spec:', // 10
  '  hosts: [web]', // 11
  '  http:', // 12
  '  - route:', // 13
  '    - destination: {host: web, subset: v9}', // 14 (1-based line 15)
);

describe('rules/istioctl/istioctlOutput', () => {
  it('reads analyze -o json: codes, levels, origins, references, documentation links', () => {
    const findings = parseAnalyzeJson(analyzeOutput);
    assert.deepEqual(
      findings.map((f) => [f.code, f.level, f.origin, f.reference, f.documentationUrl]),
      [
        ['IST0101', 'error', { kind: 'VirtualService', namespace: 'demo', name: 'web' }, { file: 'k8s/routes.yaml', line: 14 }, 'https://istio.io/v1.31/docs/reference/config/analysis/ist0101/'],
        ['IST0102', 'info', { kind: 'Namespace', name: 'demo' }, undefined, 'https://istio.io/latest/docs/reference/config/analysis/ist0102/'],
        ['IST0173', 'warning', { kind: 'DestinationRule', namespace: 'demo', name: 'web' }, undefined, 'https://istio.io/latest/docs/reference/config/analysis/ist0173/'],
      ],
    );
    assert.deepEqual(parseAnalyzeJson(''), []);
    assert.deepEqual(parseAnalyzeJson('[]\n'), []);
  });

  it('refuses output that is not analyze JSON, quoting it', () => {
    assert.throws(() => parseAnalyzeJson('Error: unknown flag: --bogus'), /did not print JSON: Error: unknown flag/);
    assert.throws(() => parseAnalyzeJson('{"code": 1}'), /not a list/);
  });

  it('reads past the warnings istioctl prints on stdout before the JSON, reporting each skipped file', () => {
    // As istioctl 1.31 prints it when one file of several does not parse.
    const warning = "2026-11-30T09:06:45.940119Z\twarn\tfile\terror processing /ws/k8s/broken.yaml[0]: failed converting YAML to JSON: yaml: line 6: did not find expected ',' or ']' - skipping";
    const stdout = `${warning}\n${JSON.stringify(JSON.parse(analyzeOutput), null, '\t')}\n`;
    const stderr = [
      'Error(s) adding files: 1 error occurred:',
      '\t* errors parsing content "/ws/k8s/broken.yaml": 1 error occurred:',
      "\t* error processing /ws/k8s/broken.yaml[0]: failed converting YAML to JSON: yaml: line 6: did not find expected ',' or ']'",
      "\t* error processing /ws/k8s/other.yaml[2]: failed converting YAML to JSON: yaml: line 1: mapping values are not allowed in this context",
    ].join('\n');
    const out = parseAnalyzeOutput(stdout, stderr);
    assert.deepEqual(
      out.findings.map((f) => f.code),
      ['IST0101', 'IST0102', 'IST0173'],
    );
    assert.deepEqual(out.skipped, [
      { file: '/ws/k8s/broken.yaml', document: 0, reason: "failed converting YAML to JSON: yaml: line 6: did not find expected ',' or ']'" },
      { file: '/ws/k8s/other.yaml', document: 2, reason: 'failed converting YAML to JSON: yaml: line 1: mapping values are not allowed in this context' },
    ]);
    assert.deepEqual(out.logLines, []);
    // Only the warning, no findings (the broken file was the only one with objects).
    assert.deepEqual(parseAnalyzeOutput(`${warning}\n[]\n`).skipped.map((s) => s.file), ['/ws/k8s/broken.yaml']);
    // Other log lines before and after the JSON are kept for the log.
    const other = parseAnalyzeOutput(`2026-11-30T09:00:00Z\tinfo\tsomething [x]\n[]\ntrailing note {y}\n`);
    assert.deepEqual([other.findings, other.logLines], [[], ['2026-11-30T09:00:00Z\tinfo\tsomething [x]', 'trailing note {y}']]);
    assert.deepEqual(parseAnalyzeJson(`${warning}\n${analyzeOutput}`).length, 3);
  });

  it('reads a skip warning, and finds the file istioctl names among the files given', () => {
    assert.deepEqual(parseSkipped('warn file error processing a b.yaml[3]: bad thing - skipping'), { file: 'a b.yaml', document: 3, reason: 'bad thing' });
    assert.equal(parseSkipped('Referenced gateway not found'), undefined);
    assert.equal(fileKeyOf('k8s/broken.yaml', ['/ws/k8s/good.yaml', '/ws/k8s/broken.yaml']), '/ws/k8s/broken.yaml');
    assert.equal(fileKeyOf('/ws/k8s/broken.yaml', ['/ws/k8s/broken.yaml']), '/ws/k8s/broken.yaml');
    assert.equal(fileKeyOf('/ws/k8s/missing.yaml', ['/ws/k8s/broken.yaml']), undefined);
  });

  it('reads istioctl validate errors, with and without a namespace', () => {
    const out = ['Error: 2 errors occurred:', '\t* VirtualService/demo/web: weight -10 < 0', '\t* DestinationRule//api: host must be set', '', ''].join('\n');
    assert.deepEqual(
      parseValidateText(out).map((f) => [f.code, f.level, f.origin, f.message]),
      [
        ['validate', 'error', { kind: 'VirtualService', namespace: 'demo', name: 'web' }, 'weight -10 < 0'],
        ['validate', 'error', { kind: 'DestinationRule', namespace: undefined, name: 'api' }, 'host must be set'],
      ],
    );
    assert.deepEqual(parseValidateText('"web.yaml" is valid\n'), []);
  });

  it('places a finding on its referenced line, else on the named object’s metadata.name', () => {
    const files = new Map([['/ws/k8s/routes.yaml', parseYaml(routes)]]);
    const [vs, ns, dr] = parseAnalyzeJson(analyzeOutput);
    // Line 14 (1-based) is `  - route:`: trimmed of its indentation.
    assert.deepEqual(placeFinding(vs, files), { file: '/ws/k8s/routes.yaml', range: { start: { line: 13, character: 2 }, end: { line: 13, character: 10 } } });
    assert.equal(placeFinding(ns, files), undefined, 'a Namespace not in the files');
    assert.deepEqual(placeFinding(dr, files), { file: '/ws/k8s/routes.yaml', range: { start: { line: 2, character: 17 }, end: { line: 2, character: 20 } } });
    const unnamespaced = parseValidateText('* VirtualService//web: bad\n')[0];
    assert.equal(placeFinding(unnamespaced, files)?.range.start.line, 8, 'no namespace: any namespace matches');
    assert.equal(placeFinding({ ...dr, origin: { kind: 'DestinationRule', namespace: 'other', name: 'web' } }, files), undefined);
  });

  it('links codes to Istio’s analysis pages', () => {
    assert.equal(istioDocsUrl('IST0128'), 'https://istio.io/latest/docs/reference/config/analysis/ist0128/');
    assert.equal(parseOrigin('Gateway'), undefined);
  });
});
