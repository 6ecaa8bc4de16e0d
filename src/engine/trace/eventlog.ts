/**
 * The trace as columns: one row per event, in typed arrays (kind, depth, how its text is made,
 * citation id, its touches' id, where its uevent or match info is, how many log lines and uevents
 * exist after it; the rare errno aside, by event). The only plain
 * array a row adds to is the arguments column (a template's arguments or a string text): the
 * collector never walks the typed columns, and a large run's trace is most of what it holds.
 * A TraceEvent object is built only when one is read (`at`, `slice`, `all`): a 100k-device run
 * records ~1.5 M events, and one object per event (120 bytes before its text) was the largest
 * single share of the trace's heap.
 *
 * A match or uevent event keeps no text of its own: it is the sentence of its match info
 * (`matchText`) or uevent record (`ueventText`), built when read. The most frequent others keep
 * their sentence as a template and its arguments (strings and numbers, in one flat column):
 * `Kernel.emitAt`. Everything else is exactly what the kernel recorded; `at(i)` returns an event equal
 * to the object the trace used to keep (same keys, same order, undefined where unset).
 */
import type { Citation, EventKind, MatchInfo, TraceEvent, UeventRecord } from '../api';
import { ByteColumn, ChunkedList, IntColumn } from '../core/state';
import type { UeventList } from './ueventlog';
import { comparedText, type DeferredText } from '../buses/types';

/** the touches of an event that names nothing */
const NO_TOUCHES: TraceEvent['touches'] = Object.freeze({});

/** a touches row's layout (EventLog.addTouchRow): what it names, and in which key order */
export const TOUCH_NONE = 0;
export const TOUCH_DEV = 1;
export const TOUCH_DRV = 2;
export const TOUCH_MOD = 3;
export const TOUCH_DEV_DRV = 4;
export const TOUCH_DRV_DEV = 5;
export const TOUCH_DEV_MOD = 6;
export const TOUCH_MOD_DEV = 7;
const TOUCH_OBJECT = 8;
/** a device and no module: `{ devices: [d], modules: [] }` (udev's lookup that found no module, built in or not) */
export const TOUCH_DEV_NO_MOD = 9;
export type TouchHow = typeof TOUCH_NONE | typeof TOUCH_DEV | typeof TOUCH_DRV | typeof TOUCH_MOD | typeof TOUCH_DEV_DRV | typeof TOUCH_DRV_DEV | typeof TOUCH_DEV_MOD | typeof TOUCH_MOD_DEV | typeof TOUCH_DEV_NO_MOD;

const NO_UEVENTS: UeventList = Object.freeze([]) as unknown as UeventList;

const KINDS: readonly EventKind[] = [
  'phase', 'firmware', 'device_add', 'device_del', 'driver_register', 'driver_unregister', 'match', 'probe', 'bind',
  'unbind', 'defer', 'uevent', 'udev', 'module', 'sysfs', 'error', 'action', 'tsm',
] as EventKind[];

// meta column: kind (8 bits) | boundary (2 bits: unset, false, true) | errno set | uevent set | match set | depth (10 bits,
// from bit 13) | how the sentence is made (9 bits, from bit 23): TEXT_NONE, TEXT_STRING or TEMPLATE_BASE + a template's id
const BOUNDARY_SHIFT = 8;
const ERRNO_SET = 1 << 10;
const UEVENT_SET = 1 << 11;
const MATCH_SET = 1 << 12;
const DEPTH_SHIFT = 13;
const MAX_DEPTH = 0x3ff;
const TEXT_SHIFT = 23;
const TEXT_NONE = 0;
const TEXT_STRING = 1;
const TEMPLATE_BASE = 2;
const MAX_TEXT_HOW = 0x1ff;

/** a match event's sentence, from its match info */
export function matchText(info: MatchInfo): string {
  return `${info.matched ? 'match' : 'no match'}: ${info.bus} driver ${info.driver} ${info.matched ? '↔' : '✗'} device ${info.device} — ${info.rule}: ${info.compared}`;
}

