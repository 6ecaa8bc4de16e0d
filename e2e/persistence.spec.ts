import { expect, test, type Page } from '@playwright/test';
import { getBuiltinScenario } from '../src/engine/index';

// No lost work: an editor text past the localStorage quota is kept in IndexedDB and comes back
// after a reload; when nothing can keep it, a warning offers a download.

/** a localStorage that refuses the editor text once it passes 2,000 characters (a small quota) */
const smallQuota = () => {
  const set = Storage.prototype.setItem;
  Storage.prototype.setItem = function (k: string, v: string) {
    if (k === 'bindscope.editor.text' && v.length > 2000) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    return set.call(this, k, v);
  };
};

async function typeScenario(page: Page, text: string) {
  await page.getByTestId('mode-edit').click();
  await page.getByTestId('editor').locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(text);
  await expect(page.getByTestId('editor-state')).toContainText('valid');
}

const big = () => JSON.stringify({ ...getBuiltinScenario('mainline'), id: 'big', title: 'Big one', description: 'd'.repeat(3000) }, null, 2);

test('past the localStorage quota the text is kept in IndexedDB and survives a reload', async ({ page }) => {
  await page.addInitScript(smallQuota);
  await page.goto('/');
  await expect(page.getByTestId('status')).toHaveText('ready');
  await typeScenario(page, big());
  await expect(page.getByTestId('save-warning')).toHaveCount(0);
  await page.waitForTimeout(300); // the IndexedDB write
  await page.reload();
  await expect(page.getByTestId('status')).toHaveText('ready');
  await page.getByTestId('mode-edit').click();
  await expect(page.getByTestId('editor').locator('.cm-content')).toContainText('"id": "big"');
});

test('when nothing can keep the text, a warning says so and offers a download', async ({ page }) => {
  await page.addInitScript(smallQuota);
  await page.addInitScript(() => {
    IDBFactory.prototype.open = () => {
      throw new DOMException('IndexedDB is disabled here', 'InvalidStateError');
    };
  });
  await page.goto('/');
  await expect(page.getByTestId('status')).toHaveText('ready');
  await typeScenario(page, big());
  const warning = page.getByTestId('save-warning');
  await expect(warning).toContainText('could not be saved');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-download').click()]);
  expect(download.suggestedFilename()).toBe('bindscope-scenario.json');
  // the text still lives in the editor (valid, and the run it made is on screen)
  await expect(page.getByTestId('editor-state')).toContainText('valid');
  await expect(page.locator('.bs-caption')).toContainText('Big one');
});
