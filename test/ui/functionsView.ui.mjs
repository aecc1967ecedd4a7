// The Functions view as a person uses it: open it from the activity bar, expand
// an app, invoke a function from its context menu, read the answer in the
// Output panel; and the error row when the Fn server cannot be reached.
//
// Needs the seeded Fn server and the lb stand-in (scripts/fnserver.sh start +
// seed, scripts/fn-lb.sh start): FN_MESH_TEST_FN_URL and FN_MESH_TEST_LB_URL.
import * as assert from 'node:assert/strict';
import { freePort } from '../launchers/common.mjs';
import {
  childLabels,
  chooseMenuItem,
  collapseView,
  dismissHovers,
  editorLine,
  expandRow,
  openContextMenu,
  openViewContainer,
  outputChannel,
  quickInput,
  resizeSideBar,
  rowDescription,
  sideBarView,
  treeRow,
} from './workbenchDriver.mjs';

const APP = 'hello-app';
const INVOKE = 'Invoke Function…';
const COPY_URL = 'Copy Invoke URL';
const CONFIGURE = 'Configure Fn Endpoint…';
/** VS Code's default theme on the desktop, for screenshots that look like the README's. */
const THEME = { 'workbench.colorTheme': 'Default Dark Modern' };

/** The first rows wait for the extension to activate, slow on a loaded 2-core machine. */
const FIRST_LOAD = { timeout: 60_000 };
const FIRST_LOAD_CHECK_MS = 90_000;

/** A row of the Functions view (the side bar also holds Traffic Routing). */
const row = (page, label) => treeRow(sideBarView(page, 'Functions'), label);

export const sessions = [
  {
    title: 'Functions view',
    settings: async (env) => ({
      'fnMesh.fn.apiUrl': await seededFnServer(env),
      'fnMesh.fn.invokeUrl': requiredUrl(env, 'FN_MESH_TEST_LB_URL', 'start it with scripts/fn-lb.sh start'),
      ...THEME,
    }),
    checks: [
      {
        name: 'the Fn Mesh activity bar item shows hello-app in the Functions view',
        timeoutMs: FIRST_LOAD_CHECK_MS,
        run: async (page) => {
          await openViewContainer(page, 'Fn Mesh');
          await row(page, APP).waitFor(FIRST_LOAD);
        },
      },
      {
        name: 'expanding hello-app shows v1 and v2 with their images',
        run: async (page) => {
          const app = row(page, APP);
          await expandRow(app);
          await row(page, 'v2').waitFor();
          assert.deepEqual(await childLabels(app), ['v1', 'v2']);
          assert.match(await rowDescription(row(page, 'v1')), /^fnmesh\/hello:v1 · /);
          assert.match(await rowDescription(row(page, 'v2')), /^fnmesh\/hello:v2 · /);
        },
      },
      {
        name: 'the context menu of v1 offers Invoke Function… and Copy Invoke URL',
        run: async (page) => {
          const { menu, items } = await openContextMenu(page, row(page, 'v1'));
          assert.ok(items.includes(INVOKE) && items.includes(COPY_URL), `menu items: ${items.join(', ')}`);
          await page.keyboard.press('Escape');
          await menu.waitFor({ state: 'hidden' });
        },
      },
      {
        name: 'Invoke Function… with the default body shows 200 and Hello V1 in "Fn Mesh: Responses"',
        run: async (page, ctx) => {
          const { menu } = await openContextMenu(page, row(page, 'v1'));
          await chooseMenuItem(page, menu, INVOKE);
          const box = await quickInput(page);
          assert.equal(box.title, `Invoke ${APP}/v1`);
          assert.equal(box.value, '{}');
          await box.input.press('Enter');

          const output = await outputChannel(page, 'Fn Mesh: Responses');
          const lb = ctx.settings['fnMesh.fn.invokeUrl'].replace(/\/$/, '');
          await editorLine(output, `POST ${lb}/t/${APP}/v1`);
          assert.match(await editorLine(output, /^200\b/), /^200 OK \(\d+ ms\)$/);
          assert.equal(await editorLine(output, 'Hello V1'), '{"message":"Hello V1"}');
        },
      },
      {
        name: 'screenshot of the expanded tree and the response, for the README',
        run: async (page, ctx) => {
          await resizeSideBar(page, 480); // room for the descriptions
          // The picture is about this view; Traffic Routing has (and tests) its own.
          await collapseView(sideBarView(page, 'Traffic Routing'));
          await dismissHovers(page);
          await ctx.screenshot('functions-view', { readme: true });
        },
      },
    ],
  },
  {
    title: 'Functions view with the Fn server down',
    settings: async () => ({ 'fnMesh.fn.apiUrl': `http://127.0.0.1:${await freePort()}`, ...THEME }),
    checks: [
      {
        name: 'the view shows "Cannot list Fn apps from …" with Retry and Configure',
        timeoutMs: FIRST_LOAD_CHECK_MS,
        run: async (page, ctx) => {
          await openViewContainer(page, 'Fn Mesh');
          const url = ctx.settings['fnMesh.fn.apiUrl'];
          const error = row(page, new RegExp(`^Cannot list Fn apps from ${url.replace(/[.]/g, '\\.')}\\b`));
          await error.waitFor(FIRST_LOAD);
          assert.equal(await error.getAttribute('aria-expanded'), 'true', 'the error row opens with its actions shown');
          assert.deepEqual(await childLabels(error), ['Retry', CONFIGURE]);
          await dismissHovers(page);
          await ctx.screenshot('functions-view-error');
        },
      },
      {
        name: 'Configure Fn Endpoint… under the error row reconnects the view',
        run: async (page, ctx) => {
          const fnUrl = await seededFnServer(ctx.env);
          await row(page, CONFIGURE).click();
          const box = await quickInput(page);
          assert.equal(box.title, 'Fn API URL');
          await box.input.fill(fnUrl);
          await box.input.press('Enter');
          await row(page, APP).waitFor();
        },
      },
    ],
  },
];

function requiredUrl(env, name, hint) {
  const url = env[name];
  if (!url) {
    throw new Error(`${name} is not set: ${hint}, then export ${name}=http://127.0.0.1:<port>`);
  }
  return url;
}

/** FN_MESH_TEST_FN_URL, once the server there answers and holds hello-app (clear errors beat a 20 s wait in the UI). */
async function seededFnServer(env) {
  const url = requiredUrl(env, 'FN_MESH_TEST_FN_URL', 'start the Fn server with scripts/fnserver.sh start && scripts/fnserver.sh seed');
  let apps;
  try {
    const res = await fetch(`${url}/v2/apps`, { signal: AbortSignal.timeout(5_000) });
    apps = (await res.json()).items ?? [];
  } catch (err) {
    throw new Error(`the Fn server at ${url} does not answer GET /v2/apps (${err.cause?.code ?? err.cause?.message ?? err.message}): scripts/fnserver.sh start`);
  }
  if (!apps.some((app) => app.name === APP)) {
    throw new Error(`the Fn server at ${url} has no app ${APP}: run scripts/fnserver.sh seed`);
  }
  return url;
}
