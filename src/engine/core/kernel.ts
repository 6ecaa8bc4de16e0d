/**
 * The simulated kernel: its state, the trace it records, the registered buses and the indexes
 * the driver core matches through. Behaviour lives in core.ts (device lifecycle), dd.ts (binding),
 * bus.ts (bus and driver registration, sysfs bus attributes) and the per-bus files.
 */
import type { Citation, EventKind, MatchInfo, TraceEvent, UeventRecord } from '../api';
import { ANY_KEY, type BusType, type IndexKey } from '../buses/types';
import type { ModuleDef, Scenario } from '../scenario/schema';
import type { Facts } from '../firmware/facts';
import { Ida } from './ida';
import { JournaledState, MultiMap, type DeviceRec, type DriverRec, type Registrations } from './state';
import { EventLog, EventSite, TOUCH_DEV, TOUCH_DEV_DRV, TOUCH_DEV_MOD, TOUCH_DEV_NO_MOD, TOUCH_DRV, TOUCH_DRV_DEV, TOUCH_MOD, TOUCH_MOD_DEV, TOUCH_NONE, type MatchDraft, type TextArg } from '../trace/eventlog';
import { UeventLog } from '../trace/ueventlog';

/** which budget a run exceeded (or the probe-loop / recursion guards) */
export type BudgetName = 'events' | 'time' | 'devices' | 'depth' | 'probe-loop' | 'deadlock';

/** thrown when a run cannot terminate or outgrows its budget; the run records it and stops */
export class RunawayError extends Error {
  constructor(message: string, readonly budget: BudgetName = 'probe-loop') {
    super(message);
  }
}

/** a device retried by the deferred-probe work this many times is in a probe loop */
export const MAX_DEFERRED_RETRIES = 100;

/**
 * Template literals build rope (cons) strings; reading a character makes V8 flatten the rope in
 * place, so the trace keeps one flat string per text instead of a tree of fragments.
 */
export function flat(s: string): string {
  s.charCodeAt(0);
  return s;
}

/** the extras of an event with none (no touches, no errno): one frozen object for all of them */
export const NO_EXTRA: Partial<TraceEvent> = Object.freeze({});

export interface ExecContext {
  module: string | null; // the module whose code runs (KBUILD_MODNAME)
  dev: string | null; // devpath of the device being probed/removed
  /** registrations made while running a module's init, for its default exit */
  registrations?: Registrations;
  /** the firmware node the enclosing `if <fact>` stands for (graph edge firmware → device) */
  fwnode?: string | null;
  /** in a probe: how many times this callback has now been called for this device (1 = first) */
  call?: number;
  /** what the trace cites for the module's code (scenario/interpret.ts codeFor): found once per callback, not per event */
  code?: ModuleCode;
}

/** the citations and event sites of one module's own code (scenario/interpret.ts), made once per run and kept (Kernel.moduleCodes) */
export interface ModuleCode {
  /** the module's source file, or "module <name> (scenario code)" */
  source: string;
  /** `<source>:pr_info`, `<source>:pr_err` */
  prInfo: string;
  prErr: string;
  /** its `if` on the probed device, its pr_info lines */
  ifSite: EventSite<[string, string, string, number, string]>;
  logSite: EventSite<[string]>;
}

export class Kernel {
  readonly state: JournaledState;
  /** the uevents sent, in columns (trace/ueventlog.ts): records are built when read */
  readonly uevents = new UeventLog();
  readonly log: string[] = [];
  /** the trace, in columns (trace/eventlog.ts): events are built when read */
  readonly events = new EventLog(this.log, this.uevents);
  readonly busTypes = new Map<string, BusType>();
  readonly moduleDefs = new Map<string, ModuleDef>();
  /** uevents (indexes into `uevents`) udev has received but not yet processed */
  readonly udevQueue = new Fifo<number>();
  /** deferred_probe_active_list: devices queued for a retry by driver_deferred_probe_trigger */
  deferredActive: string[] = [];
  /** deferred_trigger_count: bumped by every effective driver_deferred_probe_trigger() */
  deferredTriggerCount = 0;
  /** monotonic orders (klist positions); records keep their order, so these need no journaling */
  readonly counters = { dev: 0, drv: 0, bind: 0, bus: 0, /** driver_deferred_probe_add()s: a device's place on the pending list (DeviceRec.deferredAt) */ deferAdd: 0, /** uevent_seqnum (lib/kobject_uevent.c): each uevent keeps its SEQNUM, nothing else reads it */ seqnum: 0 };
  private readonly idas = new Map<string, Ida>();

