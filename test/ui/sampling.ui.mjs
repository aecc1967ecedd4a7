// Live response sampling as a person walks through it: route hello-app 50/50 and expose it on the
// ingress gateway, Start Sampling… from Traffic Routing, read the verdict in the `Fn Mesh:
// Sampling` output and look at the chart, move the weights to 100/0 and see only v1 answer; then
// Stop Sampling and Remove Routing.
//
// The requests really go through the stack: Fn Mesh's port-forward to the istio-ingressgateway pod
// (the Envoy stand-in fed by the real istiod), the nginx proxy pod of each version, the Fn lb.
// Needs what scripts/test-all.sh starts: the seeded Fn server and lb (FN_MESH_TEST_FN_URL,
// FN_MESH_TEST_LB_URL), the control plane with the kubelet stand-in (KUBECONFIG, FN_MESH_STATE)
// and istiod with the gateway.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { repoRoot } from '../launchers/common.mjs';
import {
  chooseDialogButton,
  chooseMenuItem,
  dismissHovers,
  modalDialog,
  notificationMessage,
  openContextMenu,
  openViewContainer,
  outputChannel,
  quickInputTitled,
  resizeSideBar,
  sideBarView,
  treeRow,
  visibleLines,
  webviewFrame,
  welcomeContent,
} from './workbenchDriver.mjs';

const APP = 'hello-app';
const NAMESPACE = 'default';
/** The host Route Traffic proposes for the ingress gateway (`<app>.<namespace>.example`). */
const HOST = `${APP}.${NAMESPACE}.example`;
const CHANNEL = 'Fn Mesh: Sampling';
const FN_LB_URL = process.env.FN_MESH_TEST_LB_URL;
if (!FN_LB_URL) {
  throw new Error('FN_MESH_TEST_LB_URL is not set: run the UI tests through scripts/test-all.sh, which starts the Fn lb');
}
const THEME = { 'workbench.colorTheme': 'Default Dark Modern' };
/**
 * Two response lines a second instead of twenty: the summary table (five lines, once a second)
 * then always stays in view in the Output panel, for the person watching and for these checks,
 * which read what the panel shows.
 */
const QUIET_LINES = { 'fnMesh.sampling.linesPerSecond': 2 };

const FIRST_LOAD = { timeout: 60_000 };
const FIRST_LOAD_CHECK_MS = 90_000;
const WATCH = { timeout: 30_000 };
/** istiod pushes a new route to the gateway after a moment, longer on a loaded machine; then the verdict needs its samples. */
const VERDICT_MS = 240_000;

const functionsRow = (page, label) => treeRow(sideBarView(page, 'Functions'), label);
const trafficView = (page) => sideBarView(page, 'Traffic Routing');
const trafficRow = (page, label) => treeRow(trafficView(page), label);
/** The status bar item of a running sampling: `hello-app: 20/s · v1 N · v2 N · <verdict>`. */
const samplingStatus = (page) => page.locator('.part.statusbar .statusbar-item', { hasText: `${APP}: ` });

/** Browser console messages about the Content Security Policy, from every frame (webviews included). */
const cspMessages = [];

