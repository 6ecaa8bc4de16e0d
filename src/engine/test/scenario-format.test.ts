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
  });
});
