/**
 * The built-in designs' outcomes, asserted through the CLI's JSON — what a kernel developer
 * would check on a real machine: sysfs paths, uevents, module state, binding.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './sim';
import { getBuiltinScenario, Simulation } from '../engine/index';
import type { UserAction } from '../engine/index';

type CliJson = {
  kernel: string | null;
  devices: { name: string; bus: string | null; devpath: string; parent: string | null; driver: string | null; modalias: string | null }[];
  drivers: { name: string; bus: string; module: string | null; bindAttrs: boolean }[];
  modules: { name: string; state: string; loadedBy: string | null; initRet: number | null; initError: { errno: number; name: string; message: string } | null }[];
  uevents: { seq: number; action: string; devpath: string; subsystem: string; env: Record<string, string> }[];
  sysfs: string[];
  log: string[];
  errors: { path: string; message: string }[];
  files: Record<string, string>;
  tsm: { reportProvider: string | null; classDevices: string[] };
  actions: { op: string; ran: boolean; rc: number | null; error: { errno: number; name: string; message: string } | null; output: string[] | null }[];
};

function sim(args: string[]): CliJson {
  const r = runCli([...args, '--json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as CliJson;
}

const dir = mkdtempSync(join(tmpdir(), 'bindscope-'));
/** a built-in design with user actions appended, through a scenario file */
function simWith(id: string, actions: UserAction[]): CliJson {
  const s = getBuiltinScenario(id);
  const file = join(dir, `${id}-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify({ ...s, actions }));
  return sim([file]);
}

const dev = (j: CliJson, name: string) => j.devices.find((d) => d.name === name);
const mod = (j: CliJson, name: string) => j.modules.find((m) => m.name === name);

describe('CLI JSON shape', () => {
  it('has exactly the documented top-level keys', () => {
    expect(Object.keys(sim(['mainline']))).toEqual(['kernel', 'step', 'stopped', 'devices', 'drivers', 'modules', 'uevents', 'sysfs', 'files', 'tsm', 'actions', 'log', 'errors']);
  });
  it('--list lists every built-in with a description', () => {
    const r = runCli(['--list']);
    expect(r.code).toBe(0);
    for (const id of ['mainline', 'host-rfc', 'faux', 'auxiliary', 'smccc-bus']) expect(r.stdout).toMatch(new RegExp(`^${id} +\\S`, 'm'));
  });
  it('an unknown id or a bad file exits 2 with a clear message', () => {
    const r = runCli(['no-such-design']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown built-in scenario "no-such-design"/);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ "id": ');
    const r2 = runCli([bad]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/bad\.json:1:9: not valid JSON/);
  });
  it('a scenario that fails validation prints its errors with JSON paths and exits 2', () => {
    const s = getBuiltinScenario('auxiliary') as Record<string, unknown> & { modules: { drivers?: Record<string, { bus: string }> }[] };
    const i = s.modules.findIndex((m) => m.drivers?.['arm_cca_guest']);
    s.modules[i]!.drivers!['arm_cca_guest']!.bus = 'no_such_bus';
    const file = join(dir, 'unknown-bus.json');
    writeFileSync(file, JSON.stringify(s));
    const r = runCli([file, '--json']);
    expect(r.code).toBe(2);
    const j = JSON.parse(r.stdout) as CliJson;
    expect(j.errors).toEqual([expect.objectContaining({ path: `modules[${i}].drivers.arm_cca_guest.bus`, message: expect.stringMatching(/unknown bus "no_such_bus"/) })]);
  });
  it('--step shows the state at an earlier step', () => {
    const early = sim(['auxiliary', '--step', '5']);
    const late = sim(['auxiliary']);
    expect(early.uevents.length).toBeLessThan(late.uevents.length);
    expect(mod(early, 'arm_cca_guest')!.state).toBe('not-loaded');
  });
});

describe('mainline: platform device arm-cca-dev (drivers/virt/coco/arm-cca-guest)', () => {
  const j = sim(['mainline']);
  it('adds /sys/devices/platform/arm-cca-dev with MODALIAS=platform:arm-cca-dev', () => {
    expect(dev(j, 'arm-cca-dev')).toMatchObject({ devpath: '/devices/platform/arm-cca-dev', bus: 'platform', modalias: 'platform:arm-cca-dev' });
    expect(j.uevents.some((u) => u.action === 'add' && u.devpath === '/devices/platform/arm-cca-dev' && u.env.MODALIAS === 'platform:arm-cca-dev')).toBe(true);
  });
  it('udev loads arm_cca_guest through that alias', () => {
    expect(mod(j, 'arm_cca_guest')).toMatchObject({ name: 'arm_cca_guest', state: 'loaded', loadedBy: 'platform:arm-cca-dev' });
  });
  it('the device stays unbound: arm_cca_guest registers no driver', () => {
    expect(dev(j, 'arm-cca-dev')!.driver).toBeNull();
    expect(j.drivers.filter((d) => d.module === 'arm_cca_guest')).toEqual([]);
  });
  it('the TSM report provider registers', () => {
    const s = new Simulation(getBuiltinScenario('mainline'));
    expect(s.stateAt(s.lastStep).tsm.reportProvider).toBe('arm_cca_guest');
  });
});

describe('faux, as suggested in review: faux_device_create("arm-cca-dev") (drivers/base/faux.c)', () => {
  const j = sim(['faux-suggestion']);
  it('sits under /sys/devices/faux and is bound to faux_driver', () => {
    expect(dev(j, 'arm-cca-dev')).toMatchObject({ devpath: '/devices/faux/arm-cca-dev', bus: 'faux', driver: 'faux_driver', modalias: null });
  });
  it('no faux uevent carries a MODALIAS', () => {
    const faux = j.uevents.filter((u) => u.subsystem === 'faux');
    expect(faux.length).toBeGreaterThan(0);
    expect(faux.every((u) => !('MODALIAS' in u.env))).toBe(true);
  });
  it('a modular arm_cca_guest is never loaded', () => {
    expect(mod(j, 'arm_cca_guest')).toMatchObject({ name: 'arm_cca_guest', state: 'not-loaded', loadedBy: null });
  });
  it('no bind or unbind file exists for faux_driver', () => {
    expect(j.sysfs).toContain('/sys/bus/faux/drivers/faux_driver');
    expect(j.sysfs.filter((p) => p.startsWith('/sys/bus/faux/drivers/faux_driver/') && /\/(un)?bind$/.test(p))).toEqual([]);
    expect(j.drivers.find((d) => d.name === 'faux_driver')!.bindAttrs).toBe(false);
  });
  it('userspace cannot unbind it: the write fails to open the missing file', () => {
    const r = simWith('faux-suggestion', [{ op: 'write', path: '/sys/bus/faux/drivers/faux_driver/unbind', value: 'arm-cca-dev\n' }]);
    expect(dev(r, 'arm-cca-dev')!.driver).toBe('faux_driver');
    // open(O_CREAT) of a file sysfs does not have: the shell cannot create it
    expect(r.actions[0]).toMatchObject({ op: 'write', ran: true, rc: -13, error: { name: 'EACCES' } });
  });
});

describe('auxiliary: arm_cca_guest.arm-rsi-dev.0 under arm-smccc (drivers/base/auxiliary.c)', () => {
  const j = sim(['auxiliary']);
  const child = '/devices/platform/arm-smccc/arm_cca_guest.arm-rsi-dev.0';
  it('the child is at /sys/devices/platform/arm-smccc/arm_cca_guest.arm-rsi-dev.0 with MODALIAS=auxiliary:arm_cca_guest.arm-rsi-dev', () => {
    expect(dev(j, 'arm_cca_guest.arm-rsi-dev.0')).toMatchObject({ devpath: child, bus: 'auxiliary', parent: '/devices/platform/arm-smccc', modalias: 'auxiliary:arm_cca_guest.arm-rsi-dev' });
  });
  it('the module autoloads by that alias and its driver arm_cca_guest binds', () => {
    expect(mod(j, 'arm_cca_guest')).toMatchObject({ name: 'arm_cca_guest', state: 'loaded', loadedBy: 'auxiliary:arm_cca_guest.arm-rsi-dev' });
    expect(dev(j, 'arm_cca_guest.arm-rsi-dev.0')!.driver).toBe('arm_cca_guest');
    expect(j.drivers).toContainEqual({ name: 'arm_cca_guest', bus: 'auxiliary', module: 'arm_cca_guest', bindAttrs: true });
  });
  it('no guest tsm0: the posted probe (v5 1/3 cca_devsec_tsm_probe) only calls tsm_report_register', () => {
    expect(j.tsm).toEqual({ reportProvider: 'arm_cca_guest', classDevices: [] });
  });
  const tail = (r: CliJson, from: number) => r.uevents.slice(from).map((u) => `${u.action} ${u.devpath}`);
  it('removing arm-smccc releases its devres: the devm children go (unbind, remove), then arm-smccc itself', () => {
    const r = simWith('auxiliary', [{ op: 'remove_device', device: 'arm-smccc' }]);
    const from = j.uevents.length;
    const trng = '/devices/platform/arm-smccc/arm_smccc_trng.smccc_trng.0';
    expect(tail(r, from)).toEqual([`unbind ${trng}`, `remove ${trng}`, `unbind ${child}`, `remove ${child}`, 'remove /devices/platform/arm-smccc']);
  });
});

describe('non-Realm boot (arch/arm64/kernel/rsi.c:arm64_rsi_init finds no RSI)', () => {
  it.each(['mainline-nonrealm', 'host-rfc-nonrealm', 'faux-nonrealm', 'auxiliary-nonrealm', 'smccc-bus-nonrealm'])('%s: no RSI device', (id) => {
    const j = sim([id]);
    expect(j.devices.filter((d) => /arm-cca-dev|arm-rsi-dev/.test(d.name))).toEqual([]);
  });
  it('mainline: modprobe arm_cca_guest fails with -ENODEV (its init checks for a Realm)', () => {
    const r = simWith('mainline-nonrealm', [{ op: 'modprobe', module: 'arm_cca_guest' }]);
    expect(mod(r, 'arm_cca_guest')).toMatchObject({ name: 'arm_cca_guest', state: 'failed', loadedBy: null, initRet: -19, initError: { name: 'ENODEV', message: 'No such device' } });
  });
  it.each(['auxiliary-nonrealm', 'smccc-bus-nonrealm'])('%s: modprobe arm_cca_guest succeeds and binds nothing', (id) => {
    const r = simWith(id, [{ op: 'modprobe', module: 'arm_cca_guest' }]);
    expect(mod(r, 'arm_cca_guest')).toMatchObject({ name: 'arm_cca_guest', state: 'loaded', loadedBy: 'manual' });
    expect(r.devices.filter((d) => d.driver === 'arm_cca_guest')).toEqual([]);
  });
});

describe('module location and udev (udev kmod builtin, depmod)', () => {
  it('built in: nothing to load, the driver binds at boot', () => {
    const j = sim(['auxiliary-builtin']);
    expect(mod(j, 'arm_cca_guest')!.state).toBe('builtin');
    expect(dev(j, 'arm_cca_guest.arm-rsi-dev.0')!.driver).toBe('arm_cca_guest');
  });
  it('missing from the initramfs: never loads, the device stays unbound', () => {
    const j = sim(['auxiliary-missing']);
    expect(mod(j, 'arm_cca_guest')!.state).toBe('not-loaded');
    expect(dev(j, 'arm_cca_guest.arm-rsi-dev.0')!.driver).toBeNull();
  });
  it('udev not running: the uevent is sent but nothing loads until udev starts (coldplug)', () => {
    const j = sim(['auxiliary-noudev']);
    expect(mod(j, 'arm_cca_guest')!.state).toBe('not-loaded');
    const r = simWith('auxiliary-noudev', [{ op: 'udev_start' }]);
    expect(mod(r, 'arm_cca_guest')).toMatchObject({ state: 'loaded', loadedBy: 'auxiliary:arm_cca_guest.arm-rsi-dev' });
    expect(r.uevents.some((u) => u.env.SYNTH_UUID === '0' && u.devpath.endsWith('arm_cca_guest.arm-rsi-dev.0'))).toBe(true);
  });
});

describe('firmware variants (drivers/firmware/psci/psci.c, smccc.c)', () => {
  it('PSCI 0.2 firmware: no SMCCC discovery, so no RSI and no TRNG device', () => {
    const j = sim(['auxiliary-psci02']);
    expect(j.devices.filter((d) => d.bus === 'auxiliary' || d.name === 'smccc_trng' || d.name === 'arm-smccc')).toEqual([]);
    expect(j.log).toContain('psci: PSCIv0.2 detected in firmware.');
  });
  it('HVC conduit: a Realm needs SMC, so no RSI device; TRNG still works over HVC', () => {
    const j = sim(['mainline-hvc']);
    expect(dev(j, 'arm-cca-dev')).toBeUndefined();
    expect(dev(j, 'smccc_trng')!.driver).toBe('smccc_trng');
  });
  it('ACPI firmware: the FADT PSCI flags give the same devices as DT', () => {
    const a = sim(['auxiliary-acpi']);
    expect(a.log).toContain('psci: probing for conduit method from ACPI.');
    expect(dev(a, 'arm_cca_guest.arm-rsi-dev.0')!.driver).toBe('arm_cca_guest');
  });
});

describe('host side (RMI)', () => {
  it('host RFC v1 11/38, 12/38: arm-rmi-dev is a platform device bound by cca_tsm (module arm_cca_host), tsm0 under it', () => {
    const j = sim(['host-rfc-host']);
    expect(dev(j, 'arm-rmi-dev')).toMatchObject({ devpath: '/devices/platform/arm-rmi-dev', driver: 'cca_tsm', modalias: 'platform:arm-rmi-dev' });
    expect(j.sysfs).toContain('/sys/class/tsm/tsm0 -> ../../devices/platform/arm-rmi-dev/tsm/tsm0');
  });
  it('auxiliary v5 host (host RFC v4 01/14): arm_cca_host.arm-rmi-dev.0 under arm-smccc', () => {
    const j = sim(['auxiliary-host']);
    expect(dev(j, 'arm_cca_host.arm-rmi-dev.0')).toMatchObject({ parent: '/devices/platform/arm-smccc', driver: 'arm_cca_host', modalias: 'auxiliary:arm_cca_host.arm-rmi-dev' });
  });
  it('arm_smccc bus v7, host extrapolated: MODALIAS=arm_smccc:<name> loads the driver, which binds by id table', () => {
    const j = sim(['smccc-bus-v7-host']);
    const rmi = j.devices.find((d) => d.bus === 'arm_smccc' && d.name.startsWith('arm-rmi-dev-'))!;
    expect(rmi).toMatchObject({ driver: 'arm_cca_host', modalias: 'arm_smccc:arm-rmi-dev' });
    expect(mod(j, 'arm_cca_host')!.loadedBy).toBe('arm_smccc:arm-rmi-dev');
    expect(j.sysfs).toContain(`/sys/devices/${rmi.name}/modalias`);
  });
});

describe('--kernel runs a design on another release', () => {
  it('auxiliary on 6.1: no auxiliary_device_create() (6.16) and no faux bus (6.14), so no children under arm-smccc', () => {
    const j = sim(['auxiliary', '--kernel', '6.1']);
    expect(j.kernel).toBe('6.1');
    expect(j.devices.filter((d) => d.bus === 'auxiliary')).toEqual([]);
    expect(j.devices.some((d) => d.devpath === '/devices/faux')).toBe(false);
    expect(dev(j, 'arm-smccc')!.driver).toBeNull();
  });
  it('a malformed version exits 2 with the usage', () => {
    const r = runCli(['auxiliary', '--kernel', 'seven']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--kernel needs a version such as 6.1 or 7.4, got "seven"/);
  });
});

describe('a run that outgrows its budget', () => {
  it('stops with the budget, the step and what was running; the CLI exits 3 and says so in text and JSON', () => {
    const devs = Array.from({ length: 300 }, (_, i) => ({ op: 'platform_device_register_simple' as const, name: `d${i}`, id: 'NONE' as const }));
    const s = { ...getBuiltinScenario('mainline'), modules: [{ name: 'many', location: 'builtin', initcall: 'device', init: devs }] };
    const big = join(dir, 'big.json');
    writeFileSync(big, JSON.stringify(s));
    const sim = new Simulation(s, { maxDevices: 100 });
    expect(sim.stopped).toMatchObject({ budget: 'devices', message: expect.stringMatching(/more than 100 devices/) });
    expect(sim.stopped!.running).toMatch(/device_add|platform_device/);
    // the CLI runs with the default budget; the same file with 300 devices is fine there
    expect(runCli([big]).code).toBe(0);
    const loop = join(dir, 'loop.json');
    writeFileSync(loop, JSON.stringify({ ...getBuiltinScenario('mainline'), modules: [{
      name: 'm', location: 'builtin', initcall: 'device',
      drivers: { p: { name: 'parent', bus: 'platform', probe: [{ op: 'auxiliary_device_create', modname: 'm', name: 'c', devm: true }, { op: 'return', errno: 'EPROBE_DEFER' }] }, c: { bus: 'auxiliary', idTable: ['m.c'], probe: [] } },
      init: [{ op: 'auxiliary_driver_register', driver: 'c' }, { op: 'platform_driver_register', driver: 'p' }, { op: 'platform_device_register_simple', name: 'parent' }],
    }] }));
    const text = runCli([loop]);
    expect(text.code).toBe(3);
    expect(text.stdout).toMatch(/^# STOPPED at event \d+ \(probe-loop budget\): probe loop: parent was retried/m);
    expect(text.stderr).toMatch(/stopped at event \d+: probe-loop budget/);
    const j = runCli([loop, '--json']);
    expect(j.code).toBe(3);
    expect(JSON.parse(j.stdout).stopped).toMatchObject({ budget: 'probe-loop' });
  });
  it('the wall-time and event budgets stop a run too', () => {
    expect(new Simulation(getBuiltinScenario('auxiliary'), { maxMillis: -1 }).stopped).toMatchObject({ budget: 'time', step: 0 });
    expect(new Simulation(getBuiltinScenario('auxiliary'), { maxEvents: 40 }).stopped).toMatchObject({ budget: 'events', step: 40 });
    expect(new Simulation(getBuiltinScenario('auxiliary')).stopped).toBeNull();
  });
});

describe('the bundled bin (build/cli/bindscope.mjs, made by npm install/ci)', () => {
  it('prints the same JSON as the TypeScript runner, and exits with the same codes', { timeout: 60_000 }, async () => {
    const { spawnSync } = await import('node:child_process');
    const { existsSync } = await import('node:fs');
    if (!existsSync('build/cli/bindscope.mjs')) expect(spawnSync(process.execPath, ['scripts/build-cli.mjs']).status).toBe(0);
    const bin = spawnSync(process.execPath, ['build/cli/bindscope.mjs', 'smccc-bus', '--json'], { encoding: 'utf8' });
    expect(bin.status).toBe(0);
    expect(JSON.parse(bin.stdout)).toEqual(JSON.parse(runCli(['smccc-bus', '--json']).stdout));
    expect(spawnSync(process.execPath, ['build/cli/bindscope.mjs', 'no-such-design'], { encoding: 'utf8' }).status).toBe(2);
  });
});
