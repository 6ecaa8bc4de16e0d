/**
 * One boot of the benchmark's scenario, timed as the bench reports it (`new Simulation`: validation
 * and the run), for bench/engine.ts (Node) and bench/engine-browser.ts (Chromium). No Node or DOM
 * API: both runtimes load it.
 */
import { Simulation } from '../src/engine/simulation';
import { benchScenario } from './scenario';

/** the budget large generated runs need (boot.ts DEFAULT_BUDGET stops them) */
export const BENCH_BUDGET = { maxEvents: 1e9, maxMillis: 3_600_000, maxDevices: 1e7 };

/** boots the n-device scenario (generated before the clock starts); throws if it is refused or stopped */
export function bootBench(n: number): { sim: Simulation; ms: number } {
  const scenario = benchScenario(n);
  const t0 = performance.now();
  const sim = new Simulation(scenario, BENCH_BUDGET);
  const ms = performance.now() - t0;
  if (sim.errors.length) throw new Error(`invalid bench scenario (n=${n}): ${JSON.stringify(sim.errors.slice(0, 3))}`);
  if (sim.stopped) throw new Error(`bench run n=${n} stopped: ${JSON.stringify(sim.stopped)}`);
  return { sim, ms };
}
