import * as assert from 'node:assert/strict';
import { RolloutDriver, type RolloutEffects, type WeightsGuard } from '../../../src/rollout/rolloutDriver';
import type { WeightMap } from '../../../src/rollout/rolloutPlan';
import { createRollout, decide, deserializeRollout, serializeRollout, stepHealth, type RolloutState, type StepHealth } from '../../../src/rollout/rolloutState';
import { SamplerStats, fixedWeights } from '../../../src/sampling/samplerStats';
import { plan } from './rolloutFixtures';

/** A route held in memory with the same guard rule as the cluster update: expected weights must match. */
class FakeRoute implements RolloutEffects {
  weights: WeightMap = { v1: 100, v2: 0 };
  readonly writes: WeightMap[] = [];
  readonly saved: string[] = [];
  failWritesFrom = Infinity;
  healthAt: (percent: number) => StepHealth = () => ({ samples: 200, errors: 0, p95Ms: 40 });
  sampleHook: (signal: AbortSignal) => Promise<void> = () => Promise.resolve();

  setWeights(weights: WeightMap, guard: WeightsGuard): Promise<void> {
    if (this.writes.length >= this.failWritesFrom) {
      return Promise.reject(new Error('connection to the cluster lost'));
    }
    if (JSON.stringify(guard.expected) !== JSON.stringify(this.weights)) {
      return Promise.reject(new Error('the route changed meanwhile'));
    }
    assert.equal(
      Object.values(weights).reduce((a, b) => a + b, 0),
      100,
    );
    this.weights = { ...weights };
    this.writes.push(this.weights);
    return Promise.resolve();
  }

  async sample(durationMs: number, signal: AbortSignal): Promise<StepHealth> {
    assert.equal(durationMs, plan.pauseSeconds * 1000);
    await this.sampleHook(signal);
    return this.healthAt(this.weights.v2);
  }

  save(state: RolloutState): void {
    this.saved.push(serializeRollout(state));
  }

  now(): number {
    return 1_000;
  }
}

function saved(text: string): { status: string; stepIndex: number } {
  return JSON.parse(text) as { status: string; stepIndex: number };
}

