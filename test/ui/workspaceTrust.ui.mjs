// Workspace Trust as a person meets it: a folder whose .vscode/settings.json points Fn Mesh at
// another Fn server, at its own kubeconfig (whose credential plugin is a script in the folder)
// and at its own istioctl, opened with Workspace Trust on and not trusted (Restricted Mode).
// The user's own settings must win, no program of the folder may run, Deploy and New Version
// must refuse saying why and how to trust; once the folder is trusted from that refusal, its
// settings take effect.
//
// The folder's programs only leave marker files (ran-*) in the folder: a marker is the proof
// that Fn Mesh ran one. The fn CLI is the test double of test/fixtures/fn-cli, first on the
// server's PATH, which records every run in fn-cli-double.log where it runs.
//
// Needs the seeded Fn server (FN_MESH_TEST_FN_URL) and the local control plane (KUBECONFIG).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { freePort, repoRoot } from '../launchers/common.mjs';
import {
  clearNotifications,
  notificationMessage,
  openViewContainer,
  pressNotificationButton,
  runCommand,
  sideBarView,
  statusBarItem,
  treeRow,
} from './workbenchDriver.mjs';

const APP = 'hello-app';
const WORKSPACE_CONTEXT = 'workspace-context';
const FIRST_LOAD = { timeout: 60_000 };
/** What every refusal must say: why (not trusted) and how (Manage Workspace Trust). */
const REFUSAL = /not trusted \(Restricted Mode\).*Manage Workspace Trust/;

/** The workspace's Fn server: nothing listens there. Chosen once per run. */
let workspaceFnUrl;

const functionsView = (page) => sideBarView(page, 'Functions');
const marker = (workspace, name) => path.join(workspace, `ran-${name}`);
const restrictedMode = (page) => statusBarItem(page, 'Restricted Mode');

