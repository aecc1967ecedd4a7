// Playwright helpers that drive the VS Code workbench the way a person does:
// activity bar, tree views, context menus, the quick input, the Output panel.
// Selectors lean on ARIA roles and labels and on the workbench's stable part
// classes (.part.sidebar, .part.panel, .monaco-list-row), never on positions.
// Every wait is bounded by the page's default timeout (set by runUiTests.mjs).

/** The activity bar tab of a view container, by its title (its label's aria-label starts with it). */
export function activityBarTab(page, title) {
  const label = page.locator(`.action-label[aria-label^="${cssString(title)}"]`);
  return page.locator('.part.activitybar li[role="tab"]', { has: label });
}

/** Shows a view container in the side bar; a click on the active one would hide the side bar. */
export async function openViewContainer(page, title) {
  const tab = activityBarTab(page, title);
  if ((await tab.getAttribute('aria-selected')) !== 'true') {
    await tab.click();
  }
  await tab.and(page.locator('[aria-selected="true"]')).waitFor();
}

/** A view of the side bar, by the name in its header (the header is there even when hidden). */
export function sideBarView(page, name) {
  return page
    .locator('.part.sidebar .pane')
    .filter({ has: page.locator('.pane-header h3.title', { hasText: new RegExp(`^${escapeRegExp(name)}$`) }) });
}

/** Collapses a side bar view by its header, so the views around it get the room. */
export async function collapseView(view) {
  const header = view.locator('.pane-header');
  if ((await header.getAttribute('aria-expanded')) === 'true') {
    await header.click();
  }
  await header.and(view.page().locator('[aria-expanded="false"]')).waitFor();
}

/**
 * A row of the tree in `view` (a locator), by the text of its label: a string
 * matches the whole label, a RegExp any part of it. (A row's aria-label is its
 * tooltip when it has one, so it is a poor handle for the label.)
 */
export function treeRow(view, label) {
  const text = typeof label === 'string' ? new RegExp(`^${escapeRegExp(label)}$`) : label;
  return view
    .locator('.monaco-list-row[role="treeitem"]')
    .filter({ has: view.page().locator('.label-name', { hasText: text }) });
}

/** The labels of the rows that are children of `parent` (one level deeper, right below it). */
export async function childLabels(parent) {
  return parent.evaluate((row) => {
    const level = Number(row.getAttribute('aria-level'));
    const rows = [...row.parentElement.querySelectorAll('.monaco-list-row[role="treeitem"]')].sort(
      (a, b) => Number(a.dataset.index) - Number(b.dataset.index),
    );
    const labels = [];
    for (const next of rows.slice(rows.indexOf(row) + 1)) {
      const nextLevel = Number(next.getAttribute('aria-level'));
      if (nextLevel <= level) {
        break;
      }
      if (nextLevel === level + 1) {
        labels.push(next.querySelector('.label-name')?.textContent ?? '');
      }
    }
    return labels;
  });
}

/** Expands a collapsed tree row with its twistie and waits until the tree says it is expanded. */
export async function expandRow(row) {
  if ((await row.getAttribute('aria-expanded')) === 'false') {
    await row.locator('.monaco-tl-twistie').click();
  }
  await row.and(row.page().locator('[aria-expanded="true"]')).waitFor();
}

/** The description shown after a tree row's label. */
export async function rowDescription(row) {
  return (await row.locator('.label-description').textContent()) ?? '';
}

/** Right-clicks `target` and returns the context menu and the labels of its items. */
export async function openContextMenu(page, target) {
  await target.click({ button: 'right' });
  const menu = page.getByRole('menu');
  await menu.getByRole('menuitem').first().waitFor();
  return { menu, items: await menuLabels(menu) };
}

/**
 * Runs a context menu item the way a keyboard user does: Down until it is
 * highlighted, then Enter. (A mouse click right after the menu opens is
 * sometimes swallowed by the menu: 6-7 of 8 clicks ran the item here.)
 */
export async function chooseMenuItem(page, menu, label) {
  const labels = await menuLabels(menu);
  if (!labels.includes(label)) {
    throw new Error(`the menu has no "${label}" (items: ${labels.join(', ')})`);
  }
  for (let step = 0; step <= labels.length; step++) {
    await page.keyboard.press('ArrowDown');
    if ((await menu.locator('.action-item.focused .action-label').textContent()) === label) {
      await page.keyboard.press('Enter');
      await menu.waitFor({ state: 'hidden' });
      return;
    }
  }
  throw new Error(`could not highlight "${label}" in the menu with the arrow keys`);
}

