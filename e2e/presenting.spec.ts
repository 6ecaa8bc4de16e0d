import { type Page } from '@playwright/test';
import { expect, ready, test } from './common';
import { BUILTIN_WALKTHROUGHS } from '../src/scenarios/walkthroughs';

// Presentation mode: a walkthrough full screen, driven as a presenter remote does.

const SHOTS = 'test-results/screens';

const stopReady = (page: Page, stop: number) =>
  expect(page.getByTestId('presentation')).toHaveAttribute('data-stop', String(stop)).then(() =>
    expect(page.getByTestId('presentation')).toHaveAttribute('data-ready', 'true'));

/** the smallest node label on screen, in px (font size times the graph's zoom), after the zoom transition */
const minLabelPx = (page: Page) =>
  page.getByTestId('present-graph').evaluate((g) => {
    const zoom = new DOMMatrix(getComputedStyle(g.querySelector('.react-flow__viewport')!).transform).a;
    const sizes = [...g.querySelectorAll('.bs-box__label')].map((l) => parseFloat(getComputedStyle(l).fontSize) * zoom);
    return Math.min(...sizes);
  });

test('present a design: large type, focus, next/previous by keys and clicks, a counter, Esc leaves', async ({ page }) => {
  const walk = BUILTIN_WALKTHROUGHS.find((w) => w.id === 'auxiliary')!;
  const n = walk.stops.length;
  await page.goto('/?design=auxiliary&step=3');
  await ready(page);
  await page.getByTestId('present').click();
  const pres = page.getByTestId('presentation');
  await stopReady(page, 0);
  await expect(page.getByTestId('present-counter')).toHaveText(`1 / ${n}`);
  await expect(page.getByTestId('present-caption')).toHaveText(walk.stops[0]!.caption);
  await expect(page.getByTestId('present-uevent')).toContainText('KERNEL[');
  await expect(page.getByTestId('fw-realm')).toHaveCount(0); // no toggles
  await expect(page.getByTestId('device-graph')).toHaveCount(0);
  await page.waitForTimeout(800); // the zoom transition
  expect(await minLabelPx(page)).toBeGreaterThanOrEqual(16);
  const captionPx = await page.getByTestId('present-caption').evaluate((c) => parseFloat(getComputedStyle(c).fontSize));
  expect(captionPx).toBeGreaterThan(16);
  await page.screenshot({ path: `${SHOTS}/present-1280-stop1.png` });

  await page.keyboard.press('ArrowRight');
  await stopReady(page, 1);
  await page.keyboard.press('PageDown');
  await stopReady(page, 2);
  await page.keyboard.press('PageUp');
  await stopReady(page, 1);
  await page.keyboard.press(' ');
  await stopReady(page, 2);
  await page.keyboard.press('ArrowLeft');
  await stopReady(page, 1);
  await pres.click({ position: { x: 300, y: 300 } }); // a click goes on
  await stopReady(page, 2);
  await page.getByRole('button', { name: 'Previous stop (←)' }).click();
  await stopReady(page, 1);
  await page.keyboard.press(' '); // after a click on ◀, space still means "next"
  await stopReady(page, 2);
  await page.keyboard.press('ArrowLeft');
  await stopReady(page, 1);
  await expect(page).toHaveURL(/walk=auxiliary&stop=1/);

  // quick presses are not dropped: 3 → then 2 ← without waiting
  await page.keyboard.press('Home');
  await stopReady(page, 0);
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight', { delay: 0 });
  await stopReady(page, 3);
  for (let i = 0; i < 2; i++) await page.keyboard.press('ArrowLeft', { delay: 0 });
  await stopReady(page, 1);
  await page.keyboard.press('End');
  await stopReady(page, n - 1);
  await expect(page.getByTestId('present-counter')).toHaveText(`${n} / ${n}`);

  await page.keyboard.press('Escape');
  await expect(pres).toHaveCount(0);
  await expect(page.getByTestId('device-graph')).toBeVisible();
  await expect(page).not.toHaveURL(/walk=/);
});

