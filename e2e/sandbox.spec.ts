import { type Page } from '@playwright/test';
import { expect, openDesign, ready, test } from './common';
import { Simulation, getBuiltinScenario } from '../src/engine/index';
import { deviceState } from '../src/ui/graph/toFlow';
import { designs } from './designs';

// The sandbox as a reviewer uses it. Kernel outcomes asserted here are the ones the
// domain brief states for each design (docs: /work/shared/domain.md section 7); if one
// fails, check whether the engine changed before touching the UI.

const SHOTS = 'test-results/screens';

/** a built-in design at the end of its run */
const open = openDesign;

const device = (page: Page, name: string) => page.getByTestId(`node-device-${name}`);

/** nodes drawn outside the graph's box (the view did not fit the graph) */
async function nodesOutside(page: Page, graphTestId = 'device-graph'): Promise<string[]> {
  return page.getByTestId(graphTestId).evaluate((g) => {
    const box = g.getBoundingClientRect();
    return [...g.querySelectorAll<HTMLElement>('.react-flow__node')]
      .filter((n) => {
        const r = n.getBoundingClientRect();
        return r.left < box.left - 1 || r.top < box.top - 1 || r.right > box.right + 1 || r.bottom > box.bottom + 1;
      })
      .map((n) => n.dataset.id ?? '?');
  });
}

/** a node's place in the graph (flow coordinates, from React Flow's transform) */
const flowPosition = (page: Page, testId: string) =>
  page.locator('.react-flow__node', { has: page.getByTestId(testId) }).evaluate((n) => (n as HTMLElement).style.transform);
const mod = (page: Page, name: string) => page.getByTestId(`node-module-${name}`);

test.beforeEach(async ({ page }) => {
  await page.goto('/');
  await ready(page);
});

