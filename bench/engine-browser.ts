/**
 * The engine's boot in headless Chromium, the runtime the sandbox's worker runs it in (bench/run.ts
 * bundles this file for the browser and runs it in a blank page). The page's CSP allows no eval,
 * as the app's: zod validates with its generic objects, as in the worker (scenario/zodJit.ts).
 * Only the engine: no worker, no UI, no transfer.
 */
import { Simulation } from '../src/engine/simulation';
import { benchScenario } from './scenario';

const BUDGET = { maxEvents: 1e9, maxMillis: 3_600_000, maxDevices: 1e7 };

/** a warm-up run, then `runs` boots of each size (ms), as bench/engine.ts --mode boot */
function boots(sizes: number[], runs: number): Record<number, number[]> {
  new Simulation(benchScenario(Math.min(1000, sizes[0]!)), BUDGET);
  const out: Record<number, number[]> = {};
  for (const n of sizes) {
    out[n] = [];
    for (let r = 0; r < runs; r++) {
      const scenario = benchScenario(n);
      const t0 = performance.now();
      const sim = new Simulation(scenario, BUDGET);
      out[n]!.push(performance.now() - t0);
      if (sim.errors.length || sim.stopped) throw new Error(`bench run n=${n}: ${JSON.stringify(sim.errors[0] ?? sim.stopped)}`);
    }
  }
  return out;
}

(globalThis as { bindscopeEngineBench?: unknown }).bindscopeEngineBench = { boots };