  /** the IDA of a namespace ("platform" for platform_devid_ida, or a bus name) */
  ida(ns: string): Ida {
    let ida = this.idas.get(ns);
    if (!ida) this.idas.set(ns, (ida = new Ida()));
    return ida;
  }
  /** deferred-probe retries per device, to detect probe loops */
  readonly deferredRetries = new Map<string, number>();
  /** module-local driver key ("module:key") → registered driver id ("bus/name") */
  readonly driverIds = new Map<string, string>();
  depth = 0;
  /** calls of each callback per device ("driver m:key:probe" + devpath → n) */
  private readonly calls = new Map<string, number>();
  countCall(callback: string, devpath: string): number {
    const key = `${callback}\u0000${devpath}`;
    const n = (this.calls.get(key) ?? 0) + 1;
    this.calls.set(key, n);
    return n;
  }
  /**
   * Devices whose device_lock() is held by a probe or remove running now, innermost last: the
   * locks nest (a probe that registers a device probes it inside), so they are a stack, a few
   * deep, where a Set's add and delete per probe rebuilt its table every few probes.
   */
  private readonly locked: string[] = [];
  withDeviceLock<T>(devpath: string, fn: () => T): T {
    this.locked.push(devpath);
    try {
      return fn();
    } finally {
      this.locked.pop();
    }
  }
  /** device_del() takes device_lock(dev): from inside that device's own probe or remove, the thread waits on itself */
  checkDeviceLock(devpath: string, what: string): void {
    if (this.locked.includes(devpath)) {
      throw new RunawayError(`deadlock: ${what} of ${devpath} from inside its own probe/remove: device_del() takes device_lock(), which the running probe/remove already holds; the kernel thread blocks for good (hung task warning after 120 s)`, 'deadlock');
    }
  }
  /** msleep() in module code: boot.ts runs the kernel's (and, in userspace, udev's) pending work */
  sleep: (ms: number) => void = () => {};
  /** per-bus candidate indexes: bus → key kind → key value → members */
  private devIndex = new Map<string, CandidateIndex>();
  private drvIndex = new Map<string, CandidateIndex>();

  /** ModuleCode by module name ('' for core code): scenario/interpret.ts codeFor */
  readonly moduleCodes = new Map<string, ModuleCode>();

  /** `state`: where the state lives (the timeline's cursor passes copy-on-write storage) */
  constructor(readonly scenario: Scenario, readonly facts: Facts, state?: JournaledState) {
    this.state = state ?? new JournaledState();
    for (const m of scenario.modules) this.moduleDefs.set(m.name, m);
  }

  // ---- trace -------------------------------------------------------------------------------

  /**
   * Values the trace repeats, kept once: most events touch one device, driver or module, and a
   * uevent's variables (ACTION=add, SUBSYSTEM=platform, the device's DEVPATH and MODALIAS, its
   * DRIVER) recur across its add/bind/unbind/remove. Shared values are never mutated.
   */
  // keyed by the value itself, not a concatenation: a devpath or name is usually the same string
  // object every time, whose hash V8 keeps, so a lookup builds and hashes nothing new. The values
  // are rows of the trace's touches table (trace/eventlog.ts): a few integers each, no objects
  private readonly touchDriver = new Map<string, number>();
  private readonly touchModule = new Map<string, number>();
  /**
   * What the trace keeps per device (by devpath), in one entry: one lookup for an event's
   * touches and its uevent's MODALIAS instead of one in each of four tables of every device
   * (a large run's tables hold ~150k devices each, and a lookup in one is mostly cache misses).
   */
  private readonly traces = new DeviceTraces();
  private readonly varCache = new Map<string, Map<string, [string, string]>>();
  /** the row of the empty touches */
  private noTouches = -1;

