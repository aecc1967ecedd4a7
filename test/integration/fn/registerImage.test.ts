// Register image against the real Fn server (API v2) and the 2018 API stand-in, both started by
// scripts/test-all.sh: create with a trigger, update the image in place, clear refusals.
import * as assert from 'node:assert/strict';
import { registerImage } from '../../../src/deploy/registerImage';
import { FnHttpClient } from '../../../src/fn/fnClient';
import type { FnApp } from '../../../src/fn/model';
import { callJson, requiredEnv } from '../../helpers/integrationEnv';

describe('Register image against the real Fn server (API v2)', function () {
  this.timeout(60_000);
  const base = requiredEnv('FN_MESH_TEST_FN_URL');
  const client = new FnHttpClient(base);
  let app: FnApp;

  before(async () => {
    const name = `reg-${Date.now().toString(36)}`;
    app = { id: String((await callJson('POST', `${base}/v2/apps`, { name })).id), name, annotations: {} };
  });
  after(async () => {
    for (const fn of (await client.listFunctions(app)).items) {
      await callJson('DELETE', `${base}/v2/fns/${fn.id}`);
    }
    await callJson('DELETE', `${base}/v2/apps/${app.id}`);
  });

  it('creates the function with memory, timeout and an HTTP trigger at /<name>', async () => {
    const result = await registerImage(client, app, { name: 'hello-v3', image: 'fnmesh/hello:v3', memoryMb: 256, timeoutSeconds: 45 });
    assert.equal(result.action, 'created');
    const listed = (await client.listFunctions(app)).items.find((f) => f.name === 'hello-v3');
    assert.ok(listed, 'the function is listed');
    assert.deepEqual([listed.image, listed.memoryMb, listed.timeoutSeconds], ['fnmesh/hello:v3', 256, 45]);
    assert.deepEqual(listed.triggers.map((t) => [t.type, t.source]), [['http', '/hello-v3']]);
    assert.equal(result.fn.id, listed.id);
  });

  it('updates the image of an existing function and keeps its id and trigger', async () => {
    const before = (await client.listFunctions(app)).items.find((f) => f.name === 'hello-v3');
    const result = await registerImage(client, app, { name: 'hello-v3', image: 'fnmesh/hello:v3.1' });
    assert.equal(result.action, 'updated');
    const after = (await client.listFunctions(app)).items.find((f) => f.name === 'hello-v3');
    assert.deepEqual([after?.id, after?.image, after?.memoryMb, after?.triggers.length], [before?.id, 'fnmesh/hello:v3.1', 256, 1]);
  });

  it('asks before replacing the image of an existing function; a refusal writes nothing', async () => {
    const asked: string[] = [];
    await assert.rejects(
      registerImage(client, app, { name: 'hello-v3', image: 'fnmesh/hello:v9' }, undefined, (existing) => {
        asked.push(existing.image);
        return Promise.resolve(false);
      }),
      (err: Error) => err.name === 'AbortError',
    );
    assert.deepEqual(asked, ['fnmesh/hello:v3.1']);
    assert.equal((await client.listFunctions(app)).items.find((f) => f.name === 'hello-v3')?.image, 'fnmesh/hello:v3.1');
    const same = await registerImage(client, app, { name: 'hello-v3', image: 'fnmesh/hello:v3.1' }, undefined, () => Promise.reject(new Error('not asked for the same image')));
    assert.equal(same.action, 'updated');
  });

  it('adds the missing trigger of a function left without one, when run again', async () => {
    const made = await callJson('POST', `${base}/v2/fns`, { app_id: app.id, name: 'no-trigger', image: 'fnmesh/hello:v1' });
    const result = await registerImage(client, app, { name: 'no-trigger', image: 'fnmesh/hello:v2' });
    assert.equal(result.action, 'updated');
    const listed = (await client.listFunctions(app)).items.find((f) => f.name === 'no-trigger');
    assert.equal(listed?.id, made.id);
    assert.deepEqual(listed?.triggers.map((t) => [t.type, t.source]), [['http', '/no-trigger']]);
  });

  it('says the trigger is missing when its creation fails, and the next run adds it', async () => {
    // Another function already holds the source /taken-path: Fn refuses a second trigger there.
    const other = await client.createFunction(app, { name: 'holder', image: 'fnmesh/hello:v1' });
    const held = await client.createHttpTrigger(other, '/taken-path');
    await assert.rejects(registerImage(client, app, { name: 'taken-path', image: 'fnmesh/hello:v1' }), (err: Error) => {
      assert.match(err.message, /^function reg-\w+\/taken-path was created with image fnmesh\/hello:v1, but its HTTP trigger \/taken-path could not be created: .*Run Register Image again/);
      return true;
    });
    assert.ok((await client.listFunctions(app)).items.some((f) => f.name === 'taken-path' && f.triggers.length === 0));
    await callJson('DELETE', `${base}/v2/triggers/${held.id ?? ''}`);
    const again = await registerImage(client, app, { name: 'taken-path', image: 'fnmesh/hello:v1' });
    assert.deepEqual(again.fn.triggers.map((t) => t.source), ['/taken-path']);
  });

  it("reports the server's message when Fn refuses", async () => {
    await assert.rejects(client.createFunction(app, { name: 'hello-v3', image: 'fnmesh/hello:x' }), (err: Error) => {
      assert.match(err.message, /^POST \/v2\/fns failed with 409 .*: .+/);
      return true;
    });
    await assert.rejects(client.createFunction({ ...app, id: 'no-such-app' }, { name: 'x', image: 'fnmesh/hello:x' }), /POST \/v2\/fns failed with 4\d\d .*: .+/);
  });

  it('refuses bad names and images before any request', async () => {
    await assert.rejects(registerImage(client, app, { name: 'bad name', image: 'a:b' }), /Fn function name "bad name" contains " "/);
    await assert.rejects(registerImage(client, app, { name: 'ok', image: 'http://registry/x' }), /not an image reference/);
  });
});

describe('Register image against the 2018 API (v1) stand-in', function () {
  this.timeout(30_000);
  it('refuses clearly: writes go through API v2 only', async () => {
    const client = new FnHttpClient(requiredEnv('FN_MESH_TEST_FN_V1_URL'));
    await assert.rejects(registerImage(client, { name: 'hello-app', annotations: {} }, { name: 'hello', image: 'fnmesh/hello:v1' }), /2018 Fn API \(v1\).*API v2/);
  });
});
