// Switching the Kubernetes context from the status bar's picker, with the Traffic Routing view
// never shown: every command then acts on the context and namespace picked last, and an Undo acts
// only on its own change, app and context. Runs against the real API server with a kubeconfig of
// two contexts (same server, each with its own namespace), given through `fnMesh.kubeconfig`.
// The command-level test shows the defect only while the extension's view has never been shown
// (true when this suite runs alone); the service-level test uses its own, never-shown instance.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { dump, load } from 'js-yaml';
import * as vscode from 'vscode';
import type { FnMeshApi } from '../../src/extension';
import type { ApplyOutcome } from '../../src/kube/objects/applyObjects';
import type { KubeSelection } from '../../src/kube/connection';
import { clientNode } from '../../src/kube/clientNode';
import { connectKubeResources, type KubeResources } from '../../src/routing/cluster/kubeResources';
import { readWeightedRoute, routeWeights } from '../../src/routing/cluster/routeWeights';
import type { WeightsChange } from '../../src/routing/cluster/weightsUpdate';
import type { RoutePlan } from '../../src/routing/routePlan';
import { RoutingService } from '../../src/routing/ui/routingService';
import { formatWeights } from '../../src/routing/weights';
import { activateExtension, adminKubeConfig, fnAppNode, fnServerUrl, routedAppWhen, setSetting } from './hostHelpers';

const stamp = Date.now().toString(36);
const nsA = `switch-a-${stamp}`;
const nsB = `switch-b-${stamp}`;
const contextA = 'fn-mesh-switch-a';
const contextB = 'fn-mesh-switch-b';
const lbBaseUrl = 'http://fn.fn-system.svc.cluster.local:90';

interface KubeconfigFile {
  clusters: { name: string }[];
  users: { name: string }[];
  contexts: { name: string; context: Record<string, string> }[];
  'current-context': string;
}

/** The launcher's admin kubeconfig with two more contexts on the same cluster and user. */
function writeTwoContextKubeconfig(dir: string): string {
  const admin = process.env.KUBECONFIG;
  assert.ok(admin, 'KUBECONFIG is not set: the launcher must start the API server');
  const config = load(fs.readFileSync(admin, 'utf8')) as KubeconfigFile;
  const cluster = config.clusters[0]?.name ?? '';
  const user = config.users[0]?.name ?? '';
  config.contexts = [
    { name: contextA, context: { cluster, user, namespace: nsA } },
    { name: contextB, context: { cluster, user, namespace: nsB } },
  ];
  config['current-context'] = contextA;
  const file = path.join(dir, 'kubeconfig');
  fs.writeFileSync(file, dump(config), { mode: 0o600 });
  return file;
}

async function selectContext(name: string): Promise<void> {
  const shown = await vscode.commands.executeCommand<string>('fnMesh.kube.selectContext', name);
  assert.match(shown ?? '', new RegExp(`^${name} · `), `the status bar text after picking ${name}`);
}