function menuLabels(menu) {
  return menu.getByRole('menuitem').locator('.action-label').allTextContents();
}

/** The quick input (input box or quick pick) once it is shown, with its title and value. */
export async function quickInput(page) {
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('input.input');
  await input.waitFor();
  return { widget, input, title: (await widget.locator('.quick-input-title').textContent()) ?? '', value: await input.inputValue() };
}

/**
 * The editor of the Output panel once it shows `channel` (the panel names the
 * view after the channel: "<channel> - Output").
 */
export async function outputChannel(page, channel) {
  const view = page.locator(`.part.panel .output-view[aria-label="${cssString(channel)} - Output"]`);
  await view.waitFor();
  return view;
}

/** Waits for a line of an editor (e.g. the Output panel's) matching `text` and returns its text. */
export async function editorLine(editor, text) {
  const line = editor.locator('.view-lines .view-line', { hasText: text }).first();
  await line.waitFor();
  // The editor renders spaces as no-break spaces.
  return ((await line.textContent()) ?? '').replace(/\u00a0/g, ' ');
}

/** Moves the pointer into the editor area and waits until no hover (tooltip, sash highlight) is shown. */
export async function dismissHovers(page) {
  const box = await page.locator('.part.editor').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.locator('.workbench-hover-container, .monaco-hover:not(.hidden)').first().waitFor({ state: 'hidden' });
  await page.waitForFunction(() => !document.querySelector('.monaco-sash.hover, .monaco-sash.active'));
}

