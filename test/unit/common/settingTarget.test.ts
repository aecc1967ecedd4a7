// Configure writes where the value takes effect: a workspace value would shadow a global one.
import * as assert from 'node:assert/strict';
import { settingScopeToWrite } from '../../../src/common/settingTarget';

describe('setting scope to write', () => {
  it('writes the most specific scope that already has a value, else the user settings', () => {
    assert.equal(settingScopeToWrite({ globalValue: 'http://a', workspaceValue: 'http://b' }), 'workspace');
    assert.equal(settingScopeToWrite({ workspaceValue: '' }), 'workspace', 'an empty workspace value shadows too');
    assert.equal(settingScopeToWrite({ workspaceValue: 'http://b', workspaceFolderValue: 'http://c' }), 'workspaceFolder');
    assert.equal(settingScopeToWrite({ globalValue: 'http://a' }), 'global');
    assert.equal(settingScopeToWrite(undefined), 'global');
  });
});
