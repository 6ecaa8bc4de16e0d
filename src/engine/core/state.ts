/**
 * The simulated kernel's state as flat records, and the journal that makes time travel cheap.
 *
 * Every mutation goes through JournaledState.set/delete and is recorded as a reversible patch
 * (table, key, before, after). The trace attaches the patches to the event that follows them,
 * so the state at any step can be reached from any other step by applying patches forward or
 * backward (see trace/timeline.ts) — no replay from scratch.
 */
import type { DriverDef } from '../scenario/schema';

/**
 * A driver's callbacks as the core calls them (struct device_driver .probe/.remove, or
 * faux_device_ops): the code that registered the driver supplies them, so the core never knows
 * whether they are a scenario's declarative actions or the engine's own code.
 */
export interface DriverOps {
  /** returns 0 or -errno */
  probe?: (devpath: string) => number;
  /** returns void: a failure inside it cannot stop the unbind */
  remove?: (devpath: string) => void;
}

export type DevresEntry =
  /** a devm-created child device (devm_auxiliary_device_create, devm device_register) */
  | { kind: 'device'; target: string; cite: string }
  /** devm_add_action_or_reset(dev, fn, data): `actions` run when the devres is released */
  | { kind: 'action'; target: string; run: () => void; module: string | null; cite: string };

export interface DeviceRec {
  devpath: string; // "/devices/platform/arm-cca-dev"
  name: string; // dev_name(): the sysfs directory name
  /** the name the bus matches on before instance suffixes: pdev->name, auxiliary "modname.name", custom bus base name */
  baseName: string;
  bus: string | null;
  cls: string | null; // class name for class devices (tsm)
  parent: string | null; // parent devpath
  driver: string | null; // driver id "bus/name"
  driverOverride: string | null;
  ofNode: string | null;
  ofReused: boolean;
  acpiHid: string | null;
  order: number; // klist order on its bus (device_add order)
  boundOrder: number; // klist order on its driver (driver_bound order)
  devres: DevresEntry[];
  devmOwner: string | null; // devpath whose devres deletes this device
  createdBy: string | null; // module that created it ("kernel" for core code)
  pmNotRequired: boolean; // no power/ directory (faux)
  platformId: number | null; // platform: pdev->id (after AUTO allocation)
  idAuto: boolean;
  idaId: number | null; // custom bus instance number
  /** numeric ids on a bus that matches by id (arm_smccc func_id, PCI vendor/device...) */
  ids?: Record<string, number> | null;
  /** a MODALIAS given verbatim (a bus with match "modalias": an imported machine's devices) */
  modalias?: string | null;
  /** faux_device_ops of the device's creator */
  faux: DriverOps | null;
  deferred: boolean; // on deferred_probe_pending_list
  /**
   * where on deferred_probe_pending_list (driver_deferred_probe_add: list_add_tail): the count of
   * additions when it was added, 0 before its first; meaningful while `deferred`
   */
  deferredAt?: number;
  /** the last dev_err_probe(-EPROBE_DEFER) reason (device_set_deferred_probe_reason): /sys/kernel/debug/devices_deferred */
  deferReason?: string | null;
  isRoot: boolean; // /sys/devices/platform, /sys/devices/faux (no bus, no class)
  fwnode: string | null; // the firmware node (DT node, SMCCC call group) this device stands for
  /** device_del() has begun: power/, uevent, attrs and the bus/subsystem links are already gone */
  deleting?: boolean;
}

/** what device_add() fixed about a device: the same for every version of its record */
type DeviceIdentity = Omit<DeviceRec, MutableField>;
/** the fields that change after device_add() (binding, deferral, devres, driver_override, device_del) */
type MutableField = 'driver' | 'driverOverride' | 'boundOrder' | 'devres' | 'deferred' | 'deferredAt' | 'deferReason' | 'deleting';

/**
 * One version of a device's record. The journal keeps every version (a large run has ~3.3 per
 * device: device_add, really_probe setting `driver`, driver_bound, each devres change), so a
 * version holds only what changes and shares the rest (`fixed`, what device_add fixed): 88 bytes a
 * version instead of 248. It reads as a DeviceRec: the fixed fields are getters, which V8 inlines
 * (one class: every site stays monomorphic).
 */
