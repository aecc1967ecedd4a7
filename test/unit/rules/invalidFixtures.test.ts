// Every file in test/fixtures/rules/invalid/ declares on line 1 the codes it must yield
// (`# expect: FNM201 FNM301`, a code once per occurrence) and yields exactly those.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { codes, repoRoot } from './helpers/rules';

const dir = path.join(repoRoot, 'test', 'fixtures', 'rules', 'invalid');

describe('rules/invalid fixtures', () => {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.yaml'));

  it('finds the fixtures', () => {
    assert.ok(files.length >= 14, `found ${files.length}`);
  });

  for (const file of files) {
    it(`${file} yields exactly its expected codes`, () => {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      const expect = /^# expect: (.*)$/m.exec(text.split('\n')[0]);
      assert.ok(expect, `${file}: line 1 must be "# expect: CODE ..."`);
      assert.deepEqual(codes(text).sort(), expect[1].trim().split(/\s+/).sort());
    });
  }
});
