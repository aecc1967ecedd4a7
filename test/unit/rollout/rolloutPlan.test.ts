import * as assert from 'node:assert/strict';
import { apportion, parseSteps, validatePlan, weightsAtStep } from '../../../src/rollout/rolloutPlan';
import { seededRandom } from '../../helpers/seededRandom';
import { plan } from './rolloutFixtures';

describe('rollout plan', () => {
  it('reads custom steps and adds the final 100', () => {
    assert.deepEqual(parseSteps('10, 25, 50'), [10, 25, 50, 100]);
    assert.deepEqual(parseSteps('5 → 20% → 100'), [5, 20, 100]);
    assert.throws(() => parseSteps('10, 5'), /steps: entry 2 \(5\) does not increase on entry 1 \(10\)/);
    assert.throws(() => parseSteps('-10, 100'), /steps: entry 1 "-10" is not a whole percentage from 1 to 100/);
    assert.throws(() => parseSteps('1e2'), /steps: entry 1 "1e2" is not a whole percentage/);
    assert.deepEqual(parseSteps('10 -> 25 → 50%, 100'), [10, 25, 50, 100]);
    assert.deepEqual(parseSteps('10 25'), [10, 25, 100]);
    assert.throws(() => parseSteps('10, 0.5'), /entry 2 "0.5" is not a whole percentage/);
    assert.throws(() => parseSteps(' '), /at least one weight/);
  });

  it('validates plans against the starting weights, naming the field', () => {
    validatePlan(plan, { v1: 100, v2: 0 });
    assert.throws(() => validatePlan({ ...plan, steps: [10, 50] }), /last step is 50/);
    assert.throws(() => validatePlan({ ...plan, pauseSeconds: 0 }), /pauseSeconds: 0/);
    assert.throws(() => validatePlan({ ...plan, gates: { ...plan.gates, maxErrorRate: 2 } }), /gates.maxErrorRate: 2/);
    assert.throws(() => validatePlan(plan, { v1: 100 }), /v2 is not one of the routed versions/);
    assert.throws(() => validatePlan(plan, { v1: 0, v2: 100 }), /no version other than v2 carries traffic/);
    assert.throws(() => validatePlan(plan, { v1: 90, v2: 5 }), /weights total 95, not 100/);
  });

  it('splits the rest in proportion to the starting weights with whole numbers', () => {
    assert.deepEqual(weightsAtStep({ v1: 100, v2: 0 }, 'v2', 10), { v1: 90, v2: 10 });
    assert.deepEqual(weightsAtStep({ a: 50, b: 50, v2: 0 }, 'v2', 25), { a: 38, b: 37, v2: 25 });
    assert.deepEqual(weightsAtStep({ a: 60, b: 30, c: 10, v2: 0 }, 'v2', 25), { a: 45, b: 23, c: 7, v2: 25 });
    assert.deepEqual(weightsAtStep({ a: 70, v2: 30 }, 'v2', 50), { a: 50, v2: 50 });
    assert.deepEqual(weightsAtStep({ a: 1, b: 99, v2: 0 }, 'v2', 100), { a: 0, b: 0, v2: 100 });
    assert.deepEqual(apportion({ x: 1, y: 1, z: 1 }, 100), { x: 34, y: 33, z: 33 });
  });

  it('every step of random plans totals exactly 100 with no negative weight', () => {
    const random = seededRandom(77);
    for (let trial = 0; trial < 2000; trial++) {
      const versions = 2 + Math.floor(random() * 6);
      const raw = Array.from({ length: versions }, () => Math.floor(random() * 10));
      raw[0] += 1; // some version other than the new one carries traffic
      const start: Record<string, number> = {};
      const sum = raw.reduce((a, b) => a + b, 0);
      const shares = apportion(Object.fromEntries(raw.map((w, i) => [`v${i}`, w])), 100);
      Object.assign(start, shares);
      const newVersion = `v${versions - 1}`;
      for (let percent = 1; percent <= 100; percent++) {
        const w = weightsAtStep(start, newVersion, percent);
        const values = Object.values(w);
        assert.equal(
          values.reduce((a, b) => a + b, 0),
          100,
          `trial ${trial} (sum ${sum}) at ${percent}: ${JSON.stringify(w)}`,
        );
        assert.ok(values.every((v) => Number.isInteger(v) && v >= 0));
        assert.equal(w[newVersion], percent);
      }
    }
  });
});
