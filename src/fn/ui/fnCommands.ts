// Commands about Fn itself: configure the endpoint, show it, copy an invoke URL, invoke a function.
import * as vscode from 'vscode';
import { commandIds } from '../../common/commandIds';
import { UserError, describeError } from '../../common/errors';
import { settingScopeToWrite } from '../../common/settingTarget';
import { registerCommand } from '../../common/vscode/commands';
import { readSettings } from './fnSettings';
import { loadAppNodes, loadFunctionNodes, type FunctionNode, type FnTreeNode } from '../tree/functionsTree';
import { describeConnection, type FnConnectionState } from '../connection';
import { bearer, tokenKey } from '../credentials';
import { normaliseUrl } from '../endpoint';
import { formatInvocation, invokeFunction } from '../invoke';
import type { FnConnectionService } from './fnConnectionService';

export interface FnCommandDeps {
  readonly log: vscode.LogOutputChannel;
  readonly responses: vscode.OutputChannel;
  readonly connection: FnConnectionService;
  /** VS Code's secret storage: where *Set Fn API Token…* keeps tokens. */
  readonly secrets: vscode.SecretStorage;
}

export function registerFnCommands(deps: FnCommandDeps): vscode.Disposable[] {
  const { log } = deps;
  return [
    registerCommand(log, commandIds.fnConfigure, () => configureEndpoint()),
    registerCommand(log, commandIds.fnSetToken, () => setToken(deps)),
    registerCommand(log, commandIds.fnShowEndpoint, async () => {
      const line = describeConnection(await deps.connection.state());
      log.info(`Fn endpoint: ${line}`);
      void vscode.window.showInformationMessage(`Fn Mesh: ${line}`);
      return line;
    }),
    registerCommand(log, commandIds.fnCopyInvokeUrl, async (node?: unknown) => {
      const fn = await functionArgument(deps, node);
      if (!fn?.invokeUrl) {
        throw new UserError(`no invoke URL is known for ${fn?.fn.name ?? 'this function'}`);
      }
      await vscode.env.clipboard.writeText(fn.invokeUrl);
      void vscode.window.setStatusBarMessage(`Copied ${fn.invokeUrl}`, 3000);
      return fn.invokeUrl;
    }),
    registerCommand(log, commandIds.fnInvoke, async (node?: unknown, bodyArg?: unknown) => {
      const fn = await functionArgument(deps, node);
      if (!fn) {
        return undefined;
      }
      return invoke(deps, fn, typeof bodyArg === 'string' ? bodyArg : undefined);
    }),
  ];
}

async function configureEndpoint(): Promise<string | undefined> {
  const current = readSettings().apiUrl ?? '';
  const value = await vscode.window.showInputBox({
    title: 'Fn API URL',
    prompt: 'URL of the Fn API server. Leave empty to use FN_API_URL or the current fn context.',
    value: current || 'http://localhost:8080',
    validateInput: (text) => {
      if (text.trim() === '') {
        return undefined;
      }
      const n = normaliseUrl(text);
      return 'error' in n ? n.error : undefined;
    },
  });
  if (value === undefined) {
    return undefined;
  }
  const cfg = vscode.workspace.getConfiguration('fnMesh');
  const scope = settingScopeToWrite(cfg.inspect<string>('fn.apiUrl'));
  const target = { global: vscode.ConfigurationTarget.Global, workspace: vscode.ConfigurationTarget.Workspace, workspaceFolder: vscode.ConfigurationTarget.WorkspaceFolder }[scope];
  await cfg.update('fn.apiUrl', value.trim(), target);
  return value.trim();
}

/**
 * Asks for the token of the current Fn endpoint and keeps it in VS Code's secret storage under
 * the endpoint's origin (never in settings); an empty answer removes it. Returns what was done.
 */