class DeviceVersion implements DeviceRec {
  constructor(
    readonly fixed: DeviceIdentity,
    readonly driver: string | null,
    readonly driverOverride: string | null,
    readonly boundOrder: number,
    readonly devres: DevresEntry[],
    readonly deferred: boolean,
    readonly deferredAt: number,
    readonly deferReason: string | null,
    readonly deleting: boolean,
  ) {}
  get devpath() { return this.fixed.devpath; }
  get name() { return this.fixed.name; }
  get baseName() { return this.fixed.baseName; }
  get bus() { return this.fixed.bus; }
  get cls() { return this.fixed.cls; }
  get parent() { return this.fixed.parent; }
  get ofNode() { return this.fixed.ofNode; }
  get ofReused() { return this.fixed.ofReused; }
  get acpiHid() { return this.fixed.acpiHid; }
  get order() { return this.fixed.order; }
  get devmOwner() { return this.fixed.devmOwner; }
  get createdBy() { return this.fixed.createdBy; }
  get pmNotRequired() { return this.fixed.pmNotRequired; }
  get platformId() { return this.fixed.platformId; }
  get idAuto() { return this.fixed.idAuto; }
  get idaId() { return this.fixed.idaId; }
  get ids() { return this.fixed.ids; }
  get modalias() { return this.fixed.modalias; }
  get faux() { return this.fixed.faux; }
  get isRoot() { return this.fixed.isRoot; }
  get fwnode() { return this.fixed.fwnode; }
}

/** the fixed part of a record, as one literal (one hidden class for every device) */
function identityOf(d: DeviceRec): DeviceIdentity {
  return identity(d.devpath, d.name, d.baseName, d.order, d);
}

/** a device's fixed fields: these four, the others from `f` (an unset one null or false) */
function identity(devpath: string, name: string, baseName: string, order: number, f: NewDeviceFields): DeviceIdentity {
  return {
    devpath, name, baseName, bus: f.bus, cls: f.cls ?? null, parent: f.parent ?? null,
    ofNode: f.ofNode ?? null, ofReused: f.ofReused ?? false, acpiHid: f.acpiHid ?? null, order,
    devmOwner: f.devmOwner ?? null, createdBy: f.createdBy ?? null, pmNotRequired: f.pmNotRequired ?? false,
    platformId: f.platformId ?? null, idAuto: f.idAuto ?? false, idaId: f.idaId ?? null, ids: f.ids ?? null,
    modalias: f.modalias ?? null, faux: f.faux ?? null, isRoot: f.isRoot ?? false, fwnode: f.fwnode ?? null,
  };
}

const IDENTITY_FIELDS = new Set<string>(Object.keys(identityOf({} as DeviceRec)));

/**
 * The version of device `d` with `changes` applied (a key that is undefined in `changes` keeps
 * its value). Every version of a device is built here: object spreads (`{ ...dev, driver }`) did
 * the same job 5–10× slower once a large run's records went through the collector's slow paths
 * (a 100k-device run spent 3.5 s of 12 in them when its scenario was new to the heap). A change
 * to a fixed field (never made by the driver core today) gives the device a new identity.
 */
export function deviceRecord(d: DeviceRec, c: Partial<DeviceRec> = NO_CHANGES): DeviceRec {
  let fixed = d instanceof DeviceVersion ? d.fixed : identityOf(d);
  for (const f in c) {
    const k = f as keyof DeviceIdentity;
    if (IDENTITY_FIELDS.has(f) && c[k] !== undefined && c[k] !== fixed[k]) {
      // a new identity: the fixed fields with the changes given (an undefined one keeps its value)
      const merged: Record<string, unknown> = { ...fixed };
      for (const g in c) if (IDENTITY_FIELDS.has(g) && c[g as keyof DeviceRec] !== undefined) merged[g] = c[g as keyof DeviceRec];
      fixed = identityOf(merged as unknown as DeviceRec);
      break;
    }
  }
  return new DeviceVersion(
    fixed,
    c.driver === undefined ? d.driver : c.driver,
    c.driverOverride === undefined ? d.driverOverride : c.driverOverride,
    c.boundOrder === undefined ? d.boundOrder : c.boundOrder,
    c.devres === undefined ? d.devres : c.devres,
    c.deferred === undefined ? d.deferred : c.deferred,
    c.deferredAt === undefined ? d.deferredAt ?? 0 : c.deferredAt,
    c.deferReason === undefined ? d.deferReason ?? null : c.deferReason,
    c.deleting === undefined ? d.deleting ?? false : c.deleting,
  );
}