export const sessions = [
  {
    title: 'Live response sampling through the ingress gateway',
    settings: async (env) => {
      if (!env.FN_MESH_TEST_FN_URL) {
        throw new Error('FN_MESH_TEST_FN_URL is not set: start the Fn server (scripts/fnserver.sh start && seed), then export it');
      }
      if (!env.KUBECONFIG) {
        throw new Error('KUBECONFIG is not set: start the control plane, then eval "$(bash scripts/controlplane.sh env)"');
      }
      removeLeftovers(env);
      return { 'fnMesh.fn.apiUrl': env.FN_MESH_TEST_FN_URL, 'fnMesh.routing.fnLbUrl': FN_LB_URL, ...QUIET_LINES, ...THEME };
    },
    checks: [
      {
        name: 'Route Traffic… on hello-app: both versions, 50/50, also on the ingress gateway with the host it offers',
        timeoutMs: FIRST_LOAD_CHECK_MS,
        run: async (page) => {
          page.on('console', (msg) => {
            if (/Content[- ]Security[- ]Policy/i.test(msg.text())) {
              cspMessages.push(`${msg.type()}: ${msg.text()} (${msg.location().url})`);
            }
          });
          await openViewContainer(page, 'Fn Mesh');
          const app = functionsRow(page, APP);
          await app.waitFor(FIRST_LOAD);
          await welcomeContent(trafficView(page)).waitFor(FIRST_LOAD);
          const { menu } = await openContextMenu(page, app);
          await chooseMenuItem(page, menu, 'Route Traffic…');

          const pick = await quickInputTitled(page, 'Versions to route between');
          await pick.input.press('Enter');
          const weights = await quickInputTitled(page, 'Traffic weights (percent)');
          assert.equal(weights.value, 'v1=50,v2=50');
          await weights.input.press('Enter');

          const where = await quickInputTitled(page, `Where ${APP} answers`);
          await where.widget.locator('.quick-input-list .monaco-list-row', { hasText: 'Also on the ingress gateway' }).click();
          const host = await quickInputTitled(page, `External host of ${APP} on the ingress gateway`);
          assert.equal(host.value, HOST);
          await host.input.press('Enter');
        },
      },
      {
        name: 'Apply in the modal applies 8 objects (the Gateway too); Traffic Routing shows 50/50 with both proxies ready',
        timeoutMs: 120_000,
        run: async (page, ctx) => {
          const confirm = await modalDialog(page, `Route ${APP}: v1 50%, v2 50%. Apply 8 objects to namespace ${NAMESPACE}`);
          await chooseDialogButton(confirm, 'Apply');
          const injection = page.locator('.monaco-dialog-box', { hasText: `Namespace ${NAMESPACE} is not labelled` });
          const row = trafficRow(page, APP);
          await injection.or(row).first().waitFor();
          if (await injection.isVisible()) {
            ctx.log('injection modal shown: Continue');
            await chooseDialogButton(injection, 'Continue');
          }
          assert.equal(await notificationMessage(page, 'Fn Mesh: Applied 8 object(s)'), 'Fn Mesh: Applied 8 object(s): 8 created.');
          await row.locator('.label-description', { hasText: /^v1 50% · v2 50%$/ }).waitFor(WATCH);
          for (const version of ['v1', 'v2']) {
            await trafficRow(page, version).locator('.label-description', { hasText: /^50% · 1\/1 ready/ }).waitFor({ timeout: 90_000 });
          }
        },
      },
      {
        name: 'Start Sampling… on hello-app: the Sampling output shows v1 and v2 near 50% and the verdict "consistent"',
        timeoutMs: VERDICT_MS + 30_000,
        run: async (page, ctx) => {
          const { menu } = await openContextMenu(page, trafficRow(page, APP));
          await chooseMenuItem(page, menu, 'Start Sampling…');
          const output = await outputChannel(page, CHANNEL);
          const table = await tableWhen(
            output,
            (t) => t.verdict === 'consistent' && ['v1', 'v2'].every((v) => t.rows.get(v)?.weight === 50 && Math.abs(t.rows.get(v).share - 50) <= 15),
            VERDICT_MS,
            'v1 and v2 at weight 50.0%, each within 15 points of 50%, verdict consistent',
          );
          ctx.log(`50/50: ${describeTable(table)}`);
          assert.ok(table.windowResponses >= 20, `a verdict on ${table.windowResponses} responses`);
          assert.match((await samplingStatus(page).textContent()) ?? '', new RegExp(`${APP}: 20/s · v1 \\d+ · v2 \\d+`));
        },
      },
      {
        name: 'the chart beside the panel really draws: a uPlot canvas, legend naming v1 and v2, no CSP violation',
        run: async (page) => {
          const tab = page.locator('.part.editor .tab', { hasText: 'Fn Mesh: Sampling Chart' });
          await tab.waitFor();
          const chart = await webviewFrame(page, '#share canvas');
          await chart.locator('#verdict', { hasText: new RegExp(`^${APP}: `) }).waitFor();
          const canvas = chart.locator('#share canvas').first();
          const box = await canvas.boundingBox();
          assert.ok(box && box.width >= 200 && box.height >= 100, `the share chart's canvas is ${box?.width}×${box?.height}`);
          const legend = await chart.locator('#share .u-legend .u-series .u-label').allTextContents();
          assert.deepEqual(legend.filter((l) => /^v\d/.test(l)), ['v1 share %', 'v1 weight %', 'v2 share %', 'v2 weight %']);
          // Lines were drawn: enough of the canvas is painted in the series' colours, not only axes and grid.
          const painted = await canvas.evaluate((c) => {
            const pixels = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let count = 0;
            for (let i = 3; i < pixels.length; i += 4) {
              count += pixels[i] > 0 ? 1 : 0;
            }
            return count;
          });
          assert.ok(painted > 1000, `only ${painted} pixels of the share chart are painted`);
          // uPlot's stylesheet, which the CSP must admit, lays the cursor overlay over the plot.
          assert.equal(await chart.locator('#share .u-over').evaluate((o) => o.ownerDocument.defaultView.getComputedStyle(o).position), 'absolute');
          assert.deepEqual(cspMessages, [], 'the browser reported Content-Security-Policy violations');
        },
      },
      {
        name: 'Adjust Weights… to v1=100,v2=0: after the verdict window restarts, only v1 answers',
        timeoutMs: VERDICT_MS + 30_000,
        run: async (page, ctx) => {
          const { menu } = await openContextMenu(page, trafficRow(page, APP));
          await chooseMenuItem(page, menu, 'Adjust Weights…');
          const presets = await quickInputTitled(page, `Weights of ${APP}`);
          await presets.widget.locator('.quick-input-list .monaco-list-row', { hasText: 'Enter weights…' }).click();
          const box = await quickInputTitled(page, `Weights of ${APP}`);
          await page.waitForFunction(() => document.querySelector('.quick-input-widget input.input')?.value === 'v1=50,v2=50');
          await box.input.fill('v1=100,v2=0');
          await box.input.press('Enter');
          await trafficRow(page, APP).locator('.label-description', { hasText: /^v1 100% · v2 0%$/ }).waitFor(WATCH);

          const output = await outputChannel(page, CHANNEL);
          const onlyV1 = (t) => t.rows.get('v1')?.weight === 100 && t.rows.get('v2')?.weight === 0 && t.rows.get('v1').share === 100 && t.rows.get('v2').share === 0;
          const first = await tableWhen(output, (t) => onlyV1(t) && t.verdict === 'consistent', VERDICT_MS, 'v1 at 100.0% of weight and share, v2 at 0.0%, verdict consistent');
          ctx.log(`100/0: ${describeTable(first)}`);
          // v2's count (since sampling started) stops growing while v1's goes on.
          const later = await tableWhen(output, (t) => onlyV1(t) && t.rows.get('v1').count >= first.rows.get('v1').count + 40, 60_000, 'at least 40 more v1 responses');
          ctx.log(`later: ${describeTable(later)}`);
          assert.equal(later.rows.get('v2').count, first.rows.get('v2').count, 'v2 answered after the weights moved to 100/0');
          assert.ok(later.rows.get('v2').count > 0, 'v2 answered before the change (the 50/50 part)');
          assert.equal(later.verdict, 'consistent');
        },
      },
      {
        name: 'screenshot of the Sampling output and the chart, for the README',
        run: async (page, ctx) => {
          // The route's YAML has had its moment: the chart gets the editor area.
          const yaml = page.locator('.part.editor .tab', { hasText: `route-${APP}.yaml` });
          await yaml.click({ button: 'middle' });
          await yaml.waitFor({ state: 'detached' });
          await resizeSideBar(page, 360);
          await dismissHovers(page);
          const chart = await webviewFrame(page, '#share canvas');
          // uPlot follows the wider webview on its resize event.
          await chart.waitForFunction(() => document.querySelector('#share canvas').getBoundingClientRect().width > 700);
          await chart.locator('#verdict', { hasText: `${APP}: consistent` }).waitFor();
          await ctx.screenshot('sampling', { readme: true });
        },
      },
      {
        name: 'Stop Sampling (the chart says the run ended), then Remove Routing… deletes the route and its Gateway',
        timeoutMs: 90_000,
        run: async (page, ctx) => {
          let { menu } = await openContextMenu(page, trafficRow(page, APP));
          await chooseMenuItem(page, menu, 'Stop Sampling');
          await samplingStatus(page).waitFor({ state: 'detached' });
          const output = await outputChannel(page, CHANNEL);
          await output.locator('.view-line', { hasText: `=== Sampling of ${APP} ended` }).waitFor();
          // The chart keeps its last figures, marked as no longer live.
          const chart = await webviewFrame(page, '#share canvas');
          await chart.locator('#verdict', { hasText: `${APP}: sampling ended; last verdict: consistent` }).waitFor();

          ({ menu } = await openContextMenu(page, trafficRow(page, APP)));
          await chooseMenuItem(page, menu, 'Remove Routing…');
          const confirm = await modalDialog(page, `Remove the routing of ${APP}? 8 objects`);
          await chooseDialogButton(confirm, 'Remove');
          await welcomeContent(trafficView(page)).waitFor(WATCH);
          assert.equal(kubectl(ctx.env, ['get', 'gateways.networking.istio.io', '-n', NAMESPACE, '-l', selector(), '-o', 'name']).trim(), '');
        },
      },
    ],
  },
];

