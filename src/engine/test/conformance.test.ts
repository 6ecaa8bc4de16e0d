/**
 * Conformance suite: one kernel rule per case, each naming the kernel function it pins.
 * Rules come from /work/shared/domain.md §2–6 as corrected by docs/kernel-notes.md (the kernel
 * source wins). Scenarios are small and built inline; assertions use structured trace fields
 * (uevent env, errno, match info) and snapshots, and exact log text only where the kernel's
 * message is the point.
 */
import { describe, expect, it } from 'vitest';
import { Simulation, type Snapshot, type TraceEvent, type UeventRecord } from '../index';
import type { DriverDef, FirmwareDef, KernelAction, ModuleDef, Scenario, UserAction } from '../scenario/schema';
import { deviceAdd } from '../core/core';
import { sysfsRead } from '../core/sysfs';
import { platformBus } from '../buses/platform';

// ---- builders --------------------------------------------------------------------------------

type DtNode = NonNullable<FirmwareDef['dt']>[number];

/** a Realm guest on DT: PSCI 1.1 over SMC, SMCCC 1.2, RSI 1.0 */
function firmware(extra: Partial<FirmwareDef> = {}, nodes: DtNode[] = []): FirmwareDef {
  return {
    description: 'dt',
    dt: [{ path: '/psci', compatible: ['arm,psci-1.0', 'arm,psci-0.2', 'arm,psci'], method: 'smc' }, ...nodes],
    psciVersion: '1.1',
    smcccVersion: '1.2',
    services: { rsi: { version: '1.0' } },
    ...extra,
  };
}

function scenario(modules: ModuleDef[], opts: { actions?: UserAction[]; version?: string; firmware?: FirmwareDef; udev?: boolean; buses?: Scenario['buses'] } = {}): Scenario {
  return {
    id: 'conformance',
    title: 'conformance',
    kernel: { version: opts.version ?? '6.17' },
    firmware: opts.firmware ?? firmware(),
    udev: { running: opts.udev ?? true },
    modules,
    ...(opts.actions ? { actions: opts.actions } : {}),
    ...(opts.buses ? { buses: opts.buses } : {}),
  };
}

/** built-in code (=y) running at an initcall level */
const builtin = (name: string, init: KernelAction[], extra: Partial<ModuleDef> = {}): ModuleDef => ({ name, location: 'builtin', initcall: 'device', init, ...extra });
/** a loadable module on disk (=m) */
const loadable = (name: string, init: KernelAction[], extra: Partial<ModuleDef> = {}): ModuleDef => ({ name, location: 'module', init, ...extra });
/** a module whose only content is a platform driver (module_platform_driver + MODULE_ALIAS("platform:<name>")) */
const platformDriverModule = (name: string, def: Partial<DriverDef> = {}, location: ModuleDef['location'] = 'builtin'): ModuleDef => ({
  name, location, ...(location === 'builtin' ? { initcall: 'device' as const } : {}), aliases: [`platform:${name}`],
  drivers: { [name]: { name, bus: 'platform', ...def } },
  init: [{ op: 'platform_driver_register', driver: name }],
});

const pdev = (name: string, extra: Partial<Extract<KernelAction, { op: 'platform_device_register_simple' }>> = {}): KernelAction => ({ op: 'platform_device_register_simple', name, ...extra });
const ret = (errno: string): KernelAction => ({ op: 'return', errno });
const log = (message: string): KernelAction => ({ op: 'log', message });

// ---- running and reading ---------------------------------------------------------------------

interface Run {
  sim: Simulation;
  events: TraceEvent[];
  final: Snapshot;
  uevents: UeventRecord[];
}

function run(s: Scenario): Run {
  const sim = new Simulation(s);
  expect(sim.errors).toEqual([]);
  const final = sim.stateAt(sim.lastStep);
  return { sim, events: sim.summary().events, final, uevents: final.uevents };
}

const dev = (snap: Snapshot, name: string) => snap.devices.find((d) => d.name === name);
const env = (u: UeventRecord) => Object.fromEntries(u.env);
const keys = (u: UeventRecord) => u.env.map(([k]) => k);
/** uevents for a devpath, as "action" strings in order */
/** kernel-originated uevents for a devpath (coldplug's synthetic SYNTH_UUID replays left out), as actions in order */
const actionsFor = (r: Run, devpath: string) => r.uevents.filter((u) => u.devpath === devpath && !u.env.some(([k]) => k === 'SYNTH_UUID')).map((u) => u.action);
const ueventIndex = (r: Run, action: string, devpath: string) => r.events.findIndex((e) => e.uevent?.action === action && e.uevent.devpath === devpath);
const mod = (snap: Snapshot, name: string) => snap.modules.find((m) => m.name === name)!;
const hasErrno = (r: Run, errno: number, citePart: string) => r.events.some((e) => e.errno === errno && e.cite.includes(citePart));

/** the result of the i-th scenario action when it is a sysfs write: 0 or -errno */
function writeResult(r: Run, i: number): number {
  const start = r.sim.actionStarts[i]!;
  const ev = r.events.slice(start).find((e) => e.cite === 'fs/sysfs/file.c:sysfs_kf_write' || e.cite.startsWith('fs/namei.c'));
  if (!ev) throw new Error(`action ${i} produced no sysfs write result`);
  return ev.errno ?? 0;
}

const ENXIO = -6, EAGAIN = -11, EBUSY = -16, EEXIST = -17, ENODEV = -19, EINVAL = -22;

// ---- drivers/base/core.c, lib/kobject_uevent.c ---------------------------------------------