  /** the touches row an event points at: a shared one when it names a single device, driver or module, or a device with one driver or module */
  private keepTouches(t: TraceEvent['touches'] | undefined): number {
    const ev = this.events;
    if (this.noTouches < 0) this.noTouches = ev.addTouchRow(TOUCH_NONE, -1);
    if (!t) return this.noTouches;
    // a device and an empty list of modules (udev's lookup that found no module at all: one per
    // such device, ~50k in a 100k run): a row of its own kind, never reused, rather than an
    // object and two arrays kept per event
    const mods = t.modules;
    if (mods !== undefined && mods.length === 0 && t.devices?.length === 1 && t.drivers === undefined && firstKey(t) === 'devices') {
      const d = t.devices[0]!;
      return ev.addTouchRow(TOUCH_DEV_NO_MOD, ev.touchNameIndex(this.deviceRow(this.traceOf(d), d)));
    }
    // consecutive events mostly touch the same device (and driver): device_add, its uevent, the
    // match, probe and bind. Only a kept (shared) row is reused: the one the caches would give
    if (this.lastTouches >= 0 && sameSingle(t.devices, this.lastDevice) && sameSingle(t.drivers, this.lastDriver) && sameSingle(t.modules, this.lastModule)) return this.lastTouches;
    const kept = this.keptTouches(t);
    // touches naming several devices, drivers or modules: kept as given for this event alone, never reused
    if (kept < 0) return ev.addTouches(t);
    this.lastDevice = t.devices?.[0];
    this.lastDriver = t.drivers?.[0];
    this.lastModule = t.modules?.[0];
    return (this.lastTouches = kept);
  }
  /**
   * The touches of an event naming one device (`{ devices: [devpath] }`), or one device and one
   * driver, and the event extras holding just them: the last of each is kept and given again for
   * the same names (the events of one device_add or one bind name the same ones). Touches are
   * never mutated, so one object can stand for several events; a large run recorded ~1.5 M of
   * these small objects, each dead once its row was kept.
   */
  touchDevice(devpath: string): TraceEvent['touches'] {
    const t = this.lastTouchDevice;
    if (t !== null && t.devices![0] === devpath) return t;
    return (this.lastTouchDevice = { devices: [devpath] });
  }
  touchPair(devpath: string, driver: string): TraceEvent['touches'] {
    const t = this.lastTouchPair;
    if (t !== null && t.devices![0] === devpath && t.drivers![0] === driver) return t;
    return (this.lastTouchPair = { devices: [devpath], drivers: [driver] });
  }
  /** `{ touches: touchDevice(devpath) }`: a new one only when touchDevice gave a new touches */
  onDevice(devpath: string): Partial<TraceEvent> {
    const t = this.touchDevice(devpath);
    if (this.lastOnDevice?.touches !== t) this.lastOnDevice = { touches: t };
    return this.lastOnDevice!;
  }
  /** `{ touches: touchPair(devpath, driver) }`, kept the same way */
  onPair(devpath: string, driver: string): Partial<TraceEvent> {
    const t = this.touchPair(devpath, driver);
    if (this.lastOnPair?.touches !== t) this.lastOnPair = { touches: t };
    return this.lastOnPair!;
  }
  private lastTouchDevice: TraceEvent['touches'] | null = null;
  private lastTouchPair: TraceEvent['touches'] | null = null;
  private lastOnDevice: Partial<TraceEvent> | null = null;
  private lastOnPair: Partial<TraceEvent> | null = null;

  /** the last kept row, and the single device, driver and module it names (undefined: none) */
  private lastTouches = -1;
  private lastDevice: string | undefined;
  private lastDriver: string | undefined;
  private lastModule: string | undefined;

