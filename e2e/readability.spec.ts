import AxeBuilder from '@axe-core/playwright';
import { type Page } from '@playwright/test';
import { expect, openDesign, ready, test } from './common';
import { DEFAULT_SCENARIO_ID, Simulation, getBuiltinScenario } from '../src/engine/index';
import { snapshotToFlow } from '../src/ui/graph/toFlow';
import { designs } from './designs';

// Readable on a shared screen and in a 1280×720 video, and honest at every step (issue 10).
// Every number here is measured from the rendered page: font size × the graph's zoom,
// element boxes, SVG edge paths.

const SHOTS = 'test-results/screens';
/** the smallest text a room can read off a 1280×720 screen share */
const MIN_PX = 12;

/** a built-in design at the end of its run */
const open = openDesign;

/** the graph's zoom (React Flow viewport transform scale) */
const zoomOf = (page: Page, graphTestId = 'device-graph') =>
  page.getByTestId(graphTestId).evaluate((g) => new DOMMatrix(getComputedStyle(g.querySelector('.react-flow__viewport')!).transform).a);

/** waits until the graph's viewport stops moving (fit and pan animations done) */
async function settled(page: Page, graphTestId = 'device-graph') {
  let last = '';
  await expect
    .poll(async () => {
      const now = await viewportOf(page, graphTestId);
      const same = now === last;
      last = now;
      return same;
    }, { intervals: [150] })
    .toBe(true);
}

/** the viewport transform as a string (zoom and pan) */
const viewportOf = (page: Page, graphTestId = 'device-graph') =>
  page.getByTestId(graphTestId).evaluate((g) => getComputedStyle(g.querySelector('.react-flow__viewport')!).transform);

/** the smallest on-screen size (font size × zoom, px) of a node label, and of any text in a node */
const nodeTextPx = (page: Page, graphTestId = 'device-graph') =>
  page.getByTestId(graphTestId).evaluate((g) => {
    const zoom = new DOMMatrix(getComputedStyle(g.querySelector('.react-flow__viewport')!).transform).a;
    const px = (sel: string) =>
      Math.min(...[...g.querySelectorAll<HTMLElement>(sel)].map((e) => parseFloat(getComputedStyle(e).fontSize) * zoom));
    return { label: px('.bs-box__label'), detail: px('.bs-box__detail'), zoom };
  });

/**
 * Elements under `root` that cut their text off: hidden/clipped overflow with content wider
 * or taller than the box, or a text-overflow ellipsis that is in effect.
 */
const cutOff = (page: Page, selector: string) =>
  page.locator(selector).evaluateAll((roots) => {
    const out: string[] = [];
    for (const root of roots)
      for (const el of [root, ...root.querySelectorAll<HTMLElement>('*')] as HTMLElement[]) {
        if (el instanceof SVGElement || !el.textContent?.trim()) continue;
        const cs = getComputedStyle(el);
        const hides = (v: string) => v === 'hidden' || v === 'clip';
        const wide = el.scrollWidth > el.clientWidth + 1;
        const tall = el.scrollHeight > el.clientHeight + 1;
        if ((hides(cs.overflowX) && wide) || (hides(cs.overflowY) && tall) || (cs.textOverflow === 'ellipsis' && wide))
          out.push(`${el.className || el.tagName}: ${el.textContent.trim().slice(0, 60)}`);
      }
    return out;
  });

/**
 * Line breaks inside a word: for each text node under `selector`, where a line ends the
 * character before the break must be a space or one of . - : _ / = , (a name boundary).
 * Returns the broken words as "before|after".
 */