describe('driver core: device_add / device_del / uevents', () => {
  it('device_add: a device with no name is refused with -EINVAL (drivers/base/core.c:device_add)', () => {
    const r = run(scenario([]));
    const k = r.sim.kernel!;
    const before = k.uevents.length;
    expect(deviceAdd(k, { name: '', bus: 'platform' }).ret).toBe(EINVAL);
    expect(k.uevents.length).toBe(before);
  });

  it('device_add: a same-parent duplicate fails in kobject_add with -EEXIST and sends no uevent (drivers/base/core.c:device_add)', () => {
    const r = run(scenario([builtin('m', [pdev('foo', { orReturn: 'ignore' }), pdev('foo', { orReturn: 'ignore' })])]));
    expect(actionsFor(r, '/devices/platform/foo')).toEqual(['add']);
    expect(hasErrno(r, EEXIST, 'device_add')).toBe(true);
    expect(r.final.devices.filter((d) => d.name === 'foo')).toHaveLength(1);
  });

  it('device_add: same name on the same bus under another parent → bus_add_device fails, KOBJ_REMOVE with no KOBJ_ADD (drivers/base/core.c:device_add)', () => {
    const r = run(scenario([builtin('m', [pdev('holder'), pdev('foo'), pdev('foo', { parent: 'holder', orReturn: 'ignore' })])]));
    expect(actionsFor(r, '/devices/platform/holder/foo')).toEqual(['remove']);
    expect(dev(r.final, 'foo')!.devpath).toBe('/devices/platform/foo');
    expect(r.final.sysfs).not.toContain('/sys/devices/platform/holder/foo');
  });

  it('kobject_uevent_env: ACTION, DEVPATH, SUBSYSTEM, DRIVER, OF_*, MODALIAS, SEQNUM in that order (lib/kobject_uevent.c:kobject_uevent_env)', () => {
    const fw = firmware({}, [{ path: '/soc/foo@0', compatible: ['vendor,foo', 'vendor,generic'] }]);
    const r = run(scenario([builtin('m', [pdev('foo', { ofNode: '/soc/foo@0' })]), platformDriverModule('food', { ofMatch: ['vendor,foo'] })], { firmware: fw }));
    const bind = r.uevents.find((u) => u.action === 'bind' && u.devpath === '/devices/platform/foo')!;
    expect(keys(bind)).toEqual(['ACTION', 'DEVPATH', 'SUBSYSTEM', 'DRIVER', 'OF_NAME', 'OF_FULLNAME', 'OF_COMPATIBLE_0', 'OF_COMPATIBLE_1', 'OF_COMPATIBLE_N', 'MODALIAS', 'SEQNUM']);
    expect(env(bind)).toMatchObject({ ACTION: 'bind', DEVPATH: '/devices/platform/foo', SUBSYSTEM: 'platform', DRIVER: 'food', OF_NAME: 'foo', OF_FULLNAME: '/soc/foo@0', OF_COMPATIBLE_N: '2' });
    const add = r.uevents.find((u) => u.action === 'add' && u.devpath === '/devices/platform/foo')!;
    expect(keys(add)).not.toContain('DRIVER');
    expect(Number(env(bind).SEQNUM)).toBeGreaterThan(Number(env(add).SEQNUM));
  });

  it('zap_modalias_env: KOBJ_UNBIND carries neither MODALIAS nor DRIVER (lib/kobject_uevent.c:zap_modalias_env)', () => {
    const r = run(scenario([builtin('m', [pdev('foo')]), platformDriverModule('foo')], { actions: [{ op: 'unbind', device: 'foo' }] }));
    const unbind = r.uevents.find((u) => u.action === 'unbind' && u.devpath === '/devices/platform/foo')!;
    expect(keys(unbind)).toEqual(['ACTION', 'DEVPATH', 'SUBSYSTEM', 'SEQNUM']);
    const bind = r.uevents.find((u) => u.action === 'bind' && u.devpath === '/devices/platform/foo')!;
    expect(env(bind).MODALIAS).toBe('platform:foo');
  });

  it('kobject_uevent_env: KOBJ_REMOVE keeps MODALIAS (only UNBIND zaps it) (lib/kobject_uevent.c:kobject_uevent_env)', () => {
    const r = run(scenario([builtin('m', [pdev('foo')])], { actions: [{ op: 'remove_device', device: 'foo' }] }));
    const rm = r.uevents.find((u) => u.action === 'remove' && u.devpath === '/devices/platform/foo')!;
    expect(env(rm).MODALIAS).toBe('platform:foo');
  });

  it('dev_uevent_filter: the bus-less, class-less root /sys/devices/platform sends no uevent (drivers/base/core.c:dev_uevent_filter)', () => {
    const r = run(scenario([]));
    expect(r.final.sysfs).toContain('/sys/devices/platform');
    expect(r.uevents.some((u) => u.devpath === '/devices/platform' || u.devpath === '/devices/faux')).toBe(false);
  });

  it('device_del: release the driver (devm children go before KOBJ_UNBIND), then KOBJ_REMOVE (drivers/base/core.c:device_del)', () => {
    const r = run(scenario([
      builtin('m', [pdev('foo')]),
      platformDriverModule('foo', { probe: [{ op: 'auxiliary_device_create', modname: 'foo', name: 'child', devm: true }] }),
    ], { version: '6.17', actions: [{ op: 'remove_device', device: 'foo' }] }));
    const P = '/devices/platform/foo';
    const C = `${P}/foo.child.0`;
    expect(actionsFor(r, P)).toEqual(['add', 'bind', 'unbind', 'remove']);
    // bus_remove_device → __device_release_driver: remove(), devres_release_all (the devm child goes), KOBJ_UNBIND
    expect(ueventIndex(r, 'remove', C)).toBeLessThan(ueventIndex(r, 'unbind', P));
    expect(ueventIndex(r, 'unbind', P)).toBeLessThan(ueventIndex(r, 'remove', P));
    expect(dev(r.final, 'foo')).toBeUndefined();
  });

  it('bus_remove_device: the subsystem and /sys/bus/<bus>/devices links are gone before the driver is released (drivers/base/bus.c:bus_remove_device)', () => {
    const r = run(scenario([builtin('m', [pdev('foo')]), platformDriverModule('foo', { remove: [log('foo remove')] })], { actions: [{ op: 'remove_device', device: 'foo' }] }));
    const inRemove = r.sim.stateAt(r.events.findIndex((e) => e.log?.endsWith('foo remove') ?? false));
    expect(inRemove.sysfs).toContain('/sys/devices/platform/foo');
    expect(inRemove.sysfs.some((p) => p.startsWith('/sys/bus/platform/devices/foo '))).toBe(false);
    expect(inRemove.sysfs.some((p) => p.startsWith('/sys/devices/platform/foo/subsystem'))).toBe(false);
    const before = r.sim.stateAt(r.sim.actionStarts[0]! - 1);
    expect(before.sysfs).toContain('/sys/bus/platform/devices/foo -> ../../../devices/platform/foo');
    expect(actionsFor(r, '/devices/platform/foo').slice(-2)).toEqual(['unbind', 'remove']);
  });
});

// ---- drivers/base/driver.c, bus.c ------------------------------------------------------------

