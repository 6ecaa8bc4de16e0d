/**
 * bench/density-work.ts in Node and in headless Chromium, at two sizes; prints both and their ratio.
 *
 *   npx tsx bench/density.ts
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { densityMs } from './density-work';
import { launchChromium } from './ui';

const SIZES: [number, number][] = [[150_000, 600_000], [1_500_000, 6_000_000]];

async function main(): Promise<void> {
  const node = SIZES.map(([n, l]) => densityMs(n, l));
  const dir = mkdtempSync(join(tmpdir(), 'bindscope-density-'));
  let chromium: number[];
  try {
    const bundle = join(dir, 'density.js');
    const r = spawnSync('node_modules/.bin/esbuild', ['bench/density-work.ts', '--bundle', '--platform=browser', '--format=iife', `--outfile=${bundle}`, '--log-level=warning'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`bundling bench/density-work.ts failed: ${r.stderr}`);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.setContent('<!doctype html><title>density</title>');
      await page.addScriptTag({ content: readFileSync(bundle, 'utf8') });
      chromium = await page.evaluate((sizes) => sizes.map(([n, l]) => (globalThis as unknown as { bindscopeDensity: { densityMs(n: number, l: number): number } }).bindscopeDensity.densityMs(n, l)), SIZES);
    } finally {
      await browser.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log('entries / lookups        Node      Chromium  Node/Chromium');
  SIZES.forEach(([n, l], i) => console.log(`${`${n.toLocaleString('en')} / ${l.toLocaleString('en')}`.padEnd(24)} ${`${node[i]!.toFixed(0)} ms`.padEnd(9)} ${`${chromium[i]!.toFixed(0)} ms`.padEnd(9)} ${(node[i]! / chromium[i]!).toFixed(2)}`));
}

await main();
