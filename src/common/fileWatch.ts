// Watches a set of files for changes, including atomic replacement by editors (which a watch on
// the file itself misses): it watches each parent folder and filters by name. Debounced. Pure.
import * as fs from 'node:fs';
import * as path from 'node:path';

export class FilesWatcher {
  private watchers: fs.FSWatcher[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly onChange: () => void,
    private readonly debounceMs = 300,
  ) {}

  watch(files: readonly string[]): void {
    this.close();
    const byDir = new Map<string, Set<string>>();
    for (const file of files) {
      const dir = path.dirname(file);
      const names = byDir.get(dir) ?? new Set<string>();
      names.add(path.basename(file));
      byDir.set(dir, names);
    }
    for (const [dir, names] of byDir) {
      try {
        const w = fs.watch(dir, { persistent: false }, (_event, name) => {
          if (name === null || names.has(name.toString())) {
            this.schedule();
          }
        });
        w.on('error', () => undefined); // the folder went away: nothing to watch until the next reload
        this.watchers.push(w);
      } catch {
        // A folder that does not exist yet cannot be watched; reconnecting picks it up.
      }
    }
  }

  close(): void {
    for (const w of this.watchers) {
      w.close();
    }
    this.watchers = [];
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  private schedule(): void {
    if (this.timer) {
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.onChange();
    }, this.debounceMs);
  }
}
