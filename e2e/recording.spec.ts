import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { BUILTIN_WALKTHROUGHS } from '../src/scenarios/walkthroughs';
import { probeVideo, recordWalkthrough } from './record/recorder';

// One short walkthrough recorded as `npm run record` records them all (kept fast: short dwell).
const hasFfmpeg = spawnSync('sh', ['-c', 'command -v ffmpeg && command -v ffprobe'], { stdio: 'ignore' }).status === 0;

test('recording a walkthrough gives a 1280×720 video of plausible length and size, and a PNG per stop', async ({ browser }) => {
  if (!hasFfmpeg) {
    // no ffmpeg here: the recorder must say so in one line instead of recording nothing
    const r = spawnSync(process.execPath, ['scripts/ffmpeg.mjs', '--check'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('apt-get install --no-install-recommends ffmpeg');
    return;
  }
  const walk = [...BUILTIN_WALKTHROUGHS].sort((a, b) => a.stops.length - b.stops.length)[0]!;
  const dwell = 600;
  const dir = mkdtempSync(join(tmpdir(), 'bindscope-rec-'));
  const rec = await recordWalkthrough(browser, walk, dir, dwell);
  expect(rec.pngs).toHaveLength(walk.stops.length);
  for (const p of rec.pngs) expect(existsSync(p)).toBe(true);
  const v = probeVideo(rec.video);
  expect(v.width).toBe(1280);
  expect(v.height).toBe(720);
  // at least the dwell on every stop, at most the whole time the recording ran (plus a second of slack)
  const dwelt = walk.stops.reduce((ms, stop) => ms + (stop.dwellMs ?? dwell), 0);
  expect(v.seconds).toBeGreaterThanOrEqual(dwelt / 1000);
  expect(v.seconds).toBeLessThanOrEqual(rec.ranMs / 1000 + 1);
  // VP9 at 1280×720: tens of kB per second of mostly still slides, far below raw video
  expect(v.bytes).toBeGreaterThan(20_000 * v.seconds);
  expect(v.bytes).toBeLessThan(5_000_000 * v.seconds);
});
