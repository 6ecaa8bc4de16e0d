/**
 * The compare table: for each firmware service (RSI, RMI, TRNG), what a design made of it.
 * The service's device is found through its firmware node (`smccc:RSI`, ...) and the
 * devices that node gave rise to; an auxiliary child of that device, if any, is the
 * service's device (the auxiliary designs hang the per-service device under arm-smccc).
 * Pure: unit-tested in compare.test.ts.
 */
import type { DeviceView, ModuleView, TraceEvent } from '../engine/api';
import type { SnapshotCore } from '../worker/protocol';
import type { EventIndex } from '../worker/eventIndex';
import { moduleDetail } from './graph/toFlow';

export const SERVICES = [
  { id: 'smccc:RSI', label: 'RSI (Realm guest)' },
  { id: 'smccc:RMI', label: 'RMI (KVM host)' },
  { id: 'smccc:TRNG', label: 'TRNG' },
] as const;

export interface ServiceFacts {
  service: string;
  present: boolean;
  device: string; // "name (bus)" or "—"
  sysfs: string;
  modalias: string;
  module: string; // "name: loaded by alias X" ...
  driver: string;
  unbindable: string; // yes / no
  classDevice: string;
}

export const FACT_ROWS: [keyof ServiceFacts, string][] = [
  ['device', 'Device (bus)'],
  ['sysfs', 'sysfs path'],
  ['modalias', 'MODALIAS'],
  ['module', 'Module loaded, and how'],
  ['driver', 'Driver bound'],
  ['unbindable', 'Unbindable by userspace'],
  ['classDevice', 'Class device'],
];

const NONE = '—';

function serviceDevice(snapshot: SnapshotCore, fwId: string): DeviceView | null {
  const fw = snapshot.firmware.find((f) => f.id === fwId);
  if (!fw) return null;
  const devs = fw.devices.map((p) => snapshot.devices.find((d) => d.devpath === p)).filter((d): d is DeviceView => !!d);
  const first = devs.find((d) => d.bus) ?? devs[0];
  if (!first) return null;
  const aux = snapshot.devices.find((d) => d.parent === first.devpath && d.bus === 'auxiliary');
  return aux ?? first;
}

function descendants(snapshot: SnapshotCore, devpath: string): DeviceView[] {
  return snapshot.devices.filter((d) => d.devpath.startsWith(devpath + '/'));
}

function boundDriver(snapshot: SnapshotCore, dev: DeviceView) {
  return dev.driver ? snapshot.drivers.find((d) => d.name === dev.driver && d.bus === dev.bus) : undefined;
}

/** the module the table names for a service: its driver's, else the one its MODALIAS matches, else the TSM module */
function serviceModule(snapshot: SnapshotCore, serviceId: string, dev: DeviceView, focusModule?: string): ModuleView | undefined {
  const driver = boundDriver(snapshot, dev);
  const byDriver = driver?.module ? snapshot.modules.find((m) => m.name === driver.module) : undefined;
  const byAlias = dev.modalias ? snapshot.modules.find((m) => m.aliases.includes(dev.modalias!)) : undefined;
  const byFocus = serviceId !== 'smccc:TRNG' && focusModule ? snapshot.modules.find((m) => m.name === focusModule) : undefined;
  return byDriver ?? byAlias ?? byFocus;
}

/**
 * What one design made of one service. `focusModule` is the scenario's TSM module: the
 * module a reader expects to load for RSI/RMI even when nothing ties it to the device
 * (the faux design).
 */
export function serviceFacts(snapshot: SnapshotCore, serviceId: string, focusModule?: string): ServiceFacts {
  const label = SERVICES.find((s) => s.id === serviceId)?.label ?? serviceId;
  const present = snapshot.firmware.some((f) => f.id === serviceId);
  const dev = serviceDevice(snapshot, serviceId);
  const empty: ServiceFacts = {
    service: label, present, device: NONE, sysfs: NONE, modalias: NONE, module: NONE, driver: NONE, unbindable: NONE, classDevice: NONE,
  };
  if (!dev) return { ...empty, device: present ? 'no device' : 'service absent' };

  const driver = boundDriver(snapshot, dev);
  const mod = serviceModule(snapshot, serviceId, dev, focusModule);
  let module = NONE;
  if (mod) {
    module = `${mod.name}: ${moduleDetail(mod)}`;
  } else if (driver && !driver.module) module = 'driver is built in';

  const classDevs = descendants(snapshot, dev.devpath).filter((d) => d.class);
  return {
    ...empty,
    device: `${dev.name} (${dev.bus ?? dev.class ?? 'no bus'})`,
    sysfs: `/sys${dev.devpath}`,
    modalias: dev.modalias ?? 'none',
    module,
    driver: dev.driver ? `${dev.driver}${dev.bus === 'faux' ? ' (faux bus binds at once)' : ''}` : dev.deferred ? 'none (deferred)' : 'none',
    unbindable: dev.unbindable ? 'yes' : 'no',
    classDevice: classDevs.length ? classDevs.map((d) => `/sys/class/${d.class}/${d.name}`).join(', ') : 'none',
  };
}

export interface CompareRow {
  label: string;
  a: string;
  b: string;
  differs: boolean;
}

export interface CompareSection {
  service: string;
  rows: CompareRow[];
}

