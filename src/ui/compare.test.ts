import { describe, expect, it } from 'vitest';
import type { DeviceView, FirmwareNodeView, Snapshot, TraceEvent } from '../engine/api';
import { indexOf } from '../worker/eventIndex';
import { alignStep, compareServices, scopedSnapshot, serviceFacts, serviceScope, shownSections } from './compare';
import { Simulation, getBuiltinScenario } from '../engine/index';

// Hand-written snapshots in the shape of the faux and auxiliary designs (not engine output).
const dev = (name: string, devpath: string, extra: Partial<DeviceView> = {}): DeviceView => ({
  name, bus: null, class: null, devpath, parent: devpath.slice(0, devpath.lastIndexOf('/')) || null, driver: null, modalias: null,
  driverOverride: null, unbindable: false, ofNode: null, acpiHid: null, firmwareNode: null, deferred: false, devmParent: null,
  createdBy: null, ...extra,
});
const fw = (id: string, devices: string[]): FirmwareNodeView => ({ id, kind: 'smccc', label: id, props: {}, parent: 'smccc', devices });
const snap = (parts: Partial<Snapshot>): Snapshot => ({
  step: 0, devices: [], drivers: [], modules: [], uevents: [], sysfs: [], log: [], firmware: [], facts: {},
  tsm: { reportProvider: null, classDevices: [] }, udevRunning: true, files: {}, kernelVersion: '7.0', ...parts,
});

const faux = snap({
  devices: [dev('arm-cca-dev', '/devices/faux/arm-cca-dev', { bus: 'faux', driver: 'faux_driver' })],
  drivers: [{ id: 'faux/faux_driver', name: 'faux_driver', bus: 'faux', module: null, bindAttrs: false, devices: ['/devices/faux/arm-cca-dev'] }],
  modules: [{ name: 'arm_cca_guest', state: 'not-loaded', loadedBy: null, location: 'module', aliases: ['platform:arm-cca-dev'], drivers: [], initRet: null }],
  firmware: [fw('smccc:RSI', ['/devices/faux/arm-cca-dev'])],
});
const AUX = '/devices/platform/arm-smccc/arm_cca_guest.arm-rsi-dev.0';
const aux = snap({
  devices: [
    dev('arm-smccc', '/devices/platform/arm-smccc', { bus: 'platform', driver: 'arm-smccc', unbindable: true }),
    dev('arm_cca_guest.arm-rsi-dev.0', AUX, { bus: 'auxiliary', driver: 'arm_cca_guest', modalias: 'auxiliary:arm_cca_guest.arm-rsi-dev', unbindable: true }),
    dev('tsm0', `${AUX}/tsm/tsm0`, { class: 'tsm' }),
  ],
  drivers: [{ id: 'auxiliary/arm_cca_guest', name: 'arm_cca_guest', bus: 'auxiliary', module: 'arm_cca_guest', bindAttrs: true, devices: [AUX] }],
  modules: [{ name: 'arm_cca_guest', state: 'loaded', loadedBy: 'auxiliary:arm_cca_guest.arm-rsi-dev', location: 'module', aliases: ['auxiliary:arm_cca_guest.arm-rsi-dev'], drivers: ['auxiliary/arm_cca_guest'], initRet: null }],
  // as in a design where the firmware node names the parent: the auxiliary child is the service's device
  firmware: [fw('smccc:RSI', ['/devices/platform/arm-smccc'])],
});

describe('serviceFacts', () => {
  it('faux: bound to faux_driver, no MODALIAS, TSM module not loaded, not unbindable', () => {
    expect(serviceFacts(faux, 'smccc:RSI', 'arm_cca_guest')).toMatchObject({
      device: 'arm-cca-dev (faux)', sysfs: '/sys/devices/faux/arm-cca-dev', modalias: 'none',
      module: 'arm_cca_guest: not loaded', driver: 'faux_driver (faux bus binds at once)', unbindable: 'no', classDevice: 'none',
    });
  });

  it('auxiliary: prefers the auxiliary child, module loaded by alias, tsm0 class device', () => {
    expect(serviceFacts(aux, 'smccc:RSI', 'arm_cca_guest')).toMatchObject({
      device: 'arm_cca_guest.arm-rsi-dev.0 (auxiliary)', sysfs: `/sys${AUX}`, modalias: 'auxiliary:arm_cca_guest.arm-rsi-dev',
      module: 'arm_cca_guest: loaded by alias auxiliary:arm_cca_guest.arm-rsi-dev', driver: 'arm_cca_guest', unbindable: 'yes',
      classDevice: '/sys/class/tsm/tsm0',
    });
  });

  it('tells an absent service from a present one without a device', () => {
    expect(serviceFacts(faux, 'smccc:RMI').device).toBe('service absent');
    expect(serviceFacts(snap({ firmware: [fw('smccc:RSI', [])] }), 'smccc:RSI').device).toBe('no device');
  });
});

