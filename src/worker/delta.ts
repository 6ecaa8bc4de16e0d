/**
 * A snapshot as the change from another one (the worker → UI step path): the worker diffs the
 * snapshot it is about to send against one it sent before and the UI still holds, the UI
 * applies the difference to its copy. One step of a 10k-device run then moves the few records
 * the step changed (kilobytes), not the whole world (tens of megabytes to structured-clone).
 *
 * Every list is sent as segments that rebuild it in order:
 * - `[from, count]` copies a run of the old list;
 * - `{ p: count }` takes the next `count` records of the list's patch table: records of the old
 *   list with the fields that changed (FieldPatches). A jump at 100k devices changes ~40k records,
 *   each in its driver link (and `deferred`) and nothing else; structured clone pays per object
 *   and string, not per byte, so those records cloned whole cost the UI thread ~70 ms per 34k,
 *   their changed fields in flat columns ~2 ms, and the UI makes them from the ones it holds;
 * - `{ b: count }` takes the next `count` of the list's basis places: records the old snapshot
 *   lacks that are the very records of the run's layout basis (the union of the run's snapshots,
 *   each record in its latest form, sent with the run), by their place in it. A jump from an early
 *   step to a late one of a 100k run brings ~100k devices the old snapshot lacks, nearly all of
 *   them the basis's;
 * - `{ v: [...] }` carries any other record as it is.
 *
 * The engine hands out the same records (and the same arrays) again while they are unchanged,
 * so the lists are walked by identity, runs of the same objects skipped at once, and only
 * records that differ are compared as data (field by field: PatchBuilder, or deepEqual): the
 * device list in its devpath order, the short lists by key between the head and tail they share.
 * A step costs a walk by identity, not a map of every record.
 * Unchanged records (and lists) keep their identity on the UI side, so memoised views skip them.
 * The snapshots are UiSnapshots (protocol.ts): the sysfs listing, uevent log and kernel log do
 * not cross with a step (only their counts); the UI asks for the rows it shows.
 * Pure; no engine state. Tested in delta.test.ts.
 */
import type { UiSnapshot as Snapshot } from './protocol';

export type Segment<T> = [from: number, count: number] | { v: T[] } | { p: number } | { b: number };

/** a value a patch carries as it is: anything but an object (an array of them is carried flat) */
type Scalar = string | number | boolean | null | undefined;

/**
 * Records of the old list with some fields replaced, in columns: record r is the old list's
 * record `at[r]` with the fields whose bits `mask[r]` sets (bit f: `fields[f]`) taken from
 * `values`, in field order; a field whose old value is an array (of scalars) takes a length, then
 * that many values. Flat, so that a structured clone copies two typed arrays and one array of
 * scalars, not an object per record.
 */
export interface FieldPatches {
  fields: string[];
  at: Int32Array;
  mask: Int32Array;
  values: Scalar[];
}

/** at most this many distinct field names in one patch table (the mask's bits) */
const MAX_PATCH_FIELDS = 31;

const isScalar = (v: unknown): v is Scalar => v === null || typeof v !== 'object';

const SAME = 0;
const PATCHED = 1;
const WHOLE = 2;

/** the patch table being made for one list */
class PatchBuilder {
  private readonly fields: string[] = [];
  private readonly bit = new Map<string, number>();
  private readonly at: number[] = [];
  private readonly mask: number[] = [];
  private readonly values: Scalar[] = [];
  /**
   * The record being compared: its changed fields' values, kept apart until it is known to be
   * patchable (written by index: an array's length set is a call into the runtime), and where
   * each field's values are in them, by bit.
   */
  private readonly pending: Scalar[] = [];
  private readonly from = new Int32Array(MAX_PATCH_FIELDS);
  private readonly to = new Int32Array(MAX_PATCH_FIELDS);

