import * as assert from 'node:assert/strict';
import chisquareCdf from '@stdlib/stats-base-dists-chisquare-cdf';
import { goodnessOfFit, noncentralChisquareCdf, noncentralityForPower, samplesNeeded, verdictText, type FitCell } from '../../../src/sampling/goodnessOfFit';
import { seededRandom } from '../../helpers/seededRandom';

/** Draws n responses from the given true shares (percent) and pairs them with configured weights. */
function simulate(seed: number, n: number, trueShares: Record<string, number>, weights: Record<string, number>): FitCell[] {
  const random = seededRandom(seed);
  const names = Object.keys(trueShares);
  const counts = new Map(names.map((v) => [v, 0]));
  const total = Object.values(trueShares).reduce((a, b) => a + b, 0);
  for (let i = 0; i < n; i++) {
    let x = random() * total;
    const v = names.find((name) => (x -= trueShares[name]) < 0) ?? names[names.length - 1];
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  const all = new Set([...names, ...Object.keys(weights)]);
  return [...all].map((version) => ({ version, observed: counts.get(version) ?? 0, weight: weights[version] ?? 0 }));
}

describe('goodness of fit', () => {
  it('noncentral chi-square reduces to the central one at lambda 0 and matches known power values', () => {
    assert.equal(noncentralChisquareCdf(3.2, 2, 0), chisquareCdf(3.2, 2));
    // Cohen (1988), table 7.4.15: lambda for alpha 0.05, power 0.80 at df 1, 2, 3.
    assert.ok(Math.abs(noncentralityForPower(1, 0.05, 0.8) - 7.85) < 0.01);
    assert.ok(Math.abs(noncentralityForPower(2, 0.05, 0.8) - 9.64) < 0.01);
    assert.ok(Math.abs(noncentralityForPower(3, 0.05, 0.8) - 10.91) < 0.02);
  });

  it('estimates the samples needed from the expected-count rule and from power', () => {
    assert.equal(samplesNeeded([90, 10]), 283); // 7.849 * 0.09 / 0.05²
    assert.equal(samplesNeeded([50, 50]), 785);
    assert.equal(samplesNeeded([50, 50], { tolerancePoints: 2 }), 4906);
    assert.equal(samplesNeeded([98, 2]), 250); // 5 / 0.02 beats the power estimate
    assert.equal(samplesNeeded([100]), 32); // 0.95^32 < 0.2
    assert.equal(samplesNeeded([0, 0]), 0);
  });

  it('a 90/10 split sampled from 90/10 is consistent once enough samples arrive', () => {
    const early = goodnessOfFit(simulate(1, 10, { v1: 90, v2: 10 }, { v1: 90, v2: 10 }));
    assert.deepEqual(early.kind === 'not-enough' && [early.needed, early.more], [283, 273]);
    assert.equal(verdictText(early), 'not enough samples yet: about 273 more needed');
    const later = goodnessOfFit(simulate(1, 2000, { v1: 90, v2: 10 }, { v1: 90, v2: 10 }));
    assert.equal(later.kind, 'consistent');
    assert.equal(verdictText(later), 'consistent');
  });

  it('an 80/20 reality against 90/10 weights is not consistent', () => {
    const v = goodnessOfFit(simulate(2, 1000, { v1: 80, v2: 20 }, { v1: 90, v2: 10 }));
    assert.equal(v.kind, 'not-consistent');
    assert.equal(verdictText(v), 'not consistent at 95%');
  });

  it('rejects a true split about 5% of the time at the planned sample size (the level holds)', () => {
    assert.equal(samplesNeeded([50, 30, 20]), 964);
    let rejected = 0;
    for (let seed = 0; seed < 400; seed++) {
      if (goodnessOfFit(simulate(seed, 1000, { a: 50, b: 30, c: 20 }, { a: 50, b: 30, c: 20 })).kind === 'not-consistent') {
        rejected++;
      }
    }
    assert.ok(rejected >= 8 && rejected <= 36, `rejected ${rejected} of 400`);
  });

  it('detects a 5-point deviation about 80% of the time at the estimated sample size (the power holds)', () => {
    const n = samplesNeeded([50, 50]);
    let rejected = 0;
    for (let seed = 0; seed < 300; seed++) {
      if (goodnessOfFit(simulate(1000 + seed, n, { a: 55, b: 45 }, { a: 50, b: 50 })).kind === 'not-consistent') {
        rejected++;
      }
    }
    assert.ok(rejected >= 210 && rejected <= 270, `rejected ${rejected} of 300`);
  });

  it('before the planned size, says "not consistent" only on overwhelming evidence', () => {
    // 90/10 configured, 40 of 200 for v2 (expected 20): p is about 1e-5, below the interim 0.001
    assert.equal(goodnessOfFit([{ version: 'v1', observed: 160, weight: 90 }, { version: 'v2', observed: 40, weight: 10 }]).kind, 'not-consistent');
    // 30 of 200 (p about 0.02): not yet, as 5% on every look would cry wolf
    assert.equal(goodnessOfFit([{ version: 'v1', observed: 170, weight: 90 }, { version: 'v2', observed: 30, weight: 10 }]).kind, 'not-enough');
    // a live run that looks every 25 responses flags a true 90/10 split early in few seeds
    let early = 0;
    for (let seed = 0; seed < 100; seed++) {
      const random = seededRandom(seed);
      let v1 = 0;
      for (let n = 1; n <= 1750; n++) {
        v1 += random() < 0.9 ? 1 : 0;
        if (n % 25 === 0 && goodnessOfFit([{ version: 'v1', observed: v1, weight: 90 }, { version: 'v2', observed: n - v1, weight: 10 }], { tolerancePoints: 2 }).kind === 'not-consistent') {
          early++;
          break;
        }
      }
    }
    assert.ok(early <= 6, `${early} of 100 live runs said "not consistent" before the planned size`);
  });

  it('a version with weight 0 that answers is never consistent, however few samples', () => {
    const v = goodnessOfFit([
      { version: 'v1', observed: 3, weight: 100 },
      { version: 'v2', observed: 1, weight: 0 },
    ]);
    assert.equal(v.kind, 'not-consistent');
    assert.match(v.kind === 'not-consistent' ? v.reason : '', /v2 \(1\)/);
  });

  it('100/0 becomes consistent after 32 answers of the one version', () => {
    const cells = (n: number): FitCell[] => [
      { version: 'v1', observed: n, weight: 100 },
      { version: 'v2', observed: 0, weight: 0 },
    ];
    assert.equal(goodnessOfFit(cells(31)).kind, 'not-enough');
    assert.equal(goodnessOfFit(cells(32)).kind, 'consistent');
  });

  it('refuses negative counts and bad options with a clear error', () => {
    assert.throws(() => goodnessOfFit([{ version: 'x', observed: -1, weight: 1 }]), /version x has observed -1/);
    assert.throws(() => goodnessOfFit([], { alpha: 2 }), /alpha 2/);
  });
});
