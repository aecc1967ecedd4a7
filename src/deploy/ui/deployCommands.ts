// Deploy Function, New Version of This Function, Register Image.
import * as vscode from 'vscode';
import { commandIds } from '../../common/commandIds';
import { UserError } from '../../common/errors';
import { registerCommand } from '../../common/vscode/commands';
import { requireTrust } from '../../common/vscode/workspaceTrust';
import type { AppNode, FunctionNode } from '../../fn/tree/functionsTree';
import { toKubeName } from '../../routing/names';
import type { RoutingService } from '../../routing/ui/routingService';
import { describeConnection, type FnConnectionState } from '../../fn/connection';
import { findOnPath } from '../../common/executables';
import { fnCliInstallDocs } from '../fnCli';
import { funcYamlName, setFuncYamlName } from '../funcYaml';
import { imageReferenceProblem } from '../../common/imageReference';
import { fnNameProblem } from '../../fn/names';
import { registerImage, type RegisterResult } from '../registerImage';
import { nextVersionName } from '../versionName';
import { isFnWriter } from '../../fn/fnWriter';
import type { FnApp, FnFunction } from '../../fn/model';
import { runDeployTask, type DeployRun } from './deployTask';
import type { FnConnectionService } from '../../fn/ui/fnConnectionService';
import { folderOfFunction, functionFolderArgument, funcYaml, readFuncYaml } from './functionFolders';

export interface DeployDeps {
  readonly log: vscode.LogOutputChannel;
  readonly connection: FnConnectionService;
  readonly routing: RoutingService;
  /** Remembers the app chosen per function folder. */
  readonly memento: vscode.Memento;
}

/** Answers given up front (tests, automation); anything missing is asked. */
interface DeployOptions {
  readonly app?: string;
}
interface RegisterOptions extends DeployOptions {
  readonly name?: string;
  readonly image?: string;
  readonly memoryMb?: number;
  readonly timeoutSeconds?: number;
}
export interface NewVersionResult {
  readonly folder: string;
  readonly name: string;
  readonly deploy?: DeployRun;
  readonly routed?: boolean;
}

type Connected = Extract<FnConnectionState, { kind: 'connected' }>;

export function registerDeployCommands(deps: DeployDeps): vscode.Disposable[] {
  const options = (value: unknown) => (typeof value === 'object' && value !== null ? value : {}) as RegisterOptions;
  return [
    registerCommand(deps.log, commandIds.fnDeploy, async (arg?: unknown, opts?: unknown) => {
      // Refused before anything is asked: Deploy runs the fn CLI on the workspace's code.
      requireTrust('Deploy Function', 'the fn CLI');
      const folder = await functionFolderArgument(arg);
      return folder ? deploy(deps, folder, options(opts).app) : undefined;
    }),
    registerCommand(deps.log, commandIds.fnNewVersion, (arg?: unknown, opts?: unknown) => newVersion(deps, arg, options(opts).app)),
    registerCommand(deps.log, commandIds.fnRegisterImage, (arg?: unknown, opts?: unknown) => register(deps, arg, options(opts))),
  ];
}

async function connected(deps: DeployDeps): Promise<Connected> {
  const state = await deps.connection.state();
  if (state.kind !== 'connected') {
    throw new UserError(describeConnection(state));
  }
  return state;
}

