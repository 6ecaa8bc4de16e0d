import { Simulation } from '../src/engine/index';
import { benchScenario } from './scenario';
import { diffSnapshot as oldDiff } from './.old-delta.tmp';
import { diffSnapshot } from '../src/worker/delta';
import { UiSnapshots } from '../src/worker/uiSnapshot';
const n = Number(process.argv[2] ?? 10000);
const sim = new Simulation(benchScenario(n), { maxEvents: 1e9, maxMillis: 600_000, maxDevices: 1e7 });
const ui = new UiSnapshots(sim);
const last = sim.lastStep;
const size = (x: unknown) => JSON.stringify(x).length;
const eng = sim.stateAt(last);
const t0 = performance.now();
const whole = size(oldDiff(null, null, eng, 1));
const t1 = performance.now();
const wholeNew = size(diffSnapshot(null, null, ui.of(sim.stateAt(last)), 1));
console.log(`whole snapshot at the last step: old ${whole} bytes, new ${wholeNew} bytes (old counts sysfs ${eng.sysfs.length}, uevents ${eng.uevents.length}, log ${eng.log.length})`);
let seed = 7;
const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff) / 0x7fffffff);
const jumpsOld: number[] = [], jumpsNew: number[] = [], stepsOld: number[] = [], stepsNew: number[] = [];
const msOld: number[] = [], msNew: number[] = [];
for (let i = 0; i < 20; i++) {
  const a = 1 + Math.floor(rnd() * (last - 2)), b = 1 + Math.floor(rnd() * (last - 2));
  for (const [x, y, out, outN] of [[a, b, jumpsOld, jumpsNew], [a, a + 1, stepsOld, stepsNew]] as const) {
    let t = performance.now();
    const pa = sim.stateAt(x); void pa.sysfs; void pa.uevents; void pa.log; const pb = sim.stateAt(y);
    out.push(size(oldDiff(pa, 1, pb, 2)));
    msOld.push(performance.now() - t);
    t = performance.now();
    const ua = ui.at(x); const ub = ui.at(y);
    outN.push(size(diffSnapshot(ua, 1, ub, 2)));
    msNew.push(performance.now() - t);
  }
}
const q = (xs: number[], p: number) => [...xs].sort((m, k) => m - k)[Math.min(xs.length - 1, Math.ceil(p * xs.length) - 1)]!;
console.log(`step delta median/p95: old ${q(stepsOld, .5)}/${q(stepsOld, .95)} bytes, new ${q(stepsNew, .5)}/${q(stepsNew, .95)}`);
console.log(`jump delta median/p95: old ${q(jumpsOld, .5)}/${q(jumpsOld, .95)} bytes, new ${q(jumpsNew, .5)}/${q(jumpsNew, .95)}`);
console.log(`stateAt(two steps)+diff median/p95 ms (in Node): old ${q(msOld, .5).toFixed(1)}/${q(msOld, .95).toFixed(1)}, new ${q(msNew, .5).toFixed(1)}/${q(msNew, .95).toFixed(1)}`);
