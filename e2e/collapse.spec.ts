import { expect, ready, test } from './common';

// A generated machine (bench/scenario.ts behind ?bench=N): hundreds of platform devices under
// one parent. The graph draws a few, one summary node for the rest, and expands on a click.
test('a large sibling group is collapsed to a summary node that expands and collapses again', async ({ page }) => {
  await page.goto('/?bench=300');
  await ready(page);
  const summary = page.locator('[data-testid="summary-devices:/devices/platform"]');
  await expect(summary).toBeVisible();
  await expect(summary).toHaveAttribute('data-expanded', 'false');
  await expect(summary).toContainText(/\+ [\d,]+ more platform devices/);
  await expect(summary).toContainText('bound');
  // a few devices, not hundreds
  const drawn = await page.locator('[data-kind="device"]').count();
  expect(drawn).toBeLessThan(40);

  await summary.click();
  await expect(summary).toHaveAttribute('data-expanded', 'true');
  await expect(summary).toContainText(/collapse [\d,]+ devices/);
  await expect(page.locator('[data-testid="summary-devices:/devices/platform"]')).toHaveCount(1);
  await expect.poll(async () => (await page.evaluate(() => (window as unknown as { __bindscope: { store: { getState(): { expandedGroups: string[] } } } }).__bindscope.store.getState().expandedGroups))).toEqual(['devices:/devices/platform']);

  await summary.click();
  await expect(summary).toHaveAttribute('data-expanded', 'false');
  await expect.poll(() => page.locator('[data-kind="device"]').count()).toBeLessThan(40);
});