async function deploy(deps: DeployDeps, folder: vscode.Uri, app: string | undefined): Promise<DeployRun | undefined> {
  requireTrust('Deploy Function', 'the fn CLI');
  const fnName = funcYamlName((await readFuncYaml(folder)).text, vscode.workspace.asRelativePath(vscode.Uri.joinPath(folder, funcYaml)));
  const state = await connected(deps);
  const fnPath = findOnPath('fn');
  if (!fnPath) {
    deps.log.warn('Deploy: the fn CLI is not on PATH');
    // Not awaited: the command ends now, the message stays until the user closes it.
    void vscode.window
      .showErrorMessage('Fn Mesh: the fn CLI is not installed (no "fn" on PATH). Deploy runs "fn deploy": install the fn CLI, then try again.', 'Install Instructions')
      .then((choice) => (choice ? vscode.env.openExternal(vscode.Uri.parse(fnCliInstallDocs)) : undefined));
    return undefined;
  }
  const appName = app ?? (await pickApp(deps, state, folder));
  if (!appName) {
    return undefined;
  }
  deps.log.info(`deploying ${fnName ?? folder.fsPath} to app ${appName} on ${state.endpoint.apiUrl} with ${fnPath}`);
  const run = await runDeployTask(folder, appName, state.endpoint, fnPath);
  deps.log.info(`fn deploy in ${run.cwd} ended with exit code ${run.exitCode ?? '(none)'}`);
  if (run.exitCode === 0) {
    void vscode.window.showInformationMessage(`Fn Mesh: deployed ${fnName ?? 'the function'} to ${appName}`);
    void vscode.commands.executeCommand(commandIds.fnRefresh);
  } else {
    void vscode.window.showErrorMessage(`Fn Mesh: fn deploy failed (exit code ${run.exitCode ?? 'unknown'}): see the task's terminal`);
  }
  return run;
}

/** A quick pick of the Fn apps, the one last used for this folder first. */
async function pickApp(deps: DeployDeps, state: Connected, folder: vscode.Uri): Promise<string | undefined> {
  const key = `fnMesh.deploy.app:${folder.toString()}`;
  const last = deps.memento.get<string>(key);
  const apps = (await state.client.listApps()).items.map((a) => a.name).sort((a, b) => (a === last ? -1 : b === last ? 1 : a.localeCompare(b)));
  if (apps.length === 0) {
    throw new UserError(`no Fn apps on ${state.endpoint.apiUrl}: create one first (fn create app <name>)`);
  }
  const picked = await vscode.window.showQuickPick(
    apps.map((name) => ({ label: name, description: name === last ? 'last used for this folder' : undefined })),
    { title: `Deploy ${vscode.workspace.asRelativePath(folder)} to which Fn app?` },
  );
  if (picked) {
    await deps.memento.update(key, picked.label);
  }
  return picked?.label;
}

async function newVersion(deps: DeployDeps, arg: unknown, app: string | undefined): Promise<NewVersionResult | undefined> {
  // Deploys the copy with the fn CLI: never in an untrusted workspace.
  requireTrust('New Version of This Function', 'the fn CLI');
  const node = arg as FunctionNode | undefined;
  const fromTree = node?.kind === 'function';
  const folder = fromTree ? await folderOfFunction(node.fn.name) : await functionFolderArgument(arg);
  if (!folder) {
    if (fromTree) {
      throw new UserError(`no folder in this workspace has a ${funcYaml} with "name: ${node.fn.name}": open the function's source to make a new version`);
    }
    return undefined;
  }
  const source = await readFuncYaml(folder);
  const relative = vscode.workspace.asRelativePath(source.uri);
  const currentName = funcYamlName(source.text, relative) ?? folder.path.split('/').pop() ?? '';
  const name = nextVersionName(currentName);
  const target = vscode.Uri.joinPath(folder, '..', name);
  if (await exists(target)) {
    throw new UserError(`${vscode.workspace.asRelativePath(target)} already exists: Fn Mesh does not overwrite it`);
  }
  const edited = setFuncYamlName(source.text, name, relative);
  await vscode.workspace.fs.copy(folder, target, { overwrite: false });
  await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(target, funcYaml), Buffer.from(edited, 'utf8'));
  deps.log.info(`new version: copied ${vscode.workspace.asRelativePath(folder)} to ${vscode.workspace.asRelativePath(target)} (name: ${name})`);
  const run = await deploy(deps, target, app ?? (fromTree ? node.fn.appName : undefined));
  const result: NewVersionResult = { folder: target.fsPath, name, deploy: run };
  if (run?.exitCode !== 0) {
    return result;
  }
  return { ...result, routed: await addToRoute(deps, run.app, name) };
}

