// Opening a broken rule file shows the expected diagnostics, and the quick fix repairs it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, diagnosticCode, diagnosticsWhen } from './hostHelpers';

const broken = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: hello-app
spec:
  hosts: [hello-app]
  http:
  - route:
    - destination: {host: hello-app, subset: v1}
      weight: 60
    - destination: {host: hello-app, subset: v2}
      weight: 60
    timout: 5s
`;

suite('Rule files', () => {
  test('a broken rule file shows its problems with codes and ranges, and the quick fix repairs the weights', async () => {
    await activateExtension();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the host tests open a workspace folder');
    const uri = vscode.Uri.joinPath(folder.uri, 'hello.istio.yaml');
    await vscode.workspace.fs.writeFile(uri, Buffer.from(broken));
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);

    const diags = await diagnosticsWhen(uri, (codes) => codes.includes('FNM101') && codes.includes('FNM203'));
    const codes = diags.map(diagnosticCode);
    assert.ok(codes.includes('FNM101'), `codes: ${codes.join(', ')}`);
    const unknown = diags.find((d) => diagnosticCode(d) === 'FNM101');
    assert.equal(doc.getText(unknown?.range), 'timout');
    const total = diags.find((d) => diagnosticCode(d) === 'FNM203');
    assert.ok(total, `codes: ${codes.join(', ')}`);
    assert.equal(total.severity, vscode.DiagnosticSeverity.Information);

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, total.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => /weights/i.test(a.title));
    assert.ok(fix?.edit, `quick fixes: ${actions.map((a) => a.title).join(', ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.deepEqual(doc.getText().match(/weight: \d+/g), ['weight: 50', 'weight: 50']);
    const after = await diagnosticsWhen(uri, (c) => !c.includes('FNM203'));
    assert.ok(!after.map(diagnosticCode).includes('FNM203'), `codes after the fix: ${after.map(diagnosticCode).join(', ')}`);
    assert.ok(after.map(diagnosticCode).includes('FNM101'), 'the unrelated problem stays');
  });

  test('non-Istio YAML is left alone', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const uri = vscode.Uri.joinPath(folder.uri, 'plain.yaml');
    await vscode.workspace.fs.writeFile(uri, Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: [1, 2\n'));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await new Promise((r) => setTimeout(r, 800));
    assert.deepEqual(vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'fn-mesh'), []);
  });
});
