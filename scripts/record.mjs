#!/usr/bin/env node
// npm run record [-- --dwell MS] [--out DIR] [--only id,id]: every built-in walkthrough as a
// 1280×720 .webm (Playwright video, Debian's ffmpeg in place of Playwright's) and a PNG per
// stop, with index.md listing each video and its captions. Prints the folder.
import { mkdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { ensureFfmpeg } from './ffmpeg.mjs';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const out = resolve(opt('--out', process.env.RECORD_DIR || 'recordings'));
const dwell = opt('--dwell', process.env.RECORD_DWELL_MS || '4000');
if (!/^\d+$/.test(dwell)) {
  console.error(`bindscope: --dwell takes milliseconds, got ${dwell}`);
  process.exit(2);
}

const ff = ensureFfmpeg();
if (!ff.ok) {
  console.error(ff.message);
  process.exit(1);
}
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
console.log(`bindscope: recording walkthroughs into ${out} (${dwell} ms per stop)`);
const r = spawnSync(process.execPath, ['scripts/e2e.mjs', '--config', 'playwright.record.config.ts'], {
  stdio: 'inherit',
  env: { ...process.env, RECORD_DIR: out, RECORD_DWELL_MS: dwell, RECORD_ONLY: opt('--only', process.env.RECORD_ONLY || '') },
});
rmSync(resolve(out, '.raw'), { recursive: true, force: true });
if (r.status === 0) console.log(`bindscope: recordings and index.md in ${out}`);
process.exit(r.status ?? 1);
