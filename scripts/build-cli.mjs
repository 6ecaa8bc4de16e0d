#!/usr/bin/env node
// Bundles the command-line runner (src/cli/sim.ts and the engine) into one ES module,
// build/cli/bindscope.mjs, the package's `bindscope` bin: no TypeScript transpiling at start-up.
// Runs on `npm install` / `npm ci` (the "prepare" script); `npm run sim` keeps using tsx.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli/sim.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // jsonc-parser's UMD build uses a dynamic require; its ES module build bundles cleanly
  mainFields: ['module', 'main'],
  outfile: 'build/cli/bindscope.mjs',
  banner: { js: '#!/usr/bin/env node' },
  logLevel: 'warning',
});