/** When the app is routed: the same route with the new version at weight 0. */
async function addToRoute(deps: DeployDeps, appName: string, fnName: string): Promise<boolean> {
  // The watches may never have run (the Traffic Routing view not shown yet): read the routing now.
  const snapshot = await deps.routing.settled();
  if (snapshot.kind === 'error') {
    deps.log.warn(`${fnName} is deployed; whether ${appName} is routed could not be read (${snapshot.message}): add it with Route Traffic if it is`);
    return false;
  }
  const view = snapshot.kind === 'ready' ? snapshot.apps.find((a) => (a.fnAppName ?? a.appName) === appName || a.appName === toKubeName(appName, 'Fn app name')) : undefined;
  if (!view) {
    return false;
  }
  const state = await connected(deps);
  const app = (await state.client.listApps()).items.find((a) => a.name === appName);
  if (!app) {
    throw new UserError(`Fn app ${appName} not found on ${state.endpoint.apiUrl}`);
  }
  const appNode: AppNode = { kind: 'app', id: `app/${app.id ?? app.name}`, app };
  const functions = [...view.versions.map((v) => v.fnName ?? v.version), fnName];
  const weights = [...view.versions.map((v) => `${v.version}=${v.weight}`), `${toKubeName(fnName, 'Fn function name')}=0`].join(',');
  deps.log.info(`adding ${fnName} to the route of ${appName} at weight 0: ${weights}`);
  await vscode.commands.executeCommand(commandIds.routingRouteTraffic, appNode, { functions, weights, action: 'apply' });
  return true;
}

async function register(deps: DeployDeps, arg: unknown, opts: RegisterOptions): Promise<RegisterResult | undefined> {
  const state = await connected(deps);
  const client = state.client;
  if (!isFnWriter(client)) {
    throw new UserError('this Fn connection cannot create functions');
  }
  const app = await appArgument(state, arg, opts.app);
  if (!app) {
    return undefined;
  }
  const name = opts.name ?? (await ask(`Function name in ${app.name}`, 'hello', (v) => fnNameProblem(v, 'Fn function name')));
  const image = name === undefined ? undefined : (opts.image ?? (await ask(`Image for ${app.name}/${name}`, 'registry.example.com/team/hello:0.0.1', imageReferenceProblem)));
  if (name === undefined || image === undefined) {
    return undefined;
  }
  // Typed in (not automation): replacing the image of a function that exists, and may carry traffic, is confirmed.
  const confirmReplace =
    opts.name === undefined
      ? async (existing: FnFunction): Promise<boolean> =>
          (await vscode.window.showWarningMessage(
            `${app.name}/${name} already exists with image ${existing.image}. Replace its image with ${image}?`,
            { modal: true, detail: 'Its invocations, and any route to it, get the new image at once; Fn keeps no earlier image to go back to.' },
            'Replace',
          )) === 'Replace'
      : undefined;
  const result = await registerImage(client, app, { name, image, memoryMb: opts.memoryMb ?? 128, timeoutSeconds: opts.timeoutSeconds ?? 30 }, undefined, confirmReplace);
  deps.log.info(`register image: ${result.action} ${app.name}/${name} with ${image}`);
  void vscode.window.showInformationMessage(`Fn Mesh: ${result.action} ${app.name}/${name} (${image})`);
  await vscode.commands.executeCommand(commandIds.fnRefresh);
  return result;
}

async function appArgument(state: Connected, arg: unknown, given: string | undefined): Promise<FnApp | undefined> {
  const node = arg as AppNode | undefined;
  if (node?.kind === 'app') {
    return node.app;
  }
  const apps = (await state.client.listApps()).items;
  if (given !== undefined) {
    const app = apps.find((a) => a.name === given);
    if (!app) {
      throw new UserError(`no Fn app ${given} on ${state.endpoint.apiUrl}`);
    }
    return app;
  }
  const picked = await vscode.window.showQuickPick(apps.map((a) => ({ label: a.name, app: a })), { title: 'Register the image in which Fn app?' });
  return picked?.app;
}

function ask(title: string, placeHolder: string, validate: (value: string) => string | undefined): Thenable<string | undefined> {
  return vscode.window.showInputBox({ title, placeHolder, validateInput: (v) => validate(v.trim()) }).then((v) => v?.trim());
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