describe('driver core: driver_register / sysfs bus attributes', () => {
  it('bus_add_driver: devices bind (KOBJ_BIND) before the driver\'s own KOBJ_ADD with SUBSYSTEM=drivers (drivers/base/bus.c:bus_add_driver)', () => {
    const r = run(scenario([builtin('m', [pdev('foo')], { initcall: 'subsys' }), platformDriverModule('foo')]));
    const drvAdd = r.uevents.find((u) => u.devpath === '/bus/platform/drivers/foo' && u.action === 'add')!;
    expect(keys(drvAdd)).toEqual(['ACTION', 'DEVPATH', 'SUBSYSTEM', 'SEQNUM']);
    expect(env(drvAdd).SUBSYSTEM).toBe('drivers');
    const bind = r.uevents.find((u) => u.devpath === '/devices/platform/foo' && u.action === 'bind')!;
    expect(bind.seq).toBeLessThan(drvAdd.seq);
  });

  it('driver_register: a duplicate name on the bus is -EBUSY with "is already registered, aborting..." (drivers/base/driver.c:driver_register)', () => {
    const r = run(scenario([
      platformDriverModule('dup'),
      { name: 'm2', location: 'builtin', initcall: 'late', drivers: { d: { name: 'dup', bus: 'platform' } }, init: [{ op: 'platform_driver_register', driver: 'd' }] },
    ]));
    expect(hasErrno(r, EBUSY, 'driver_register')).toBe(true);
    expect(r.final.log).toContain("Error: Driver 'dup' is already registered, aborting...");
    expect(r.final.drivers.filter((d) => d.id === 'platform/dup')).toHaveLength(1);
  });

  it('bus_add_driver: bind/unbind files exist only without suppress_bind_attrs (drivers/base/bus.c:bus_add_driver)', () => {
    const r = run(scenario([builtin('m', [pdev('x')]), platformDriverModule('a'), platformDriverModule('b', { suppressBindAttrs: true, idTable: ['x'] })], {
      actions: [{ op: 'unbind', device: 'x' }, { op: 'write', path: '/sys/bus/platform/drivers/b/bind', value: 'x' }],
    }));
    expect(writeResult(r, 0)).not.toBe(0);
    expect(writeResult(r, 1)).not.toBe(0);
    expect(dev(r.final, 'x')!.driver).toBe('b');
    expect(r.final.sysfs).toContain('/sys/bus/platform/drivers/a/bind');
    expect(r.final.sysfs).toContain('/sys/bus/platform/drivers/a/unbind');
    expect(r.final.sysfs).toContain('/sys/bus/platform/drivers/b');
    expect(r.final.sysfs).not.toContain('/sys/bus/platform/drivers/b/bind');
    expect(r.final.sysfs).not.toContain('/sys/bus/platform/drivers/b/unbind');
  });

  it('bind_store: unknown device and non-matching driver are -ENODEV (drivers/base/bus.c:bind_store)', () => {
    const r = run(scenario([builtin('m', [pdev('other')]), platformDriverModule('foo')], {
      actions: [{ op: 'write', path: '/sys/bus/platform/drivers/foo/bind', value: 'nosuch' }, { op: 'write', path: '/sys/bus/platform/drivers/foo/bind', value: 'other' }],
    }));
    expect(writeResult(r, 0)).toBe(ENODEV);
    expect(writeResult(r, 1)).toBe(ENODEV);
    expect(dev(r.final, 'other')!.driver).toBeNull();
  });

  it('bind_store: matching goes through bus->match, so platform driver_override also gates sysfs bind (drivers/base/bus.c:bind_store)', () => {
    const r = run(scenario([builtin('m', [pdev('foo')]), platformDriverModule('foo', {}, 'module')], {
      udev: false,
      actions: [{ op: 'driver_override', device: 'foo', value: 'bar' }, { op: 'modprobe', module: 'foo' }, { op: 'write', path: '/sys/bus/platform/drivers/foo/bind', value: 'foo' }],
    }));
    expect(writeResult(r, 2)).toBe(ENODEV);
    expect(dev(r.final, 'foo')!.driver).toBeNull();
  });

  it('bind_store: a device already bound is -EBUSY (drivers/base/dd.c:__driver_probe_device)', () => {
    const r = run(scenario([builtin('m', [pdev('foo')]), platformDriverModule('foo')], {
      actions: [{ op: 'write', path: '/sys/bus/platform/drivers/foo/bind', value: 'foo' }],
    }));
    expect(writeResult(r, 0)).toBe(EBUSY);
  });

  it('device_driver_attach: a deferring probe via sysfs bind is -EAGAIN and not queued for retry (drivers/base/dd.c:device_driver_attach)', () => {
    const r = run(scenario([builtin('m', [pdev('foo')]), platformDriverModule('foo', { probe: [{ op: 'defer_until', device: 'never' }] }, 'module')], {
      udev: false,
      actions: [{ op: 'write', path: '/sys/bus/platform/drivers_autoprobe', value: '0' }, { op: 'modprobe', module: 'foo' }, { op: 'write', path: '/sys/bus/platform/drivers/foo/bind', value: 'foo' }],
    }));
    expect(writeResult(r, 2)).toBe(EAGAIN);
    expect(dev(r.final, 'foo')!.deferred).toBe(false);
    expect(dev(r.final, 'foo')!.driver).toBeNull();
  });

  it('unbind_store: a device not bound to that driver is -ENODEV (drivers/base/bus.c:unbind_store)', () => {
    const r = run(scenario([builtin('m', [pdev('foo'), pdev('bar')]), platformDriverModule('foo')], {
      actions: [{ op: 'write', path: '/sys/bus/platform/drivers/foo/unbind', value: 'bar' }, { op: 'write', path: '/sys/bus/platform/drivers/foo/unbind', value: 'foo' }],
    }));
    expect(writeResult(r, 0)).toBe(ENODEV);
    expect(writeResult(r, 1)).toBe(0);
    expect(dev(r.final, 'foo')!.driver).toBeNull();
  });

  it('bus_probe_device: drivers_autoprobe=0 leaves a new device unprobed (drivers/base/bus.c:bus_probe_device)', () => {
    const r = run(scenario([platformDriverModule('foo'), loadable('maker', [pdev('foo')])], {
      actions: [{ op: 'write', path: '/sys/bus/platform/drivers_autoprobe', value: '0' }, { op: 'modprobe', module: 'maker' }],
    }));
    expect(writeResult(r, 0)).toBe(0);
    expect(dev(r.final, 'foo')!.driver).toBeNull();
    expect(actionsFor(r, '/devices/platform/foo')).toEqual(['add']);
  });

  it('drivers_probe_store: succeeds even when nothing binds, and probes despite drivers_autoprobe=0 (drivers/base/bus.c:drivers_probe_store)', () => {
    const r = run(scenario([platformDriverModule('foo'), loadable('maker', [pdev('foo'), pdev('lonely')])], {
      actions: [
        { op: 'write', path: '/sys/bus/platform/drivers_autoprobe', value: '0' },
        { op: 'modprobe', module: 'maker' },
        { op: 'write', path: '/sys/bus/platform/drivers_probe', value: 'lonely' },
        { op: 'write', path: '/sys/bus/platform/drivers_probe', value: 'foo' },
        { op: 'write', path: '/sys/bus/platform/drivers_probe', value: 'nosuch' },
      ],
    }));
    expect(writeResult(r, 2)).toBe(0);
    expect(dev(r.final, 'lonely')!.driver).toBeNull();
    expect(writeResult(r, 3)).toBe(0);
    expect(dev(r.final, 'foo')!.driver).toBe('foo');
    expect(writeResult(r, 4)).toBe(ENODEV);
  });

  it('driver_detach: driver_unregister unbinds devices last-bound first (drivers/base/dd.c:driver_detach)', () => {
    const r = run(scenario([loadable('maker', [pdev('foo', { id: 1 }), pdev('foo', { id: 2 })]), platformDriverModule('foo', {}, 'module')], {
      udev: false,
      actions: [{ op: 'modprobe', module: 'maker' }, { op: 'modprobe', module: 'foo' }, { op: 'rmmod', module: 'foo' }],
    }));
    const binds = r.uevents.filter((u) => u.action === 'bind').map((u) => u.devpath);
    const unbinds = r.uevents.filter((u) => u.action === 'unbind').map((u) => u.devpath);
    expect(binds).toEqual(['/devices/platform/foo.1', '/devices/platform/foo.2']);
    expect(unbinds).toEqual(['/devices/platform/foo.2', '/devices/platform/foo.1']);
  });
});

// ---- drivers/base/dd.c: the probe walk and deferred probe ------------------------------------

describe('driver core: probing', () => {
  /** two platform drivers that both match device "foo" by id_table, registered in order a, b */
  const twoDrivers = (probeA: KernelAction[], probeB: KernelAction[] = []) => [
    platformDriverModule('a', { idTable: ['foo'], probe: probeA }),
    platformDriverModule('b', { idTable: ['foo'], probe: probeB }),
    builtin('maker', [pdev('foo')], { initcall: 'late' }),
  ];

  it('__device_attach: drivers are tried in registration order; the first that binds wins (drivers/base/dd.c:__device_attach)', () => {
    const r = run(scenario(twoDrivers([])));
    expect(dev(r.final, 'foo')!.driver).toBe('a');
    const tried = r.events.filter((e) => e.match?.device === 'foo' && e.match.matched).map((e) => e.match!.driver);
    expect(tried).toEqual(['a']);
  });

  it('call_driver_probe: -ENODEV/-ENXIO are silent and the next driver tries (drivers/base/dd.c:call_driver_probe)', () => {
    for (const e of ['ENODEV', 'ENXIO']) {
      const r = run(scenario(twoDrivers([ret(e)])));
      expect(dev(r.final, 'foo')!.driver).toBe('b');
      expect(r.final.log.some((l) => l.includes('probe with driver a'))).toBe(false);
    }
  });

  it('call_driver_probe: other errors log "probe with driver X failed with error -N" and the next driver tries (drivers/base/dd.c:call_driver_probe)', () => {
    const r = run(scenario(twoDrivers([ret('EINVAL')])));
    expect(r.final.log).toContain('a foo: probe with driver a failed with error -22');
    expect(dev(r.final, 'foo')!.driver).toBe('b');
  });

  it('__device_attach_driver: -EPROBE_DEFER from probe lets the next driver try, and the device is parked meanwhile (drivers/base/dd.c:__device_attach_driver)', () => {
    const r = run(scenario(twoDrivers([{ op: 'defer_until', device: 'never' }])));
    expect(dev(r.final, 'foo')!.driver).toBe('b');
    const parked = r.events.findIndex((e) => e.kind === 'defer' && e.cite.endsWith(':driver_deferred_probe_add') && e.touches.devices?.includes('/devices/platform/foo'));
    expect(parked).toBeGreaterThan(-1);
    expect(parked).toBeLessThan(ueventIndex(r, 'bind', '/devices/platform/foo'));
    expect(dev(r.final, 'foo')!.deferred).toBe(false);
  });

  it('driver_probe_device: a device whose only driver defers stays on the deferred list (drivers/base/dd.c:driver_deferred_probe_add)', () => {
    const r = run(scenario([platformDriverModule('foo', { probe: [{ op: 'defer_until', device: 'never' }] }), builtin('maker', [pdev('foo')])]));
    expect(dev(r.final, 'foo')!.deferred).toBe(true);
    expect(dev(r.final, 'foo')!.driver).toBeNull();
  });

  it('driver_deferred_probe_trigger: retries only take effect after deferred_probe_initcall (drivers/base/dd.c:deferred_probe_initcall)', () => {
    const r = run(scenario([
      builtin('waiter', [pdev('foo')], { initcall: 'subsys', drivers: { foo: { name: 'foo', bus: 'platform', probe: [{ op: 'defer_until', device: 'supplier' }] } }, init: [{ op: 'platform_driver_register', driver: 'foo' }, pdev('foo')] }),
      builtin('supplier', [pdev('supplier')], { initcall: 'device', drivers: { supplier: { name: 'supplier', bus: 'platform' } }, init: [pdev('supplier'), { op: 'platform_driver_register', driver: 'supplier' }] }),
    ]));
    const supplierBound = ueventIndex(r, 'bind', '/devices/platform/supplier');
    const initcall = r.events.findIndex((e) => e.cite === 'drivers/base/dd.c:deferred_probe_initcall');
    const fooBound = ueventIndex(r, 'bind', '/devices/platform/foo');
    expect(supplierBound).toBeGreaterThan(-1);
    expect(supplierBound).toBeLessThan(initcall);
    // the supplier's bind before late_initcall did not retry foo
    expect(r.events.slice(supplierBound, initcall).some((e) => e.cite.endsWith(':deferred_probe_work_func'))).toBe(false);
    expect(fooBound).toBeGreaterThan(initcall);
    expect(dev(r.final, 'foo')!.driver).toBe('foo');
  });

  it('driver_bound: a successful bind re-triggers the deferred list; a mere device_add does not (drivers/base/dd.c:driver_bound)', () => {
    const r = run(scenario([
      platformDriverModule('foo', { probe: [{ op: 'defer_until', device: 'supplier' }] }),
      builtin('maker', [pdev('foo')]),
      loadable('addsupplier', [pdev('supplier')]),
      platformDriverModule('other', {}, 'module'),
      loadable('addother', [pdev('other')]),
    ], {
      actions: [{ op: 'modprobe', module: 'addsupplier' }, { op: 'modprobe', module: 'addother' }],
    }));
    const afterSupplier = r.sim.stateAt(r.sim.actionStarts[1]! - 1);
    expect(dev(afterSupplier, 'supplier')!.driver).toBeNull();
    expect(dev(afterSupplier, 'foo')!.driver).toBeNull();
    // "other" appears, udev loads its driver, the bind triggers the deferred list → foo retried
    expect(dev(r.final, 'other')!.driver).toBe('other');
    expect(dev(r.final, 'foo')!.driver).toBe('foo');
    expect(ueventIndex(r, 'bind', '/devices/platform/foo')).toBeGreaterThan(ueventIndex(r, 'bind', '/devices/platform/other'));
  });

  it('really_probe: devres present before probing → "Resources present before probing", -EBUSY (drivers/base/dd.c:really_probe)', () => {
    const r = run(scenario([
      builtin('maker', [pdev('foo'), { op: 'auxiliary_device_create', modname: 'maker', name: 'res', parent: 'foo', devm: true }], { initcall: 'subsys' }),
      platformDriverModule('foo', { probe: [log('probed')] }),
    ], { actions: [{ op: 'write', path: '/sys/bus/platform/drivers/foo/bind', value: 'foo' }] }));
    expect(dev(r.final, 'foo')!.driver).toBeNull();
    expect(writeResult(r, 0)).toBe(EBUSY);
    // dev->driver is not yet set, so dev_crit's prefix is the bus name (dev_driver_string)
    expect(r.final.log).toContain('platform foo: Resources present before probing');
    expect(r.final.log.some((l) => l.endsWith('probed'))).toBe(false);
  });
});