/** The difference summary of two designs: one section per service present in either. */
export function compareServices(
  a: SnapshotCore,
  b: SnapshotCore,
  focus: { a?: string; b?: string } = {},
): CompareSection[] {
  const out: CompareSection[] = [];
  for (const s of SERVICES) {
    const fa = serviceFacts(a, s.id, focus.a);
    const fb = serviceFacts(b, s.id, focus.b);
    if (!fa.present && !fb.present) continue;
    out.push({
      service: s.label,
      rows: FACT_ROWS.map(([key, label]) => ({ label, a: fa[key] as string, b: fb[key] as string, differs: fa[key] !== fb[key] })),
    });
  }
  return out;
}

/** What the table folds away: rows the same in A and B, shown again on demand. */
export interface ShownSection {
  service: string;
  rows: CompareRow[];
  /** how many identical rows are folded away (0 when shown or none) */
  folded: number;
  /** one line in place of folded rows: what both designs share */
  summary: string | null;
}

/**
 * The table as drawn: with `showSame` off, rows identical in A and B are folded into one
 * summary line per service (a service the designs treat alike becomes a single line), so
 * the differences fit on one screen.
 */
export function shownSections(sections: CompareSection[], showSame: boolean): ShownSection[] {
  return sections.map((sec) => {
    if (showSame) return { service: sec.service, rows: sec.rows, folded: 0, summary: null };
    const rows = sec.rows.filter((r) => r.differs);
    const folded = sec.rows.length - rows.length;
    if (!folded) return { service: sec.service, rows, folded: 0, summary: null };
    const same = (label: string) => sec.rows.find((r) => r.label === label && !r.differs)?.a;
    const facts = [same('Device (bus)'), same('Module loaded, and how')].filter((t): t is string => !!t && t !== NONE);
    const what = rows.length ? `${folded} more row${folded === 1 ? '' : 's'} the same in A and B` : `the same in A and B`;
    return { service: sec.service, rows, folded, summary: facts.length ? `${what}: ${facts.join(' · ')}` : what };
  });
}

/** What the compact compare graph keeps: devpaths and module names. */
export interface ServiceScope {
  devices: Set<string>;
  modules: Set<string>;
}

/**
 * The per-service part of a design: each service's device and the devices under it (a
 * class device such as tsm0), and the module the table names for it. Taken from the run's
 * layout basis (every node of the run) so the graph keeps the same nodes at every step.
 */
export function serviceScope(snapshot: SnapshotCore, focusModule?: string): ServiceScope {
  const devices = new Set<string>();
  const modules = new Set<string>();
  for (const s of SERVICES) {
    const dev = serviceDevice(snapshot, s.id);
    if (!dev) continue;
    devices.add(dev.devpath);
    for (const d of descendants(snapshot, dev.devpath)) devices.add(d.devpath);
    const mod = serviceModule(snapshot, s.id, dev, focusModule);
    if (mod) modules.add(mod.name);
  }
  return { devices, modules };
}

/**
 * A snapshot cut down to a scope, for the compact compare graph: no firmware nodes, the
 * scope's devices (a parent outside the scope is dropped, so the device is top level),
 * the drivers bound to them (to reach their modules) and the scope's modules.
 */
export function scopedSnapshot(snapshot: SnapshotCore, scope: ServiceScope): SnapshotCore {
  const devices = snapshot.devices
    .filter((d) => scope.devices.has(d.devpath))
    .map((d) => (d.parent !== null && !scope.devices.has(d.parent) ? { ...d, parent: null } : d));
  return {
    ...snapshot,
    firmware: [],
    devices,
    drivers: snapshot.drivers
      .filter((drv) => drv.devices.some((p) => scope.devices.has(p)))
      .map((drv) => ({ ...drv, devices: drv.devices.filter((p) => scope.devices.has(p)) })),
    modules: snapshot.modules.filter((m) => scope.modules.has(m.name)),
  };
}

/**
 * The step of run B at the "same timeline position" as `stepA` of run A: the same boot
 * stage (the latest depth-0 phase event, matched by its text), at the same fraction of
 * that stage. Last step maps to last step; before anything maps to before anything.
 * Read from the runs' event indexes (worker/eventIndex.ts: the count and the stages).
 */
export function alignStep(a: EventIndex, stepA: number, b: EventIndex): number {
  const lastA = a.kinds.length - 1;
  const lastB = b.kinds.length - 1;
  if (stepA < 0 || lastB < 0) return -1;
  if (stepA >= lastA) return lastB;
  /** the stage holding step i (from the latest stage at or before it to the next), and the latest stage's text */
  const stage = (x: EventIndex, i: number) => {
    let k = -1;
    for (let j = x.stages.length - 1; j >= 0; j--) if (x.stages[j]!.step <= i) { k = j; break; }
    const start = k < 0 ? 0 : x.stages[k]!.step;
    const next = x.stages[k + 1];
    return { start, end: next ? next.step : x.kinds.length, text: k < 0 ? null : x.stages[k]!.text };
  };
  const sa = stage(a, stepA);
  const startB = sa.text === null ? -1 : (b.stages.find((s) => s.text === sa.text)?.step ?? -1);
  if (startB < 0) return Math.round((stepA / Math.max(lastA, 1)) * lastB);
  const sb = stage(b, startB);
  const frac = (stepA - sa.start) / Math.max(sa.end - sa.start, 1);
  return Math.min(sb.start + Math.floor(frac * (sb.end - sb.start)), sb.end - 1, lastB);
}
