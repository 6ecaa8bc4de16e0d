/**
 * The last step's state loaded from the live run's tables (trace/timeline.ts loadEnd) against a
 * cursor that only walks the journal: the same snapshot, byte for byte as JSON (key order too), at
 * the end and at every step back from it, and the same tables in the same iteration order (a full
 * rebuild, trace/snapshot.ts makeSnapshot, reads the cursor's tables as they iterate). Then the
 * checkpoints `prepare` makes, against the walk's: jumps through them land on the same states.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { getBuiltinScenario, listBuiltins, type Scenario, type Snapshot } from '..';
import { runScenario } from '../boot';
import { validateScenario } from '../scenario/validate';
import { Timeline } from '../trace/timeline';
import { makeSnapshot } from '../trace/snapshot';
import { BUDGET, generated, mutatedBuiltin } from './arbitraries';
import { pinnedScenario } from './trace-scenario';

/** a snapshot as text, its long lists included (they are getters) */
const text = (s: Snapshot) => JSON.stringify({ ...s, sysfs: s.sysfs, uevents: s.uevents, log: s.log });

function pair(s: Scenario, spacing?: number) {
  const v = validateScenario(s);
  if (!v.ok) throw new Error(JSON.stringify(v.errors));
  const run = runScenario(v.scenario, { ...BUDGET, maxEvents: 1e6, maxMillis: 60_000 });
  const opts = spacing === undefined ? {} : { spacing };
  const loaded = new Timeline(run.kernel, run.discovery, opts);
  const walked = new Timeline(run.kernel, run.discovery, { ...opts, loadEnd: false });
  /** both cursors at `step`: their snapshots, and full rebuilds from their tables */
  const both = (step: number) => {
    const a = text(loaded.snapshot(step));
    const b = text(walked.snapshot(step));
    const ca = loaded.counts(loaded.pos);
    const fa = text(makeSnapshot(loaded.seek(step), run.discovery, loaded.pos, ca.uevents, ca.log));
    const fb = text(makeSnapshot(walked.seek(step), run.discovery, walked.pos, ca.uevents, ca.log));
    return { a, b, fa, fb };
  };
  return { loaded, walked, both, length: loaded.length };
}

function expectSame(both: (step: number) => { a: string; b: string; fa: string; fb: string }, step: number) {
  const { a, b, fa, fb } = both(step);
  expect(a, `step ${step}: snapshot`).toBe(b);
  expect(fa, `step ${step}: tables`).toBe(fb);
}

describe('the last step loaded from the live run (trace/timeline.ts loadEnd)', () => {
  for (const d of listBuiltins()) {
    it(`${d.id}: the end and every step back from it as a walking cursor has them`, () => {
      const { loaded, both, length } = pair(getBuiltinScenario(d.id));
      expectSame(both, length - 1);
      expect(loaded.endLoaded).toBe(true);
      for (let i = length - 2; i >= -1; i--) expectSame(both, i);
    });
  }

  it('generated and mutated runs: the end, then random jumps, before and after prepare', () => {
    let loads = 0;
    fc.assert(
      fc.property(fc.oneof(generated, mutatedBuiltin), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 3, maxLength: 8 }), (s, jumps) => {
        // checkpoints every 32 patches: prepare makes several on these small runs
        const { loaded, both, length } = pair(s, 32);
        expectSame(both, length - 1);
        if (loaded.endLoaded) loads++;
        const at = (j: number) => Math.floor(j * length) - 1;
        for (const j of jumps) expectSame(both, at(j));
        while (!loaded.prepare(50));
        for (const j of jumps) expectSame(both, at(1 - j));
      }),
      { seed: Number(process.env.FUZZ_SEED ?? 4343), numRuns: 120 },
    );
    expect(loads).toBeGreaterThan(60);
  }, 120_000);

  it('a 1,000-device run: loaded at the end, prepared in slices to the checkpoints a walk makes', () => {
    const { loaded, walked, both, length } = pair(pinnedScenario(1000));
    expectSame(both, length - 1);
    expect(loaded.endLoaded).toBe(true);
    // a walk to the end makes its checkpoints; the loaded cursor has only the empty state's and the end
    expect(walked.checkpointCount).toBeGreaterThan(2);
    expect(loaded.checkpointCount).toBe(2);
    // steps forward near the end (the worker's layout steps) make no checkpoint out there: prepare
    // would then think the walk done
    loaded.seek(length - 40);
    loaded.seek(length - 1);
    expect(loaded.checkpointCount).toBe(2);
    let slices = 0;
    while (!loaded.prepare(2000)) slices++;
    expect(slices).toBeGreaterThan(1);
    // prepare makes the walk's checkpoints, and the end load's stays
    expect(loaded.checkpointCount).toBe(walked.checkpointCount + 1);
    let seed = 11;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const restoresBefore = loaded.restores;
    for (let i = 0; i < 25; i++) expectSame(both, Math.floor(rnd() * length) - 1);
    expect(loaded.restores).toBeGreaterThan(restoresBefore);
  }, 60_000);
});

describe('the end load keeps the orders a walk sees', () => {
  // drivers list in registration order (drv->p->knode_bus: bus_add_driver appends): a driver
  // unregistered and registered again is last at the end, and first at the steps before its
  // rmmod; a device removed and added again likewise (its klist place and its first-seen id)
  const s: Scenario = {
    id: 'reload-order', title: 'a module unloaded and loaded again', kernel: { version: '7.0' }, udev: { running: true },
    firmware: { description: 'dt', dt: [{ path: '/psci', compatible: ['arm,psci-1.0', 'arm,psci-0.2', 'arm,psci'], method: 'smc' }], psciVersion: '1.1', smcccVersion: '1.2', services: {} },
    modules: [
      { name: 'first', location: 'module', drivers: { d: { name: 'first', bus: 'platform' } }, init: [{ op: 'platform_driver_register', driver: 'd' }, { op: 'platform_device_register_simple', name: 'first-dev', id: -1 }] },
      { name: 'second', location: 'module', drivers: { d: { name: 'second', bus: 'platform' } }, init: [{ op: 'platform_driver_register', driver: 'd' }, { op: 'platform_device_register_simple', name: 'second-dev', id: -1 }] },
    ],
    actions: [{ op: 'modprobe', module: 'first' }, { op: 'modprobe', module: 'second' }, { op: 'rmmod', module: 'first' }, { op: 'modprobe', module: 'first' }],
  };

  it('a driver and a device registered again: every step back from the end as a walk has them', () => {
    const { loaded, both, length } = pair(s);
    expectSame(both, length - 1);
    expect(loaded.endLoaded).toBe(true);
    const end = loaded.snapshot(length - 1);
    expect(end.drivers.map((d) => d.id).filter((id) => id.endsWith('first') || id.endsWith('second'))).toEqual(['platform/second', 'platform/first']);
    let sawFirstBefore = false;
    for (let i = length - 2; i >= -1; i--) {
      expectSame(both, i);
      const ids = loaded.snapshot(i).drivers.map((d) => d.id);
      if (ids.indexOf('platform/first') >= 0 && ids.indexOf('platform/first') < ids.indexOf('platform/second')) sawFirstBefore = true;
    }
    expect(sawFirstBefore).toBe(true);
  });
});