// ---- drivers/base/platform.c -----------------------------------------------------------------

describe('platform bus', () => {
  it('platform_device_add: id NONE → "name", N → "name.N", AUTO → "name.N.auto" under /sys/devices/platform (drivers/base/platform.c:platform_device_add)', () => {
    const r = run(scenario([builtin('m', [pdev('a', { id: 'NONE' }), pdev('b', { id: 3 }), pdev('c', { id: 'AUTO' })])]));
    expect(r.final.devices.filter((d) => d.bus === 'platform').map((d) => d.devpath).sort()).toEqual(['/devices/platform/a', '/devices/platform/b.3', '/devices/platform/c.0.auto']);
    expect(r.final.sysfs).toContain('/sys/bus/platform/devices/c.0.auto -> ../../../devices/platform/c.0.auto');
  });

  it('platform_device_add: AUTO ids come from one IDA shared by all names, lowest free first, reused after unregister (drivers/base/platform.c:platform_device_add)', () => {
    const r = run(scenario([
      builtin('m', [pdev('x', { id: 'AUTO' }), pdev('y', { id: 'AUTO' }), { op: 'platform_device_unregister', device: 'x.0.auto' }, pdev('z', { id: 'AUTO' }), pdev('x', { id: 'AUTO' })]),
    ]));
    expect(r.final.devices.filter((d) => d.bus === 'platform').map((d) => d.name).sort()).toEqual(['x.2.auto', 'y.1.auto', 'z.0.auto']);
  });

  it('kobject_set_name_vargs: a "/" in a device name becomes "!" (lib/kobject.c:kobject_set_name_vargs)', () => {
    const r = run(scenario([builtin('m', [pdev('a/b')])]));
    expect(dev(r.final, 'a!b')!.devpath).toBe('/devices/platform/a!b');
  });

  it('platform_match: driver_override wins over OF and name, and only that driver matches (drivers/base/platform.c:platform_match)', () => {
    const fw = firmware({}, [{ path: '/foo', compatible: ['v,foo'] }]);
    const r = run(scenario([
      builtin('m', [pdev('foo', { ofNode: '/foo' })]),
      platformDriverModule('foo', { ofMatch: ['v,foo'] }, 'module'),
      platformDriverModule('bar', {}, 'module'),
    ], { firmware: fw, udev: false, actions: [{ op: 'driver_override', device: 'foo', value: 'bar' }, { op: 'modprobe', module: 'foo' }, { op: 'modprobe', module: 'bar' }, { op: 'write', path: '/sys/bus/platform/drivers_probe', value: 'foo' }] }));
    expect(dev(r.final, 'foo')!.driver).toBe('bar');
    const m = r.sim.explain(r.sim.lastStep, '/devices/platform/foo');
    expect(m.find((x) => x.driver === 'foo')).toMatchObject({ matched: false, rule: 'driver_override' });
    expect(m.find((x) => x.driver === 'bar')).toMatchObject({ matched: true, rule: 'driver_override' });
  });

  it('platform_match: an OF compatible matches of_match_table without regard to case (of_compat_cmp is strcasecmp, include/linux/of.h)', () => {
    const fw = firmware({}, [{ path: '/foo', compatible: ['Vendor,Foo'] }]);
    const r = run(scenario([builtin('m', [pdev('foo', { ofNode: '/foo' })]), platformDriverModule('foo', { ofMatch: ['vendor,foo'] })], { firmware: fw, udev: false }));
    expect(dev(r.final, 'foo')!.driver).toBe('foo');
    const m = r.sim.explain(r.sim.lastStep, '/devices/platform/foo');
    expect(m.find((x) => x.driver === 'foo')).toMatchObject({ matched: true, rule: 'of_match_table' });
  });

  it("file2alias do_of_entry: whitespace in an of_match_table compatible is '_' in the alias, as of_modalias writes the MODALIAS", () => {
    expect(platformBus.aliases({ name: 'x', bus: 'platform', ofMatch: ['v,a b'] } as DriverDef, 'x')).toEqual(['of:N*T*Cv,a_b', 'of:N*T*Cv,a_bC*']);
  });

  it('driver_override writes: the value ends at the first newline or NUL, a leading newline clears it, PAGE_SIZE - 1 bytes are -EINVAL (driver_set_override, __device_set_driver_override)', () => {
    const write = (value: string) => {
      const r = run(scenario([builtin('m', [pdev('foo')])], { udev: false, actions: [{ op: 'write', path: '/sys/bus/platform/devices/foo/driver_override', value: 'keep' }, { op: 'write', path: '/sys/bus/platform/devices/foo/driver_override', value }] }));
      return { rc: r.sim.actionResults[1]!.rc, override: dev(r.final, 'foo')!.driverOverride };
    };
    expect(write('foo\nbar')).toEqual({ rc: 0, override: 'foo' });
    expect(write('foo\0\0\0')).toEqual({ rc: 0, override: 'foo' });
    expect(write('\n\n')).toEqual({ rc: 0, override: null });
    expect(write('')).toEqual({ rc: 0, override: null });
    // len >= PAGE_SIZE - 1 (4K pages): kernfs hands the store at most PAGE_SIZE bytes, so longer writes fail too
    expect(write('x'.repeat(4095))).toEqual({ rc: -22, override: 'keep' });
    expect(write('x'.repeat(4094))).toEqual({ rc: 0, override: 'x'.repeat(4094) });
  });

  it('platform_match: OF, then ACPI, then id_table, then name (drivers/base/platform.c:platform_match)', () => {
    const fw = firmware({}, [{ path: '/foo', compatible: ['v,foo'] }]);
    // every driver rejects in probe, so each one is matched (and explained) against the device
    const r = run(scenario([
      builtin('m', [pdev('foo', { ofNode: '/foo', acpiHid: 'ABCD0001' })], { initcall: 'late' }),
      { name: 'drivers', location: 'builtin', initcall: 'device', drivers: {
        viaof: { name: 'viaof', bus: 'platform', ofMatch: ['v,foo'], acpiMatch: ['ABCD0001'], idTable: ['foo'], probe: [ret('ENODEV')] },
        viaacpi: { name: 'viaacpi', bus: 'platform', ofMatch: ['v,other'], acpiMatch: ['ABCD0001'], idTable: ['foo'], probe: [ret('ENODEV')] },
        viaid: { name: 'viaid', bus: 'platform', acpiMatch: ['ABCD9999'], idTable: ['foo'], probe: [ret('ENODEV')] },
        foo: { name: 'foo', bus: 'platform', probe: [ret('ENODEV')] },
      }, init: [{ op: 'platform_driver_register', driver: 'viaof' }, { op: 'platform_driver_register', driver: 'viaacpi' }, { op: 'platform_driver_register', driver: 'viaid' }, { op: 'platform_driver_register', driver: 'foo' }] },
    ], { firmware: fw }));
    const rules = Object.fromEntries(r.sim.explain(r.sim.lastStep, '/devices/platform/foo').map((m) => [m.driver, [m.matched, m.rule]]));
    expect(rules).toEqual({ viaof: [true, 'of_match_table'], viaacpi: [true, 'acpi_match_table'], viaid: [true, 'id_table'], foo: [true, 'name'] });
  });

  it('platform_match: a driver with an id_table never falls back to its name (drivers/base/platform.c:platform_match)', () => {
    const r = run(scenario([builtin('m', [pdev('foo')]), platformDriverModule('foo', { idTable: ['something-else'] })]));
    expect(dev(r.final, 'foo')!.driver).toBeNull();
    const m = r.sim.explain(r.sim.lastStep, '/devices/platform/foo').find((x) => x.driver === 'foo')!;
    expect(m).toMatchObject({ matched: false, rule: 'id_table' });
  });

  it('platform_uevent: OF MODALIAS is of:N<name>T<type|(null)>C<compat>... (drivers/of/device.c:of_modalias)', () => {
    const fw = firmware({}, [{ path: '/soc/foo@10', compatible: ['v,foo', 'v,foo generic'] }, { path: '/bar', compatible: ['v,bar'], deviceType: 'serial' }]);
    const r = run(scenario([builtin('m', [pdev('foo', { ofNode: '/soc/foo@10' }), pdev('bar', { ofNode: '/bar' })])], { firmware: fw }));
    expect(dev(r.final, 'foo')!.modalias).toBe('of:NfooT(null)Cv,fooCv,foo_generic');
    expect(dev(r.final, 'bar')!.modalias).toBe('of:NbarTserialCv,bar');
  });

  it('platform_uevent: ACPI form when there is no OF node, else platform:<name> (drivers/base/platform.c:platform_uevent)', () => {
    const r = run(scenario([builtin('m', [pdev('foo', { acpiHid: 'ABCD0001' }), pdev('bar', { id: 2 })])]));
    expect(dev(r.final, 'foo')!.modalias).toBe('acpi:ABCD0001:');
    const add = r.uevents.find((u) => u.action === 'add' && u.devpath === '/devices/platform/bar.2')!;
    expect(env(add).MODALIAS).toBe('platform:bar');
  });

  it('platform_dev_groups: modalias and driver_override files; driver_override reads "(null)" when cleared (drivers/base/platform.c:driver_override_show)', () => {
    const r = run(scenario([builtin('m', [pdev('foo')])], { actions: [{ op: 'driver_override', device: 'foo', value: 'bar' }, { op: 'driver_override', device: 'foo', value: '\n' }] }));
    expect(r.final.sysfs).toEqual(expect.arrayContaining(['/sys/devices/platform/foo/modalias', '/sys/devices/platform/foo/driver_override']));
    const k = r.sim.kernel!;
    expect(sysfsRead(k, '/sys/devices/platform/foo/modalias').output).toEqual(['platform:foo']);
    expect(sysfsRead(k, '/sys/devices/platform/foo/driver_override').output).toEqual(['(null)']);
    const mid = r.sim.stateAt(r.sim.actionStarts[1]! - 1);
    expect(dev(mid, 'foo')!.driverOverride).toBe('bar');
    expect(dev(r.final, 'foo')!.driverOverride).toBeNull();
  });

  it('__platform_driver_probe: nothing bound → -ENODEV and the driver is unregistered (drivers/base/platform.c:__platform_driver_probe)', () => {
    const r = run(scenario([{ name: 'once', location: 'builtin', initcall: 'device', drivers: { once: { name: 'once', bus: 'platform' } }, init: [{ op: 'platform_driver_probe', driver: 'once' }] }]));
    expect(r.final.drivers.some((d) => d.name === 'once')).toBe(false);
    expect(hasErrno(r, ENODEV, '__platform_driver_probe')).toBe(true);
  });

  it('__platform_driver_probe: bound driver has no bind files, later devices get -ENXIO, deferral becomes -ENXIO (drivers/base/platform.c:platform_probe)', () => {
    const r = run(scenario([
      builtin('m', [pdev('once', { id: 1 })], { initcall: 'subsys' }),
      { name: 'once', location: 'builtin', initcall: 'device', drivers: { once: { name: 'once', bus: 'platform' } }, init: [{ op: 'platform_driver_probe', driver: 'once' }] },
      builtin('late', [pdev('once', { id: 2 })], { initcall: 'late' }),
      { name: 'deferonce', location: 'builtin', initcall: 'device', drivers: { d: { name: 'deferonce', bus: 'platform', probe: [{ op: 'defer_until', device: 'never' }] } }, init: [pdev('deferonce'), { op: 'platform_driver_probe', driver: 'd' }] },
    ]));
    expect(dev(r.final, 'once.1')!.driver).toBe('once');
    expect(r.final.sysfs).not.toContain('/sys/bus/platform/drivers/once/bind');
    expect(dev(r.final, 'once.2')!.driver).toBeNull();
    expect(r.events.some((e) => e.errno === ENXIO && e.cite.endsWith(':platform_probe'))).toBe(true);
    expect(r.final.log).toContain('deferonce deferonce: probe deferral not supported');
    expect(dev(r.final, 'deferonce')!.deferred).toBe(false);
  });
});

