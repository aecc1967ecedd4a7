// The fuzz corpus (fixtures and filled snippets) and what runs on each mutated document;
// shared by the bounded fuzz test and the longer run in bench/rules/fuzz.mjs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { migrateText } from '../../../../src/rules/migrate';
import { quickFixesFor } from '../../../../src/rules/quickFixes';
import { validateFile } from '../../../../src/rules/validate';
import type { WorkspaceIndex } from '../../../../src/rules/workspaceIndex';
import { parseYaml } from '../../../../src/rules/yamlDocuments';
import { repoRoot, schemas } from './rules';
import { fillSnippet } from './snippetBody';

export function fuzzCorpus(): string[] {
  const fixtures = path.join(repoRoot, 'test', 'fixtures', 'rules');
  const files = ['invalid', 'migration'].flatMap((d) => fs.readdirSync(path.join(fixtures, d)).map((f) => path.join(fixtures, d, f)));
  const snippets = JSON.parse(fs.readFileSync(path.join(repoRoot, 'snippets', 'istio.json'), 'utf8')) as Record<string, { body: string[] }>;
  return [...files.map((f) => fs.readFileSync(f, 'utf8')), ...Object.values(snippets).map((s) => fillSnippet(s.body.join('\n')))];
}

/** Everything the editor would run on a changed file; returns how many problems it found. */
export function exercise(text: string, index: WorkspaceIndex): number {
  index.setFile('fuzz.yaml', parseYaml(text));
  const problems = validateFile('fuzz.yaml', index, schemas());
  for (const p of problems) {
    quickFixesFor(p, 'fuzz.yaml', index);
  }
  migrateText(text);
  return problems.length;
}
