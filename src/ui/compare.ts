/**
 * The compare table: for each firmware service (RSI, RMI, TRNG), what a design made of it.
 * The service's device is found through its firmware node (`smccc:RSI`, ...) and the
 * devices that node gave rise to; an auxiliary child of that device, if any, is the
 * service's device (the auxiliary designs hang the per-service device under arm-smccc).
 * Pure: unit-tested in compare.test.ts.
 */
import type { DeviceView, Snapshot, TraceEvent } from '../engine/api';
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

function serviceDevice(snapshot: Snapshot, fwId: string): DeviceView | null {
  const fw = snapshot.firmware.find((f) => f.id === fwId);
  if (!fw) return null;
  const devs = fw.devices.map((p) => snapshot.devices.find((d) => d.devpath === p)).filter((d): d is DeviceView => !!d);
  const first = devs.find((d) => d.bus) ?? devs[0];
  if (!first) return null;
  const aux = snapshot.devices.find((d) => d.parent === first.devpath && d.bus === 'auxiliary');
  return aux ?? first;
}

function descendants(snapshot: Snapshot, devpath: string): DeviceView[] {
  return snapshot.devices.filter((d) => d.devpath.startsWith(devpath + '/'));
}

/**
 * What one design made of one service. `focusModule` is the scenario's TSM module: the
 * module a reader expects to load for RSI/RMI even when nothing ties it to the device
 * (the faux design).
 */
export function serviceFacts(snapshot: Snapshot, serviceId: string, focusModule?: string): ServiceFacts {
  const label = SERVICES.find((s) => s.id === serviceId)?.label ?? serviceId;
  const present = snapshot.firmware.some((f) => f.id === serviceId);
  const dev = serviceDevice(snapshot, serviceId);
  const empty: ServiceFacts = {
    service: label, present, device: NONE, sysfs: NONE, modalias: NONE, module: NONE, driver: NONE, unbindable: NONE, classDevice: NONE,
  };
  if (!dev) return { ...empty, device: present ? 'no device' : 'service absent' };

  const driver = dev.driver ? snapshot.drivers.find((d) => d.name === dev.driver && d.bus === dev.bus) : undefined;
  const byDriver = driver?.module ? snapshot.modules.find((m) => m.name === driver.module) : undefined;
  const byAlias = dev.modalias ? snapshot.modules.find((m) => m.aliases.includes(dev.modalias!)) : undefined;
  const byFocus = serviceId !== 'smccc:TRNG' && focusModule ? snapshot.modules.find((m) => m.name === focusModule) : undefined;
  const mod = byDriver ?? byAlias ?? byFocus;
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
  a: Snapshot,
  b: Snapshot,
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

/**
 * The step of run B at the "same timeline position" as `stepA` of run A: the same boot
 * stage (the latest depth-0 phase event, matched by its text), at the same fraction of
 * that stage. Last step maps to last step; before anything maps to before anything.
 */
export function alignStep(eventsA: TraceEvent[], stepA: number, eventsB: TraceEvent[]): number {
  const lastA = eventsA.length - 1;
  const lastB = eventsB.length - 1;
  if (stepA < 0 || lastB < 0) return -1;
  if (stepA >= lastA) return lastB;
  const isStage = (e: TraceEvent) => e.kind === 'phase' && e.depth === 0;
  const stage = (events: TraceEvent[], i: number) => {
    let start = 0;
    for (let j = Math.min(i, events.length - 1); j >= 0; j--) if (isStage(events[j]!)) { start = j; break; }
    let end = events.length;
    for (let j = start + 1; j < events.length; j++) if (isStage(events[j]!)) { end = j; break; }
    return { start, end };
  };
  const sa = stage(eventsA, stepA);
  const text = eventsA[sa.start]!.text;
  const startB = eventsB.findIndex((e) => isStage(e) && e.text === text);
  if (startB < 0) return Math.round((stepA / Math.max(lastA, 1)) * lastB);
  const sb = stage(eventsB, startB);
  const frac = (stepA - sa.start) / Math.max(sa.end - sa.start, 1);
  return Math.min(sb.start + Math.floor(frac * (sb.end - sb.start)), sb.end - 1, lastB);
}
