import { describe, expect, it } from 'vitest';
import type { DeviceView, DriverView, ModuleView, Snapshot } from '../engine/api';
import { layoutSteps, moduleChanges, unionSnapshot } from './union';

const snap = (step: number, devices: string[]): Snapshot => ({
  step, devices: devices.map((p) => ({ devpath: p, name: p } as DeviceView)), drivers: [], modules: [], uevents: [], sysfs: [], log: [],
  firmware: [], facts: {}, tsm: { reportProvider: null, classDevices: [] }, udevRunning: true, files: {}, kernelVersion: '7.0',
});

describe('layout basis', () => {
  it('unions devices across steps, first-seen order, latest form', () => {
    const u = unionSnapshot([snap(0, ['/a']), snap(1, ['/a', '/b']), snap(2, ['/b'])])!;
    expect(u.devices.map((d) => d.devpath)).toEqual(['/a', '/b']);
    expect(u.step).toBe(2);
    expect(unionSnapshot([])).toBeNull();
  });

  it('keeps a driver next to the devices it was bound to after an unbind empties its list', () => {
    const drv = (devices: string[]) => ({ id: 'platform/d', name: 'd', bus: 'platform', module: 'm', bindAttrs: true, devices } as DriverView);
    const mod = (drivers: string[]) => ({ name: 'm', state: 'loaded', loadedBy: null, location: 'module', aliases: [], drivers, initRet: 0 } as ModuleView);
    const a = { ...snap(0, ['/a']), drivers: [drv(['/a'])], modules: [mod(['platform/d'])] };
    const b = { ...snap(1, ['/a']), drivers: [drv([])], modules: [mod([])] };
    const u = unionSnapshot([a, b])!;
    expect(u.drivers[0]!.devices).toEqual(['/a']);
    expect(u.modules[0]!.drivers).toEqual(['platform/d']);
    // a later binding replaces the earlier one
    const c = { ...snap(2, ['/a', '/b']), drivers: [drv(['/b'])] };
    expect(unionSnapshot([a, b, c])!.drivers[0]!.devices).toEqual(['/b']);
  });

  it('uses every step of a normal run and a bounded sample of a huge one', () => {
    expect(layoutSteps([{ kind: 'phase' }, { kind: 'device_add' }], 1)).toEqual([0, 1]);
    const huge = Array.from({ length: 100_000 }, (_, i) => ({ kind: i % 2 ? 'device_add' : 'uevent' }));
    const steps = layoutSteps(huge, huge.length - 1);
    expect(steps.length).toBeLessThanOrEqual(401);
    expect(steps.at(-1)).toBe(99_999);
    expect(steps.slice(0, -1).every((i) => huge[i]!.kind === 'device_add')).toBe(true);
  });
});

describe('module changes', () => {
  const withModule = (step: number, state: ModuleView['state']): Snapshot => ({ ...snap(step, []), modules: [{ name: 'm', state } as ModuleView] });
  it('lists the steps where a module changes state, not its first not-loaded', () => {
    const snaps = [withModule(0, 'not-loaded'), withModule(1, 'not-loaded'), withModule(2, 'loaded'), withModule(3, 'loaded'), withModule(4, 'not-loaded')];
    expect(moduleChanges(snaps, [0, 1, 2, 3, 4])).toEqual([
      { module: 'm', step: 2, state: 'loaded' },
      { module: 'm', step: 4, state: 'not-loaded' },
    ]);
    expect(moduleChanges([withModule(0, 'builtin')], [0])).toEqual([{ module: 'm', step: 0, state: 'builtin' }]);
  });
});
