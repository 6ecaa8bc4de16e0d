import type { Page } from '@playwright/test';
import { expect, ready, test } from './common';
import lz from 'lz-string';
import { getBuiltinScenario } from '../src/engine/index';

// Shareable links: the whole view in the URL, opened in a fresh browser context.

const device = (page: Page, name: string) => page.getByTestId(`node-device-${name}`);

test('a link round trip: toggles, a user action, step, selection and compare open the same view', async ({ page, browser, watch }) => {
  await page.goto('/');
  await ready(page);
  await page.getByTestId('scenario-select').selectOption('auxiliary');
  await ready(page);
  await page.getByTestId('fw-firmware').selectOption('acpi');
  await ready(page);
  await device(page, 'arm_cca_guest.arm-rsi-dev.0').click();
  await page.getByTestId('details-panel').getByTestId('action-unbind').click();
  await expect(page.getByTestId('user-actions')).toContainText('1 user action');
  const [at, total] = (await page.getByTestId('step-label').innerText()).split('/').map(Number) as [number, number];
  await page.locator('body').press('ArrowRight');
  await page.locator('body').press('ArrowRight');
  // both presses landed (steps move asynchronously), and the URL names that step
  const step = `${at + 2}/${total}`;
  await expect(page.getByTestId('step-label')).toHaveText(step);
  await expect(page).toHaveURL(new RegExp(`step=${at + 1}(&|#|$)`));
  await page.getByTestId('mode-compare').click();
  await page.getByTestId('compare-select').selectOption('smccc-bus');
  await expect(page.getByTestId('compare-table')).toBeVisible();
  await expect(page).toHaveURL(/cmp=smccc-bus/);
  const url = page.url();
  expect(url).toContain('fw=acpi');

  const fresh = await (await browser.newContext()).newPage();
  watch(fresh);
  await fresh.goto(url);
  await ready(fresh);
  await expect(fresh.getByTestId('status-message')).toHaveCount(0);
  await expect(fresh.getByTestId('scenario-select')).toHaveValue('auxiliary');
  await expect(fresh.getByTestId('fw-firmware')).toHaveValue('acpi');
  await expect(fresh.getByTestId('step-label')).toHaveText(step);
  await expect(fresh.getByTestId('compare-select')).toHaveValue('smccc-bus');
  await expect(fresh.getByTestId('compare-table')).toBeVisible();
  await fresh.getByTestId('mode-explore').click();
  await expect(fresh.getByTestId('user-actions')).toContainText('1 user action');
  await expect(fresh.getByTestId('details-panel')).toContainText('arm_cca_guest.arm-rsi-dev.0');
  await fresh.locator('body').press('End');
  await expect(device(fresh, 'arm_cca_guest.arm-rsi-dev.0')).toHaveAttribute('data-state', 'unbound');
  await fresh.context().close();
});

