/**
 * Behaviour that changed between kernel versions, gated by `kernel.version` as the kernel source
 * of each version has it (src/engine/core/versions.ts; docs/research/version-gates.md).
 */
import { describe, expect, it } from 'vitest';
import { Simulation, type Scenario } from '../index';
import type { KernelAction, ModuleDef } from '../scenario/schema';

function scenario(version: string, modules: ModuleDef[], extra: Partial<Scenario> = {}): Scenario {
  return {
    id: 'gates', title: 'gates', kernel: { version }, udev: { running: true }, modules,
    firmware: { description: 'dt', dt: [{ path: '/psci', compatible: ['arm,psci-1.0', 'arm,psci-0.2', 'arm,psci'], method: 'smc' }], psciVersion: '1.1', smcccVersion: '1.2', services: { rsi: { version: '1.0' } } },
    ...extra,
  };
}
const builtin = (name: string, init: KernelAction[], extra: Partial<ModuleDef> = {}): ModuleDef => ({ name, location: 'builtin', initcall: 'device', init, ...extra });
function end(s: Scenario) {
  const sim = new Simulation(s);
  expect(sim.errors).toEqual([]);
  return sim.stateAt(sim.lastStep);
}

/** a platform driver whose probe fails with -EINVAL, and its device */
const failing = (version: string) => scenario(version, [builtin('m', [
  { op: 'platform_device_register_simple', name: 'foo', id: 'NONE' },
  { op: 'platform_driver_register', driver: 'd' },
], { drivers: { d: { name: 'foo-drv', bus: 'platform', idTable: ['foo'], probe: [{ op: 'return', errno: 'EINVAL' }] } } })]);

