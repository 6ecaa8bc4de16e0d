/**
 * The two engine additions the machine importer needs (docs/machine-import.md):
 * a data-defined bus with `match: "modalias"` (devices carry their MODALIAS verbatim; a driver's
 * id table is written as modules.alias patterns) and `device_register` without a bus (a bare
 * struct device: drivers/base/core.c device_add with no bus and no class, so dev_uevent_filter()
 * sends no uevent).
 */
import { describe, expect, it } from 'vitest';
import { Simulation, validateScenario } from '../index';
import type { ModuleDef, Scenario } from '../scenario/schema';

const PCI = 'pci:v00008086d0000100Esv00001AF4sd00001100bc02sc00i00';

function scenario(modules: ModuleDef[], buses: Scenario['buses'] = [{ name: 'pci', match: 'modalias', modaliasPrefix: '' }]): Scenario {
  return {
    id: 'modalias-bus', title: 'modalias bus', kernel: { version: '6.1' },
    firmware: { description: 'acpi', acpi: { psciCompliant: false, psciUseHvc: false }, psciVersion: '1.0', smcccVersion: '1.0', services: {} },
    udev: { running: true }, buses, modules,
  };
}

const enumeration = (devices: ModuleDef['init']): ModuleDef => ({ name: 'enum', location: 'builtin', initcall: 'core', init: [{ op: 'bus_register', bus: 'pci' }, ...(devices ?? [])] });
const e1000 = (location: 'module' | 'builtin', idTable?: string[]): ModuleDef => ({
  name: 'e1000', location, ...(location === 'builtin' ? { initcall: 'device' as const } : {}),
  aliases: ['pci:v00008086d0000100Esv*sd*bc*sc*i*'],
  drivers: { d: { name: 'e1000', bus: 'pci', deviceTable: false, ...(idTable ? { idTable } : {}), probe: [] } },
  init: [{ op: 'driver_register', driver: 'd' }],
});

function run(s: Scenario) {
  const sim = new Simulation(s);
  expect(sim.errors).toEqual([]);
  return { sim, snap: sim.stateAt(sim.lastStep), events: sim.summary().events };
}

