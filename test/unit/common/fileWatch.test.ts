import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FilesWatcher } from '../../../src/common/fileWatch';

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('FilesWatcher', () => {
  it('reports edits and atomic replacement of a watched file, once per burst, and ignores other files', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fnmesh-watch-'));
    const file = path.join(dir, 'config');
    fs.writeFileSync(file, 'a');
    let changes = 0;
    const watcher = new FilesWatcher(() => changes++, 50);
    watcher.watch([file, path.join(dir, 'not-yet-there')]);
    try {
      fs.writeFileSync(path.join(dir, 'unrelated'), 'x');
      await settle(200);
      assert.equal(changes, 0, 'a file that is not watched changed');

      fs.appendFileSync(file, 'b');
      fs.appendFileSync(file, 'c');
      await settle(200);
      assert.equal(changes, 1, 'two quick edits make one change');

      // Editors save by writing a new file and renaming it over the old one.
      fs.writeFileSync(path.join(dir, 'config.tmp'), 'new');
      fs.renameSync(path.join(dir, 'config.tmp'), file);
      await settle(200);
      assert.equal(changes, 2, 'atomic replacement is seen');

      fs.writeFileSync(path.join(dir, 'not-yet-there'), 'created');
      await settle(200);
      assert.equal(changes, 3, 'a watched file that appears later is seen');
    } finally {
      watcher.close();
    }
    fs.appendFileSync(file, 'after close');
    await settle(200);
    assert.equal(changes, 3, 'no change after close');
  });
});
