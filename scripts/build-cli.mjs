#!/usr/bin/env node
// Bundles the command-line runner (src/cli/sim.ts and the engine) into one ES module,
// build/cli/bindscope.mjs, the package's `bindscope` bin: no TypeScript transpiling at start-up.
// Runs on `npm install` / `npm ci` (the "prepare" script), and from scripts/sim.mjs (what
// `npm run sim` runs) whenever a source file is newer than the bundle.
// Written to a temporary file and renamed, so a concurrent `npm run sim` never reads half a bundle.
import { renameSync } from 'node:fs';
import { build } from 'esbuild';

const outfile = 'build/cli/bindscope.mjs';
const tmp = `${outfile}.${process.pid}.tmp`;
await build({
  entryPoints: ['src/cli/sim.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // jsonc-parser's UMD build uses a dynamic require; its ES module build bundles cleanly
  mainFields: ['module', 'main'],
  outfile: tmp,
  banner: { js: '#!/usr/bin/env node' },
  logLevel: 'warning',
});
renameSync(tmp, outfile);
