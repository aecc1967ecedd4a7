import * as assert from 'node:assert/strict';
import type * as Errors from '../../../src/common/errors';
import { describeError, UserError } from '../../../src/common/errors';
import { KubeObjectError } from '../../../src/kube/objects/resourceErrors';

/** A second copy of errors.ts, as each lazily loaded bundle has its own. */
function otherCopy(): typeof Errors {
  const file = require.resolve('../../../src/common/errors');
  const mine = require.cache[file];
  delete require.cache[file];
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(file) as typeof Errors;
  } finally {
    require.cache[file] = mine;
  }
}

describe('UserError across bundles', () => {
  it('a UserError made by another copy of the module is a UserError here, and the other way round', () => {
    const other = otherCopy();
    assert.notEqual(other.UserError, UserError, 'the test needs a distinct copy');
    const foreign = new other.UserError('no cluster:\n  kubeconfig has no context');
    assert.ok(foreign instanceof UserError);
    assert.ok(new UserError('x') instanceof other.UserError);
    // describeError keeps a UserError's message as written (a plain Error's is flattened to one line), whichever copy made it.
    assert.equal(describeError(new Error('no cluster:\n  kubeconfig has no context')), 'no cluster: kubeconfig has no context');
    assert.equal(describeError(foreign), 'no cluster:\n  kubeconfig has no context');
    assert.equal(other.describeError(new UserError('written\n for the user')), 'written\n for the user');
  });

  it('other errors are not UserErrors, and subclasses keep their own check', () => {
    assert.ok(!(new Error('x') instanceof UserError));
    assert.ok(!((null as unknown) instanceof UserError));
    assert.ok(!({ message: 'x' } instanceof UserError));
    const plain = new UserError('x');
    assert.ok(!(plain instanceof KubeObjectError), 'a plain UserError is not a KubeObjectError');
    const ref = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'ns', name: 'a' };
    const kubeError = new KubeObjectError(ref, new Error('boom'));
    assert.ok(kubeError instanceof KubeObjectError);
    assert.ok(kubeError instanceof UserError);
  });
});
