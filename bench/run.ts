/**
 * Scale benchmark of the engine: N platform devices (N = 1k, 10k, 100k by default), a proportional
 * number of drivers (name-matched groups, id_table-matched solos in a udev-autoloaded module),
 * devm auxiliary children bound by auxiliary drivers, a chain of probe deferrals, and userspace
 * actions at the end (unbind/bind, rmmod and modprobe of the big module).
 *
 *   npm run bench                         # 1k, 10k, 100k
 *   npm run bench -- --sizes 1000,10000 --runs 3
 *
 * Prints: N, events, run time (median), time per device, per-device ratio to the smallest N
 * (linear = 1), stateAt at the end (a forward seek over the whole trace), stateAt at random steps
 * after being at the end (scrubbing back, median), and the heap used with the run held.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { Simulation } from '../src/engine';
import { benchScenario } from './scenario';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function ms(t: number): string {
  return t >= 1000 ? `${(t / 1000).toFixed(2)} s` : `${t.toFixed(1)} ms`;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

interface Row { n: number; events: number; run: number; perDev: number; seekEnd: number; scrub: number; heapMB: number; runs: number }

function measure(n: number, runs: number, budgetMs: number): Row {
  const scenario = benchScenario(n);
  const times: number[] = [];
  let sim: Simulation | null = null;
  const started = performance.now();
  for (let r = 0; r < runs; r++) {
    sim = null;
    gc();
    const t0 = performance.now();
    sim = new Simulation(scenario, { maxEvents: 1e9, maxMillis: 600_000, maxDevices: 1e7 });
    times.push(performance.now() - t0);
    if (sim.errors.length) throw new Error(`invalid bench scenario: ${JSON.stringify(sim.errors.slice(0, 3))}`);
    if (performance.now() - started > budgetMs) break;
  }
  const s = sim!;
  const events = s.lastStep + 1;
  const stopped = s.summary().events.find((e) => e.cite === 'bindscope:budget');
  if (stopped) throw new Error(stopped.text);
  let t0 = performance.now();
  s.stateAt(s.lastStep);
  const seekEnd = performance.now() - t0;
  // scrubbing: random steps reached from the end (cursor goes back), then back to the end
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const scrubs: number[] = [];
  for (let i = 0; i < 5; i++) {
    s.stateAt(s.lastStep);
    const step = Math.floor(rnd() * events);
    t0 = performance.now();
    s.stateAt(step);
    scrubs.push(performance.now() - t0);
  }
  gc();
  const heapMB = process.memoryUsage().heapUsed / 2 ** 20;
  const run = median(times);
  return { n, events, run, perDev: run / n, seekEnd, scrub: median(scrubs), heapMB, runs: times.length };
}

const sizes = (arg('sizes') ?? '1000,10000,100000').split(',').map(Number);
const runs = Number(arg('runs') ?? 5);
const budget = Number(arg('budget') ?? 60_000); // stop repeating a size after this many ms
// warm the JIT on a small run so the smallest N is not charged for compilation
new Simulation(benchScenario(200), { maxEvents: 1e9, maxMillis: 600_000, maxDevices: 1e7 });
const rows: Row[] = [];
console.log('N        events      run (median)  per device  ratio  stateAt(end)  stateAt(scrub)  heap MB  runs');
for (const n of sizes) {
  const r = measure(n, runs, budget);
  rows.push(r);
  const ratio = r.perDev / rows[0]!.perDev;
  console.log(
    [
      String(n).padEnd(8), String(r.events).padEnd(11), ms(r.run).padEnd(13), `${(r.perDev * 1000).toFixed(1)} µs`.padEnd(11),
      ratio.toFixed(2).padEnd(6), ms(r.seekEnd).padEnd(13), ms(r.scrub).padEnd(15), r.heapMB.toFixed(0).padEnd(8), String(r.runs),
    ].join(' '),
  );
}
const last = rows[rows.length - 1]!;
console.log(`per-device time ratio ${last.n} vs ${rows[0]!.n}: ${(last.perDev / rows[0]!.perDev).toFixed(2)} (target ≈ 1: linear)`);