export const sessions = [
  {
    title: 'Workspace Trust: an untrusted folder with its own servers and programs',
    settings: async (env) => ({
      // Trust on, no start-up question: the folder opens untrusted, in Restricted Mode.
      'security.workspace.trust.enabled': true,
      'security.workspace.trust.startupPrompt': 'never',
      'fnMesh.fn.apiUrl': requiredEnv(env, 'FN_MESH_TEST_FN_URL', 'start the Fn server: scripts/fnserver.sh start && seed'),
    }),
    serverEnv: async (env) => ({ PATH: `${path.join(repoRoot, 'test', 'fixtures', 'fn-cli')}${path.delimiter}${env.PATH ?? ''}` }),
    workspace: async ({ dir, env }) => {
      requiredEnv(env, 'KUBECONFIG', 'start the control plane: scripts/controlplane.sh start; eval "$(scripts/controlplane.sh env)"');
      workspaceFnUrl = `http://127.0.0.1:${await freePort()}`;
      return untrustedFolder(dir, workspaceFnUrl, await freePort());
    },
    checks: [
      {
        name: 'the folder opens in Restricted Mode',
        timeoutMs: 90_000,
        run: async (page) => {
          await restrictedMode(page).waitFor(FIRST_LOAD);
        },
      },
      {
        name: "the Functions view lists the user's Fn server, not the workspace's fnMesh.fn.apiUrl",
        timeoutMs: 90_000,
        run: async (page, ctx) => {
          await openViewContainer(page, 'Fn Mesh');
          await treeRow(functionsView(page), APP).waitFor(FIRST_LOAD);
          const description = await functionsView(page).locator('.pane-header .description').textContent();
          assert.ok(description?.includes(ctx.settings['fnMesh.fn.apiUrl']), `the view's description names the user's server: "${description}"`);
          assert.ok(!description?.includes(workspaceFnUrl), `the view's description names the workspace's server: "${description}"`);
        },
      },
      {
        name: "the status bar shows the user's Kubernetes context; the workspace kubeconfig's credential plugin never ran",
        run: async (page, ctx) => {
          const userContext = currentContext(ctx.env.KUBECONFIG);
          await statusBarItem(page, new RegExp(`${userContext} · `)).waitFor();
          assert.equal(await statusBarItem(page, WORKSPACE_CONTEXT).count(), 0);
          assert.ok(!fs.existsSync(marker(ctx.workspace, 'kube-credential')), 'the workspace kubeconfig ran its exec plugin');
        },
      },
      {
        name: 'Deploy Function is refused before it asks anything, saying why and how to trust; the fn CLI never ran',
        run: async (page, ctx) => {
          await clearNotifications(page);
          await runCommand(page, 'Fn Mesh: Deploy Function');
          const message = await notificationMessage(page, 'Deploy Function');
          assert.match(message, REFUSAL);
          assert.match(message, /runs the fn CLI/);
          assert.equal(await page.locator('.quick-input-widget:visible').count(), 0, 'a quick pick was shown before the refusal');
          assert.ok(!fs.existsSync(path.join(ctx.workspace, 'hello-v1', 'fn-cli-double.log')), 'the fn CLI ran');
        },
      },
      {
        name: 'New Version of This Function is refused the same way; no folder is copied',
        run: async (page, ctx) => {
          await clearNotifications(page);
          await runCommand(page, 'Fn Mesh: New Version of This Function');
          assert.match(await notificationMessage(page, 'New Version of This Function'), REFUSAL);
          assert.ok(!fs.existsSync(path.join(ctx.workspace, 'hello-v2')), 'New Version copied the function folder');
          assert.ok(!fs.existsSync(path.join(ctx.workspace, 'hello-v1', 'fn-cli-double.log')), 'the fn CLI ran');
        },
      },
      {
        name: "Analyze with istioctl never runs the workspace's fnMesh.rules.istioctlPath",
        timeoutMs: 90_000,
        run: async (page, ctx) => {
          await clearNotifications(page);
          await runCommand(page, 'Fn Mesh: Analyze with istioctl');
          // The user's istioctl (FN_MESH_ISTIOCTL, PATH) runs, or none is found: either way it ended.
          await notificationMessage(page, /istioctl analyze: \d+ finding|istioctl not found: set fnMesh\.rules\.istioctlPath in your user settings/);
          assert.ok(!fs.existsSync(marker(ctx.workspace, 'istioctl')), "the workspace's istioctl ran");
        },
      },
      {
        name: "trusting the folder from the refusal's Manage Workspace Trust ends Restricted Mode",
        run: async (page) => {
          await clearNotifications(page);
          await runCommand(page, 'Fn Mesh: Deploy Function');
          await pressNotificationButton(page, 'Deploy Function', 'Manage Workspace Trust');
          // The Workspace Trust editor (a modal editor here): Trust, then close it.
          const editor = page.locator('.workspace-trust-editor');
          await editor.waitFor();
          await editor.locator('.monaco-button', { hasText: /^Trust( Folder)?$/ }).first().click();
          await restrictedMode(page).waitFor({ state: 'hidden' });
          const modal = page.getByRole('dialog', { name: 'Workspace Trust' });
          await modal.locator('.action-label[aria-label^="Close"]').first().click();
          await editor.waitFor({ state: 'hidden' });
        },
      },
      {
        name: "once trusted, the workspace's Fn server and kubeconfig take effect",
        timeoutMs: 90_000,
        run: async (page) => {
          await openViewContainer(page, 'Fn Mesh');
          const cannotList = new RegExp(`^Cannot list Fn apps from ${workspaceFnUrl.replace(/[.]/g, '\\.')}\\b`);
          await treeRow(functionsView(page), cannotList).waitFor(FIRST_LOAD);
          await statusBarItem(page, `${WORKSPACE_CONTEXT} · workspace-ns`).waitFor();
        },
      },
      {
        name: "once trusted, the workspace kubeconfig's credential plugin runs (so its absence above was Restricted Mode's doing)",
        run: async (page, ctx) => {
          await waitFor(() => fs.existsSync(marker(ctx.workspace, 'kube-credential')), 30_000, 'the credential plugin to run');
        },
      },
      {
        name: "even trusted, Analyze with istioctl never runs a workspace's istioctlPath (a machine setting: user settings only)",
        timeoutMs: 90_000,
        run: async (page, ctx) => {
          await clearNotifications(page);
          await runCommand(page, 'Fn Mesh: Analyze with istioctl');
          // The user's istioctl runs (and fails on the workspace's cluster, where nothing listens), or none is found.
          await notificationMessage(page, /istioctl analyze: \d+ finding|istioctl analyze failed|istioctl not found: set fnMesh\.rules\.istioctlPath in your user settings/);
          assert.ok(!fs.existsSync(marker(ctx.workspace, 'istioctl')), "the workspace's istioctl ran");
        },
      },
    ],
  },
];

