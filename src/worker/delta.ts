/**
 * A snapshot as the change from another one (the worker → UI step path): the worker diffs the
 * snapshot it is about to send against one it sent before and the UI still holds, the UI
 * applies the difference to its copy. One step of a 10k-device run then moves the few records
 * the step changed (kilobytes), not the whole world (tens of megabytes to structured-clone).
 *
 * Every list is sent as segments that rebuild it in order: `[from, count]` copies a run of the
 * old list, `{ v: [...] }` carries new or changed records. The engine hands out the same
 * records (and the same arrays) again while they are unchanged, so the lists are walked by
 * identity, runs of the same objects skipped at once, and only records that differ are compared
 * as data (deepEqual): the device list in its devpath order, the short lists by key between the
 * head and tail they share. A step costs a walk by identity, not a map of every record.
 * Unchanged records (and lists) keep their identity on the UI side, so memoised views skip them.
 * The snapshots are UiSnapshots (protocol.ts): the sysfs listing, uevent log and kernel log do
 * not cross with a step (only their counts); the UI asks for the rows it shows.
 * Pure; no engine state. Tested in delta.test.ts.
 */
import type { UiSnapshot as Snapshot } from './protocol';

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
  /** the small fields, whole */
  rest: Pick<Snapshot, 'facts' | 'tsm' | 'files' | 'kernelVersion' | 'udevRunning' | 'counts' | 'overrideBuses'>;
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
  copy(from: number, count = 1): void {
    const last = this.out[this.out.length - 1];
    if (Array.isArray(last) && last[0] + last[1] === from) last[1] += count;
    else this.out.push([from, count]);
  }
  value(v: T): void {
    this.literals++;
    const last = this.out[this.out.length - 1];
    if (last && !Array.isArray(last)) last.v.push(v);
    else this.out.push({ v: [v] });
  }
}

/** how many records from prev[i] and next[j] on are the same objects (the engine hands out unchanged records again) */
function sameRun<T>(prev: readonly T[], next: readonly T[], i: number, j: number): number {
  const n = Math.min(prev.length - i, next.length - j);
  let k = 0;
  while (k < n && prev[i + k] === next[j + k]) k++;
  return k;
}

/**
 * A list keyed by `key` in no known order (records may move, appear, vanish, change): the head
 * and tail the two lists share (the same objects) are copied as they are, and only the records
 * between are looked up by key, so a step that changes a few records costs a walk by identity
 * and a map of the few, not a map of the whole list.
 */
export function diffKeyed<T>(prev: T[], next: T[], key: (t: T) => string): { segs: Segment<T>[]; literals: number } {
  if (prev === next) return unchanged(next);
  const s = new Segments<T>();
  const head = sameRun(prev, next, 0, 0);
  let tail = 0;
  const most = Math.min(prev.length, next.length) - head;
  while (tail < most && prev[prev.length - 1 - tail] === next[next.length - 1 - tail]) tail++;
  if (head) s.copy(0, head);
  const at = new Map<string, number>();
  for (let i = head; i < prev.length - tail; i++) at.set(key(prev[i]!), i);
  for (let j = head; j < next.length - tail; j++) {
    const t = next[j]!;
    const i = at.get(key(t));
    if (i !== undefined && deepEqual(prev[i], t)) s.copy(i);
    else s.value(t);
  }
  if (tail) s.copy(prev.length - tail, tail);
  return { segs: s.out, literals: s.literals };
}

/**
 * A list in a known order (`before(a, b)`: a sorts before b; for a keyed list, its key's order),
 * or appended to (no order: then what follows the first difference is sent): walked with two
 * cursors, runs of the same objects skipped in one go, no index built. A list not in the order
 * claimed still diffs correctly, only larger.
 */
