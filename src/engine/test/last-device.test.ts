/**
 * The device records the state keeps beside their devpaths (JournaledState.device: the last one
 * written or read, and the one before it) and the trace's per-device entries by klist order
 * (Kernel.traceOf): neither may ever answer for another record than the table holds, whatever the writes, the timeline's
 * walks and restores, or a state whose devices share an order.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getBuiltinScenario } from '../builtins';
import { runScenario } from '../boot';
import { Kernel } from '../core/kernel';
import { deviceRecord, JournaledState, type DeviceRec } from '../core/state';
import { discoverFirmware } from '../firmware/discovery';
import { validateScenario } from '../scenario/validate';
import type { Scenario } from '../scenario/schema';
import { Timeline } from '../trace/timeline';

function device(i: number, order: number): DeviceRec {
  return deviceRecord({
    devpath: `/devices/platform/d${i}`, name: `d${i}`, baseName: `d${i}`, bus: 'platform', cls: null, parent: '/devices/platform',
    driver: null, driverOverride: null, ofNode: null, ofReused: false, acpiHid: null, order, boundOrder: 0, devres: [],
    devmOwner: null, createdBy: null, pmNotRequired: false, platformId: null, idAuto: false, idaId: null, faux: null,
    deferred: false, isRoot: false, fwnode: null,
  });
}

type Op = { op: 'add'; i: number } | { op: 'del'; i: number } | { op: 'bind'; i: number } | { op: 'read'; i: number } | { op: 'undo'; n: number } | { op: 'redo'; n: number };
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constantFrom('add' as const, 'del' as const, 'bind' as const, 'read' as const), i: fc.nat(5) }) as fc.Arbitrary<Op>,
  fc.record({ op: fc.constantFrom('undo' as const, 'redo' as const), n: fc.nat(4) }) as fc.Arbitrary<Op>,
);

describe('the kept device record (JournaledState.device)', () => {
  it('always answers what the devices table holds: after adds, updates, deletes, and patches applied either way on a second state', () => {
    fc.assert(fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
      const run = new JournaledState();
      // a second state driven by the first one's patches, as the timeline's cursor is
      const cursor = new JournaledState();
      let at = 0; // patches of `run` applied to `cursor`
      // d4 and d5 first and last: the two records kept from the check before (the last one and
      // the one before it) are the first ones asked for
      const check = () => {
        for (const i of [4, 5, 0, 1, 2, 3, 4, 5]) {
          const p = `/devices/platform/d${i}`;
          expect(run.device(p)).toBe(run.devices.get(p));
          expect(cursor.device(p)).toBe(cursor.devices.get(p));
          // what a write took as the record before it (the journal's `before`, the indexes' update) was the table's
          expect([...run.byName.get(`d${i}`)]).toEqual(run.devices.has(p) ? [p] : []);
        }
        // every patch undone: the cursor is back where it began, with no device
        if (at === 0) expect([...cursor.devices.keys()]).toEqual([]);
      };
      for (const o of ops) {
        if (o.op === 'add') run.setDevice(device(o.i, o.i + 1));
        else if (o.op === 'del') run.deleteDevice(`/devices/platform/d${o.i}`);
        else if (o.op === 'bind') {
          const d = run.device(`/devices/platform/d${o.i}`);
          if (d) run.updateDevice(d, { driver: d.driver ? null : 'platform/x' });
        } else if (o.op === 'read') run.device(`/devices/platform/d${o.i}`);
        else if (o.op === 'redo') for (let n = 0; n < o.n && at < run.journal.length; n++) run.journal.apply(cursor, at++, true);
        else for (let n = 0; n < o.n && at > 0; n++) run.journal.apply(cursor, --at, false);
        check();
      }
    }), { numRuns: 300 });
  });

  it("the timeline's cursor answers its own state's record after walks and checkpoint restores", () => {
    const s = getBuiltinScenario('auxiliary') as Scenario;
    // unbinding and rebinding deletes the devm children and makes them again: records come and go
    const withActions = { ...s, actions: [...(s.actions ?? []), { op: 'write', path: '/sys/bus/platform/drivers/arm-smccc/unbind', value: 'arm-smccc' }, { op: 'write', path: '/sys/bus/platform/drivers/arm-smccc/bind', value: 'arm-smccc' }] };
    const v = validateScenario(withActions);
    if (!v.ok) throw new Error(JSON.stringify(v.errors));
    const run = runScenario(v.scenario);
    // checkpoints every 4 patches: most jumps restore one
    const tl = new Timeline(run.kernel, run.discovery, { spacing: 4 });
    const paths = new Set<string>();
    for (let j = 0; j < run.kernel.state.journal.length; j++) {
      const p = run.kernel.state.journal.patch(j);
      if (p[0] === 'devices') paths.add(p[1]);
    }
    tl.seek(tl.length - 1);
    const list = [...paths];
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: -1, max: tl.length - 1 }), fc.nat(list.length - 1)), { minLength: 1, maxLength: 30 }), (steps) => {
      for (const [step, kept] of steps) {
        // one device read before the jump: it is the first one asked for after it
        tl.cursor.device(list[kept]!);
        const k = tl.seek(step);
        for (const p of [list[kept]!, ...list]) expect(k.device(p), `${p} at step ${step}`).toBe(k.state.devices.get(p));
      }
    }), { numRuns: 40 });
    expect(tl.restores).toBeGreaterThan(0);
  });
});

describe("the trace's per-device entries (Kernel.traceOf)", () => {
  it('name the right device when devices share an order or have none, and after a delete and add at the same devpath', () => {
    const s = getBuiltinScenario('auxiliary') as Scenario;
    const k = new Kernel(s, discoverFirmware(s.firmware, s.kernel.version).facts);
    // orders 0 (a state built by hand), and two devices with the same order
    const recs = [device(0, 0), device(1, 0), device(2, 7), device(3, 7), device(4, 9)];
    for (const d of recs) k.state.setDevice(d);
    const touch = (p: string) => k.emit('phase', `touch ${p}`, 'test', { touches: { devices: [p] } });
    const pairs = (p: string) => k.emit('phase', `bind ${p}`, 'test', { touches: { devices: [p], drivers: ['platform/x'] } });
    const order: string[] = [];
    for (const round of [0, 1]) {
      for (const d of recs) {
        touch(d.devpath);
        pairs(d.devpath);
        order.push(d.devpath, d.devpath);
      }
      if (round === 0) {
        // d4 deleted, touched while gone, then made again at the same devpath with a new order
        k.state.deleteDevice(recs[4]!.devpath);
        touch(recs[4]!.devpath);
        order.push(recs[4]!.devpath);
        k.state.setDevice(device(4, 12));
      }
    }
    expect(k.events.length).toBe(order.length);
    for (let i = 0; i < order.length; i++) {
      expect(k.events.touchesAt(i).devices, `event ${i}`).toEqual([order[i]]);
      expect(k.events.at(i).text).toContain(order[i]!);
    }
  });
});
