/**
 * The run's lazily derived indexes (core/state.ts LazyIndex: a bus's devices, a driver's bound
 * devices, a module's drivers, a parent's children): read before, after or between any changes,
 * each holds exactly the members the tables say, as the eager indexes did.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deviceRecord, JournaledState, type DeviceRec, type DriverRec } from '../core/state';

const PARENTS = ['/devices/platform', '/devices/faux', '/devices/platform/p0'];
const BUSES = ['platform', 'faux', null];
const DRIVERS = ['platform/a', 'platform/b', null];
const MODULES = ['m1', 'm2', null];

function device(i: number, o: number): DeviceRec {
  const parent = PARENTS[i % PARENTS.length]!;
  return deviceRecord({
    devpath: `${parent}/d${i}`, name: `d${i}`, baseName: `d${i}`, bus: BUSES[i % BUSES.length]!, cls: null, parent,
    driver: null, driverOverride: null, ofNode: null, ofReused: false, acpiHid: null, order: o, boundOrder: 0, devres: [],
    devmOwner: null, createdBy: null, pmNotRequired: false, platformId: null, idAuto: false, idaId: null, faux: null,
    deferred: false, isRoot: false, fwnode: null,
  });
}

function driver(i: number, module: string | null): DriverRec {
  return { id: `platform/x${i}`, name: `x${i}`, bus: 'platform', module, def: {} as DriverRec['def'], ops: {}, order: i, bindAttrs: true, probeFail: false, preventDeferredProbe: false };
}

type Op =
  | { op: 'add'; i: number }
  | { op: 'del'; i: number }
  | { op: 'bind'; i: number; d: number }
  | { op: 'driver'; i: number; m: number }
  | { op: 'undriver'; i: number }
  | { op: 'read' };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('add' as const), i: fc.nat(11) }),
  fc.record({ op: fc.constant('del' as const), i: fc.nat(11) }),
  fc.record({ op: fc.constant('bind' as const), i: fc.nat(11), d: fc.nat(2) }),
  fc.record({ op: fc.constant('driver' as const), i: fc.nat(4), m: fc.nat(2) }),
  fc.record({ op: fc.constant('undriver' as const), i: fc.nat(4) }),
  fc.constant({ op: 'read' as const }),
);

/** what each index must hold, from the tables */
function expected(s: JournaledState) {
  const devs = [...s.devices.values()];
  const group = <T>(xs: T[], key: (x: T) => string | null, member: (x: T) => string) => {
    const out: Record<string, string[]> = {};
    for (const x of xs) {
      const k = key(x);
      if (k) (out[k] ??= []).push(member(x));
    }
    for (const k in out) out[k]!.sort();
    return out;
  };
  return {
    busDevices: group(devs, (d) => d.bus, (d) => d.devpath),
    boundBy: group(devs, (d) => d.driver, (d) => d.devpath),
    children: group(devs, (d) => d.parent, (d) => d.devpath),
    moduleDrivers: group([...s.drivers.values()], (d) => d.module, (d) => d.id),
  };
}

function read(s: JournaledState, keys: { busDevices: string[]; boundBy: string[]; children: string[]; moduleDrivers: string[] }) {
  const out: Record<string, Record<string, string[]>> = {};
  for (const name of ['busDevices', 'boundBy', 'children', 'moduleDrivers'] as const) {
    const got: Record<string, string[]> = {};
    for (const k of keys[name]) {
      const members = [...s[name].get(k)].sort();
      expect(s[name].count(k)).toBe(members.length);
      if (members.length) got[k] = members;
    }
    out[name] = got;
  }
  return out;
}

const KEYS = {
  busDevices: ['platform', 'faux'],
  boundBy: ['platform/a', 'platform/b'],
  children: PARENTS,
  moduleDrivers: ['m1', 'm2'],
};

describe('lazily derived indexes of the run', () => {
  it('hold what the tables say whenever they are read, whether first read early, late or never', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const s = new JournaledState();
        let order = 0;
        for (const o of ops) {
          if (o.op === 'add') {
            const d = device(o.i, ++order);
            if (!s.devices.has(d.devpath)) s.setDevice(d);
          } else if (o.op === 'del') s.deleteDevice(device(o.i, 0).devpath);
          else if (o.op === 'bind') {
            const cur = s.devices.get(device(o.i, 0).devpath);
            if (cur) s.updateDevice(cur, { driver: DRIVERS[o.d]! });
          } else if (o.op === 'driver') s.setDriver(driver(o.i, MODULES[o.m]!));
          else if (o.op === 'undriver') s.deleteDriver(`platform/x${o.i}`);
          else expect(read(s, KEYS)).toEqual(expected(s));
        }
        expect(read(s, KEYS)).toEqual(expected(s));
      }),
      { numRuns: 300 },
    );
  });
});