/** the key outcome of each design, as a reviewer states it */
const OUTCOMES: Record<string, (page: Page) => Promise<void>> = {
  mainline: async (page) => {
    await expect(device(page, 'arm-cca-dev')).toHaveAttribute('data-state', 'unbound');
    await expect(mod(page, 'arm_cca_guest')).toContainText('loaded by alias platform:arm-cca-dev');
  },
  'host-rfc': async (page) => {
    await expect(device(page, 'arm-rsi-dev')).toHaveAttribute('data-state', 'bound');
    await expect(device(page, 'arm-rsi-dev')).toContainText('arm-cca-guest');
  },
  'host-rfc-host': async (page) => {
    await expect(device(page, 'arm-rmi-dev')).toHaveAttribute('data-state', 'bound');
    await expect(device(page, 'arm-rmi-dev')).toContainText('cca_tsm');
    await expect(device(page, 'tsm0')).toBeVisible();
  },
  faux: async (page) => {
    // the posted patch: the module would create its own faux device, but nothing loads the module
    await expect(page.getByTestId('outcome')).toHaveAttribute('data-tone', 'not-loaded');
    await expect(mod(page, 'arm_cca_guest')).toHaveAttribute('data-state', 'not-loaded');
    await expect(device(page, 'arm-rsi-dev')).toHaveCount(0);
  },
  'faux-suggestion': async (page) => {
    // the why, without hunting: the sentence above the graph
    await expect(page.getByTestId('outcome')).toHaveAttribute('data-tone', 'not-loaded');
    await expect(page.getByTestId('outcome')).toContainText("no device's uevent carries a MODALIAS matching its alias");
    await expect(page.getByTestId('outcome')).toContainText('arm-cca-dev (faux bus) has no MODALIAS');
    await expect(device(page, 'arm-cca-dev')).toHaveAttribute('data-state', 'faux-bound');
    await expect(device(page, 'arm-cca-dev')).toContainText('faux_driver');
    await expect(mod(page, 'arm_cca_guest')).toHaveAttribute('data-state', 'not-loaded');
    await expect(page.getByTestId('extrapolated')).toBeVisible();
  },
  auxiliary: async (page) => {
    await expect(page.getByTestId('outcome')).toHaveAttribute('data-tone', 'loaded');
    await expect(page.getByTestId('outcome')).toContainText(
      "arm_cca_guest: loaded by udev — arm_cca_guest.arm-rsi-dev.0's uevent carried MODALIAS=auxiliary:arm_cca_guest.arm-rsi-dev",
    );
    await expect(page.locator('.react-flow__edge.bs-edge--alias-loaded')).toHaveCount(2); // arm_cca_guest and arm_smccc_trng
    await expect(device(page, 'arm-smccc')).toHaveAttribute('data-state', 'unbound');
    await expect(device(page, 'arm_cca_guest.arm-rsi-dev.0')).toHaveAttribute('data-state', 'bound');
    await expect(device(page, 'arm_smccc_trng.smccc_trng.0')).toHaveAttribute('data-state', 'bound');
    await expect(page.getByTestId('node-driver-arm_cca_guest')).toContainText('auxiliary driver');
    await expect(mod(page, 'arm_cca_guest')).toContainText('loaded by alias auxiliary:arm_cca_guest.arm-rsi-dev');
    await expect(device(page, 'tsm0')).toHaveCount(0); // the posted guest probe registers the report provider only
    await expect(page.getByTestId('kernel-version')).toHaveText('Linux 7.0');
  },
  'auxiliary-host': async (page) => {
    await expect(device(page, 'arm_cca_host.arm-rmi-dev.0')).toHaveAttribute('data-state', 'bound');
    await expect(mod(page, 'arm_cca_host')).toContainText('loaded by alias auxiliary:arm_cca_host.arm-rmi-dev');
    await expect(device(page, 'tsm0')).toBeVisible();
  },
  'auxiliary-v4': async (page) => {
    await expect(device(page, 'arm-smccc')).toHaveAttribute('data-state', 'unbound');
    await expect(device(page, 'arm_cca_guest.arm-rsi-dev.0')).toHaveAttribute('data-state', 'bound');
    await expect(device(page, 'smccc_trng')).toHaveAttribute('data-state', 'bound');
    await expect(page.getByTestId('extrapolated')).toBeVisible();
  },
  'auxiliary-v2': async (page) => {
    await expect(device(page, 'arm-smccc')).toHaveAttribute('data-state', 'unbound');
    await expect(device(page, 'arm_cca_guest.arm-rsi-dev.0')).toHaveAttribute('data-state', 'bound');
    await expect(page.getByTestId('extrapolated')).toHaveCount(0);
  },
  'auxiliary-v2-host': async (page) => {
    await expect(device(page, 'arm_cca_host.arm-rmi-dev.0')).toHaveAttribute('data-state', 'bound');
    await expect(device(page, 'tsm0')).toBeVisible();
  },
  'smccc-bus': async (page) => {
    await expect(device(page, 'arm-rsi')).toHaveAttribute('data-state', 'bound');
    await expect(device(page, 'arm-rsi')).toContainText('arm_smccc bus');
    await expect(mod(page, 'arm_cca_guest')).toContainText('loaded by alias arm_smccc:fC4000190');
    await expect(device(page, 'arm-cca-dev')).toHaveCount(0);
    await expect(page.getByTestId('kernel-version')).toHaveText('Linux 7.4');
    await expect(page.getByTestId('extrapolated')).toHaveCount(0);
  },
  'smccc-bus-v7': async (page) => {
    await expect(device(page, 'arm-rsi-dev-2')).toHaveAttribute('data-state', 'bound');
    await expect(mod(page, 'arm_cca_guest')).toContainText('loaded by alias arm_smccc:arm-rsi-dev');
  },
  'smccc-bus-v7-host': async (page) => {
    await expect(device(page, 'arm-rmi-dev-2')).toHaveAttribute('data-state', 'bound');
    await expect(mod(page, 'arm_cca_host')).toContainText('loaded by alias arm_smccc:arm-rmi-dev');
    await expect(page.getByTestId('extrapolated')).toBeVisible();
  },
  'smccc-bus-v6': async (page) => {
    await expect(device(page, 'arm-rsi-dev-1')).toHaveAttribute('data-state', 'bound');
    await expect(device(page, 'arm-smccc-trng-2')).toHaveAttribute('data-state', 'bound');
  },
};

