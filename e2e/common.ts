/**
 * What the browser tests share: a `test` that fails on any uncaught error in the page (and in
 * pages a test opens itself, through `watch`), the "engine is ready" wait, and opening a
 * built-in design at the end of its run.
 */
import { expect, test as base, type Page } from '@playwright/test';
import { listBuiltins } from '../src/engine/index';

export const test = base.extend<{ watch: (page: Page) => void }>({
  watch: [
    async ({ page }, use) => {
      const errors: string[] = [];
      const watch = (p: Page) => void p.on('pageerror', (err) => errors.push(err.message));
      watch(page);
      await use(watch);
      expect(errors).toEqual([]);
    },
    { auto: true },
  ],
});
export { expect };

export const ready = (page: Page) => expect(page.getByTestId('status')).toHaveText('ready');

/** picks a built-in design in the switcher and goes to the end of its run (the first screen opens mid-run) */
export async function openDesign(page: Page, id: string) {
  const info = listBuiltins().find((b) => b.id === id)!;
  const select = page.getByTestId('scenario-select');
  if ((await select.inputValue()) !== id) await select.selectOption(id);
  await expect(page.locator('.bs-caption')).toContainText(info.title);
  await ready(page);
  await page.locator('body').press('End');
  await expect(page.getByTestId('step-end')).toBeDisabled();
}