describe('kernel version gates', () => {
  it('call_driver_probe: pr_warn "<drv>: probe of <dev> failed" before 6.9, dev_err "probe with driver" from 6.9 (32de4b4f9dfa)', () => {
    expect(end(failing('6.1')).log).toContain('foo-drv: probe of foo failed with error -22');
    expect(end(failing('6.8')).log).toContain('foo-drv: probe of foo failed with error -22');
    expect(end(failing('6.9')).log).toContain('foo-drv foo: probe with driver foo-drv failed with error -22');
    expect(end(failing('7.4')).log).not.toContain('foo-drv: probe of foo failed with error -22');
  });

  it('kobject_add_internal: the -EEXIST message has the "kobject: " prefix from 6.4 (984063339e9e)', () => {
    const dup = (v: string) => scenario(v, [builtin('m', [
      { op: 'platform_device_register_simple', name: 'foo', id: 'NONE', orReturn: 'ignore' },
      { op: 'platform_device_register_simple', name: 'foo', id: 'NONE', orReturn: 'ignore' },
    ])]);
    const msg = "kobject_add_internal failed for foo with -EEXIST, don't try to register things with the same name in the same directory.";
    expect(end(dup('6.1')).log).toContain(msg);
    expect(end(dup('6.18')).log).toContain(`kobject: ${msg}`);
  });

  it('bus_register: kset_register() sends KOBJ_ADD for /bus/<name> with SUBSYSTEM=bus and nothing else (drivers/base/bus.c)', () => {
    const s = scenario('7.4', [{ name: 'b', location: 'builtin', initcall: 'subsys', init: [{ op: 'bus_register', bus: 'mybus' }] }], {
      buses: [{ name: 'mybus', match: 'name', modaliasPrefix: 'mybus:' }],
    });
    const u = end(s).uevents.filter((x) => x.devpath === '/bus/mybus');
    expect(u.map((x) => x.env.map(([k]) => k))).toEqual([['ACTION', 'DEVPATH', 'SUBSYSTEM', 'SEQNUM']]);
    expect(u[0]).toMatchObject({ action: 'add', subsystem: 'bus' });
    // the kernel's own buses, at driver_init()
    expect(end(s).uevents.filter((x) => x.subsystem === 'bus').map((x) => x.devpath)).toEqual(['/bus/faux', '/bus/platform', '/bus/auxiliary', '/bus/mybus']);
  });

  it('faux exists from 6.14, auxiliary_device_create from 6.16, tsm_register from 6.19: earlier kernels refuse the call', () => {
    const s = (v: string, a: KernelAction) => end(scenario(v, [builtin('m', [{ op: 'platform_device_register_simple', name: 'p', id: 'NONE' }, a])]));
    expect(s('6.13', { op: 'faux_device_create', name: 'x', orReturn: 'ignore' }).devices.some((d) => d.name === 'x')).toBe(false);
    expect(s('6.14', { op: 'faux_device_create', name: 'x', orReturn: 'ignore' }).devices.some((d) => d.name === 'x')).toBe(true);
    expect(s('6.15', { op: 'auxiliary_device_create', parent: 'p', modname: 'm', name: 'c', orReturn: 'ignore' }).devices.some((d) => d.name === 'm.c.0')).toBe(false);
    expect(s('6.16', { op: 'auxiliary_device_create', parent: 'p', modname: 'm', name: 'c', orReturn: 'ignore' }).devices.some((d) => d.name === 'm.c.0')).toBe(true);
    expect(s('6.18', { op: 'tsm_register', parent: 'p', orReturn: 'ignore' }).tsm.classDevices).toEqual([]);
    expect(s('6.19', { op: 'tsm_register', parent: 'p', orReturn: 'ignore' }).tsm.classDevices).toEqual(['/devices/platform/p/tsm/tsm0']);
  });

  it('faux_driver: bind/unbind files until 6.16 (c393befa14ab), so userspace could unbind a faux device there; none from 6.16', () => {
    const unbind = (v: string) => {
      const sim = new Simulation(scenario(v, [builtin('m', [{ op: 'faux_device_create', name: 'x' }])], {
        actions: [{ op: 'write', path: '/sys/bus/faux/drivers/faux_driver/unbind', value: 'x' }],
      }));
      expect(sim.errors).toEqual([]);
      return { rc: sim.actionResults[0]!.rc, driver: sim.stateAt(sim.lastStep).devices.find((d) => d.name === 'x')?.driver ?? null };
    };
    expect(unbind('6.15')).toEqual({ rc: 0, driver: null });
    expect(unbind('6.16').rc).toBeLessThan(0);
    expect(unbind('6.16').driver).toBe('faux_driver');
  });

  it('a faux probe that fails: the device stays on 6.14.0 (21b0dc55bed6 is 6.15), is torn down with a dev_err on 6.15, quietly from 6.16 (ff53a6e24728)', () => {
    const s = (v: string) => end(scenario(v, [builtin('m', [{ op: 'faux_device_create', name: 'x', probe: [{ op: 'return', errno: 'ENODEV' }], orReturn: 'ignore' }])]));
    const line = 'faux x: probe did not succeed, tearing down the device';
    const at614 = s('6.14');
    expect(at614.devices.find((d) => d.name === 'x')).toMatchObject({ driver: null });
    expect(at614.log).not.toContain(line);
    expect(s('6.15').devices.some((d) => d.name === 'x')).toBe(false);
    expect(s('6.15').log).toContain(line);
    expect(s('6.16').devices.some((d) => d.name === 'x')).toBe(false);
    expect(s('6.16').log).not.toContain(line);
  });

  it("modules.builtin.modinfo: a built-in driver's device-table alias is there from 6.18 (kbuild 6.18), only MODULE_ALIAS before", () => {
    const note = (v: string) => {
      const sim = new Simulation(scenario(v, [
        builtin('board', [{ op: 'platform_device_register_simple', name: 'foo', id: 'NONE' }], { initcall: 'arch' }),
        builtin('foo_drv', [{ op: 'platform_driver_register', driver: 'd' }], { drivers: { d: { name: 'foo', bus: 'platform', idTable: ['foo'], probe: [] } } }),
      ]));
      expect(sim.errors).toEqual([]);
      return sim.summary().events.find((e) => e.text.startsWith('udev: add /devices/platform/foo: kmod load platform:foo'))?.text;
    };
    expect(note('6.1')).toContain('no module in modules.alias matches');
    expect(note('6.18')).toContain('foo_drv');
    expect(note('6.18')).not.toContain('no module in modules.alias matches');
  });

  it('tsm_register with PCI ops: tsmN add, then KOBJ_CHANGE after pci_tsm_register (tsm-core.c:tsm_register_pci_or_reset); without, no change', () => {
    const s = (pciOps: boolean) => end(scenario('7.0', [builtin('m', [{ op: 'platform_device_register_simple', name: 'p', id: 'NONE' }, { op: 'tsm_register', parent: 'p', pciOps }])]));
    expect(s(true).uevents.filter((u) => u.devpath === '/devices/platform/p/tsm/tsm0' && !u.env.some(([k]) => k === 'SYNTH_UUID')).map((u) => `${u.action} ${u.subsystem}`)).toEqual(['add tsm', 'change tsm']);
    expect(s(false).uevents.filter((u) => u.devpath === '/devices/platform/p/tsm/tsm0' && !u.env.some(([k]) => k === 'SYNTH_UUID')).map((u) => u.action)).toEqual(['add']);
  });

  it('rsi_version_matches: "RME: Using RSI version 1.0" in a Realm; the supported-range error for an RMM without 1.0 (6.13+)', () => {
    expect(end(scenario('7.0', [])).log).toContain('RME: Using RSI version 1.0');
    const two = scenario('7.0', []);
    two.firmware.services.rsi = { version: '2.0' };
    expect(end(two).log).toContain("RME: RMM doesn't support RSI version 1.0. Supported range: 2.0-2.0");
    expect(end(scenario('6.1', [])).log.some((l) => l.startsWith('RME:'))).toBe(false);
  });

  it('tsm_report_register: -EBUSY names the provider already registered, with the "tsm_report: " prefix (guest/report.c)', () => {
    const s = scenario('7.0', [builtin('first', [{ op: 'tsm_report_register' }]), builtin('second', [{ op: 'tsm_report_register', orReturn: 'ignore' }])]);
    expect(end(s).log).toContain('tsm_report: "first" ops already registered');
  });
});