const midWordBreaks = (page: Page, selector: string) =>
  page.locator(selector).evaluateAll((roots) => {
    const out: string[] = [];
    const ok = /[\s.\-:_/=,]/;
    for (const root of roots) {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      // characters in reading order with their line's top, across text nodes (a <wbr> splits them)
      const chars: { ch: string; top: number; block: Element | null }[] = [];
      const blockOf = (el: Element | null): Element | null => {
        for (let e = el; e && e !== root.parentElement; e = e.parentElement) if (!getComputedStyle(e).display.startsWith('inline')) return e;
        return null;
      };
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const t = n.textContent ?? '';
        const block = blockOf(n.parentElement);
        for (let i = 0; i < t.length; i++) {
          const r = document.createRange();
          r.setStart(n, i);
          r.setEnd(n, i + 1);
          const rect = r.getClientRects()[0];
          // a space that ends a line has no box: it stays on the line before
          const top = rect && rect.width > 0 ? Math.round(rect.top) : (chars[chars.length - 1]?.top ?? 0);
          chars.push({ ch: t[i]!, top, block });
        }
      }
      for (let i = 1; i < chars.length; i++) {
        const a = chars[i - 1]!;
        const b = chars[i]!;
        if (a.block !== b.block || b.top <= a.top + 2) continue; // same line or another block
        if (ok.test(a.ch) || ok.test(b.ch) || a.ch === '\n') continue;
        out.push(
          chars.slice(Math.max(0, i - 8), i).map((c) => c.ch).join('') + '|' + chars.slice(i, i + 8).map((c) => c.ch).join(''),
        );
      }
    }
    return out;
  });

/** each graph node's visible text (without break opportunities), by its test id */
const nodeTexts = (page: Page, graphTestId = 'device-graph') =>
  page.getByTestId(graphTestId).evaluate((g) =>
    Object.fromEntries(
      [...g.querySelectorAll<HTMLElement>('.bs-box')].map((b) => [
        b.dataset.testid ?? '?',
        [...b.querySelectorAll<HTMLElement>('.bs-box__label, .bs-box__detail')].map((e) => e.innerText.replace(/\s+/g, ' ').trim()).join(' | '),
      ]),
    ),
  );

/** what snapshotToFlow says each node at the last step is labelled, by test id */
function expectedTexts(id: string): Record<string, string> {
  const sim = new Simulation(getBuiltinScenario(id));
  const { nodes } = snapshotToFlow(sim.stateAt(sim.lastStep));
  return Object.fromEntries(nodes.map((n) => [n.data.testId, `${n.data.label} | ${n.data.detail}`.replace(/\s+/g, ' ').trim()]));
}

/**
 * Edge segments that pass under a node they do not connect: each edge path is sampled
 * every 4 px (screen coordinates) and tested against every other node's box (shrunk by 3 px
 * so a path that grazes a border does not count).
 */
const edgesUnderNodes = (page: Page, graphTestId = 'device-graph') =>
  page.getByTestId(graphTestId).evaluate((g) => {
    const boxes = [...g.querySelectorAll<HTMLElement>('.react-flow__node')].map((n) => ({ id: n.dataset.id!, r: n.getBoundingClientRect() }));
    const out: string[] = [];
    for (const e of g.querySelectorAll<SVGGElement>('.react-flow__edge')) {
      const id = e.getAttribute('data-id') ?? e.getAttribute('data-testid')?.replace(/^rf__edge-/, '') ?? '';
      const [src, dst] = id.replace(/^[^:]+:/, '').split('->');
      const path = e.querySelector<SVGPathElement>('path.react-flow__edge-path');
      if (!path) continue;
      const m = path.getScreenCTM()!;
      const len = path.getTotalLength();
      const hit = new Set<string>();
      for (let s = 0; s <= len; s += 4) {
        const p = new DOMPoint(path.getPointAtLength(s).x, path.getPointAtLength(s).y).matrixTransform(m);
        for (const b of boxes) {
          if (b.id === src || b.id === dst) continue;
          if (p.x > b.r.left + 3 && p.x < b.r.right - 3 && p.y > b.r.top + 3 && p.y < b.r.bottom - 3) hit.add(b.id);
        }
      }
      for (const h of hit) out.push(`${id} under ${h}`);
    }
    return out;
  });

test.beforeEach(async ({ page }) => {
  await page.goto('/');
  await ready(page);
});

const graphBox = (page: Page) => page.getByTestId('device-graph').evaluate((g) => g.getBoundingClientRect().toJSON() as DOMRect);

