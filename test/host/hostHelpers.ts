// Shared helpers of the extension-host suites: the extension's API, settings, and seeding the
// real Fn server through its REST API.
import * as assert from 'node:assert/strict';
import type { KubeConfig } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import * as vscode from 'vscode';
import { httpRequest } from '../../src/common/http';
import type { FnMeshApi } from '../../src/extension';
import type { AppNode, FnTreeNode } from '../../src/fn/tree/functionsTree';
import type { RoutedAppView } from '../../src/routing/cluster/routingView';
import { clientNode } from '../../src/kube/clientNode';
import { loadKubeconfig } from '../../src/kube/kubeconfig';

export const extensionId = 'fn-mesh.fn-mesh';

export async function activateExtension(): Promise<FnMeshApi> {
  const ext = vscode.extensions.getExtension<FnMeshApi>(extensionId);
  assert.ok(ext, `extension ${extensionId} is not installed in this host`);
  return ext.activate();
}

export async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('fnMesh').update(key, value, vscode.ConfigurationTarget.Global);
}

/** The Fn API URL of the real server the launcher started, or a clear failure. */
export function fnServerUrl(): string {
  const url = process.env.FN_MESH_TEST_FN_URL;
  assert.ok(url, 'FN_MESH_TEST_FN_URL is not set: the test launcher must start the Fn server');
  return url;
}

export async function fnPost(path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await httpRequest({
    method: 'POST',
    url: fnServerUrl() + path,
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });
  assert.ok(res.status >= 200 && res.status < 300, `POST ${path}: ${res.status} ${res.body}`);
  return JSON.parse(res.body) as Record<string, unknown>;
}

export async function fnDelete(path: string): Promise<void> {
  await httpRequest({ method: 'DELETE', url: fnServerUrl() + path });
}

/** Root nodes of the Functions view after the configuration change has been applied. */
export async function rootsWhen(api: FnMeshApi, accept: (nodes: FnTreeNode[]) => boolean, timeoutMs = 10_000): Promise<FnTreeNode[]> {
  const until = Date.now() + timeoutMs;
  let nodes: FnTreeNode[] = [];
  while (Date.now() < until) {
    nodes = await api.functionsTree.getChildren();
    if (accept(nodes)) {
      return nodes;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return nodes;
}

export function labels(nodes: FnTreeNode[]): string[] {
  return nodes.map((n) => (n.kind === 'app' ? n.app.name : n.kind === 'function' ? n.fn.name : n.label));
}

export function diagnosticCode(d: vscode.Diagnostic): string {
  return String(typeof d.code === 'object' ? d.code.value : d.code);
}

/** Fn Mesh's diagnostics of `uri` once `accept` holds for their codes (or when time runs out). */
export async function diagnosticsWhen(uri: vscode.Uri, accept: (codes: string[]) => boolean, timeoutMs = 20_000): Promise<vscode.Diagnostic[]> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const diags = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'fn-mesh');
    if (accept(diags.map(diagnosticCode)) || Date.now() > until) {
      return diags;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The admin kubeconfig the launcher's environment points at (KUBECONFIG). */
export async function adminKubeConfig(): Promise<KubeConfig> {
  return (await loadKubeconfig({ env: process.env, homeDir: '/nonexistent' })).config;
}

/**
 * A fresh namespace for a routing suite: created in the real API server, selected in the
 * extension, with the Fn server configured. The returned function undoes it all.
 */
export async function useRoutingNamespace(api: FnMeshApi, namespace: string): Promise<() => Promise<void>> {
  const k8s = await clientNode();
  const core = (await adminKubeConfig()).makeApiClient(k8s.CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: namespace } } });
  await setSetting('fn.apiUrl', fnServerUrl());
  await vscode.commands.executeCommand('fnMesh.kube.selectNamespace', namespace);
  api.routing.start();
  return async () => {
    await setSetting('fn.apiUrl', undefined);
    await core.deleteNamespace({ name: namespace }).catch(() => undefined);
  };
}

/** The Functions view's node of Fn app `name`, once the view lists it. */
export async function fnAppNode(api: FnMeshApi, name: string, timeoutMs = 10_000): Promise<AppNode> {
  const roots = await rootsWhen(api, (nodes) => labels(nodes).includes(name), timeoutMs);
  const app = roots.find((n): n is AppNode => n.kind === 'app' && n.app.name === name);
  assert.ok(app, `app ${name} not listed; root items: ${labels(roots).join(', ')}`);
  return app;
}

/**
 * hello-app (or `appName`) as the Traffic Routing view sees it, once `accept` holds (or when time runs out; then
 * whatever the view shows, possibly nothing).
 */
export async function routedAppWhen(api: FnMeshApi, accept: (app: RoutedAppView) => boolean, timeoutMs = 20_000, appName = 'hello-app'): Promise<RoutedAppView | undefined> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const snap = api.routing.snapshot;
    const app = snap.kind === 'ready' ? snap.apps.find((a) => a.appName === appName) : undefined;
    if ((app && accept(app)) || Date.now() > until) {
      return app;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
