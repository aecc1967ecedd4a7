// Builds the production bundle and the VSIX, then prints its size and file list.
// Runs vsce through its API so no global install is needed.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const out = process.argv[2] ?? path.join(root, `${pkg.name}-${pkg.version}.vsix`);

const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
// --no-dependencies: everything the extension needs is in the esbuild bundle.
// The VSIX carries a user's README; README.md is the developers' one (relative links, images).
const readme = 'docs/extension-readme.md';
execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--skip-license', '--allow-missing-repository', '--readme-path', readme, '--out', out], { cwd: root, stdio: 'inherit' });

const listing = execFileSync(process.execPath, [vsce, 'ls', '--no-dependencies', '--readme-path', readme], { cwd: root, encoding: 'utf8' })
  .split('\n')
  .filter((l) => l.trim() !== '');
const size = fs.statSync(out).size;
console.log(`\nVSIX ${out}: ${(size / 1024).toFixed(1)} KiB, ${listing.length} files`);
for (const file of listing) {
  console.log(`  ${file}`);
}
