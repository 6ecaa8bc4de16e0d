/**
 * What real driver and module code does that a plain action list could not say: a probe that
 * branches on the device it probes and counts its calls, dev_err_probe() and devices_deferred,
 * device_attach()/device_driver_attach() called from module code, and msleep() in module_init
 * during which the deferred-probe work and udev run.
 */
import { describe, expect, it } from 'vitest';
import { Simulation, type Scenario, type UserAction } from '../index';
import type { DriverDef, KernelAction, ModuleDef } from '../scenario/schema';

function scenario(modules: ModuleDef[], actions: UserAction[] = []): Scenario {
  return {
    id: 'module-code', title: 'module code', kernel: { version: '7.0' }, udev: { running: true }, modules, actions,
    firmware: { description: 'dt', dt: [{ path: '/psci', compatible: ['arm,psci-1.0', 'arm,psci-0.2', 'arm,psci'], method: 'smc' }], psciVersion: '1.1', smcccVersion: '1.2', services: {} },
  };
}
function run(s: Scenario) {
  const sim = new Simulation(s);
  expect(sim.errors).toEqual([]);
  return { sim, end: sim.stateAt(sim.lastStep), events: sim.summary().events };
}
const pdev = (name: string): KernelAction => ({ op: 'platform_device_register_simple', name, id: 'NONE' });
const drvModule = (name: string, def: Partial<DriverDef>, init: KernelAction[] = [{ op: 'platform_driver_register', driver: 'd' }], location: ModuleDef['location'] = 'builtin'): ModuleDef => ({
  name, location, ...(location === 'builtin' ? { initcall: 'device' as const } : {}), drivers: { d: { name, bus: 'platform', ...def } }, init,
});
const bound = (end: ReturnType<typeof run>['end'], dev: string) => end.devices.find((d) => d.name === dev)?.driver ?? null;

describe('a probe that branches on its device and counts its calls', () => {
  it('"defer on the first call": deferred at device_initcall, bound when deferred_probe_initcall retries it (call 2)', () => {
    const { end, events } = run(scenario([
      { name: 'board', location: 'builtin', initcall: 'arch', init: [pdev('foo')] },
      drvModule('foo', { probe: [{ op: 'if', call: 1, then: [{ op: 'return', errno: 'EPROBE_DEFER' }] }] }),
    ]));
    expect(bound(end, 'foo')).toBe('foo');
    expect(events.some((e) => e.text.includes('tests call 1: true (this is call 1)'))).toBe(true);
    expect(events.some((e) => e.text.includes('tests call 1: false (this is call 2)'))).toBe(true);
  });
  it('one driver, two devices: the probe rejects one by name (-ENODEV, silent) and binds the other', () => {
    const { end, events } = run(scenario([
      { name: 'board', location: 'builtin', initcall: 'arch', init: [pdev('foo'), pdev('bar')] },
      drvModule('both', { idTable: ['foo', 'bar'], probe: [{ op: 'if', device: 'bar', then: [{ op: 'return', errno: 'ENODEV' }] }] }),
    ]));
    expect(bound(end, 'foo')).toBe('both');
    expect(bound(end, 'bar')).toBeNull();
    expect(events.some((e) => e.text.includes('tests device is bar: false (it is foo)'))).toBe(true);
  });
});

