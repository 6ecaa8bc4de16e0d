/** What each event touches, as the kernel recorded it: shared between events, in the caller's key order. */
import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../api';
import { Simulation } from '../simulation';
import { getBuiltinScenario, listBuiltins } from '../builtins';
import { JournaledState } from '../core/state';
import { EventLog, TOUCH_DEV, TOUCH_DEV_DRV, TOUCH_DEV_MOD, TOUCH_DRV, TOUCH_DRV_DEV, TOUCH_MOD, TOUCH_MOD_DEV, TOUCH_NONE } from '../trace/eventlog';

describe('touches', () => {
  it('keeps the key order its caller gave (unbind_store names the driver first)', () => {
    const s = getBuiltinScenario('host-rfc');
    const sim = new Simulation({ ...s, actions: [...(s.actions ?? []), { op: 'write', path: '/sys/bus/platform/drivers/smccc_trng/unbind', value: 'arm-rsi-dev' }] });
    const events = sim.summary().events;
    const refused = events.find((e) => /unbind: arm-rsi-dev is not bound to smccc_trng/.test(e.text));
    expect(refused).toBeDefined();
    expect(Object.keys(refused!.touches)).toEqual(['drivers', 'devices']);
    // every other device and driver pair names the device first, as driver core code writes it
    const probe = events.find((e) => e.kind === 'probe' && e.touches.devices && e.touches.drivers)!;
    expect(Object.keys(probe.touches)).toEqual(['devices', 'drivers']);
  });

  it('events that touch the same single device share one touches object', () => {
    const sim = new Simulation(getBuiltinScenario('auxiliary'));
    const byDevice = new Map<string, object>();
    for (let i = 0; i <= sim.lastStep; i++) {
      const t = sim.eventTouchesAt(i);
      if (t.devices?.length !== 1 || t.drivers || t.modules) continue;
      const kept = byDevice.get(t.devices[0]!);
      if (kept) expect(t).toBe(kept);
      else byDevice.set(t.devices[0]!, t);
    }
    expect(byDevice.size).toBeGreaterThan(3);
  });
});

describe('the touches table (trace/eventlog.ts)', () => {
  it('a row reads as its object, keys in its order, made once, its [name] arrays shared by every row naming that name', () => {
    const ev = new EventLog([]);
    const dev = ev.touchName('/devices/platform/x');
    const drv = ev.touchName('platform/d');
    const mod = ev.touchName('m');
    const rows = {
      none: ev.addTouchRow(TOUCH_NONE, -1),
      dev: ev.addTouchRow(TOUCH_DEV, dev),
      drv: ev.addTouchRow(TOUCH_DRV, drv),
      mod: ev.addTouchRow(TOUCH_MOD, mod),
      devDrv: ev.addTouchRow(TOUCH_DEV_DRV, dev, drv),
      drvDev: ev.addTouchRow(TOUCH_DRV_DEV, dev, drv),
      devMod: ev.addTouchRow(TOUCH_DEV_MOD, dev, mod),
      modDev: ev.addTouchRow(TOUCH_MOD_DEV, dev, mod),
    };
    const t = (r: number) => ev.touchesById(r);
    expect(t(rows.none)).toEqual({});
    expect(Object.isFrozen(t(rows.none))).toBe(true);
    expect(t(rows.dev)).toEqual({ devices: ['/devices/platform/x'] });
    expect(t(rows.drv)).toEqual({ drivers: ['platform/d'] });
    expect(t(rows.mod)).toEqual({ modules: ['m'] });
    expect(Object.keys(t(rows.devDrv))).toEqual(['devices', 'drivers']);
    expect(Object.keys(t(rows.drvDev))).toEqual(['drivers', 'devices']);
    expect(Object.keys(t(rows.devMod))).toEqual(['devices', 'modules']);
    expect(Object.keys(t(rows.modDev))).toEqual(['modules', 'devices']);
    expect(t(rows.modDev)).toEqual({ modules: ['m'], devices: ['/devices/platform/x'] });
    for (const r of Object.values(rows)) expect(t(r)).toBe(t(r));
    expect(t(rows.devDrv).devices).toBe(t(rows.dev).devices);
    expect(t(rows.drvDev).drivers).toBe(t(rows.drv).drivers);
    expect(t(rows.modDev).modules).toBe(t(rows.mod).modules);
    expect(ev.touchNameAt(rows.devDrv, 0)).toBe('/devices/platform/x');
    expect(ev.touchNameAt(rows.devDrv, 1)).toBe('platform/d');
    expect(ev.touchNameAt(rows.dev, 1)).toBeUndefined();
    // an object kept as given stays that object
    const several = { devices: ['/devices/a', '/devices/b'] };
    const id = ev.addTouches(several);
    expect(t(id)).toBe(several);
    expect(ev.touchNameAt(id, 0)).toBeUndefined();
  });

  it('every built-in design: an event names what its touches row names, pairs share the single rows’ arrays', () => {
    for (const id of ['auxiliary', 'host-rfc', 'mainline']) {
      const sim = new Simulation(getBuiltinScenario(id));
      const singles = new Map<string, readonly string[]>();
      for (let i = 0; i <= sim.lastStep; i++) {
        const t = sim.eventTouchesAt(i);
        // touches naming several of a kind are kept as given (not shared)
        if (Object.values(t).some((l: string[]) => l.length !== 1)) continue;
        for (const [kind, list] of Object.entries(t) as [string, string[]][]) {
          if (list.length !== 1) continue;
          const key = `${kind}:${list[0]}`;
          const kept = singles.get(key);
          if (kept && Object.keys(t).length === 2) expect(list, `${id} event ${i}`).toBe(kept);
          if (!kept && Object.keys(t).length === 1) singles.set(key, list);
        }
      }
      expect(singles.size).toBeGreaterThan(3);
    }
  });
});