describe('compareServices', () => {
  it('lists services present in either design and marks differences', () => {
    const sections = compareServices(faux, aux, { a: 'arm_cca_guest', b: 'arm_cca_guest' });
    expect(sections.map((s) => s.service)).toEqual(['RSI (Realm guest)']);
    const rows = sections[0]!.rows;
    expect(rows.find((r) => r.label === 'MODALIAS')).toEqual({ label: 'MODALIAS', a: 'none', b: 'auxiliary:arm_cca_guest.arm-rsi-dev', differs: true });
    expect(rows.every((r) => r.differs)).toBe(true);
    expect(compareServices(aux, aux)[0]!.rows.some((r) => r.differs)).toBe(false);
  });
});

describe('shownSections', () => {
  const trng = (s: Snapshot): Snapshot => ({
    ...s,
    devices: [...s.devices, dev('smccc_trng', '/devices/platform/smccc_trng', { bus: 'platform', driver: 'smccc_trng', modalias: 'platform:smccc_trng', unbindable: true })],
    drivers: [...s.drivers, { id: 'platform/smccc_trng', name: 'smccc_trng', bus: 'platform', module: 'arm_smccc_trng', bindAttrs: true, devices: ['/devices/platform/smccc_trng'] }],
    modules: [...s.modules, { name: 'arm_smccc_trng', state: 'loaded', loadedBy: 'platform:smccc_trng', location: 'module', aliases: ['platform:smccc_trng'], drivers: ['platform/smccc_trng'], initRet: null }],
    firmware: [...s.firmware, fw('smccc:TRNG', ['/devices/platform/smccc_trng'])],
  });
  const sections = compareServices(trng(aux), trng(faux), { a: 'arm_cca_guest', b: 'arm_cca_guest' });

  it('folds a service both designs treat alike into one line naming its device and module', () => {
    const [rsi, t] = shownSections(sections, false);
    expect(rsi).toMatchObject({ service: 'RSI (Realm guest)', folded: 0, summary: null });
    expect(rsi!.rows).toHaveLength(7);
    expect(t).toEqual({
      service: 'TRNG', rows: [], folded: 7,
      summary: 'the same in A and B: smccc_trng (platform) · arm_smccc_trng: loaded by alias platform:smccc_trng',
    });
  });

  it('keeps the differing rows of a partly equal service and counts the rest', () => {
    const [rsi] = shownSections(compareServices(aux, { ...aux, devices: aux.devices.filter((d) => d.name !== 'tsm0') }), false);
    expect(rsi!.rows.map((r) => r.label)).toEqual(['Class device']);
    expect(rsi!.folded).toBe(6);
    expect(rsi!.summary).toMatch(/^6 more rows the same in A and B: arm_cca_guest\.arm-rsi-dev\.0 \(auxiliary\) · arm_cca_guest: loaded by alias/);
  });

  it('shows every row on demand', () => {
    expect(shownSections(sections, true).map((s) => [s.rows.length, s.folded, s.summary])).toEqual([[7, 0, null], [7, 0, null]]);
  });
});

describe('serviceScope and scopedSnapshot', () => {
  it('keeps the service device, what hangs under it and its module; drops firmware and the rest', () => {
    // as the engine has it: the class device's parent is the device
    const withTsm = { ...aux, devices: aux.devices.map((d) => (d.name === 'tsm0' ? { ...d, parent: AUX } : d)) };
    const scope = serviceScope(withTsm, 'arm_cca_guest');
    expect([...scope.devices]).toEqual([AUX, `${AUX}/tsm/tsm0`]);
    expect([...scope.modules]).toEqual(['arm_cca_guest']);
    const cut = scopedSnapshot(withTsm, scope);
    expect(cut.firmware).toEqual([]);
    expect(cut.devices.map((d) => [d.name, d.parent])).toEqual([['arm_cca_guest.arm-rsi-dev.0', null], ['tsm0', AUX]]);
    expect(cut.drivers.map((d) => d.name)).toEqual(['arm_cca_guest']);
    expect(cut.modules.map((m) => m.name)).toEqual(['arm_cca_guest']);
    expect(aux.devices[1]!.parent).toBe('/devices/platform/arm-smccc'); // input untouched
  });

  it('keeps the TSM module of a design that never ties it to the device (faux)', () => {
    const scope = serviceScope(faux, 'arm_cca_guest');
    const cut = scopedSnapshot(faux, scope);
    expect(cut.devices.map((d) => d.name)).toEqual(['arm-cca-dev']);
    expect(cut.modules.map((m) => m.name)).toEqual(['arm_cca_guest']);
  });

  it('a scope taken from the whole run leaves out what a step does not have yet', () => {
    const scope = serviceScope(aux, 'arm_cca_guest');
    const early = scopedSnapshot(snap({ devices: aux.devices.slice(0, 1), firmware: aux.firmware }), scope);
    expect(early.devices).toEqual([]);
  });
});

