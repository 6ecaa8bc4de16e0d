/**
 * A finished run is freed once nothing of the caller's holds it: module-level state (event sites,
 * caches) must not keep a Simulation alive. A leak through EventSite kept every finished run (345 MB
 * at 100k devices) alive until the next run, in the app's worker and in the bench, whose boots were
 * then measured in a heap the previous run had already grown (docs/PERFORMANCE.md, eighteenth session).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { Simulation, getBuiltinScenario, listBuiltins } from '../index';
import { benchScenario } from '../../../bench/scenario';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/**
 * Full collections until none of `refs` is alive, or 20 rounds (~0.5 s) have passed: a WeakRef's
 * target is kept until the job ends, and V8's background compile jobs briefly hold the code (and
 * so the objects) the last run used. A real leak holds its run however long the test waits.
 */
async function collect(refs: { ref: WeakRef<object> }[]): Promise<void> {
  for (let i = 0; i < 20 && refs.some((r) => r.ref.deref() !== undefined); i++) {
    await new Promise((r) => setTimeout(r, i < 3 ? 0 : 25));
    gc();
  }
}

describe('a finished run is not kept alive', () => {
  it('by the engine module-level state, after every built-in design, a generated machine and time travel ran', async () => {
    // the run's kernel, not only the Simulation: what kept a run alive held its kernel (and its trace), not the object around them
    const refs: { id: string; ref: WeakRef<object> }[] = [];
    const run = (id: string, sim: Simulation) => {
      // time travel and the views make their own tables (checkpoints, the sysfs index)
      sim.stateAt(Math.floor(sim.lastStep / 2));
      sim.stateAt(sim.lastStep);
      refs.push({ id, ref: new WeakRef(sim) }, { id: `${id} kernel`, ref: new WeakRef(sim.kernel!) });
    };
    for (const b of listBuiltins()) run(b.id, new Simulation(getBuiltinScenario(b.id)));
    run('bench-300', new Simulation(benchScenario(300)));
    // nothing here holds a run now: a module-level site that kept its last trace kept the last of them
    await collect(refs);
    expect(refs.filter((r) => r.ref.deref() !== undefined).map((r) => r.id)).toEqual([]);
  });
});
