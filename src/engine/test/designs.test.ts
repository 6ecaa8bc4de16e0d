/**
 * Design-level behaviours a reviewer checks by hand: the queued arm_smccc bus and v6/v7, /sys/module
 * for built-in drivers, modules that cannot be unloaded.
 */
import { describe, expect, it } from 'vitest';
import { Simulation, getBuiltinScenario, type Scenario, type UserAction } from '../index';

function run(s: Scenario, actions: UserAction[] = []) {
  const sim = new Simulation({ ...s, actions });
  expect(sim.errors).toEqual([]);
  return { sim, end: sim.stateAt(sim.lastStep), events: sim.summary().events };
}

describe('arm_smccc bus, queued for 7.4 (drivers/firmware/smccc/bus.c, smccc.c)', () => {
  it('an RMM without RSI 1.0: arm-rsi exists (the call answers), the module loads by alias, cca_tsm_probe rejects it silently', () => {
    const s = getBuiltinScenario('smccc-bus');
    s.firmware.services.rsi = { version: '2.0' };
    const { end } = run(s);
    expect(end.devices.find((d) => d.name === 'arm-rsi')).toMatchObject({ driver: null, modalias: 'arm_smccc:fC4000190' });
    expect(end.modules.find((m) => m.name === 'arm_cca_guest')).toMatchObject({ state: 'loaded', loadedBy: 'arm_smccc:fC4000190' });
    expect(end.log.some((l) => /probe with driver arm_cca_guest failed/.test(l))).toBe(false);
    expect(end.tsm.reportProvider).toBeNull();
    // realm_sysfs_init(): "if (!is_realm_world()) return 0;"
    expect(end.files).toEqual({});
  });
  it('cca_tsm_remove() releases the TSM report provider on unbind (an explicit .remove, no devm action)', () => {
    const { end, events, sim } = run(getBuiltinScenario('smccc-bus'), [{ op: 'unbind', device: 'arm-rsi', bus: 'arm_smccc' }]);
    const tail = events.slice(sim.actionStarts[0]!);
    expect(tail.some((e) => e.text.startsWith('devres: running the devm action'))).toBe(false);
    expect(tail.some((e) => e.kind === 'tsm' && /tsm_report_unregister/.test(e.text))).toBe(true);
    expect(end.tsm.reportProvider).toBeNull();
    expect(sim.actionResults[0]).toEqual({ rc: 0, output: [] });
  });
  it('arm_smccc_driver_register(): a driver without an id_table is refused with -EINVAL', () => {
    const s = getBuiltinScenario('smccc-bus');
    const guest = s.modules.find((m) => m.name === 'arm_cca_guest')!;
    delete guest.drivers!['arm_cca_guest']!.ids;
    const { end } = run(s, [{ op: 'modprobe', module: 'arm_cca_guest' }]);
    expect(end.modules.find((m) => m.name === 'arm_cca_guest')).toMatchObject({ state: 'failed', initRet: -22 });
  });
});

describe('arm_smccc bus v6/v7 (name matching)', () => {
  it('v7: the RSI device exists for an RMM without RSI 1.0 (anything but NOT_SUPPORTED); v6 requires RSI_SUCCESS', () => {
    const s7 = getBuiltinScenario('smccc-bus-v7');
    s7.firmware.services.rsi = { version: '2.0' };
    expect(run(s7).end.devices.some((d) => d.name === 'arm-rsi-dev-2')).toBe(true);
    const s6 = getBuiltinScenario('smccc-bus-v6');
    s6.firmware.services.rsi = { version: '2.0' };
    expect(run(s6).end.devices.some((d) => d.name.startsWith('arm-rsi-dev'))).toBe(false);
  });
  it('v7: the TSM report provider is released by a devm action after remove(), on unbind', () => {
    const { end, events, sim } = run(getBuiltinScenario('smccc-bus-v7'), [{ op: 'unbind', device: 'arm-rsi-dev-2', bus: 'arm_smccc' }]);
    const tail = events.slice(sim.actionStarts[0]!);
    const devm = tail.findIndex((e) => e.text.startsWith('devres: running the devm action'));
    const unreg = tail.findIndex((e) => e.kind === 'tsm' && /tsm_report_unregister/.test(e.text));
    expect(devm).toBeGreaterThan(-1);
    expect(unreg).toBeGreaterThan(devm);
    expect(end.tsm.reportProvider).toBeNull();
  });
  it('v6/v7: /sys/firmware/cca/realm_guest always exists and reads is_realm_world()', () => {
    const realm = run(getBuiltinScenario('smccc-bus-v7'), [{ op: 'read', path: '/sys/firmware/cca/realm_guest' }]);
    expect(realm.sim.actionResults[0]).toEqual({ rc: 0, output: ['1'] });
    const plain = run(getBuiltinScenario('smccc-bus-v6-nonrealm'), [{ op: 'read', path: '/sys/firmware/cca/realm_guest' }]);
    expect(plain.sim.actionResults[0]).toEqual({ rc: 0, output: ['0'] });
  });
});

describe('modules in sysfs (drivers/base/module.c:module_add_driver, kernel/module/main.c)', () => {
  it('a built-in auxiliary driver still gets /sys/module links through drv->mod_name', () => {
    const { end } = run(getBuiltinScenario('auxiliary-builtin'));
    expect(end.sysfs).toContain('/sys/module/arm_cca_guest/drivers/auxiliary:arm_cca_guest -> ../../../bus/auxiliary/drivers/arm_cca_guest');
    expect(end.sysfs).toContain('/sys/bus/auxiliary/drivers/arm_cca_guest/module -> ../../../../module/arm_cca_guest');
  });
  it('a built-in platform driver sets no mod_name: no /sys/module link', () => {
    const s = getBuiltinScenario('mainline');
    s.modules.find((m) => m.name === 'arm_smccc_trng')!.location = 'builtin';
    const { end } = run(s);
    expect(end.devices.find((d) => d.name === 'smccc_trng')!.driver).toBe('smccc_trng');
    expect(end.sysfs.some((p) => p.startsWith('/sys/bus/platform/drivers/smccc_trng/module'))).toBe(false);
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
