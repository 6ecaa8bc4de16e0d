/** The worked example in docs/scenario-format.md behaves as the document says. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { Simulation } from '../index';

const example = JSON.parse(readFileSync(new URL('../../../docs/examples/sixth-design.json', import.meta.url), 'utf8')) as unknown;

describe('docs/examples/sixth-design.json', () => {
  const sim = new Simulation(example);
  const end = sim.stateAt(sim.lastStep);
  it('is valid', () => expect(sim.errors).toEqual([]));
  it('puts rsi under the bus root device with MODALIAS=cca:rsi', () => {
    expect(end.devices.find((d) => d.name === 'rsi')).toMatchObject({ devpath: '/devices/cca/rsi', bus: 'cca_service', modalias: 'cca:rsi', driver: null });
  });
  it('udev loads arm_cca_guest through the alias made from the id table, and its driver binds', () => {
    expect(end.modules.find((m) => m.name === 'arm_cca_guest')).toMatchObject({ state: 'loaded', loadedBy: 'cca:rsi', aliases: ['cca:rsi'] });
    const actions = end.uevents.filter((u) => u.devpath === '/devices/cca/rsi').map((u) => u.action);
    expect(actions).toEqual(['add', 'add', 'bind', 'unbind']);
  });
  it('the unbind uevent has no MODALIAS and the uevent file shows MODALIAS only', () => {
    const unbind = end.uevents.find((u) => u.action === 'unbind')!;
    expect(unbind.env.map(([k]) => k)).toEqual(['ACTION', 'DEVPATH', 'SUBSYSTEM', 'SEQNUM']);
    const read = sim.summary().events.filter((e) => e.kind === 'sysfs').pop()!;
    expect(read.text).toMatch(/cat \/sys\/devices\/cca\/rsi\/uevent → MODALIAS=cca:rsi$/);
  });
  it('a malformed copy gets errors that name the JSON path', () => {
    const bad = JSON.parse(JSON.stringify(example)) as { modules: { drivers?: Record<string, { bus: string }> }[]; buses: { match: string }[] };
    bad.modules[1]!.drivers!['guest']!.bus = 'cca';
    bad.buses[0]!.match = 'fuzzy';
    const s = new Simulation(bad);
    expect(s.errors.map((e) => e.path)).toEqual(['buses[0].match']);
    bad.buses[0]!.match = 'id_table';
    expect(new Simulation(bad).errors).toEqual([{ path: 'modules[1].drivers.guest.bus', message: expect.stringMatching(/unknown bus "cca"/) }]);
    // faux_bus_type is static in drivers/base/faux.c: no module's driver can sit on it
    bad.modules[1]!.drivers!['guest']!.bus = 'faux';
    expect(new Simulation(bad).errors).toEqual([{ path: 'modules[1].drivers.guest.bus', message: expect.stringMatching(/no module can register a driver on the faux bus/) }]);
  });
});

describe('docs/examples/pci-auxiliary.json: PCI defined as data', () => {
  const pci = JSON.parse(readFileSync(new URL('../../../docs/examples/pci-auxiliary.json', import.meta.url), 'utf8')) as unknown;
  const sim = new Simulation(pci);
  const end = sim.stateAt(sim.lastStep);
  const MODALIAS = 'pci:v00008086d00001593sv00008086sd00000002bc02sc00i00';
  it('is valid', () => expect(sim.errors).toEqual([]));
  it('pci_uevent: MODALIAS=pci:v%08Xd%08Xsv%08Xsd%08Xbc%02Xsc%02Xi%02X, and the modalias attribute reads the same', () => {
    expect(end.devices.find((d) => d.name === '0000:00:01.0')).toMatchObject({ devpath: '/devices/pci0000:00/0000:00:01.0', modalias: MODALIAS, driver: 'nic' });
    expect(sim.actionResults[0]).toEqual({ rc: 0, output: [MODALIAS] });
  });
  it('file2alias do_pci_entry: fields left out become "*", with the trailing wildcard; udev loads nic by it', () => {
    const nic = end.modules.find((m) => m.name === 'nic')!;
    expect(nic.aliases).toEqual(['pci:v00008086d00001593sv*sd*bc*sc*i*']);
    // udev's kmod builtin passes the device's MODALIAS; modprobe matches it against that alias
    expect(nic).toMatchObject({ state: 'loaded', loadedBy: MODALIAS });
  });
  it('the PCI driver\'s probe creates the auxiliary device, and udev loads its driver by auxiliary: alias', () => {
    expect(end.devices.find((d) => d.name === 'nic.rdma.0')).toMatchObject({ devpath: '/devices/pci0000:00/0000:00:01.0/nic.rdma.0', driver: 'nic_rdma', modalias: 'auxiliary:nic.rdma' });
  });
  it('a device whose ids match no entry stays unbound (pci_match_id compares every field an entry sets)', () => {
    const other = JSON.parse(JSON.stringify(pci)) as { modules: { name: string; init?: { ids?: Record<string, string> }[] }[] };
    other.modules.find((m) => m.name === 'pci_host')!.init![0]!.ids!['device'] = '0x1594';
    const s = new Simulation(other);
    const e = s.stateAt(s.lastStep);
    expect(e.devices.find((d) => d.name === '0000:00:01.0')!.driver).toBeNull();
    expect(e.modules.find((m) => m.name === 'nic')!.state).toBe('not-loaded');
  });
  it('an id field the bus does not have is refused with its path', () => {
    const bad = JSON.parse(JSON.stringify(pci)) as { modules: { name: string; drivers?: Record<string, { ids?: Record<string, string>[] }> }[] };
    bad.modules.find((m) => m.name === 'nic')!.drivers!['nic']!.ids![0]!['vendr'] = '0x1';
    expect(new Simulation(bad).errors).toEqual([{ path: 'modules[2].drivers.nic.ids[0].vendr', message: expect.stringMatching(/no id field "vendr"/) }]);
  });
});