describe('dev_err_probe() and /sys/kernel/debug/devices_deferred (drivers/base/core.c, dd.c:deferred_devs_show)', () => {
  it('-EPROBE_DEFER: nothing logged, the reason recorded; devices_deferred lists "<dev>\\t<reason>"', () => {
    const { end, sim } = run(scenario([
      { name: 'board', location: 'builtin', initcall: 'arch', init: [pdev('foo')] },
      drvModule('foo', { probe: [{ op: 'dev_err_probe', errno: 'EPROBE_DEFER', message: 'supplier clk-main not ready' }] }),
    ], [{ op: 'read', path: '/sys/kernel/debug/devices_deferred' }]));
    expect(bound(end, 'foo')).toBeNull();
    // device_set_deferred_probe_reason(): "%s: %pV" of dev_driver_string(dev) and the message
    expect(sim.actionResults[0]).toEqual({ rc: 0, output: ['foo\tfoo: supplier clk-main not ready'] });
    expect(end.log.some((l) => l.includes('clk-main'))).toBe(false);
  });
  it('the pending list keeps the order devices deferred in (list_add_tail), not their device_add order; retries follow it', () => {
    const waits = (who: string): Partial<DriverDef> => ({ probe: [{ op: 'dev_err_probe', errno: 'EPROBE_DEFER', message: `${who} waits` }] });
    const { sim, events } = run(scenario([
      // "a" is added first, with no driver yet; "b" is added after its driver and defers at once
      { name: 'board', location: 'builtin', initcall: 'arch', init: [pdev('a')] },
      { ...drvModule('b', waits('b'), [{ op: 'platform_driver_register', driver: 'd' }, pdev('b')]), initcall: 'subsys' },
      // a's driver comes at device_initcall: "a" defers second
      drvModule('a', waits('a')),
    ], [{ op: 'read', path: '/sys/kernel/debug/devices_deferred' }]));
    expect(sim.actionResults[0]).toEqual({ rc: 0, output: ['b\tb: b waits', 'a\ta: a waits'] });
    const retries = events.filter((e) => e.text.startsWith('deferred probe work: retrying')).map((e) => e.text.slice('deferred probe work: retrying '.length));
    expect(retries.slice(0, 2)).toEqual(['b', 'a']);
  });
  it("a retry frees the reason first: a device that defers again without dev_err_probe() shows none", () => {
    const { sim } = run(scenario([
      { name: 'board', location: 'builtin', initcall: 'arch', init: [pdev('foo')] },
      drvModule('foo', { probe: [{ op: 'if', call: 1, then: [{ op: 'dev_err_probe', errno: 'EPROBE_DEFER', message: 'first try' }], else: [{ op: 'return', errno: 'EPROBE_DEFER' }] }] }),
    ], [{ op: 'read', path: '/sys/kernel/debug/devices_deferred' }]));
    expect(sim.actionResults[0]).toEqual({ rc: 0, output: ['foo\t'] });
  });
  it('another error: "<drv> <dev>: error -EIO: <message>" at dev_err level, then the probe failure line', () => {
    const { end } = run(scenario([
      { name: 'board', location: 'builtin', initcall: 'arch', init: [pdev('foo')] },
      drvModule('foo', { probe: [{ op: 'dev_err_probe', errno: 'EIO', message: 'firmware did not answer' }] }),
    ]));
    expect(end.log).toContain('foo foo: error -EIO: firmware did not answer');
    expect(end.log).toContain('foo foo: probe with driver foo failed with error -5');
  });
});

describe('device_attach() and device_driver_attach() from module code (drivers/base/dd.c)', () => {
  it('device_attach() binds even with drivers_autoprobe=0 and returns 1', () => {
    const { end, events } = run(scenario([
      { name: 'board', location: 'builtin', initcall: 'arch', init: [pdev('foo')] },
      drvModule('foo', { probe: [] }, [{ op: 'platform_driver_register', driver: 'd' }, { op: 'device_attach', device: 'foo' }], 'module'),
    ], [{ op: 'write', path: '/sys/bus/platform/drivers_autoprobe', value: '0' }, { op: 'modprobe', module: 'foo' }]));
    expect(bound(end, 'foo')).toBe('foo');
    expect(events.some((e) => e.text === 'device_attach(foo) returns 1 (bound)')).toBe(true);
  });
  it('device_driver_attach(): a deferring probe comes back -EAGAIN and is not queued for a retry; the module init fails with it', () => {
    const { end, events } = run(scenario([
      { name: 'board', location: 'builtin', initcall: 'arch', init: [pdev('foo')] },
      drvModule('foo', { probe: [{ op: 'return', errno: 'EPROBE_DEFER' }] }, [
        { op: 'platform_driver_register', driver: 'd' },
        { op: 'device_driver_attach', driver: 'd', device: 'foo' },
      ], 'module'),
    ], [{ op: 'write', path: '/sys/bus/platform/drivers_autoprobe', value: '0' }, { op: 'modprobe', module: 'foo' }]));
    expect(events.some((e) => e.text === 'device_driver_attach(foo, foo) returns -11')).toBe(true);
    expect(end.modules.find((m) => m.name === 'foo')).toMatchObject({ state: 'failed', initRet: -11 });
    expect(end.devices.find((d) => d.name === 'foo')!.deferred).toBe(false);
  });
});