async function setToken(deps: FnCommandDeps): Promise<'stored' | 'removed' | undefined> {
  const state = await deps.connection.state();
  if (state.kind !== 'connected') {
    throw new UserError(`set the Fn API URL first: ${describeConnection(state)}`);
  }
  const origin = new URL(state.endpoint.apiUrl).origin;
  const token = await vscode.window.showInputBox({
    title: `Fn API token for ${origin}`,
    prompt: 'Sent as "Authorization: Bearer <token>" to this server only; kept in VS Code\'s secret storage. Leave empty to remove it.',
    password: true,
    ignoreFocusOut: true,
    validateInput: (text) => {
      if (text.trim() === '') {
        return undefined;
      }
      try {
        bearer(text);
        return undefined;
      } catch (err) {
        return describeError(err);
      }
    },
  });
  if (token === undefined) {
    return undefined;
  }
  const key = tokenKey(state.endpoint.apiUrl);
  if (token.trim() === '') {
    await deps.secrets.delete(key);
    deps.log.info(`Fn API token for ${origin} removed`);
    return 'removed';
  }
  await deps.secrets.store(key, token.trim());
  deps.log.info(`Fn API token for ${origin} stored in the secret storage`);
  return 'stored';
}

/** The `Authorization` for invoking `url`: the invoke URL's own, or the API's when it is on the API server. */
function invokeAuthorization(state: FnConnectionState, url: string): string | undefined {
  if (state.kind !== 'connected') {
    return undefined;
  }
  if (state.invokeBase && url.startsWith(state.invokeBase)) {
    return state.invokeAuthorization;
  }
  return url.startsWith(state.endpoint.apiUrl) ? state.endpoint.authorization : undefined;
}

function isFunctionNode(node: unknown): node is FunctionNode {
  return typeof node === 'object' && node !== null && (node as FnTreeNode).kind === 'function';
}

/** The function a command acts on: the tree node it was invoked on, or one the user picks. */
async function functionArgument(deps: FnCommandDeps, node: unknown): Promise<FunctionNode | undefined> {
  if (isFunctionNode(node)) {
    return node;
  }
  const state = await deps.connection.state();
  if (state.kind !== 'connected') {
    throw new UserError(describeConnection(state));
  }
  const picked = await vscode.window.showQuickPick(
    (async () => {
      const apps = await loadAppNodes(state.client);
      const items: (vscode.QuickPickItem & { node: FunctionNode })[] = [];
      for (const app of apps) {
        if (app.kind !== 'app') {
          continue;
        }
        for (const fn of await loadFunctionNodes(state.client, app.app, { invokeBase: state.invokeBase, maxFunctionsPerApp: readSettings().maxFunctionsPerApp })) {
          if (fn.kind === 'function') {
            items.push({ label: `${fn.fn.appName} / ${fn.fn.name}`, description: fn.fn.image, node: fn });
          }
        }
      }
      return items;
    })(),
    { title: 'Choose a function', matchOnDescription: true },
  );
  return picked?.node;
}

/** Returns the status and body, so callers (and tests) can see what the function answered. */
async function invoke(deps: FnCommandDeps, node: FunctionNode, bodyArg: string | undefined): Promise<{ status: number; body: string } | undefined> {
  const url = node.invokeUrl;
  if (!url) {
    throw new UserError(`no invoke URL is known for ${node.fn.appName}/${node.fn.name}`);
  }
  const body =
    bodyArg ??
    (await vscode.window.showInputBox({
      title: `Invoke ${node.fn.appName}/${node.fn.name}`,
      prompt: 'Request body (JSON is sent as application/json)',
      value: '{}',
    }));
  if (body === undefined) {
    return undefined;
  }
  const timeoutMs = readSettings().requestTimeoutSeconds * 1000;
  const authorization = invokeAuthorization(await deps.connection.state(), url);
  const res = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Invoking ${node.fn.name}…`, cancellable: true },
    (_progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      return invokeFunction({ url, body, timeoutMs, signal: abort.signal, authorization });
    },
  );
  deps.responses.appendLine(formatInvocation(url, res).join('\n'));
  deps.responses.appendLine('');
  deps.responses.show(true);
  deps.log.info(`invoked ${node.fn.appName}/${node.fn.name}: ${res.status} in ${res.elapsedMs} ms`);
  return { status: res.status, body: res.body };
}