// ---- drivers/base/faux.c ---------------------------------------------------------------------

describe('faux bus', () => {
  const faux = (name: string, extra: Partial<Extract<KernelAction, { op: 'faux_device_create' }>> = {}): KernelAction => ({ op: 'faux_device_create', name, ...extra });

  it('faux_bus_init: /sys/devices/faux root (no uevent) and faux_driver without bind files (drivers/base/faux.c:faux_bus_init)', () => {
    const r = run(scenario([]));
    expect(r.final.sysfs).toContain('/sys/devices/faux');
    expect(r.final.sysfs).toContain('/sys/bus/faux/drivers/faux_driver');
    expect(r.final.sysfs).not.toContain('/sys/bus/faux/drivers/faux_driver/bind');
    expect(r.uevents.some((u) => u.devpath === '/devices/faux')).toBe(false);
  });

  it('faux_device_create_with_groups: device_set_pm_not_required() from 6.18 (1ad926459970): a power/ dir in 6.17, none in 6.18', () => {
    expect(run(scenario([builtin('m', [faux('thing')])], { version: '6.17' })).final.sysfs).toContain('/sys/devices/faux/thing/power');
    expect(run(scenario([builtin('m', [faux('thing')])], { version: '6.18' })).final.sysfs).not.toContain('/sys/devices/faux/thing/power');
  });

  it('faux_match: faux_driver binds every faux device; no MODALIAS in any uevent, no power/ dir in 6.18 (drivers/base/faux.c:faux_match)', () => {
    const r = run(scenario([builtin('m', [faux('thing')])], { version: '6.18' }));
    const d = dev(r.final, 'thing')!;
    expect(d.devpath).toBe('/devices/faux/thing');
    expect(d.driver).toBe('faux_driver');
    expect(d.modalias).toBeNull();
    for (const u of r.uevents.filter((x) => x.devpath === d.devpath)) expect(keys(u)).not.toContain('MODALIAS');
    expect(actionsFor(r, d.devpath)).toEqual(['add', 'bind']);
    expect(r.final.sysfs).not.toContain('/sys/devices/faux/thing/power');
    expect(r.final.sysfs).not.toContain('/sys/devices/faux/thing/modalias');
  });

  it('faux_device_create_with_groups: a non-NULL parent puts the device under the parent, not /sys/devices/faux (drivers/base/faux.c:faux_device_create_with_groups)', () => {
    const r = run(scenario([builtin('m', [pdev('holder'), faux('thing', { parent: 'holder' })])]));
    expect(dev(r.final, 'thing')).toMatchObject({ devpath: '/devices/platform/holder/thing', driver: 'faux_driver' });
    expect(r.final.sysfs).toContain('/sys/bus/faux/devices/thing -> ../../../devices/platform/holder/thing');
  });

  it('faux_device_create_with_groups: failed probe → KOBJ_ADD then KOBJ_REMOVE, NULL returned (drivers/base/faux.c:faux_device_create_with_groups)', () => {
    const r = run(scenario([loadable('m', [faux('bad', { probe: [ret('EINVAL')] })])], { actions: [{ op: 'modprobe', module: 'm' }] }));
    expect(actionsFor(r, '/devices/faux/bad')).toEqual(['add', 'remove']);
    expect(dev(r.final, 'bad')).toBeUndefined();
    expect(r.final.log).toContain('faux_driver bad: probe with driver faux_driver failed with error -22');
    expect(mod(r.final, 'm').state).toBe('failed');
  });

  it('faux_device_create_with_groups: -EPROBE_DEFER is not retried — the device is gone for good (drivers/base/faux.c:faux_device_create_with_groups)', () => {
    const r = run(scenario([
      builtin('m', [faux('waits', { probe: [{ op: 'defer_until', device: 'supplier' }], orReturn: 'ignore' })], { initcall: 'subsys' }),
      builtin('s', [pdev('supplier')], { drivers: { supplier: { name: 'supplier', bus: 'platform' } }, init: [pdev('supplier'), { op: 'platform_driver_register', driver: 'supplier' }] }),
    ]));
    expect(actionsFor(r, '/devices/faux/waits')).toEqual(['add', 'remove']);
    expect(dev(r.final, 'waits')).toBeUndefined();
    expect(dev(r.final, 'supplier')!.driver).toBe('supplier');
  });

  it('faux_device_create: a duplicate name fails (NULL) with no uevent for the second (drivers/base/faux.c:faux_device_create_with_groups)', () => {
    const r = run(scenario([builtin('m', [faux('dup'), faux('dup', { orReturn: 'ignore' })])]));
    expect(actionsFor(r, '/devices/faux/dup')).toEqual(['add', 'bind']);
    expect(hasErrno(r, EEXIST, 'device_add')).toBe(true);
  });

  it('faux bus: absent before Linux 6.14 — no root, no bus, faux_device_create fails (drivers/base/faux.c)', () => {
    const r = run(scenario([loadable('m', [faux('thing')])], { version: '6.13', actions: [{ op: 'modprobe', module: 'm' }] }));
    expect(r.final.sysfs).not.toContain('/sys/devices/faux');
    expect(r.final.sysfs).not.toContain('/sys/bus/faux');
    expect(dev(r.final, 'thing')).toBeUndefined();
    expect(mod(r.final, 'm').state).toBe('failed');
  });
});