const NO_CHANGES: Partial<DeviceRec> = Object.freeze({});

/** the devres list of a device that holds none: shared, never mutated (a change makes a new list) */
const NO_DEVRES: DevresEntry[] = Object.freeze([]) as unknown as DevresEntry[];

/** what device_add() is given about a new device besides its devpath, name and klist order (core.ts NewDevice) */
export type NewDeviceFields = Partial<Omit<DeviceIdentity, 'devpath' | 'name' | 'baseName' | 'order'>> & { bus: string | null };

/**
 * device_add()'s record of a new device: its devpath, dev_name, the name its bus matches on, its
 * klist order, the other fixed fields from `spec` (an unset one null or false), no driver, no
 * devres, not deferred. Built straight into the identity's literal rather than through a whole
 * DeviceRec literal copied by deviceRecord: one object fewer per device.
 */
export function newDeviceRecord(devpath: string, name: string, baseName: string, order: number, spec: NewDeviceFields): DeviceRec {
  return new DeviceVersion(identity(devpath, name, baseName, order, spec), null, null, 0, NO_DEVRES, false, 0, null, false);
}

/**
 * A record as the state keeps it: a DeviceVersion as it is, a whole plain record (a test's) as a
 * version. A spread of a version (`{ ...dev, driver }`) copies only its own fields, not the
 * getters: refused here, with the way to write it, rather than stored without its devpath.
 */
function asVersion(rec: DeviceRec): DeviceRec {
  if (rec instanceof DeviceVersion) return rec;
  if (typeof rec.devpath !== 'string' || 'fixed' in rec) {
    throw new Error('a device record must be whole: a spread of a device version loses its fixed fields; write JournaledState.updateDevice(dev, changes) (deviceRecord)');
  }
  return deviceRecord(rec);
}

export interface DriverRec {
  id: string; // "bus/name"
  name: string;
  bus: string;
  module: string | null; // owning module (null: core code such as faux_driver)
  def: DriverDef;
  /** drv->probe / drv->remove, handed over by the code that registered the driver */
  ops: DriverOps;
  order: number; // registration order on the bus
  bindAttrs: boolean;
  probeFail: boolean; // platform_driver_probe(): .probe replaced by platform_probe_fail
  preventDeferredProbe: boolean;
}

/**
 * What a module's init registered, in order, each as its op and its target one after the other:
 * op₀, target₀, op₁, target₁, … (scenario/interpret.ts). One array per module and no object per
 * registration: a module whose init registers 40k devices kept 40k objects.
 */
export type Registrations = string[];

export interface ModuleRec {
  name: string;
  location: 'builtin' | 'module' | 'absent';
  state: 'builtin' | 'loaded' | 'loading' | 'not-loaded' | 'failed';
  loadedBy: string | null;
  /** registrations made by init, undone by the default exit (module_driver() style) */
  registered: Registrations;
  /** what the last module_init (or the built-in initcall) returned: 0 or -errno; null until it ran */
  initRet?: number | null;
  /** /sys/module/<name> exists: from mod_sysfs_setup() in load_module (before init runs) until unload */
  inSysfs?: boolean;
}

export interface BusRec {
  name: string;
  autoprobe: boolean;
  order: number;
}

export interface Misc {
  udevRunning: boolean;
  deferredEnabled: boolean;
  tsmProvider: string | null;
  userspace: boolean; // init has started
}