test('1280×720: every design draws node labels at 12 px or more with the details panel open; selecting keeps the zoom', async ({ page }) => {
  const report: string[] = [];
  for (const d of designs) {
    await open(page, d.id);
    await settled(page);
    const before = await nodeTextPx(page);
    // select a device: the details panel opens beside the graph
    await page.locator('[data-kind="device"]').first().click();
    await expect(page.getByTestId('details-panel')).toBeVisible();
    await page.waitForTimeout(200); // the graph's resize handling runs after 50 ms
    await settled(page);
    const after = await nodeTextPx(page);
    await page.screenshot({ path: `${SHOTS}/readable-${d.id}.png` });
    report.push(`${d.id}: label ${after.label.toFixed(1)} px, detail ${after.detail.toFixed(1)} px (zoom ${after.zoom.toFixed(2)})`);
    expect(after.label, `${d.id} label px`).toBeGreaterThanOrEqual(MIN_PX);
    expect(after.detail, `${d.id} detail px`).toBeGreaterThanOrEqual(11);
    expect(after.zoom, `${d.id}: selecting a node must not shrink the text`).toBeCloseTo(before.zoom, 3);
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('details-panel')).toHaveCount(0);
  }
  console.log(report.join('\n'));
  await open(page, 'auxiliary');
  await page.getByTestId('node-device-arm_cca_guest.arm-rsi-dev.0').click();
  await page.screenshot({ path: `${SHOTS}/readable-1280-details.png` });
});

test('the event panel folds and resizes, gives its room to the graph, and remembers both after a reload', async ({ page }) => {
  await open(page, 'auxiliary');
  const panel = page.getByTestId('bottom-panel');
  const h0 = (await panel.boundingBox())!.height;
  const g0 = (await graphBox(page)).height;

  // resize from the keyboard: ↑ on the separator makes the panel taller
  await page.getByTestId('bottom-resizer').focus();
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  await expect.poll(async () => (await panel.boundingBox())!.height).toBeCloseTo(h0 + 48, 0);
  // and with the mouse: drag the top edge down by 40 px
  const r = (await page.getByTestId('bottom-resizer').boundingBox())!;
  await page.mouse.move(r.x + 200, r.y + r.height / 2);
  await page.mouse.down();
  await page.mouse.move(r.x + 200, r.y + r.height / 2 + 40, { steps: 4 });
  await page.mouse.up();
  await expect.poll(async () => (await panel.boundingBox())!.height).toBeCloseTo(h0 + 8, 0);

  // fold: only the tab bar stays, the graph takes the room
  await page.getByTestId('bottom-fold').click();
  await expect(page.getByTestId('bottom-fold')).toHaveAttribute('aria-expanded', 'false');
  await expect(page.getByTestId('view-events')).toHaveCount(0);
  await expect.poll(async () => (await graphBox(page)).height).toBeGreaterThan(g0 + 60);
  await page.screenshot({ path: `${SHOTS}/readable-panel-folded.png` });

  await page.reload();
  await expect(page.getByTestId('status')).toHaveText('ready');
  await expect(page.getByTestId('bottom-fold')).toHaveAttribute('aria-expanded', 'false');
  // a tab opens it again, at the size it had
  await page.getByTestId('tab-events').click();
  await expect(page.getByTestId('view-events')).toBeVisible();
  await expect.poll(async () => (await panel.boundingBox())!.height).toBeCloseTo(h0 + 8, 0);
});

