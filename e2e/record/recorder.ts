import { mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, type Browser } from '@playwright/test';
import type { Walkthrough } from '../../src/engine/scenario/walkthrough';

export const VIDEO_SIZE = { width: 1280, height: 720 } as const;

export interface Recording {
  id: string;
  title: string;
  video: string;
  pngs: string[];
  captions: string[];
  /** wall-clock time the recording ran, ms */
  ranMs: number;
}

/**
 * Records a walkthrough as the app presents it (captions burned in by presentation mode):
 * a 1280×720 .webm of the whole run and a PNG of each stop, `dwellMs` on each stop (a stop's own
 * `dwellMs` wins: a long caption or the compare table can ask for more).
 */
export async function recordWalkthrough(browser: Browser, walk: Walkthrough, dir: string, dwellMs: number): Promise<Recording> {
  mkdirSync(dir, { recursive: true });
  const rawDir = join(dir, '.raw');
  const context = await browser.newContext({ viewport: VIDEO_SIZE, recordVideo: { dir: rawDir, size: VIDEO_SIZE } });
  const page = await context.newPage();
  const started = Date.now();
  const pngs: string[] = [];
  // a title card while the app loads, so the video does not open on a blank page
  await page.setContent(
    `<body style="margin:0;height:100vh;display:grid;place-items:center;background:#1f2937;color:#f9fafb;font:600 40px system-ui,sans-serif;text-align:center">` +
      `<div>${walk.title.replace(/&/g, '&amp;').replace(/</g, '&lt;')}<div style="font-size:24px;font-weight:400;opacity:.8;margin-top:16px">bindscope · ${walk.stops.length} stops</div></div></body>`,
  );
  await page.waitForTimeout(Math.min(1500, dwellMs));
  await page.goto(`/?walk=${walk.id}&stop=0`);
  const pres = page.getByTestId('presentation');
  for (let i = 0; i < walk.stops.length; i++) {
    if (i > 0) await page.keyboard.press('ArrowRight');
    await expect(pres).toHaveAttribute('data-stop', String(i));
    await expect(pres).toHaveAttribute('data-ready', 'true');
    const dwell = walk.stops[i]!.dwellMs ?? dwellMs;
    const settle = Math.min(700, dwell); // the zoom transition
    await page.waitForTimeout(settle);
    const png = join(dir, `${walk.id}-stop-${String(i + 1).padStart(2, '0')}.png`);
    await page.screenshot({ path: png });
    pngs.push(png);
    await page.waitForTimeout(Math.max(0, dwell - settle));
  }
  const video = page.video()!;
  await context.close();
  const out = join(dir, `${walk.id}.webm`);
  renameSync(await video.path(), out);
  const rec: Recording = { id: walk.id, title: walk.title, video: out, pngs, captions: walk.stops.map((s) => s.caption), ranMs: Date.now() - started };
  writeFileSync(join(dir, `${walk.id}.recording.json`), JSON.stringify(rec, null, 2));
  return rec;
}

/** what ffprobe says of a video: size in px, duration in s (counted frames when the header has none) */
export function probeVideo(path: string): { width: number; height: number; seconds: number; bytes: number } {
  const run = (args: string[]) => spawnSync('ffprobe', ['-v', 'error', ...args, path], { encoding: 'utf8' }).stdout.trim();
  const [w, h] = run(['-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'csv=p=0']).split(',').map(Number);
  let seconds = Number(run(['-show_entries', 'format=duration', '-of', 'csv=p=0']));
  if (!Number.isFinite(seconds) || seconds <= 0) {
    // WebM from a live recorder often has no duration in its header: the last frame's time
    const times = run(['-select_streams', 'v:0', '-show_entries', 'packet=pts_time', '-of', 'csv=p=0']).split('\n').map(Number).filter(Number.isFinite);
    seconds = times.length ? Math.max(...times) : 0;
  }
  return { width: w ?? 0, height: h ?? 0, seconds, bytes: statSync(path).size };
}

/** the Markdown index of a recording folder */
export function indexMarkdown(recs: Recording[], dwellMs: number): string {
  const rel = (p: string) => p.split('/').pop()!;
  const lines = ['# bindscope walkthroughs', '', `Recorded by \`npm run record\` at 1280×720, ${dwellMs} ms per stop; captions are burned in by presentation mode.`, ''];
  for (const r of recs) {
    lines.push(`## ${r.title}`, '', `Video: [${rel(r.video)}](${rel(r.video)}) · link: \`/?walk=${r.id}&stop=0\``, '');
    r.captions.forEach((c, i) => lines.push(`${i + 1}. ${c} ([png](${rel(r.pngs[i]!)}))`));
    lines.push('');
  }
  return lines.join('\n');
}