test('a custom scenario and a user action on it travel in the link', async ({ page, browser, watch }) => {
  await page.goto('/');
  await ready(page);
  const mine = { ...getBuiltinScenario('auxiliary-v2'), id: 'shared-design', title: 'A design shared by link' };
  await page.getByTestId('mode-edit').click();
  const editor = page.getByTestId('editor');
  await editor.locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(JSON.stringify(mine, null, 2));
  await expect(page.locator('.bs-caption')).toContainText('A design shared by link');
  await page.getByTestId('mode-explore').click();
  await device(page, 'arm_cca_guest.arm-rsi-dev.0').click();
  await page.getByTestId('details-panel').getByTestId('action-unbind').click();
  await expect(page.getByTestId('user-actions')).toContainText('1 user action');
  await expect(page).toHaveURL(/#s=.*&a=/);
  const url = page.url();
  const fresh = await (await browser.newContext()).newPage();
  watch(fresh);
  await fresh.goto(url);
  await ready(fresh);
  await expect(fresh.getByTestId('status-message')).toHaveCount(0);
  await expect(fresh.locator('.bs-caption')).toContainText('A design shared by link');
  await expect(fresh.getByTestId('scenario-select')).toContainText('custom: shared-design');
  await expect(fresh.getByTestId('user-actions')).toContainText('1 user action');
  await expect(fresh.getByTestId('step-label')).toHaveText(await page.getByTestId('step-label').innerText());
  await fresh.locator('body').press('End');
  await expect(device(fresh, 'arm_cca_guest.arm-rsi-dev.0')).toHaveAttribute('data-state', 'unbound');
  await fresh.context().close();
});

test('a malformed, truncated or oversized link says so and opens the default design', async ({ page }) => {
  for (const [link, said] of [
    ['/?design=no-such-design', /no built-in design "no-such-design"/],
    ['/?design=faux#s=N4Igx', /scenario could not be read|not valid JSON/],
    [`/#s=${'A'.repeat(70_000)}`, /too long/],
    ['/?step=soon&mode=slides', /step=soon.*mode=slides/],
  ] as const) {
    await page.goto(link);
    await ready(page);
    await expect(page.getByTestId('status-message')).toContainText(said);
    await expect(page.locator('[data-kind="device"]').first()).toBeVisible();
  }
  // a link whose scenario is invalid: its validation errors, and the default design
  await page.goto(`/#s=${lz.compressToEncodedURIComponent(JSON.stringify({ id: 'bad', title: 'Bad' }))}`);
  await ready(page);
  await expect(page.getByTestId('status-message')).toContainText('is invalid');
  await expect(page.getByTestId('scenario-select')).toHaveValue('auxiliary');
});

test("a built-in variant's id opens as its design with the variant's firmware toggles, and compares as its design", async ({ page }) => {
  // the switcher lists designs; a variant (auxiliary-v2-host-noudev) is its design with a toggle changed
  await page.goto('/?design=auxiliary-v2-host-noudev&fw=acpi');
  await ready(page);
  await expect(page.getByTestId('status-message')).toHaveCount(0);
  await expect(page.getByTestId('scenario-select')).toHaveValue('auxiliary-v2-host');
  await expect(page.getByTestId('revision-select')).toHaveValue('auxiliary-v2-host');
  await expect(page.getByTestId('side-host')).toBeChecked();
  await expect(page.getByTestId('fw-udev')).not.toBeChecked();
  await expect(page.getByTestId('fw-firmware')).toHaveValue('acpi'); // the link's own toggles still apply
  await expect(page.getByTestId('fw-changed-udev')).toHaveText('≠ design: on'); // against the design, not the variant
  await expect(page).toHaveURL(/design=auxiliary-v2-host(&|$)/);
  await expect(page).toHaveURL(/udev=0/);
  // compared with a variant's id: its design, run with this view's toggles (as every comparison is)
  await page.goto('/?design=auxiliary&mode=compare&cmp=faux-acpi');
  await ready(page);
  await expect(page.getByTestId('status-message')).toHaveCount(0);
  await expect(page.getByTestId('compare-select')).toHaveValue('faux');
  await expect(page.getByTestId('compare-table')).toBeVisible();
  await expect(page).toHaveURL(/cmp=faux(&|$)/);
});

test('back and forward follow design changes; steps replace the entry', async ({ page }) => {
  await page.goto('/?design=faux');
  await ready(page);
  await expect(page.getByTestId('scenario-select')).toHaveValue('faux');
  await page.locator('body').press('Home');
  await page.locator('body').press('ArrowRight');
  await expect(page.getByTestId('step-label')).toHaveText(/^1\//);
  await page.getByTestId('scenario-select').selectOption('smccc-bus');
  await ready(page);
  await expect(page).toHaveURL(/design=smccc-bus/);
  await page.goBack();
  await expect(page.getByTestId('scenario-select')).toHaveValue('faux');
  await expect(page.getByTestId('step-label')).toHaveText(/^1\//); // the step it was left at
  await page.goForward();
  await expect(page.getByTestId('scenario-select')).toHaveValue('smccc-bus');
});

test('20 quick → presses move 20 steps', async ({ page }) => {
  await page.goto('/?design=auxiliary&step=-1');
  await ready(page);
  await expect(page.getByTestId('step-label')).toHaveText(/^0\//);
  for (let i = 0; i < 20; i++) await page.keyboard.press('ArrowRight', { delay: 0 });
  await expect(page.getByTestId('step-label')).toHaveText(/^20\//);
});