/**
 * The untrusted folder: .vscode/settings.json with the three settings, its kubeconfig (context
 * workspace-context, a server where nothing listens, an exec credential plugin from the folder),
 * its istioctl, a function folder (hello-v1) and a rule file.
 */
function untrustedFolder(dir, fnUrl, deadApiserverPort) {
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin, { recursive: true });
  const script = (name, body) => {
    const file = path.join(bin, name);
    fs.writeFileSync(file, `#!/bin/sh\necho ran >>'${marker(dir, name)}'\n${body}`, { mode: 0o755 });
    return file;
  };
  const credential = script(
    'kube-credential',
    `echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"from-the-workspace"}}'\n`,
  );
  const istioctl = script('istioctl', 'echo "[]"\n');
  fs.writeFileSync(
    path.join(dir, 'kubeconfig.yaml'),
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: workspace-cluster',
      `  cluster: { server: "https://127.0.0.1:${deadApiserverPort}", insecure-skip-tls-verify: true }`,
      'users:',
      '- name: workspace-user',
      '  user:',
      `    exec: { apiVersion: client.authentication.k8s.io/v1, command: "${credential}", interactiveMode: Never }`,
      'contexts:',
      `- name: ${WORKSPACE_CONTEXT}`,
      '  context: { cluster: workspace-cluster, user: workspace-user, namespace: workspace-ns }',
      `current-context: ${WORKSPACE_CONTEXT}`,
      '',
    ].join('\n'),
  );
  fs.mkdirSync(path.join(dir, '.vscode'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, '.vscode', 'settings.json'),
    JSON.stringify({ 'fnMesh.fn.apiUrl': fnUrl, 'fnMesh.kubeconfig': path.join(dir, 'kubeconfig.yaml'), 'fnMesh.rules.istioctlPath': istioctl }, null, 2),
  );
  fs.mkdirSync(path.join(dir, 'hello-v1'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'hello-v1', 'func.yaml'), 'schema_version: 20180708\nname: hello-v1\nversion: 0.0.1\nruntime: node\n');
  fs.writeFileSync(
    path.join(dir, 'routes.yaml'),
    'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: { name: hello-app, namespace: default }\n' +
      'spec:\n  hosts: [hello-app]\n  http:\n  - route:\n    - destination: { host: hello-app }\n',
  );
  return dir;
}

async function waitFor(condition, ms, what) {
  for (const deadline = Date.now() + ms; Date.now() < deadline; ) {
    if (condition()) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`waited ${ms / 1000} s for ${what}`);
}

/** The current-context of a kubeconfig file (the control plane's has one, on a line of its own). */
function currentContext(file) {
  const match = /^current-context:\s*"?([^"\s]+)"?\s*$/m.exec(fs.readFileSync(file, 'utf8'));
  assert.ok(match, `${file} names no current-context`);
  return match[1];
}

function requiredEnv(env, name, hint) {
  const value = env[name];
  if (!value) {
    throw new Error(`${name} is not set: ${hint}`);
  }
  return value;
}
