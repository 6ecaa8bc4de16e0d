import { readFileSync } from 'node:fs';
import { type Page } from '@playwright/test';
import { expect, ready, test } from './common';
import { getBuiltinScenario } from '../src/engine/index';
import { runCli } from '../src/cli/sim';

// Copy as text (80 columns for mail), saving and loading a scenario file.


test('copy as text: 80 columns, no tabs, the tree, the udevadm lines and the compare table', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/?design=auxiliary');
  await ready(page);
  await page.getByTestId('copy-text').click();
  const text = await page.getByTestId('mail-text').innerText();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(text);
  // the same formatter as the CLI's --format mail
  expect(text.trimEnd()).toBe(runCli(['auxiliary', '--format', 'mail']).stdout.trimEnd());
  const lines = text.split('\n');
  expect(lines.filter((l) => [...l].length > 80)).toEqual([]);
  expect(text).not.toContain('\t');
  expect(text).toContain('$ tree /sys/devices/platform ');
  expect(text).toMatch(/── arm-smccc +\(platform bus, no driver\)/);
  expect(text).toMatch(/── arm_cca_guest\.arm-rsi-dev\.0 +\(auxiliary bus, driver arm_cca_guest\)/);
  expect(text).toMatch(/^KERNEL\[\d+\] add \/devices\/platform\/arm-smccc \(platform\) MODALIAS=platform:arm-smccc$/m);
  expect(text).toContain('MODALIAS=auxiliary:arm_cca_guest.arm-rsi-dev');
  await page.screenshot({ path: 'test-results/screens/copy-as-text.png' });
  await page.getByRole('button', { name: 'Close' }).click();

  await page.getByTestId('mode-compare').click();
  await expect(page.getByTestId('compare-table')).toBeVisible();
  await page.getByTestId('copy-text').click();
  const cmp = await page.getByTestId('mail-text').innerText();
  expect(cmp.split('\n').filter((l) => [...l].length > 80)).toEqual([]);
  expect(cmp).toMatch(/A: auxiliary +B: faux/);
  expect(cmp.trimEnd()).toBe(runCli(['auxiliary', '--format', 'mail', '--compare', 'faux']).stdout.trimEnd());
  expect(cmp).toContain('* = differs between A and B');
});

test('save the scenario as .json, load it back; an invalid file is refused with its paths and the work kept', async ({ page }) => {
  await page.goto('/?design=smccc-bus&udev=0');
  await ready(page);
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-json').click()]);
  expect(dl.suggestedFilename()).toBe('smccc-bus.json');
  const saved = JSON.parse(readFileSync((await dl.path())!, 'utf8'));
  expect(saved.id).toBe('smccc-bus');
  expect(saved.udev.running).toBe(false); // the toggles travel with it

  // an invalid file: refused, with the path of each problem; the design on screen stays
  const bad = { ...getBuiltinScenario('faux'), id: 'Bad Id' } as Record<string, unknown>;
  (bad.modules as { location: string }[])[0]!.location = 'sideways';
  await page.getByTestId('load-json-input').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) });
  const msg = page.getByTestId('status-message');
  await expect(msg).toContainText('bad.json was not loaded; the current design is kept.');
  await expect(msg).toContainText('id:');
  await expect(msg).toContainText('modules[0].location');
  await expect(page.getByTestId('scenario-select')).toHaveValue('smccc-bus');
  await expect(page.getByTestId('node-device-arm-rsi')).toBeVisible();
  await page.getByTestId('load-json-input').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{ "id": ') });
  await expect(msg).toContainText('broken.json was not loaded');
  await expect(msg).toContainText('JSON syntax');

  // a good file, dropped on the page: it runs as a custom design
  const mine = JSON.stringify({ ...saved, id: 'dropped-design', title: 'A dropped design' }, null, 2);
  const dt = await page.evaluateHandle((text) => {
    const d = new DataTransfer();
    d.items.add(new File([text], 'dropped.json', { type: 'application/json' }));
    return d;
  }, mine);
  await page.locator('.bs-app').dispatchEvent('dragover', { dataTransfer: dt });
  await page.locator('.bs-app').dispatchEvent('drop', { dataTransfer: dt });
  await expect(page.locator('.bs-caption')).toContainText('A dropped design');
  await expect(page.getByTestId('scenario-select')).toContainText('custom: dropped-design');
  await expect(msg).toHaveCount(0);
  await page.getByTestId('mode-edit').click();
  await expect(page.getByTestId('editor').locator('.cm-content')).toContainText('"id": "dropped-design"');
});
