/**
 * Design-level behaviours a reviewer checks by hand: a parent unbound and rebound, the arm_smccc
 * bus series' own choices, /sys/module for built-in drivers, modules that cannot be unloaded.
 */
import { describe, expect, it } from 'vitest';
import { Simulation, getBuiltinScenario, type Scenario, type UserAction } from '../index';

function run(s: Scenario, actions: UserAction[] = []) {
  const sim = new Simulation({ ...s, actions });
  expect(sim.errors).toEqual([]);
  return { sim, end: sim.stateAt(sim.lastStep), events: sim.summary().events };
}

describe('auxiliary design: unbinding and rebinding the arm-smccc parent (drivers/base/dd.c:__device_release_driver)', () => {
  const unbind: UserAction = { op: 'write', path: '/sys/bus/platform/drivers/arm-smccc/unbind', value: 'arm-smccc\n' };
  const bind: UserAction = { op: 'write', path: '/sys/bus/platform/drivers/arm-smccc/bind', value: 'arm-smccc\n' };
  it('the child driver\'s remove() tears down tsm0 itself: no leaked-child error, provider released', () => {
    const { end, events, sim } = run(getBuiltinScenario('auxiliary'), [unbind]);
    const from = sim.actionStarts[0]!;
    expect(events.slice(from).filter((e) => e.kind === 'error')).toEqual([]);
    expect(end.tsm).toEqual({ reportProvider: null, classDevices: [] });
    expect(end.devices.find((d) => d.name === 'arm_cca_guest.arm-rsi-dev.0')).toBeUndefined();
  });
  it('rebinding recreates the child, which binds again and registers the provider and tsm0 again', () => {
    const { end, events, sim } = run(getBuiltinScenario('auxiliary'), [unbind, bind]);
    expect(events.slice(sim.actionStarts[0]!).filter((e) => e.kind === 'error')).toEqual([]);
    expect(end.devices.find((d) => d.name === 'arm_cca_guest.arm-rsi-dev.0')!.driver).toBe('arm_cca_guest');
    expect(end.tsm.reportProvider).toBe('arm_cca_guest');
    expect(end.tsm.classDevices).toEqual(['/devices/platform/arm-smccc/arm_cca_guest.arm-rsi-dev.0/tsm/tsm0']);
    expect(sim.actionResults.map((r) => r?.rc)).toEqual([0, 0]);
  });
});

describe('arm_smccc bus series (v6/v7)', () => {
  it('an RMM with an unsupported RSI version: the device exists (the call answers), the module loads, the probe rejects it silently', () => {
    const s = getBuiltinScenario('smccc-bus');
    s.firmware.services.rsi = { version: '2.0' };
    const { end } = run(s);
    const rsi = end.devices.find((d) => d.bus === 'arm_smccc' && d.name.startsWith('arm-rsi-dev-'))!;
    expect(rsi).toMatchObject({ driver: null, modalias: 'arm_smccc:arm-rsi-dev' });
    expect(end.modules.find((m) => m.name === 'arm_cca_guest')).toMatchObject({ state: 'loaded', loadedBy: 'arm_smccc:arm-rsi-dev' });
    expect(end.log.some((l) => /probe with driver arm_cca_guest failed/.test(l))).toBe(false);
    expect(end.tsm.reportProvider).toBeNull();
  });
  it('userspace detects a Realm through /sys/firmware/cca/realm_guest, not arm-cca-dev', () => {
    const realm = run(getBuiltinScenario('smccc-bus'), [{ op: 'read', path: '/sys/firmware/cca/realm_guest' }]);
    expect(realm.sim.actionResults[0]).toEqual({ rc: 0, output: ['1'] });
    expect(realm.end.devices.some((d) => d.name === 'arm-cca-dev')).toBe(false);
    const plain = run(getBuiltinScenario('smccc-bus-nonrealm'), [{ op: 'read', path: '/sys/firmware/cca/realm_guest' }]);
    expect(plain.sim.actionResults[0]).toEqual({ rc: 0, output: ['0'] });
  });
  it('the TSM report provider is released by a devm action after remove(), on unbind', () => {
    const { end, events, sim } = run(getBuiltinScenario('smccc-bus'), [{ op: 'unbind', device: 'arm-rsi-dev-2', bus: 'arm_smccc' }]);
    const tail = events.slice(sim.actionStarts[0]!);
    const devm = tail.findIndex((e) => e.text.startsWith('devres: running the devm action'));
    const unreg = tail.findIndex((e) => e.kind === 'tsm' && /tsm_report_unregister/.test(e.text));
    expect(devm).toBeGreaterThan(-1);
    expect(unreg).toBeGreaterThan(devm);
    expect(end.tsm.reportProvider).toBeNull();
  });
});

describe('modules in sysfs (drivers/base/module.c:module_add_driver, kernel/module/main.c)', () => {
  it('a built-in auxiliary driver still gets /sys/module links through drv->mod_name', () => {
    const { end } = run(getBuiltinScenario('auxiliary-builtin'));
    expect(end.sysfs).toContain('/sys/module/arm_cca_guest/drivers/auxiliary:arm_cca_guest -> ../../../bus/auxiliary/drivers/arm_cca_guest');
    expect(end.sysfs).toContain('/sys/bus/auxiliary/drivers/arm_cca_guest/module -> ../../../../module/arm_cca_guest');
  });
  it('a built-in platform driver sets no mod_name: no /sys/module link', () => {
    const { end } = run(getBuiltinScenario('auxiliary'));
    expect(end.sysfs.some((p) => p.startsWith('/sys/bus/platform/drivers/arm-smccc/module'))).toBe(false);
  });
  it('/sys/module/<m> exists while module_init runs; its add uevent waits until init is done', () => {
    const { sim, events } = run(getBuiltinScenario('auxiliary'));
    const bind = events.findIndex((e) => e.kind === 'bind' && e.text.includes('arm_cca_guest.arm-rsi-dev.0'));
    const during = sim.stateAt(bind);
    expect(during.sysfs).toContain('/sys/module/arm_cca_guest');
    expect(during.uevents.some((u) => u.devpath === '/module/arm_cca_guest')).toBe(false);
  });
  it('a module without module_exit cannot be unloaded (delete_module: -EBUSY)', () => {
    const s = getBuiltinScenario('mainline');
    const mod = s.modules.find((m) => m.name === 'arm_cca_guest')!;
    mod.exit = null;
    const { end, events } = run(s, [{ op: 'rmmod', module: 'arm_cca_guest' }]);
    expect(end.modules.find((m) => m.name === 'arm_cca_guest')!.state).toBe('loaded');
    expect(events.some((e) => e.kind === 'error' && e.errno === -16 && e.cite === 'kernel/module/main.c:delete_module')).toBe(true);
  });
});
