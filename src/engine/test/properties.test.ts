/**
 * Property-based tests: random but valid scenarios (small generated ones, and built-in designs
 * with random user actions appended), with driver-model invariants checked at every step.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { getBuiltinScenario, listBuiltins, Simulation, type Scenario, type Snapshot, type UserAction } from '..';
import { resolveLink } from '../core/sysfs';

type Mod = Scenario['modules'][number];
type Act = NonNullable<Mod['init']>[number];

const SEED = Number(process.env.PROP_SEED ?? 20240611);
// small alphabets so that names collide
const BASE = ['a', 'b', 'c'];
const DEV_NAMES = ['a', 'b', 'c', 'a.0', 'b.1', 'a.0.auto', 'b.0.auto', 'm.a.0', 'm.b.1', 'x'];
const DRV_NAMES = ['a', 'b', 'c', 'x', 'm.a', 'm', 'faux_driver'];
const BUSES = ['platform', 'auxiliary', 'faux'];

const errnoRet = fc.constantFrom<Act>(
  { op: 'return', errno: 'EPROBE_DEFER' }, { op: 'return', errno: 'ENODEV' }, { op: 'return', errno: 'EINVAL' }, { op: 'return', errno: 0 },
);
const probeAction: fc.Arbitrary<Act> = fc.oneof(
  errnoRet,
  fc.constantFrom(...DEV_NAMES).map((d): Act => ({ op: 'defer_until', device: d })),
  fc.record({ name: fc.constantFrom('a', 'b'), id: fc.constantFrom(0, 1), devm: fc.boolean() })
    .map((x): Act => ({ op: 'auxiliary_device_create', modname: 'm', name: x.name, id: x.id, devm: x.devm, orReturn: 'ignore' })),
  fc.constant<Act>({ op: 'log', message: 'probing' }),
);
const probe = fc.array(probeAction, { maxLength: 2 });

const platformDriver = fc.record({
  name: fc.constantFrom(...BASE, 'x'),
  idTable: fc.option(fc.subarray(BASE, { minLength: 1 }), { nil: undefined }),
  probe,
}).map((d) => ({ name: d.name, bus: 'platform', ...(d.idTable ? { idTable: d.idTable } : {}), probe: d.probe }));
const auxDriver = fc.record({ idTable: fc.subarray(['m.a', 'm.b'], { minLength: 1 }), probe }).map((d) => ({ bus: 'auxiliary', idTable: d.idTable, probe: d.probe }));

const deviceAction: fc.Arbitrary<Act> = fc.oneof(
  fc.record({ name: fc.constantFrom(...BASE), id: fc.constantFrom<number | 'NONE' | 'AUTO'>('NONE', 'AUTO', 0, 1) })
    .map((x): Act => ({ op: 'platform_device_register_simple', name: x.name, id: x.id, orReturn: 'ignore' })),
  fc.record({ name: fc.constantFrom(...BASE), probe: fc.array(probeAction, { maxLength: 1 }) })
    .map((x): Act => ({ op: 'faux_device_create', name: x.name, probe: x.probe, orReturn: 'ignore' })),
);

const moduleArb = (i: number): fc.Arbitrary<Mod> =>
  fc.record({
    location: fc.constantFrom<Mod['location']>('builtin', 'module', 'module', 'absent'),
    initcall: fc.constantFrom<NonNullable<Mod['initcall']>>('subsys', 'device', 'late'),
    drivers: fc.array(fc.oneof(platformDriver, auxDriver), { maxLength: 2 }),
    devices: fc.array(deviceAction, { maxLength: 3 }),
    driversFirst: fc.boolean(),
  }).map((m) => {
    const drivers: NonNullable<Mod['drivers']> = {};
    const regs: Act[] = [];
    m.drivers.forEach((d, j) => {
      const key = `d${i}_${j}`;
      drivers[key] = d;
      regs.push(d.bus === 'platform' ? { op: 'platform_driver_register', driver: key, orReturn: 'ignore' } : { op: 'auxiliary_driver_register', driver: key, orReturn: 'ignore' });
    });
    const init = m.driversFirst ? [...regs, ...m.devices] : [...m.devices, ...regs];
    return { name: `mod${i}`, location: m.location, ...(m.location === 'builtin' ? { initcall: m.initcall } : {}), drivers, init };
  });

const userActionArb = (devs: string[], drvs: string[], mods: string[]): fc.Arbitrary<UserAction> => {
  const dev = fc.constantFrom(...devs);
  const drv = fc.constantFrom(...drvs);
  const bus = fc.constantFrom(...BUSES);
  return fc.oneof(
    fc.record({ bus, drv, dev, f: fc.constantFrom('bind', 'unbind') }).map((x): UserAction => ({ op: 'write', path: `/sys/bus/${x.bus}/drivers/${x.drv}/${x.f}`, value: x.dev })),
    fc.record({ bus, dev }).map((x): UserAction => ({ op: 'write', path: `/sys/bus/${x.bus}/drivers_probe`, value: x.dev })),
    fc.record({ dev, v: fc.constantFrom(...drvs, '', '\n') }).map((x): UserAction => ({ op: 'write', path: `/sys/bus/platform/devices/${x.dev}/driver_override`, value: x.v })),
    fc.record({ bus, dev, a: fc.constantFrom('add', 'change', 'remove', 'bind', 'unbind') }).map((x): UserAction => ({ op: 'write', path: `/sys/bus/${x.bus}/devices/${x.dev}/uevent`, value: x.a })),
    fc.record({ bus, drv }).map((x): UserAction => ({ op: 'write', path: `/sys/bus/${x.bus}/drivers/${x.drv}/uevent`, value: 'add' })),
    fc.constantFrom(...mods).map((m): UserAction => ({ op: 'modprobe', module: m })),
    fc.constantFrom(...mods).map((m): UserAction => ({ op: 'rmmod', module: m })),
    fc.constant<UserAction>({ op: 'udev_start' }),
    fc.constant<UserAction>({ op: 'udev_stop' }),
    dev.map((d): UserAction => ({ op: 'remove_device', device: d })),
  );
};

const genScenario: fc.Arbitrary<Scenario> = fc
  .record({
    modules: fc.tuple(moduleArb(0), moduleArb(1), moduleArb(2)),
    nmods: fc.integer({ min: 1, max: 3 }),
    udev: fc.boolean(),
    kernel: fc.constantFrom('6.18', '6.18', '6.12'),
  })
  .chain((s) => {
    const modules = s.modules.slice(0, s.nmods);
    return fc.array(userActionArb(DEV_NAMES, DRV_NAMES, modules.map((m) => m.name)), { maxLength: 6 }).map((actions): Scenario => ({
      id: 'prop',
      title: 'generated',
      kernel: { version: s.kernel },
      firmware: { description: 'dt', dt: [], psciVersion: '1.1', smcccVersion: '1.2', services: {} },
      udev: { running: s.udev },
      modules,
      actions,
    }));
  });

// built-in designs with random actions over the names they actually use
const builtinIds = listBuiltins().map((b) => b.id);
const builtinNames = new Map(builtinIds.map((id) => {
  const s = getBuiltinScenario(id);
  const end = new Simulation(s).stateAt(Infinity);
  const devs = [...new Set([...end.devices.map((d) => d.name), 'x'])];
  const drvs = [...new Set([...end.drivers.map((d) => d.name), ...s.modules.flatMap((m) => Object.entries(m.drivers ?? {}).map(([k, d]) => d.name ?? k)), 'x'])];
  return [id, { devs, drvs, mods: s.modules.map((m) => m.name) }] as const;
}));
const genBuiltin: fc.Arbitrary<Scenario> = fc.constantFrom(...builtinIds).chain((id) => {
  const n = builtinNames.get(id)!;
  return fc.array(userActionArb(n.devs, n.drvs, n.mods), { maxLength: 6 }).map((extra): Scenario => {
    const s = getBuiltinScenario(id);
    return { ...s, actions: [...(s.actions ?? []).filter((a) => a.at === undefined), ...extra] };
  });
});

const anyScenario = fc.oneof(genScenario, genBuiltin);

function checkSnapshot(s: Snapshot): void {
  const devpaths = new Set(s.devices.map((d) => d.devpath));
  for (const d of s.devices) {
    // no device outlives its parent
    if (d.parent) expect(devpaths.has(d.parent), `${d.devpath}: parent ${d.parent} is gone`).toBe(true);
    // a bound device's driver is registered on the device's own bus and lists the device
    if (d.driver) {
      const drv = s.drivers.find((x) => x.bus === d.bus && x.name === d.driver);
      expect(drv, `${d.devpath}: bound to ${d.driver}, not a registered ${d.bus} driver`).toBeDefined();
      expect(drv!.devices).toContain(d.devpath);
    }
  }
  // every sysfs symlink resolves to a listed path
  const paths = new Set(s.sysfs.map((e) => e.split(' -> ')[0]!));
  for (const e of s.sysfs) {
    const i = e.indexOf(' -> ');
    if (i < 0) continue;
    const from = e.slice(0, i);
    const to = resolveLink(from, e.slice(i + 4));
    expect(paths.has(to), `dangling symlink ${e} (→ ${to})`).toBe(true);
  }
  for (let i = 1; i < s.uevents.length; i++) expect(s.uevents[i]!.seq).toBeGreaterThan(s.uevents[i - 1]!.seq);
  for (const u of s.uevents) {
    const keys = u.env.map(([key]) => key);
    if (u.subsystem === 'faux') expect(keys, `faux uevent #${u.seq} carries MODALIAS`).not.toContain('MODALIAS');
    // a kernel KOBJ_UNBIND is sent after dev->driver = NULL, and zap_modalias_env() drops MODALIAS;
    // a synthetic one (echo unbind > uevent, SYNTH_UUID) on a bound device carries DRIVER, as in Linux
    if (u.action === 'unbind') {
      expect(keys, `unbind uevent #${u.seq} carries MODALIAS`).not.toContain('MODALIAS');
      if (!keys.includes('SYNTH_UUID')) expect(keys, `unbind uevent #${u.seq} carries DRIVER`).not.toContain('DRIVER');
    }
  }
}

describe('properties', () => {
  it('invariants hold at every step', () => {
    fc.assert(
      fc.property(anyScenario, (scenario) => {
        const sim = new Simulation(scenario);
        expect(sim.errors).toEqual([]);
        for (let step = -1; step <= sim.lastStep; step++) checkSnapshot(sim.stateAt(step));
      }),
      { seed: SEED, numRuns: Number(process.env.PROP_RUNS ?? 60) },
    );
  }, 120_000);

  it('the same scenario gives the same trace', () => {
    fc.assert(
      fc.property(anyScenario, (scenario) => {
        const a = new Simulation(scenario).summary().events;
        const b = new Simulation(structuredClone(scenario)).summary().events;
        expect(b).toEqual(a);
      }),
      { seed: SEED + 1, numRuns: Number(process.env.PROP_RUNS ?? 30) },
    );
  }, 120_000);

  it('stateAt after scrubbing equals stateAt seeking forward only', () => {
    fc.assert(
      fc.property(anyScenario, fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true })), (scenario, rnd) => {
        const scrub = new Simulation(scenario);
        const n = scrub.lastStep + 2; // steps -1 .. lastStep
        const steps = Array.from({ length: n }, (_, i) => i - 1);
        const it = rnd[Symbol.iterator]();
        for (let i = n - 1; i > 0; i--) {
          const j = Math.floor(it.next().value! * (i + 1)) % (i + 1);
          [steps[i], steps[j]] = [steps[j]!, steps[i]!];
        }
        const picked = steps.slice(0, 25);
        const scrubbed = new Map(picked.map((k) => [k, scrub.stateAt(k)]));
        const fresh = new Simulation(scenario);
        for (const k of [...picked].sort((x, y) => x - y)) expect(scrubbed.get(k), `step ${k}`).toEqual(fresh.stateAt(k));
      }),
      { seed: SEED + 2, numRuns: Number(process.env.PROP_RUNS ?? 40) },
    );
  }, 120_000);
});
