import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { BUILTIN_WALKTHROUGHS } from '../../src/scenarios/walkthroughs';
import { indexMarkdown, probeVideo, recordWalkthrough, type Recording } from './recorder';

// `npm run record`: every built-in walkthrough as a 1280×720 video and a PNG per stop.
const dir = process.env.RECORD_DIR!;
const dwell = Number(process.env.RECORD_DWELL_MS ?? 4000);
const only = process.env.RECORD_ONLY ? process.env.RECORD_ONLY.split(',').filter(Boolean) : undefined;

for (const walk of BUILTIN_WALKTHROUGHS.filter((w) => !only || only.includes(w.id))) {
  test(`record ${walk.id}`, async ({ browser }) => {
    test.setTimeout(60_000 + walk.stops.length * (dwell + 5000));
    const rec = await recordWalkthrough(browser, walk, dir, dwell);
    const v = probeVideo(rec.video);
    expect(v.width).toBe(1280);
    expect(v.height).toBe(720);
  });
}

test.afterAll(() => {
  const recs = readdirSync(dir)
    .filter((f) => f.endsWith('.recording.json'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Recording);
  const order = BUILTIN_WALKTHROUGHS.map((w) => w.id);
  recs.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  writeFileSync(join(dir, 'index.md'), indexMarkdown(recs, dwell));
});