export type Table = 'devices' | 'drivers' | 'modules' | 'buses' | 'files' | 'misc';
export type Patch = [table: Table, key: string, before: unknown, after: unknown];

const TABLES: readonly Table[] = ['devices', 'drivers', 'modules', 'buses', 'files', 'misc'];
const TABLE_ID: Record<Table, number> = { devices: 0, drivers: 1, modules: 2, buses: 3, files: 4, misc: 5 };

/**
 * An append-only column of integers in Int32Array chunks of 64k entries: the first chunk doubles
 * as it fills (a small run's columns stay small), every later one is made at its full size, so a
 * push never copies what was pushed before. One element kind for every column: the push is
 * monomorphic (Chromium ran a column that held an Int32Array or a Uint8Array 5× slower than
 * Node, and a large run's growth copies of whole columns were another ~7% of its boot there).
 */
export class IntColumn {
  private readonly chunks: Int32Array[];
  private last: Int32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.last = new Int32Array(Math.min(INT_CHUNK, Math.max(16, capacity)));
    this.chunks = [this.last];
  }
  push(v: number): void {
    const at = this.length & INT_MASK;
    // a full chunk: the first one below its full size doubles, any other is followed by a new one
    if (at === 0 ? this.length > 0 : at === this.last.length) this.room(at);
    this.last[at] = v;
    this.length++;
  }
  private room(at: number): void {
    if (at === 0) {
      this.last = new Int32Array(INT_CHUNK);
      this.chunks.push(this.last);
    } else {
      const next = new Int32Array(Math.min(INT_CHUNK, this.last.length * 2));
      next.set(this.last);
      this.chunks[0] = this.last = next;
    }
  }
  /** entry i, for 0 ≤ i < length (the trace's own indexes: no bounds are checked) */
  at(i: number): number {
    return this.chunks[i >>> INT_BITS]![i & INT_MASK]!;
  }
  /** bytes held */
  get bytes(): number {
    let n = 0;
    for (const c of this.chunks) n += c.byteLength;
    return n;
  }
}
const INT_BITS = 16;
const INT_CHUNK = 1 << INT_BITS;
const INT_MASK = INT_CHUNK - 1;

/** an IntColumn whose values are bytes (0..255): a kind or a table id, checked as it is pushed */
export class ByteColumn extends IntColumn {
  override push(v: number): void {
    if (v < 0 || v > 255 || !Number.isInteger(v)) throw new RangeError(`ByteColumn holds 0..255, not ${v}`);
    super.push(v);
  }
}

/**
 * An append-only list of references in chunks of 64k: a growing array's backing store is copied
 * at each growth and the old one left to the collector (the trace's largest lists hold millions
 * of entries: tens of MB of garbage per growth near the end of a large run), a chunk never moves.
 */
export class ChunkedList<T> {
  /**
   * The first chunk grows as it fills (a small run's lists stay small); every later one is made
   * at its full size, so a push into it never copies (growing each chunk by push was a fifth of
   * what a large run's pushes cost).
   */
  private readonly chunks: T[][] = [[]];
  private last: T[] = this.chunks[0]!;
  length = 0;
  push(v: T): void {
    const at = this.length & CHUNK_MASK;
    if (at === 0 && this.length > 0) this.chunks.push((this.last = new Array<T>(CHUNK)));
    this.last[at] = v;
    this.length++;
  }
  /** entry i, for 0 ≤ i < length (the trace's own indexes: no bounds are checked) */
  at(i: number): T {
    return this.chunks[i >>> CHUNK_BITS]![i & CHUNK_MASK]!;
  }
  /** entries [from, to) as an array, 0 ≤ from ≤ to ≤ length */
  slice(from: number, to: number): T[] {
    const out = new Array<T>(Math.max(0, to - from));
    for (let i = from; i < to; i++) out[i - from] = this.at(i);
    return out;
  }
}
const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK - 1;

/**
 * The journal: every mutation as a reversible patch (table, key, before, after), in columns
 * rather than one array per patch, and the end of each event's patches (the patches an event
 * owns are those recorded since the previous event). The timeline applies them forward or
 * backward (trace/timeline.ts).
 */