describe('a device and no module (udev found no module for its MODALIAS)', () => {
  it('reads as { devices: [d], modules: [] } in that key order, and its row numbers its device', () => {
    let seen = 0;
    for (const { id } of listBuiltins()) {
      const sim = new Simulation(getBuiltinScenario(id));
      // one row object, filled again for each row: copied as it is given
      const rows: { touches: TraceEvent['touches']; device: number }[] = [];
      for (const r of sim.distinctTouchRows()) rows.push({ touches: r.touches, device: r.device });
      for (let i = 0; i <= sim.lastStep; i++) {
        const t = sim.eventTouchesAt(i);
        if (t.modules?.length !== 0) continue;
        seen++;
        expect(Object.keys(t), `${id} event ${i}`).toEqual(['devices', 'modules']);
        expect(t.devices).toHaveLength(1);
        // udev's lookup event, the device named as every other row naming it numbers it
        expect(sim.eventsBetween(i, i + 1)[0]!.text).toMatch(/^udev: add .*: kmod load .* → (no module in modules.alias matches|built in: )/);
        const row = rows.find((r) => JSON.stringify(r.touches) === JSON.stringify(t))!;
        const single = rows.find((r) => r.touches.devices?.[0] === t.devices![0] && Object.keys(r.touches).length === 1);
        expect(row.device).toBeGreaterThanOrEqual(0);
        if (single) expect(row.device).toBe(single.device);
      }
    }
    expect(seen).toBeGreaterThan(0);
  });
});

describe('distinctTouches', () => {
  it('is every event’s touches, each distinct one once, in the order events first use them', () => {
    for (const id of ['auxiliary', 'host-rfc', 'mainline']) {
      const sim = new Simulation(getBuiltinScenario(id));
      const seen = new Set<object>();
      const want: unknown[] = [];
      for (let i = 0; i <= sim.lastStep; i++) {
        const t = sim.eventTouchesAt(i);
        if (!seen.has(t)) want.push(t);
        seen.add(t);
      }
      const got = [...sim.distinctTouches()];
      expect(got).toEqual(want);
      expect(got.length).toBeGreaterThan(5);
      expect(got.length).toBeLessThan(sim.lastStep + 1);
    }
  });
});

describe('device records', () => {
  it('a spread of a device version is refused, with the way to write it', () => {
    const sim = new Simulation(getBuiltinScenario('auxiliary'));
    const dev = [...sim.kernel!.state.devices.values()][0]!;
    const state = new JournaledState();
    expect(() => state.setDevice({ ...dev, driver: null })).toThrow(/updateDevice/);
    state.updateDevice(dev, { driver: null });
    expect(state.devices.get(dev.devpath)!.name).toBe(dev.name);
  });
});