/** Applies a one-ConfigMap rule file without a namespace through Apply Rule File (confirmed). */
async function applyConfigMap(name: string): Promise<ApplyOutcome | undefined> {
  const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  probe: "${name}"\n` });
  await vscode.window.showTextDocument(doc);
  return vscode.commands.executeCommand<ApplyOutcome>('fnMesh.rules.applyFile', true);
}

async function weightsIn(admin: KubeResources, namespace: string): Promise<string> {
  const route = await admin.get({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', namespace, name: 'hello-app' });
  assert.ok(route, `VirtualService hello-app in ${namespace}`);
  return formatWeights(routeWeights(readWeightedRoute(route)));
}

suite('Connection switch', () => {
  let api: FnMeshApi;
  let admin: KubeResources;
  let dir: string;
  let previous: KubeSelection;
  let kubeconfigFile: string;

  suiteSetup(async () => {
    api = await activateExtension();
    admin = await connectKubeResources(await adminKubeConfig());
    const k8s = await clientNode();
    const core = (await adminKubeConfig()).makeApiClient(k8s.CoreV1Api);
    for (const name of [nsA, nsB]) {
      await core.createNamespace({ body: { metadata: { name } } });
    }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fn-mesh-switch-'));
    previous = api.kube.selection();
    await setSetting('fn.apiUrl', fnServerUrl());
    kubeconfigFile = writeTwoContextKubeconfig(dir);
    await setSetting('kubeconfig', kubeconfigFile);
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await setSetting('kubeconfig', undefined);
    await setSetting('fn.apiUrl', undefined);
    await api.kube.select(previous);
    const k8s = await clientNode();
    const core = (await adminKubeConfig()).makeApiClient(k8s.CoreV1Api);
    for (const name of [nsA, nsB]) {
      await core.deleteNamespace({ name }).catch(() => undefined);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('Apply Rule File and Route Traffic act on the context picked last, the view never shown', async () => {
    await selectContext(contextA);
    const first = await applyConfigMap('probe-first');
    assert.ok(first?.ok, first?.summary);
    assert.ok(await admin.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: nsA, name: 'probe-first' }), `probe-first in ${nsA}`);

    await selectContext(contextB);
    const second = await applyConfigMap('probe-second');
    assert.ok(second?.ok, second?.summary);
    assert.equal(await admin.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: nsA, name: 'probe-second' }), undefined, `written into ${nsA} of the previous context`);
    assert.ok(await admin.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: nsB, name: 'probe-second' }), `probe-second in ${nsB}`);

    const app = await fnAppNode(api, 'hello-app');
    const plan = await vscode.commands.executeCommand<RoutePlan>('fnMesh.routing.routeTraffic', app, { functions: ['v1', 'v2'], weights: 'v1=50,v2=50', action: 'preview', lbBaseUrl });
    assert.ok(plan, 'Route Traffic returned no plan');
    assert.deepEqual([...new Set(plan.objects.map((o) => o.metadata.namespace))], [nsB]);
  });

  test('a routing service that never showed the view follows every context and namespace switch', async () => {
    // Its own instance: the suites before this one may have shown the extension's view already.
    const log = vscode.window.createOutputChannel('Fn Mesh: connection switch test', { log: true });
    const routing = new RoutingService(log, api.kube);
    try {
      await selectContext(contextA);
      const first = await routing.resolve();
      assert.deepEqual([first.context, first.namespace], [contextA, nsA]);
      await selectContext(contextB);
      const second = await routing.resolve();
      assert.deepEqual([second.context, second.namespace], [contextB, nsB]);
      assert.deepEqual(second.cli, { files: [kubeconfigFile], source: 'setting', context: contextB });
      assert.equal(await vscode.commands.executeCommand<string>('fnMesh.kube.selectNamespace', nsA), `${contextB} · ${nsA} (${second.site.clusterKey.split(' @ ')[1] ?? ''})`);
      const third = await routing.resolve();
      assert.deepEqual([third.context, third.namespace], [contextB, nsA]);
      assert.equal(routing.snapshot.kind, 'idle');
    } finally {
      routing.dispose();
      log.dispose();
    }
  });

  test('Undo acts on its own change, app and context only', async () => {
    await selectContext(contextA);
    const app = await fnAppNode(api, 'hello-app');
    const routed = await vscode.commands.executeCommand<ApplyOutcome>('fnMesh.routing.routeTraffic', app, {
      functions: ['v1', 'v2'],
      weights: 'v1=50,v2=50',
      action: 'apply',
      lbBaseUrl,
      injection: 'pod-label',
    });
    assert.ok(routed?.ok, routed?.summary);
    api.routing.start();
    const view = await routedAppWhen(api, (a) => a.namespace === nsA && a.versions.map((v) => v.weight).join('/') === '50/50');
    assert.ok(view, `hello-app routed in ${nsA}`);
    const change = await vscode.commands.executeCommand<WeightsChange>('fnMesh.routing.adjustWeights', { kind: 'routedApp', id: 'x', view }, 'v1=20,v2=80');
    assert.equal(change?.unchanged, false);

    // Right-click Undo on another app: that app has no change; hello-app's is not touched.
    const other = { kind: 'routedApp', id: 'y', view: { ...view, appName: 'other-app' } };
    assert.equal(await vscode.commands.executeCommand('fnMesh.routing.undoWeights', other), undefined);
    assert.equal(await weightsIn(admin, nsA), 'v1=20,v2=80');

    // After a context switch, the notification's Undo must not write with the new context.
    await selectContext(contextB);
    assert.equal(await vscode.commands.executeCommand('fnMesh.routing.undoWeights', change), undefined);
    assert.equal(await weightsIn(admin, nsA), 'v1=20,v2=80');

    // Back where the change was made, the same Undo works.
    await selectContext(contextA);
    const undone = await vscode.commands.executeCommand<WeightsChange>('fnMesh.routing.undoWeights', change);
    assert.equal(undone && formatWeights(undone.applied), 'v1=50,v2=50');
    assert.equal(await weightsIn(admin, nsA), 'v1=50,v2=50');
  });
});
