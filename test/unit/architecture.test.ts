// Guards the architecture: domain modules never import `vscode`, and every command that
// package.json contributes is in the typed command map (and the other way round).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { commandIds } from '../../src/common/commandIds';

const root = path.resolve(__dirname, '..', '..', '..');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(full) : e.name.endsWith('.ts') ? [full] : [];
  });
}

/** VS Code code may live only in ui/ folders, src/common/vscode/ and extension.ts. */
function isVsCodeLayer(relative: string): boolean {
  const parts = relative.split(path.sep);
  return parts.includes('ui') || relative.startsWith(path.join('src', 'common', 'vscode')) || relative === path.join('src', 'extension.ts');
}

const importsVscode = /(?:from\s+['"]vscode['"]|require\(\s*['"]vscode['"]\s*\)|import\(\s*['"]vscode['"]\s*\))/;

describe('architecture', () => {
  const files = sourceFiles(path.join(root, 'src')).map((f) => path.relative(root, f));

  it('finds the source tree', () => {
    assert.ok(files.length > 5, `expected sources under src/, found ${files.length}`);
    assert.ok(files.some((f) => isVsCodeLayer(f)) && files.some((f) => !isVsCodeLayer(f)));
  });

  it('domain modules do not import vscode', () => {
    const offenders = files.filter((f) => !isVsCodeLayer(f) && importsVscode.test(fs.readFileSync(path.join(root, f), 'utf8')));
    assert.deepEqual(offenders, []);
  });

  it('the import detector recognises every import form', () => {
    for (const line of ["import * as vscode from 'vscode';", 'import type { Uri } from "vscode";', "const v = require('vscode');", "await import('vscode')"]) {
      assert.ok(importsVscode.test(line), line);
    }
    assert.ok(!importsVscode.test("import * as x from './vscodeish';"));
  });

  it('package.json contributes exactly the commands of the typed map', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      contributes: { commands: { command: string }[]; menus: Record<string, { command: string }[]> };
    };
    const contributed: string[] = pkg.contributes.commands.map((c) => c.command).sort();
    const known = new Set(contributed);
    assert.deepEqual(contributed, Object.values(commandIds).sort());
    for (const [menu, entries] of Object.entries(pkg.contributes.menus)) {
      for (const entry of entries) {
        assert.ok(known.has(entry.command), `menu ${menu} names unknown command ${entry.command}`);
      }
    }
  });

  it('every command id follows fnMesh.<area>.<verb> or fnMesh.<verb>', () => {
    for (const id of Object.values(commandIds)) {
      assert.match(id, /^fnMesh\.([a-z]+\.)?[a-z][A-Za-z]+$/);
    }
  });
});