  /** the shared row naming what t names, or -1 when t names several of a kind (not shared) */
  private keptTouches(t: TraceEvent['touches']): number {
    const ev = this.events;
    const { devices, drivers, modules } = t;
    // no array destructuring here: this runs for every event
    if (devices && devices.length === 1 && !drivers && !modules) return this.deviceRow(this.traceOf(devices[0]!), devices[0]!);
    if (drivers && drivers.length === 1 && !devices && !modules) return this.single(this.touchDriver, drivers[0]!, TOUCH_DRV);
    if (modules && modules.length === 1 && !devices && !drivers) return this.single(this.touchModule, modules[0]!, TOUCH_MOD);
    // a device and its driver (the match, probe and bind of one pair), or a device and a module
    // (udev's lookup and the load): the last such pair of each device is kept and shared
    if (devices && devices.length === 1 && !!drivers !== !!modules) {
      const other = drivers ?? modules!;
      if (other.length === 1) {
        const kept = this.traceOf(devices[0]!);
        const which = drivers ? WITH_DRIVER : WITH_MODULE;
        const keptId = this.traces.row(kept, which);
        if (keptId >= 0 && ev.touchNameAt(keptId, 1) === other[0]) return keptId;
        // the pair names the device and the other by the names their single rows hold (so its
        // object shares their arrays), its keys in the order the caller gave them (unbind_store
        // names the driver first)
        const dev = this.deviceRow(kept, devices[0]!);
        const oth = drivers ? this.single(this.touchDriver, other[0]!, TOUCH_DRV) : this.single(this.touchModule, other[0]!, TOUCH_MOD);
        const devicesFirst = firstKey(t) === 'devices';
        const how = drivers ? (devicesFirst ? TOUCH_DEV_DRV : TOUCH_DRV_DEV) : devicesFirst ? TOUCH_DEV_MOD : TOUCH_MOD_DEV;
        const id = ev.addTouchRow(how, ev.touchNameIndex(dev), ev.touchNameIndex(oth));
        this.traces.setRow(kept, which, id);
        return id;
      }
    }
    return !devices && !drivers && !modules ? this.noTouches : -1;
  }

  /**
   * The trace's entry for a device, made on first use: by the device's klist order while it is
   * registered (an array read: the record is usually the one just read, where a lookup in a
   * ~150k-entry table would be cache misses), by devpath otherwise (a device already deleted, or
   * a state built without device_add's orders). A device deleted and added again gets a new entry,
   * which names it the same way.
   */
  private traceOf(devpath: string): number {
    const order = this.device(devpath)?.order;
    return this.traces.of(devpath, order !== undefined && order > 0 ? order : 0);
  }

  /** the row naming only the device whose entry is `t` */
  private deviceRow(t: number, devpath: string): number {
    let id = this.traces.row(t, ALONE);
    if (id < 0) this.traces.setRow(t, ALONE, (id = this.events.addTouchRow(TOUCH_DEV, this.events.touchName(devpath))));
    return id;
  }

  /** the row naming only `key` (a driver or module), kept under key from now on */
  private single(cache: Map<string, number>, key: string, how: typeof TOUCH_DRV | typeof TOUCH_MOD): number {
    const kept = cache.get(key);
    if (kept !== undefined) return kept;
    const ev = this.events;
    const id = ev.addTouchRow(how, ev.touchName(key));
    cache.set(key, id);
    return id;
  }

  /**
   * A uevent variable as the trace keeps it (UeventLog.push), shared with the uevents that carry
   * the same one: a device's MODALIAS with the device's own earlier uevents (its entry: the value
   * is the same from add to remove, and a table of every device's MODALIAS cost a lookup among
   * ~150k per uevent), every other variable with every uevent that carries it (ueventVar).
   */
  readonly shareVar = (v: readonly [string, string], devpath: string): readonly [string, string] => {
    if (v[0] !== 'MODALIAS') return this.ueventVar(v[0], v[1]);
    const t = this.traceOf(devpath);
    let kept = this.traces.modalias(t);
    if (kept !== v[1]) this.traces.setModalias(t, (kept = flat(v[1])));
    // the log keeps the pair's key and value, not the pair (UeventLog.push): this one is not kept
    return ['MODALIAS', kept];
  };

  /**
   * `make(key)`, one string per kind and key for the run: texts the trace would otherwise keep
   * once per event (a module's scenario-code citation, udev's note for built-in modules).
   */
  sharedText(kind: string, key: string, make: (key: string) => string): string {
    let byKey = this.texts.get(kind);
    if (byKey === undefined) this.texts.set(kind, (byKey = new Map()));
    let text = byKey.get(key);
    if (text === undefined) byKey.set(key, (text = flat(make(key))));
    return text;
  }
  private readonly texts = new Map<string, Map<string, string>>();

