#!/usr/bin/env node
// Time to the fully expanded Functions and Traffic Routing trees at scale, against fetching the
// same data with plain sequential requests in the same process; then the memory of the process
// holding both trees. Needs the seeded servers (bench/trees/run.sh starts, seeds and stops them).
//
//   Functions: Fn Mesh's tree model (fn/tree/functionsTree: the apps, then every app's functions
//     at once, as the view asks when all apps are expanded) on FnHttpClient, against GET
//     /v2/apps, then per app GET /v2/fns and /v2/triggers, one request at a time.
//   Traffic Routing: Fn Mesh's client and API discovery, then routing/cluster/routingWatch until
//     its first joined view (every watch listed), against GET of the same lists (VirtualServices,
//     DestinationRules, HTTPRoutes, Deployments, pods with Fn Mesh's label), one at a time.
//
//   FN_API_URL=… KUBECONFIG=… node --expose-gc bench/trees/trees.bench.mjs [runs=5] [namespace=fnm-bench]
import * as http from 'node:http';
import { getJson, kube, kubeHttpsOptions, load, median, mib, out } from './common.mjs';

const runs = Number(process.argv[2] ?? 5);
const namespace = process.argv[3] ?? 'fnm-bench';
const targetMs = 2000;
const fnUrl = process.env.FN_API_URL;
if (!fnUrl) {
  throw new Error('FN_API_URL is not set (the seeded Fn server)');
}
const { FnHttpClient } = out('fn/fnClient.js');
const { loadAppNodes, loadFunctionNodes } = out('fn/tree/functionsTree.js');
const { createKubeClient } = out('kube/objects/objectApiClient.js');
const { discoverRoutingApis } = out('routing/cluster/discovery.js');
const { watchRouting } = out('routing/cluster/routingWatch.js');
const { managedByLabel, managedByValue } = out('routing/manifests/kubeObject.js');

/** Fn Mesh: returns [apps, functions] and the tree's nodes. */
async function fnMeshFunctions() {
  const client = new FnHttpClient(fnUrl);
  const apps = (await loadAppNodes(client)).filter((n) => n.kind === 'app');
  const children = await Promise.all(apps.map((n) => loadFunctionNodes(client, n.app)));
  const fns = children.flat().filter((n) => n.kind === 'function');
  return { counts: [apps.length, fns.length], tree: { apps, children } };
}

async function baselineFunctions() {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const all = async (p, query) => {
    const items = [];
    let cursor = '';
    do {
      const body = await getJson(`${fnUrl}${p}?per_page=100${query}${cursor ? `&cursor=${cursor}` : ''}`, { agent });
      items.push(...body.items);
      cursor = body.next_cursor ?? '';
    } while (cursor);
    return items;
  };
  const apps = await all('/v2/apps', '');
  let fns = 0;
  for (const app of apps) {
    fns += (await all('/v2/fns', `&app_id=${app.id}`)).length;
    await all('/v2/triggers', `&app_id=${app.id}`);
  }
  agent.destroy();
  return { counts: [apps.length, fns] };
}

async function fnMeshRouting(config) {
  const client = await createKubeClient(config);
  const discoveryStart = performance.now();
  const apis = await discoverRoutingApis(client);
  const discoveryMs = performance.now() - discoveryStart;
  const apps = await new Promise((resolve, reject) => {
    const watch = watchRouting(client, apis, namespace, (view) => {
      watch.dispose();
      resolve(view);
    }, { onError: (err) => { watch.dispose(); reject(err); } });
  });
  return { counts: [apps.length, apps.reduce((n, a) => n + a.versions.length, 0)], tree: apps, discoveryMs };
}