describe('alignStep', () => {
  // '#name' a boot stage (a depth-0 phase event); '~name' a phase event deeper down, not a stage
  const ev = (texts: string[]) =>
    indexOf(texts.map((t, index): TraceEvent => ({ index, kind: /^[#~]/.test(t) ? 'phase' : 'device_add', depth: t.startsWith('~') ? 1 : 0, text: t.replace('~', '#'), cite: '', touches: {} })));
  const a = ev(['#boot', 'x', 'x', '#userspace', 'y', 'y', 'y', '#end']);
  const b = ev(['#boot', 'x', '#userspace', 'y', '#end']);
  it('maps ends to ends and the same stage to the same stage', () => {
    expect(alignStep(a, -1, b)).toBe(-1);
    expect(alignStep(a, 7, b)).toBe(4);
    expect(alignStep(a, 3, b)).toBe(2);
    expect(alignStep(a, 4, b)).toBe(2);
    expect(alignStep(a, 5, b)).toBe(3);
    expect(alignStep(a, 6, b)).toBe(3);
    expect(alignStep(a, 1, b)).toBe(0);
  });
  it('falls back to the same fraction of the run when the stage is unknown', () => {
    expect(alignStep(ev(['#other', 'x', 'x', '#z']), 1, b)).toBe(1);
    // no stage at or before the step: the fraction too
    expect(alignStep(ev(['x', 'x', 'x', 'x', '#boot', 'x', 'x', 'x', '#end']), 2, b)).toBe(1);
  });
  it('a phase event below depth 0 is not a stage', () => {
    // "#userspace" at depth 1 in A: step 4 is still in A's boot stage (0..7), half way: B's boot stage is 0..1
    const deep = ev(['#boot', 'x', 'x', '~userspace', 'y', 'y', 'y', 'y', '#end']);
    expect(alignStep(deep, 4, b)).toBe(1);
    expect(alignStep(a, 4, b)).toBe(2);
  });
});

describe('compareServices on real runs: any two revisions side by side', () => {
  const end = (id: string) => {
    const sim = new Simulation(getBuiltinScenario(id));
    return sim.stateAt(sim.lastStep);
  };
  it('arm_smccc bus v7 vs the queued code: the RSI device name, MODALIAS and alias differ; the driver and module do not', () => {
    const rsi = compareServices(end('smccc-bus-v7'), end('smccc-bus'), { a: 'arm_cca_guest', b: 'arm_cca_guest' }).find((s) => s.service.startsWith('RSI'))!;
    const row = (label: string) => rsi.rows.find((r) => r.label.startsWith(label))!;
    expect(row('Device')).toMatchObject({ differs: true, a: expect.stringContaining('arm-rsi-dev-2'), b: expect.stringContaining('arm-rsi') });
    expect(row('MODALIAS')).toMatchObject({ a: 'arm_smccc:arm-rsi-dev', b: 'arm_smccc:fC4000190', differs: true });
    expect(row('Module').differs).toBe(true); // loaded by a different alias
    expect(row('Driver')).toMatchObject({ differs: false, a: 'arm_cca_guest' });
  });
  it('auxiliary v2 vs v5: TRNG moves from platform smccc_trng to arm_smccc_trng.smccc_trng.0', () => {
    const trng = compareServices(end('auxiliary-v2'), end('auxiliary')).find((s) => s.service.startsWith('TRNG'))!;
    expect(trng.rows.find((r) => r.label.startsWith('Device'))).toMatchObject({ a: 'smccc_trng (platform)', b: expect.stringContaining('arm_smccc_trng.smccc_trng.0'), differs: true });
  });
});
