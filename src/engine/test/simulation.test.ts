/** The Simulation API: time travel, forking the timeline with a user action, bad input, runaway runs. */
import { describe, expect, it } from 'vitest';
import { Simulation, getBuiltinScenario, listBuiltins, type Scenario } from '../index';

function minimal(modules: Scenario['modules'], extra: Partial<Scenario> = {}): Scenario {
  return {
    id: 'test', title: 'test', kernel: { version: '6.18' }, udev: { running: true },
    firmware: { description: 'dt', dt: [{ path: '/psci', compatible: ['arm,psci-1.0'], method: 'smc' }], psciVersion: '1.1', smcccVersion: '1.2', services: {} },
    modules, ...extra,
  };
}

describe('built-in scenarios', () => {
  it('every built-in is valid and runs to the end without an engine error', () => {
    for (const b of listBuiltins()) {
      const sim = new Simulation(getBuiltinScenario(b.id));
      expect(sim.errors, b.id).toEqual([]);
      expect(sim.summary().events.filter((e) => e.cite === 'bindscope:budget'), b.id).toEqual([]);
    }
  });
  it('each design ships guest and host where it has one, and names its source', () => {
    const ids = listBuiltins().map((b) => b.id);
    for (const id of ['mainline', 'host-rfc', 'host-rfc-host', 'faux', 'faux-suggestion', 'auxiliary', 'auxiliary-host', 'auxiliary-v4', 'auxiliary-v2', 'auxiliary-v2-host', 'smccc-bus', 'smccc-bus-v7', 'smccc-bus-v7-host', 'smccc-bus-v6']) expect(ids).toContain(id);
    for (const b of listBuiltins()) expect(getBuiltinScenario(b.id).source, b.id).toMatch(/20\d\d|Linux/);
  });
});

describe('the trace, paged', () => {
  it('eventsBetween reads its bounds as Array.prototype.slice does, and equals the same page of the whole trace', () => {
    const sim = new Simulation(getBuiltinScenario('auxiliary'));
    const all = sim.summary().events;
    const n = sim.eventCount;
    expect(all.length).toBe(n);
    for (const [from, to] of [[0, 5], [3, 3], [5, 2], [-4, n], [0, -1], [-3, -1], [1.5, 4.9], [NaN, 5], [0, Infinity], [-Infinity, 2], [n - 2, n + 10]]) {
      expect(sim.eventsBetween(from!, to!), `${from}, ${to}`).toEqual(all.slice(from, to));
    }
  });
  it('an event built from the columns is the same on every read, and a match or uevent event has its record\'s sentence', () => {
    const sim = new Simulation(getBuiltinScenario('auxiliary'));
    const a = sim.summary().events;
    const b = sim.eventsBetween(0, sim.eventCount);
    expect(b).toEqual(a);
    const m = a.find((e) => e.kind === 'match')!;
    expect(m.text).toBe(`${m.match!.matched ? 'match' : 'no match'}: ${m.match!.bus} driver ${m.match!.driver} ${m.match!.matched ? '↔' : '✗'} device ${m.match!.device} — ${m.match!.rule}: ${m.match!.compared}`);
    const u = a.find((e) => e.kind === 'uevent' && e.uevent?.env.some(([k]) => k === 'MODALIAS'))!;
    expect(u.text).toContain(`uevent ${u.uevent!.action} ${u.uevent!.devpath} SUBSYSTEM=${u.uevent!.subsystem}`);
    expect(u.text).toContain(`MODALIAS=${u.uevent!.env.find(([k]) => k === 'MODALIAS')![1]}`);
  });
  it('topLevelText is the text of exactly the depth-0 events, read without building them', () => {
    for (const id of ['auxiliary', 'faux']) {
      const sim = new Simulation(getBuiltinScenario(id));
      const all = sim.eventsBetween(0, sim.eventCount);
      expect(all.some((e) => e.depth > 0) && all.some((e) => e.depth === 0)).toBe(true);
      all.forEach((e, i) => expect(sim.topLevelText(i), `${id} event ${i}`).toBe(e.depth === 0 ? e.text : null));
      expect(() => sim.topLevelText(sim.eventCount)).toThrow(RangeError);
    }
  });
  it('the event log refuses an index outside the trace instead of building a made-up event', () => {
    const sim = new Simulation(getBuiltinScenario('auxiliary'));
    const log = sim.kernel!.events;
    expect(() => log.at(-1)).toThrow(RangeError);
    expect(() => log.at(log.length)).toThrow(/not in the trace/);
    expect(() => log.at(1.5)).toThrow(RangeError);
  });
});

describe('time travel', () => {
  it('stateAt(k) is the same whether reached forward or by scrubbing back', () => {
    const a = new Simulation(getBuiltinScenario('auxiliary'));
    const b = new Simulation(getBuiltinScenario('auxiliary'));
    const mid = Math.floor(a.lastStep / 2);
    a.stateAt(a.lastStep);
    const back = a.stateAt(mid);
    const fwd = b.stateAt(mid);
    expect(back).toEqual(fwd);
  });
  it('step -1 is the empty kernel', () => {
    const s = new Simulation(getBuiltinScenario('mainline')).stateAt(-1);
    expect(s.devices).toEqual([]);
    expect(s.uevents).toEqual([]);
  });
});

