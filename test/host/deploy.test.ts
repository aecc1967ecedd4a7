// Deploy, New Version and Register Image in a real extension host. The fn CLI cannot be installed
// here: a TEST DOUBLE named `fn` (test/fixtures/fn-cli/fn) is put first on the extension host's
// PATH; it records its arguments, working directory and environment into fn-cli-double.log in the
// folder it runs in. Register Image talks to the real Fn server.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FnMeshApi } from '../../src/extension';
import type { RegisterResult } from '../../src/deploy/registerImage';
import type { NewVersionResult } from '../../src/deploy/ui/deployCommands';
import type { DeployRun } from '../../src/deploy/ui/deployTask';
import type { ApplyOutcome } from '../../src/kube/objects/applyObjects';
import { activateExtension, extensionId, fnAppNode, fnDelete, fnPost, fnServerUrl, labels, rootsWhen, routedAppWhen, setSetting, useRoutingNamespace } from './hostHelpers';

interface Recorded {
  args: string[];
  cwd: string;
  FN_API_URL: string;
  PATH: string;
}

function lastCall(folder: string): Recorded {
  const lines = fs.readFileSync(path.join(folder, 'fn-cli-double.log'), 'utf8').trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as Recorded;
}

const funcYaml = '# the hello function, version 1\nschema_version: 20180708\nname: hello-v1 # Fn name\nversion: 0.0.1\nruntime: node\n';

