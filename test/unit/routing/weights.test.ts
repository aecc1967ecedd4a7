import * as assert from 'node:assert/strict';
import { UserError } from '../../../src/common/errors';
import {
  allTo,
  assertValidWeights,
  evenSplit,
  formatWeights,
  normaliseWeights,
  parseWeights,
  shiftTo,
  weightProblems,
  type Weights,
  type WeightsProblemCode,
} from '../../../src/routing/weights';
import { seededRandom } from '../../helpers/seededRandom';

const versions = ['v1', 'v2', 'v3'];

function entries(weights: Weights): [string, number][] {
  return [...weights];
}

function sum(weights: Weights): number {
  return [...weights.values()].reduce((a, b) => a + b, 0);
}

function parsed(input: string, known: readonly string[] = versions): Weights {
  const result = parseWeights(input, known);
  assert.ok(result.ok, result.ok ? '' : result.problem.message);
  return result.weights;
}

function parseProblem(input: string, known: readonly string[] = versions): { code: WeightsProblemCode; message: string; token: string } {
  const result = parseWeights(input, known);
  assert.ok(!result.ok, `expected ${JSON.stringify(input)} to be refused`);
  const { code, message, offset, length } = result.problem;
  return { code, message, token: input.slice(offset, offset + length) };
}

