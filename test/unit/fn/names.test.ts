// One Fn name rule: deploy (new version, Register Image) and routing (manifests) used to disagree
// on the length limit and on `/`.
import * as assert from 'node:assert/strict';
import { nextVersionName } from '../../../src/deploy/versionName';
import { fnNameProblem, isFnName } from '../../../src/fn/names';
import { fnNameProblem as manifestFnNameProblem } from '../../../src/routing/names';

describe('Fn names', () => {
  it('accepts letters, digits, "_" and "-" up to 255 characters, and 2018 route paths only where asked', () => {
    assert.equal(isFnName('hello_v-2'), true);
    assert.equal(isFnName('a'.repeat(255)), true);
    assert.equal(isFnName('a'.repeat(256)), false);
    assert.equal(isFnName('hello/world'), false);
    assert.equal(fnNameProblem('hello/world', 'Fn name', { routePath: true }), undefined);
    assert.match(fnNameProblem('hello//world', 'Fn name', { routePath: true }) ?? '', /empty path segment/);
    assert.match(fnNameProblem('hé', 'Fn function name') ?? '', /^Fn function name "hé" contains "é" at position 2/);
  });

  it('deploy and routing give the same answer and the same words for a function name', () => {
    for (const name of ['hello', 'bad name', '', 'x'.repeat(300), 'tab\there']) {
      const routing = manifestFnNameProblem(name, 'Fn function name');
      assert.equal(routing, fnNameProblem(name, 'Fn function name'), name);
      if (routing) {
        assert.throws(() => nextVersionName(name), (err: Error) => err.message === routing);
      }
    }
  });
});
