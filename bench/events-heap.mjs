// One-off figures for "Events to the UI" (docs/PERFORMANCE.md): time from navigation to the
// status "ready" and the UI thread's used JS heap then, at /?bench=N. Run against
// `npx vite build && npx vite preview --port 4205`:
//   node bench/events-heap.mjs 4205 30000 60000
import { chromium } from '@playwright/test';

const [port = '4205', ...sizes] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--enable-precise-memory-info', '--js-flags=--expose-gc'],
});
for (const n of sizes.length ? sizes : ['30000', '60000']) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.goto(`http://127.0.0.1:${port}/?bench=${n}`);
  await page.waitForFunction(() => document.querySelector('[data-testid="status"]')?.textContent === 'ready', null, { timeout: 300_000, polling: 50 });
  const readyMs = await page.evaluate(() => performance.now());
  await page.waitForTimeout(500);
  // the heap as the page holds it, and after a full collection (what it keeps)
  const [heap, kept] = await page.evaluate(() => {
    const used = performance.memory.usedJSHeapSize;
    globalThis.gc?.();
    return [used, performance.memory.usedJSHeapSize];
  });
  console.log(JSON.stringify({ bench: Number(n), readyMs: Math.round(readyMs), heapMB: Math.round(heap / 1e6), keptMB: Math.round(kept / 1e6) }));
  await page.close();
}
await browser.close();
