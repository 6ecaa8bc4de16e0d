/**
 * The engine's boot in headless Chromium, the runtime the sandbox's worker runs it in (bench/run.ts
 * bundles this file for the browser and runs it in a blank page). The page's CSP allows no eval,
 * as the app's: zod validates with its generic objects, as in the worker (scenario/zodJit.ts).
 * Only the engine: no worker, no UI, no transfer.
 */
import { bootBench } from './boot';
import { calibrationMs } from './calibrate';

/** a warm-up run, then `runs` boots of each size (ms), as bench/engine.ts --mode boot */
function boots(sizes: number[], runs: number): Record<number, number[]> {
  bootBench(Math.min(1000, sizes[0]!)); // warm-up: the JIT compiles on a small run
  const out: Record<number, number[]> = {};
  for (const n of sizes) {
    out[n] = [];
    for (let r = 0; r < runs; r++) out[n]!.push(bootBench(n).ms);
  }
  return out;
}

(globalThis as { bindscopeEngineBench?: unknown }).bindscopeEngineBench = { boots, calibrationMs };
