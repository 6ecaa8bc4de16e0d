import { describe, expect, it } from 'vitest';
import type { DeviceView, ModuleView, Snapshot } from '../engine/api';
import { moduleOutcome, type OutcomeContext } from './outcome';

// Hand-written snapshots in the shape of the faux and auxiliary designs (not engine output).
const dev = (name: string, devpath: string, extra: Partial<DeviceView> = {}): DeviceView => ({
  name, bus: null, class: null, devpath, parent: null, driver: null, modalias: null, driverOverride: null, unbindable: false,
  ofNode: null, acpiHid: null, firmwareNode: null, deferred: false, devmParent: null, createdBy: null, ...extra,
});
const mod = (extra: Partial<ModuleView> = {}): ModuleView => ({
  name: 'arm_cca_guest', state: 'not-loaded', loadedBy: null, location: 'module', aliases: ['auxiliary:arm_cca_guest.arm-rsi-dev'], drivers: [], initRet: null, ...extra,
});
const snap = (parts: Partial<Snapshot>): Snapshot => ({
  step: 0, devices: [], drivers: [], modules: [], uevents: [], sysfs: [], log: [], firmware: [], facts: {},
  tsm: { reportProvider: null, classDevices: [] }, udevRunning: true, files: {}, kernelVersion: '7.0', ...parts,
});
const AUXDEV = dev('arm_cca_guest.arm-rsi-dev.0', '/devices/platform/arm-smccc/arm_cca_guest.arm-rsi-dev.0', {
  bus: 'auxiliary', modalias: 'auxiliary:arm_cca_guest.arm-rsi-dev',
});

describe('moduleOutcome', () => {
  it('faux: not loaded because no uevent carries a matching MODALIAS; names the device without one', () => {
    const o = moduleOutcome(
      snap({
        devices: [dev('faux', '/devices/faux'), dev('arm-cca-dev', '/devices/faux/arm-cca-dev', { bus: 'faux', driver: 'faux_driver' })],
        modules: [mod({ aliases: ['platform:arm-cca-dev'] })],
      }),
      'arm_cca_guest',
    )!;
    expect(o.tone).toBe('not-loaded');
    expect(o.headline).toBe('arm_cca_guest: not loaded');
    expect(o.why).toBe("no device's uevent carries a MODALIAS matching its alias platform:arm-cca-dev; arm-cca-dev (faux bus) has no MODALIAS at all.");
  });

  it('auxiliary: loaded by udev through the child device MODALIAS and the alias', () => {
    const o = moduleOutcome(
      snap({ devices: [AUXDEV], modules: [mod({ state: 'loaded', loadedBy: 'auxiliary:arm_cca_guest.arm-rsi-dev' })] }),
      'arm_cca_guest',
    )!;
    expect(o.tone).toBe('loaded');
    expect(o.why).toContain("arm_cca_guest.arm-rsi-dev.0's uevent carried MODALIAS=auxiliary:arm_cca_guest.arm-rsi-dev");
    expect(o.why).toContain('matches alias auxiliary:arm_cca_guest.arm-rsi-dev in modules.alias');
  });

  it('wildcard aliases match, and a loaded module whose device is gone says so', () => {
    const loaded = mod({ state: 'loaded', loadedBy: 'auxiliary:arm_cca_guest.*' , aliases: ['auxiliary:arm_cca_guest.*'] });
    expect(moduleOutcome(snap({ devices: [AUXDEV], modules: [loaded] }), 'arm_cca_guest')!.why).toContain('arm_cca_guest.arm-rsi-dev.0');
    expect(moduleOutcome(snap({ modules: [loaded] }), 'arm_cca_guest')!.why).toContain('that device is gone');
  });

  it('a matching MODALIAS that has not loaded the module yet: pending, udev off, or absent from disk', () => {
    expect(moduleOutcome(snap({ devices: [AUXDEV], modules: [mod()] }), 'arm_cca_guest')!.why).toContain('not loaded it yet');
    expect(moduleOutcome(snap({ devices: [AUXDEV], modules: [mod()], udevRunning: false }), 'arm_cca_guest')!.why).toContain('udev is not running');
    expect(moduleOutcome(snap({ devices: [AUXDEV], modules: [mod({ location: 'absent' })] }), 'arm_cca_guest')!.why).toContain('absent from disk');
  });

  it('built in, by hand, failed, no alias, unknown module', () => {
    expect(moduleOutcome(snap({ modules: [mod({ state: 'builtin', location: 'builtin' })] }), 'arm_cca_guest')!.tone).toBe('builtin');
    expect(moduleOutcome(snap({ modules: [mod({ state: 'loaded', loadedBy: 'manual' })] }), 'arm_cca_guest')!.headline).toBe('arm_cca_guest: loaded by hand');
    expect(moduleOutcome(snap({ modules: [mod({ state: 'failed' })] }), 'arm_cca_guest')!.tone).toBe('failed');
    expect(moduleOutcome(snap({ modules: [mod({ aliases: [] })] }), 'arm_cca_guest')!.why).toContain('no alias');
    expect(moduleOutcome(snap({ modules: [mod()] }), 'other')).toBeNull();
    expect(moduleOutcome(snap({ modules: [mod()] }), undefined)).toBeNull();
  });
});

describe('moduleOutcome at a step of the run', () => {
  const ctx = (step: number, extra: Partial<OutcomeContext> = {}): OutcomeContext => ({
    step,
    eventCount: 72,
    changes: [{ module: 'arm_cca_guest', step: 37, state: 'loaded' }],
    ...extra,
  });

  it('says "not loaded yet" and when it loads, when the module loads later in the run', () => {
    const s = snap({ devices: [AUXDEV], modules: [mod()] });
    const o = moduleOutcome(s, 'arm_cca_guest', ctx(14))!;
    expect(o.headline).toBe('arm_cca_guest: not loaded yet (step 15 of 72; loads at step 38)');
    expect(o.why).toContain('MODALIAS=auxiliary:arm_cca_guest.arm-rsi-dev');
    // after the load, or with no load to come, the plain outcome
    expect(moduleOutcome(snap({ modules: [mod()] }), 'arm_cca_guest', ctx(40))!.headline).toBe('arm_cca_guest: not loaded');
    expect(moduleOutcome(snap({ modules: [mod()] }), 'arm_cca_guest', ctx(14, { changes: [] }))!.headline).toBe('arm_cca_guest: not loaded');
  });

  it('with Realm off: no RSI device was ever created', () => {
    const s = snap({ modules: [mod()], facts: { rsi: false, rmi: false } });
    const o = moduleOutcome(s, 'arm_cca_guest', ctx(70, { changes: [], service: 'RSI', everDevices: [] }))!;
    expect(o.why).toContain('no RSI device was ever created in this run');
    // an RSI device earlier in the run (removed since): not that sentence
    const rsiDev = dev('x', '/devices/x', { firmwareNode: 'smccc:RSI' });
    expect(moduleOutcome(s, 'arm_cca_guest', ctx(70, { changes: [], service: 'RSI', everDevices: [rsiDev] }))!.why).not.toContain('ever created');
  });
});
