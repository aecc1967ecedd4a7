// The command-line checker's engine run: collects the YAML files under the given paths and
// validates every rule file among them with the same RuleSession the editor's worker uses, so CI
// reports exactly the problems the Problems view shows (cluster-aware checks excepted).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Problem } from '../problems';
import type { SchemaStore } from '../schemaStore';
import { RuleSession } from '../engine/ruleSession';

export interface FileProblems {
  /** Path as given or found (relative to the working directory when under it). */
  readonly file: string;
  readonly problems: readonly Problem[];
}

export class PathError extends Error {}

/** YAML files under `paths` (files as given; folders walked, skipping node_modules and dot folders), sorted. */
export function collectYamlFiles(paths: readonly string[]): string[] {
  const found = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && !entry.name.startsWith('.')) {
          walk(full);
        }
      } else if (entry.isFile() && /\.ya?ml$/i.test(entry.name)) {
        found.add(full);
      }
    }
  };
  for (const p of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch {
      throw new PathError(`No such file or folder: ${p}`);
    }
    if (stat.isDirectory()) {
      walk(p);
    } else {
      found.add(p);
    }
  }
  return [...found].sort();
}

/**
 * Validates every rule file among `files`, with the others as workspace context (Services and
 * rules in other files count, as in the editor). Throws PathError when a file cannot be read.
 */
export function checkFiles(files: readonly string[], schemas: SchemaStore, defaultNamespace?: string): FileProblems[] {
  const session = new RuleSession(() => schemas, { defaultNamespace });
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      throw new PathError(`Cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
    session.setFile(file, text);
  }
  const { validate } = session.flush();
  return validate.sort().map((file) => ({ file, problems: session.validate(file, false).problems }));
}
