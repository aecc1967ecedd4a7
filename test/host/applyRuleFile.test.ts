// Apply Rule File never overwrites a change it was not written against: a document carrying an
// out-of-date metadata.resourceVersion is refused with nothing written, and Fn Mesh's own preview
// documents (scheme fn-mesh) are not applied at all. Against the real API server.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FnMeshApi } from '../../src/extension';
import type { ApplyOutcome } from '../../src/kube/objects/applyObjects';
import { connectKubeResources, type KubeResources } from '../../src/routing/cluster/kubeResources';
import { previewScheme } from '../../src/routing/ui/yamlDocuments';
import { activateExtension, adminKubeConfig, useRoutingNamespace } from './hostHelpers';

const namespace = `stale-apply-${Date.now().toString(36)}`;
const cm = { apiVersion: 'v1', kind: 'ConfigMap', namespace, name: 'weights' };

function configMap(v1: number, v2: number, resourceVersion?: string): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: weights\n  namespace: ${namespace}\n${resourceVersion ? `  resourceVersion: "${resourceVersion}"\n` : ''}data:\n  v1: "${v1}"\n  v2: "${v2}"\n`;
}

async function applyText(text: string): Promise<ApplyOutcome | undefined> {
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'yaml', content: text }));
  return vscode.commands.executeCommand<ApplyOutcome>('fnMesh.rules.applyFile', true);
}

suite('Apply Rule File: out-of-date documents and previews', () => {
  let api: FnMeshApi;
  let admin: KubeResources;
  let undo: () => Promise<void>;

  suiteSetup(async () => {
    api = await activateExtension();
    admin = await connectKubeResources(await adminKubeConfig());
    undo = await useRoutingNamespace(api, namespace);
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await undo();
  });

  test('a document written against an older resourceVersion is refused and nothing is written', async () => {
    const first = await applyText(configMap(50, 50));
    assert.ok(first?.ok, first?.summary);
    const old = (await admin.get(cm))?.metadata.resourceVersion ?? '';
    const second = await applyText(configMap(0, 100));
    assert.ok(second?.ok, second?.summary);
    const now = await admin.get(cm);
    assert.notEqual(now?.metadata.resourceVersion, old);

    // The old document, at the old resourceVersion: refused (no outcome), the newer data intact.
    assert.equal(await applyText(configMap(50, 50, old)), undefined);
    const after = await admin.get(cm);
    assert.deepEqual(after?.data, { v1: '0', v2: '100' });
    assert.equal(after?.metadata.resourceVersion, now?.metadata.resourceVersion, 'nothing was written');

    // At the current resourceVersion, the same change applies.
    const current = await applyText(configMap(50, 50, now?.metadata.resourceVersion));
    assert.ok(current?.ok, current?.summary);
    assert.deepEqual((await admin.get(cm))?.data, { v1: '50', v2: '50' });
  });

  test("an Fn Mesh preview document is not applied, whatever it holds", async () => {
    const before = await admin.get(cm);
    const uri = vscode.Uri.from({ scheme: previewScheme, path: '/options-hello-app.yaml' });
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    assert.equal(vscode.window.activeTextEditor?.document.uri.scheme, previewScheme);
    assert.equal(await vscode.commands.executeCommand('fnMesh.rules.applyFile', true), undefined);
    assert.equal((await admin.get(cm))?.metadata.resourceVersion, before?.metadata.resourceVersion, 'nothing was written');
  });
});