// ---- drivers/base/auxiliary.c ----------------------------------------------------------------

describe('auxiliary bus', () => {
  const aux = (modname: string, name: string, extra: Partial<Extract<KernelAction, { op: 'auxiliary_device_create' }>> = {}): KernelAction => ({ op: 'auxiliary_device_create', modname, name, ...extra });
  /** platform device "parent" bound by a driver whose probe runs `probe` */
  const parentWith = (probe: KernelAction[], remove: KernelAction[] = []): ModuleDef[] => [
    builtin('pmaker', [pdev('parent')], { initcall: 'subsys' }),
    platformDriverModule('parent', { probe, remove }),
  ];

  it('auxiliary_device_init: a NULL parent is -EINVAL (drivers/base/auxiliary.c:auxiliary_device_init)', () => {
    const r = run(scenario([loadable('m', [aux('m', 'x')])], { actions: [{ op: 'modprobe', module: 'm' }] }));
    expect(hasErrno(r, EINVAL, 'auxiliary_device_init')).toBe(true);
    expect(r.final.devices.some((d) => d.bus === 'auxiliary')).toBe(false);
  });

  it('__auxiliary_device_add: named modname.name.id under the parent, linked in /sys/bus/auxiliary (drivers/base/auxiliary.c:__auxiliary_device_add)', () => {
    const r = run(scenario(parentWith([aux('mymod', 'thing', { id: 3 })])));
    const d = dev(r.final, 'mymod.thing.3')!;
    expect(d.devpath).toBe('/devices/platform/parent/mymod.thing.3');
    expect(d.parent).toBe('/devices/platform/parent');
    expect(r.final.sysfs).toContain('/sys/bus/auxiliary/devices/mymod.thing.3 -> ../../../devices/platform/parent/mymod.thing.3');
  });

  it('__auxiliary_device_add: the same modname.name.id twice is -EEXIST (drivers/base/auxiliary.c:__auxiliary_device_add)', () => {
    const r = run(scenario(parentWith([aux('mymod', 'thing'), aux('mymod', 'thing', { orReturn: 'ignore' })])));
    expect(hasErrno(r, EEXIST, 'device_add')).toBe(true);
    expect(actionsFor(r, '/devices/platform/parent/mymod.thing.0')).toEqual(['add']);
  });

  it('auxiliary_uevent: MODALIAS=auxiliary:modname.name; no modalias or driver_override file (drivers/base/auxiliary.c:auxiliary_uevent)', () => {
    const r = run(scenario(parentWith([aux('mymod', 'thing')])));
    const add = r.uevents.find((u) => u.action === 'add' && u.devpath.endsWith('/mymod.thing.0'))!;
    expect(env(add).MODALIAS).toBe('auxiliary:mymod.thing');
    expect(r.final.sysfs.some((p) => p.startsWith('/sys/devices/platform/parent/mymod.thing.0/modalias'))).toBe(false);
    expect(r.final.sysfs.some((p) => p.startsWith('/sys/devices/platform/parent/mymod.thing.0/driver_override'))).toBe(false);
  });

  it('auxiliary_match_id: the id must equal the device name up to its last "." (drivers/base/auxiliary.c:auxiliary_match_id)', () => {
    const r = run(scenario([
      ...parentWith([aux('mod', 'a.b')]),
      { name: 'short', location: 'builtin', initcall: 'late', drivers: { d: { bus: 'auxiliary', idTable: ['mod.a'], probe: [] } }, init: [{ op: 'auxiliary_driver_register', driver: 'd' }] },
      { name: 'full', location: 'builtin', initcall: 'late', drivers: { d: { bus: 'auxiliary', idTable: ['mod.a.b'], probe: [] } }, init: [{ op: 'auxiliary_driver_register', driver: 'd' }] },
    ]));
    expect(dev(r.final, 'mod.a.b.0')!.driver).toBe('full');
    const m = Object.fromEntries(r.sim.explain(r.sim.lastStep, '/devices/platform/parent/mod.a.b.0').map((x) => [x.driver, x.matched]));
    expect(m).toEqual({ short: false, full: true });
  });

  it('__auxiliary_driver_register: driver named modname, or modname.name when .name is set (drivers/base/auxiliary.c:__auxiliary_driver_register)', () => {
    const r = run(scenario([{ name: 'mymod', location: 'builtin', drivers: { a: { bus: 'auxiliary', idTable: ['x.y'], probe: [] }, b: { name: 'extra', bus: 'auxiliary', idTable: ['x.z'], probe: [] } }, init: [{ op: 'auxiliary_driver_register', driver: 'a' }, { op: 'auxiliary_driver_register', driver: 'b' }] }]));
    expect(r.final.drivers.filter((d) => d.bus === 'auxiliary').map((d) => d.name).sort()).toEqual(['mymod', 'mymod.extra']);
  });

  it('__auxiliary_driver_register: probe and id_table are mandatory, else -EINVAL (drivers/base/auxiliary.c:__auxiliary_driver_register)', () => {
    const r = run(scenario([
      { name: 'noprobe', location: 'builtin', drivers: { d: { bus: 'auxiliary', idTable: ['x.y'] } }, init: [{ op: 'auxiliary_driver_register', driver: 'd' }] },
      { name: 'notable', location: 'builtin', drivers: { d: { bus: 'auxiliary', probe: [] } }, init: [{ op: 'auxiliary_driver_register', driver: 'd' }] },
    ]));
    expect(r.events.filter((e) => e.errno === EINVAL && e.cite.endsWith(':__auxiliary_driver_register'))).toHaveLength(2);
    expect(r.final.drivers.some((d) => d.bus === 'auxiliary')).toBe(false);
  });

  it('driver_register: a second unnamed auxiliary driver in the same module collides on "modname": -EBUSY (drivers/base/driver.c:driver_register)', () => {
    const r = run(scenario([{ name: 'mymod', location: 'builtin', drivers: { a: { bus: 'auxiliary', idTable: ['x.y'], probe: [] }, b: { bus: 'auxiliary', idTable: ['x.z'], probe: [] } }, init: [{ op: 'auxiliary_driver_register', driver: 'a' }, { op: 'auxiliary_driver_register', driver: 'b', orReturn: 'ignore' }] }]));
    expect(hasErrno(r, EBUSY, 'driver_register')).toBe(true);
    expect(r.final.drivers.filter((d) => d.bus === 'auxiliary').map((d) => d.name)).toEqual(['mymod']);
  });

  /** parent driver creates a devm child; child bound by an auxiliary driver; both remove() log */
  const devmFamily = () => [
    ...parentWith([aux('kid', 'dev', { devm: true })], [log('parent remove')]),
    { name: 'kid', location: 'builtin' as const, initcall: 'device' as const, drivers: { d: { bus: 'auxiliary', idTable: ['kid.dev'], probe: [], remove: [log('child remove')] } }, init: [{ op: 'auxiliary_driver_register' as const, driver: 'd' }] },
  ];
  const P = '/devices/platform/parent';
  const C = `${P}/kid.dev.0`;
  const teardownOrder = (r: Run) => {
    const at = (pred: (e: TraceEvent) => boolean) => r.events.findIndex(pred);
    const parentRemove = at((e) => e.log?.endsWith('parent remove') ?? false);
    const childUnbind = ueventIndex(r, 'unbind', C);
    const childRemove = ueventIndex(r, 'remove', C);
    const childDrvRemove = at((e) => e.log?.endsWith('child remove') ?? false);
    const parentUnbind = ueventIndex(r, 'unbind', P);
    expect(parentRemove).toBeGreaterThan(-1);
    expect([parentRemove < childDrvRemove, childDrvRemove < childUnbind, childUnbind < childRemove, childRemove < parentUnbind]).toEqual([true, true, true, true]);
  };

  it('devm_auxiliary_device_create: parent unbind → parent remove, child unbind, child remove, parent unbind (drivers/base/dd.c:__device_release_driver)', () => {
    const r = run(scenario(devmFamily(), { actions: [{ op: 'unbind', device: 'parent' }] }));
    expect(dev(r.final, 'kid.dev.0')).toBeUndefined();
    expect(dev(r.final, 'parent')!.driver).toBeNull();
    teardownOrder(r);
  });

  it('devm_auxiliary_device_create: parent device deletion tears down in the same order (drivers/base/core.c:device_del)', () => {
    const r = run(scenario(devmFamily(), { actions: [{ op: 'remove_device', device: 'parent' }] }));
    expect(dev(r.final, 'parent')).toBeUndefined();
    teardownOrder(r);
    expect(ueventIndex(r, 'remove', C)).toBeLessThan(ueventIndex(r, 'remove', P));
  });

  it('auxiliary_device_create: the child inherits the parent\'s OF node (OF_* vars) but keeps MODALIAS=auxiliary: (drivers/base/auxiliary.c:auxiliary_device_create)', () => {
    const fw = firmware({}, [{ path: '/smccc', compatible: ['arm,smccc'] }]);
    const r = run(scenario([
      builtin('pmaker', [pdev('parent', { ofNode: '/smccc' })], { initcall: 'subsys' }),
      platformDriverModule('parent', { ofMatch: ['arm,smccc'], probe: [aux('kid', 'dev')] }),
    ], { firmware: fw }));
    const add = r.uevents.find((u) => u.action === 'add' && u.devpath === C)!;
    expect(env(add)).toMatchObject({ OF_FULLNAME: '/smccc', OF_COMPATIBLE_0: 'arm,smccc', MODALIAS: 'auxiliary:kid.dev' });
    expect(dev(r.final, 'kid.dev.0')!.ofNode).toBe('/smccc');
  });
});