/** Drags the sash right of the side bar until the side bar is about `width` px wide. */
export async function resizeSideBar(page, width) {
  const bar = await page.locator('.part.sidebar').boundingBox();
  const edge = bar.x + bar.width;
  const sashes = await page.locator('.monaco-sash.vertical').evaluateAll((els) =>
    els.map((el) => el.getBoundingClientRect()).map((r) => ({ x: r.x + r.width / 2, y: r.y + r.height / 2, height: r.height })),
  );
  const sash = sashes.find((s) => Math.abs(s.x - edge) < 6 && s.height > bar.height / 2);
  if (!sash) {
    throw new Error(`no sash at the side bar's right edge (x=${edge})`);
  }
  await page.mouse.move(sash.x, sash.y);
  await page.mouse.down();
  await page.mouse.move(sash.x + (width - bar.width), sash.y, { steps: 5 });
  await page.mouse.up();
  await page.waitForFunction(
    (wanted) => Math.abs(document.querySelector('.part.sidebar').getBoundingClientRect().width - wanted) < 20,
    width,
  );
  await dismissHovers(page);
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Escapes a value for a double-quoted CSS attribute selector. */
function cssString(text) {
  return text.replace(/["\\]/g, '\\$&');
}

/**
 * The quick input once it shows `title`. Prompts that follow each other reuse
 * one widget, so waiting for the widget alone can return the previous prompt.
 */
export async function quickInputTitled(page, title) {
  const widget = page.locator('.quick-input-widget').filter({ has: page.locator('.quick-input-title', { hasText: title }) });
  const input = widget.locator('input.input');
  await input.waitFor();
  return { widget, input, value: await input.inputValue() };
}

/** The modal dialog whose message matches `message` (string: part of it; RegExp), once it is shown. */
export async function modalDialog(page, message) {
  const dialog = page.locator('.monaco-dialog-box').filter({ has: page.locator('.dialog-message-text', { hasText: message }) });
  await dialog.waitFor();
  return dialog;
}

/** Presses a button of a modal dialog by its label and waits until the dialog is gone. */
export async function chooseDialogButton(dialog, label) {
  const button = dialog.locator('.dialog-buttons .monaco-button', { hasText: new RegExp(`^${escapeRegExp(label)}$`) });
  await button.click();
  await dialog.waitFor({ state: 'hidden' });
}

/** The welcome content a tree view shows while it has no rows. */
export function welcomeContent(view) {
  return view.locator('.welcome-view-content');
}

/**
 * Waits for a notification matching `text` in the notification center (opened
 * from the status bar, closed again after) and returns its message. The center
 * lists every notification; the headless workbench here does not always show
 * a toast for one.
 */
export async function notificationMessage(page, text) {
  const bell = page.locator('.part.statusbar [id="status.notifications"]');
  const center = page.locator('.notifications-center');
  const toggle = async (visible) => {
    // A click on the bell while the workbench is busy (a quick input closing) can go unheard: try again.
    for (let attempt = 1; ; attempt++) {
      if ((await center.and(page.locator('.visible')).count()) !== (visible ? 1 : 0)) {
        await bell.click();
      }
      try {
        await center.and(page.locator('.visible')).waitFor({ state: visible ? 'visible' : 'hidden', timeout: 5_000 });
        return;
      } catch (err) {
        if (attempt >= 4) {
          throw err;
        }
      }
    }
  };
  await toggle(true);
  const message = center.locator('.notification-list-item-message', { hasText: text }).first();
  await message.waitFor();
  const shown = (await message.textContent()) ?? '';
  await toggle(false);
  return shown;
}

/**
 * The lines an editor shows now (the Output panel's, say), top to bottom. The editor renders only
 * the lines in view and does not keep them in document order, so they are sorted by position.
 */
export async function visibleLines(editor) {
  return editor.locator('.view-lines').evaluate((root) =>
    [...root.querySelectorAll('.view-line')]
      .map((line) => ({ top: parseFloat(line.style.top) || line.getBoundingClientRect().top, text: line.textContent ?? '' }))
      .sort((a, b) => a.top - b.top)
      .map((line) => line.text.replace(/\u00a0/g, ' ')),
  );
}

/**
 * The frame of a webview whose document holds `selector`, once one does. A webview is two nested
 * iframes (VS Code's host page, then the extension's document); this finds the inner one by what
 * it shows, so it does not depend on how VS Code names or nests them.
 */
export async function webviewFrame(page, selector, { timeout = 20_000 } = {}) {
  const until = Date.now() + timeout;
  for (;;) {
    for (const frame of page.frames()) {
      if (frame !== page.mainFrame() && (await frame.locator(selector).count().catch(() => 0)) > 0) {
        return frame;
      }
    }
    if (Date.now() > until) {
      throw new Error(`no webview shows ${selector} after ${timeout / 1000} s (frames: ${page.frames().map((f) => f.url().slice(0, 80)).join(', ')})`);
    }
    await page.waitForTimeout(250);
  }
}

/**
 * Runs a command from the Command Palette by its full title ("Fn Mesh: Deploy Function"), as a
 * keyboard user does: F1, type the title, Enter on the entry whose label is exactly that title.
 */
export async function runCommand(page, title) {
  await page.locator('[id="workbench.parts.editor"]').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('F1');
  const { widget, input } = await quickInput(page);
  await input.fill(`>${title}`);
  const entry = widget.locator('.monaco-list-row', {
    has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(title)}$`) }),
  });
  await entry.first().waitFor();
  await entry.first().click();
  await widget.waitFor({ state: 'hidden' });
}

/**
 * Presses a button of the notification matching `text` in the notification center (opened from
 * the status bar), which closes the notification; returns the notification's message.
 */
export async function pressNotificationButton(page, text, button) {
  const bell = page.locator('.part.statusbar [id="status.notifications"]');
  const center = page.locator('.notifications-center');
  for (let attempt = 1; (await center.and(page.locator('.visible')).count()) === 0; attempt++) {
    await bell.click();
    await center
      .and(page.locator('.visible'))
      .waitFor({ timeout: 5_000 })
      .catch((err) => {
        if (attempt >= 4) {
          throw err;
        }
      });
  }
  const item = center.locator('.notification-list-item', { has: page.locator('.notification-list-item-message', { hasText: text }) }).first();
  await item.waitFor();
  const shown = (await item.locator('.notification-list-item-message').textContent()) ?? '';
  await item.locator('.notification-list-item-buttons-container .monaco-button', { hasText: new RegExp(`^${escapeRegExp(button)}$`) }).click();
  return shown;
}

/** The status bar entry whose text matches `text` (string: part of it; RegExp). */
export function statusBarItem(page, text) {
  return page.locator('.part.statusbar .statusbar-item', { hasText: text });
}

/** Clears every notification (Command Palette: Notifications: Clear All Notifications). */
export async function clearNotifications(page) {
  await runCommand(page, 'Notifications: Clear All Notifications');
  await page.locator('.notifications-toasts .notification-toast').first().waitFor({ state: 'hidden' });
}
