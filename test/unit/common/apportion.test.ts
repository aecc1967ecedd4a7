import * as assert from 'node:assert/strict';
import { apportion } from '../../../src/common/apportion';

describe('common/apportion', () => {
  it('gives integers proportional to the values that add up to the total (largest remainder, ties to the earlier)', () => {
    assert.deepEqual(apportion([1, 1, 1], 100), [34, 33, 33]);
    assert.deepEqual(apportion([2, 1, 1], 100), [50, 25, 25]);
    assert.deepEqual(apportion([1, 2], 100), [33, 67]);
    assert.deepEqual(apportion([90, 0], 100), [100, 0]);
  });

  it('counts negative and non-finite values as 0, and gives zeros when nothing is left to scale', () => {
    assert.deepEqual(apportion([-5, 5], 100), [0, 100]);
    assert.deepEqual(apportion([Number.NaN, Number.POSITIVE_INFINITY, 1], 100), [0, 0, 100]);
    assert.deepEqual(apportion([0, 0], 100), [0, 0]);
  });
});
