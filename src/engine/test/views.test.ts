/**
 * The incremental snapshot index (trace/views.ts) against the full rebuild (trace/snapshot.ts
 * makeSnapshot) on a second cursor: at every step of every built-in design, forward and then
 * backward, and at random jumps through generated and mutated runs. Any view the index forgets
 * to refresh after a patch shows up here as a difference.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { getBuiltinScenario, listBuiltins, Simulation, type Scenario } from '..';
import { runScenario } from '../boot';
import { validateScenario } from '../scenario/validate';
import { Timeline } from '../trace/timeline';
import { makeSnapshot } from '../trace/snapshot';
import { BUDGET, generated, mutatedBuiltin } from './arbitraries';
import { pinnedScenario } from './trace-scenario';

function pair(s: Scenario, spacing?: number) {
  const v = validateScenario(s);
  if (!v.ok) throw new Error(JSON.stringify(v.errors));
  const run = runScenario(v.scenario, { ...BUDGET, maxEvents: 1e6, maxMillis: 60_000 });
  const incremental = new Timeline(run.kernel, run.discovery, spacing === undefined ? {} : { spacing });
  const reference = new Timeline(run.kernel, run.discovery);
  const full = (step: number) => {
    const k = reference.seek(step);
    const c = reference.counts(reference.pos);
    return makeSnapshot(k, run.discovery, reference.pos, c.uevents, c.log);
  };
  return { incremental, full, length: incremental.length };
}

describe('incremental snapshots (trace/views.ts)', () => {
  for (const b of listBuiltins()) {
    it(`${b.id}: equal to a full rebuild at every step, forward then backward`, () => {
      const { incremental, full, length } = pair(getBuiltinScenario(b.id));
      for (let i = -1; i < length; i++) expect(incremental.snapshot(i), `step ${i}`).toEqual(full(i));
      for (let i = length - 1; i >= -1; i -= 3) expect(incremental.snapshot(i), `step ${i} (back)`).toEqual(full(i));
    });
  }

  it('generated and mutated runs: equal to a full rebuild at random jumps, through checkpoints', () => {
    let restores = 0;
    fc.assert(
      fc.property(fc.oneof(generated, mutatedBuiltin), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 4, maxLength: 12 }), (s, jumps) => {
        // checkpoints every 32 patches: restores happen on these small runs too
        const { incremental, full, length } = pair(s, 32);
        for (const j of [1, ...jumps]) {
          const step = Math.floor(j * length) - 1;
          expect(incremental.snapshot(step), `step ${step}`).toEqual(full(step));
        }
        restores += incremental.restores;
      }),
      { seed: Number(process.env.FUZZ_SEED ?? 4242), numRuns: 150 },
    );
    expect(restores).toBeGreaterThan(20);
  }, 120_000);

  it('a 1,000-device run: checkpoints taken, and jumps through them equal a full rebuild', () => {
    const { incremental, full, length } = pair(pinnedScenario(1000));
    incremental.snapshot(length - 1);
    expect(incremental.checkpointCount).toBeGreaterThan(1);
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let i = 0; i < 25; i++) {
      const step = Math.floor(rnd() * length) - 1;
      expect(incremental.snapshot(step), `step ${step}`).toEqual(full(step));
    }
    expect(incremental.restores).toBeGreaterThan(0);
  }, 60_000);

  it("a module's state moves its drivers' sysfs links: a module_exit that leaves its driver registered", () => {
    // module_add_driver()'s links (/sys/bus/platform/drivers/leaky/module and the module's
    // drivers/ entry) are shown while /sys/module/leaky exists (sysfs.ts driverSysfs): they follow
    // the module record, not the driver's, so the views must redo the driver when the module
    // goes, though the driver record itself never changes
    const s: Scenario = {
      id: 'leaky-exit', title: 'a module_exit that forgets its driver', kernel: { version: '7.0' }, udev: { running: true },
      firmware: { description: 'dt', dt: [{ path: '/psci', compatible: ['arm,psci-1.0', 'arm,psci-0.2', 'arm,psci'], method: 'smc' }], psciVersion: '1.1', smcccVersion: '1.2', services: {} },
      modules: [{ name: 'leaky', location: 'module', drivers: { d: { name: 'leaky', bus: 'platform' } }, init: [{ op: 'platform_driver_register', driver: 'd' }], exit: [] }],
      actions: [{ op: 'modprobe', module: 'leaky' }, { op: 'rmmod', module: 'leaky' }],
    };
    const { incremental, full, length } = pair(s);
    const linked = (i: number) => incremental.snapshot(i).sysfs.includes('/sys/bus/platform/drivers/leaky/module -> ../../../../module/leaky');
    const states: boolean[] = [];
    for (let i = -1; i < length; i++) {
      expect(incremental.snapshot(i), `step ${i}`).toEqual(full(i));
      states.push(linked(i));
    }
    // the link came with the module and went with its /sys/module directory; the driver stayed
    expect(states.includes(true)).toBe(true);
    expect(states[states.length - 1]).toBe(false);
    expect(incremental.snapshot(length - 1).drivers.some((d) => d.name === 'leaky')).toBe(true);
  });

  it('the lists a snapshot hands out are never changed by later steps and jumps', () => {
    const { incremental, length } = pair(pinnedScenario(300), 64);
    let seed = 11;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const kept: { step: number; devices: unknown[]; copy: unknown[]; drivers: unknown[]; driversCopy: unknown[] }[] = [];
    let step = -1;
    for (let i = 0; i < 400; i++) {
      // mostly single steps either way (the in-place list updates), sometimes a jump (a restore)
      const r = rnd();
      step = r < 0.1 ? Math.floor(rnd() * length) - 1 : Math.max(-1, Math.min(length - 1, step + (r < 0.55 ? 1 : -1)));
      const s = incremental.snapshot(step);
      kept.push({ step, devices: s.devices, copy: s.devices.slice(), drivers: s.drivers, driversCopy: s.drivers.slice() });
    }
    expect(incremental.restores).toBeGreaterThan(0);
    for (const k of kept) {
      expect(k.devices.length, `step ${k.step}`).toBe(k.copy.length);
      expect(k.devices.every((d, i) => d === k.copy[i]), `devices of step ${k.step}`).toBe(true);
      expect(k.drivers.every((d, i) => d === k.driversCopy[i]) && k.drivers.length === k.driversCopy.length, `drivers of step ${k.step}`).toBe(true);
    }
  }, 60_000);

  it('a view keeps its identity across steps that do not change its record', () => {
    const sim = new Simulation(getBuiltinScenario('auxiliary'));
    const a = sim.stateAt(sim.lastStep - 1);
    const b = sim.stateAt(sim.lastStep);
    const same = b.devices.filter((d) => a.devices.includes(d)).length;
    expect(same).toBeGreaterThan(0);
    // and snapshots handed out earlier are not changed by later moves
    const before = JSON.stringify(a);
    sim.stateAt(0);
    expect(JSON.stringify(a)).toBe(before);
  });
});
