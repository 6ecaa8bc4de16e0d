/**
 * A snapshot as the change from another one (the worker → UI step path): the worker diffs the
 * snapshot it is about to send against one it sent before and the UI still holds, the UI
 * applies the difference to its copy. One step of a 10k-device run then moves the few records
 * the step changed (kilobytes), not the whole world (tens of megabytes to structured-clone).
 *
 * Every list is sent as segments that rebuild it in order: `[from, count]` copies a run of the
 * old list, `{ v: [...] }` carries new or changed records. Records are compared as data
 * (deepEqual) or, for the lists the engine shares between snapshots (uevents), first by
 * reference. Unchanged records keep their identity on the UI side, so memoised views skip them.
 * Pure; no engine state. Tested in delta.test.ts.
 */
import type { Snapshot } from '../engine/api';

export type Segment<T> = [from: number, count: number] | { v: T[] };

export interface SnapshotDelta {
  /** id of the snapshot this applies to (null: a whole snapshot, every list in `v` segments) */
  base: number | null;
  /** id of the snapshot it makes */
  id: number;
  step: number;
  devices: Segment<Snapshot['devices'][number]>[];
  drivers: Segment<Snapshot['drivers'][number]>[];
  modules: Segment<Snapshot['modules'][number]>[];
  firmware: Segment<Snapshot['firmware'][number]>[];
  uevents: Segment<Snapshot['uevents'][number]>[];
  sysfs: Segment<string>[];
  log: Segment<string>[];
  /** the small fields, whole */
  rest: Pick<Snapshot, 'facts' | 'tsm' | 'files' | 'kernelVersion' | 'udevRunning'>;
  /** what the step cost in the worker (the benchmark reads it) */
  stats?: { stateMs: number; diffMs: number; records: number };
}