test('browser zoom 150% (853×480 CSS px): the graph keeps most of the height, the panels give way', async ({ page }) => {
  await page.setViewportSize({ width: 853, height: 480 });
  await open(page, 'auxiliary');
  await page.getByTestId('node-device-arm-smccc').click();
  await expect(page.getByTestId('details-panel')).toBeVisible();
  const g = await graphBox(page);
  const footer = (await page.locator('.bs-footer').boundingBox())!;
  const bottom = (await page.getByTestId('bottom-panel').boundingBox())!;
  // the event panel sits below the graph, never over it
  expect(bottom.y).toBeGreaterThanOrEqual(g.bottom - 1);
  // the graph is a real area, not a strip: at least 150 px tall and 40% of the window's width
  await page.screenshot({ path: `${SHOTS}/readable-853x480.png` });
  expect(g.height).toBeGreaterThanOrEqual(150);
  expect(g.width).toBeGreaterThanOrEqual(853 * 0.4);
  // nothing is pushed off the window: the timeline stays on screen
  expect(footer.y + footer.height).toBeLessThanOrEqual(481);
  await expect(page.getByTestId('bottom-panel')).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/readable-853x480.png` });
});

test('nothing cut off: every node shows its full name and state, and the details panel wraps names at their boundaries', async ({ page }) => {
  test.setTimeout(180_000);
  const NODES = '.react-flow__node';
  const PANEL = '[data-testid="details-panel"]';
  for (const d of designs) {
    await open(page, d.id);
    // the rendered text of each node is its whole label and detail line
    expect(await nodeTexts(page), `${d.id}: node texts`).toEqual(expectedTexts(d.id));
    expect(await cutOff(page, NODES), `${d.id}: cut-off node text`).toEqual([]);
    expect(await midWordBreaks(page, NODES), `${d.id}: words broken inside nodes`).toEqual([]);
    expect(await cutOff(page, '.bs-caption, .bs-sentence'), `${d.id}: caption and current event`).toEqual([]);
    // the details of every device and module: names, paths, MODALIAS, aliases, citations
    const ids = await page.locator('[data-kind="device"], [data-kind="module"]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.testid!));
    for (const id of ids) {
      // from the whole graph (with a panel open, nodes on its right may be out of view)
      await page.keyboard.press('Escape');
      await expect(page.getByTestId('details-panel')).toHaveCount(0);
      await settled(page);
      await page.getByTestId(id).click();
      const panel = page.getByTestId('details-panel');
      await expect(panel.locator('h2')).toBeVisible();
      await expect(panel).not.toContainText('Asking the engine');
      expect(await cutOff(page, PANEL), `${d.id} ${id}: cut off in the details`).toEqual([]);
      expect(await midWordBreaks(page, PANEL), `${d.id} ${id}: words broken in the details`).toEqual([]);
      // nothing runs past the panel's edge (it would scroll sideways)
      expect(await panel.evaluate((p) => p.scrollWidth - p.clientWidth), `${d.id} ${id}: panel overflows sideways`).toBeLessThanOrEqual(0);
    }
    await page.keyboard.press('Escape');
  }
  await open(page, 'auxiliary');
  await page.getByTestId('node-device-arm_cca_guest.arm-rsi-dev.0').click();
  await page.screenshot({ path: `${SHOTS}/readable-details-wrapped.png` });
});

/**
 * Pairs of firmware → device edges that cross: their order at the firmware column differs
 * from their order at the devices (node centres, screen coordinates). Pairs ending at a
 * device and its own descendant are left out: a tidy tree draws a parent between its
 * children, so no row order can keep those apart.
 */
const crossingFirmwareEdges = (page: Page, graphTestId = 'device-graph') =>
  page.getByTestId(graphTestId).evaluate((g) => {
    const centre = new Map(
      [...g.querySelectorAll<HTMLElement>('.react-flow__node')].map((n) => {
        const r = n.getBoundingClientRect();
        return [n.dataset.id!, r.top + r.height / 2];
      }),
    );
    const fw = [...g.querySelectorAll<SVGGElement>('.react-flow__edge')]
      .map((e) => e.getAttribute('data-id') ?? e.getAttribute('data-testid')?.replace(/^rf__edge-/, '') ?? '')
      .filter((id) => id.startsWith('firmware-device:'))
      .map((id) => {
        const [src, dst] = id.replace(/^[^:]+:/, '').split('->') as [string, string];
        return { id, dst, s: centre.get(src)!, t: centre.get(dst)! };
      });
    const out: string[] = [];
    for (let i = 0; i < fw.length; i++)
      for (let j = i + 1; j < fw.length; j++) {
        const a = fw[i]!;
        const b = fw[j]!;
        if (a.s === b.s || a.t === b.t) continue; // one end shared: they meet, they do not cross
        // a device and its own descendant: the tree draws a parent between its children, no order helps
        if (a.dst.startsWith(`${b.dst}/`) || b.dst.startsWith(`${a.dst}/`)) continue;
        if (Math.sign(a.s - b.s) !== Math.sign(a.t - b.t)) out.push(`${a.id} × ${b.id}`);
      }
    return out;
  });

test('edges: none passes under a node it does not connect, firmware edges do not cross, the legend covers nothing', async ({ page }) => {
  test.setTimeout(120_000);
  for (const d of designs) {
    await open(page, d.id);
    const last = Number((await page.getByTestId('step-label').innerText()).split('/')[1]) - 1;
    // the end of the run and two steps on the way (nodes appear, edges come and go)
    for (const step of [last, Math.round(last / 3), Math.round((2 * last) / 3)]) {
      await page.getByTestId('step-slider').fill(String(step));
      await expect(page.getByTestId('step-label')).toHaveText(`${step + 1}/${last + 1}`);
      await settled(page);
      expect(await edgesUnderNodes(page), `${d.id} at step ${step + 1}: edges under nodes`).toEqual([]);
    }
    expect(await crossingFirmwareEdges(page), `${d.id}: crossing firmware edges`).toEqual([]);
  }
  // the open legend sits beside the graph: no node under it
  await open(page, 'auxiliary');
  await page.getByTestId('legend-toggle').click();
  const legend = (await page.getByTestId('legend').boundingBox())!;
  await settled(page);
  const covered = await page.locator('.react-flow__node').evaluateAll(
    (ns, l) =>
      ns
        .filter((n) => {
          const r = n.getBoundingClientRect();
          return r.right > l.x && r.left < l.x + l.width && r.bottom > l.y && r.top < l.y + l.height;
        })
        .map((n) => (n as HTMLElement).dataset.id),
    legend,
  );
  expect(covered).toEqual([]);
  await expect(page.getByRole('list', { name: 'Legend' })).toContainText('faux device');
  await page.screenshot({ path: `${SHOTS}/readable-legend-open.png` });
});

test('settings that cannot mislead: changed toggles are marked, one click resets them, the outcome says "not loaded yet" and when', async ({ page }) => {
  await open(page, 'auxiliary');
  await expect(page.getByTestId('fw-reset')).toHaveCount(0);
  // udev off carries over to the next design: marked there with the design's own value
  await page.getByTestId('fw-udev').uncheck();
  await expect(page.getByTestId('fw-changed-udev')).toHaveText('≠ design: on');
  await open(page, 'faux-suggestion');
  await expect(page.getByTestId('fw-udev')).not.toBeChecked();
  await expect(page.getByTestId('fw-changed-udev')).toBeVisible();
  await page.getByTestId('fw-module').selectOption('builtin');
  await expect(page.getByTestId('fw-changed-module')).toHaveText('≠ design: loadable (=m)');
  await expect(page.getByTestId('fw-reset')).toHaveText("Reset to the design's defaults (2 changed)");
  await page.screenshot({ path: `${SHOTS}/readable-settings-changed.png` });
  await page.getByTestId('fw-reset').click();
  await expect(page.getByTestId('fw-reset')).toHaveCount(0);
  await expect(page.getByTestId('fw-udev')).toBeChecked();
  await expect(page.getByTestId('fw-module')).toHaveValue('module');
  await expect(page.locator('.bs-changed')).toHaveCount(0);

  // at a step before the module loads: "not loaded yet", and the step it loads at, from the engine's states
  await open(page, 'auxiliary');
  const sim = new Simulation(getBuiltinScenario('auxiliary'));
  const focus = sim.scenario!.focusModule!;
  const total = sim.lastStep + 1;
  let loads = -1;
  for (let i = 0; i <= sim.lastStep && loads < 0; i++) if (sim.stateAt(i).modules.find((m) => m.name === focus)?.state === 'loaded') loads = i;
  expect(loads).toBeGreaterThan(15);
  await page.getByTestId('step-slider').fill('14');
  await expect(page.getByTestId('outcome')).toContainText(`${focus}: not loaded yet (step 15 of ${total}; loads at step ${loads + 1})`);
  // the step before it is live, its module_init is running (MODULE_STATE_COMING)
  await page.getByTestId('step-slider').fill(String(loads - 1));
  await expect(page.getByTestId('outcome')).toContainText(`${focus}: loading — its module_init is running`);
  await page.getByTestId('step-slider').fill(String(loads));
  await expect(page.getByTestId('outcome')).toContainText(`${focus}: loaded by udev`);

  // Realm off: the sentence says that no RSI device was ever created
  await page.getByTestId('fw-realm').uncheck();
  await expect(page.getByTestId('outcome')).toContainText('no RSI device was ever created in this run');
  await expect(page.getByTestId('fw-changed-realm')).toBeVisible();
  await page.getByTestId('fw-reset').click();
  await expect(page.getByTestId('fw-realm')).toBeChecked();
});

test('the viewport stays put while stepping: Home, then step after step, keeps zoom and pan', async ({ page }) => {
  for (const id of ['auxiliary', 'smccc-bus', 'faux']) {
    await open(page, id);
    await settled(page);
    const atEnd = await viewportOf(page);
    await page.locator('body').press('Home');
    await expect(page.getByTestId('step-label')).toHaveText(/^0\//);
    await settled(page);
    expect(await viewportOf(page), `${id}: Home`).toBe(atEnd);
    for (let i = 1; i <= 12; i++) {
      await page.locator('body').press('ArrowRight');
      await expect(page.getByTestId('step-label')).toHaveText(new RegExp(`^${i}/`));
    }
    await settled(page);
    expect(await viewportOf(page), `${id}: after 12 steps`).toBe(atEnd);
    await page.locator('body').press('End');
    await settled(page);
    expect(await viewportOf(page), `${id}: End`).toBe(atEnd);
  }
});

/** the focused element's test id (its own, or a graph node's box's), for keyboard-only tests */
const focused = (page: Page) =>
  page.evaluate(() => {
    const a = document.activeElement as HTMLElement | null;
    if (!a) return '';
    if (a.classList.contains('react-flow__node')) return a.querySelector<HTMLElement>(':scope > .bs-box')?.dataset.testid ?? '?';
    return a.dataset.testid ?? a.tagName.toLowerCase();
  });

/** presses Tab (or Shift+Tab) until `want` has focus; fails after `max` presses */
async function tabTo(page: Page, want: string, max: number, back = false): Promise<number> {
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const f = await focused(page);
    if (process.env.DEBUG_TAB) console.log('tab', i, f);
    if (f === want) return i;
  }
  throw new Error(`${want} not reached in ${max} ${back ? 'Shift+Tab' : 'Tab'} presses (at ${await focused(page)})`);
}

test('keyboard only: pick a design, step, select a node, unbind it, compare', async ({ page }) => {
  const NODE = 'node-device-arm_cca_guest.arm-rsi-dev.0';
  // pick the design: Tab to the switcher (round from wherever the page starts), type the start of its title
  await tabTo(page, 'scenario-select', 40);
  await page.keyboard.type('Faux');
  await expect(page.locator('.bs-caption')).toContainText('Faux');
  await page.waitForTimeout(1100); // the select's type-ahead starts a new search after a pause
  await page.keyboard.type('Aux');
  await expect(page.locator('.bs-caption')).toContainText('Auxiliary v5');
  await expect(page.getByTestId('status')).toHaveText('ready');
  // step: Tab to a button, then ← and → move through the run
  await tabTo(page, 'legend-toggle', 30);
  const label = page.getByTestId('step-label');
  const total = (await label.innerText()).split('/')[1]!;
  await page.keyboard.press('Home');
  await expect(label).toHaveText(`0/${total}`);
  await page.keyboard.press('End');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowRight');
  await expect(label).toHaveText(`${total}/${total}`);
  // select: Tab to the node; its focus ring shows; Enter opens its details and moves focus there
  await tabTo(page, NODE, 20);
  const ring = await page.locator('.react-flow__node:focus-visible > .bs-box').evaluate((b) => getComputedStyle(b).outlineWidth);
  expect(parseFloat(ring)).toBeGreaterThanOrEqual(2);
  await page.screenshot({ path: `${SHOTS}/readable-focus-ring.png` });
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('details-panel')).toContainText('arm_cca_guest.arm-rsi-dev.0');
  expect(await page.evaluate(() => !!document.activeElement?.closest('[data-testid="details-panel"]'))).toBe(true);
  // Esc gives focus back to the node; Enter again, and the unbind action is one Tab away
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('details-panel')).toHaveCount(0);
  await expect.poll(() => focused(page)).toBe(NODE);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('details-panel')).toBeVisible();
  expect(await tabTo(page, 'action-unbind', 2)).toBe(1);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('user-actions')).toContainText('1 user action');
  await page.keyboard.press('End');
  await expect(page.getByTestId(NODE)).toHaveAttribute('data-state', 'unbound');
  await page.keyboard.press('Escape');
  await expect.poll(() => focused(page)).toBe(NODE);
  // compare: back to the mode buttons, Enter
  await tabTo(page, 'mode-compare', 40, true);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('compare-table')).toBeVisible();
  await expect(page.getByTestId('outcome-b')).toContainText('arm_cca_guest');
});

test('axe: no serious or critical findings in Explore, Compare and Edit for the default design', async ({ page }) => {
  const check = async (what: string) => {
    const r = await new AxeBuilder({ page }).analyze();
    const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${what}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).slice(0, 4).join(', ')}`)).toEqual([]);
  };
  await check('explore, first screen');
  // mid-run (events still to come in the list), with a node's details and the legend open
  await page.getByTestId('step-slider').fill('20');
  await page.locator('[data-kind="device"]').first().click();
  await page.getByTestId('legend-toggle').click();
  await check('explore, step 21, details and legend');
  await page.getByTestId('mode-compare').click();
  await expect(page.getByTestId('compare-table')).toBeVisible();
  await check('compare');
  await page.getByTestId('mode-edit').click();
  await expect(page.getByTestId('editor').locator('.cm-content')).toBeVisible();
  await check('edit');
});

