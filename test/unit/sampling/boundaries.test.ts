// The sampling and rollout cores depend only on what their role allows: sampling on common/ and its
// libraries; rollout on sampling/ and common/. Neither reaches the routing, Fn, Kubernetes or
// rules code (they are injected through small interfaces) nor `vscode`.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..', '..', '..');

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from\s+|import\s*\(\s*|require\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]);
}

const allowed: Record<string, RegExp> = {
  sampling: /^(\.\/|\.\.\/common\/|node:|undici$|hdr-histogram-js$|@stdlib\/)/,
  rollout: /^(\.\/|\.\.\/sampling\/|\.\.\/common\/|node:)/,
};

describe('sampling and rollout boundaries', () => {
  for (const [folder, pattern] of Object.entries(allowed)) {
    it(`src/${folder} imports only what its layer allows`, () => {
      const dir = path.join(root, 'src', folder);
      const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ts'));
      assert.ok(files.length >= 3, `expected sources in src/${folder}`);
      const bad = files.flatMap((f) => importsOf(path.join(dir, f)).filter((i) => !pattern.test(i)).map((i) => `${f} imports ${i}`));
      assert.deepEqual(bad, []);
    });
  }

  it('the import reader sees every form', () => {
    const sample = path.join(root, 'out', 'boundaries-sample.ts');
    fs.mkdirSync(path.dirname(sample), { recursive: true });
    fs.writeFileSync(sample, "import type { A } from '../routing/x';\nconst v = require('vscode');\nawait import('../kube/y');\n");
    try {
      assert.deepEqual(importsOf(sample), ['../routing/x', 'vscode', '../kube/y']);
    } finally {
      fs.rmSync(sample);
    }
  });
});