  /** one uevent variable, shared with every uevent that carries the same one */
  ueventVar(key: string, value: string): [string, string] {
    let byValue = this.varCache.get(key);
    if (byValue === undefined) this.varCache.set(key, (byValue = new Map()));
    let v = byValue.get(value);
    if (v === undefined) byValue.set(value, (v = [key, flat(value)]));
    return v;
  }

  /** the run's budget check (boot.ts), before each event is recorded: throws RunawayError to stop the run */
  beforeEmit: (() => void) | null = null;

  /** an event whose sentence is `text`, as written (Kernel.emitAt for the frequent ones) */
  emit(kind: EventKind, text: string, cite: Citation, extra: Partial<TraceEvent> = NO_EXTRA): void {
    this.beforeEmit?.();
    // the line goes to the log first: the event's row counts it (EventLog.countsAfter)
    if (extra.log !== undefined) this.log.push(extra.log);
    this.events.push(kind, flat(text), cite, this.depth, this.keepTouches(extra.touches), extra);
    this.state.journal.endEvent();
  }

  /**
   * An event of a call site's (trace/eventlog.ts EventSite): its sentence `site.text(...args)`,
   * built when the event is read, for the events a large run records by the hundred thousand. The
   * arguments are strings or numbers (kept as they are now, so the sentence is what it would have been).
   */
  emitAt<A extends TextArg[]>(site: EventSite<A>, extra: Partial<TraceEvent>, ...args: A): void {
    this.recordAt(site as unknown as EventSite, extra, extra.touches, args);
  }

  /** one row of the trace, for an event of a site (its kind, citation and template ids come with it); its patches and the uevent and log counts after it go to their columns */
  private recordAt(site: EventSite, extra: Omit<Partial<TraceEvent>, 'match'> & { match?: MatchDraft }, touches: TraceEvent['touches'] | undefined, args?: readonly TextArg[], uevent?: number): void {
    this.beforeEmit?.();
    // the line goes to the log first: the event's row counts it (EventLog.countsAfter)
    if (extra.log !== undefined) this.log.push(extra.log);
    this.events.pushAt(site, this.depth, this.keepTouches(touches), extra, args, uevent);
    this.state.journal.endEvent();
  }

  /** the site of the events of one kind with no template (a uevent's, a match's) under one citation */
  private siteOf(sites: Map<Citation, EventSite>, kind: EventKind, cite: Citation): EventSite {
    let site = sites.get(cite);
    if (site === undefined) sites.set(cite, (site = new EventSite(kind, cite, null)));
    return site;
  }
  // a few citations each (a bus's uevent and match functions): small tables, unlike the trace's table of every citation
  private readonly ueventSites = new Map<Citation, EventSite>();
  private readonly matchSites = new Map<Citation, EventSite>();

  /** printk: a kernel log line, recorded as its own event */
  printk(kind: EventKind, line: string, cite: Citation, extra: Partial<TraceEvent> = {}): void {
    this.emit(kind, line, cite, { ...extra, log: line });
  }

  /** a kernel error outcome: recorded, never thrown */
  error(text: string, errno: number, cite: Citation, touches: TraceEvent['touches'] = {}, log?: string): number {
    this.emit('error', text, cite, { errno, touches, ...(log !== undefined ? { log } : {}) });
    return errno;
  }

  /** kobject_uevent_env() sent uevent `i`: the event's text is the uevent's sentence, built when the event is read (trace/eventlog.ts ueventText) */
  ueventSent(i: number, cite: Citation, touches: TraceEvent['touches']): void {
    this.recordAt(this.siteOf(this.ueventSites, 'uevent', cite), NO_EXTRA, touches, undefined, i);
  }

  /**
   * A match decision: its text is the match info's sentence, built when the event is read
   * (trace/eventlog.ts matchText), as is what was compared when the bus's match gave a way to
   * make it (MatchResult.compared)
   */
  match(info: MatchDraft, touches: TraceEvent['touches']): void {
    if (typeof info.compared === 'string') info.compared = flat(info.compared);
    this.recordAt(this.siteOf(this.matchSites, 'match', info.cite), { match: info }, touches);
  }

  nested<T>(fn: () => T): T {
    this.depth++;
    try {
      return fn();
    } finally {
      this.depth--;
    }
  }

