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

// A summary's label wraps at the node's width ("+ 2,950 more platform devices" takes two lines):
// its box must hold that label and its three detail lines (clamped with an ellipsis), not cut the
// last line off mid-word as a box with room for a one-line label did.
test('a summary node holds its two-line label and its detail lines inside its box', async ({ page }) => {
  await page.goto('/?bench=3000');
  await ready(page);
  const summaries = page.locator('[data-testid^="summary-"]');
  await expect(summaries.first()).toBeVisible();
  const boxes = await summaries.evaluateAll((els) => els.map((el) => {
    const box = (el.matches('.bs-box') ? el : el.querySelector('.bs-box'))!;
    const inner = box.getBoundingClientRect();
    const labelEl = box.querySelector<HTMLElement>('.bs-box__label')!;
    const label = labelEl.getBoundingClientRect();
    const detail = box.querySelector('.bs-box__detail')?.getBoundingClientRect();
    // lines from the layout size (the rects are scaled by the graph's zoom, the line height is not)
    const labelLines = Math.round(labelEl.offsetHeight / parseFloat(getComputedStyle(labelEl).lineHeight));
    return { id: el.getAttribute('data-testid'), labelLines, bottom: inner.bottom, labelBottom: label.bottom, detailBottom: detail?.bottom ?? label.bottom };
  }));
  expect(boxes.length).toBeGreaterThan(0);
  // the case this guards: a label of two lines
  expect(boxes.some((b) => b.labelLines === 2)).toBe(true);
  for (const b of boxes) {
    expect(b.labelBottom, `${b.id}: label inside its box`).toBeLessThanOrEqual(b.bottom + 0.5);
    expect(b.detailBottom, `${b.id}: detail inside its box`).toBeLessThanOrEqual(b.bottom + 0.5);
  }
});
