// Undo is bound to its own change, app, namespace and cluster: the history picks exactly what an
// Undo names and refuses a change made somewhere else than where Fn Mesh is connected now.
import * as assert from 'node:assert/strict';
import { UserError } from '../../../src/common/errors';
import type { WeightsChange } from '../../../src/routing/cluster/weightsUpdate';
import type { ChangeSite } from '../../../src/routing/routingSite';
import { isNothingToUndo, isUndoGone, undoGone, WeightHistory } from '../../../src/routing/weightHistory';

const siteA: ChangeSite = { clusterKey: 'a @ https://127.0.0.1:6443', context: 'a', namespace: 'shop' };
const siteB: ChangeSite = { clusterKey: 'b @ https://127.0.0.2:6443', context: 'b', namespace: 'shop' };
const otherNs: ChangeSite = { ...siteA, namespace: 'other' };

function change(app: string, previous: number, applied: number, namespace = 'shop'): WeightsChange {
  return {
    ref: { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', namespace, name: app },
    previous: new Map([['v1', previous], ['v2', 100 - previous]]),
    applied: new Map([['v1', applied], ['v2', 100 - applied]]),
    resourceVersion: '1',
    unchanged: false,
  };
}

const refused = (pattern: RegExp) => (err: unknown) => err instanceof UserError && pattern.test(err.message);

describe('weight history (Undo)', () => {
  it("undoes the notification's own change, not the app changed last", () => {
    const history = new WeightHistory();
    const ofA = change('app-a', 90, 50);
    const ofB = change('app-b', 80, 20);
    history.record(ofA, siteA);
    history.record(ofB, siteA);
    assert.equal(history.pick({ kind: 'change', change: ofA }, siteA).change, ofA);
  });

  it("undoes a right-clicked app's last change, and nothing when that app has none", () => {
    const history = new WeightHistory();
    const ofA1 = change('app-a', 90, 50);
    const ofA2 = change('app-a', 50, 10);
    history.record(ofA1, siteA);
    history.record(ofA2, siteA);
    history.record(change('app-b', 80, 20), siteA);
    const picked = history.pick({ kind: 'app', app: 'app-a', namespace: 'shop' }, siteA);
    assert.equal(picked.change, ofA2);
    history.forget(picked);
    assert.equal(history.pick({ kind: 'app', app: 'app-a', namespace: 'shop' }, siteA).change, ofA1, 'the next Undo goes one step further back');
    assert.throws(() => history.pick({ kind: 'app', app: 'app-c', namespace: 'shop' }, siteA), refused(/no weight change of app-c in namespace shop of context a/));
  });

  it('refuses a change made in another cluster or namespace, naming both', () => {
    const history = new WeightHistory();
    const ofA = change('app-a', 90, 50);
    history.record(ofA, siteA);
    // Same namespace and app name in another cluster: the old weights must not land there.
    assert.throws(() => history.pick({ kind: 'change', change: ofA }, siteB), refused(/made in namespace shop of context a; Fn Mesh is now connected to namespace shop of context b/));
    assert.throws(() => history.pick({ kind: 'change', change: ofA }, otherNs), refused(/now connected to namespace other of context a/));
    assert.throws(() => history.pick({ kind: 'latest' }, siteB), refused(/no weight change in namespace shop of context b.*app-a, was made in namespace shop of context a/));
    assert.throws(() => history.pick({ kind: 'app', app: 'app-a', namespace: 'shop' }, siteB), refused(/no weight change of app-a in namespace shop of context b/));
    // A node of a view shown for another namespace.
    assert.throws(() => history.pick({ kind: 'app', app: 'app-a', namespace: 'shop' }, otherNs), refused(/shown in namespace shop.*refresh/));
    assert.equal(history.pick({ kind: 'latest' }, siteA).change, ofA);
  });

  it('the latest change is the last one made where Fn Mesh is connected', () => {
    const history = new WeightHistory();
    const here = change('app-a', 90, 50);
    history.record(here, siteA);
    history.record(change('app-a', 70, 30), siteB);
    assert.equal(history.pick({ kind: 'latest' }, siteA).change, here);
  });

  it('an undone change cannot be undone twice; unchanged weights are not recorded; the history is bounded', () => {
    const history = new WeightHistory(3);
    const ofA = change('app-a', 90, 50);
    const entry = history.record(ofA, siteA);
    assert.ok(entry);
    history.forget(entry);
    assert.throws(() => history.pick({ kind: 'change', change: ofA }, siteA), refused(/already undone/));
    assert.equal(history.record({ ...change('app-a', 50, 50), unchanged: true }, siteA), undefined);
    assert.equal(history.size, 0);
    const first = change('app-1', 90, 10);
    history.record(first, siteA);
    for (const app of ['app-2', 'app-3', 'app-4']) {
      history.record(change(app, 90, 10), siteA);
    }
    assert.equal(history.size, 3);
    assert.throws(() => history.pick({ kind: 'change', change: first }, siteA), refused(/too old/));
  });
  it('marks "nothing to undo" as news, not failure, and a change that can never be undone for the history to forget', () => {
    const history = new WeightHistory();
    let caught: unknown;
    try {
      history.pick({ kind: 'latest' }, siteA);
    } catch (err) {
      caught = err;
    }
    assert.ok(isNothingToUndo(caught), 'an empty history says so as news');
    const ofA = change('app-a', 90, 50);
    history.record(ofA, siteB);
    assert.throws(() => history.pick({ kind: 'change', change: ofA }, siteA), (err: unknown) => !isNothingToUndo(err), 'made elsewhere: a refusal, not news');
    // The marks travel as properties: an error from another bundle's copy of the module counts too.
    const gone = undoGone('VirtualService shop/app-a no longer exists: nothing to undo');
    assert.ok(gone instanceof UserError && isUndoGone(gone) && isUndoGone({ ...gone, undoGone: true }));
    assert.ok(!isUndoGone(new UserError('x')) && !isUndoGone(undefined));
  });
});