  /** flush mutations that no event has claimed yet into a closing event */
  flush(text: string): void {
    this.emit('phase', text, 'bindscope', { boundary: true });
  }

  // ---- lookups -----------------------------------------------------------------------------

  bus(name: string): BusType | undefined {
    return this.state.buses.has(name) ? this.busTypes.get(name) : undefined;
  }

  device(devpath: string): DeviceRec | undefined {
    return this.state.device(devpath);
  }

  driver(id: string): DriverRec | undefined {
    return this.state.drivers.get(id);
  }

  /** bus_find_device_by_name: the device named `name` on `bus` */
  findBusDevice(bus: string, name: string): DeviceRec | undefined {
    // most names are one device's: read it bare (get() would build a one-member array per call)
    const held = this.state.byName.raw(name);
    if (held === undefined) return undefined;
    if (typeof held === 'string') {
      const d = this.device(held);
      return d?.bus === bus ? d : undefined;
    }
    for (const p of held) {
      const d = this.device(p);
      if (d?.bus === bus) return d;
    }
    return undefined;
  }

  /** driver_find */
  findDriver(bus: string, name: string): DriverRec | undefined {
    return this.driver(`${bus}/${name}`);
  }

  /** devices on a bus in klist (device_add) order */
  busDevices(bus: string): DeviceRec[] {
    // the bus's klist_devices (a derived index of the state) instead of a scan of every device
    const out: DeviceRec[] = [];
    for (const p of this.state.busDevices.get(bus)) out.push(this.device(p)!);
    return byOrder(out);
  }

  /** drivers on a bus in registration order */
  busDrivers(bus: string): DriverRec[] {
    const out: DriverRec[] = [];
    for (const id of this.state.busDrivers.get(bus)) out.push(this.driver(id)!);
    return byOrder(out);
  }

  /** the parent's klist_children, in device_add order */
  children(devpath: string): DeviceRec[] {
    const out: DeviceRec[] = [];
    for (const p of this.state.children.get(devpath)) {
      const d = this.device(p);
      if (d) out.push(d);
    }
    return byOrder(out);
  }

  // ---- indexes (bus_for_each_drv / bus_for_each_dev without scanning everything) -------------

  indexDevice(dev: DeviceRec, add: boolean): void {
    const bt = dev.bus ? this.busTypes.get(dev.bus) : undefined;
    if (!bt || !dev.bus) return;
    updateIndex(this.devIndex, dev.bus, this.deviceKeys(bt, dev), dev.devpath, add);
  }

  indexDriver(drv: DriverRec, add: boolean): void {
    const bt = this.busTypes.get(drv.bus);
    if (!bt) return;
    updateIndex(this.drvIndex, drv.bus, this.driverKeys(bt, drv), drv.id, add);
  }

  /**
   * A record's match keys, the last record's kept: device_add() indexes the new device, then
   * bus_probe_device() looks its candidates up under the same keys (driver registration the same
   * for a driver). The keys are a function of the record (an immutable version) and the firmware.
   */
  private deviceKeys(bt: BusType, dev: DeviceRec): readonly IndexKey[] {
    if (dev !== this.keyedDevice) {
      this.keyedDeviceKeys = bt.deviceKeys(this, dev);
      this.keyedDevice = dev;
    }
    return this.keyedDeviceKeys;
  }
  private driverKeys(bt: BusType, drv: DriverRec): readonly IndexKey[] {
    if (drv !== this.keyedDriver) {
      this.keyedDriverKeys = bt.driverKeys(drv);
      this.keyedDriver = drv;
    }
    return this.keyedDriverKeys;
  }
  private keyedDevice: DeviceRec | null = null;
  private keyedDeviceKeys: readonly IndexKey[] = [];
  private keyedDriver: DriverRec | null = null;
  private keyedDriverKeys: readonly IndexKey[] = [];

  /** drivers that may match `dev`, in registration order (the match op decides) */
  candidateDrivers(dev: DeviceRec): DriverRec[] {
    const bt = dev.bus ? this.busTypes.get(dev.bus) : undefined;
    if (!bt || !dev.bus) return [];
    const idx = this.drvIndex.get(dev.bus);
    if (!idx) return [];
    const keys = this.deviceKeys(bt, dev);
    if (keys.some(isAny)) return this.busDrivers(dev.bus);
    return byOrder(gather(idx, keys, (id) => this.driver(id)));
  }

