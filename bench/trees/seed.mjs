#!/usr/bin/env node
// Seeds the scale of the trees benchmark, concurrently (a bounded pool of requests in flight):
//   fn   APPS Fn apps with FNS functions each, one HTTP trigger per function, into the real Fn
//        server at $FN_API_URL (v2 API): bench-app-0000 … with functions f0 … f(FNS-1);
//   kube APPS routed apps with two versions each in namespace NS of the API server of $KUBECONFIG:
//        the objects Fn Mesh's own manifest generator makes (ConfigMaps, proxy Deployments,
//        Service, DestinationRule, VirtualService), server-side applied by Fn Mesh's client.
//
//   node bench/trees/seed.mjs fn [apps=1000] [fns=5]
//   node bench/trees/seed.mjs kube [apps=500] [namespace=fnm-bench]
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const out = (p) => require(path.join(root, 'out', 'src', p));

/** Runs `task(i)` for i in [0, count) with at most `width` in flight; rejects on the first failure. */
export async function pool(count, width, task) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, count) }, worker));
}

async function fnPost(base, p, body) {
  const res = await fetch(base + p, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) {
    throw new Error(`POST ${p}: ${res.status} ${text}`);
  }
  return JSON.parse(text);
}

export const appName = (i) => `bench-app-${String(i).padStart(4, '0')}`;

async function seedFn(apps, fns) {
  const base = process.env.FN_API_URL;
  if (!base) {
    throw new Error('FN_API_URL is not set (the Fn server, e.g. http://127.0.0.1:8080)');
  }
  await pool(apps, 16, async (i) => {
    const app = await fnPost(base, '/v2/apps', { name: appName(i) });
    for (let f = 0; f < fns; f++) {
      const fn = await fnPost(base, '/v2/fns', { app_id: app.id, name: `f${f}`, image: `fnmesh/hello:${f}` });
      await fnPost(base, '/v2/triggers', { app_id: app.id, fn_id: fn.id, name: `f${f}`, type: 'http', source: `/f${f}` });
    }
  });
}

/** The routed app `i` as Fn Mesh models it: versions v1 (90) and v2 (10). */
export function routedApp(i, namespace) {
  const name = appName(i);
  const version = (v, weight) => ({ version: v, fnName: `f${v === 'v1' ? 0 : 1}`, weight, upstream: { baseUrl: 'http://fn-lb.fn.svc.cluster.local:90', path: `/t/${name}/${v}` } });
  return { appName: name, fnAppName: name, namespace, api: 'v2', versions: [version('v1', 90), version('v2', 10)] };
}

export async function kubeClient() {
  const file = (process.env.KUBECONFIG ?? '').split(':')[0];
  if (!file) {
    throw new Error('KUBECONFIG is not set: eval "$(scripts/controlplane.sh env)"');
  }
  const { loadKubeconfig } = out('kube/kubeconfig.js');
  const { createKubeClient } = out('kube/objects/objectApiClient.js');
  const { config } = await loadKubeconfig({ explicitPath: file, env: {}, homeDir: process.env.HOME ?? '' });
  return { config, client: await createKubeClient(config) };
}

async function seedKube(apps, namespace) {
  const { generateManifests } = out('routing/manifests/appManifests.js');
  const { client } = await kubeClient();
  await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, namespace: '' } });
  const objects = Array.from({ length: apps }, (_, i) => generateManifests(routedApp(i, namespace))).flat();
  // Kinds in apply order, each kind concurrently: no route names a subset before it exists.
  for (const kind of ['ConfigMap', 'Deployment', 'Service', 'DestinationRule', 'VirtualService']) {
    const ofKind = objects.filter((o) => o.kind === kind);
    await pool(ofKind.length, 16, (i) => client.apply(ofKind[i]));
  }
  return objects.length;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [what, a, b] = process.argv.slice(2);
  const started = performance.now();
  if (what === 'fn') {
    const apps = Number(a ?? 1000);
    const fns = Number(b ?? 5);
    await seedFn(apps, fns);
    console.log(`seeded ${apps} Fn apps, ${apps * fns} functions and triggers in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } else if (what === 'kube') {
    const count = await seedKube(Number(a ?? 500), b ?? 'fnm-bench');
    console.log(`applied ${count} objects for ${a ?? 500} routed apps in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } else {
    console.error('usage: seed.mjs fn [apps] [fns] | kube [apps] [namespace]');
    process.exit(2);
  }
}
