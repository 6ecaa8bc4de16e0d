import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { type Page } from '@playwright/test';
import { expect, ready, test } from './common';

// PNG and SVG export of the graph and the compare view, at slide resolution with a caption.


async function save(page: Page, testId: string) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  const data = readFileSync((await dl.path())!);
  mkdirSync('test-results/screens', { recursive: true });
  writeFileSync(`test-results/screens/export-${dl.suggestedFilename()}`, data); // to look at
  return { name: dl.suggestedFilename(), data };
}

/** width and height from a PNG's IHDR chunk */
const pngSize = (b: Buffer) => ({ width: b.readUInt32BE(16), height: b.readUInt32BE(20) });

/** how many distinct colours a PNG has, drawn in the page (a blank image has one or two) */
const colours = (page: Page, png: Buffer) =>
  page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 120, img.width, img.height - 120).data; // below the caption band
    const seen = new Set<number>();
    for (let i = 0; i < d.length; i += 4 * 97) seen.add((d[i]! << 16) | (d[i + 1]! << 8) | d[i + 2]!);
    return seen.size;
  }, png.toString('base64'));

test('the graph as PNG and SVG: 1920×1080, the design and step in the caption, the nodes drawn', async ({ page }) => {
  await page.goto('/?design=auxiliary&step=40');
  await ready(page);
  const png = await save(page, 'export-png');
  expect(png.name).toBe('auxiliary-step41.png');
  expect(png.data.subarray(1, 4).toString()).toBe('PNG');
  expect(pngSize(png.data)).toEqual({ width: 1920, height: 1080 });
  expect(png.data.length).toBeGreaterThan(30_000);
  expect(await colours(page, png.data)).toBeGreaterThan(8);

  const svg = await save(page, 'export-svg');
  expect(svg.name).toBe('auxiliary-step41.svg');
  const text = svg.data.toString('utf8');
  expect(text).toMatch(/^<svg [^>]*width="1920" height="1080"/);
  expect(text).toContain('Auxiliary v5');
  expect(text).toContain('step 41 of');
  expect(text).toContain('arm_cca_guest.arm-rsi-dev.0'); // a node label, drawn inside
  // the browser can draw it
  const drawn = await page.evaluate(async (src) => {
    const img = new Image();
    img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(src);
    await img.decode();
    return { w: img.naturalWidth, h: img.naturalHeight };
  }, text);
  expect(drawn).toEqual({ w: 1920, h: 1080 });
});

test('the compare view as PNG and SVG', async ({ page }) => {
  await page.goto('/?design=smccc-bus&mode=compare&cmp=faux-suggestion');
  await ready(page);
  await expect(page.getByTestId('compare-table')).toBeVisible();
  const png = await save(page, 'export-png');
  expect(png.name).toMatch(/^smccc-bus-vs-faux-suggestion-step\d+\.png$/);
  expect(pngSize(png.data)).toEqual({ width: 1920, height: 1080 });
  expect(await colours(page, png.data)).toBeGreaterThan(8);
  const svg = (await save(page, 'export-svg')).data.toString('utf8');
  expect(svg).toContain('arm_smccc:fC4000190'); // the table
  expect(svg).toContain(' vs ');
  expect(svg).toContain('B: faux-suggestion, step'); // the caption names both designs and steps
});