  /** devices that may match `drv`, in bus klist order */
  candidateDevices(drv: DriverRec): DeviceRec[] {
    const bt = this.busTypes.get(drv.bus);
    const idx = this.devIndex.get(drv.bus);
    if (!bt || !idx) return [];
    const keys = this.driverKeys(bt, drv);
    if (keys.some(isAny)) return this.busDevices(drv.bus);
    return byOrder(gather(idx, keys, (p) => this.device(p)));
  }
}

/**
 * A bus's candidate index: key kind → key value → members (devpaths or driver ids). Filed by kind,
 * so a lookup uses the record's own string as the key (buses/types.ts IndexKey).
 */
class CandidateIndex {
  private readonly byKind = new Map<string, MultiMap>();
  add(key: IndexKey, member: string): void {
    let m = this.byKind.get(key[0]);
    if (m === undefined) this.byKind.set(key[0], (m = new MultiMap()));
    m.add(key[1], member);
  }
  delete(key: IndexKey, member: string): void {
    this.byKind.get(key[0])?.delete(key[1], member);
  }
  /** the members under key, as MultiMap.raw holds them */
  raw(key: IndexKey): string | ReadonlySet<string> | undefined {
    return this.byKind.get(key[0])?.raw(key[1]);
  }
  get(key: IndexKey): Iterable<string> {
    return this.byKind.get(key[0])?.get(key[1]) ?? NO_MEMBERS;
  }
}
const NO_MEMBERS: readonly string[] = Object.freeze([]);

const isAny = (key: IndexKey): boolean => key[0] === ANY_KEY[0];

/**
 * The members of an index under `keys` and under ANY_KEY (members that match anything), each once.
 * The common case — one non-empty set — is copied straight, with no Set built to dedupe.
 */
function gather<T>(idx: CandidateIndex, keys: readonly IndexKey[], get: (id: string) => T | undefined): T[] {
  const out: T[] = [];
  // the keys (and ANY_KEY) that have members: usually one, copied straight with no Set to dedupe
  let first: string | ReadonlySet<string> | undefined;
  let more = false;
  for (let i = 0; i <= keys.length; i++) {
    const members = idx.raw(i < keys.length ? keys[i]! : ANY_KEY);
    if (members === undefined) continue;
    if (first === undefined) first = members;
    else more = true;
  }
  if (first === undefined) return out;
  if (!more) {
    if (typeof first === 'string') {
      const x = get(first);
      if (x !== undefined) out.push(x);
    } else {
      for (const id of first) {
        const x = get(id);
        if (x !== undefined) out.push(x);
      }
    }
    return out;
  }
  const seen = new Set<string>();
  for (let i = 0; i <= keys.length; i++) {
    for (const id of idx.get(i < keys.length ? keys[i]! : ANY_KEY)) {
      if (seen.has(id)) continue;
      seen.add(id);
      const x = get(id);
      if (x !== undefined) out.push(x);
    }
  }
  return out;
}

/**
 * The trace's entry for each device (Kernel.traceOf): its touches rows (-1: none yet) and its last
 * MODALIAS, in columns, an entry a number. A device's entry is its klist order while it is
 * registered (an array read: the record is usually the one just read, where a lookup in a
 * ~150k-entry table would be cache misses); by devpath otherwise (a device already deleted, or a
 * state built without device_add's orders), as a negative number. A device deleted and added
 * again gets a new entry, which names it the same way. An object per device was ~1.4 of the ~40
 * objects a large run keeps per device.
 */
class DeviceTraces {
  private readonly byOrder = new TraceColumns();
  private readonly byPath = new TraceColumns();
  private readonly pathEntry = new Map<string, number>();

