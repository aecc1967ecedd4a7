import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, extensionId } from './hostHelpers';

suite('activation', () => {
  test('the extension activates in a real VS Code and returns its API', async () => {
    const api = await activateExtension();
    assert.ok(vscode.extensions.getExtension(extensionId)?.isActive);
    assert.equal(typeof api.functionsTree.getChildren, 'function');
    assert.ok(vscode.version.length > 0);
  });

  test('every contributed command is registered and every registered command is contributed', async () => {
    await activateExtension();
    const ext = vscode.extensions.getExtension(extensionId);
    assert.ok(ext);
    const pkg = JSON.parse(fs.readFileSync(path.join(ext.extensionPath, 'package.json'), 'utf8')) as {
      contributes: { commands: { command: string }[]; views: Record<string, { id: string }[]> };
    };
    const contributed = pkg.contributes.commands.map((c) => c.command).sort();
    // VS Code adds <viewId>.focus, .open, ... for every view: those are not ours to contribute.
    const viewCommands = new Set(
      Object.values(pkg.contributes.views).flatMap((views) =>
        views.flatMap((v) => ['focus', 'open', 'removeView', 'resetViewLocation', 'toggleVisibility'].map((s) => `${v.id}.${s}`)),
      ),
    );
    const registered = (await vscode.commands.getCommands(true)).filter((c) => c.startsWith('fnMesh.') && !viewCommands.has(c)).sort();
    assert.deepEqual(registered, contributed);
  });

  test('the Functions view can be opened', async () => {
    await activateExtension();
    await vscode.commands.executeCommand('fnMesh.functions.focus');
  });
});