describe('user actions at a step (the timeline forks)', () => {
  it('an unbind applied mid-run runs right after that step, and the run continues', () => {
    const sim = new Simulation(getBuiltinScenario('auxiliary'));
    const ev = sim.summary().events;
    const bindIdx = ev.findIndex((e) => e.kind === 'bind' && e.text.includes('arm_cca_guest.arm-rsi-dev.0'));
    expect(bindIdx).toBeGreaterThan(0);
    const forked = new Simulation(sim.withAction({ op: 'unbind', device: 'arm_cca_guest.arm-rsi-dev.0', bus: 'auxiliary' }, bindIdx + 5));
    const fev = forked.summary().events;
    expect(fev.slice(0, bindIdx + 6)).toEqual(ev.slice(0, bindIdx + 6));
    const actionIdx = fev.findIndex((e) => e.kind === 'action');
    expect(actionIdx).toBeGreaterThan(bindIdx + 5);
    const end = forked.stateAt(forked.lastStep);
    expect(end.devices.find((d) => d.name === 'arm_cca_guest.arm-rsi-dev.0')!.driver).toBeNull();
  });
  it('actions after the fork point are dropped, earlier ones keep their place', () => {
    const base = getBuiltinScenario('mainline');
    base.actions = [{ op: 'rmmod', module: 'arm_cca_guest' }, { op: 'modprobe', module: 'arm_cca_guest' }];
    const sim = new Simulation(base);
    const starts = sim.actionStarts;
    const forkedScenario = sim.withAction({ op: 'udev_stop' }, starts[1]! - 1);
    expect(forkedScenario.actions!.map((a) => a.op)).toEqual(['rmmod', 'udev_stop']);
    const f = new Simulation(forkedScenario);
    expect(f.stateAt(f.lastStep).modules.find((m) => m.name === 'arm_cca_guest')!.state).toBe('not-loaded');
  });
});

describe('bad input never throws', () => {
  it.each([
    ['not an object', 42, '(root)'],
    ['an unknown action', { ...minimal([{ name: 'm', location: 'module', init: [{ op: 'frobnicate' }] }] as never) }, 'modules[0].init[0].op'],
    ['a duplicate module', minimal([{ name: 'm', location: 'module' }, { name: 'm', location: 'builtin' }]), 'modules[1].name'],
    ['an unknown fact', minimal([{ name: 'm', location: 'builtin', init: [{ op: 'if', when: 'realmm', then: [] }] }]), 'modules[0].init[0].when'],
    ['an unknown errno', minimal([{ name: 'm', location: 'builtin', init: [{ op: 'return', errno: 'EWHAT' }] }]), 'modules[0].init[0].errno'],
    ['a driver that is not declared', minimal([{ name: 'm', location: 'builtin', init: [{ op: 'platform_driver_register', driver: 'nope' }] }]), 'modules[0].init[0].driver'],
    ['an unknown errno deep in a probe', minimal([{ name: 'm', location: 'builtin', drivers: { d: { bus: 'platform', probe: [{ op: 'log', message: 'x' }, { op: 'if', device: 'a', then: [{ op: 'devm_add_action', actions: [{ op: 'log', message: 'y' }, { op: 'return', errno: 'EWHAT' }] }] }] } } }]), 'modules[0].drivers.d.probe[1].then[0].actions[1].errno'],
  ])('%s gets an error naming its path', (_what, input, path) => {
    const sim = new Simulation(input);
    expect(sim.errors.map((e) => e.path)).toContain(path);
    expect(sim.summary().events).toEqual([]);
    expect(() => sim.stateAt(0)).toThrow(/invalid/);
  });
  it('a probe that creates a device its own driver matches, recursively, is stopped as a cycle', () => {
    const s = minimal([{
      name: 'm', location: 'builtin',
      drivers: { d: { name: 'loop', bus: 'platform', probe: [{ op: 'platform_device_register_simple', name: 'loop', id: 'AUTO' }] } },
      init: [{ op: 'platform_driver_register', driver: 'd' }, { op: 'platform_device_register_simple', name: 'loop', id: 'AUTO' }],
    }]);
    const sim = new Simulation(s);
    const last = sim.summary().events.find((e) => e.cite === 'bindscope:budget');
    expect(last?.text).toMatch(/cycle/);
    expect(() => sim.stateAt(sim.lastStep)).not.toThrow();
  });
  it('a probe that creates a child and then defers loops forever in the kernel too; the run is stopped', () => {
    const s = minimal([{
      name: 'm', location: 'builtin', initcall: 'device',
      drivers: {
        p: { name: 'parent', bus: 'platform', probe: [{ op: 'auxiliary_device_create', modname: 'm', name: 'c', devm: true }, { op: 'return', errno: 'EPROBE_DEFER' }] },
        c: { bus: 'auxiliary', idTable: ['m.c'], probe: [] },
      },
      init: [{ op: 'auxiliary_driver_register', driver: 'c' }, { op: 'platform_driver_register', driver: 'p' }, { op: 'platform_device_register_simple', name: 'parent' }],
    }], { kernel: { version: '6.18' } });
    const sim = new Simulation(s);
    expect(sim.summary().events.some((e) => e.cite === 'bindscope:budget' && /probe loop/.test(e.text))).toBe(true);
  });
});