test('play: speeds, and play to the next uevent, bind or module load', async ({ page }) => {
  await open(page, 'auxiliary');
  const label = page.getByTestId('step-label');
  const at = async () => Number((await label.innerText()).split('/')[0]);
  const steps = async (speed: string, ms: number) => {
    await page.locator('body').press('Home');
    await page.getByTestId('play-speed').selectOption(speed);
    await page.getByTestId('play').click();
    await page.waitForTimeout(ms);
    await page.getByTestId('play').click(); // pause
    return at();
  };
  // 700 ms per step at 1×: in 1.5 s, 4× makes about 8 steps, 0.5× at most 2
  const fast = await steps('4', 1500);
  const slow = await steps('0.5', 1500);
  expect(fast).toBeGreaterThanOrEqual(4);
  expect(slow).toBeLessThanOrEqual(2);

  const sim = new Simulation(getBuiltinScenario('auxiliary'));
  const events = sim.summary().events;
  await page.getByTestId('play-speed').selectOption('4');
  await page.locator('body').press('Home');
  // the next uevent: playing stops on it
  const firstUevent = events.findIndex((e) => e.kind === 'uevent');
  await page.getByTestId('play-to-uevent').click();
  await expect(label).toHaveText(new RegExp(`^${firstUevent + 1}/`), { timeout: 30_000 });
  await expect(page.getByTestId('play')).toContainText('Play');
  await expect(page.getByTestId('current-event')).toContainText('uevent');
  // the next bind
  const nextBind = events.findIndex((e, i) => i > firstUevent && e.kind === 'bind');
  await page.getByTestId('play-to-bind').click();
  await expect(label).toHaveText(new RegExp(`^${nextBind + 1}/`), { timeout: 30_000 });
  // the next module load: where the engine's state of a module changes to loaded or built in
  let load = -1;
  for (let i = nextBind + 1; i <= sim.lastStep && load < 0; i++) {
    const before = sim.stateAt(i - 1).modules;
    if (sim.stateAt(i).modules.some((m) => m.state !== 'not-loaded' && before.find((b) => b.name === m.name)?.state !== m.state)) load = i;
  }
  expect(load).toBeGreaterThan(nextBind);
  await page.getByTestId('play-to-module').click();
  await expect(label).toHaveText(new RegExp(`^${load + 1}/`), { timeout: 30_000 });
  await expect(page.getByTestId('play')).toContainText('Play');
});

