/**
 * The graph mapping's growth (bench/run.ts part `graph`): snapshotToFlow on the final snapshot
 * of a generated run at two sizes, 4x apart, timed in turns (best of seven each). Linear-ish
 * growth stays near 4x; the cubic edge routing this guards against (40 s at 2,000 nodes) was 64x.
 * It was a timed unit test, which failed whenever other work shared the machine.
 */
import { Simulation } from '../src/engine';
import { snapshotToFlow } from '../src/ui/graph/toFlow';
import { benchScenario } from './scenario';

export function measureGraph(small = 300, large = 1200): { smallMs: number; largeMs: number; ratio: number } {
  const run = (n: number) => new Simulation(benchScenario(n), { maxEvents: 1e9, maxMillis: 600_000, maxDevices: 1e7 }).stateAt(1e9);
  const a = run(small);
  const b = run(large);
  const once = (s: typeof a) => {
    const t0 = performance.now();
    snapshotToFlow(s);
    return performance.now() - t0;
  };
  once(run(100));
  let smallMs = Infinity;
  let largeMs = Infinity;
  for (let r = 0; r < 7; r++) {
    smallMs = Math.min(smallMs, once(a));
    largeMs = Math.min(largeMs, once(b));
  }
  return { smallMs, largeMs, ratio: largeMs / smallMs };
}
