#!/usr/bin/env node
// At the scale of the trees benchmark (the seeded namespace):
//   watch: kubectl patches one app's VirtualService weights; the time until Fn Mesh's routing
//     watch (routing/cluster/routingWatch, what the Traffic Routing tree shows) reports the new
//     weights, against the time until a plain watch stream of VirtualServices (no Fn Mesh code,
//     open in the same process) delivers the event. Both are counted from kubectl's exit and
//     from its start.
//   apply: the same weight change through Fn Mesh (routing/cluster/weightsUpdate updateWeights)
//     against `kubectl apply -f` of the whole VirtualService with those weights, alternating.
// Each N times; medians.
//
//   KUBECONFIG=… FN_MESH_KUBECTL=… node bench/trees/watch-apply.bench.mjs [n=15] [namespace=fnm-bench]
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import { kube, kubeHttpsOptions, load, median, out } from './common.mjs';
import { appName } from './seed.mjs';

const n = Number(process.argv[2] ?? 15);
const namespace = process.argv[3] ?? 'fnm-bench';
const kubectl = process.env.FN_MESH_KUBECTL;
if (!kubectl) {
  throw new Error('FN_MESH_KUBECTL is not set: eval "$(scripts/controlplane.sh env)"');
}
const { discoverRoutingApis } = out('routing/cluster/discovery.js');
const { watchRouting } = out('routing/cluster/routingWatch.js');
const { updateWeights } = out('routing/cluster/weightsUpdate.js');
const { managedByLabel, managedByValue } = out('routing/manifests/kubeObject.js');

/** Runs kubectl; resolves with its start and exit times (performance.now()). */
function runKubectl(args, input) {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(kubectl, ['--kubeconfig', process.env.KUBECONFIG.split(':')[0], ...args], { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve({ start, end: performance.now() }) : reject(new Error(`kubectl ${args.join(' ')}: ${code} ${err}`))));
    child.stdin.end(input ?? '');
  });
}

const weightsOf = (versions) => versions.map((v) => v.weight).join('/');
const { config, client } = await kube();
const apis = await discoverRoutingApis(client);
console.log(`watch and apply, n=${n}, namespace ${namespace}; load average ${load()}`);

// Fn Mesh's watch: every joined view, with the time it arrived.
const waiters = [];
let views = 0;
const watch = watchRouting(client, apis, namespace, (apps) => {
  const at = performance.now();
  views++;
  for (const w of [...waiters]) {
    const app = apps.find((a) => a.appName === w.app);
    if (app && weightsOf(app.versions) === w.weights) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(at);
    }
  }
});
const shown = (app, weights) => new Promise((resolve) => waiters.push({ app, weights, resolve }));
await new Promise((resolve) => {
  const check = () => (views > 0 ? resolve() : setTimeout(check, 20));
  check();
});

// The baseline: a plain watch stream of the namespace's VirtualServices.
const { server, options } = await kubeHttpsOptions(config);
const selector = encodeURIComponent(`${managedByLabel}=${managedByValue}`);
const listPath = `/apis/networking.istio.io/v1/namespaces/${namespace}/virtualservices?labelSelector=${selector}`;
const rv = await new Promise((resolve, reject) => {
  https.get(server + listPath + '&limit=1', options, (res) => {
    let text = '';
    res.on('data', (d) => (text += d));
    res.on('end', () => resolve(JSON.parse(text).metadata.resourceVersion));
  }).on('error', reject);
});
const rawWaiters = [];
const rawAgent = new https.Agent({ keepAlive: false, ...options.agent.options });
const raw = https.get(`${server}${listPath}&watch=1&resourceVersion=${rv}`, { ...options, agent: rawAgent }, (res) => {
  let buffer = '';
  res.on('data', (d) => {
    const at = performance.now();
    buffer += d;
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const event = JSON.parse(buffer.slice(0, nl));
      buffer = buffer.slice(nl + 1);
      const vs = event.object;
      const weights = (vs.spec?.http?.at(-1)?.route ?? []).map((r) => r.weight).join('/');
      for (const w of [...rawWaiters]) {
        if (w.app === vs.metadata?.name && w.weights === weights) {
          rawWaiters.splice(rawWaiters.indexOf(w), 1);
          w.resolve(at);
        }
      }
    }
  });
});
raw.on('error', () => {});
const rawShown = (app, weights) => new Promise((resolve) => rawWaiters.push({ app, weights, resolve }));
await new Promise((resolve) => setTimeout(resolve, 300));

