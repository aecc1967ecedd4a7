import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findIstioctl, run } from '../../../../src/rules/istioctl/istioctlRun';

describe('rules/istioctl/istioctlRun', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fn-mesh-istioctl-'));
  const exe = (name: string): string => {
    const p = path.join(dir, name);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, '#!/bin/sh\necho "$@"\nexit 3\n', { mode: 0o755 });
    return p;
  };
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('finds istioctl: the setting, then FN_MESH_ISTIOCTL, then PATH; skips what is not executable', () => {
    const configured = exe('configured/istioctl');
    const fromEnv = exe('env/istioctl');
    const onPath = exe('path/istioctl');
    const notExecutable = path.join(dir, 'plain');
    fs.writeFileSync(notExecutable, '');
    const env = { FN_MESH_ISTIOCTL: fromEnv, PATH: path.dirname(onPath) };
    assert.equal(findIstioctl(configured, env), configured);
    assert.equal(findIstioctl(notExecutable, env), fromEnv);
    // (the stack's build in the home cache may exist on this machine: it comes before PATH)
    const found = findIstioctl(undefined, { PATH: path.dirname(onPath) });
    assert.ok(found === onPath || found?.endsWith(path.join('.cache', 'fn-mesh', 'bin', 'istioctl')), found);
  });

  it('runs without a shell and reports the exit code; a missing binary is an error naming it', async () => {
    const r = await run(exe('echoer'), ['analyze', 'a b.yaml']);
    assert.deepEqual(r, { code: 3, stdout: 'analyze a b.yaml\n', stderr: '' });
    await assert.rejects(run(path.join(dir, 'nope'), []), /cannot run .*nope/);
  });
});
