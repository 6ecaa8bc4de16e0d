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

/**
 * `runs` boots of each size, each in a heap of its own (bench/engine.ts, bench/boot-order.ts): each
 * boot runs in a task of its own, and the full collection before the next one 50 ms later. A frame
 * still on the stack (the loop's, or an optimized one the boot was inlined into), or a compile job
 * still queued on a background thread (its handles to the last run's closures are GC roots), kept
 * the last run alive through the next boot, which then started in a heap that run had grown and was
 * spared the full collections a fresh heap needs (~10% of a 100k boot; docs/PERFORMANCE.md,
 * eighteenth session). `heapBefore`: the heap before each boot, after the collection, less the heap
 * before the first, in MB: an earlier run kept alive shows there. `heapBeforeLast`: the heap before
 * the last boot, in bytes (what `last` holds is the heap after it, collected, less this).
 */
export async function bootsInFreshHeaps(sizes: readonly number[], runs: number, gc: () => void, heapUsed: () => number): Promise<{ boots: Record<number, number[]>; heapBefore: number[]; last: Simulation; heapBeforeLast: number }> {
  let last: Simulation | null = null;
  const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 50));
  const bootInTask = (n: number) => new Promise<number>((resolve) => setTimeout(() => {
    const b = bootBench(n);
    last = b.sim;
    resolve(b.ms);
  }, 0));
  await settle();
  gc();
  const heapAtStart = heapUsed();
  const boots: Record<number, number[]> = {};
  const heapBefore: number[] = [];
  let heapBeforeLast = heapAtStart;
  for (const n of sizes) {
    boots[n] = [];
    for (let r = 0; r < runs; r++) {
      last = null;
      await settle();
      gc();
      heapBeforeLast = heapUsed();
      heapBefore.push(Math.round((heapBeforeLast - heapAtStart) / 2 ** 20));
      boots[n]!.push(await bootInTask(n));
    }
  }
  return { boots, heapBefore, last: last!, heapBeforeLast };
}
