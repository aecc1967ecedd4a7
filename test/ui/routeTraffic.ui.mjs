// Route Traffic as a person does it: right-click hello-app in Functions, keep
// the picked versions, type the weights, Apply in the modal, and watch the
// Traffic Routing view show the split; then Remove Routing… from that view.
//
// Needs the seeded Fn server (FN_MESH_TEST_FN_URL) and the local control plane
// with the kubelet stand-in (KUBECONFIG, FN_MESH_STATE: scripts/controlplane.sh
// start, scripts/kubelet-standin.sh start), as scripts/test-all.sh starts them.
// The routing goes to the kube context's namespace, `default`.
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
  quickInputTitled,
  resizeSideBar,
  rowDescription,
  sideBarView,
  treeRow,
  welcomeContent,
} from './workbenchDriver.mjs';

const APP = 'hello-app';
const NAMESPACE = 'default';
const ROUTE = 'Route Traffic…';
const REMOVE = 'Remove Routing…';
/**
 * Where the proxies reach the Fn lb; set, so Route Traffic does not ask. nginx really runs the
 * proxies here, so it is the local lb that scripts/test-all.sh exports.
 */
const FN_LB_URL = process.env.FN_MESH_TEST_LB_URL;
if (!FN_LB_URL) {
  throw new Error('FN_MESH_TEST_LB_URL is not set: run the UI tests through scripts/test-all.sh, which starts the Fn lb');
}
const THEME = { 'workbench.colorTheme': 'Default Dark Modern' };

/** The first rows wait for the extension to activate, slow on a loaded 2-core machine. */
const FIRST_LOAD = { timeout: 60_000 };
const FIRST_LOAD_CHECK_MS = 90_000;
/** The watch shows the route once the API server has it; the proxies' pods take a few seconds more. */
const WATCH = { timeout: 30_000 };

const functionsRow = (page, label) => treeRow(sideBarView(page, 'Functions'), label);
const trafficView = (page) => sideBarView(page, 'Traffic Routing');
const trafficRow = (page, label) => treeRow(trafficView(page), label);

