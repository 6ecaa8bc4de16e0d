import { expect, test } from '@playwright/test';
import { getBuiltinScenario } from '../src/engine/index';

// The engine worker is supervised: a runaway run can be cancelled, a crashed worker is replaced,
// and in both cases the last good view stays and the next request works.

test.beforeEach(async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('status')).toHaveText('ready');
});

test('a slow run can be cancelled; the last good view stays and the sandbox keeps working', async ({ page }) => {
  const base = getBuiltinScenario('mainline') as unknown as Record<string, unknown>;
  // 200 drivers x 1200 devices that all match and reject: seconds of work for the engine
  const slow = {
    ...base, id: 'slow', title: 'slow',
    modules: [{
      name: 'm', location: 'builtin', initcall: 'device',
      drivers: Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`d${i}`, { name: `drv${i}`, bus: 'platform', idTable: ['x'], probe: [{ op: 'return', errno: 'ENXIO' }] }])),
      init: [...Array.from({ length: 200 }, (_, i) => ({ op: 'platform_driver_register', driver: `d${i}` })), ...Array.from({ length: 1200 }, (_, i) => ({ op: 'platform_device_register_simple', name: 'x', id: i }))],
    }],
  };
  await expect(page.getByTestId('node-device-arm_cca_guest.arm-rsi-dev.0')).toBeVisible();
  await page.getByTestId('mode-edit').click();
  await page.getByTestId('editor').locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(JSON.stringify(slow));
  await expect(page.getByTestId('cancel-run')).toBeVisible();
  await page.getByTestId('cancel-run').click();
  await expect(page.getByTestId('status-message')).toContainText('cancelled');
  await expect(page.getByTestId('status')).toHaveText('ready');
  // the last good view is still there, and the next request is served at once
  await expect(page.getByTestId('node-device-arm_cca_guest.arm-rsi-dev.0')).toBeVisible();
  await page.getByTestId('mode-explore').click();
  await page.getByTestId('scenario-select').selectOption('smccc-bus');
  await expect(page.getByTestId('node-device-arm-rsi')).toBeVisible();
  await page.locator('body').press('Home');
  await page.locator('body').press('End');
  await expect(page.getByTestId('node-device-arm-rsi')).toHaveAttribute('data-state', 'bound');
});

test('a crashed worker is replaced: the message says so and stepping still works on the restored run', async ({ page }) => {
  await page.getByTestId('scenario-select').selectOption('smccc-bus');
  await expect(page.getByTestId('node-device-arm-rsi')).toHaveAttribute('data-state', 'bound');
  const worker = page.workers().find((w) => w.url().includes('engine.worker'));
  expect(worker, 'the engine runs in a worker').toBeDefined();
  await worker!.evaluate(() => {
    setTimeout(() => {
      throw new Error('boom');
    }, 0);
  });
  await expect(page.getByTestId('status-message')).toContainText('failed');
  await expect(page.getByTestId('status-message')).toContainText('restarted');
  // the restarted worker re-ran the last good scenario: time travel answers
  await page.locator('body').press('Home');
  await expect(page.locator('[data-kind="device"]')).toHaveCount(0);
  await page.locator('body').press('End');
  await expect(page.getByTestId('node-device-arm-rsi')).toHaveAttribute('data-state', 'bound');
});
