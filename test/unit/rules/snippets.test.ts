// Corpus: every snippet, filled with its defaults, validates clean; VirtualService snippets
// together with the DestinationRule snippet that defines their subsets.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseYaml } from '../../../src/rules/yamlDocuments';
import { fillSnippet } from './helpers/snippetBody';
import { repoRoot, validate } from './helpers/rules';

interface Snippet {
  readonly prefix: string;
  readonly description: string;
  readonly body: readonly string[];
}

const snippets = JSON.parse(fs.readFileSync(path.join(repoRoot, 'snippets', 'istio.json'), 'utf8')) as Record<string, Snippet>;
const filled = (name: string) => fillSnippet(snippets[name].body.join('\n'));

describe('rules/snippets', () => {
  it('fills placeholders, choices and mirrors like VS Code', () => {
    assert.equal(fillSnippet('a: ${1:x}\nb: $1\nc: ${2|p,q|}\nd: ${3:${1}-y}\ne: \\$1$0'), 'a: x\nb: x\nc: p\nd: x-y\ne: $1');
  });

  it('covers the route rules developers write', () => {
    const prefixes = Object.values(snippets).map((s) => s.prefix);
    assert.deepEqual(prefixes, [
      'istio-vs-weighted',
      'istio-vs-header',
      'istio-vs-fault',
      'istio-vs-mirror',
      'istio-vs-retries',
      'istio-dr-subsets',
      'istio-dr-outlier',
      'istio-gateway',
      'k8s-httproute-weights',
      'fnmesh-proxy',
    ]);
    assert.ok(Object.values(snippets).every((s) => s.description.length > 20));
  });

  const subsets = filled('Istio DestinationRule: subsets');
  for (const name of Object.keys(snippets)) {
    it(`"${name}" validates clean once filled`, () => {
      const text = filled(name);
      assert.ok(parseYaml(text).documents.length > 0);
      const context = text.includes('kind: VirtualService') ? { otherFiles: { 'subsets.yaml': subsets } } : {};
      assert.deepEqual(validate(text, context), []);
    });
  }

  it('the proxy snippet labels pods for the subsets and enables injection', () => {
    const deployment = parseYaml(filled('Fn Mesh proxy Deployment')).documents[1].value as {
      spec: { template: { metadata: { labels: Record<string, string> } } };
    };
    assert.deepEqual(deployment.spec.template.metadata.labels, { app: 'hello-app', version: 'v1', 'sidecar.istio.io/inject': 'true' });
  });
});
