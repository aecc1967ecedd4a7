// The Functions view as plain data: which nodes exist, what they say, and how they are loaded.
// Failures become message nodes, never rejections. Pure: no `vscode`.
import { describeError } from '../../common/errors';
import type { FnClient } from '../fnClient';
import { describeFunction, invokeUrlFor, type FnApiVersion, type FnApp, type FnFunction } from '../model';

export type FnTreeNode = AppNode | FunctionNode | MessageNode | ActionNode;

export interface AppNode {
  readonly kind: 'app';
  readonly id: string;
  readonly app: FnApp;
}

export interface FunctionNode {
  readonly kind: 'function';
  readonly id: string;
  readonly fn: FnFunction;
  readonly api: FnApiVersion;
  readonly invokeUrl?: string;
}

export interface MessageNode {
  readonly kind: 'message';
  readonly id: string;
  readonly severity: 'error' | 'info';
  readonly label: string;
  readonly detail?: string;
  readonly retryable: boolean;
  readonly configurable: boolean;
}

/** A clickable child of an error message, e.g. Retry or Configure. */
export interface ActionNode {
  readonly kind: 'action';
  readonly id: string;
  readonly label: string;
  readonly action: 'retry' | 'configure';
}

export interface LoadOptions {
  readonly signal?: AbortSignal;
  readonly maxFunctionsPerApp?: number;
  /** Base URL of the lb node, when configured. */
  readonly invokeBase?: string;
}

export function errorNode(id: string, label: string, err: unknown, configurable = true): MessageNode {
  return { kind: 'message', id, severity: 'error', label, detail: describeError(err), retryable: true, configurable };
}

export async function loadAppNodes(client: FnClient, options: LoadOptions = {}): Promise<FnTreeNode[]> {
  try {
    const apps = await client.listApps({ signal: options.signal });
    if (apps.items.length === 0) {
      return [{ kind: 'message', id: 'no-apps', severity: 'info', label: 'No Fn apps on this server', retryable: true, configurable: false }];
    }
    const nodes: FnTreeNode[] = [...apps.items]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((app) => ({ kind: 'app', id: `app/${app.id ?? app.name}`, app }));
    return nodes;
  } catch (err) {
    return [errorNode('apps-error', `Cannot list Fn apps from ${client.apiUrl}`, err)];
  }
}

export async function loadFunctionNodes(client: FnClient, app: FnApp, options: LoadOptions = {}): Promise<FnTreeNode[]> {
  const appKey = app.id ?? app.name;
  try {
    const api = await client.apiVersion(options.signal);
    const limit = options.maxFunctionsPerApp ?? 2000;
    const fns = await client.listFunctions(app, { signal: options.signal, limit });
    const nodes: FnTreeNode[] = [...fns.items]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((fn) => ({
        kind: 'function',
        id: `fn/${appKey}/${fn.id ?? fn.name}`,
        fn,
        api,
        invokeUrl: invokeUrlFor(fn, api, client.apiUrl, options.invokeBase),
      }));
    if (fns.truncated) {
      nodes.push({
        kind: 'message',
        id: `more/${appKey}`,
        severity: 'info',
        label: `Only the first ${limit} functions are shown`,
        detail: 'Raise fnMesh.fn.maxFunctionsPerApp to see more.',
        retryable: false,
        configurable: false,
      });
    }
    if (nodes.length === 0) {
      nodes.push({ kind: 'message', id: `empty/${appKey}`, severity: 'info', label: 'No functions', retryable: false, configurable: false });
    }
    return nodes;
  } catch (err) {
    return [errorNode(`fns-error/${appKey}`, `Cannot list the functions of ${app.name}`, err)];
  }
}

/** Children of a node that are not loaded from the server. */
export function staticChildren(node: FnTreeNode): FnTreeNode[] {
  if (node.kind !== 'message' || node.severity !== 'error') {
    return [];
  }
  const actions: FnTreeNode[] = [];
  if (node.retryable) {
    actions.push({ kind: 'action', id: `${node.id}/retry`, label: 'Retry', action: 'retry' });
  }
  if (node.configurable) {
    actions.push({ kind: 'action', id: `${node.id}/configure`, label: 'Configure Fn Endpoint…', action: 'configure' });
  }
  return actions;
}

/** Description and tooltip text shown for a function. */
export function functionDetails(node: FunctionNode): { description: string; tooltip: string } {
  const fn = node.fn;
  const lines = [`${fn.appName} / ${fn.name}`, `image: ${fn.image || '(none)'}`];
  if (fn.memoryMb !== undefined) {
    lines.push(`memory: ${fn.memoryMb} MB`);
  }
  if (fn.timeoutSeconds !== undefined) {
    lines.push(`timeout: ${fn.timeoutSeconds} s`);
  }
  if (fn.id) {
    lines.push(`id: ${fn.id}`);
  }
  for (const t of fn.triggers) {
    lines.push(`trigger ${t.name || t.source} (${t.type}): ${t.source}${t.endpoint ? ` → ${t.endpoint}` : ''}`);
  }
  lines.push(node.invokeUrl ? `invoke: ${node.invokeUrl}` : 'invoke: no endpoint known');
  return { description: describeFunction(fn), tooltip: lines.join('\n') };
}