async function baselineRouting(config) {
  const { server, options } = await kubeHttpsOptions(config);
  const selector = `?labelSelector=${encodeURIComponent(`${managedByLabel}=${managedByValue}`)}`;
  const lists = [
    `/apis/networking.istio.io/v1/namespaces/${namespace}/virtualservices`,
    `/apis/networking.istio.io/v1/namespaces/${namespace}/destinationrules`,
    `/apis/gateway.networking.k8s.io/v1/namespaces/${namespace}/httproutes`,
    `/apis/apps/v1/namespaces/${namespace}/deployments`,
    `/api/v1/namespaces/${namespace}/pods`,
  ];
  const got = [];
  for (const p of lists) {
    got.push((await getJson(server + p + selector, options)).items);
  }
  options.agent.destroy();
  const versions = got[0].reduce((n, vs) => n + (vs.spec.http.at(-1).route?.length ?? 0), 0);
  return { counts: [got[0].length, versions] };
}

async function timed(fn) {
  const start = performance.now();
  const result = await fn();
  return { ms: performance.now() - start, ...result };
}

const { config } = await kube();
global.gc?.();
const before = process.memoryUsage();
console.log(`trees at scale, ${runs} runs each, alternating; load average ${load()}`);
// Warm-up (not counted): loads client-node and opens the first connections.
await fnMeshRouting(config);
await baselineRouting(config);
const rows = { fnMeshFunctions: [], baselineFunctions: [], fnMeshRouting: [], baselineRouting: [] };
const discovery = [];
let held;
for (let i = 0; i < runs; i++) {
  const bf = await timed(baselineFunctions);
  const ff = await timed(fnMeshFunctions);
  const br = await timed(() => baselineRouting(config));
  const fr = await timed(() => fnMeshRouting(config));
  if (String(bf.counts) !== String(ff.counts) || String(br.counts) !== String(fr.counts)) {
    throw new Error(`the trees differ from the baseline: functions ${ff.counts} vs ${bf.counts}, routing ${fr.counts} vs ${br.counts}`);
  }
  rows.baselineFunctions.push(bf.ms);
  rows.fnMeshFunctions.push(ff.ms);
  rows.baselineRouting.push(br.ms);
  rows.fnMeshRouting.push(fr.ms);
  discovery.push(fr.discoveryMs);
  console.log(
    `run ${i + 1}: Functions (${ff.counts[0]} apps, ${ff.counts[1]} functions) fn-mesh ${ff.ms.toFixed(0)} ms, baseline ${bf.ms.toFixed(0)} ms; ` +
      `Traffic Routing (${fr.counts[0]} apps, ${fr.counts[1]} versions) fn-mesh ${fr.ms.toFixed(0)} ms (API discovery ${fr.discoveryMs.toFixed(0)} ms), baseline ${br.ms.toFixed(0)} ms; load ${load()}`,
  );
  held = [ff.tree, fr.tree];
}
const summary = (name, a, b) => {
  const [fm, bl] = [median(rows[a]), median(rows[b])];
  const ok = fm <= bl && fm < targetMs;
  console.log(`${name}: median fn-mesh ${fm.toFixed(0)} ms, baseline ${bl.toFixed(0)} ms, ratio ${(fm / bl).toFixed(2)} (target ≤ 1 and < ${targetMs} ms): ${ok ? 'PASS' : 'MISS'}`);
  return ok;
};
const okF = summary('Functions tree', 'fnMeshFunctions', 'baselineFunctions');
const okR = summary('Traffic Routing tree', 'fnMeshRouting', 'baselineRouting');
console.log(`  of which Fn Mesh's API discovery (once per connection in the extension): median ${median(discovery).toFixed(0)} ms`);
global.gc?.();
const after = process.memoryUsage();
console.log(
  `memory holding both trees (${held.length} views), after GC: heap ${mib(after.heapUsed)} MiB (+${mib(after.heapUsed - before.heapUsed)}), ` +
    `RSS ${mib(after.rss)} MiB (+${mib(after.rss - before.rss)}) against the process before the first fetch`,
);
process.exitCode = okF && okR ? 0 : 1;