/** a uevent event's sentence, from its record: the action, DEVPATH, SUBSYSTEM, and DRIVER and MODALIAS if sent */
export function ueventText(rec: UeventRecord): string {
  // env is ACTION, DEVPATH, SUBSYSTEM, the device's variables, SEQNUM (core.ts sendUevent)
  const env = rec.env;
  let modalias: string | undefined;
  let driver: string | undefined;
  for (let i = 3; i < env.length - 1; i++) {
    const [key, value] = env[i]!;
    if (key === 'MODALIAS' && modalias === undefined) modalias = value;
    else if (key === 'DRIVER' && driver === undefined) driver = value;
  }
  const sub = rec.subsystem;
  const bits = [driver ? `DRIVER=${driver}` : '', modalias ? `MODALIAS=${modalias}` : sub === 'drivers' || sub === 'module' ? '' : '(no MODALIAS)'].filter(Boolean).join(' ');
  return `uevent ${rec.action} ${rec.devpath} SUBSYSTEM=${sub}${bits ? ' ' + bits : ''}`;
}

/** rows [from, to) of a list of `length` rows, the bounds read as Array.prototype.slice reads them (negative from the end, fractions truncated) */
export function sliceRows<T>(length: number, from: number, to: number, at: (i: number) => T): T[] {
  const bound = (x: number) => {
    const t = Math.trunc(x) || 0;
    return t < 0 ? Math.max(0, length + t) : Math.min(t, length);
  };
  const out: T[] = [];
  const end = bound(to);
  for (let i = bound(from); i < end; i++) out.push(at(i));
  return out;
}

/** a match decision as the kernel records it: what was compared may still be the way to make the sentence (buses/types.ts MatchResult), made when read */
export type MatchDraft = Omit<MatchInfo, 'compared'> & { compared: string | DeferredText };

/** a sentence built from the arguments an event recorded (Kernel.emitAt) */
export type LazyText = (...args: TextArg[]) => string;
export type TextArg = string | number;

/**
 * An event a call site records many times: its kind, citation and sentence (a template, or null
 * for a match's or uevent's sentence), fixed. The trace interns each of the three (kind,
 * citation and template ids): looked up once per trace and kept here, where a hot event's three
 * Map lookups were ~5% of a large run. The frequent events' sites are module constants;
 * Kernel.siteOf keeps one per citation for the uevent and match events.
 */
export class EventSite<A extends TextArg[] = TextArg[]> {
  /**
   * the serial number of the trace the ids below are for (another trace looks them up again): a
   * number, not the trace, so that a module-level site does not keep a finished run alive
   */
  logSerial = 0;
  /** the meta column's kind and text bits, and the citation's id, in that trace */
  meta = 0;
  citeId = -1;
  readonly text: LazyText | null;
  constructor(readonly kind: EventKind, readonly cite: Citation, text: ((...args: A) => string) | null) {
    this.text = text as LazyText | null;
  }
}

/** the entries of EventLog.matchFields per match */
const MATCH_FIELDS = 6;

/** a row of EventLog.distinctTouchRows */
export interface DistinctTouchRow {
  touches: TraceEvent['touches'];
  /** the row's one device as a number (the same in every row naming it), or -1 */
  device: number;
}

/** the last EventLog.serial given */
let lastLogSerial = 0;

export class EventLog {
  /** this trace's number, unique in the process (EventSite.logSerial) */
  private readonly serial = ++lastLogSerial;
  private readonly kindId = new Map<EventKind, number>(KINDS.map((k, i) => [k, i]));
  private readonly kinds: EventKind[] = KINDS.slice();
  private readonly citeId = new Map<string, number>();
  private readonly cites: Citation[] = [];

