// Finding a program on PATH, the one rule for every tool Fn Mesh runs (fn, istioctl). Pure: no `vscode`.
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Absolute path of the executable `name` on `env.PATH` (like `which`), or undefined when there is
 * none. Relative PATH entries (`.`, `bin`) are skipped: what they find depends on the working
 * directory, which a workspace controls. On Windows the PATHEXT extensions are tried.
 */
export function findOnPath(name: string, env: Readonly<Record<string, string | undefined>> = process.env): string | undefined {
  const exts = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir || !path.isAbsolute(dir)) {
      continue;
    }
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      try {
        if (fs.statSync(candidate).isFile()) {
          fs.accessSync(candidate, fs.constants.X_OK);
          return candidate;
        }
      } catch {
        // not here, or not executable: keep looking
      }
    }
  }
  return undefined;
}