describe('rollout', () => {
  it('decides on the gates: hold for samples, roll back on errors or latency, else advance', () => {
    assert.equal(decide(plan, { samples: 50, errors: 0, p95Ms: 10 }, 0).kind, 'hold');
    assert.match(decide(plan, { samples: 50, errors: 0, p95Ms: 10 }, 3).reason, /not enough traffic/);
    assert.equal(decide(plan, { samples: 50, errors: 0, p95Ms: 10 }, 3).kind, 'rollback');
    assert.match(decide(plan, { samples: 100, errors: 2, p95Ms: 10 }, 0).reason, /error rate 2.0% is above the gate 1.0%/);
    assert.equal(decide(plan, { samples: 100, errors: 1, p95Ms: 10 }, 0).kind, 'advance');
    assert.match(decide(plan, { samples: 100, errors: 0, p95Ms: 501 }, 0).reason, /p95 latency 501 ms/);
  });

  it('reads the new version\'s health from a sampler snapshot', () => {
    const stats = new SamplerStats(fixedWeights({ v1: 90, v2: 10 }));
    for (let i = 0; i < 10; i++) {
      stats.record({ at: 0, version: 'v2', status: i < 3 ? 500 : 200, latencyMs: 10 * (i + 1) });
    }
    const h = stepHealth(stats.snapshot(), 'v2');
    assert.deepEqual([h.samples, h.errors], [10, 3]);
    assert.ok(Math.abs(h.p95Ms - 100) < 0.1);
    assert.deepEqual(stepHealth(stats.snapshot(), 'v1'), { samples: 0, errors: 0, p95Ms: 0 });
    assert.deepEqual(stepHealth(stats.snapshot(), 'v7'), { samples: 0, errors: 0, p95Ms: 0 });
  });

  it('a healthy version goes through every step to 100', async () => {
    const route = new FakeRoute();
    const driver = new RolloutDriver(createRollout(plan, route.weights, 0), route);
    const end = await driver.run();
    assert.equal(end.status, 'promoted');
    assert.deepEqual(
      route.writes.map((w) => w.v2),
      [10, 25, 50, 100],
    );
    assert.deepEqual(route.weights, { v1: 0, v2: 100 });
    assert.deepEqual(
      end.history.map((h) => [h.percent, h.decision]),
      [
        [10, 'advance'],
        [25, 'advance'],
        [50, 'advance'],
      ],
    );
    assert.equal(saved(route.saved[route.saved.length - 1]).status, 'promoted');
  });

  it('a failing version rolls back to the starting weights', async () => {
    const route = new FakeRoute();
    route.weights = { v1: 80, v3: 20, v2: 0 };
    route.healthAt = (percent) => (percent >= 25 ? { samples: 150, errors: 30, p95Ms: 40 } : { samples: 150, errors: 0, p95Ms: 40 });
    const driver = new RolloutDriver(createRollout(plan, route.weights, 0), route);
    const end = await driver.run();
    assert.equal(end.status, 'rolled-back');
    assert.deepEqual(route.writes, [
      { v1: 72, v3: 18, v2: 10 },
      { v1: 60, v3: 15, v2: 25 },
      { v1: 80, v3: 20, v2: 0 },
    ]);
    assert.match(end.message, /rolled back at step 2: error rate 20.0%/);
  });

  it('holds for samples, then rolls back when the traffic never comes', async () => {
    const route = new FakeRoute();
    route.healthAt = () => ({ samples: 3, errors: 0, p95Ms: 1 });
    const end = await new RolloutDriver(createRollout({ ...plan, maxHolds: 2 }, route.weights, 0), route).run();
    assert.equal(end.status, 'rolled-back');
    assert.deepEqual(
      end.history.map((h) => h.decision),
      ['hold', 'hold', 'rollback'],
    );
    assert.deepEqual(route.weights, { v1: 100, v2: 0 });
  });

  it('stops advancing when the cluster is lost, keeps the last good weights, and resumes or rolls back', async () => {
    const route = new FakeRoute();
    route.failWritesFrom = 2;
    const driver = new RolloutDriver(createRollout(plan, route.weights, 0), route);
    const end = await driver.run();
    assert.equal(end.status, 'interrupted');
    assert.deepEqual(end.appliedWeights, { v1: 75, v2: 25 });
    assert.deepEqual(route.weights, { v1: 75, v2: 25 });
    assert.match(end.message, /could not set the weights v1 50% · v2 50%: connection to the cluster lost\. The route keeps v1 75% · v2 25%; resume to try again, or roll back/);
    route.failWritesFrom = Infinity;
    assert.equal((await driver.run()).status, 'promoted');
    assert.deepEqual(route.weights, { v1: 0, v2: 100 });
  });

  it('pauses during a step, then aborts back to the start', async () => {
    const route = new FakeRoute();
    let entered!: () => void;
    const sampling = new Promise<void>((r) => (entered = r));
    route.sampleHook = (signal) =>
      new Promise<void>((resolve) => {
        entered();
        signal.addEventListener('abort', () => resolve());
      });
    const driver = new RolloutDriver(createRollout(plan, route.weights, 0), route);
    const running = driver.run();
    await sampling;
    const paused = await driver.pause();
    assert.equal(paused.status, 'paused');
    assert.equal((await running).status, 'paused');
    assert.deepEqual(route.weights, { v1: 90, v2: 10 });
    const aborted = await driver.abort();
    assert.equal(aborted.status, 'aborted');
    assert.deepEqual(route.weights, { v1: 100, v2: 0 });
  });

  it('promotes now on request', async () => {
    const route = new FakeRoute();
    route.sampleHook = (signal) => new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
    const driver = new RolloutDriver(createRollout(plan, route.weights, 0), route);
    void driver.run();
    await new Promise((r) => setTimeout(r, 10));
    assert.equal((await driver.promoteNow()).status, 'promoted');
    assert.deepEqual(route.weights, { v1: 0, v2: 100 });
  });

  it('survives a reload: the saved state reads back, a running one as interrupted', async () => {
    const route = new FakeRoute();
    route.failWritesFrom = 3;
    await new RolloutDriver(createRollout(plan, route.weights, 0), route).run();
    const midway = route.saved.find((s) => saved(s).status === 'running' && saved(s).stepIndex === 1);
    assert.ok(midway);
    const back = deserializeRollout(midway, 5_000);
    assert.equal(back.status, 'interrupted');
    assert.match(back.message, /stopped when the window closed, at v1 75% · v2 25%/);
    assert.deepEqual([back.stepIndex, back.appliedWeights, back.plan], [1, { v1: 75, v2: 25 }, plan]);
    const last = route.saved[route.saved.length - 1];
    assert.deepEqual(deserializeRollout(last, 0), JSON.parse(last, (k, v: unknown) => (k === 'kind' || k === 'schema' ? undefined : v)));
  });

  it('rejects corrupt saved states, naming the field', () => {
    const good = JSON.parse(serializeRollout(createRollout(plan, { v1: 100, v2: 0 }, 0))) as Record<string, unknown>;
    const bad = (change: Record<string, unknown>): string => JSON.stringify({ ...good, ...change });
    assert.throws(() => deserializeRollout('{', 0), /not JSON/);
    assert.throws(() => deserializeRollout(bad({ schema: 2 }), 0), /schema 2/);
    assert.throws(() => deserializeRollout(bad({ stepIndex: 7 }), 0), /stepIndex: 7/);
    assert.throws(() => deserializeRollout(bad({ status: 'dancing' }), 0), /status: "dancing"/);
    assert.throws(() => deserializeRollout(bad({ appliedWeights: { v1: 60, v2: 30 } }), 0), /appliedWeights: weights total 90/);
    assert.throws(() => deserializeRollout(bad({ appliedWeights: { v1: 70, v2: 30 } }), 0), /neither the starting weights nor those of step 0/);
    assert.throws(() => deserializeRollout(bad({ plan: { ...(good.plan as object), steps: [50, 10, 100] } }), 0), /steps\[1\]: 10 does not increase/);
    assert.throws(() => deserializeRollout(bad({ history: [{ step: 0 }] }), 0), /history\[0\]\.health: expected an object/);
    assert.throws(() => deserializeRollout(bad({ startWeights: { v1: '100', v2: 0 } }), 0), /startWeights\.v1: expected a number/);
  });
});
