// Guards the architecture: the top-level folders of src/ import each other only along the allowed
// graph below (no cycles, generic kube/ knows no domain), domain modules never import `vscode`,
// and every command that package.json contributes is in the typed command map (and the other way
// round).
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

/**
 * The allowed imports between top-level folders of src/, listed low to high: a folder may import
 * only folders listed before it, and only those named here. `src/extension.ts` (the composition
 * root) may import any folder; no folder may import it. Imports from a folder's `ui/` subfolder
 * count as imports of the folder. `sampling/` and `rollout/` are declared for the folders the next
 * issues add; a new top folder must be placed here before it can be imported.
 */
const allowedImports: ReadonlyMap<string, readonly string[]> = new Map([
  ['common', []],
  ['kube', ['common']],
  ['fn', ['common', 'kube']],
  ['routing', ['common', 'kube', 'fn']],
  ['deploy', ['common', 'kube', 'fn', 'routing']],
  ['rules', ['common', 'kube', 'fn', 'routing']],
  ['sampling', ['common', 'kube', 'fn', 'routing']],
  ['rollout', ['common', 'kube', 'fn', 'routing', 'deploy', 'rules', 'sampling']],
]);

/** Relative module specifiers of static, dynamic and re-export imports and of `require`. */
const relativeImport = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)['"](\.{1,2}\/[^'"]*)['"]/g;

/** `src/<first segment>` of a path relative to the repository root; `(root)` for files directly in src/. */
function topFolder(relative: string): string {
  const parts = relative.split(/[\\/]/);
  return parts.length > 2 ? parts[1] : '(root)';
}

/** Every import that crosses top folders against `allowed`, as `file:line imports 'spec' (from → to)`. */
function folderViolations(sources: ReadonlyMap<string, string>, allowed: ReadonlyMap<string, readonly string[]>): string[] {
  const found: string[] = [];
  for (const [file, text] of sources) {
    const from = topFolder(file);
    for (const m of text.matchAll(relativeImport)) {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file.split(path.sep).join('/')), m[1]));
      if (!target.startsWith('src/')) {
        continue;
      }
      const to = topFolder(target);
      if (from === to || from === '(root)') {
        continue;
      }
      if (!(allowed.get(from) ?? []).includes(to)) {
        const line = text.slice(0, m.index).split('\n').length;
        found.push(`${file}:${line} imports '${m[1]}' (${from} -> ${to} is not an allowed edge)`);
      }
    }
  }
  return found;
}

const importsVscode = /(?:from\s+['"]vscode['"]|require\(\s*['"]vscode['"]\s*\)|import\(\s*['"]vscode['"]\s*\))/;

describe('architecture', () => {
  const files = sourceFiles(path.join(root, 'src')).map((f) => path.relative(root, f));

  it('finds the source tree', () => {
    assert.ok(files.length > 5, `expected sources under src/, found ${files.length}`);
    assert.ok(files.some((f) => isVsCodeLayer(f)) && files.some((f) => !isVsCodeLayer(f)));
  });

  it('the allowed folder graph is layered: each folder imports only folders declared before it', () => {
    const order = [...allowedImports.keys()];
    for (const [folder, targets] of allowedImports) {
      for (const t of targets) {
        assert.ok(order.indexOf(t) >= 0 && order.indexOf(t) < order.indexOf(folder), `${folder} -> ${t} points up or to an undeclared folder`);
      }
    }
    assert.deepEqual(allowedImports.get('kube'), ['common'], 'kube/ is generic cluster access: it imports common/ alone');
  });

  it('every top-level folder of src/ is placed in the allowed graph', () => {
    const tops = new Set(files.map(topFolder).filter((t) => t !== '(root)'));
    assert.deepEqual([...tops].filter((t) => !allowedImports.has(t)), []);
    for (const expected of ['common', 'kube', 'fn', 'routing', 'rules']) {
      assert.ok(tops.has(expected), `src/${expected}/ exists`);
    }
  });

  it('imports between top-level folders follow the allowed graph', () => {
    const sources = new Map(files.map((f) => [f, fs.readFileSync(path.join(root, f), 'utf8')]));
    assert.deepEqual(folderViolations(sources, allowedImports), []);
  });

  it('the folder check names a back edge, and sees every import form', () => {
    const bad = new Map([
      [path.join('src', 'kube', 'objects', 'x.ts'), "import { a } from '../../common/errors';\nimport { b } from '../../routing/names';\n"],
      [path.join('src', 'fn', 'ui', 'y.ts'), "export { c } from '../../deploy/ui/deployCommands';\nconst d = await import('../../rules/codes');\nimport '../../routing/z';\n"],
      [path.join('src', 'common', 'z.ts'), "const e = require('../extension');\nimport { f } from './errors';\n"],
      [path.join('src', 'extension.ts'), "import { g } from './rules/codes';\n"],
    ]);
    assert.deepEqual(folderViolations(bad, allowedImports), [
      `${path.join('src', 'kube', 'objects', 'x.ts')}:2 imports '../../routing/names' (kube -> routing is not an allowed edge)`,
      `${path.join('src', 'fn', 'ui', 'y.ts')}:1 imports '../../deploy/ui/deployCommands' (fn -> deploy is not an allowed edge)`,
      `${path.join('src', 'fn', 'ui', 'y.ts')}:2 imports '../../rules/codes' (fn -> rules is not an allowed edge)`,
      `${path.join('src', 'fn', 'ui', 'y.ts')}:3 imports '../../routing/z' (fn -> routing is not an allowed edge)`,
      `${path.join('src', 'common', 'z.ts')}:1 imports '../extension' (common -> (root) is not an allowed edge)`,
    ]);
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