// ---- udev / kmod / module loading ------------------------------------------------------------

describe('userspace: udev, kmod, modules', () => {
  it('builtin_kmod: an add uevent\'s MODALIAS loads the module whose alias matches (udev-builtin-kmod.c:builtin_kmod)', () => {
    const r = run(scenario([builtin('m', [pdev('foo')]), platformDriverModule('foodrv', { idTable: ['foo'] }, 'module')]));
    expect(mod(r.final, 'foodrv')).toMatchObject({ state: 'loaded', loadedBy: 'platform:foo' });
    expect(mod(r.final, 'foodrv').aliases).toContain('platform:foo');
    expect(dev(r.final, 'foo')!.driver).toBe('foodrv');
  });

  it('builtin_kmod: a built-in driver needs no load; an absent module never loads (udev-builtin-kmod.c:builtin_kmod)', () => {
    const r = run(scenario([builtin('m', [pdev('foo'), pdev('bar')]), platformDriverModule('foo'), platformDriverModule('bar', {}, 'absent')]));
    expect(mod(r.final, 'foo').state).toBe('builtin');
    expect(dev(r.final, 'foo')!.driver).toBe('foo');
    expect(mod(r.final, 'bar').state).toBe('not-loaded');
    expect(dev(r.final, 'bar')!.driver).toBeNull();
  });

  it('udevadm trigger: with udev not running nothing loads until udev starts; coldplug replays add with SYNTH_UUID (udevadm-trigger.c)', () => {
    const r = run(scenario([builtin('m', [pdev('foo')]), platformDriverModule('foo', {}, 'module')], { udev: false, actions: [{ op: 'udev_start' }] }));
    const before = r.sim.stateAt(r.sim.actionStarts[0]! - 1);
    expect(mod(before, 'foo').state).toBe('not-loaded');
    expect(mod(r.final, 'foo').state).toBe('loaded');
    const synth = r.uevents.filter((u) => u.devpath === '/devices/platform/foo' && u.action === 'add');
    expect(synth).toHaveLength(2);
    expect(env(synth[1]!).SYNTH_UUID).toBe('0');
  });

  it('80-drivers.rules: only ACTION=add loads modules — a change uevent with MODALIAS does not (udev-builtin-kmod.c:builtin_kmod)', () => {
    const r = run(scenario([builtin('m', [pdev('foo')]), platformDriverModule('foo', {}, 'module')], {
      udev: false,
      actions: [{ op: 'udev_start' }, { op: 'rmmod', module: 'foo' }, { op: 'write', path: '/sys/devices/platform/foo/uevent', value: 'change' }],
    }));
    const change = r.uevents.find((u) => u.action === 'change')!;
    expect(env(change).MODALIAS).toBe('platform:foo');
    expect(mod(r.final, 'foo').state).toBe('not-loaded');
  });

  it('do_init_module: /module/X KOBJ_ADD after everything its init caused; KOBJ_REMOVE last on rmmod (kernel/module/main.c:do_init_module)', () => {
    const r = run(scenario([builtin('m', [pdev('foo')]), platformDriverModule('foo', {}, 'module')], { actions: [{ op: 'rmmod', module: 'foo' }] }));
    const modAdd = ueventIndex(r, 'add', '/module/foo');
    expect(modAdd).toBeGreaterThan(ueventIndex(r, 'add', '/bus/platform/drivers/foo'));
    expect(modAdd).toBeGreaterThan(ueventIndex(r, 'bind', '/devices/platform/foo'));
    const modRemove = ueventIndex(r, 'remove', '/module/foo');
    expect(modRemove).toBeGreaterThan(ueventIndex(r, 'unbind', '/devices/platform/foo'));
    expect(modRemove).toBeGreaterThan(ueventIndex(r, 'remove', '/bus/platform/drivers/foo'));
    expect(r.uevents.at(-1)!.devpath).toBe('/module/foo');
  });

  it('do_init_module: a failing module_init leaves the module "failed" with no /module uevent (kernel/module/main.c:do_init_module)', () => {
    const r = run(scenario([loadable('bad', [ret('ENODEV')])], { actions: [{ op: 'modprobe', module: 'bad' }] }));
    expect(mod(r.final, 'bad').state).toBe('failed');
    expect(r.uevents.some((u) => u.devpath === '/module/bad')).toBe(false);
  });
});

