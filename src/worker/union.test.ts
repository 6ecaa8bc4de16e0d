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

  it('uses every step of a normal run; of a long one, the last step and the steps before removals', () => {
    expect(layoutSteps((i) => ['phase', 'device_add'][i]!, 1)).toEqual([0, 1]);
    const kinds = Array.from({ length: 1000 }, (_, i) => ({ kind: i % 2 ? 'device_add' : 'uevent' }));
    kinds[500] = { kind: 'unbind' };
    kinds[501] = { kind: 'device_del' }; // no addition since the unbind: no second snapshot
    kinds[700] = { kind: 'device_del' };
    expect(layoutSteps((i) => kinds[i]!.kind, kinds.length - 1)).toEqual([499, 699, 999]);
  });

  it('a long run: the union of the chosen steps is the union of all steps', () => {
    // devices appear and disappear; driver d is bound to each in turn, then unbound
    const n = 600;
    const events: { kind: string }[] = [];
    const snaps: Snapshot[] = [];
    const alive = new Set<string>();
    let bound: string[] = [];
    for (let i = 0; i < n; i++) {
      let kind = 'uevent';
      if (i % 7 === 0) {
        alive.add(`/d${i}`);
        kind = 'device_add';
      } else if (i % 11 === 0 && alive.size > 2) {
        const first = [...alive][0]!;
        alive.delete(first);
        bound = bound.filter((b) => b !== first);
        kind = 'device_del';
      } else if (i % 13 === 0 && alive.size) {
        bound = [[...alive].at(-1)!];
        kind = 'bind';
      } else if (i % 17 === 0 && bound.length) {
        bound = [];
        kind = 'unbind';
      }
      events.push({ kind });
      const drv = { id: 'platform/d', name: 'd', bus: 'platform', module: null, bindAttrs: true, devices: [...bound] } as DriverView;
      snaps.push({ ...snap(i, [...alive]), drivers: [drv] });
    }
    const steps = layoutSteps((i) => events[i]!.kind, n - 1);
    expect(steps.length).toBeLessThan(n / 4);
    const all = unionSnapshot(snaps)!;
    const some = unionSnapshot(steps.map((s) => snaps[s]!))!;
    expect(new Set(some.devices.map((d) => d.devpath))).toEqual(new Set(all.devices.map((d) => d.devpath)));
    expect(some.drivers).toEqual(all.drivers);
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