/**
 * The last complete summary table the panel shows, read from its lines:
 *   ── 12:00:01.234  120 responses, 0 errors; verdict window 120 responses over 6 s
 *   version  count  share  weight  diff  p50 ms  p95 ms  p99 ms  errors
 *   v1          60  50.0%   50.0%  +0.0  ...
 *   verdict: consistent
 */
function lastTable(lines) {
  const end = lines.findLastIndex((l) => l.startsWith('verdict: '));
  const head = lines.findLastIndex((l, i) => i < end && /^version +count +share +weight/.test(l));
  if (end < 0 || head < 1 || !lines[head - 1].startsWith('── ')) {
    return undefined;
  }
  const window = /verdict window (\d+) responses over (\d+) s/.exec(lines[head - 1]);
  const rows = new Map();
  for (const line of lines.slice(head + 1, end)) {
    const [version, count, share, weight] = line.trim().split(/ {2,}/);
    rows.set(version, { count: Number(count), share: parseFloat(share), weight: weight === '-' ? undefined : parseFloat(weight) });
  }
  return { text: lines.slice(head - 1, end + 1).join('\n'), windowResponses: Number(window?.[1] ?? 0), rows, verdict: lines[end].slice('verdict: '.length) };
}

/** Polls the panel until its last table passes `accept`; fails with the last table seen. */
async function tableWhen(output, accept, timeoutMs, wanted) {
  const until = Date.now() + timeoutMs;
  let table;
  for (;;) {
    table = lastTable(await visibleLines(output)) ?? table;
    if (table && accept(table)) {
      return table;
    }
    if (Date.now() > until) {
      throw new Error(`the Sampling panel did not show ${wanted} within ${timeoutMs / 1000} s; last table:\n${table?.text ?? '(none in view)'}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

function describeTable(t) {
  return `${[...t.rows].map(([v, r]) => `${v} ${r.count} (share ${r.share}%, weight ${r.weight}%)`).join(', ')}; window ${t.windowResponses}; ${t.verdict}`;
}

const selector = () => `app.kubernetes.io/managed-by=fn-mesh,app.kubernetes.io/part-of=${APP}`;

/** The control plane's own kubectl, with the same FN_MESH_STATE as the servers. */
function kubectl(env, args) {
  const script = path.join(repoRoot, 'scripts', 'controlplane.sh');
  try {
    return execFileSync('bash', [script, 'kubectl', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 90_000 });
  } catch (err) {
    throw new Error(`${script} kubectl ${args.join(' ')}: ${(err.stderr || err.message).trim()}`);
  }
}

/** Deletes what an earlier, failed run left of hello-app's routing, its ingress Gateway included. */
function removeLeftovers(env) {
  const kinds = 'virtualservice,destinationrule,gateways.networking.istio.io,deployment,service,configmap';
  kubectl(env, ['delete', kinds, '-n', NAMESPACE, '-l', selector(), '--ignore-not-found', '--wait=true', '--timeout=60s']);
}