  /**
   * Kind, flags, depth and how the event's sentence is made: TEXT_NONE (its match info's or
   * uevent's sentence), TEXT_STRING (the string at argAt, in the arguments column), or
   * TEMPLATE_BASE + the id of a template (Kernel.emitAt) applied to the event's arguments.
   */
  private readonly meta = new IntColumn(4096);
  private readonly cite = new IntColumn(4096);
  /** the errno of the events that have one (meta's ERRNO_SET), by event: few events carry one */
  private readonly errnos = new Map<number, number>();
  /**
   * How many kernel log lines and uevents exist after each event: an event that logged a line
   * has one more than the event before (its line is the last of them), and a snapshot slices
   * the logs by these counts.
   */
  private readonly logCount = new IntColumn(4096);
  private readonly ueventCount = new IntColumn(4096);
  private readonly templates: LazyText[] = [];
  private readonly templateId = new Map<LazyText, number>();
  /** the templates' arguments (and the string texts), every event's in a row; argAt(i) is where event i's begin */
  private readonly args = new ChunkedList<TextArg>();
  private readonly argAt = new IntColumn(4096);
  /** the event's touches: the id of a row of the touches table (addTouchRow, addTouches) */
  private readonly touchId = new IntColumn(4096);
  /**
   * The touches table, in columns: a row names one device, driver or module, or a device with a
   * driver or a module (`touchHow`: which, and in which key order), as indexes into
   * `touchNames` (`touchA`: the device or the single; `touchB`: the pair's driver or module);
   * or (TOUCH_OBJECT) it is an object kept as given (touches naming several of a kind), its
   * index in `touchObjects` in `touchA`. A row becomes its object when first read, once (events
   * with the same row share it), its `[name]` arrays shared by every row naming that name.
   */
  private readonly touchHow = new ByteColumn(4096);
  private readonly touchA = new IntColumn(4096);
  private readonly touchB = new IntColumn(4096);
  private readonly touchNames = new ChunkedList<string>();
  private readonly touchObjects = new ChunkedList<TraceEvent['touches']>();
  private readonly touchBuilt = new Map<number, TraceEvent['touches']>();
  private readonly nameArrays = new Map<number, string[]>();
  /** the event's uevent (an index into the uevent list) or match (a row of the match columns), meta says which, or -1; an event with both keeps its match in `matchToo` */
  private readonly detailAt = new IntColumn(4096);
  /**
   * The match decisions, in columns: per match MATCH_FIELDS entries of `matchFields` (driver,
   * bus, device, rule, citation, what was compared: the sentence, or the function that makes it from
   * `matchArgs` [start, the next match's start)), and whether it matched in `matched`. A match
   * event becomes its MatchInfo when read. One object per match, and the function and context a
   * deferred sentence was, were ~6% of what a large run kept.
   */
  private readonly matchFields = new ChunkedList<unknown>();
  private readonly matchArgs = new ChunkedList<unknown>();
  private readonly matchArgAt = new IntColumn(4096);
  private readonly matched = new ByteColumn(4096);
  private readonly matchToo = new Map<number, MatchDraft>();

  /** the log lines the log column points into and the uevents a uevent event is (the kernel's: append-only) */
  constructor(private readonly log: readonly string[], private readonly uevents: UeventList = NO_UEVENTS) {}

  get length(): number {
    return this.meta.length;
  }

  /** a name for touches rows to point at (addTouchRow): one index per device, driver or module the caller keeps rows for */
  touchName(name: string): number {
    this.touchNames.push(name);
    return this.touchNames.length - 1;
  }

  /** a row of the touches table for events to point at (push's `touches`): `a` the device or the single named, `b` the pair's driver or module (indexes from touchName) */
  addTouchRow(how: TouchHow | typeof TOUCH_OBJECT, a: number, b = -1): number {
    this.touchHow.push(how);
    this.touchA.push(a);
    this.touchB.push(b);
    return this.touchHow.length - 1;
  }

  /** keep a touches object as given, for events to point at: for touches that name several of a kind */
  addTouches(t: TraceEvent['touches']): number {
    this.touchObjects.push(t);
    return this.addTouchRow(TOUCH_OBJECT, this.touchObjects.length - 1);
  }

  /** the index (touchName) of the name a single row names */
  touchNameIndex(id: number): number {
    return this.touchA.at(id);
  }

  /** the name in place `which` (0: a, 1: b) of a row from addTouchRow, or undefined when it has none there */
  touchNameAt(id: number, which: 0 | 1): string | undefined {
    const n = which === 0 ? this.touchA.at(id) : this.touchB.at(id);
    return n < 0 || this.touchHow.at(id) === TOUCH_OBJECT ? undefined : this.touchNames.at(n);
  }

