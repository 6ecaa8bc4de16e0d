import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Simulation, getBuiltinScenario } from '../engine/index';
import type { Snapshot } from '../engine/api';
import { applyDelta, deepEqual, deltaRecords, diffKeyed, diffOrdered, diffSnapshot } from './delta';
import { benchScenario } from '../../bench/scenario';

describe('snapshot deltas', () => {
  it('rebuild every step of a design from the step before, after and far away', () => {
    const sim = new Simulation(getBuiltinScenario('auxiliary'));
    const snaps: Snapshot[] = [];
    for (let i = -1; i <= sim.lastStep; i++) snaps.push(sim.stateAt(i));
    let held: Snapshot | null = null;
    let id = 0;
    // forward, backward, then jumps
    const order = [...snaps.keys(), ...[...snaps.keys()].reverse(), 0, snaps.length - 1, 3, 7];
    for (const k of order) {
      const d = diffSnapshot(held, held ? id : null, snaps[k]!, id + 1);
      id++;
      held = applyDelta(held, d);
      expect(held).toEqual(snaps[k]);
    }
  });

  it('one step of a 1,000-device run carries a few records, not the world', () => {
    const sim = new Simulation(benchScenario(1000), { maxEvents: 1e9, maxMillis: 600_000, maxDevices: 1e7 });
    const mid = Math.floor(sim.lastStep / 2);
    const a = sim.stateAt(mid);
    const b = sim.stateAt(mid + 1);
    const d = diffSnapshot(a, 1, b, 2);
    const full = JSON.stringify(b).length;
    expect(full).toBeGreaterThan(500_000);
    expect(JSON.stringify(d).length).toBeLessThan(full / 50);
    expect(deltaRecords(d)).toBeLessThan(40);
    const back = applyDelta(a, d);
    expect(back).toEqual(b);
    // unchanged records keep their identity
    const same = b.devices.findIndex((x, i) => deepEqual(x, a.devices[i]));
    expect(back.devices[same]).toBe(a.devices[same]);
  });

  it('any two lists: diffing then applying gives the second (keyed, ordered, appended)', () => {
    const rec = fc.record({ k: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), v: fc.integer({ min: 0, max: 2 }) });
    fc.assert(
      fc.property(fc.array(rec, { maxLength: 12 }), fc.array(rec, { maxLength: 12 }), (p, n) => {
        const rebuilt = (segs: ReturnType<typeof diffKeyed<{ k: string; v: number }>>['segs']) =>
          segs.flatMap((s) => (Array.isArray(s) ? p.slice(s[0], s[0] + s[1]) : s.v));
        expect(rebuilt(diffKeyed(p, n, (x) => x.k).segs)).toEqual(n);
        expect(rebuilt(diffOrdered(p, n).segs)).toEqual(n);
        expect(rebuilt(diffOrdered(p, n, (a, b) => a.k < b.k).segs)).toEqual(n);
      }),
    );
  });

  it('a delta for a snapshot that is not held, or that copies past its base, is refused', () => {
    const sim = new Simulation(getBuiltinScenario('auxiliary'));
    const a = sim.stateAt(3);
    const d = diffSnapshot(a, 1, sim.stateAt(4), 2);
    expect(() => applyDelta(null, d)).toThrow(/applies to snapshot 1, which is not held/);
    expect(() => applyDelta({ ...a, sysfs: [] }, d)).toThrow(/sysfs copies/);
  });
});