test('every built-in design loads, shows its key outcome, and draws what the engine computed', async ({ page }) => {
  expect(designs.map((d) => d.id).sort()).toEqual(Object.keys(OUTCOMES).sort());
  for (const d of designs) {
    await open(page, d.id);
    await OUTCOMES[d.id]!(page);
    // the whole graph is on screen: the view fitted the design's graph, not the one before it
    await expect.poll(() => nodesOutside(page)).toEqual([]);
    // the graph shows each device and module in the state the engine reports at the last step
    const sim = new Simulation(getBuiltinScenario(d.id));
    const snap = sim.stateAt(sim.lastStep);
    await expect(page.locator('[data-kind="device"]')).toHaveCount(snap.devices.length);
    for (const dev of snap.devices) await expect(device(page, dev.name).first()).toHaveAttribute('data-state', deviceState(dev));
    for (const m of snap.modules) await expect(mod(page, m.name)).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/design-${d.id}.png` });
  }
});

test('firmware toggles re-run the design: not a Realm means no RSI device and no TSM module', async ({ page }) => {
  await open(page, 'auxiliary');
  await page.getByTestId('fw-realm').uncheck();
  await expect(device(page, 'arm_cca_guest.arm-rsi-dev.0')).toHaveCount(0);
  await expect(mod(page, 'arm_cca_guest')).toHaveAttribute('data-state', 'not-loaded');
  // the toggles stay when switching design, and the side switch goes to the host design
  await open(page, 'faux');
  await expect(page.getByTestId('fw-realm')).not.toBeChecked();
  await expect(device(page, 'arm-cca-dev')).toHaveCount(0);
  await page.getByTestId('fw-realm').check();
  await page.getByTestId('fw-module').selectOption('builtin');
  await expect(mod(page, 'arm_cca_guest')).toHaveAttribute('data-state', 'builtin');
  await open(page, 'auxiliary');
  await page.getByTestId('side-host').check();
  await expect(page.getByTestId('scenario-select')).toHaveValue('auxiliary-host');
  await expect(device(page, 'arm_cca_host.arm-rmi-dev.0')).toBeVisible();
});

test('design → revision: the revision select lists what was posted, and the side switch keeps the revision', async ({ page }) => {
  await open(page, 'smccc-bus');
  const rev = page.getByTestId('revision-select');
  await expect(rev.locator('option')).toHaveText([/^queued \(default\) · Linux 7\.4$/, /^v7 · Linux 7\.0$/, /^v6 · Linux 7\.0$/]);
  await rev.selectOption('smccc-bus-v7');
  await expect(page.locator('.bs-caption')).toContainText('arm_smccc bus v7');
  await expect(device(page, 'arm-rsi-dev-2')).toHaveAttribute('data-state', 'bound');
  await page.getByTestId('side-host').check();
  await expect(page.getByTestId('scenario-select')).toHaveValue('smccc-bus-v7-host');
  await expect(page.getByTestId('extrapolated')).toBeVisible();
  // the queued code has no host side: from v6 the host radio is off
  await page.getByTestId('side-guest').check();
  await rev.selectOption('smccc-bus-v6');
  await expect(page.getByTestId('side-host')).toBeDisabled();
  await open(page, 'auxiliary-v2');
  await expect(page.getByTestId('revision-select')).toHaveValue('auxiliary-v2');
  await page.getByTestId('side-host').check();
  await expect(page.getByTestId('scenario-select')).toHaveValue('auxiliary-v2-host');
});

test('stepping through the timeline with the keyboard and the controls', async ({ page }) => {
  await open(page, 'auxiliary');
  const label = page.getByTestId('step-label');
  const total = (await label.innerText()).split('/')[1]!;
  await page.locator('body').press('Home');
  await expect(label).toHaveText(`0/${total}`);
  await expect(page.getByTestId('current-event')).toContainText('Before the first event');
  await expect(page.locator('[data-kind="device"]')).toHaveCount(0);

  await page.locator('body').press('ArrowRight');
  await expect(label).toHaveText(`1/${total}`);
  await expect(page.getByTestId('current-event')).toContainText('boots');
  await page.getByTestId('step-forward').click();
  await expect(label).toHaveText(`2/${total}`);
  await page.locator('body').press('ArrowLeft');
  await expect(label).toHaveText(`1/${total}`);

  // jump to the uevent that makes udev load the module: a sentence with its citation, and the device highlighted
  await page.getByTestId('tab-events').click();
  const ev = page.getByTestId('event-list').getByRole('button', { name: /^\d+\s*uevent uevent add \/devices\/platform\/arm-smccc\/arm_cca_guest\.arm-rsi-dev\.0 / }).first();
  await ev.click();
  await expect(page.getByTestId('current-event')).toContainText(
    'uevent add /devices/platform/arm-smccc/arm_cca_guest.arm-rsi-dev.0 SUBSYSTEM=auxiliary MODALIAS=auxiliary:arm_cca_guest.arm-rsi-dev',
  );
  await expect(page.getByTestId('current-event')).toContainText('drivers/base/auxiliary.c:auxiliary_uevent');
  await expect(device(page, 'arm_cca_guest.arm-rsi-dev.0')).toHaveAttribute('data-touched', 'true');
  await expect(device(page, 'arm_cca_guest.arm-rsi-dev.0')).toHaveAttribute('data-state', 'unbound');
  // the MODALIAS already points at the module that is not loaded yet, and the sentence says why
  await expect(page.locator('.react-flow__edge.bs-edge--alias-pending')).toHaveCount(1);
  await expect(page.getByTestId('outcome')).toContainText('arm_cca_guest: not loaded');
  await expect(page.getByTestId('outcome')).toContainText('matches alias auxiliary:arm_cca_guest.arm-rsi-dev');
  await page.screenshot({ path: `${SHOTS}/timeline-uevent.png` });

  // play runs on by itself; space pauses
  await page.getByTestId('play').click();
  const before = await label.innerText();
  await expect(label).not.toHaveText(before);
  await page.locator('body').press(' ');
  await expect(page.getByTestId('play')).toContainText('Play');

  await page.locator('body').press('End');
  await expect(label).toHaveText(`${total}/${total}`);
  await expect(device(page, 'arm_cca_guest.arm-rsi-dev.0')).toHaveAttribute('data-state', 'bound');
});

test('details, views beside the graph, and an unbind action that forks the run', async ({ page }) => {
  await open(page, 'auxiliary');
  // keyboard: a focused graph node is selected with Enter, Escape closes the details
  const node = page.locator('.react-flow__node', { has: device(page, 'arm-smccc') });
  await expect(node).toHaveAttribute('aria-label', /device arm-smccc, platform bus · unbound/);
  await node.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('details-panel')).toContainText('arm-smccc');
  // nothing binds arm-smccc, yet it holds the children's devres: the panel says what that means
  await expect(page.getByTestId('unbound-devres')).toContainText('Resources present before probing');
  await expect(page.getByTestId('action-unbind')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('details-panel')).toHaveCount(0);

  await device(page, 'arm_cca_guest.arm-rsi-dev.0').click();
  const details = page.getByTestId('details-panel');
  await expect(details.getByTestId('detail-sysfs')).toContainText('/sys/devices/platform/arm-smccc/arm_cca_guest.arm-rsi-dev.0');
  await expect(details.getByTestId('detail-modalias')).toContainText('auxiliary:arm_cca_guest.arm-rsi-dev');
  await expect(details.getByTestId('detail-uevent')).toContainText('DRIVER=arm_cca_guest');
  await expect(details.getByTestId('explain')).toContainText('auxiliary_match_id');
  await page.getByRole('button', { name: 'Legend' }).click();
  await expect(page.getByRole('list', { name: 'Legend' })).toContainText('faux device');
  await page.screenshot({ path: `${SHOTS}/details-auxiliary.png` });
  await page.getByRole('button', { name: 'Hide legend' }).click();
  await page.screenshot({ path: `${SHOTS}/readme-auxiliary.png` }); // docs/screenshot.png

  await page.getByTestId('tab-uevents').click();
  await expect(page.getByTestId('view-uevents')).toContainText('MODALIAS=auxiliary:arm_cca_guest.arm-rsi-dev');
  await expect(page.getByTestId('view-uevents')).toContainText('KERNEL[');
  await page.getByTestId('tab-lsmod').click();
  await expect(page.getByTestId('view-lsmod')).toContainText('arm_cca_guest');
  await page.getByTestId('tab-dmesg').click();
  await expect(page.getByTestId('view-dmesg')).toContainText('psci:');
  await page.getByTestId('tab-sysfs').click();
  const sysfs = page.getByTestId('sysfs');
  await expect(sysfs).toContainText('arm_cca_guest.arm-rsi-dev.0');
  await sysfs.getByTitle('cat /sys/devices/platform/arm-smccc/arm_cca_guest.arm-rsi-dev.0/uevent').click();
  await expect(sysfs).toContainText('$ cat /sys/devices/platform/arm-smccc/arm_cca_guest.arm-rsi-dev.0/uevent');
  await expect(sysfs.locator('.bs-cat pre')).toContainText('MODALIAS=auxiliary:arm_cca_guest.arm-rsi-dev');
  await page.screenshot({ path: `${SHOTS}/details-sysfs.png` });

  await details.getByTestId('action-unbind').click();
  await expect(page.getByTestId('user-actions')).toContainText('1 user action');
  await expect(page.getByTestId('current-event')).toContainText(/unbind/i);
  await page.locator('body').press('End');
  await expect(device(page, 'arm_cca_guest.arm-rsi-dev.0')).toHaveAttribute('data-state', 'unbound');
  await page.screenshot({ path: `${SHOTS}/after-unbind.png` });

  // faux: the kernel has no unbind file to offer
  await open(page, 'faux-suggestion');
  await device(page, 'arm-cca-dev').click();
  await expect(page.getByTestId('no-unbind')).toBeVisible();
  await expect(page.getByTestId('action-unbind')).toHaveCount(0);
});

test('removing the unbound arm-smccc releases its devm auxiliary children; the other nodes keep their place', async ({ page }) => {
  await open(page, 'auxiliary');
  await device(page, 'arm-smccc').click();
  const details = page.getByTestId('details-panel');
  await expect(details.getByTestId('detail-driver')).toContainText('none (unbound)');
  const before = await flowPosition(page, 'node-driver-arm_cca_guest');
  await details.getByTestId('action-remove').click();
  await expect(page.getByTestId('user-actions')).toContainText('1 user action');
  await page.locator('body').press('End');
  await expect(device(page, 'arm-smccc')).toHaveCount(0);
  await expect(device(page, 'arm_cca_guest.arm-rsi-dev.0')).toHaveCount(0);
  await expect(device(page, 'arm_smccc_trng.smccc_trng.0')).toHaveCount(0);
  await expect(page.getByTestId('node-driver-arm_cca_guest')).toBeVisible(); // the driver stays registered
  expect(await flowPosition(page, 'node-driver-arm_cca_guest')).toBe(before);
  await page.screenshot({ path: `${SHOTS}/after-remove-arm-smccc.png` });

  // the faux device offers no unbind, and says why
  await open(page, 'faux-suggestion');
  await device(page, 'arm-cca-dev').click();
  await expect(page.getByTestId('no-unbind')).toContainText('suppress_bind_attrs');
  await page.screenshot({ path: `${SHOTS}/details-faux.png` });
  await page.locator('body').press('Escape');
  await mod(page, 'arm_cca_guest').click();
  await expect(page.getByTestId('detail-module-why')).toContainText('has no MODALIAS');
});

/** the size a node's name is drawn at, in screen px (font size times the graph's zoom) */
const labelPx = (page: Page, graphTestId: string) =>
  page.getByTestId(graphTestId).evaluate((g) => {
    const zoom = new DOMMatrix(getComputedStyle(g.querySelector('.react-flow__viewport')!).transform).a;
    return parseFloat(getComputedStyle(g.querySelector('.bs-box__label')!).fontSize) * zoom;
  });

test('compare mode: faux vs auxiliary on the same firmware, with the difference table', async ({ page }) => {
  await open(page, 'auxiliary-v2');
  await page.getByTestId('mode-compare').click();
  await expect(page.getByTestId('compare-select')).toHaveValue('faux');
  // the faux device as suggested in review shows what the faux bus does with it
  await page.getByTestId('compare-select').selectOption('faux-suggestion');
  // the table is the slide: shown by default, with every difference and the identical service folded
  const table = page.getByTestId('compare-table');
  const toggle = page.getByTestId('compare-table-toggle');
  await expect(toggle).toHaveAccessibleName('Hide the difference table');
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await expect(page.getByRole('region', { name: 'Difference table' })).toBeVisible();
  await expect(table.getByTestId('cmp-RSI-MODALIAS').locator('.cmp-a')).toHaveText('auxiliary:arm_cca_guest.arm-rsi-dev');
  await expect(table.getByTestId('cmp-RSI-MODALIAS').locator('.cmp-b')).toHaveText('none');
  await expect(table.getByTestId('cmp-RSI-Module').locator('.cmp-b')).toHaveText('arm_cca_guest: not loaded');
  await expect(table.getByTestId('cmp-RSI-Unbindable').locator('.cmp-b')).toHaveText('no');
  await expect(table.getByTestId('cmp-TRNG-same').locator('td')).toHaveText(
    'the same in A and B: smccc_trng (platform) · arm_smccc_trng: loaded by alias platform:smccc_trng',
  );
  await expect(table.getByTestId('cmp-TRNG-Device')).toHaveCount(0);
  await expect(table.getByTestId('cmp-TRNG-same')).toBeInViewport(); // the whole table on screen
  await expect(page.getByTestId('outcome-a')).toContainText('arm_cca_guest: loaded by udev');
  await expect(page.getByTestId('outcome-b')).toContainText('arm_cca_guest: not loaded');
  await expect(page.getByTestId('outcome-b')).toContainText('has no MODALIAS');
  // beside it, the per-service graphs: devices, what hangs under them, their modules; readable text
  const graphA = page.getByTestId('compare-graph-a');
  const graphB = page.getByTestId('compare-graph-b');
  await expect(graphB.getByTestId('node-device-arm-cca-dev')).toBeVisible();
  await expect(graphB.getByTestId('node-module-arm_cca_guest')).toHaveAttribute('data-state', 'not-loaded');
  await expect(graphA.getByTestId('node-device-arm_cca_guest.arm-rsi-dev.0')).toBeVisible();
  await expect(graphA.getByTestId('node-module-arm_cca_guest')).toContainText('loaded by alias auxiliary:arm_cca_guest');
  for (const g of [graphA, graphB]) {
    await expect(g.locator('[data-kind="firmware"], [data-kind="driver"]')).toHaveCount(0);
    await expect(g.getByTestId('node-device-platform')).toHaveCount(0);
  }
  await expect.poll(() => nodesOutside(page, 'compare-graph-a')).toEqual([]);
  await expect.poll(() => nodesOutside(page, 'compare-graph-b')).toEqual([]);
  await expect.poll(() => labelPx(page, 'compare-graph-a')).toBeGreaterThanOrEqual(10);
  await expect.poll(() => labelPx(page, 'compare-graph-b')).toBeGreaterThanOrEqual(10);
  await page.screenshot({ path: `${SHOTS}/compare.png` });

  // keyboard: unfold the identical rows, fold them again (space toggles the box, it does not play)
  const step = await page.getByTestId('step-label').innerText();
  const same = page.getByRole('checkbox', { name: /show rows that are the same/ });
  await same.focus();
  await page.keyboard.press('Space');
  await expect(table.getByTestId('cmp-TRNG-Device').locator('.cmp-b')).toHaveText('smccc_trng (platform)');
  await expect(table.getByTestId('cmp-TRNG-same')).toHaveCount(0);
  await page.keyboard.press('Space');
  await expect(table.getByTestId('cmp-TRNG-Device')).toHaveCount(0);
  await expect(page.getByTestId('step-label')).toHaveText(step);

  // the two graphs large: hide the table, then show the whole designs (arrows pick a radio, not a step)
  await toggle.focus();
  await page.keyboard.press('Enter');
  await expect(table).toHaveCount(0);
  await expect(toggle).toHaveAccessibleName('Show the difference table');
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await page.getByRole('radio', { name: 'services only' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('radio', { name: 'whole designs' })).toBeChecked();
  await expect(page.getByTestId('step-label')).toHaveText(step);
  await expect(graphB.getByTestId('node-driver-faux_driver')).toBeVisible();
  await expect(graphA.locator('[data-kind="firmware"]').first()).toBeVisible();
  await expect.poll(() => nodesOutside(page, 'compare-graph-a')).toEqual([]);
  await expect.poll(() => nodesOutside(page, 'compare-graph-b')).toEqual([]);
  await page.screenshot({ path: `${SHOTS}/compare-whole-designs.png` });
  await toggle.click();
  await expect(table.getByTestId('cmp-RSI-MODALIAS')).toBeVisible();
  await page.getByRole('radio', { name: 'services only' }).check();
  await expect(graphB.locator('[data-kind="driver"]')).toHaveCount(0);

  // same firmware: a toggle re-runs both sides; without RSI on either side its rows go
  await page.getByTestId('fw-realm').uncheck();
  await expect(table.getByTestId('cmp-RSI-Device')).toHaveCount(0);
  await expect(table.getByTestId('cmp-TRNG-same')).toContainText('smccc_trng (platform)');
  await expect(graphB.getByTestId('node-device-arm-cca-dev')).toHaveCount(0);
  await expect(graphB.getByTestId('node-device-smccc_trng')).toBeVisible();
});

test('scenario editor: errors inline with their path, the last valid run stays, text survives a reload', async ({ page }) => {
  await open(page, 'auxiliary');
  await page.getByTestId('mode-edit').click();
  const editor = page.getByTestId('editor');
  await expect(editor.locator('.cm-content')).toContainText('"id": "auxiliary"');

  const scenario = getBuiltinScenario('auxiliary') as { modules: { location: string }[]; id: string; title: string };
  const bad = structuredClone(scenario);
  bad.modules[0]!.location = 'sideways';
  await editor.locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(JSON.stringify(bad, null, 2));
  await expect(page.getByTestId('editor-problems')).toContainText('modules[0].location');
  await expect(device(page, 'arm_cca_guest.arm-rsi-dev.0')).toBeVisible(); // the last valid run stays on screen
  await page.getByTestId('editor-problems').getByRole('button', { name: 'modules[0].location' }).click();
  await expect(editor.locator('.cm-activeLine')).toContainText('"location": "sideways"');
  await page.screenshot({ path: `${SHOTS}/editor-validation.png` });

  await editor.locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText('{ "id": "broken", ');
  await expect(page.getByTestId('editor-problems')).toContainText('JSON syntax');
  await expect(editor.locator('.cm-lintRange-error').first()).toBeVisible(); // drawn inline
  await expect(device(page, 'arm_cca_guest.arm-rsi-dev.0')).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/editor-error.png` });

  const mine = { ...structuredClone(scenario), id: 'my-design', title: 'My design' };
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(JSON.stringify(mine, null, 2));
  await expect(page.getByTestId('editor-state')).toContainText('valid');
  await expect(page.locator('.bs-caption')).toContainText('My design');
  await expect(page.getByTestId('scenario-select')).toContainText('custom: my-design');

  await page.reload();
  await expect(page.getByTestId('status')).toHaveText('ready');
  await page.getByTestId('mode-edit').click();
  await expect(page.getByTestId('editor').locator('.cm-content')).toContainText('"id": "my-design"');
});