export const sessions = [
  {
    title: 'Route Traffic from the Functions view',
    settings: async (env) => {
      const fnUrl = env.FN_MESH_TEST_FN_URL;
      if (!fnUrl) {
        throw new Error('FN_MESH_TEST_FN_URL is not set: start the Fn server (scripts/fnserver.sh start && seed), then export it');
      }
      if (!env.KUBECONFIG) {
        throw new Error('KUBECONFIG is not set: start the control plane, then eval "$(bash scripts/controlplane.sh env)"');
      }
      removeLeftovers(env);
      return { 'fnMesh.fn.apiUrl': fnUrl, 'fnMesh.routing.fnLbUrl': FN_LB_URL, ...THEME };
    },
    checks: [
      {
        name: 'right-clicking hello-app in Functions offers Route Traffic…, which asks for the versions',
        timeoutMs: FIRST_LOAD_CHECK_MS,
        run: async (page) => {
          await openViewContainer(page, 'Fn Mesh');
          const app = functionsRow(page, APP);
          await app.waitFor(FIRST_LOAD);
          // The welcome text says the namespace holds no route: the run starts clean.
          await welcomeContent(trafficView(page)).waitFor(FIRST_LOAD);
          const { menu } = await openContextMenu(page, app);
          await chooseMenuItem(page, menu, ROUTE);
          await quickInputTitled(page, 'Versions to route between');
        },
      },
      {
        name: 'both versions are picked; the weights v1=80,v2=20 are typed in; the route stays inside the mesh',
        run: async (page) => {
          const pick = await quickInputTitled(page, 'Versions to route between');
          const picked = await pick.widget.locator('.quick-input-list .monaco-list-row[aria-checked="true"] .label-name').allTextContents();
          assert.deepEqual(picked, ['v1', 'v2'], 'two functions: both are picked up front');
          await pick.input.press('Enter');

          const weights = await quickInputTitled(page, 'Traffic weights (percent)');
          assert.equal(weights.value, 'v1=50,v2=50');
          await weights.input.fill('v1=80,v2=20');
          await weights.input.press('Enter');

          // Where the app answers: the first choice keeps it inside the mesh (no Gateway).
          const where = await quickInputTitled(page, `Where ${APP} answers`);
          const choices = await where.widget.locator('.quick-input-list .monaco-list-row .label-name').allTextContents();
          assert.deepEqual(choices, ['Inside the mesh only', 'Also on the ingress gateway']);
          await where.input.press('Enter');
        },
      },
      {
        name: 'Apply in the modal (Continue without labelling the namespace) applies 7 objects',
        run: async (page, ctx) => {
          const confirm = await modalDialog(page, `Route ${APP}: v1 80%, v2 20%. Apply 7 objects to namespace ${NAMESPACE}`);
          await chooseDialogButton(confirm, 'Apply');

          // The namespace of a fresh cluster is not labelled for injection, so a second modal
          // asks; in a namespace labelled for injection it applies at once and the route's row shows up.
          const injection = page.locator('.monaco-dialog-box', { hasText: `Namespace ${NAMESPACE} is not labelled` });
          const row = trafficRow(page, APP);
          await injection.or(row).first().waitFor();
          if (await injection.isVisible()) {
            ctx.log('injection modal shown: Continue');
            await chooseDialogButton(injection, 'Continue');
          }
          const summary = await notificationMessage(page, 'Fn Mesh: Applied 7 object(s)');
          assert.equal(summary, 'Fn Mesh: Applied 7 object(s): 7 created.');
        },
      },
      {
        name: 'Traffic Routing shows hello-app at v1 80% · v2 20%, with a row per version',
        timeoutMs: 90_000,
        run: async (page, ctx) => {
          const app = trafficRow(page, APP);
          await app.locator('.label-description', { hasText: /^v1 80% · v2 20%$/ }).waitFor(WATCH);
          assert.equal(await app.getAttribute('aria-expanded'), 'true', 'a routed app opens with its versions shown');
          // Wait for the pods too, so the picture shows the proxies ready.
          for (const [version, weight] of [['v1', '80%'], ['v2', '20%']]) {
            const row = trafficRow(page, version);
            await row.locator('.label-description', { hasText: new RegExp(`^${weight} · 1/1 ready`) }).waitFor(WATCH);
            assert.match(await rowDescription(row), new RegExp(`^${weight} · `));
          }
          await resizeSideBar(page, 480); // room for the descriptions
          await dismissHovers(page);
          await ctx.screenshot('route-traffic', { readme: true });
        },
      },
      {
        name: 'Remove Routing… on hello-app deletes the route and the view shows its welcome text',
        run: async (page) => {
          const { menu } = await openContextMenu(page, trafficRow(page, APP));
          await chooseMenuItem(page, menu, REMOVE);
          const confirm = await modalDialog(page, `Remove the routing of ${APP}?`);
          await chooseDialogButton(confirm, 'Remove');
          await welcomeContent(trafficView(page)).waitFor(WATCH);
          assert.equal(await trafficRow(page, APP).count(), 0);
        },
      },
    ],
  },
];

/**
 * Deletes what an earlier, failed run of this session left of hello-app's routing, so the
 * checks start from an empty Traffic Routing view. The control plane's own kubectl, with the
 * same FN_MESH_STATE as the servers.
 */
function removeLeftovers(env) {
  const script = path.join(repoRoot, 'scripts', 'controlplane.sh');
  const args = ['kubectl', 'delete', 'virtualservice,destinationrule,deployment,service,configmap', '-n', NAMESPACE];
  args.push('-l', `app.kubernetes.io/managed-by=fn-mesh,app.kubernetes.io/part-of=${APP}`, '--ignore-not-found', '--wait=true', '--timeout=60s');
  try {
    execFileSync('bash', [script, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 90_000 });
  } catch (err) {
    throw new Error(`could not remove leftovers of ${APP} from ${NAMESPACE} (${script} ${args.join(' ')}): ${(err.stderr || err.message).trim()}`);
  }
}