describe('routing weights', () => {
  describe('parseWeights', () => {
    it('reads version=weight lists in route order, with spaces, % and decimals', () => {
      assert.deepEqual(entries(parsed('v2=10,v1=90', ['v1', 'v2'])), [
        ['v1', 90],
        ['v2', 10],
      ]);
      assert.deepEqual(entries(parsed(' v1 = 33.5 % ,v3=+66.5')), [
        ['v1', 33.5],
        ['v2', 0],
        ['v3', 66.5],
      ]);
    });

    it('gives 0 to versions not mentioned and says which', () => {
      const result = parseWeights('v1=1', versions);
      assert.ok(result.ok);
      assert.deepEqual(result.omitted, ['v2', 'v3']);
      assert.equal(result.weights.get('v3'), 0);
    });

    const cases: [string, WeightsProblemCode, string, RegExp][] = [
      ['', 'empty', '', /^Enter weights like v1=50,v2=50/],
      ['   ', 'empty', '   ', /^Enter weights/],
      ['v1=50,,v2=50', 'syntax', '', /^Empty entry between commas \(column 7\)$/],
      ['v1=50,', 'syntax', '', /^Empty entry between commas \(column 7\)$/],
      ['v1=50, v2 50', 'syntax', 'v2 50', /^"v2 50" is not of the form version=weight, e\.g\. v1=50,v2=50 \(column 8\)$/],
      ['=50', 'syntax', '=50', /^"=50" names no version/],
      ['v1=50,v4=50', 'unknown-version', 'v4', /^Unknown version "v4": the route has "v1", "v2", "v3" \(column 7\)$/],
      ['V1=100', 'unknown-version', 'V1', /^Unknown version "V1"/],
      ['v1=50, v1=50', 'duplicate', 'v1', /^Version "v1" is given twice \(first at column 1\) \(column 8\)$/],
      ['v1=abc', 'not-a-number', 'abc', /^Weight of "v1" is not a number: "abc" \(column 4\)$/],
      ['v1=', 'not-a-number', '', /^Weight of "v1" is not a number: ""/],
      ['v1=1e3', 'not-a-number', '1e3', /not a number/],
      ['v1=0x10', 'not-a-number', '0x10', /not a number/],
      ['v1=NaN', 'not-a-number', 'NaN', /not a number/],
      ['v1=Infinity', 'not-a-number', 'Infinity', /not a number/],
      ['v1=1.2.3', 'not-a-number', '1.2.3', /not a number/],
      ['v1=90 v2=10', 'not-a-number', '90 v2=10', /\(separate entries with commas, e\.g\. v1=90,v2=10\)/],
      ['v1=50;v2=50', 'not-a-number', '50;v2=50', /^Weight of "v1" is not a number: "50;v2=50" \(separate entries with commas, e\.g\. v1=90,v2=10\) \(column 4\)$/],
      [`v1=${'9'.repeat(400)}`, 'not-a-number', '9'.repeat(400), /^Weight of "v1" is too large: 9+ \(weights are relative: e\.g\. 90 and 10\)/],
      ['v1=-5,v2=105', 'negative', '-5', /^Weight of "v1" is negative: -5 \(column 4\)$/],
      ['v2=- 0.5', 'negative', '- 0.5', /negative/],
      ['v1=0, v2=0%', 'total-zero', 'v1=0, v2=0%', /^Weights total zero: give at least one version a weight \(column 1\)$/],
    ];
    for (const [input, code, token, message] of cases) {
      it(`refuses ${JSON.stringify(input)} as ${code}, pointing at ${JSON.stringify(token)}`, () => {
        const found = parseProblem(input);
        assert.equal(found.code, code);
        assert.equal(found.token, token);
        assert.match(found.message, message);
      });
    }

    it('round-trips with formatWeights', () => {
      const weights = new Map([
        ['v1', 34],
        ['v2', 33],
        ['v3', 33],
      ]);
      assert.equal(formatWeights(weights), 'v1=34,v2=33,v3=33');
      assert.deepEqual(entries(parsed(formatWeights(weights))), entries(weights));
    });
  });

  describe('normaliseWeights', () => {
    it('scales to integers totalling 100 by largest remainder, ties to the earlier version', () => {
      const norm = (...w: number[]): number[] => [...normaliseWeights(new Map(w.map((x, i) => [`v${i}`, x]))).values()];
      assert.deepEqual(norm(9, 1), [90, 10]);
      assert.deepEqual(norm(1, 1), [50, 50]);
      assert.deepEqual(norm(1, 1, 1), [34, 33, 33]);
      assert.deepEqual(norm(0, 1, 0), [0, 100, 0]);
      assert.deepEqual(norm(2, 1, 1, 2), [33, 17, 17, 33]);
      assert.deepEqual(norm(0.1, 0.2, 0.7), [10, 20, 70]);
      assert.deepEqual(norm(1, 2, 3), [17, 33, 50]);
      assert.deepEqual(norm(1e300, 1e300), [50, 50]);
    });

    it('keeps the total at 100 and every share within 1 of its exact quota for 2000 random inputs', () => {
      const random = seededRandom(7);
      for (let round = 0; round < 2000; round++) {
        const n = 1 + Math.floor(random() * 12);
        const raw: number[] = Array.from({ length: n }, () => (random() < 0.25 ? 0 : random() < 0.5 ? Math.floor(random() * 1000) : random() * 10 ** Math.floor(random() * 8)));
        if (!raw.some((w) => w > 0)) {
          raw[0] = 1;
        }
        const input = new Map(raw.map((w, i) => [`v${i}`, w]));
        const out = [...normaliseWeights(input).values()];
        const total = raw.reduce((a, b) => a + b, 0);
        assert.equal(
          out.reduce((a, b) => a + b, 0),
          100,
          `total for ${raw.join(',')}`,
        );
        out.forEach((w, i) => {
          const quota = ((raw[i] ?? 0) * 100) / total;
          assert.ok(Number.isInteger(w) && w >= 0, `integer share ${w}`);
          assert.ok(Math.abs(w - quota) < 1, `share ${w} vs quota ${quota} for ${raw.join(',')}`);
          if (raw[i] === 0) {
            assert.equal(w, 0, 'a zero weight stays zero');
          }
        });
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            if ((raw[i] ?? 0) > (raw[j] ?? 0)) {
              assert.ok((out[i] ?? 0) >= (out[j] ?? 0), `order kept for ${raw.join(',')}`);
            }
          }
        }
      }
    });

    it('refuses negative, non-finite and all-zero weights', () => {
      assert.throws(() => normaliseWeights(new Map([['v1', -1]])), /"v1" must be a non-negative number, not -1/);
      assert.throws(() => normaliseWeights(new Map([['v1', Number.NaN]])), /not NaN/);
      assert.throws(() => normaliseWeights(new Map([['v1', Infinity]])), /not Infinity/);
      assert.throws(() => normaliseWeights(new Map([['v1', 0]])), /total zero/);
    });
  });

  describe('presets', () => {
    it('allTo gives 100 to one version', () => {
      assert.deepEqual(entries(allTo(versions, 'v2')), [
        ['v1', 0],
        ['v2', 100],
        ['v3', 0],
      ]);
      assert.throws(() => allTo(versions, 'v9'), /Unknown version "v9"/);
    });

    it('evenSplit totals exactly 100 with the remainder on the first versions', () => {
      assert.deepEqual([...evenSplit(['a']).values()], [100]);
      assert.deepEqual([...evenSplit(versions).values()], [34, 33, 33]);
      assert.deepEqual([...evenSplit(['a', 'b', 'c', 'd', 'e', 'f', 'g']).values()], [15, 15, 14, 14, 14, 14, 14]);
      const many = evenSplit(Array.from({ length: 150 }, (_, i) => `v${i}`));
      assert.equal(sum(many), 100);
      assert.throws(() => evenSplit([]), /at least one version/);
      assert.throws(() => evenSplit(['a', 'a']), /"a" is listed twice/);
    });

    it('shiftTo moves N points to a version, taken proportionally from the others', () => {
      const w = (...x: number[]): Weights => new Map(x.map((v, i) => [`v${i + 1}`, v]));
      assert.deepEqual([...shiftTo(w(90, 10), 'v2', 20).values()], [70, 30]);
      assert.deepEqual([...shiftTo(w(50, 30, 20), 'v3', 10).values()], [44, 26, 30]);
      assert.deepEqual([...shiftTo(w(50, 30, 20), 'v3', 95).values()], [0, 0, 100], 'capped at what the others have');
      assert.deepEqual([...shiftTo(w(9, 1), 'v2', 0).values()], [90, 10], 'normalises relative input');
      assert.deepEqual([...shiftTo(w(0, 100), 'v2', 10).values()], [0, 100]);
      assert.throws(() => shiftTo(w(50, 50), 'v3', 10), /Unknown version "v3"/);
      for (const bad of [-1, 101, 2.5, Number.NaN]) {
        assert.throws(() => shiftTo(w(50, 50), 'v1', bad), /whole number of percent between 0 and 100/);
      }
    });

    it('shiftTo keeps totals at 100 and never raises another version, over 1000 random splits', () => {
      const random = seededRandom(99);
      for (let round = 0; round < 1000; round++) {
        const n = 2 + Math.floor(random() * 6);
        const start = normaliseWeights(new Map(Array.from({ length: n }, (_, i) => [`v${i}`, 1 + Math.floor(random() * 100)])));
        const target = `v${Math.floor(random() * n)}`;
        const percent = Math.floor(random() * 101);
        const after = shiftTo(start, target, percent);
        assert.equal(sum(after), 100);
        const before = start.get(target) ?? 0;
        assert.equal(after.get(target), before + Math.min(percent, 100 - before));
        for (const [v, weight] of after) {
          if (v !== target) {
            assert.ok(weight <= (start.get(v) ?? 0), `${v} rose from ${start.get(v)} to ${weight}`);
          }
        }
      }
    });
  });

  describe('validation before sending', () => {
    it('accepts integer weights for every version totalling 100', () => {
      assert.deepEqual(weightProblems(new Map([['v1', 100], ['v2', 0]]), ['v1', 'v2']), []);
      assert.doesNotThrow(() => assertValidWeights(evenSplit(versions), versions));
    });

    it('lists every problem', () => {
      assert.deepEqual(weightProblems(new Map([['v1', 50.5], ['v9', 10]]), ['v1', 'v2']), [
        'Unknown version "v9"',
        'Weight of "v1" must be a whole number from 0 to 100, not 50.5',
        'Version "v2" has no weight',
      ]);
      assert.deepEqual(weightProblems(new Map([['v1', 101], ['v2', -1]]), ['v1', 'v2']), [
        'Weight of "v1" must be a whole number from 0 to 100, not 101',
        'Weight of "v2" must be a whole number from 0 to 100, not -1',
      ]);
      assert.deepEqual(weightProblems(new Map([['v1', 60], ['v2', 30]]), ['v1', 'v2']), ['Weights total 90; they must total 100']);
      assert.throws(
        () => assertValidWeights(new Map([['v1', 0]]), ['v1']),
        (err: unknown) => err instanceof UserError && err.message === 'Invalid weights: Weights total 0; they must total 100',
      );
    });
  });
});
