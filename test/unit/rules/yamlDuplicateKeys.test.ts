import * as assert from 'node:assert/strict';
import { parseYaml } from '../../../src/rules/yamlDocuments';

/** A mapping of `n` distinct keys, with `a-0` repeated at the end when `duplicate`. */
function bigMapping(n: number, duplicate = false): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    lines.push(`a-${i}: ${i}`);
  }
  if (duplicate) {
    lines.push('a-0: again');
  }
  return `${lines.join('\n')}\n`;
}

/** Least CPU milliseconds of `runs` parses of `text`. */
function cpuMs(text: string, runs = 3): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    parseYaml(text);
    const c = process.cpuUsage(c0);
    best = Math.min(best, (c.user + c.system) / 1000);
  }
  return best;
}

describe('rules/yamlDocuments: duplicate keys in linear time', function () {
  this.timeout(60_000);

  it('finds the one duplicate of a 20,000-key mapping at the repeated key', () => {
    const f = parseYaml(bigMapping(20_000, true));
    const dups = f.problems.filter((p) => p.code === 'FNM002');
    assert.deepEqual(
      dups.map((p) => p.range),
      [{ start: { line: 20_000, character: 0 }, end: { line: 20_000, character: 1 } }],
    );
  });

  it('parses 20,000 keys in at most about 4 times the time of 5,000 (a quadratic check takes ~16x)', () => {
    const small = bigMapping(5_000);
    const large = bigMapping(20_000);
    cpuMs(large, 1); // warm-up
    const ratio = cpuMs(large) / cpuMs(small);
    // Linear: <= 4; the parser's pairwise check (uniqueKeys) gave ~13 and 2.5 s per parse.
    assert.ok(ratio < 8, `20k/5k time ratio ${ratio.toFixed(2)}`);
  });
});