  /** the touches object of a row (the trace's own: read-only) */
  touchesById(id: number): TraceEvent['touches'] {
    if (this.touchHow.at(id) === TOUCH_OBJECT) return this.touchObjects.at(this.touchA.at(id));
    let t = this.touchBuilt.get(id);
    if (t === undefined) this.touchBuilt.set(id, (t = this.touchesRow(id, (n) => this.nameArray(n))));
    return t;
  }

  /** row id as an object, its `[name]` arrays from `names` */
  private touchesRow(id: number, names: (n: number) => string[]): TraceEvent['touches'] {
    const how = this.touchHow.at(id);
    if (how === TOUCH_OBJECT) return this.touchObjects.at(this.touchA.at(id));
    if (how === TOUCH_NONE) return NO_TOUCHES;
    const a = names(this.touchA.at(id));
    if (how === TOUCH_DEV) return { devices: a };
    if (how === TOUCH_DEV_NO_MOD) return { devices: a, modules: [] };
    if (how === TOUCH_DRV) return { drivers: a };
    if (how === TOUCH_MOD) return { modules: a };
    const b = names(this.touchB.at(id));
    return how === TOUCH_DEV_DRV ? { devices: a, drivers: b }
      : how === TOUCH_DRV_DEV ? { drivers: b, devices: a }
      : how === TOUCH_DEV_MOD ? { devices: a, modules: b }
      : { modules: b, devices: a };
  }

  /** the touches rows events point at, each once, in the order events first use them, as objects made now (not kept: touchesById keeps what it makes) */
  *distinctTouches(): Generator<TraceEvent['touches']> {
    for (const row of this.distinctTouchRows()) yield row.touches;
  }

  /**
   * distinctTouches with each row's device as a number: one object, filled again for each row.
   * `device` is the index (touchName) of the one device a single or pair row names, the same in
   * every row that names that device; -1 for a row naming none or several.
   */
  *distinctTouchRows(): Generator<DistinctTouchRow> {
    const used = new Uint8Array(this.touchHow.length);
    const row: DistinctTouchRow = { touches: NO_TOUCHES, device: -1 };
    for (let i = 0; i < this.length; i++) {
      const id = this.touchId.at(i);
      if (used[id]) continue;
      used[id] = 1;
      const how = this.touchHow.at(id);
      row.touches = this.touchBuilt.get(id) ?? this.touchesRow(id, (n) => [this.touchNames.at(n)]);
      row.device = how === TOUCH_DEV || how === TOUCH_DEV_DRV || how === TOUCH_DRV_DEV || how === TOUCH_DEV_MOD || how === TOUCH_MOD_DEV || how === TOUCH_DEV_NO_MOD ? this.touchA.at(id) : -1;
      yield row;
    }
  }

  /** `[name]`, one array per name index */
  private nameArray(n: number): string[] {
    let arr = this.nameArrays.get(n);
    if (arr === undefined) this.nameArrays.set(n, (arr = [this.touchNames.at(n)]));
    return arr;
  }

  private kindIdOf(kind: EventKind): number {
    let k = this.kindId.get(kind);
    if (k === undefined) {
      k = this.kinds.length;
      if (k > 255) throw new Error(`more than 256 event kinds: ${kind}`);
      this.kinds.push(kind);
      this.kindId.set(kind, k);
    }
    return k;
  }

  private citeIdOf(cite: Citation): number {
    let c = this.citeId.get(cite);
    if (c === undefined) {
      c = this.cites.length;
      this.cites.push(cite);
      this.citeId.set(cite, c);
    }
    return c;
  }

  /** how the sentence of an event with `text` is made (meta's text bits): TEXT_STRING, TEXT_NONE or TEMPLATE_BASE + the template's id */
  private textHow(text: string | LazyText | null): number {
    if (typeof text === 'string') return TEXT_STRING;
    if (text === null) return TEXT_NONE;
    let t = this.templateId.get(text);
    if (t === undefined) {
      t = this.templates.length;
      if (TEMPLATE_BASE + t > MAX_TEXT_HOW) throw new Error(`more than ${MAX_TEXT_HOW - TEMPLATE_BASE + 1} event text templates`);
      this.templates.push(text);
      this.templateId.set(text, t);
    }
    return TEMPLATE_BASE + t;
  }

