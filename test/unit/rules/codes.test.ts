import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { docsAnchor, docsLink, isRuleCode, ruleCodes } from '../../../src/rules/codes';
import { repoRoot } from './helpers/rules';

describe('rules/codes', () => {
  const docs = fs.readFileSync(path.join(repoRoot, 'docs', 'rules.md'), 'utf8');

  it('every code is FNM + three digits, in a documented family', () => {
    for (const code of Object.keys(ruleCodes)) {
      assert.match(code, /^FNM[0-8]\d\d$/);
    }
  });

  it('docs/rules.md has a section for every code with its title and severity, and no other code', () => {
    const documented = [...docs.matchAll(/^### (FNM\d{3})$/gm)].map((m) => m[1]);
    assert.deepEqual(documented, Object.keys(ruleCodes));
    for (const [code, info] of Object.entries(ruleCodes)) {
      const section = docs.slice(docs.indexOf(`### ${code}\n`)).split('\n### ')[0];
      assert.ok(section.includes(`**${info.title}** (${info.severity})`), `${code} title/severity in docs`);
      assert.ok(section.includes(info.explanation), `${code} explanation in docs`);
    }
  });

  it('links a code to its docs anchor', () => {
    assert.equal(docsAnchor('FNM201'), 'fnm201');
    assert.equal(docsLink('FNM201', 'docs/rules.md'), 'docs/rules.md#fnm201');
    assert.equal(isRuleCode('FNM201'), true);
    assert.equal(isRuleCode('FNM999'), false);
    assert.equal(isRuleCode('toString'), false);
  });
});