describe('msleep() in module_init: the deferred-probe work and udev run meanwhile', () => {
  const helper: ModuleDef = { name: 'helper', location: 'module', aliases: ['platform:needs-helper'], init: [] };
  it('udev loads another module by alias while the sleeping module_init is still running', () => {
    const { end } = run(scenario([
      helper,
      { name: 'sleeper', location: 'module', init: [pdev('needs-helper'), { op: 'msleep', ms: 100 }, { op: 'log', message: 'sleeper: awake' }] },
    ], [{ op: 'modprobe', module: 'sleeper' }]));
    const order = end.uevents.filter((u) => u.devpath.startsWith('/module/')).map((u) => u.devpath);
    expect(order).toEqual(['/module/helper', '/module/sleeper']);
    expect(end.modules.find((m) => m.name === 'helper')!.loadedBy).toBe('platform:needs-helper');
  });
  it('a module whose own alias matches a device it creates is not loaded twice (initstate "coming")', () => {
    const { end, events } = run(scenario([
      { name: 'self', location: 'module', aliases: ['platform:self-dev'], init: [pdev('self-dev'), { op: 'msleep', ms: 10 }] },
    ], [{ op: 'modprobe', module: 'self' }]));
    expect(events.some((e) => e.text.includes('self is still in its module_init (initstate coming): modprobe inserts it again') && e.text.includes('-EEXIST'))).toBe(true);
    expect(end.modules.find((m) => m.name === 'self')).toMatchObject({ state: 'loaded', loadedBy: 'manual' });
  });
  it('an invalid "if" without a condition is refused with its path', () => {
    const s = scenario([{ name: 'x', location: 'builtin', init: [{ op: 'if', then: [] } as unknown as KernelAction] }]);
    expect(new Simulation(s).errors).toEqual([{ path: 'modules[0].init[0]', message: '"if" needs "when", "device" or "call"' }]);
  });
});

describe('a module while its module_init runs (kernel/module/main.c: MODULE_STATE_COMING)', () => {
  it('is "loading", with the alias that loaded it, from load_module until init returns; then loaded', () => {
    const s = scenario([
      { name: 'board', location: 'builtin', initcall: 'arch', init: [pdev('foo')] },
      { name: 'foo', location: 'module', aliases: ['platform:foo'], drivers: { d: { name: 'foo', bus: 'platform', probe: [] } }, init: [{ op: 'platform_driver_register', driver: 'd' }] },
    ]);
    const { sim, events } = run(s);
    const start = events.findIndex((e) => e.text.startsWith('load_module foo'));
    const bind = events.findIndex((e) => e.kind === 'bind' && e.text.includes('foo'));
    const live = events.findIndex((e) => e.text === 'foo is live');
    expect(start).toBeGreaterThan(-1);
    expect(sim.stateAt(start - 1).modules.find((m) => m.name === 'foo')!.state).toBe('not-loaded');
    expect(sim.stateAt(bind).modules.find((m) => m.name === 'foo')).toMatchObject({ state: 'loading', loadedBy: 'platform:foo' });
    expect(sim.stateAt(live).modules.find((m) => m.name === 'foo')!.state).toBe('loaded');
  });
});

