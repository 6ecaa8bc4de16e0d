import { expect, test } from '@playwright/test';

// The design review in the UI: the Review tab beside the graph, and the review rows of the
// compare table — what a maintainer flags, with the source and the thread's quote.

test.beforeEach(async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('status')).toHaveText('ready');
});

test('the Review tab lists what the rules flag at this step, with the citation and the quote', async ({ page }) => {
  await page.getByTestId('scenario-select').selectOption('auxiliary');
  await expect(page.getByTestId('status')).toHaveText('ready');
  await page.getByTestId('tab-review').click();
  const devres = page.getByTestId('finding-unbound-parent-holds-devres');
  await expect(devres).toContainText('arm-smccc has no driver but holds the devres of 2 device(s)');
  await expect(devres).toContainText('drivers/base/dd.c:really_probe');
  await expect(page.getByTestId('finding-fake-platform-device')).toContainText('Do not make any more "fake" platform devices please');
  await page.screenshot({ path: 'test-results/screens/review-auxiliary.png' });
  // the README's picture (docs/review.png): a taller window, the panel opened to show every finding
  await page.setViewportSize({ width: 1280, height: 960 });
  const resizer = page.getByRole('separator').first();
  await resizer.focus();
  for (let i = 0; i < 10; i++) await resizer.press('ArrowUp');
  await expect(page.getByTestId('finding-unbound-parent-holds-devres')).toBeInViewport();
  await page.screenshot({ path: 'test-results/screens/readme-review.png' });
  // at the start of the run nothing exists yet, so nothing is flagged
  await page.locator('body').press('Home');
  await expect(page.getByTestId('review-none')).toBeVisible();
  // the design heading for mainline has no findings
  await page.getByTestId('scenario-select').selectOption('smccc-bus');
  await expect(page.getByTestId('status')).toHaveText('ready');
  await page.getByTestId('tab-review').click();
  await expect(page.getByTestId('review-none')).toBeVisible();
});

test('the compare table shows each design\'s review rule by rule', async ({ page }) => {
  await page.getByTestId('scenario-select').selectOption('auxiliary');
  await expect(page.getByTestId('status')).toHaveText('ready');
  await page.getByTestId('mode-compare').click();
  await page.getByTestId('compare-select').selectOption('smccc-bus');
  const row = page.getByTestId('cmp-Review-fake-platform-device');
  await expect(row.locator('.cmp-a')).toHaveText('warning: arm-smccc');
  await expect(row.locator('.cmp-b')).toHaveText('—');
  await expect(page.getByTestId('cmp-Review-unbound-parent-holds-devres').locator('.cmp-a')).toHaveText('warning: arm-smccc');
});