export function diffOrdered<T>(prev: T[], next: T[], before?: (a: T, b: T) => boolean): { segs: Segment<T>[]; literals: number } {
  if (prev === next) return unchanged(next);
  const s = new Segments<T>();
  let i = 0;
  let j = 0;
  while (j < next.length) {
    const b = next[j]!;
    if (i < prev.length) {
      const run = sameRun(prev, next, i, j);
      if (run) {
        s.copy(i, run);
        i += run;
        j += run;
        continue;
      }
      const a = prev[i]!;
      if (deepEqual(a, b)) {
        s.copy(i++);
        j++;
        continue;
      }
      if (before) {
        if (before(a, b)) {
          i++; // a is gone (or changed: b, its new record, is sent next)
          continue;
        }
        s.value(b); // b is new or changed
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
  const rest = {
    facts: next.facts, tsm: next.tsm, files: next.files, kernelVersion: next.kernelVersion, udevRunning: next.udevRunning,
    counts: next.counts, overrideBuses: next.overrideBuses,
  };
  if (!prev || baseId === null) {
    return {
      base: null, id, step: next.step, rest,
      devices: whole(next.devices), drivers: whole(next.drivers), modules: whole(next.modules), firmware: whole(next.firmware),
    };
  }
  // the engine lists devices sorted by devpath (trace/views.ts): one ordered walk
  const devices = diffOrdered(prev.devices, next.devices, (a, b) => a.devpath < b.devpath);
  const drivers = diffKeyed(prev.drivers, next.drivers, (d) => d.id);
  const modules = diffKeyed(prev.modules, next.modules, (m) => m.name);
  const firmware = diffKeyed(prev.firmware, next.firmware, (f) => f.id);
  return {
    base: baseId, id, step: next.step, rest,
    devices: devices.segs, drivers: drivers.segs, modules: modules.segs, firmware: firmware.segs,
  };
}

/** records a delta carries (literals), for the benchmark */
export function deltaRecords(d: SnapshotDelta): number {
  let n = 0;
  for (const list of [d.devices, d.drivers, d.modules, d.firmware] as Segment<unknown>[][])
    for (const s of list) if (!Array.isArray(s)) n += s.v.length;
  return n;
}

/** arguments per concat call (a spread of more may overflow the stack) */
const CONCAT_CHUNK = 4096;

/** the list the segments make from `prev`; prev itself when they copy all of it (unchanged lists keep their identity) */
function rebuild<T>(prev: T[], segs: Segment<T>[], what: string): T[] {
  const parts: T[][] = [];
  for (const s of segs) {
    if (Array.isArray(s)) {
      const [from, count] = s;
      if (!(from >= 0 && count >= 0 && from + count <= prev.length)) throw new Error(`snapshot delta: ${what} copies [${from}, ${from + count}) of a list of ${prev.length}`);
      if (count === prev.length && segs.length === 1) return prev;
      parts.push(prev.slice(from, from + count));
    } else parts.push(s.v);
  }
  if (!parts.length) return prev.length ? [] : prev;
  if (parts.length === 1) return parts[0]!;
  let out: T[] = [];
  for (let i = 0; i < parts.length; i += CONCAT_CHUNK) out = out.concat(...parts.slice(i, i + CONCAT_CHUNK));
  return out;
}

/** the snapshot a delta makes from `prev` (the snapshot with id `delta.base`) */
export function applyDelta(prev: Snapshot | null, d: SnapshotDelta): Snapshot {
  if (d.base !== null && !prev) throw new Error(`snapshot delta: applies to snapshot ${d.base}, which is not held`);
  const p: Snapshot = prev ?? { step: -1, devices: [], drivers: [], modules: [], firmware: [], ...d.rest };
  return {
    step: d.step,
    devices: rebuild(p.devices, d.devices, 'devices'),
    drivers: rebuild(p.drivers, d.drivers, 'drivers'),
    modules: rebuild(p.modules, d.modules, 'modules'),
    firmware: rebuild(p.firmware, d.firmware, 'firmware'),
    // unchanged small fields keep their identity too
    facts: prev && deepEqual(prev.facts, d.rest.facts) ? prev.facts : d.rest.facts,
    tsm: prev && deepEqual(prev.tsm, d.rest.tsm) ? prev.tsm : d.rest.tsm,
    files: prev && deepEqual(prev.files, d.rest.files) ? prev.files : d.rest.files,
    kernelVersion: d.rest.kernelVersion,
    udevRunning: d.rest.udevRunning,
    counts: prev && deepEqual(prev.counts, d.rest.counts) ? prev.counts : d.rest.counts,
    overrideBuses: prev && deepEqual(prev.overrideBuses, d.rest.overrideBuses) ? prev.overrideBuses : d.rest.overrideBuses,
  };
}