  /**
   * b as old record `at` (a): SAME when every field is the same (scalars, or arrays of scalars
   * element by element), PATCHED when added to the table with the fields that differ, WHOLE when b
   * is not a's record with scalar fields (or arrays of scalars) changed.
   */
  add(at: number, a: unknown, b: unknown): typeof SAME | typeof PATCHED | typeof WHOLE {
    if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) || Array.isArray(b)) return WHOLE;
    const ra = a as Record<string, unknown>;
    const rb = b as Record<string, unknown>;
    // the same field names (records made by one literal: their key lists come from one cache)
    const names = Object.keys(rb);
    if (Object.keys(ra).length !== names.length) return WHOLE;
    const pending = this.pending;
    let pn = 0;
    let mask = 0;
    for (let n = 0; n < names.length; n++) {
      const k = names[n]!;
      const x = ra[k];
      const y = rb[k];
      if (x === y) continue;
      if (x === undefined && !Object.prototype.hasOwnProperty.call(ra, k)) return WHOLE;
      let f = this.bit.get(k);
      const start = pn;
      if (Array.isArray(x)) {
        if (!Array.isArray(y)) return WHOLE;
        let same = x.length === y.length;
        for (let i = 0; i < y.length; i++) {
          const v: unknown = y[i];
          if (v !== null && typeof v === 'object') return WHOLE;
          if (same && v !== x[i]) same = false;
        }
        if (same) continue;
        if (f === undefined && (f = this.field(k)) === undefined) return WHOLE;
        pending[pn++] = y.length;
        for (let i = 0; i < y.length; i++) pending[pn++] = y[i] as Scalar;
      } else {
        if (!isScalar(x) || !isScalar(y)) return WHOLE;
        if (f === undefined && (f = this.field(k)) === undefined) return WHOLE;
        pending[pn++] = y;
      }
      this.from[f] = start;
      this.to[f] = pn;
      mask |= 1 << f;
    }
    if (mask === 0) return SAME;
    this.at.push(at);
    this.mask.push(mask);
    // the values in bit order (the order the fields were first patched in), whatever the record's own key order
    for (let f = 0; f < this.fields.length; f++) if (mask & (1 << f)) for (let j = this.from[f]!; j < this.to[f]!; j++) this.values.push(pending[j]);
    return PATCHED;
  }

  private field(k: string): number | undefined {
    if (this.fields.length >= MAX_PATCH_FIELDS) return undefined;
    this.bit.set(k, this.fields.length);
    return this.fields.push(k) - 1;
  }

  table(): FieldPatches | null {
    if (!this.at.length) return null;
    return { fields: this.fields, at: Int32Array.from(this.at), mask: Int32Array.from(this.mask), values: this.values };
  }
}

type ListName = 'devices' | 'drivers' | 'modules' | 'firmware';

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
  /** each list's patch table (its `p` segments take from it), for the lists that have patched records */
  patches?: Partial<Record<ListName, FieldPatches>>;
  /** each list's basis places (its `b` segments take from them), and the basis's list lengths the delta was made against */
  fromBasis?: { refs: Partial<Record<ListName, Int32Array>>; lengths: Record<ListName, number> };
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

/** segments builder: runs of copies merge, literals gather, patched records go to the list's table, basis records by their place */
class Segments<T> {
  readonly out: Segment<T>[] = [];
  literals = 0;
  private readonly patches = new PatchBuilder();
  private readonly refs: number[] = [];
  /** `basis`: the basis list's records (by identity) → their places, when the UI holds the basis */
  constructor(private readonly basis: ReadonlyMap<T, number> | null = null) {}
  copy(from: number, count = 1): void {
    const last = this.out[this.out.length - 1];
    if (Array.isArray(last) && last[0] + last[1] === from) last[1] += count;
    else this.out.push([from, count]);
  }
  value(v: T): void {
    this.literals++;
    const last = this.out[this.out.length - 1];
    const at = this.basis?.get(v);
    if (at !== undefined) {
      this.refs.push(at);
      if (last && !Array.isArray(last) && 'b' in last) last.b++;
      else this.out.push({ b: 1 });
    } else if (last && !Array.isArray(last) && 'v' in last) last.v.push(v);
    else this.out.push({ v: [v] });
  }
  /** b, the new record of prev's record `at` (a): a copy of a when equal, else its changed fields, or whole */
  changed(at: number, a: T, b: T): void {
    const how = this.patches.add(at, a, b);
    if (how === SAME) return this.copy(at);
    if (how === WHOLE) return deepEqual(a, b) ? this.copy(at) : this.value(b);
    this.literals++;
    const last = this.out[this.out.length - 1];
    if (last && !Array.isArray(last) && 'p' in last) last.p++;
    else this.out.push({ p: 1 });
  }
  result(): Diff<T> {
    return { segs: this.out, literals: this.literals, patches: this.patches.table(), refs: this.refs.length ? Int32Array.from(this.refs) : null };
  }
}

/** a list's difference: its segments, how many records they carry, the patch table its `p` segments take from and the basis places its `b` segments do */
export interface Diff<T> {
  segs: Segment<T>[];
  literals: number;
  patches: FieldPatches | null;
  refs?: Int32Array | null;
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
export function diffKeyed<T>(prev: T[], next: T[], key: (t: T) => string, basis: ReadonlyMap<T, number> | null = null): Diff<T> {
  if (prev === next) return unchanged(next);
  const s = new Segments<T>(basis);
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
    if (i === undefined) s.value(t);
    else s.changed(i, prev[i]!, t);
  }
  if (tail) s.copy(prev.length - tail, tail);
  return s.result();
}

