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

/** the run of the last held boot, kept reachable so that the heap it holds can be measured (heldBoot) */
let held: unknown = null;

/**
 * One boot of n devices whose run stays reachable until the next call (n = 0: only the last one
 * dropped): bench/run.ts reads the page's heap after a full collection before and after it, what
 * the run holds in Chromium's heap, to set against what the same run holds in Node's.
 */
function heldBoot(n: number): number {
  held = null;
  if (n === 0) return 0;
  const b = bootBench(n);
  held = b.sim;
  return b.ms;
}

(globalThis as { bindscopeEngineBench?: unknown }).bindscopeEngineBench = { boots, calibrationMs, heldBoot };