test('1920×1080: the same stop, larger type; "the question" ends on the compare table from a link', async ({ page }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto('/?walk=auxiliary&stop=3');
  await stopReady(page, 3);
  await page.waitForTimeout(800);
  expect(await minLabelPx(page)).toBeGreaterThanOrEqual(16);
  await expect(page.getByTestId('present-details')).toContainText('/sys/devices/platform/arm-smccc/arm_cca_guest.arm-rsi-dev.0');
  await page.screenshot({ path: `${SHOTS}/present-1920-details.png` });

  const q = BUILTIN_WALKTHROUGHS.find((w) => w.id === 'the-question')!;
  await page.goto(`/?walk=the-question&stop=${q.stops.length - 1}`);
  await stopReady(page, q.stops.length - 1);
  const table = page.getByTestId('present-compare');
  await expect(table).toContainText('arm_smccc:fC4000190');
  await expect(table).toContainText('A: smccc-bus');
  await expect(table).toContainText('B: faux-suggestion');
  await page.screenshot({ path: `${SHOTS}/present-1920-compare.png` });
  // a stop in another design: the presentation switches design
  await page.keyboard.press('Home');
  await stopReady(page, 0);
  await expect(page.getByTestId('present-uevent')).toContainText('/devices/platform/arm-cca-dev');
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.waitForTimeout(900);
  await page.screenshot({ path: `${SHOTS}/present-1280-question.png` });
});

test('a scenario file with its own walkthrough is presented; an unmatched stop says so; entered from compare mode', async ({ page }) => {
  const { getBuiltinScenario } = await import('../src/engine/index');
  const mine = {
    ...getBuiltinScenario('smccc-bus'),
    id: 'my-bus',
    title: 'My bus design',
    walkthrough: {
      id: 'my-bus-story',
      title: 'My bus in two stops',
      stops: [
        { at: { kind: 'uevent', action: 'add', devpathEndsWith: '/arm-rsi' }, caption: 'My RSI device appears.', focus: ['device:arm-rsi'], panel: 'uevent' },
        { at: { kind: 'uevent', devpathEndsWith: '/no-such-device' }, caption: 'A stop that matches nothing.' },
      ],
    },
  };
  await page.goto('/?design=auxiliary&mode=compare');
  await ready(page);
  await expect(page.getByTestId('compare-table')).toBeVisible();
  await page.getByTestId('load-json-input').setInputFiles({ name: 'my-bus.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(mine)) });
  await expect(page.getByTestId('scenario-select')).toContainText('custom: my-bus');
  await page.getByTestId('walk-select').selectOption('my-bus-story');
  await stopReady(page, 0);
  await expect(page.getByTestId('present-caption')).toHaveText('My RSI device appears.');
  await expect(page.getByTestId('present-uevent')).toContainText('MODALIAS=arm_smccc:fC4000190');
  await page.keyboard.press('ArrowRight');
  await stopReady(page, 1);
  await expect(page.getByRole('alert')).toContainText('stop 2: no event matches uevent …/no-such-device in my-bus');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('presentation')).toHaveCount(0);
  await expect(page.locator('.bs-caption, [data-testid="compare"]').first()).toBeVisible();

  // an invalid walkthrough in a file: refused with its path, like the rest of the format
  const bad = { ...mine, walkthrough: { ...mine.walkthrough, stops: [{ at: { kind: 'uevnt' }, caption: 'x' }] } };
  await page.getByTestId('load-json-input').setInputFiles({ name: 'bad-walk.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) });
  await expect(page.getByTestId('status-message')).toContainText('walkthrough.stops[0].at.kind');
});

test('Back leaves a presentation entered from the app; Forward returns to its stop', async ({ page }) => {
  await page.goto('/?design=faux-suggestion');
  await ready(page);
  await page.getByTestId('present').click();
  await stopReady(page, 0);
  await page.keyboard.press('ArrowRight');
  await stopReady(page, 1);
  await expect(page).toHaveURL(/walk=faux-suggestion&stop=1/);
  await page.goBack();
  await expect(page.getByTestId('presentation')).toHaveCount(0);
  await expect(page.getByTestId('scenario-select')).toHaveValue('faux-suggestion');
  await page.goForward();
  await stopReady(page, 1);
  await expect(page.getByTestId('present-caption')).toContainText('faux_driver');
});