/**
 * A list in a known order (`before(a, b)`: a sorts before b; for a keyed list, its key's order),
 * or appended to (no order: then what follows the first difference is sent): walked with two
 * cursors, runs of the same objects skipped in one go, no index built. A list not in the order
 * claimed still diffs correctly, only larger.
 */
export function diffOrdered<T>(prev: T[], next: T[], before?: (a: T, b: T) => boolean, basis: ReadonlyMap<T, number> | null = null): Diff<T> {
  if (prev === next) return unchanged(next);
  const s = new Segments<T>(basis);
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
      if (before) {
        if (before(a, b)) {
          i++; // a is gone
          continue;
        }
        if (!before(b, a)) {
          // the same key: b is a's new record (or a copy of it)
          s.changed(i++, a, b);
          j++;
          continue;
        }
        s.value(b); // b is new
        j++;
        continue;
      }
      if (deepEqual(a, b)) {
        s.copy(i++);
        j++;
        continue;
      }
      i = prev.length; // appended-to list: nothing after a difference is reused
    }
    s.value(b);
    j++;
  }
  return s.result();
}

/** the engine hands out the same array while what it lists is unchanged: one copy of all of it */
function unchanged<T>(list: T[]): Diff<T> {
  return { segs: list.length ? [[0, list.length]] : [], literals: 0, patches: null, refs: null };
}

const whole = <T>(list: T[]): Segment<T>[] => (list.length ? [{ v: list }] : []);

/**
 * The run's layout basis as the differ looks it up: each list's records (by identity: the engine
 * hands out the same records again while they are unchanged) → their places. Made once per run.
 */
export interface BasisIndex {
  devices: ReadonlyMap<Snapshot['devices'][number], number>;
  drivers: ReadonlyMap<Snapshot['drivers'][number], number>;
  modules: ReadonlyMap<Snapshot['modules'][number], number>;
  firmware: ReadonlyMap<Snapshot['firmware'][number], number>;
}

/** the lists a basis has: the records a delta's `b` segments name by place */
export type BasisLists = Pick<Snapshot, ListName>;

export function basisIndex(basis: BasisLists): BasisIndex {
  const places = <T>(list: readonly T[]) => new Map(list.map((t, i) => [t, i] as const));
  return { devices: places(basis.devices), drivers: places(basis.drivers), modules: places(basis.modules), firmware: places(basis.firmware) };
}

const lengths = (b: BasisLists): Record<ListName, number> => ({ devices: b.devices.length, drivers: b.drivers.length, modules: b.modules.length, firmware: b.firmware.length });

/**
 * The delta that turns `prev` (sent as `baseId`) into `next`; prev null: the whole of next.
 * `basis`: the run's layout basis, which the UI holds too (the client says so): records prev lacks
 * that are the basis's own go by their place in it.
 */
export function diffSnapshot(prev: Snapshot | null, baseId: number | null, next: Snapshot, id: number, basis: { lists: BasisLists; index: BasisIndex } | null = null): SnapshotDelta {
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
  const ix = basis?.index ?? null;
  // the engine lists devices sorted by devpath (trace/views.ts): one ordered walk
  const devices = diffOrdered(prev.devices, next.devices, (a, b) => a.devpath < b.devpath, ix?.devices);
  const drivers = diffKeyed(prev.drivers, next.drivers, (d) => d.id, ix?.drivers);
  const modules = diffKeyed(prev.modules, next.modules, (m) => m.name, ix?.modules);
  const firmware = diffKeyed(prev.firmware, next.firmware, (f) => f.id, ix?.firmware);
  const patches: Partial<Record<ListName, FieldPatches>> = {};
  const refs: Partial<Record<ListName, Int32Array>> = {};
  for (const [name, d] of [['devices', devices], ['drivers', drivers], ['modules', modules], ['firmware', firmware]] as const) {
    if (d.patches) patches[name] = d.patches;
    if (d.refs) refs[name] = d.refs;
  }
  return {
    base: baseId, id, step: next.step, rest,
    devices: devices.segs, drivers: drivers.segs, modules: modules.segs, firmware: firmware.segs,
    ...(Object.keys(patches).length ? { patches } : {}),
    ...(Object.keys(refs).length && basis ? { fromBasis: { refs, lengths: lengths(basis.lists) } } : {}),
  };
}

/** records a delta carries (literals), for the benchmark */
export function deltaRecords(d: SnapshotDelta): number {
  let n = 0;
  for (const list of [d.devices, d.drivers, d.modules, d.firmware] as Segment<unknown>[][])
    for (const s of list) if (!Array.isArray(s)) n += 'v' in s ? s.v.length : 'p' in s ? s.p : s.b;
  return n;
}