  push(
    kind: EventKind,
    text: string | LazyText | null,
    cite: Citation,
    depth: number,
    touches: number,
    extra: { match?: MatchDraft; errno?: number; boundary?: boolean },
    args?: readonly TextArg[],
    /** the index of the uevent the event sent, in the uevent list */
    uevent?: number,
  ): void {
    const how = this.textHow(text);
    this.row(this.kindIdOf(kind) | (how << TEXT_SHIFT), this.citeIdOf(cite), how === TEXT_STRING ? text : null, depth, touches, extra, args, uevent);
  }

  /** push for an event of a site (its kind, citation and template ids looked up once per trace) */
  pushAt(site: EventSite<TextArg[]>, depth: number, touches: number, extra: { match?: MatchDraft; errno?: number; boundary?: boolean }, args?: readonly TextArg[], uevent?: number): void {
    if (site.logSerial !== this.serial) {
      site.meta = this.kindIdOf(site.kind) | (this.textHow(site.text) << TEXT_SHIFT);
      site.citeId = this.citeIdOf(site.cite);
      site.logSerial = this.serial;
    }
    this.row(site.meta, site.citeId, null, depth, touches, extra, args, uevent);
  }

  /** one row: `meta` holds the kind and how the sentence is made; the string text when it is one */
  private row(meta: number, c: number, text: string | LazyText | null, depth: number, touches: number, extra: { match?: MatchDraft; errno?: number; boundary?: boolean }, args: readonly TextArg[] | undefined, uevent: number | undefined): void {
    const b = extra.boundary === undefined ? 0 : extra.boundary ? 2 : 1;
    const u = uevent;
    const m = extra.match;
    const errno = extra.errno;
    const i = this.meta.length;
    if (depth < 0 || depth > MAX_DEPTH) throw new RangeError(`event depth ${depth}: the trace keeps 0..${MAX_DEPTH}`);
    this.argAt.push(this.args.length);
    if (typeof text === 'string') this.args.push(text);
    else if (args && meta >>> TEXT_SHIFT >= TEMPLATE_BASE) for (let j = 0; j < args.length; j++) this.args.push(args[j]!);
    this.meta.push(meta | (b << BOUNDARY_SHIFT) | (errno !== undefined ? ERRNO_SET : 0) | (u !== undefined ? UEVENT_SET : 0) | (m !== undefined ? MATCH_SET : 0) | (depth << DEPTH_SHIFT));
    this.cite.push(c);
    if (errno !== undefined) this.errnos.set(i, errno);
    this.logCount.push(this.log.length);
    this.ueventCount.push(this.uevents.length);
    this.touchId.push(touches);
    if (u !== undefined) this.detailAt.push(u);
    else if (m !== undefined) this.detailAt.push(this.keepMatch(m));
    else this.detailAt.push(-1);
    if (u !== undefined && m !== undefined) this.matchToo.set(i, m);
  }

  /** event i's nesting depth, without building the event */
  depthAt(i: number): number {
    return (this.meta.at(i) >> DEPTH_SHIFT) & MAX_DEPTH;
  }

  kindAt(i: number): EventKind {
    return this.kinds[this.meta.at(i) & 0xff]!;
  }

  /** every event's kind as an id into `names` (one byte an event), without building the events */
  kindIds(): { ids: Uint8Array; names: EventKind[] } {
    const ids = new Uint8Array(this.length);
    for (let i = 0; i < ids.length; i++) ids[i] = this.meta.at(i) & 0xff;
    return { ids, names: this.kinds.slice() };
  }

  /** what event i touched (the trace's own object: read-only) */
  touchesAt(i: number): TraceEvent['touches'] {
    return this.touchesById(this.touchId.at(i));
  }

  /**
   * How many uevents and kernel log lines exist after event `step` (before the first event:
   * none; past the last: the last's): a snapshot's logs are these prefixes.
   */
  countsAfter(step: number): { uevents: number; log: number } {
    if (step < 0 || this.length === 0) return { uevents: 0, log: 0 };
    const i = Math.min(step, this.length - 1);
    return { uevents: this.ueventCount.at(i), log: this.logCount.at(i) };
  }