test('editor after a reload: the kept text is checked and run at once; shape and reference problems are listed together', async ({ page }) => {
  const scenario = getBuiltinScenario('auxiliary') as unknown as {
    id: string;
    title: string;
    modules: { location: string; drivers?: Record<string, { bus: string }> }[];
  };
  const keep = async (text: string) => {
    await page.evaluate((t) => localStorage.setItem('bindscope.editor.text', t), text);
    await page.reload();
    await expect(page.getByTestId('status')).toHaveText('ready');
    await page.getByTestId('mode-edit').click();
  };
  // a valid design kept from the last visit runs as soon as the editor opens
  await keep(JSON.stringify({ ...structuredClone(scenario), id: 'kept-design', title: 'Kept design' }, null, 2));
  await expect(page.getByTestId('editor-state')).toHaveText('valid: running');
  await expect(page.locator('.bs-caption')).toContainText('Kept design');
  await expect(page.getByTestId('scenario-select')).toContainText('custom: kept-design');

  // broken JSON: the syntax error shows without a keystroke
  await keep('{ "id": "broken", ');
  await expect(page.getByTestId('editor-problems')).toContainText('JSON syntax');
  await expect(page.getByTestId('editor').locator('.cm-lintRange-error').first()).toBeVisible();

  // a shape problem and a reference problem: both listed, each at its path
  const bad = structuredClone(scenario);
  bad.modules[0]!.location = 'sideways';
  const withDriver = bad.modules.findIndex((m) => m.drivers && Object.keys(m.drivers).length);
  const driver = Object.keys(bad.modules[withDriver]!.drivers!)[0]!;
  bad.modules[withDriver]!.drivers![driver]!.bus = 'no_such_bus';
  await keep(JSON.stringify(bad, null, 2));
  const problems = page.getByTestId('editor-problems');
  await expect(problems).toContainText('modules[0].location');
  await expect(problems).toContainText(`modules[${withDriver}].drivers.${driver}.bus`);
  await expect(problems).toContainText('unknown bus "no_such_bus"');
  await expect(page.getByTestId('editor-state')).toContainText('2 problem(s)');
  await page.screenshot({ path: `${SHOTS}/readable-editor-problems.png` });
});

