/**
 * The engine part of the benchmark, run by bench/run.ts in a child process of its own
 * (`node --expose-gc --max-old-space-size=8192 --import tsx bench/engine.ts …`), so its heap
 * is its own. Uses only the engine's public API (Simulation, stateAt, summary).
 *
 *   --mode boot --sizes 10000,100000 --runs 3 --tt-budget 60000 --out result.json
 *       a warm-up run, then `runs` boots of each size in this one process (median, ratio of
 *       the largest to the smallest), then time travel on the largest run: stateAt at random steps after the checkpoints
 *       are made (a seek to the end, Simulation.prepareTimeTravel, back to the start), and one step forward/back from random places; then the
 *       heap time travel holds on top of the run (the cursor, its views, the checkpoints).
 *   --mode peak --sizes 100000 --out result.json
 *       one boot only: run with --trace-gc, the parent reads the heap used before each GC
 *       (the heap's local maxima) from this process's stdout: the peak heap of the run; and
 *       the heap the finished run holds (after a full GC, less the heap before it): bytes per event.
 */
import { writeFileSync } from 'node:fs';
import { bootBench as boot, bootsInFreshHeaps } from './boot';
import { median, quantile } from './stats';
import { calibrationMs } from './calibrate';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('bench/engine.ts needs node --expose-gc');

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}


/** a seeded generator: the same random steps on every run */
function rng(seed: number) {
  return () => ((seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff) / 0x7fffffff);
}

const mode = arg('mode') ?? 'boot';
const sizes = (arg('sizes') ?? '10000,100000').split(',').map(Number);
const out = arg('out');
const result: Record<string, unknown> = { mode, sizes };

if (mode === 'peak') {
  const n = sizes[0]!;
  gc();
  const before = process.memoryUsage().heapUsed;
  const { sim, ms } = boot(n);
  gc();
  Object.assign(result, { n, ms, events: sim.lastStep + 1, heapBeforeMB: before / 2 ** 20, heapAfterMB: process.memoryUsage().heapUsed / 2 ** 20 });
} else {
  const runs = Number(arg('runs') ?? 3);
  const ttBudget = Number(arg('tt-budget') ?? 60_000);
  const ttSamples = Number(arg('tt-samples') ?? 200);
  // this hour's machine, before the boots (bench/calibrate.ts)
  result.calibrationMs = calibrationMs(5, gc);
  gc();
  boot(Math.min(1000, sizes[0]!)); // warm-up: the JIT compiles on a small run
  const { boots, heapBefore, last: sim, heapBeforeLast } = await bootsInFreshHeaps(sizes, runs, gc, () => process.memoryUsage().heapUsed);
  // the heap before time travel: the run alone (no snapshot taken yet)
  gc();
  const heapBeforeTT = process.memoryUsage().heapUsed;
  // what the last (largest) run holds, its code warm: as bench/engine-browser.ts heldBoot measures it in Chromium
  result.heldMB = (heapBeforeTT - heapBeforeLast) / 2 ** 20;
  const n = sizes[sizes.length - 1]!;
  const events = sim.lastStep + 1;
  const med = Object.fromEntries(sizes.map((s) => [s, median(boots[s]!)]));
  Object.assign(result, {
    boots,
    bootMedian: med,
    ratio: med[n]! / med[sizes[0]!]!,
    heapBefore,
    sizeRatio: n / sizes[0]!,
    events,
  });

  // time travel on the largest run: the first stateAt at the last step (the run's last state
  // loaded into the cursor, its views made: what the app's worker does first after a run, for its
  // answer), then the checkpoints (what the worker makes in slices after answering), back to the
  // start, then random steps
  const warm0 = performance.now();
  const devices = sim.stateAt(sim.lastStep).devices.length;
  const warmMs = performance.now() - warm0;
  const prep0 = performance.now();
  sim.prepareTimeTravel();
  const checkpointsMs = performance.now() - prep0;
  sim.stateAt(-1);
  result.devices = devices;
  const rnd = rng(12345);
  const seeks: number[] = [];
  const t0 = performance.now();
  while (seeks.length < ttSamples && (seeks.length < 2 || performance.now() - t0 < ttBudget / 2)) {
    const step = Math.floor(rnd() * events);
    const s0 = performance.now();
    sim.stateAt(step);
    seeks.push(performance.now() - s0);
  }
  const fwd: number[] = [];
  const back: number[] = [];
  const t1 = performance.now();
  while (fwd.length < ttSamples && (fwd.length < 1 || performance.now() - t1 < ttBudget / 2)) {
    const p = 1 + Math.floor(rnd() * (events - 2));
    sim.stateAt(p); // the cursor is there (not timed)
    let s0 = performance.now();
    sim.stateAt(p + 1);
    fwd.push(performance.now() - s0);
    s0 = performance.now();
    sim.stateAt(p);
    back.push(performance.now() - s0);
  }
  const both = [...fwd, ...back];
  // what time travel holds on top of the run: the cursor, its views, the checkpoints
  gc();
  const ttHeapMB = (process.memoryUsage().heapUsed - heapBeforeTT) / 2 ** 20;
  Object.assign(result, {
    timetravel: {
      n, warmMs, checkpointsMs, heapMB: ttHeapMB,
      seekSamples: seeks.length, seekP95: quantile(seeks, 0.95), seekMedian: median(seeks),
      stepSamples: fwd.length, stepMedian: median(both), stepP95: quantile(both, 0.95),
      forwardMedian: median(fwd), backMedian: median(back),
    },
  });
}
if (out) writeFileSync(out, JSON.stringify(result));
else console.log(JSON.stringify(result));