export class PatchLog {
  private readonly table = new ByteColumn(4096);
  private readonly key = new ChunkedList<string>();
  private readonly before = new ChunkedList<unknown>();
  private readonly after = new ChunkedList<unknown>();
  /** per event: one past its last patch */
  readonly eventEnd = new IntColumn();

  get length(): number {
    return this.key.length;
  }
  record(t: Table, key: string, before: unknown, after: unknown): void {
    this.table.push(TABLE_ID[t]);
    this.key.push(key);
    this.before.push(before);
    this.after.push(after);
  }
  /** close the patches recorded since the last event: they belong to event number eventEnd.length */
  endEvent(): void {
    this.eventEnd.push(this.key.length);
  }
  /** patches [start, end) of event i */
  start(i: number): number {
    return i <= 0 ? 0 : this.eventEnd.at(i - 1);
  }
  end(i: number): number {
    return this.eventEnd.at(i);
  }
  patch(j: number): Patch {
    return [TABLES[this.table.at(j)]!, this.key.at(j), this.before.at(j), this.after.at(j)];
  }
  /**
   * Every patch in journal order: the order a cursor walking forward from the empty state first
   * sees each key in (trace/timeline.ts
   * loads the last step's state without that walk, and gives the keys the ids it would have given).
   */
  forEachPatch(fn: (t: Table, key: string, before: unknown, after: unknown) => void): void {
    for (let j = 0, n = this.key.length; j < n; j++) fn(TABLES[this.table.at(j)]!, this.key.at(j), this.before.at(j), this.after.at(j));
  }
  /** apply patch j to a state, forward (after) or backward (before) */
  apply(state: JournaledState, j: number, forward: boolean): void {
    state.applyChange(TABLES[this.table.at(j)]!, this.key.at(j), forward ? this.after.at(j) : this.before.at(j));
  }
}

/** a derived index's operations (MultiMap's) */
export interface IndexMap {
  add(key: string, v: string): void;
  delete(key: string, v: string): void;
  get(key: string): Iterable<string>;
  /** key's members as held: one bare, several as an iterable, none as undefined (nothing built: the hot lookups' form of get) */
  raw(key: string): string | Iterable<string> | undefined;
  count(key: string): number;
  clear(): void;
}

export type IndexName = 'busDevices' | 'busDrivers' | 'boundBy' | 'byName' | 'moduleDrivers' | 'children';

/**
 * Where a state keeps its tables and indexes. The run's state uses Maps (their insertion order is
 * the klists' order); the timeline's cursor uses copy-on-write storage that checkpoints can keep
 * (trace/cow.ts). `derive` fills an index from the tables: storage that throws an index away
 * (on a restore) fills it again with it when it is next read.
 */
export interface StateStorage {
  table<V>(t: Exclude<Table, 'misc'>): Map<string, V>;
  index(name: IndexName, derive: (into: IndexMap) => void): IndexMap;
  deferredSet(): Set<string>;
}

/**
 * The run's storage. The indexes the driver core reads while it runs (dev_name, a bus's
 * drivers) are kept from the first record; the others (a bus's devices, a driver's bound devices,
 * a module's drivers, a parent's children) are read rarely while a run boots (a device_del, an
 * unbind, a sysfs listing) and are derived when first read, then kept: a 100k-device boot made
 * ~420k Set insertions into them for ~20 reads.
 */
const MAP_STORAGE: StateStorage = {
  table: () => new Map(),
  index: (name, derive) => (name === 'byName' || name === 'busDrivers' ? new MultiMap() : new LazyIndex(derive)),
  deferredSet: () => new Set(),
};