/**
 * The list the segments make from `prev`, the list's patch table and its basis places into the
 * basis list; prev itself when they copy all of it (unchanged lists keep their identity).
 */
export function rebuildList<T>(prev: T[], segs: Segment<T>[], patches: FieldPatches | null | undefined = null, what = 'list', refs: Int32Array | null | undefined = null, basis: readonly T[] | null = null): T[] {
  if (segs.length === 1) {
    const only = segs[0]!;
    if (Array.isArray(only) && only[0] === 0 && only[1] === prev.length) return prev;
    if (!Array.isArray(only) && 'v' in only) return only.v;
  }
  if (!segs.length) return prev.length ? [] : prev;
  // one list built in order (a jump at 100k has ~45k segments: gathered in parts and concatenated, they cost ~50 ms)
  const out: T[] = [];
  // where the next patched record and its values are in the table, and the next basis place
  let r = 0;
  let v = 0;
  let b = 0;
  for (const s of segs) {
    if (Array.isArray(s)) {
      const [from, count] = s;
      if (!(from >= 0 && count >= 0 && from + count <= prev.length)) throw new Error(`snapshot delta: ${what} copies [${from}, ${from + count}) of a list of ${prev.length}`);
      for (let k = from; k < from + count; k++) out.push(prev[k]!);
    } else if ('v' in s) for (const x of s.v) out.push(x);
    else if ('b' in s) {
      if (!refs || !basis || b + s.b > refs.length) throw new Error(`snapshot delta: ${what} takes basis records ${b}..${b + s.b} of ${refs?.length ?? 0} places${basis ? '' : ', and no basis is held'}`);
      for (let k = 0; k < s.b; k++, b++) {
        const x = basis[refs[b]!];
        if (x === undefined) throw new Error(`snapshot delta: ${what} takes basis record ${refs[b]} of a basis of ${basis.length}`);
        out.push(x);
      }
    } else {
      if (!patches || r + s.p > patches.at.length) throw new Error(`snapshot delta: ${what} takes patched records ${r}..${r + s.p} of a table of ${patches?.at.length ?? 0}`);
      for (let k = 0; k < s.p; k++, r++) {
        const at = patches.at[r]!;
        const old = prev[at] as Record<string, unknown> | undefined;
        if (old === undefined) throw new Error(`snapshot delta: ${what} patches record ${at} of a list of ${prev.length}`);
        const rec: Record<string, unknown> = { ...old };
        const mask = patches.mask[r]!;
        for (let f = 0; f < patches.fields.length; f++) {
          if (!(mask & (1 << f))) continue;
          const name = patches.fields[f]!;
          if (Array.isArray(old[name])) {
            const n = patches.values[v++] as number;
            rec[name] = patches.values.slice(v, v + n);
            v += n;
          } else rec[name] = patches.values[v++];
        }
        out.push(rec as T);
      }
    }
  }
  return out;
}

/** the snapshot a delta makes from `prev` (the snapshot with id `delta.base`) and, when it names basis records, the run's layout basis */
export function applyDelta(prev: Snapshot | null, d: SnapshotDelta, basis: BasisLists | null = null): Snapshot {
  if (d.base !== null && !prev) throw new Error(`snapshot delta: applies to snapshot ${d.base}, which is not held`);
  const fb = d.fromBasis;
  if (fb) {
    if (!basis) throw new Error('snapshot delta: names records of the layout basis, which is not held');
    const held = lengths(basis);
    for (const l of ['devices', 'drivers', 'modules', 'firmware'] as const)
      if (held[l] !== fb.lengths[l]) throw new Error(`snapshot delta: made against a layout basis of ${fb.lengths[l]} ${l}, the basis held has ${held[l]}`);
  }
  const from = (l: ListName) => (fb?.refs[l] ? basis![l] : null);
  const p: Snapshot = prev ?? { step: -1, devices: [], drivers: [], modules: [], firmware: [], ...d.rest };
  return {
    step: d.step,
    devices: rebuildList(p.devices, d.devices, d.patches?.devices, 'devices', fb?.refs.devices, from('devices') as Snapshot['devices'] | null),
    drivers: rebuildList(p.drivers, d.drivers, d.patches?.drivers, 'drivers', fb?.refs.drivers, from('drivers') as Snapshot['drivers'] | null),
    modules: rebuildList(p.modules, d.modules, d.patches?.modules, 'modules', fb?.refs.modules, from('modules') as Snapshot['modules'] | null),
    firmware: rebuildList(p.firmware, d.firmware, d.patches?.firmware, 'firmware', fb?.refs.firmware, from('firmware') as Snapshot['firmware'] | null),
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