const watchRows = [];
for (let i = 0; i < n; i++) {
  const app = appName(i);
  // A weight the route does not have yet (an earlier run may have left any value): else no event.
  const now = await client.get({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', namespace, name: app });
  const current = now.spec.http.at(-1).route[0].weight;
  const w1 = current === 80 - (i % 5) * 10 ? 75 - (i % 5) * 10 : 80 - (i % 5) * 10;
  const weights = `${w1}/${100 - w1}`;
  const [fnMeshAt, rawAt] = [shown(app, weights), rawShown(app, weights)];
  const patch = [
    { op: 'replace', path: '/spec/http/0/route/0/weight', value: w1 },
    { op: 'replace', path: '/spec/http/0/route/1/weight', value: 100 - w1 },
  ];
  const k = await runKubectl(['-n', namespace, 'patch', 'virtualservices.networking.istio.io', app, '--type=json', '-p', JSON.stringify(patch)]);
  const [f, r] = await Promise.all([fnMeshAt, rawAt]);
  watchRows.push({ fnMesh: f - k.end, raw: r - k.end, fnMeshFromStart: f - k.start, rawFromStart: r - k.start });
}
const m = (key) => median(watchRows.map((r) => r[key]));
console.log(
  `watch: kubectl patch → shown, median of ${n}: fn-mesh tree ${m('fnMesh').toFixed(0)} ms after kubectl exited (${m('fnMeshFromStart').toFixed(0)} ms after it started), ` +
    `plain watch stream ${m('raw').toFixed(0)} ms (${m('rawFromStart').toFixed(0)} ms); ` +
    `fn-mesh − plain ${(m('fnMesh') - m('raw')).toFixed(0)} ms; target < 300 ms: ${m('fnMeshFromStart') < 300 ? 'PASS' : m('fnMesh') < 300 ? 'PASS after kubectl exited' : 'MISS'}; load ${load()}`,
);

// Apply: Fn Mesh's update against kubectl apply -f of the same VirtualService.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fn-mesh-bench-'));
const applyRows = { fnMesh: [], kubectl: [] };
const vsType = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService' };
for (let i = 0; i < n; i++) {
  const app = appName(100 + i);
  const now = await client.get({ ...vsType, namespace, name: app });
  const start = now.spec.http.at(-1).route[0].weight;
  for (const [tool, w1] of [['kubectl', start === 70 ? 65 : 70], ['fnMesh', start === 60 ? 55 : 60]]) {
    // Never the route's weights already: each tool writes a real change.
    const [a, b] = [w1, 100 - w1];
    const target = `${a}/${b}`;
    let ms;
    if (tool === 'fnMesh') {
      const start = performance.now();
      await updateWeights(client, apis, namespace, app, new Map([['v1', a], ['v2', b]]));
      ms = performance.now() - start;
    } else {
      const live = await client.get({ ...vsType, namespace, name: app });
      const { name, labels, annotations } = live.metadata;
      const obj = { ...vsType, metadata: { name, namespace, labels, annotations }, spec: structuredClone(live.spec) };
      obj.spec.http.at(-1).route[0].weight = a;
      obj.spec.http.at(-1).route[1].weight = b;
      const file = path.join(dir, `${app}.json`);
      fs.writeFileSync(file, JSON.stringify(obj));
      const k = await runKubectl(['apply', '-f', file]);
      ms = k.end - k.start;
    }
    const live = await client.get({ ...vsType, namespace, name: app });
    const got = live.spec.http.at(-1).route.map((r) => r.weight).join('/');
    if (got !== target) {
      throw new Error(`${tool} did not write ${target} to ${app}: it has ${got}`);
    }
    applyRows[tool].push(ms);
  }
}
fs.rmSync(dir, { recursive: true, force: true });
const [fm, kc] = [median(applyRows.fnMesh), median(applyRows.kubectl)];
console.log(`apply: weight change, median of ${n}: fn-mesh updateWeights ${fm.toFixed(0)} ms, kubectl apply -f ${kc.toFixed(0)} ms, ratio ${(fm / kc).toFixed(2)} (target < 1): ${fm < kc ? 'PASS' : 'MISS'}; load ${load()}`);
watch.dispose();
raw.destroy();
options.agent.destroy();
process.exitCode = fm < kc && m('fnMesh') < 300 ? 0 : 1;