export class JournaledState {
  readonly devices: Map<string, DeviceRec>;
  readonly drivers: Map<string, DriverRec>;
  readonly modules: Map<string, ModuleRec>;
  readonly buses: Map<string, BusRec>;
  /** sysfs files outside the device model (e.g. /sys/firmware/cca/realm_guest): path → contents */
  readonly files: Map<string, string>;
  misc: Misc = {
    udevRunning: false, deferredEnabled: false, tsmProvider: null,
    userspace: false,
  };
  /** the journal this state writes to (the timeline's cursor applies patches and records none) */
  readonly journal = new PatchLog();
  /** called after applyPatch changed a record (the timeline cursor's snapshot index listens: trace/views.ts) */
  onChange: ((t: Table, key: string, before: unknown, after: unknown) => void) | null = null;

  /**
   * Derived indexes, not journaled: kept in step with every device/driver record written (by the
   * run, or by the timeline applying patches either way), so lookups that the driver core does
   * through its klists (bus devices/drivers, a driver's bound devices, the deferred pending list,
   * dev_name) cost the result size instead of a scan of every record. Each is a function of the
   * tables (`derive`, the same rules as `reindex`).
   */
  readonly busDevices: IndexMap;
  readonly busDrivers: IndexMap;
  /** driver id → devpaths bound to it (the driver's klist_devices) */
  readonly boundBy: IndexMap;
  /** deferred_probe_pending_list membership */
  readonly deferredSet: Set<string>;
  /** dev_name → devpaths */
  readonly byName: IndexMap;
  /** module name → ids of the drivers it registered (the module's drivers/ directory) */
  readonly moduleDrivers: IndexMap;
  /** parent devpath → its children's devpaths (the parent's klist_children) */
  readonly children: IndexMap;

  constructor(storage: StateStorage = MAP_STORAGE) {
    this.devices = storage.table('devices');
    this.drivers = storage.table('drivers');
    this.modules = storage.table('modules');
    this.buses = storage.table('buses');
    this.files = storage.table('files');
    this.busDevices = storage.index('busDevices', (i) => {
      for (const d of this.devices.values()) if (d.bus) i.add(d.bus, d.devpath);
    });
    this.busDrivers = storage.index('busDrivers', (i) => {
      for (const d of this.drivers.values()) i.add(d.bus, d.id);
    });
    this.boundBy = storage.index('boundBy', (i) => {
      for (const d of this.devices.values()) if (d.driver) i.add(d.driver, d.devpath);
    });
    this.byName = storage.index('byName', (i) => {
      for (const d of this.devices.values()) i.add(d.name, d.devpath);
    });
    this.moduleDrivers = storage.index('moduleDrivers', (i) => {
      for (const d of this.drivers.values()) if (d.module) i.add(d.module, d.id);
    });
    this.children = storage.index('children', (i) => {
      for (const d of this.devices.values()) if (d.parent) i.add(d.parent, d.devpath);
    });
    this.deferredSet = storage.deferredSet();
  }

  /**
   * The device record at `devpath`. The driver core reads back the record it has just written
   * (really_probe sets dev->driver, then the probe and driver_bound read the device again), and
   * a large run's devices table is ~150k entries, where a lookup is mostly cache misses: the
   * last two records written or read are kept beside their devpaths. Every write to the table
   * updates them (put, remove, applyChange); storage that replaces the tables' contents (a
   * checkpoint's restore) calls forgetLast.
   */
  device(devpath: string): DeviceRec | undefined {
    if (devpath === this.lastPath) return this.lastDevice;
    if (devpath === this.prevPath) return this.prevDevice;
    const d = this.devices.get(devpath);
    this.keep(devpath, d);
    return d;
  }
  private lastPath: string | null = null;
  private lastDevice: DeviceRec | undefined;
  /**
   * the record kept before the last one: device_add() reads its parent, then the new device, then
   * the parent again for the next sibling; a probe reads its device between reads of its parent
   */
  private prevPath: string | null = null;
  private prevDevice: DeviceRec | undefined;

  /** keep `d` as the last record read or written at `devpath`, the last one before it as the previous */
  private keep(devpath: string, d: DeviceRec | undefined): void {
    if (devpath !== this.lastPath) {
      this.prevPath = this.lastPath;
      this.prevDevice = this.lastDevice;
      this.lastPath = devpath;
    }
    this.lastDevice = d;
  }

