// One rule for finding fn and istioctl on PATH: absolute entries only, executables only.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findOnPath } from '../../../src/common/executables';

describe('executables on PATH', () => {
  it('finds an executable, skipping non-executables, folders, relative entries and empty PATHs', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fnmesh-path-'));
    const plain = fs.mkdtempSync(path.join(os.tmpdir(), 'fnmesh-path-'));
    fs.writeFileSync(path.join(plain, 'istioctl'), 'not executable', { mode: 0o644 });
    fs.mkdirSync(path.join(plain, 'fn'));
    fs.writeFileSync(path.join(dir, 'istioctl'), '#!/bin/sh\n', { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'fn'), '#!/bin/sh\n', { mode: 0o755 });
    assert.equal(findOnPath('istioctl', { PATH: ['/nonexistent', plain, dir].join(path.delimiter) }), path.join(dir, 'istioctl'));
    assert.equal(findOnPath('fn', { PATH: [plain, dir].join(path.delimiter) }), path.join(dir, 'fn'));
    assert.equal(findOnPath('istioctl', { PATH: plain }), undefined);
    assert.equal(findOnPath('istioctl', { PATH: '' }), undefined);
    assert.equal(findOnPath('istioctl', {}), undefined);
    // A relative entry depends on the working directory (a workspace could plant a binary there).
    const cwd = process.cwd();
    try {
      process.chdir(dir);
      assert.equal(findOnPath('istioctl', { PATH: '.' }), undefined);
      assert.equal(findOnPath('fn', { PATH: ['bin', '.'].join(path.delimiter) }), undefined);
    } finally {
      process.chdir(cwd);
    }
  });
});
