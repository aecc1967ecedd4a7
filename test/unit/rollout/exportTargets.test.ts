// The export targets filled from an app as Fn Mesh routes it: the generated manifests, joined into
// the view the Traffic Routing tree shows, give the names and labels the Canary and the Rollout use;
// and the check of an exported object when the cluster does not serve its kind.
import * as assert from 'node:assert/strict';
import type { ApplyOutcome } from '../../../src/kube/objects/applyObjects';
import type { LiveObject, ObjectToWrite } from '../../../src/kube/objects/types';
import { argoTargetOf, checkExport, exportObject, flaggerTargetOf } from '../../../src/rollout/ui/exportTargets';
import { argoRollout } from '../../../src/rollout/rolloutExport';
import type { RolloutPlan } from '../../../src/rollout/rolloutPlan';
import { joinRouting, type RoutedAppView } from '../../../src/routing/cluster/routingView';
import { generateManifests, type ManifestOptions } from '../../../src/routing/manifests/appManifests';
import type { RoutedApp } from '../../../src/routing/model';
import { helloApp, oddNamesApp } from '../../fixtures/routing/helloApp';
import { plan } from './rolloutFixtures';

function routed(app: RoutedApp, options?: ManifestOptions): { view: RoutedAppView; objects: LiveObject[] } {
  const objects = generateManifests(app, options) as unknown as LiveObject[];
  const of = (kind: string) => objects.filter((o) => o.kind === kind);
  const [view] = joinRouting({ routes: [...of('VirtualService'), ...of('HTTPRoute')], destinationRules: of('DestinationRule'), deployments: of('Deployment'), pods: [] });
  assert.ok(view, 'the generated objects make one routed app');
  return { view, objects };
}

const find = (objects: LiveObject[], kind: string, name?: string): LiveObject => {
  const found = objects.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  assert.ok(found, `no ${kind} ${name ?? ''}`);
  return found;
};

interface DeploymentShape {
  spec: { selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> } } };
}

