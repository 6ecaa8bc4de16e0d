/** What each event touches, as the kernel recorded it: shared between events, in the caller's key order. */
import { describe, expect, it } from 'vitest';
import { Simulation } from '../simulation';
import { getBuiltinScenario } from '../builtins';
import { JournaledState } from '../core/state';

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
