import { type Page } from '@playwright/test';
import { expect, ready, test } from './common';
import { Simulation, getBuiltinScenario } from '../src/engine/index';
import { formatDmesg, formatUeventLog } from '../src/engine/trace/format';
import { benchScenario } from '../bench/scenario';

// The udevadm monitor, dmesg and /sys tabs: their rows stay in the worker and come in pages (the
// monitor's and dmesg's lines) or one directory at a time (/sys). What each shows at a step is
// checked against the engine's own run of the same design, here in the test.

const SHOTS = 'test-results/screens';
const DEV = '/devices/platform/arm-smccc/arm_cca_guest.arm-rsi-dev.0';

const text = (page: Page, tab: string) => page.getByTestId(`view-${tab}`).evaluate((el) => (el as HTMLElement).innerText.replace(/\u00a0/g, ''));

async function openAt(page: Page, step: number) {
  await page.goto(`/?design=auxiliary&step=${step}`);
  await ready(page);
  await expect(page.getByTestId('step-label')).toHaveText(new RegExp(`^${step + 1}/`));
}

test('the monitor, dmesg and /sys show the step\'s rows, and follow the steps', async ({ page }) => {
  const sim = new Simulation(getBuiltinScenario('auxiliary'));
  const has = (step: number) => sim.stateAt(step).sysfs.includes(`/sys${DEV}/uevent`);
  // the step that creates the device's sysfs directory, and the uevent step of the device
  const created = Array.from({ length: sim.lastStep + 1 }, (_, i) => i).find(has)!;
  const uevent = sim.eventsBetween(0, sim.eventCount).find((e) => e.kind === 'uevent' && e.uevent?.devpath === DEV && e.uevent.action === 'add')!.index;
  expect(created).toBeGreaterThan(0);
  expect(uevent).toBeGreaterThan(created);

  await openAt(page, uevent - 1);
  const before = sim.stateAt(uevent - 1);
  await page.getByTestId('tab-uevents').click();
  await expect(page.getByTestId('tab-uevents')).toHaveText(`udevadm monitor (${before.uevents.length})`);
  await expect.poll(() => text(page, 'uevents')).toBe(formatUeventLog(before.uevents));
  await expect(page.getByTestId('view-uevents')).not.toContainText(`DEVPATH=${DEV}`);
  // one step on: the device's uevent is the newest rows
  await page.locator('body').press('ArrowRight');
  const at = sim.stateAt(uevent);
  await expect(page.getByTestId('tab-uevents')).toHaveText(`udevadm monitor (${at.uevents.length})`);
  await expect.poll(() => text(page, 'uevents')).toBe(formatUeventLog(at.uevents));
  await expect(page.getByTestId('view-uevents')).toContainText(`DEVPATH=${DEV}`);
  await page.screenshot({ path: `${SHOTS}/views-monitor.png` });

  await page.getByTestId('tab-dmesg').click();
  await expect.poll(() => text(page, 'dmesg')).toBe(formatDmesg(at.log));
  await page.locator('body').press('End');
  await expect.poll(() => text(page, 'dmesg')).toBe(formatDmesg(sim.stateAt(sim.lastStep).log));
  await page.locator('body').press('Home');
  await expect(page.getByTestId('view-dmesg')).toHaveText('(kernel log empty)');
  await page.getByTestId('tab-uevents').click();
  await expect(page.getByTestId('view-uevents')).toHaveText('(no uevents yet)');
  await expect(page.getByTestId('tab-uevents')).toHaveText('udevadm monitor (0)');

  // /sys: the device's directory is not there before the step that adds it, and is after
  await openAt(page, created - 1);
  await page.getByTestId('tab-sysfs').click();
  const sysfs = page.getByTestId('sysfs');
  await expect(sysfs).toContainText('arm-smccc/');
  await expect(sysfs).not.toContainText('arm_cca_guest.arm-rsi-dev.0');
  await page.locator('body').press('ArrowRight');
  await expect(sysfs.getByTitle(`cat /sys${DEV}/uevent`)).toBeVisible();
  // the entries of the open directories are the step's listing's
  const listing = sim.stateAt(created).sysfs;
  const under = listing.filter((l) => l.startsWith(`/sys${DEV}/`)).map((l) => l.slice(`/sys${DEV}/`.length).split(/\/| -> /)[0]!);
  const shown = await sysfs.locator('details:has(> summary:text-is("arm_cca_guest.arm-rsi-dev.0/"))').locator(':scope > ul > li').allInnerTexts();
  expect(shown.map((t) => t.split(/\/|\s+->/)[0]!.trim())).toEqual([...new Set(under)]);
  await page.screenshot({ path: `${SHOTS}/views-sysfs.png` });
  // a directory closed by hand stays closed at the next step; opened again, its entries come back
  const platform = sysfs.locator('details:has(> summary:text-is("arm-smccc/"))');
  await platform.locator(':scope > summary').click();
  await page.locator('body').press('ArrowRight');
  await expect(page.getByTestId('step-label')).toHaveText(new RegExp(`^${created + 2}/`));
  await expect(platform).not.toHaveAttribute('open');
  await expect(sysfs.getByTitle(`cat /sys${DEV}/uevent`)).toHaveCount(0);
  await platform.locator(':scope > summary').click();
  await expect(sysfs.getByTitle(`cat /sys${DEV}/uevent`)).toBeVisible();
  await page.locator('body').press('Home');
  await expect(sysfs).not.toContainText('arm-smccc');
});

