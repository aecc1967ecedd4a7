import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyRefusal, closeAction, documentRole, previewScheme } from '../../../src/rules/indexPolicy';
import { validateFile } from '../../../src/rules/validate';
import { WorkspaceIndex } from '../../../src/rules/workspaceIndex';
import { parseYaml } from '../../../src/rules/yamlDocuments';
import { repoRoot, schemas, yaml } from './helpers/rules';

const vs = yaml('apiVersion: networking.istio.io/v1', 'kind: VirtualService', 'metadata: {name: web}', 'spec:', '  hosts: [web]', '  http:', '  - route:', '    - destination: {host: web}');
const dr = yaml('apiVersion: networking.istio.io/v1', 'kind: DestinationRule', 'metadata: {name: web}', 'spec:', '  host: web');

describe('rules/indexPolicy', () => {
  it('only file: and untitled: documents are workspace files; previews are private; diffs are ignored', () => {
    assert.equal(documentRole('file'), 'workspace');
    assert.equal(documentRole('untitled'), 'workspace');
    assert.equal(documentRole(previewScheme), 'private');
    for (const scheme of ['git', 'vscode-userdata', 'output', 'gitlens', 'vscode-scm']) {
      assert.equal(documentRole(scheme), 'ignored', scheme);
    }
  });

  it('closing an editor re-reads a file from disk, drops untitled and preview documents, ignores the rest', () => {
    assert.equal(closeAction('file'), 'reread');
    assert.equal(closeAction('untitled'), 'drop');
    assert.equal(closeAction(previewScheme), 'drop');
    assert.equal(closeAction('git'), 'nothing');
  });

  it('Apply Rule File applies workspace files only: a preview is refused, pointing to its command', () => {
    assert.equal(applyRefusal('file'), undefined);
    assert.equal(applyRefusal('untitled'), undefined);
    const preview = applyRefusal(previewScheme, 'a route-option command on hello-app');
    assert.match(preview ?? '', /^this is a preview Fn Mesh opened for a route-option command on hello-app, not a rule file: .* To apply it, run that command again/);
    assert.match(applyRefusal(previewScheme) ?? '', /run the command that opened it again/);
    assert.match(applyRefusal('git') ?? '', /^this is a read-only view \(git:\), not a file of the workspace/);
  });

  it('uses the scheme the routing previews are registered with', () => {
    const source = fs.readFileSync(path.join(repoRoot, 'src', 'routing', 'ui', 'yamlDocuments.ts'), 'utf8');
    assert.match(source, new RegExp(`previewScheme = '${previewScheme}'`));
  });

  it('right after Save to Workspace, the saved file is not compared with its own preview (no FNM305/FNM306)', () => {
    const index = new WorkspaceIndex();
    const preview = `${previewScheme}:/route-web.yaml`;
    const withSubsets = `${vs}---\n${dr}  subsets: [{name: v1, labels: {version: v1}}]\n`;
    index.setFile(preview, parseYaml(withSubsets), { private: documentRole(previewScheme) === 'private' });
    index.setFile('file:///w/web.yaml', parseYaml(withSubsets));
    assert.deepEqual(validateFile('file:///w/web.yaml', index, schemas()).map((p) => p.code), []);
    // The preview itself is checked against the workspace and its own objects.
    assert.deepEqual(validateFile(preview, index, schemas()).map((p) => p.code), ['FNM305', 'FNM306']);
    index.deleteFile(preview);
    assert.equal(index.file(preview), undefined);
  });

  it('a private file sees its own objects (its subsets resolve) and the workspace sees none of them', () => {
    const index = new WorkspaceIndex();
    const withSubset = vs.replace('{host: web}', '{host: web, subset: v1}');
    index.setFile('fn-mesh:/p.yaml', parseYaml(withSubset + '---\n' + dr + '  subsets: [{name: v1, labels: {version: v1}}]\n'), { private: true });
    index.setFile('file:///w/other.yaml', parseYaml(withSubset));
    assert.deepEqual(validateFile('fn-mesh:/p.yaml', index, schemas()).map((p) => p.code), ['FNM305']);
    assert.deepEqual(validateFile('file:///w/other.yaml', index, schemas()).map((p) => p.code), ['FNM301']);
    assert.equal(index.istioForHost('DestinationRule', 'web.default.svc.cluster.local').length, 0);
  });
});