  /** a kept record's new value, written at `devpath` (a path not kept is not looked at) */
  private rekeep(devpath: string, d: DeviceRec | undefined): void {
    if (devpath === this.lastPath) this.lastDevice = d;
    else if (devpath === this.prevPath) this.prevDevice = d;
  }

  /** forget the kept records (the tables were replaced underneath: Timeline's restore) */
  forgetLast(): void {
    this.lastPath = null;
    this.lastDevice = undefined;
    this.prevPath = null;
    this.prevDevice = undefined;
  }

  private table(t: Exclude<Table, 'misc'>): Map<string, unknown> {
    return this[t] as Map<string, unknown>;
  }

  setDevice(rec: DeviceRec): void { this.put('devices', rec.devpath, asVersion(rec)); }
  /** a new version of `dev` with `changes` (deviceRecord), journaled */
  updateDevice(dev: DeviceRec, changes: Partial<DeviceRec>): void { this.put('devices', dev.devpath, deviceRecord(dev, changes)); }
  setDriver(rec: DriverRec): void { this.put('drivers', rec.id, rec); }
  setModule(rec: ModuleRec): void { this.put('modules', rec.name, rec); }
  setBus(rec: BusRec): void { this.put('buses', rec.name, rec); }
  setFile(path: string, contents: string): void { this.put('files', path, contents); }
  deleteFile(path: string): void { this.remove('files', path); }
  deleteDevice(devpath: string): void { this.remove('devices', devpath); }
  deleteDriver(id: string): void { this.remove('drivers', id); }

  /** replace one field of misc */
  setMisc<K extends keyof Misc>(key: K, value: Misc[K]): void {
    const before = this.misc[key];
    if (before === value) return;
    this.misc[key] = value;
    this.journal.record('misc', key, before, value);
  }

  private put(t: Exclude<Table, 'misc'>, key: string, rec: unknown): void {
    const map = this.table(t);
    // a device is written just after it was read (device_add's duplicate check, a new version of
    // the record just read): the kept record is the table's, without a second lookup
    const before = t !== 'devices' ? map.get(key) : key === this.lastPath ? this.lastDevice : key === this.prevPath ? this.prevDevice : map.get(key);
    this.reindex(t, before, rec);
    map.set(key, rec);
    if (t === 'devices') this.keep(key, rec as DeviceRec);
    this.journal.record(t, key, before, rec);
  }

  private remove(t: Exclude<Table, 'misc'>, key: string): void {
    const map = this.table(t);
    const before = map.get(key);
    if (before === undefined) return;
    this.reindex(t, before, undefined);
    map.delete(key);
    if (t === 'devices') this.rekeep(key, undefined);
    this.journal.record(t, key, before, undefined);
  }

  /** set a record (or misc field) to a journaled value without journaling it: the timeline cursor */
  applyChange(t: Table, key: string, v: unknown): void {
    if (t === 'misc') {
      (this.misc as unknown as Record<string, unknown>)[key] = v;
      return;
    }
    const map = this.table(t);
    const was = map.get(key);
    this.reindex(t, was, v);
    if (v === undefined) map.delete(key);
    else map.set(key, v);
    if (t === 'devices') this.rekeep(key, v as DeviceRec | undefined);
    this.onChange?.(t, key, was, v);
  }

  /** set a record that the state does not hold, without journaling or telling onChange (trace/timeline.ts loadEnd: the views are made from the tables afterwards) */
  loadRecord(t: Exclude<Table, 'misc'>, key: string, v: unknown): void {
    this.reindex(t, undefined, v);
    this.table(t).set(key, v);
  }

  /** apply a patch forward (after) or backward (before), without journaling */
  applyPatch(p: Patch, forward: boolean): void {
    this.applyChange(p[0], p[1], forward ? p[3] : p[2]);
  }

