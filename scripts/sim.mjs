#!/usr/bin/env node
// `npm run sim -- …`: runs the bundled CLI (build/cli/bindscope.mjs) in this process, rebuilding
// it first (scripts/build-cli.mjs, esbuild, ~0.3 s) when it is missing or any file it is built
// from is newer: everything under src/, the build script, package-lock.json. The check is a
// stat of each file (about 200; ~3 ms); tsx's start-up and transpiling cost ~0.6 s a run.
// Set BINDSCOPE_SIM_TRACE=1 to print what the check found and how long it took.
import { readdirSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const t0 = performance.now();
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'build/cli/bindscope.mjs');

/** the newest mtime (ms) of the files the bundle is built from, and the one that has it */
function newestSource() {
  let newest = 0;
  let which = '';
  const see = (path) => {
    const m = statSync(path).mtimeMs;
    if (m > newest) [newest, which] = [m, path];
  };
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) see(p);
    }
  };
  walk(join(root, 'src'));
  see(join(root, 'scripts/build-cli.mjs'));
  see(join(root, 'package-lock.json'));
  return { newest, which };
}

let built = -1;
try {
  built = statSync(bundle).mtimeMs;
} catch {
  // no bundle yet
}
const src = newestSource();
const stale = built < src.newest;
const checkMs = performance.now() - t0;
if (stale) {
  const r = spawnSync(process.execPath, [join(root, 'scripts/build-cli.mjs')], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) {
    process.stderr.write(`bindscope sim: could not rebuild ${bundle} (scripts/build-cli.mjs exited ${r.status ?? r.signal})\n`);
    process.exit(1);
  }
}
if (process.env.BINDSCOPE_SIM_TRACE)
  process.stderr.write(`bindscope sim: freshness check ${checkMs.toFixed(1)} ms (${stale ? `rebuilt: ${src.which} is newer` : 'bundle up to date'})\n`);
// the bundle runs its CLI when it is the script node was started with (src/cli/sim.ts's entry check)
process.argv[1] = bundle;
await import(pathToFileURL(bundle).href);