// ---- firmware: PSCI / SMCCC / RSI ------------------------------------------------------------

describe('firmware discovery', () => {
  const psciNode = (compatible: string[], method?: string): DtNode => ({ path: '/psci', compatible, ...(method !== undefined ? { method } : {}) });
  const facts = (fw: FirmwareDef) => run(scenario([], { firmware: fw })).final.facts;
  const dtFw = (node: DtNode, psci: string, smccc: string): FirmwareDef => ({ description: 'dt', dt: [node], psciVersion: psci, smcccVersion: smccc, services: { rsi: { version: '1.0' } } });

  it('psci_0_1_init: plain arm,psci uses DT function IDs and never probes SMCCC (drivers/firmware/psci/psci.c:psci_0_1_init)', () => {
    const f = facts(dtFw(psciNode(['arm,psci'], 'smc'), '1.1', '1.2'));
    expect(f).toMatchObject({ psci: true, smcccVersion: '1.0', conduit: 'NONE', rsi: false });
  });

  it('psci_probe: arm,psci-0.2 with 0.2 firmware skips SMCCC discovery → conduit NONE → no RSI (drivers/firmware/psci/psci.c:psci_probe)', () => {
    const f = facts(dtFw(psciNode(['arm,psci-0.2'], 'smc'), '0.2', '1.2'));
    expect(f).toMatchObject({ psci: true, psciVersion: '0.2', smcccVersion: '1.0', conduit: 'NONE', rsi: false });
  });

  it('psci_probe: SMCCC discovery follows the firmware-reported version, not the compatible (drivers/firmware/psci/psci.c:psci_probe)', () => {
    const f = facts(dtFw(psciNode(['arm,psci-0.2'], 'smc'), '1.1', '1.2'));
    expect(f).toMatchObject({ smcccVersion: '1.2', conduit: 'SMC', rsi: true });
  });

  it('psci_init_smccc: PSCI 1.x with SMCCC >= 1.1 records version and conduit; RSI found over SMC (drivers/firmware/psci/psci.c:psci_init_smccc)', () => {
    const f = facts(dtFw(psciNode(['arm,psci-1.0'], 'smc'), '1.1', '1.1'));
    expect(f).toMatchObject({ psciVersion: '1.1', smcccVersion: '1.1', conduit: 'SMC', rsi: true });
  });

  it('arm_smccc_1_1_get_conduit: conduit reads NONE below SMCCC 1.1 (drivers/firmware/smccc/smccc.c:arm_smccc_1_1_get_conduit)', () => {
    const f = facts(dtFw(psciNode(['arm,psci-1.0'], 'smc'), '1.1', '1.0'));
    expect(f).toMatchObject({ psci: true, smcccVersion: '1.0', conduit: 'NONE', rsi: false });
  });

  it('get_set_conduit_method: missing "method" is -ENXIO, another value is -EINVAL (drivers/firmware/psci/psci.c:get_set_conduit_method)', () => {
    const missing = run(scenario([], { firmware: dtFw(psciNode(['arm,psci-1.0']), '1.1', '1.2') }));
    expect(missing.events.some((e) => e.errno === ENXIO && e.cite.endsWith(':get_set_conduit_method'))).toBe(true);
    expect(missing.final.facts).toMatchObject({ psci: false, conduit: 'NONE' });
    const bad = run(scenario([], { firmware: dtFw(psciNode(['arm,psci-1.0'], 'svc'), '1.1', '1.2') }));
    expect(bad.events.some((e) => e.errno === EINVAL && e.cite.endsWith(':get_set_conduit_method'))).toBe(true);
    expect(bad.final.facts).toMatchObject({ psci: false, conduit: 'NONE' });
  });

  it('psci_acpi_init: the FADT PSCI_USE_HVC flag selects HVC; RSI needs SMC, so none (drivers/firmware/psci/psci.c:psci_acpi_init)', () => {
    const acpi = (hvc: boolean): FirmwareDef => ({ description: 'acpi', acpi: { psciCompliant: true, psciUseHvc: hvc }, psciVersion: '1.1', smcccVersion: '1.2', services: { rsi: { version: '1.0' } } });
    expect(facts(acpi(true))).toMatchObject({ firmware: 'acpi', conduit: 'HVC', rsi: false });
    expect(facts(acpi(false))).toMatchObject({ conduit: 'SMC', rsi: true });
  });

  it('psci_acpi_init: FADT without PSCI_COMPLIANT is -EOPNOTSUPP (drivers/firmware/psci/psci.c:psci_acpi_init)', () => {
    const r = run(scenario([], { firmware: { description: 'acpi', acpi: { psciCompliant: false, psciUseHvc: false }, psciVersion: '1.1', smcccVersion: '1.2', services: {} } }));
    expect(r.events.some((e) => e.errno === -95 && e.cite.endsWith(':psci_acpi_init'))).toBe(true);
    expect(r.final.facts).toMatchObject({ psci: false, conduit: 'NONE' });
  });

  it('psci_probe: firmware reporting PSCI < 0.2 on the 0.2+ path is -EINVAL ("Conflicting PSCI version detected.") (drivers/firmware/psci/psci.c:psci_probe)', () => {
    const r = run(scenario([], { firmware: dtFw(psciNode(['arm,psci-0.2'], 'smc'), '0.1', '1.2') }));
    expect(r.events.some((e) => e.errno === EINVAL && e.cite.endsWith(':psci_probe'))).toBe(true);
    expect(r.final.log).toContain('psci: Conflicting PSCI version detected.');
    expect(r.final.facts).toMatchObject({ psci: false, conduit: 'NONE', rsi: false });
  });

  it('arm64_rsi_init: RSI needs the SMC conduit — a DT "hvc" method finds no Realm (arch/arm64/kernel/rsi.c:arm64_rsi_init)', () => {
    const f = facts(dtFw(psciNode(['arm,psci-1.0'], 'hvc'), '1.1', '1.2'));
    expect(f).toMatchObject({ conduit: 'HVC', smcccVersion: '1.2', rsi: false });
  });
});

// ---- TSM -------------------------------------------------------------------------------------

describe('TSM', () => {
  it('tsm_report_register: a second provider is -EBUSY (drivers/virt/coco/guest/report.c:tsm_report_register)', () => {
    const r = run(scenario([builtin('first', [{ op: 'tsm_report_register' }]), loadable('second', [{ op: 'tsm_report_register' }])], { actions: [{ op: 'modprobe', module: 'second' }] }));
    expect(r.final.tsm.reportProvider).toBe('first');
    expect(hasErrno(r, EBUSY, 'tsm_report_register')).toBe(true);
    expect(mod(r.final, 'second').state).toBe('failed');
  });

  it('tsm_register: the tsm class exists only from 6.19 (drivers/virt/coco/tsm-core.c:tsm_register)', () => {
    const mods = [builtin('pmaker', [pdev('host')], { initcall: 'subsys' }), platformDriverModule('host', { probe: [{ op: 'tsm_register' }] })];
    const old = run(scenario(mods, { version: '6.18' }));
    expect(old.final.tsm.classDevices).toEqual([]);
    expect(old.final.sysfs.some((p) => p.startsWith('/sys/class/tsm'))).toBe(false);
    const neu = run(scenario(mods, { version: '6.19' }));
    expect(neu.final.tsm.classDevices).toEqual(['/devices/platform/host/tsm/tsm0']);
    expect(neu.final.sysfs).toContain('/sys/class/tsm/tsm0 -> ../../devices/platform/host/tsm/tsm0');
  });
});