  private reindex(t: Exclude<Table, 'misc'>, before: unknown, after: unknown): void {
    if (t === 'devices') {
      const b = before as DeviceRec | undefined;
      const a = after as DeviceRec | undefined;
      if (!b && a) {
        this.byName.add(a.name, a.devpath);
        if (a.bus) this.busDevices.add(a.bus, a.devpath);
        if (a.parent) this.children.add(a.parent, a.devpath);
      } else if (b && !a) {
        this.byName.delete(b.name, b.devpath);
        if (b.bus) this.busDevices.delete(b.bus, b.devpath);
        if (b.parent) this.children.delete(b.parent, b.devpath);
      }
      if (b?.driver !== a?.driver) {
        if (b?.driver) this.boundBy.delete(b.driver, b.devpath);
        if (a?.driver) this.boundBy.add(a.driver, a.devpath);
      }
      if (a?.deferred) this.deferredSet.add(a.devpath);
      else if (b?.deferred) this.deferredSet.delete(b.devpath);
    } else if (t === 'drivers') {
      const b = before as DriverRec | undefined;
      const a = after as DriverRec | undefined;
      if (!b && a) this.busDrivers.add(a.bus, a.id);
      else if (b && !a) this.busDrivers.delete(b.bus, b.id);
      if (b?.module !== a?.module || !b !== !a) {
        if (b?.module) this.moduleDrivers.delete(b.module, b.id);
        if (a?.module) this.moduleDrivers.add(a.module, a.id);
      }
    }
  }
}

/**
 * key → members, each once, in the order they were added (a Set per key would keep that order
 * too). A key with a single member holds it bare: most devices have a dev_name, a firmware node
 * and an index key of their own, and a Set per key was a tenth of a large run's heap.
 */
export class MultiMap implements IndexMap {
  private readonly m = new Map<string, string | Set<string>>();

  add(key: string, v: string): void {
    const x = this.m.get(key);
    if (x === undefined) this.m.set(key, v);
    else if (typeof x === 'string') {
      if (x !== v) this.m.set(key, new Set([x, v]));
    } else x.add(v);
  }

  /** remove v from key, and the key with its last member */
  delete(key: string, v: string): void {
    const x = this.m.get(key);
    if (x === undefined) return;
    if (typeof x === 'string') {
      if (x === v) this.m.delete(key);
      return;
    }
    x.delete(v);
    if (x.size === 1) this.m.set(key, x.values().next().value!);
    else if (x.size === 0) this.m.delete(key);
  }

  /** the members of key, in the order they were added (empty when none) */
  get(key: string): Iterable<string> {
    const x = this.m.get(key);
    return x === undefined ? NONE : typeof x === 'string' ? [x] : x;
  }

  count(key: string): number {
    const x = this.m.get(key);
    return x === undefined ? 0 : typeof x === 'string' ? 1 : x.size;
  }

  /** key's members as held: one bare, several as a Set, none as undefined (one lookup, nothing built) */
  raw(key: string): string | ReadonlySet<string> | undefined {
    return this.m.get(key);
  }

  clear(): void {
    this.m.clear();
  }
}

const NONE: readonly string[] = Object.freeze([]);

/**
 * An index derived from the tables when it is first read, then kept in step (a MultiMap): until
 * then its changes are dropped, since deriving it reads the tables as they are. `derive` must give
 * what the adds and deletes would have given (the same members per key); readers that need an
 * order sort by the records' own order fields, as every reader of these indexes does.
 */
export class LazyIndex implements IndexMap {
  protected readonly index = new MultiMap();
  /** `derive`: the index from the tables as they are */
  constructor(private readonly derive: (into: IndexMap) => void, protected stale = true) {}
  private fresh(): IndexMap {
    if (this.stale) {
      this.stale = false;
      this.derive(this.index);
    }
    return this.index;
  }
  add(key: string, v: string): void {
    if (!this.stale) this.index.add(key, v);
  }
  delete(key: string, v: string): void {
    if (!this.stale) this.index.delete(key, v);
  }
  get(key: string): Iterable<string> {
    return this.fresh().get(key);
  }
  raw(key: string): string | Iterable<string> | undefined {
    return this.fresh().raw(key);
  }
  count(key: string): number {
    return this.fresh().count(key);
  }
  clear(): void {
    this.stale = false;
    this.index.clear();
  }
}
