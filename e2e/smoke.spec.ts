import { expect, test } from '@playwright/test';
import { DEFAULT_SCENARIO_ID, listBuiltins } from '../src/engine/index';
import { designs } from './designs';

// Loads the production build and waits for the graph the worker computed for the
// default scenario. Nothing here knows the scenario's devices: the checks are generic.
test('default scenario renders a device graph computed by the worker', async ({ page }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));

  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'bindscope' })).toBeVisible();

  // The switcher lists the designs (built-ins without a firmware variant) and shows the default.
  const defaultInfo = listBuiltins().find((b) => b.id === DEFAULT_SCENARIO_ID);
  const select = page.getByTestId('scenario-select');
  await expect(select).toHaveValue(DEFAULT_SCENARIO_ID);
  if (defaultInfo) await expect(select.locator('option:checked')).toContainText(defaultInfo.title);
  await expect(select.locator('option')).toHaveCount(designs.length);

  // Device nodes appear, including at least one on the platform bus.
  const devices = page.locator('[data-kind="device"]');
  await expect(devices.first()).toBeVisible();
  await expect.poll(() => devices.count()).toBeGreaterThanOrEqual(3);
  await expect(page.locator('[data-kind="device"]', { hasText: 'platform' }).first()).toBeVisible();
  await expect(page.getByTestId('status-message')).toHaveCount(0);

  // Selecting a node shows its details (the first screen is mid-run: not every design has a bound device yet).
  await page.locator('[data-kind="device"][data-state]').first().click();
  await expect(page.getByTestId('detail-sysfs')).toContainText('/sys/devices/');

  await page.screenshot({ path: 'test-results/smoke.png' });
  expect(pageErrors).toEqual([]);
});