/** structural equality of JSON-like data */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k)) return false;
    if (!deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

/** segments builder: runs of copies merge, literals gather */
class Segments<T> {
  readonly out: Segment<T>[] = [];
  literals = 0;
  copy(from: number): void {
    const last = this.out[this.out.length - 1];
    if (Array.isArray(last) && last[0] + last[1] === from) last[1]++;
    else this.out.push([from, 1]);
  }
  value(v: T): void {
    this.literals++;
    const last = this.out[this.out.length - 1];
    if (last && !Array.isArray(last)) last.v.push(v);
    else this.out.push({ v: [v] });
  }
}

/** a list keyed by `key` (records may move, appear, vanish, change) */
export function diffKeyed<T>(prev: T[], next: T[], key: (t: T) => string): { segs: Segment<T>[]; literals: number } {
  if (prev === next) return unchanged(next);
  const at = new Map<string, number>();
  prev.forEach((t, i) => at.set(key(t), i));
  const s = new Segments<T>();
  for (const t of next) {
    const i = at.get(key(t));
    if (i !== undefined && deepEqual(prev[i], t)) s.copy(i);
    else s.value(t);
  }
  return { segs: s.out, literals: s.literals };
}

/**
 * A list in a known order (`before(a, b)`: a sorts before b), or appended to (no order: then
 * what follows the first difference is sent): walked with two cursors, no index built.
 */
export function diffOrdered<T>(prev: T[], next: T[], before?: (a: T, b: T) => boolean): { segs: Segment<T>[]; literals: number } {
  if (prev === next) return unchanged(next);
  const s = new Segments<T>();
  let i = 0;
  let j = 0;
  while (j < next.length) {
    const b = next[j]!;
    if (i < prev.length) {
      const a = prev[i]!;
      if (a === b || deepEqual(a, b)) {
        s.copy(i++);
        j++;
        continue;
      }
      if (before) {
        if (before(a, b)) {
          i++; // a is gone
          continue;
        }
        s.value(b); // b is new
        j++;
        continue;
      }
      i = prev.length; // appended-to list: nothing after a difference is reused
    }
    s.value(b);
    j++;
  }
  return { segs: s.out, literals: s.literals };
}

/** the engine hands out the same array while what it lists is unchanged: one copy of all of it */
function unchanged<T>(list: T[]): { segs: Segment<T>[]; literals: number } {
  return { segs: list.length ? [[0, list.length]] : [], literals: 0 };
}

const whole = <T>(list: T[]): Segment<T>[] => (list.length ? [{ v: list }] : []);

/** the delta that turns `prev` (sent as `baseId`) into `next`; prev null: the whole of next */
export function diffSnapshot(prev: Snapshot | null, baseId: number | null, next: Snapshot, id: number): SnapshotDelta {
  const rest = { facts: next.facts, tsm: next.tsm, files: next.files, kernelVersion: next.kernelVersion, udevRunning: next.udevRunning };
  if (!prev || baseId === null) {
    return {
      base: null, id, step: next.step, rest,
      devices: whole(next.devices), drivers: whole(next.drivers), modules: whole(next.modules), firmware: whole(next.firmware),
      uevents: whole(next.uevents), sysfs: whole(next.sysfs), log: whole(next.log),
    };
  }
  const devices = diffKeyed(prev.devices, next.devices, (d) => d.devpath);
  const drivers = diffKeyed(prev.drivers, next.drivers, (d) => d.id);
  const modules = diffKeyed(prev.modules, next.modules, (m) => m.name);
  const firmware = diffKeyed(prev.firmware, next.firmware, (f) => f.id);
  const uevents = diffOrdered(prev.uevents, next.uevents, (a, b) => a.seq < b.seq);
  // sysfs is sorted; a list that is not (for any reason) still diffs correctly, only larger
  const sysfs = diffOrdered(prev.sysfs, next.sysfs, (a, b) => a < b);
  const log = diffOrdered(prev.log, next.log);
  return {
    base: baseId, id, step: next.step, rest,
    devices: devices.segs, drivers: drivers.segs, modules: modules.segs, firmware: firmware.segs,
    uevents: uevents.segs, sysfs: sysfs.segs, log: log.segs,
  };
}

/** records a delta carries (literals), for the benchmark */
export function deltaRecords(d: SnapshotDelta): number {
  let n = 0;
  for (const list of [d.devices, d.drivers, d.modules, d.firmware, d.uevents, d.sysfs, d.log] as Segment<unknown>[][])
    for (const s of list) if (!Array.isArray(s)) n += s.v.length;
  return n;
}

function rebuild<T>(prev: T[], segs: Segment<T>[], what: string): T[] {
  const out: T[] = [];
  for (const s of segs) {
    if (Array.isArray(s)) {
      const [from, count] = s;
      if (from < 0 || from + count > prev.length) throw new Error(`snapshot delta: ${what} copies [${from}, ${from + count}) of a list of ${prev.length}`);
      for (let i = from; i < from + count; i++) out.push(prev[i]!);
    } else for (const v of s.v) out.push(v);
  }
  return out;
}

/** the snapshot a delta makes from `prev` (the snapshot with id `delta.base`) */
export function applyDelta(prev: Snapshot | null, d: SnapshotDelta): Snapshot {
  if (d.base !== null && !prev) throw new Error(`snapshot delta: applies to snapshot ${d.base}, which is not held`);
  const p: Snapshot = prev ?? { step: -1, devices: [], drivers: [], modules: [], firmware: [], uevents: [], sysfs: [], log: [], ...d.rest };
  return {
    step: d.step,
    devices: rebuild(p.devices, d.devices, 'devices'),
    drivers: rebuild(p.drivers, d.drivers, 'drivers'),
    modules: rebuild(p.modules, d.modules, 'modules'),
    uevents: rebuild(p.uevents, d.uevents, 'uevents'),
    sysfs: rebuild(p.sysfs, d.sysfs, 'sysfs'),
    log: rebuild(p.log, d.log, 'log'),
    firmware: rebuild(p.firmware, d.firmware, 'firmware'),
    // unchanged small fields keep their identity too
    facts: prev && deepEqual(prev.facts, d.rest.facts) ? prev.facts : d.rest.facts,
    tsm: prev && deepEqual(prev.tsm, d.rest.tsm) ? prev.tsm : d.rest.tsm,
    files: prev && deepEqual(prev.files, d.rest.files) ? prev.files : d.rest.files,
    kernelVersion: d.rest.kernelVersion,
    udevRunning: d.rest.udevRunning,
  };
}