test('a large run: the monitor is windowed and paged, /sys shows part of a large directory', async ({ page }) => {
  const n = 300;
  const sim = new Simulation(benchScenario(n));
  await page.goto(`/?bench=${n}`);
  await ready(page);
  const end = sim.stateAt(sim.lastStep);
  const whole = formatUeventLog(end.uevents);
  await page.getByTestId('tab-uevents').click();
  await expect(page.getByTestId('tab-uevents')).toHaveText(`udevadm monitor (${end.uevents.length})`);
  const view = page.getByTestId('view-uevents');
  // windowed: a few dozen lines in the page, not the thousands of the text
  await expect(view.locator('pre')).toHaveAttribute('aria-label', `${whole.split('\n').length} lines; the ones in view are shown`);
  // the rows in view once none waits for its page, read in one go: a scroll can bring in a row
  // still waiting ("…") between a check for waiting rows and a read of the rows
  const inView = async () => {
    let rows: string[] | null = null;
    await expect.poll(async () => {
      rows = await view.evaluate((el) => {
        const shown = [...el.querySelectorAll('pre > div > div:not(.bs-spacer)')];
        return shown.some((d) => d.classList.contains('bs-term__pending')) ? null : shown.map((d) => (d as HTMLElement).innerText);
      });
      return rows !== null;
    }).toBe(true);
    return rows!;
  };
  const lines = whole.split('\n');
  // the lines rendered are a run of the text's own lines (scrolled to the middle, then to the end)
  for (const at of [0.5, 1]) {
    await view.evaluate((el, at) => (el.scrollTop = at * el.scrollHeight), at);
    await expect.poll(async () => (await inView()).length).toBeGreaterThan(10);
    const got = (await inView()).map((l) => l.replace(/\u00a0/g, ''));
    const from = lines.indexOf(got.find((l) => l.startsWith('KERNEL['))!);
    const k = got.findIndex((l) => l.startsWith('KERNEL['));
    expect(got.slice(k)).toEqual(lines.slice(from, from + got.length - k));
    // at the end the window shows the last uevent's SEQNUM (and the blank line after it) once the scroll has settled
    if (at === 1) await expect.poll(async () => (await inView()).map((l) => l.replace(/\u00a0/g, '')).at(-2)).toBe(`SEQNUM=${end.uevents.at(-1)!.seq}`);
  }
  await page.screenshot({ path: `${SHOTS}/views-monitor-large.png` });

  // /sys/devices/platform holds every device: the first 200 are shown, with what is left to ask for
  await page.getByTestId('tab-sysfs').click();
  const sysfs = page.getByTestId('sysfs');
  const platform = sysfs.locator('details:has(> summary:text-is("platform/"))').first();
  await expect(platform.getByTestId('sysfs-more')).toBeVisible();
  const total = new Set(end.sysfs.filter((l) => l.startsWith('/sys/devices/platform/')).map((l) => l.split('/')[4]!.split(' -> ')[0])).size;
  await expect(platform.locator(':scope > ul > li.bs-sys--dir')).toHaveCount(200);
  await expect(platform.getByTestId('sysfs-more')).toHaveText(`${(total - 200).toLocaleString('en')} more…`);
  await platform.getByTestId('sysfs-more').click();
  await expect(platform.getByTestId('sysfs-more')).toHaveCount(total > 700 ? 1 : 0);
  await page.screenshot({ path: `${SHOTS}/views-sysfs-large.png` });
});
