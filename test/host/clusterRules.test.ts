// Cluster-aware rule checks against the real API server: a subset whose labels select no workload
// (FNM601) and a destination host without a Service (FNM602) show in the Problems view once the
// facts have been watched, and fixing the labels clears FNM601 without a reload.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { clientNode } from '../../src/kube/clientNode';
import { activateExtension, adminKubeConfig, diagnosticCode, diagnosticsWhen } from './hostHelpers';

const namespace = `rules-${Date.now().toString(36)}`;

// No metadata.namespace: the documents go to the selected namespace, and so do the checks.
const rules = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: shop
spec:
  host: shop
  subsets:
  - name: v2
    labels:
      version: v2
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: shop
spec:
  hosts: [shop]
  http:
  - route:
    - destination: {host: shop, subset: v2}
      weight: 90
    - destination: {host: nosuch}
      weight: 10
`;

async function kubeApis() {
  const k8s = await clientNode();
  const config = await adminKubeConfig();
  return { core: config.makeApiClient(k8s.CoreV1Api), apps: config.makeApiClient(k8s.AppsV1Api) };
}

suite('Cluster rule checks', () => {
  let uri: vscode.Uri | undefined;

  suiteSetup(async () => {
    await activateExtension();
    const { core, apps } = await kubeApis();
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    const labels = { app: 'shop', version: 'v1' };
    await apps.createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name: 'shop-v1', labels },
        spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'shop', image: 'example.com/shop:1' }] } } },
      },
    });
    await core.createNamespacedService({ namespace, body: { metadata: { name: 'shop' }, spec: { selector: { app: 'shop' }, ports: [{ name: 'http', port: 80 }] } } });
    await vscode.commands.executeCommand('fnMesh.kube.selectNamespace', namespace);
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (uri) {
      await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
    }
    const { core } = await kubeApis();
    await core.deleteNamespace({ name: namespace }).catch(() => undefined);
  });

  test('a subset that selects nothing and a host without a Service are flagged; fixing the labels clears FNM601', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the host tests open a workspace folder');
    uri = vscode.Uri.joinPath(folder.uri, 'shop.istio.yaml');
    await vscode.workspace.fs.writeFile(uri, Buffer.from(rules));
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);

    const diags = await diagnosticsWhen(uri, (codes) => codes.includes('FNM601') && codes.includes('FNM602'));
    const codes = diags.map(diagnosticCode);
    const subset = diags.find((d) => diagnosticCode(d) === 'FNM601');
    assert.ok(subset, `codes: ${codes.join(', ')}`);
    assert.equal(doc.getText(subset.range), 'labels');
    assert.equal(subset.range.start.line, 8, 'the labels of subset v2');
    assert.match(subset.message, new RegExp(`namespace ${namespace} has labels version=v2`));
    const host = diags.find((d) => diagnosticCode(d) === 'FNM602');
    assert.ok(host, `codes: ${codes.join(', ')}`);
    assert.equal(doc.getText(host.range), 'nosuch');
    assert.ok(!diags.some((d) => diagnosticCode(d) === 'FNM602' && doc.getText(d.range) === 'shop'), 'the Service shop exists');

    const edit = new vscode.WorkspaceEdit();
    const value = doc.lineAt(9).text.indexOf('v2');
    edit.replace(uri, new vscode.Range(9, value, 9, value + 2), 'v1');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.equal(doc.lineAt(9).text.trim(), 'version: v1');
    const after = (await diagnosticsWhen(uri, (c) => !c.includes('FNM601'))).map(diagnosticCode);
    assert.ok(!after.includes('FNM601'), `codes after the fix: ${after.join(', ')}`);
    assert.ok(after.includes('FNM602'), `the missing host stays flagged: ${after.join(', ')}`);
  });
});