test('the first screen: the default design at the uevent whose MODALIAS names the TSM module, one click from its load', async ({ page }) => {
  const sim = new Simulation(getBuiltinScenario(DEFAULT_SCENARIO_ID));
  const focus = sim.scenario!.focusModule!;
  const aliases = sim.stateAt(sim.lastStep).modules.find((m) => m.name === focus)!.aliases;
  const events = sim.summary().events;
  const story = events.findIndex(
    (e) => e.kind === 'uevent' && e.uevent?.action === 'add' && aliases.includes(e.uevent.env.find(([k]) => k === 'MODALIAS')?.[1] ?? ''),
  );
  expect(story).toBeGreaterThan(0);
  await expect(page.getByTestId('scenario-select')).toHaveValue(DEFAULT_SCENARIO_ID);
  await expect(page.getByTestId('step-label')).toHaveText(`${story + 1}/${events.length}`);
  await expect(page.getByTestId('current-event')).toContainText(`MODALIAS=${aliases[0]}`);
  await expect(page.getByTestId('outcome')).toContainText(`${focus}: not loaded yet (step ${story + 1} of ${events.length}; loads at step`);
  await expect(page.locator('.react-flow__edge.bs-edge--alias-pending')).not.toHaveCount(0);
  // the whole run fits: every node of the run is on screen already, and playing on keeps the view
  await page.screenshot({ path: `${SHOTS}/readable-first-screen.png` });
  await page.getByTestId('play-speed').selectOption('4');
  await page.getByTestId('play-to-module').click();
  await expect(page.getByTestId('outcome')).toContainText(`${focus}: loaded by udev`, { timeout: 30_000 });
});