  /** the entry of the device at `devpath`, its klist order `order` (0: none) */
  of(devpath: string, order: number): number {
    if (order > 0) {
      const kept = this.byOrder.devpathAt(order);
      if (kept === devpath) return order;
      if (kept === undefined) {
        this.byOrder.add(order, devpath);
        return order;
      }
    }
    let j = this.pathEntry.get(devpath);
    if (j === undefined) {
      this.pathEntry.set(devpath, (j = this.pathEntry.size));
      this.byPath.add(j, devpath);
    }
    return ~j;
  }
  /** entry t's touches row of a kind (ALONE, WITH_DRIVER, WITH_MODULE), or -1 */
  row(t: number, which: TraceRow): number {
    return t >= 0 ? this.byOrder.rows[t * TRACE_ROWS + which]! : this.byPath.rows[~t * TRACE_ROWS + which]!;
  }
  setRow(t: number, which: TraceRow, id: number): void {
    if (t >= 0) this.byOrder.rows[t * TRACE_ROWS + which] = id;
    else this.byPath.rows[~t * TRACE_ROWS + which] = id;
  }
  modalias(t: number): string | null {
    return (t >= 0 ? this.byOrder.modalias[t] : this.byPath.modalias[~t]) ?? null;
  }
  setModalias(t: number, v: string): void {
    if (t >= 0) this.byOrder.modalias[t] = v;
    else this.byPath.modalias[~t] = v;
  }
}

/** a device's touches rows, per entry of DeviceTraces: the row naming it alone, and the last naming it and a driver, it and a module */
const ALONE = 0;
const WITH_DRIVER = 1;
const WITH_MODULE = 2;
type TraceRow = typeof ALONE | typeof WITH_DRIVER | typeof WITH_MODULE;
const TRACE_ROWS = 3;

/** DeviceTraces' columns, an entry an index: its TRACE_ROWS touches rows (-1: none yet), the devpath, the last MODALIAS */
class TraceColumns {
  rows: Int32Array = new Int32Array(0);
  private readonly devpaths: (string | undefined)[] = [];
  readonly modalias: (string | undefined)[] = [];

  devpathAt(i: number): string | undefined {
    return this.devpaths[i];
  }

  /** entry i, for `devpath`, with no rows yet */
  add(i: number, devpath: string): void {
    if ((i + 1) * TRACE_ROWS > this.rows.length) {
      const grown = new Int32Array(Math.max(1024, i * 2) * TRACE_ROWS);
      grown.set(this.rows);
      this.rows = grown;
    }
    for (let k = 0; k < TRACE_ROWS; k++) this.rows[i * TRACE_ROWS + k] = -1;
    // filled in order (klist orders and path entries count up from 1 and 0): the arrays stay packed
    while (this.devpaths.length < i) {
      this.devpaths.push(undefined);
      this.modalias.push(undefined);
    }
    this.devpaths[i] = devpath;
    if (this.modalias.length <= i) this.modalias.push(undefined);
    else this.modalias[i] = undefined;
  }
}

/** the first list a touches names */
function firstKey(t: TraceEvent['touches']): string | undefined {
  for (const k in t) return k;
  return undefined;
}

/** whether a touches list names just `b` (b undefined: the list is absent) */
function sameSingle(a: readonly string[] | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return a === undefined && b === undefined;
  return a.length === 1 && a[0] === b;
}

/** a FIFO with O(1) shift (Array.prototype.shift is O(n) on large arrays): udev's socket queue */
export class Fifo<T> {
  private items: T[] = [];
  private head = 0;
  get length(): number {
    return this.items.length - this.head;
  }
  push(x: T): void {
    this.items.push(x);
  }
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const x = this.items[this.head]!;
    this.items[this.head++] = undefined as T;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return x;
  }
  clear(): void {
    this.items = [];
    this.head = 0;
  }
}

/** sort by klist order; index sets are usually in that order already, so check before sorting */
export function byOrder<T extends { order: number }>(xs: T[]): T[] {
  for (let i = 1; i < xs.length; i++) if (xs[i - 1]!.order > xs[i]!.order) return xs.sort((a, b) => a.order - b.order);
  return xs;
}

function updateIndex(index: Map<string, CandidateIndex>, bus: string, keys: readonly IndexKey[], member: string, add: boolean): void {
  let byKey = index.get(bus);
  if (!byKey) index.set(bus, (byKey = new CandidateIndex()));
  for (const k of keys) {
    if (add) byKey.add(k, member);
    else byKey.delete(k, member);
  }
}