describe('rollout export targets', () => {
  it('fills the Argo target from the generated VirtualService, DestinationRule and the new version\'s Deployment', () => {
    const { view, objects } = routed(helloApp(), { route: { pins: [{ header: 'x-fn-version', value: 'v2', version: 'v2' }] }, gateway: { hosts: ['hello.example.com'] } });
    const vs = find(objects, 'VirtualService');
    const target = argoTargetOf(view, plan, vs);
    const deployment = find(objects, 'Deployment', target.deployment) as unknown as DeploymentShape;
    assert.equal(find(objects, 'DestinationRule', target.destinationRule).kind, 'DestinationRule');
    assert.equal(target.virtualService, vs.metadata.name);
    // The VirtualService has a header pin before the weighted route: Argo needs the route's name.
    assert.equal((vs.spec as { http: unknown[] }).http.length, 2);
    assert.equal(target.route, 'weighted');
    assert.deepEqual(target.routeSubsets, ['v1', 'v2']);
    assert.equal(target.stableSubset, 'v1', 'the other version with the highest weight (90)');
    assert.equal(target.canarySubset, 'v2');
    // The Rollout selects the pods of the Deployment's template.
    assert.deepEqual(target.selector, deployment.spec.selector.matchLabels);
    for (const [k, v] of Object.entries(target.selector)) {
      assert.equal(deployment.spec.template.metadata.labels[k], v, `pod label ${k}`);
    }
    const rollout = exportObject('argo', view, plan, vs) as { spec: { workloadRef: unknown } };
    assert.deepEqual(rollout.spec.workloadRef, { apiVersion: 'apps/v1', kind: 'Deployment', name: 'hello-app-v2' });
  });

  it('takes the stable subset from the weights now, and the view when the VirtualService could not be read', () => {
    const { view } = routed(helloApp());
    const flipped: RoutedAppView = { ...view, versions: view.versions.map((v) => ({ ...v, weight: v.version === 'v1' ? 10 : 90 })) };
    const target = argoTargetOf(flipped, { ...plan, newVersion: 'v1' }, undefined);
    assert.equal(target.stableSubset, 'v2');
    assert.equal(target.canarySubset, 'v1');
    assert.equal(target.route, 'weighted');
    assert.equal(target.deployment, 'hello-app-v1');
  });

  it('refuses an app Argo cannot split: three versions, an unnamed route among several, an HTTPRoute', () => {
    const odd = oddNamesApp();
    const { view, objects } = routed(odd);
    const canary = odd.versions[0].version;
    const three: RolloutPlan = { ...plan, newVersion: canary };
    assert.throws(() => exportObject('argo', view, three, find(objects, 'VirtualService')), /exactly two subsets.*Argo would drop/);

    const { view: hello, objects: helloObjects } = routed(helloApp(), { route: { pins: [{ header: 'x', value: 'y', version: 'v2' }] } });
    const vs = find(helloObjects, 'VirtualService');
    const http = (vs.spec as { http: Record<string, unknown>[] }).http.map((r) => ({ ...r, name: undefined }));
    const unnamed = { ...vs, spec: { ...(vs.spec as object), http } };
    assert.throws(() => argoTargetOf(hello, plan, unnamed), /has 2 HTTP routes and its weighted one has no name/);

    const { view: gatewayApi } = routed(helloApp(), { mode: 'httpRoute' });
    assert.throws(() => argoTargetOf(gatewayApi, plan, undefined), /needs a VirtualService, and hello-app is routed by HTTPRoute/);
  });

  it("names the Flagger Canary's Deployment as the generator names it, long names included", () => {
    const odd = oddNamesApp();
    const { view, objects } = routed(odd, { gateway: { hosts: ['shop.example.com'] } });
    const longest = [...odd.versions].sort((a, b) => b.version.length - a.version.length)[0];
    const target = flaggerTargetOf(view, { ...plan, newVersion: longest.version }, find(objects, 'VirtualService'));
    const deployments = objects.filter((o) => o.kind === 'Deployment').map((o) => o.metadata.name);
    assert.ok(deployments.includes(target.deployment), `${target.deployment} is one of ${deployments.join(', ')}`);
    assert.notEqual(target.deployment, `${view.appName}-${longest.version}`, 'a name too long for Kubernetes is shortened with a hash');
    assert.deepEqual(target.hosts, [view.appName, 'shop.example.com']);
    assert.deepEqual(target.gateways, [`${view.appName}-gateway`, 'mesh']);
  });

  it('says the kind is not served instead of sending a dry-run that would get a 404', async () => {
    const applied: unknown[] = [];
    const resources = (served: string[] | undefined) => ({
      client: { servedKinds: (gv: string) => Promise.resolve(served && gv === 'argoproj.io/v1alpha1' ? new Set(served) : undefined) } as never,
      apply: (objects: readonly ObjectToWrite[], options?: { dryRun?: boolean }) => {
        applied.push({ objects, options });
        return Promise.resolve({ ok: true, summary: 'fine' } as ApplyOutcome);
      },
    });
    const { view, objects } = routed(helloApp());
    const rollout = argoRollout(plan, argoTargetOf(view, plan, find(objects, 'VirtualService'))) as unknown as ObjectToWrite;
    assert.deepEqual(await checkExport(resources(undefined), rollout), { kind: 'unchecked', message: 'not checked: the cluster does not serve argoproj.io/v1alpha1 Rollout' });
    assert.deepEqual(await checkExport(resources(['AnalysisRun']), rollout), { kind: 'unchecked', message: 'not checked: the cluster does not serve argoproj.io/v1alpha1 Rollout' });
    assert.equal(applied.length, 0, 'nothing is sent for a kind the server does not serve');
    const checked = await checkExport(resources(['Rollout']), rollout);
    assert.equal(checked.kind, 'dryRun');
    assert.deepEqual(applied, [{ objects: [rollout], options: { dryRun: true } }]);
  });
});