describe('data-defined bus, match "modalias"', () => {
  it('the uevent carries the device\'s MODALIAS verbatim; udev loads the module by its alias; the table binds', () => {
    const { snap, events } = run(scenario([
      enumeration([{ op: 'device_register', bus: 'pci', name: '0000:00:03.0', modalias: PCI }]),
      e1000('module', ['pci:v00008086d0000100Esv*sd*bc*sc*i*']),
    ]));
    const add = snap.uevents.find((u) => u.action === 'add' && u.devpath === '/devices/0000:00:03.0')!;
    expect(Object.fromEntries(add.env)).toMatchObject({ SUBSYSTEM: 'pci', MODALIAS: PCI });
    expect(snap.modules.find((m) => m.name === 'e1000')).toMatchObject({ state: 'loaded', loadedBy: PCI });
    expect(snap.devices.find((d) => d.name === '0000:00:03.0')).toMatchObject({ bus: 'pci', driver: 'e1000', modalias: PCI });
    const m = events.find((e) => e.kind === 'match' && e.match?.matched)!;
    expect(m.match).toMatchObject({ rule: 'id_table', driver: 'e1000', device: '0000:00:03.0' });
    expect(m.match!.compared).toContain('"pci:v00008086d0000100Esv*sd*bc*sc*i*"');
  });

  it('a pattern that does not match, a driver without a table, a device without MODALIAS: no bind', () => {
    // same literal prefix as the device (a candidate in the bus's index), then bc03 against bc02
    const miss = run(scenario([enumeration([{ op: 'device_register', bus: 'pci', name: 'dev0', modalias: PCI }]), e1000('builtin', ['pci:v00008086d0000100Esv*sd*bc03*'])]));
    expect(miss.snap.devices.find((d) => d.name === 'dev0')!.driver).toBeNull();
    expect(miss.events.find((e) => e.kind === 'match')!.match).toMatchObject({ matched: false, compared: expect.stringMatching(/vs 1 id_table entries \(as modules.alias\): none matches/) });
    // no table, or no MODALIAS: the index offers no candidate (as for any bus: pairs that cannot match are not tried)
    const none = run(scenario([enumeration([{ op: 'device_register', bus: 'pci', name: 'dev0', modalias: PCI }]), e1000('builtin')]));
    expect(none.snap.devices.find((d) => d.name === 'dev0')!.driver).toBeNull();
    expect(none.events.filter((e) => e.kind === 'match')).toEqual([]);
    const bare = run(scenario([enumeration([{ op: 'device_register', bus: 'pci', name: 'dev0' }]), e1000('builtin', ['pci:*'])]));
    expect(bare.snap.devices.find((d) => d.name === 'dev0')!.driver).toBeNull();
    expect(bare.events.filter((e) => e.kind === 'match')).toEqual([]);
    const add = bare.snap.uevents.find((u) => u.action === 'add' && u.devpath === '/devices/dev0')!;
    expect(add.env.map(([k]) => k)).not.toContain('MODALIAS');
  });

  it('the index: a short literal prefix ("acpi*:") makes the pattern a candidate for every device; matching still decides', () => {
    const { snap } = run(scenario([
      enumeration([{ op: 'device_register', bus: 'pci', name: 'a', modalias: 'acpi:PNP0C0C:' }, { op: 'device_register', bus: 'pci', name: 'b', modalias: 'acpi:PNP0A03:' }]),
      { ...e1000('builtin', ['acpi*:PNP0C0C:*']), aliases: [] },
    ]));
    expect(snap.devices.filter((d) => d.driver === 'e1000').map((d) => d.name)).toEqual(['a']);
  });

  it('with deviceTable: false the driver adds nothing to modules.alias; the module\'s aliases are the lines', () => {
    const { snap } = run(scenario([enumeration([]), e1000('module', ['pci:v00008086d0000100Esv*sd*bc*sc*i*', 'pci:v00008086d00001234sv*sd*bc*sc*i*'])]));
    expect(snap.modules.find((m) => m.name === 'e1000')!.aliases).toEqual(['pci:v00008086d0000100Esv*sd*bc*sc*i*']);
  });

  it('validation: a literal MODALIAS only on a "modalias" bus; bus names may have dashes', () => {
    const bad = validateScenario(scenario([enumeration([{ op: 'device_register', bus: 'pci', name: 'x', modalias: PCI }])], [{ name: 'pci', match: 'id_table', modaliasPrefix: 'pci:' }]));
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors).toContainEqual({ path: 'modules[0].init[1].modalias', message: 'a literal MODALIAS needs a bus with "match": "modalias" (bus "pci" matches by id_table)' });
    const dash = validateScenario(scenario([], [{ name: 'serial-base', match: 'modalias', modaliasPrefix: '' }]));
    expect(dash.ok).toBe(true);
  });
});

describe('device_register without a bus', () => {
  it('adds a bare device: a sysfs directory, a parent for others, no uevent', () => {
    const { snap } = run(scenario([enumeration([
      { op: 'device_register', name: 'pci0000:00' },
      { op: 'device_register', bus: 'pci', name: '0000:00:03.0', modalias: PCI, parent: '/devices/pci0000:00' },
    ])]));
    expect(snap.devices.find((d) => d.name === 'pci0000:00')).toMatchObject({ bus: null, class: null, devpath: '/devices/pci0000:00', parent: null });
    expect(snap.devices.find((d) => d.name === '0000:00:03.0')).toMatchObject({ devpath: '/devices/pci0000:00/0000:00:03.0', parent: '/devices/pci0000:00' });
    expect(snap.uevents.filter((u) => u.devpath === '/devices/pci0000:00')).toEqual([]);
  });

  it('validation: a bare device has no ids and no MODALIAS', () => {
    const v = validateScenario(scenario([enumeration([{ op: 'device_register', name: 'x', ids: { a: 1 }, modalias: 'a:b' }])]));
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.errors.map((e) => e.path)).toEqual(['modules[0].init[1].ids', 'modules[0].init[1].modalias']);
  });
});