suite('Deploy', () => {
  const appName = `deploy-${Date.now().toString(36)}`;
  let api: FnMeshApi;
  let appId = '';
  let root = '';
  let doubleDir = '';
  let originalPath: string | undefined;

  suiteSetup(async () => {
    api = await activateExtension();
    const workspace = vscode.workspace.workspaceFolders?.[0];
    assert.ok(workspace, 'the host tests need a workspace folder');
    root = path.join(workspace.uri.fsPath, `fns-${appName}`);
    fs.mkdirSync(path.join(root, 'hello-v1'), { recursive: true });
    fs.writeFileSync(path.join(root, 'hello-v1', 'func.yaml'), funcYaml);
    const ext = vscode.extensions.getExtension(extensionId);
    assert.ok(ext);
    doubleDir = path.join(ext.extensionPath, 'test', 'fixtures', 'fn-cli');
    fs.chmodSync(path.join(doubleDir, 'fn'), 0o755);
    // The extension looks fn up on the extension host's own PATH and runs what it found.
    originalPath = process.env.PATH;
    process.env.PATH = `${doubleDir}${path.delimiter}${originalPath ?? ''}`;
    appId = String((await fnPost('/v2/apps', { name: appName })).id);
    await setSetting('fn.apiUrl', fnServerUrl());
  });

  suiteTeardown(async () => {
    process.env.PATH = originalPath;
    await setSetting('fn.apiUrl', undefined);
    const fns = (await (await fetch(`${fnServerUrl()}/v2/fns?app_id=${appId}`)).json()) as { items?: { id: string }[] };
    for (const fn of fns.items ?? []) {
      await fnDelete(`/v2/fns/${fn.id}`);
    }
    await fnDelete(`/v2/apps/${appId}`);
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('Deploy runs fn deploy as a task in the function folder with the Fn endpoint', async function () {
    this.timeout(60_000);
    const folder = path.join(root, 'hello-v1');
    const run = await vscode.commands.executeCommand<DeployRun | undefined>('fnMesh.fn.deploy', vscode.Uri.file(folder), { app: appName });
    assert.ok(run, 'the command returned no run (see the Fn Mesh log)');
    assert.equal(run.exitCode, 0);
    assert.equal(run.command, path.join(doubleDir, 'fn'));
    const call = lastCall(folder);
    assert.deepEqual(call.args, ['--verbose', 'deploy', '--app', appName]);
    assert.equal(fs.realpathSync(call.cwd), fs.realpathSync(folder));
    assert.equal(call.FN_API_URL, fnServerUrl());
    console.log(`deploy test: the task's PATH ${call.PATH.split(path.delimiter).includes(doubleDir) ? 'includes' : 'does not include'} the test double's folder`);
  });

  test('Deploy without fn on PATH starts no task', async () => {
    const folder = path.join(root, 'hello-v1');
    const before = fs.readFileSync(path.join(folder, 'fn-cli-double.log'), 'utf8');
    process.env.PATH = '/nonexistent';
    try {
      assert.equal(await vscode.commands.executeCommand('fnMesh.fn.deploy', vscode.Uri.file(folder), { app: appName }), undefined);
    } finally {
      process.env.PATH = `${doubleDir}${path.delimiter}${originalPath ?? ''}`;
    }
    assert.equal(fs.readFileSync(path.join(folder, 'fn-cli-double.log'), 'utf8'), before);
  });

  test('Deploy on a func.yaml file deploys its folder', async function () {
    this.timeout(60_000);
    const folder = path.join(root, 'hello-v1');
    const run = await vscode.commands.executeCommand<DeployRun | undefined>('fnMesh.fn.deploy', vscode.Uri.file(path.join(folder, 'func.yaml')), { app: appName });
    assert.equal(run?.exitCode, 0);
    assert.equal(fs.realpathSync(run.cwd), fs.realpathSync(folder));
  });

  test('New Version copies the folder to hello-v2, renames it in func.yaml and deploys it', async function () {
    this.timeout(60_000);
    const result = await vscode.commands.executeCommand<NewVersionResult | undefined>('fnMesh.fn.newVersion', vscode.Uri.file(path.join(root, 'hello-v1')), { app: appName });
    assert.ok(result, 'the command returned nothing (see the Fn Mesh log)');
    const target = path.join(root, 'hello-v2');
    assert.equal(result.name, 'hello-v2');
    assert.equal(fs.readFileSync(path.join(target, 'func.yaml'), 'utf8'), funcYaml.replace('name: hello-v1 #', 'name: hello-v2 #'));
    assert.equal(result.deploy?.exitCode, 0);
    assert.equal(fs.realpathSync(lastCall(target).cwd), fs.realpathSync(target));
    assert.equal(result.routed, false);
    // A second time, hello-v2 exists: refused, nothing overwritten.
    const again = await vscode.commands.executeCommand('fnMesh.fn.newVersion', vscode.Uri.file(path.join(root, 'hello-v1')), { app: appName });
    assert.equal(again, undefined);
    assert.ok(!fs.existsSync(path.join(root, 'hello-v3')));
  });

  test('New Version of a routed app adds the new function to its route at weight 0, the other weights kept', async function () {
    this.timeout(180_000);
    const lb = process.env.FN_MESH_TEST_LB_URL;
    assert.ok(lb, 'FN_MESH_TEST_LB_URL is not set: the launcher starts the runner-lb stand-in');
    const cleanUp = await useRoutingNamespace(api, `deploy-route-${Date.now().toString(36)}`);
    try {
      await setSetting('routing.fnLbUrl', lb);
      for (const name of ['hello-v1', 'hello-v2']) {
        await fnPost('/v2/fns', { app_id: appId, name, image: `fnmesh/hello:${name}`, memory: 128, timeout: 30 });
      }
      const app = await fnAppNode(api, appName);
      const routed = await vscode.commands.executeCommand<ApplyOutcome>('fnMesh.routing.routeTraffic', app, {
        functions: ['hello-v1', 'hello-v2'],
        weights: 'hello-v1=60,hello-v2=40',
        action: 'apply',
      });
      assert.ok(routed?.ok, routed?.summary);
      // The double does not reach the Fn server: the function a real `fn deploy` creates is put there here.
      await fnPost('/v2/fns', { app_id: appId, name: 'hello-v3', image: 'fnmesh/hello:hello-v3', memory: 128, timeout: 30 });
      const result = await vscode.commands.executeCommand<NewVersionResult | undefined>('fnMesh.fn.newVersion', vscode.Uri.file(path.join(root, 'hello-v2')), { app: appName });
      assert.equal(result?.name, 'hello-v3');
      assert.equal(result.deploy?.exitCode, 0);
      assert.equal(result.routed, true);
      const weights = (view: { versions: readonly { version: string; weight: number }[] } | undefined): string => view?.versions.map((v) => `${v.version}=${v.weight}`).join(',') ?? 'not routed';
      const view = await routedAppWhen(api, (a) => a.versions.length === 3, 60_000, appName);
      assert.equal(weights(view), 'hello-v1=60,hello-v2=40,hello-v3=0');
      assert.deepEqual(view?.versions.map((v) => v.fnName), ['hello-v1', 'hello-v2', 'hello-v3']);
    } finally {
      await setSetting('routing.fnLbUrl', undefined);
      await cleanUp();
    }
  });

  test('Register Image creates a function that the Functions tree shows', async function () {
    this.timeout(60_000);
    const result = await vscode.commands.executeCommand<RegisterResult | undefined>('fnMesh.fn.registerImage', undefined, {
      app: appName,
      name: 'hello-v9',
      image: 'fnmesh/hello:v9',
    });
    assert.equal(result?.action, 'created');
    assert.deepEqual(result.fn.triggers.map((t) => t.source), ['/hello-v9']);
    const roots = await rootsWhen(api, (nodes) => labels(nodes).includes(appName));
    const app = roots.find((n) => n.kind === 'app' && n.app.name === appName);
    assert.ok(app, `apps: ${labels(roots).join(', ')}`);
    const children = await api.functionsTree.getChildren(app);
    assert.ok(labels(children).includes('hello-v9'), `functions: ${labels(children).join(', ')}`);
  });
});