describe('KBUILD_MODNAME (scripts/Makefile.lib name-fix: "-" and "," become "_")', () => {
  it('a module "my-nic" names its auxiliary device my_nic.rdma.0, and "my-drv" its auxiliary driver my_drv.rdma, which binds it', () => {
    const { end } = run(scenario([
      { name: 'board', location: 'builtin', initcall: 'arch', init: [pdev('nic')] },
      {
        name: 'my-nic', location: 'builtin', initcall: 'device',
        drivers: { d: { name: 'nic', bus: 'platform', probe: [{ op: 'auxiliary_device_add', name: 'rdma' }] } },
        init: [{ op: 'platform_driver_register', driver: 'd' }],
      },
      {
        name: 'my-drv', location: 'builtin', initcall: 'late',
        drivers: { r: { name: 'rdma', bus: 'auxiliary', idTable: ['my_nic.rdma'], probe: [] } },
        init: [{ op: 'auxiliary_driver_register', driver: 'r' }],
      },
    ]));
    const aux = end.devices.find((d) => d.bus === 'auxiliary');
    expect(aux).toMatchObject({ name: 'my_nic.rdma.0', modalias: 'auxiliary:my_nic.rdma', driver: 'my_drv.rdma' });
  });
});

describe('auxiliary.c pr_fmt ("%s:%s: ", KBUILD_MODNAME, __func__; the file is built in as "auxiliary")', () => {
  it('auxiliary_device_add() with no parent logs "auxiliary:auxiliary_device_init: auxiliary_device has a NULL dev->parent"', () => {
    const { end } = run(scenario([
      { name: 'm', location: 'builtin', initcall: 'device', init: [{ op: 'auxiliary_device_add', name: 'x', orReturn: 'ignore' }] },
    ]));
    expect(end.log).toContain('auxiliary:auxiliary_device_init: auxiliary_device has a NULL dev->parent');
  });
});

describe("kmod's alias_normalize() (shared/util.c): '-' and '_' are the same in a lookup, except inside [...]", () => {
  it('udev loads the module whose alias "platform:foo_bar" a device "foo-bar" (MODALIAS=platform:foo-bar) asks for', () => {
    const { end } = run(scenario([
      { name: 'board', location: 'builtin', initcall: 'arch', init: [pdev('foo-bar')] },
      { ...drvModule('foo_bar', {}, [{ op: 'platform_driver_register', driver: 'd' }], 'module'), aliases: ['platform:foo_bar'], drivers: { d: { name: 'foo-bar', bus: 'platform', deviceTable: false } } },
    ]));
    expect(end.modules.find((m) => m.name === 'foo_bar')).toMatchObject({ state: 'loaded', loadedBy: 'platform:foo-bar' }); // the MODALIAS udev asked for
    expect(bound(end, 'foo-bar')).toBe('foo-bar');
  });
  it('normalizes outside bracket expressions only', async () => {
    const { aliasNormalize, aliasMatch } = await import('../core/fnmatch');
    expect(aliasNormalize('of:N*T*Cv,a-b[x-z]-c')).toBe('of:N*T*Cv,a_b[x-z]_c');
    expect(aliasMatch('platform:a_b', 'platform:a-b')).toBe(true);
    expect(aliasMatch('platform:a[-]b', 'platform:a_b')).toBe(false);
  });
  it('AliasSet, the one index for kmod-style lookups, normalizes both the aliases and the MODALIAS', async () => {
    const { AliasSet } = await import('../core/fnmatch');
    const set = new AliasSet(['platform:foo_bar', 'of:N*T*Cv,a-b*', 'platform:x[-]y']);
    expect(set.matches('platform:foo-bar')).toEqual([0]);
    expect(set.matches('of:NnT(null)Cv,a_b')).toEqual([1]);
    // the MODALIAS is normalized whole: a '-' kept in a bracket expression matches no lookup
    expect(set.matches('platform:x_y')).toEqual([]);
    expect(set.matches('platform:x-y')).toEqual([]);
  });
});