  textAt(i: number): string {
    const how = this.meta.at(i) >>> TEXT_SHIFT;
    if (how === TEXT_STRING) return this.args.at(this.argAt.at(i)) as string;
    if (how >= TEMPLATE_BASE) {
      const end = i + 1 < this.length ? this.argAt.at(i + 1) : this.args.length;
      return this.templates[how - TEMPLATE_BASE]!(...this.args.slice(this.argAt.at(i), end));
    }
    const match = this.matchAt(i);
    return match ? matchText(match) : ueventText(this.ueventAt(i)!);
  }

  private ueventAt(i: number): UeventRecord | undefined {
    return this.meta.at(i) & UEVENT_SET ? this.uevents.at(this.detailAt.at(i)) : undefined;
  }

  /** match m as a row of the match columns: its index */
  private keepMatch(m: MatchDraft): number {
    const j = this.matched.length;
    const f = this.matchFields;
    f.push(m.driver);
    f.push(m.bus);
    f.push(m.device);
    f.push(m.rule);
    f.push(m.cite);
    this.matchArgAt.push(this.matchArgs.length);
    const c = m.compared;
    if (typeof c === 'string') f.push(c);
    else {
      f.push(c.text);
      for (let a = 0; a < c.args.length; a++) this.matchArgs.push(c.args[a]);
    }
    this.matched.push(m.matched ? 1 : 0);
    return j;
  }

  private matchAt(i: number): MatchInfo | undefined {
    const meta = this.meta.at(i);
    if (!(meta & MATCH_SET)) return undefined;
    if (meta & UEVENT_SET) {
      const m = this.matchToo.get(i);
      return m && { ...m, compared: comparedText(m) };
    }
    const j = this.detailAt.at(i);
    const f = this.matchFields;
    const at = j * MATCH_FIELDS;
    const c = f.at(at + 5) as string | ((...a: unknown[]) => string);
    let compared: string;
    if (typeof c === 'string') compared = c;
    else {
      const end = j + 1 < this.matched.length ? this.matchArgAt.at(j + 1) : this.matchArgs.length;
      compared = c(...this.matchArgs.slice(this.matchArgAt.at(j), end));
    }
    // the fields in the order the driver core gives them (core/dd.ts driverMatchDevice)
    return { driver: f.at(at) as string, bus: f.at(at + 1) as string, device: f.at(at + 2) as string, matched: this.matched.at(j) === 1, rule: f.at(at + 3) as string, compared, cite: f.at(at + 4) as string };
  }

  /** event i as the trace hands it out (i an index of the trace) */
  at(i: number): TraceEvent {
    if (!Number.isInteger(i) || i < 0 || i >= this.length) throw new RangeError(`event ${i} is not in the trace (0..${this.length - 1})`);
    const meta = this.meta.at(i);
    const b = (meta >> BOUNDARY_SHIFT) & 3;
    // the event logged a line when the log grew with it: the line is the log's last after it
    const logged = this.logCount.at(i);
    const log = logged > (i > 0 ? this.logCount.at(i - 1) : 0) ? logged - 1 : -1;
    return {
      index: i,
      kind: this.kinds[meta & 0xff]!,
      text: this.textAt(i),
      cite: this.cites[this.cite.at(i)]!,
      depth: (meta >> DEPTH_SHIFT) & MAX_DEPTH,
      touches: this.touchesAt(i),
      uevent: this.ueventAt(i),
      match: this.matchAt(i),
      errno: meta & ERRNO_SET ? this.errnos.get(i) : undefined,
      log: log < 0 ? undefined : this.log[log],
      boundary: b === 0 ? undefined : b === 2,
    };
  }

  /** events [from, to), the bounds read as Array.prototype.slice reads them (negative from the end, fractions truncated) */
  slice(from = 0, to: number = this.length): TraceEvent[] {
    return sliceRows(this.length, from, to, (i) => this.at(i));
  }

  /** every event, built now */
  all(): TraceEvent[] {
    return this.slice(0);
  }
}
