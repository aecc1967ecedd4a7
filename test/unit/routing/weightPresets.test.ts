// The presets of Adjust Weights: built for every route the view can show, including one whose
// weights total zero (a Gateway API HTTPRoute may have that), which used to fail before the picker.
import * as assert from 'node:assert/strict';
import { formatWeights } from '../../../src/routing/weights';
import { weightPresets } from '../../../src/routing/weightPresets';

const show = (presets: ReturnType<typeof weightPresets>): string[] => presets.map((p) => `${p.label}: ${formatWeights(p.weights)}`);

describe('Adjust Weights presets', () => {
  it('offers even split, all to one, and shifts to the focused version', () => {
    assert.deepEqual(show(weightPresets(new Map([['v1', 90], ['v2', 10]]), 'v2')), [
      'Even split: v1=50,v2=50',
      'All traffic to v1: v1=100,v2=0',
      'All traffic to v2: v1=0,v2=100',
      'Shift 10% to v2: v1=80,v2=20',
      'Shift 25% to v2: v1=65,v2=35',
      'Shift 50% to v2: v1=40,v2=60',
    ]);
  });

  it('an all-zero route gets the presets that set every weight, and no shift (there is nothing to shift)', () => {
    const zero = new Map([['v1', 0], ['v2', 0]]);
    assert.deepEqual(show(weightPresets(zero, 'v1')), ['Even split: v1=50,v2=50', 'All traffic to v1: v1=100,v2=0', 'All traffic to v2: v1=0,v2=100']);
    assert.equal(weightPresets(zero, undefined).length, 3);
  });

  it('an HTTPRoute with omitted weights (1 each) shifts from its normalised split', () => {
    assert.deepEqual(show(weightPresets(new Map([['v1', 1], ['v2', 1]]), 'v1')).slice(3), ['Shift 10% to v1: v1=60,v2=40', 'Shift 25% to v1: v1=75,v2=25', 'Shift 50% to v1: v1=100,v2=0']);
  });
});
