import * as assert from 'node:assert/strict';
import { Poller } from '../../../src/common/poller';

describe('Poller', () => {
  it('ticks only while active and with a positive interval', async () => {
    let ticks = 0;
    const p = new Poller(() => ticks++);
    p.setInterval(0.02);
    assert.equal(p.running, false);
    p.setActive(true);
    assert.equal(p.running, true);
    await new Promise((r) => setTimeout(r, 110));
    p.setInterval(0);
    assert.equal(p.running, false);
    const seen = ticks;
    assert.ok(seen >= 2, `expected ticks, saw ${seen}`);
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(ticks, seen);
    p.dispose();
  });
});
