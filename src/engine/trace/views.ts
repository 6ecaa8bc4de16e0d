/**
 * Snapshots of the timeline's cursor, kept up to date by the same patches that move it.
 *
 * Building a Snapshot from scratch costs the whole state (every device's view, every sysfs path,
 * then a sort); a step of a 10k-device run moves a handful of records. This index caches each
 * record's view and sysfs entries, marks the records each applied patch touches (the state's
 * `onChange` hook), and on the next snapshot recomputes only those: the sorted sysfs listing and
 * device list are updated in place (splice) for small moves and by one merge for large ones, so
 * a step costs what it changed plus a copy of the arrays handed out. Views are immutable and keep
 * their identity while their record does, so a consumer can diff two snapshots by reference.
 *
 * The reference is trace/snapshot.ts makeSnapshot (a full rebuild from the same functions):
 * src/engine/test/views.test.ts checks the two agree at every step of every built-in design and
 * of generated scenarios, in both directions.
 */
import type { DeviceView, DriverView, FirmwareNodeView, ModuleView, Snapshot } from '../api';
import { flat, type Kernel } from '../core/kernel';
import { type DeviceRec, type DriverRec, type IndexMap, type ModuleRec, type Table } from '../core/state';
import type { Discovery } from '../firmware/discovery';
import { busSysfs, deviceSysfsWith, driverSysfs, fileSysfs, firmwareSysfs, moduleSysfs } from '../core/sysfs';
import { deviceView, driverView, moduleView, snapshotFacts } from './snapshot';
import { Registry, type CowTable, type CursorStorage } from './cow';

/** above this many changed entries, one merge pass beats splicing each */
const SPLICE_LIMIT = 64;

const NO_LINES: readonly string[] = Object.freeze([]);

/** the records that contribute sysfs entries: devices, drivers (r), modules, buses, files, the firmware tree */
type Owner = 'd' | 'r' | 'm' | 'b' | 'f' | 'fw';
const OWNERS: readonly Owner[] = ['d', 'r', 'm', 'b', 'f', 'fw'];
/**
 * A device record version's view and its sysfs entries, which are made when first read (the
 * listing, only the /sys browser reads it): the entries depend on the record and its driver's
 * record alone (core/sysfs.ts deviceSysfs, given the driver), so made later they are what they
 * would have been now. The first walk of a large run settles the views at every checkpoint and
 * would otherwise make the entries of every device it passes.
 */
class DeviceParts {
  private made: readonly string[] | undefined;
  constructor(private readonly k: Kernel, private readonly d: DeviceRec, readonly drv: DriverRec | undefined, readonly view: DeviceView) {}
  get lines(): readonly string[] {
    return (this.made ??= collect((out) => deviceSysfsWith(this.k, this.d, this.drv, out)));
  }
}

/** a record's sysfs entries as the views keep them: a device's made when first read */
type Lines = readonly string[] | DeviceParts;
const entriesOf = (x: Lines): readonly string[] => (x instanceof DeviceParts ? x.lines : x);

function pendingOwners(): Record<Owner, Map<string, Lines>> {
  return { d: new Map(), r: new Map(), m: new Map(), b: new Map(), f: new Map(), fw: new Map() };
}

export class SnapshotViews {
  private readonly devViews: Map<string, DeviceView>;
  private readonly drvViews: Map<string, DriverView>;
  private readonly modViews: CowTable<ModuleView>;
  /** sysfs entries each record contributes, per kind of record (keyed by the record's own key: no key string built per lookup) */
  private readonly lines: Record<Owner, Map<string, Lines>>;
  /**
   * How many records contribute each sysfs entry that more than one record contributes (a
   * module's directory: the module and its drivers). An entry in the listing and not here has
   * one; the listing is their union. Kept for the few, not for every entry: counting a 100k run's
   * 1.3 M entries in a map was most of building its listing.
   */
  private readonly multiCount = new Map<string, number>();
  /** the union, sorted */
  private sysfs: string[] = [];
  /** the listing and its counts are to be built again from `lines` when read (after a restore) */
  private listingStale = false;
  /**
   * The device views in devpath order. A snapshot hands this array out (out.devices) and it is
   * never changed after that: a change to the list first copies it (writableDevices).
   */
  private devList: DeviceView[] = [];
  /** the device list and driver order are to be made again from the tables (after a restore) */
  private listsStale = false;
  /** the ids of every devpath the cursor's storage has seen, in devpath order (a restore filters them) */
  private sortedDeviceIds: number[] = [];
  /**
   * Drivers (their ids in the storage's driver registry) by registration order: keyed by `order`
   * (a counter driver_register takes the next of), whose ids the storage hands out in the order
   * the cursor first sees them, which is increasing: iterating it is registration order, no sort.
   */
  private readonly drvByOrder: CowTable<number>;
  /** the driver views in registration order, and each driver's place in it by its registry id (-1: not in it; made with the list) */
  private drvList: DriverView[] = [];
  private drvPos: Int32Array | null = null;
  /** firmware node id → devpaths that stand for it */
  private readonly fwDevices: IndexMap;
  private fwViews: FirmwareNodeView[] | null = null;
  /** each firmware node's view, kept until the devices standing for it change (a run can have thousands of nodes) */
  private readonly fwNodeViews: CowTable<FirmwareNodeView>;
  /** the discovery's nodes' ids in fwNodeViews' registry, in discovery order (made once: discovery makes the nodes before the run) */
  private fwIds: number[] | null = null;
  private readonly tsmDevices: Set<string>;
  private tsmList: string[] | null = null;
  private files: Record<string, string> | null = null;
  /** the cursor's devpaths (the registry its device table and these views share) */
  private readonly devpaths: Registry;
  private readonly drvRegistry: Registry;

  /**
   * Per device record version (records are immutable): its view and sysfs entries, valid while
   * its driver's record is the one they were built with. A jump back to a state seen before
   * finds them here instead of building them again. A Map, not a WeakMap: the live journal
   * holds every version anyway, and a WeakMap's entries are ephemerons the collector iterates.
   */
  private readonly byRecord = new Map<DeviceRec, DeviceParts>();

  private readonly dirtyDevices = new Set<string>();
  private readonly dirtyDrivers = new Set<string>();
  private readonly dirtyModules = new Set<string>();
  private readonly dirtyBuses = new Set<string>();
  private readonly dirtyFiles = new Set<string>();
  private built = false;
  /** bumped by every snapshot: a snapshot's sysfs listing can be built only until the next */
  private generation = 0;
  /**
   * Records whose sysfs entries changed since the listing was last built, with the entries the
   * listing counts for them (the listing is brought up to date only when it is read).
   */
  private readonly pendingLines: Record<Owner, Map<string, Lines>> = pendingOwners();
  /**
   * The arrays handed out, kept until what they list changes: a step that changes no device
   * (most events) hands out the same devices array and sysfs listing again, copying nothing.
   * Handed-out arrays are never changed afterwards.
   */
  private readonly prefixes: { uevents?: { n: number; list: Snapshot['uevents'] }; log?: { n: number; list: string[] } } = {};
  private out: { devices?: DeviceView[]; drivers?: DriverView[]; modules?: ModuleView[]; sysfs?: string[] } = {};

  /**
   * `storage`: the cursor's copy-on-write storage; the views live in it too, so a checkpoint keeps
   * them with the state and a restore puts both back (trace/timeline.ts).
   */
  constructor(private readonly k: Kernel, private readonly discovery: Discovery, storage: CursorStorage) {
    const { store, registries: r } = storage;
    this.devViews = store.table(r.devices);
    this.drvViews = store.table(r.drivers);
    this.modViews = store.table(r.modules);
    this.drvByOrder = store.table();
    this.lines = { d: store.table(r.devices), r: store.table(r.drivers), m: store.table(r.modules), b: store.table(r.buses), f: store.table(r.files), fw: store.table() };
    const fw = new Registry();
    this.fwDevices = store.multiMap(fw);
    this.fwNodeViews = store.table(fw);
    this.tsmDevices = store.set(r.devices);
    this.devpaths = r.devices;
    this.drvRegistry = r.drivers;
    k.state.onChange = (t, key, before, after) => this.mark(t, key, before, after);
  }

  /**
   * The journal names `key` of table `t`, writing `after` (trace/timeline.ts: before a walk, in
   * journal order): the keys these views keep of their own take the ids a forward walk gives them.
   * drvByOrder's ids must follow the drivers' registration order, which a forward walk sees in order.
   */
  seeKey(t: Table, after: unknown): void {
    if (t === 'drivers' && after) this.drvByOrder.registry.id(String((after as DriverRec).order));
  }

  /** a patch was applied to the cursor: remember which views it may change */
  private mark(t: Table, key: string, before: unknown, after: unknown): void {
    if (!this.built) return;
    switch (t) {
      case 'devices': {
        this.dirtyDevices.add(key);
        const b = before as DeviceRec | undefined;
        const a = after as DeviceRec | undefined;
        // a driver view lists the devices bound to it
        if (b?.driver !== a?.driver) {
          if (b?.driver) this.dirtyDrivers.add(b.driver);
          if (a?.driver) this.dirtyDrivers.add(a.driver);
        }
        // the firmware node a device stands for rarely changes: compare the fields before building its id
        const sameNode = b !== undefined && a !== undefined && b.fwnode === a.fwnode && b.ofNode === a.ofNode;
        const fb = sameNode || !b ? null : fwnodeOf(b);
        const fa = sameNode || !a ? null : fwnodeOf(a);
        if (!sameNode && (fb !== fa || !b !== !a)) {
          if (fb) this.fwDevices.delete(fb, key);
          if (fa) this.fwDevices.add(fa, key);
          if (fb) this.fwNodeViews.delete(fb);
          if (fa) this.fwNodeViews.delete(fa);
          this.fwViews = null;
        }
        if ((b?.cls === 'tsm') !== (a?.cls === 'tsm')) {
          if (a?.cls === 'tsm') this.tsmDevices.add(key);
          else this.tsmDevices.delete(key);
          this.tsmList = null;
        }
        return;
      }
      case 'drivers': {
        this.dirtyDrivers.add(key);
        const b = before as DriverRec | undefined;
        const a = after as DriverRec | undefined;
        if (b && b.order !== a?.order) this.drvByOrder.delete(String(b.order));
        if (a) this.drvByOrder.set(String(a.order), this.drvRegistry.id(a.id));
        const d = (a ?? b)!;
        // a device's driver link exists only while its driver is registered
        for (const p of this.k.state.boundBy.get(key)) this.dirtyDevices.add(p);
        // a module view lists the drivers it registered
        if (!before !== !after && d.module) this.dirtyModules.add(d.module);
        return;
      }
      case 'modules': {
        this.dirtyModules.add(key);
        // the module's sysfs links to its drivers (module_add_driver; sysfs.ts driverSysfs) depend
        // on its state and whether it is in sysfs, nothing else of it: its init's registrations
        // grow a patch per driver it registers (2,700 drivers of one module at 100k were each
        // made again at each of them)
        const b = before as ModuleRec | undefined;
        const a = after as ModuleRec | undefined;
        if (!b || !a || b.state !== a.state || b.inSysfs !== a.inSysfs) for (const id of this.k.state.moduleDrivers.get(key)) this.dirtyDrivers.add(id);
        return;
      }
      case 'buses':
        this.dirtyBuses.add(key);
        return;
      case 'files':
        this.dirtyFiles.add(key);
        this.files = null;
        return;
      case 'misc':
        return;
    }
  }

  /**
   * The cursor's state after event `step`, as the UI and the CLI read it. The sysfs listing and
   * the uevent and log lists are built when first read (a jump at 100k devices moves ~700k sysfs
   * entries: most readers never look at them). The uevents and log are prefixes of append-only
   * lists, readable at any time. The sysfs listing is read from the views while they are still at
   * this snapshot; read after they moved on, it comes from `again` (the timeline takes a new
   * snapshot at the same step and reads it at once: correct, at the cost of the jump back).
   */
  snapshot(step: number, ueventCount: number, logCount: number, again: () => string[]): Snapshot {
    this.settle();
    const k = this.k;
    const views = this;
    const generation = this.generation;
    let sysfs: string[] | undefined;
    let uevents: Snapshot['uevents'] | undefined;
    let log: string[] | undefined;
    const allUevents = k.uevents;
    const allLog = k.log;
    return {
      step,
      devices: (this.out.devices ??= this.devList),
      drivers: (this.out.drivers ??= this.drvList.slice()),
      modules: (this.out.modules ??= this.listModules()),
      get uevents() {
        return (uevents ??= views.prefix('uevents', allUevents, ueventCount));
      },
      get sysfs() {
        return (sysfs ??= generation === views.generation ? views.sysfsListing() : again());
      },
      get log() {
        return (log ??= views.prefix('log', allLog, logCount));
      },
      firmware: this.firmwareViews(),
      facts: snapshotFacts(this.discovery),
      tsm: { reportProvider: k.state.misc.tsmProvider, classDevices: this.tsmClassDevices() },
      udevRunning: k.state.misc.udevRunning,
      files: this.fileMap(),
      kernelVersion: k.scenario.kernel.version,
    };
  }

  /**
   * Bring the views up to the cursor's state: for a snapshot, or (`lists` false) for a checkpoint
   * about to be kept. A checkpoint keeps the per-record views and entries but not the sorted
   * lists (a restore makes them again by id), so those are left to the next snapshot: the first
   * walk to the end of a 100k run merged its growing device list at each of 512 checkpoints
   * (0.9 s of 3 s).
   */
  settle(lists = true): void {
    if (!this.built) this.rebuild(lists);
    else this.refresh(lists);
    // a checkpoint keeps every firmware node's view: made lazily (firmwareViews), the views a
    // walk dropped would otherwise be made again after every restore to it (~2,000 at 100k)
    if (!lists) this.firmwareViews();
    // a sysfs listing can be read only from the snapshot taken last: the views have moved
    this.generation++;
  }

  /**
   * The storage was put back to a checkpoint's (the views' tables with it): what is kept outside
   * it — the sorted lists, the listing, the marks — is made again from what came back.
   */
  restored(): void {
    for (const set of [this.dirtyDevices, this.dirtyDrivers, this.dirtyModules, this.dirtyBuses, this.dirtyFiles]) set.clear();
    for (const o of OWNERS) this.pendingLines[o].clear();
    this.listingStale = true;
    // the device list and the driver order are made again at the next refresh, after the walk
    // from the checkpoint to the target has changed what it changes
    this.listsStale = true;
    this.fwViews = null;
    this.tsmList = null;
    this.files = null;
    this.out = {};
    this.generation++;
  }

  /**
   * devList from the views table, in devpath order, read by id (no key hashed). The views are
   * settled first (refresh), so a device has a view exactly while the state has it.
   */
  private listDevices(): void {
    const views = this.devViews as CowTable<DeviceView>;
    // sized once: grown by push, a 100k-entry array was copied as it grew
    const list = new Array<DeviceView>(this.k.state.devices.size);
    let n = 0;
    // an index loop: for-of over the ids allocated an iterator result per device (~4.5 MB a jump
    // at 100k devices) where the loop ran unoptimized, and the collector's pauses that garbage
    // brought on landed in the steps after the jumps
    const order = this.devpathOrder();
    for (let i = 0; i < order.length; i++) {
      const v = views.byId(order[i]!);
      if (v !== undefined) list[n++] = v;
    }
    if (n !== list.length) throw new Error(`the device views (${n}) and the device table (${list.length}) disagree`);
    this.devList = list;
    this.out.devices = undefined;
  }

  /** the module views in the module table's order (its registry's ids): the views are settled, so a module has a view exactly while the state has it */
  private listModules(): ModuleView[] {
    const views = this.modViews;
    const out = new Array<ModuleView>(views.size);
    let n = 0;
    for (let id = 0, end = views.registry.keys.length; id < end; id++) {
      const v = views.byId(id);
      if (v !== undefined) out[n++] = v;
    }
    if (n !== this.k.state.modules.size) throw new Error(`the module views (${n}) and the module table (${this.k.state.modules.size}) disagree`);
    return out;
  }

  /** devList, to be changed in place: copied first if a snapshot has handed it out */
  private writableDevices(): DeviceView[] {
    if (this.out.devices === this.devList) {
      this.devList = this.devList.slice();
      this.out.devices = undefined;
    }
    return this.devList;
  }

  /** the ids of every devpath the cursor's storage has seen, in devpath order (new ones merged in) */
  private devpathOrder(): number[] {
    const keys = this.devpaths.keys;
    const have = this.sortedDeviceIds;
    if (have.length < keys.length) {
      const byPath = (a: number, b: number) => (keys[a]! < keys[b]! ? -1 : 1);
      const fresh = Array.from({ length: keys.length - have.length }, (_, i) => have.length + i).sort(byPath);
      const out: number[] = [];
      let i = 0;
      let j = 0;
      while (i < have.length || j < fresh.length) {
        if (j >= fresh.length || (i < have.length && keys[have[i]!]! < keys[fresh[j]!]!)) out.push(have[i++]!);
        else out.push(fresh[j++]!);
      }
      this.sortedDeviceIds = out;
    }
    return this.sortedDeviceIds;
  }

  /** the first n entries of an append-only list, the same array again while n is the same (most steps send no uevent) */
  private prefix<T>(which: 'uevents' | 'log', all: { slice(from: number, to: number): T[] }, n: number): T[] {
    const kept = this.prefixes[which] as { n: number; list: T[] } | undefined;
    if (kept && kept.n === n) return kept.list;
    const list = all.slice(0, n);
    (this.prefixes as Record<string, unknown>)[which] = { n, list };
    return list;
  }

  /** the sorted sysfs listing: the entries of the records changed since it was last built, counted in or out */
  private sysfsListing(): string[] {
    if (this.listingStale) {
      this.sysfs = this.countedListing();
      for (const o of OWNERS) this.pendingLines[o].clear();
      this.listingStale = false;
      this.out.sysfs = undefined;
    }
    if (OWNERS.some((o) => this.pendingLines[o].size)) {
      // each entry a changed record gave up or took: its count before, from the listing, and now
      const counts = new Map<string, { before: number; now: number }>();
      for (const o of OWNERS) {
        const lines = this.lines[o];
        for (const [key, prev] of this.pendingLines[o]) this.countLines(prev, lines.get(key) ?? NO_LINES, counts);
        this.pendingLines[o].clear();
      }
      const added: string[] = [];
      const removed: string[] = [];
      for (const [l, c] of counts) {
        if (c.before === 0 && c.now > 0) added.push(l);
        else if (c.before > 0 && c.now === 0) removed.push(l);
        if (c.now > 1) this.multiCount.set(l, c.now);
        else this.multiCount.delete(l);
      }
      if (added.length || removed.length) this.out.sysfs = undefined;
      this.sysfs = updateSorted(this.sysfs, added, removed);
    }
    return (this.out.sysfs ??= this.sysfs.slice());
  }

  /**
   * The cursor's tables are about to be set wholesale (trace/timeline.ts loadEnd): no patch is
   * marked until the next settle, which makes every view again from the tables (rebuild), as the
   * first one did.
   */
  unbuilt(): void {
    this.built = false;
  }

  /** every view from the tables; the sorted lists and the listing too, or (`lists` false) when next read */
  private rebuild(lists: boolean): void {
    const k = this.k;
    const s = k.state;
    for (const o of OWNERS) this.lines[o].clear();
    this.devViews.clear();
    this.drvViews.clear();
    this.modViews.clear();
    this.fwDevices.clear();
    this.fwNodeViews.clear();
    this.tsmDevices.clear();
    // by registry id: the device table, its views and their entries share the devpaths' registry
    const views = this.devViews as CowTable<DeviceView>;
    const devLines = this.lines.d as CowTable<Lines>;
    (s.devices as CowTable<DeviceRec>).forEachId((d, id) => {
      const c = this.deviceParts(d);
      views.setById(id, c.view);
      devLines.setById(id, c);
      const fw = fwnodeOf(d);
      if (fw) this.fwDevices.add(fw, d.devpath);
      if (d.cls === 'tsm') this.tsmDevices.add(d.devpath);
    });
    this.drvByOrder.clear();
    for (const drv of [...s.drivers.values()].sort((a, b) => a.order - b.order)) {
      this.drvByOrder.set(String(drv.order), this.drvRegistry.id(drv.id));
      this.drvViews.set(drv.id, driverView(k, drv));
      this.setLines('r', drv.id, collect((out) => driverSysfs(k, drv, out)));
    }
    for (const m of s.modules.values()) {
      this.modViews.set(m.name, moduleView(k, m));
      this.setLines('m', m.name, collect((out) => moduleSysfs(m, out)));
    }
    for (const b of s.buses.values()) this.setLines('b', b.name, collect((out) => busSysfs(b.name, out)));
    for (const path of s.files.keys()) this.setLines('f', path, collect((out) => fileSysfs(path, out)));
    this.setLines('fw', '', collect((out) => firmwareSysfs(k, out)));
    for (const o of OWNERS) this.pendingLines[o].clear();
    if (lists) {
      this.devList = [...s.devices.keys()].sort().map((p) => this.devViews.get(p)!);
      this.sysfs = this.countedListing();
      this.listingStale = false;
      this.listsStale = false;
      this.orderDrivers();
    } else {
      this.listingStale = true;
      this.listsStale = true;
      this.drvPos = null;
    }
    this.fwViews = null;
    this.tsmList = null;
    this.files = null;
    this.out = {};
    this.dirtyDevices.clear();
    this.dirtyDrivers.clear();
    this.dirtyModules.clear();
    this.dirtyBuses.clear();
    this.dirtyFiles.clear();
    this.built = true;
  }

  /** recompute what the patches since the last snapshot touched */
  private refresh(lists: boolean): void {
    const k = this.k;
    const s = k.state;
    // a handed-out list is replaced only when a view in it changed (records often change without their view)
    const track = (owner: Owner, key: string, next: Lines) => this.replaceLines(owner, key, next);
    const devAdded: string[] = [];
    const devRemoved: string[] = [];
    const devChanged: string[] = [];
    for (const p of this.dirtyDevices) {
      const d = s.devices.get(p);
      const was = this.devViews.get(p);
      const had = was !== undefined;
      if (d) {
        const c = this.deviceParts(d);
        this.devViews.set(p, c.view);
        track('d', p, c);
        if (!had) devAdded.push(p);
        else if (c.view !== was) devChanged.push(p);
      } else {
        this.devViews.delete(p);
        track('d', p, NO_LINES);
        if (had) devRemoved.push(p);
      }
    }
    let driversMoved = false;
    const drvChanged: string[] = [];
    for (const id of this.dirtyDrivers) {
      const drv = s.drivers.get(id);
      if (drv) {
        const was = this.drvViews.get(id);
        if (!was) driversMoved = true;
        const view = sameView(was, driverView(k, drv));
        if (was && view !== was) drvChanged.push(id);
        this.drvViews.set(id, view);
        track('r', id, collect((out) => driverSysfs(k, drv, out)));
      } else {
        if (this.drvViews.delete(id)) driversMoved = true;
        track('r', id, NO_LINES);
      }
    }
    let modulesChanged = false;
    for (const name of this.dirtyModules) {
      const m = s.modules.get(name);
      if (m) {
        const was = this.modViews.get(name);
        const view = sameView(was, moduleView(k, m));
        if (view !== was) modulesChanged = true;
        this.modViews.set(name, view);
        track('m', name, collect((out) => moduleSysfs(m, out)));
      } else {
        if (this.modViews.delete(name)) modulesChanged = true;
        track('m', name, NO_LINES);
      }
    }
    for (const name of this.dirtyBuses) track('b', name, s.buses.has(name) ? collect((out) => busSysfs(name, out)) : NO_LINES);
    for (const path of this.dirtyFiles) track('f', path, s.files.has(path) ? collect((out) => fileSysfs(path, out)) : NO_LINES);
    if (!lists) {
      // made again by id at the next snapshot, as after a restore
      if (!this.listsStale) {
        this.listsStale = true;
        this.out.devices = undefined;
        this.out.drivers = undefined;
        this.drvPos = null;
      }
    } else if (this.listsStale) {
      this.listsStale = false;
      this.listDevices();
      this.orderDrivers();
    } else {
      if (devAdded.length || devRemoved.length || devChanged.length) this.updateDeviceList(devAdded, devRemoved, devChanged);
      if (driversMoved || drvChanged.length) this.out.drivers = undefined;
      if (driversMoved) this.orderDrivers();
      else if (drvChanged.length) {
        if (!this.drvPos) this.orderDrivers();
        else for (const id of drvChanged) this.drvList[this.drvPos[this.drvRegistry.id(id)]!] = this.drvViews.get(id)!;
      }
    }
    if (modulesChanged) this.out.modules = undefined;
    this.dirtyDevices.clear();
    this.dirtyDrivers.clear();
    this.dirtyModules.clear();
    this.dirtyBuses.clear();
    this.dirtyFiles.clear();
  }

  /** the driver views in registration order (drvByOrder), and their places by registry id (an array: no map of every driver built after a jump) */
  private orderDrivers(): void {
    const views = this.drvViews as CowTable<DriverView>;
    const list = new Array<DriverView>(this.drvByOrder.size);
    const pos = new Int32Array(this.drvRegistry.keys.length).fill(-1);
    let n = 0;
    // forEach, not for-of over values(): no iterator result per driver
    this.drvByOrder.forEach((id) => {
      pos[id] = n;
      list[n++] = views.byId(id)!;
    });
    this.drvList = list;
    this.drvPos = pos;
  }

  /** devList after devices came, went or changed view: in place for a few, rebuilt for many */
  private updateDeviceList(added: string[], removed: string[], changed: string[]): void {
    if (added.length + removed.length > SPLICE_LIMIT) this.mergeDeviceList(added, removed);
    else {
      const list = this.writableDevices();
      for (const p of removed) {
        const i = devpathBound(list, p);
        if (list[i]?.devpath === p) list.splice(i, 1);
      }
      for (const p of added) {
        const i = devpathBound(list, p);
        if (list[i]?.devpath !== p) list.splice(i, 0, this.devViews.get(p)!);
        else list[i] = this.devViews.get(p)!;
      }
    }
    if (changed.length) {
      const list = this.writableDevices();
      for (const p of changed) list[devpathBound(list, p)] = this.devViews.get(p)!;
    }
  }

  /**
   * devList in one merge pass: the devices kept take their view from the old list (looked up
   * only for those that came), as updateSorted keeps an entry that left and came back.
   */
  private mergeDeviceList(added: string[], removed: string[]): void {
    const add = added.slice().sort();
    const gone = new Set(removed);
    const oldList = this.devList;
    const list: DeviceView[] = [];
    let j = 0;
    for (let i = 0; i < oldList.length; i++) {
      const x = oldList[i]!.devpath;
      while (j < add.length && add[j]! < x) list.push(this.devViews.get(add[j++]!)!);
      if (j < add.length && add[j] === x) list.push(this.devViews.get(add[j++]!)!);
      else if (!gone.has(x)) list.push(oldList[i]!);
    }
    while (j < add.length) list.push(this.devViews.get(add[j++]!)!);
    this.devList = list;
    this.out.devices = undefined;
  }

  /** a device's view and sysfs entries, from the cache when its record and driver are unchanged */
  private deviceParts(d: DeviceRec): DeviceParts {
    const drv = d.driver ? this.k.driver(d.driver) : undefined;
    const hit = this.byRecord.get(d);
    if (hit && hit.drv === drv) return hit;
    const view = deviceView(this.k, d);
    const c = new DeviceParts(this.k, d, drv, this.built ? sameView(this.devViews.get(d.devpath), view) : view);
    this.byRecord.set(d, c);
    return c;
  }

  private setLines(owner: Owner, key: string, next: Lines): void {
    this.lines[owner].set(key, next);
  }

  /** swap a record's sysfs entries; the listing counts them in when it is next read */
  private replaceLines(owner: Owner, key: string, next: Lines): void {
    const lines = this.lines[owner];
    const prev = lines.get(key) ?? NO_LINES;
    if (prev === next) return;
    const pending = this.pendingLines[owner];
    if (!pending.has(key)) pending.set(key, prev);
    // a device always has entries (its directory at least)
    if (next instanceof DeviceParts || next.length) lines.set(key, next);
    else lines.delete(key);
  }

  /** count a record's entries out (prev) and in (next); entries whose count crosses zero go to added/removed */
  private countLines(was: Lines, now: Lines, counts: Map<string, { before: number; now: number }>): void {
    const prev = entriesOf(was);
    const next = entriesOf(now);
    if (sameLines(prev, next)) return;
    const count = (l: string) => {
      let c = counts.get(l);
      if (c === undefined) {
        const n = this.multiCount.get(l) ?? (this.sysfs[lowerBound(this.sysfs, l)] === l ? 1 : 0);
        counts.set(l, (c = { before: n, now: n }));
      }
      return c;
    };
    for (const l of prev) count(l).now--;
    for (const l of next) count(l).now++;
  }

  /**
   * Every record's entries, sorted, each once, and multiCount for those several records give.
   * The devices' entries go in first, in devpath order, so the sort meets long stretches already
   * in order (a 100k run's 1.3 M entries gathered in table order took 1.7 s to sort).
   */
  private countedListing(): string[] {
    const all: string[] = [];
    const devLines = this.lines.d;
    let seen = 0;
    for (const v of this.devList) {
      const lines = devLines.get(v.devpath);
      if (lines === undefined) continue;
      seen++;
      for (const l of entriesOf(lines)) all.push(l);
    }
    // a device whose entries the device list did not reach (none while the list is current): all of them in table order instead
    if (seen !== devLines.size) {
      all.length = 0;
      for (const lines of devLines.values()) for (const l of entriesOf(lines)) all.push(l);
    }
    for (const o of OWNERS) if (o !== 'd') for (const lines of this.lines[o].values()) for (const l of entriesOf(lines)) all.push(l);
    all.sort();
    this.multiCount.clear();
    const listing: string[] = [];
    for (let i = 0; i < all.length; ) {
      const l = all[i]!;
      let j = i + 1;
      while (j < all.length && all[j] === l) j++;
      if (j - i > 1) this.multiCount.set(l, j - i);
      listing.push(l);
      i = j;
    }
    return listing;
  }

  private firmwareViews(): FirmwareNodeView[] {
    if (!this.fwViews) {
      // after a jump every node's view is looked up again: by id, no key hashed (a 100k run has as many nodes as devices)
      const nodes = this.discovery.nodes;
      if (this.fwIds?.length !== nodes.length) this.fwIds = nodes.map((n) => this.fwNodeViews.registry.id(n.id));
      const ids = this.fwIds;
      const out = new Array<FirmwareNodeView>(nodes.length);
      for (let i = 0; i < nodes.length; i++) {
        let v = this.fwNodeViews.byId(ids[i]!);
        if (!v) {
          const n = nodes[i]!;
          this.fwNodeViews.set(n.id, (v = { ...n, devices: [...this.fwDevices.get(n.id)].sort() }));
        }
        out[i] = v;
      }
      this.fwViews = out;
    }
    return this.fwViews;
  }

  private tsmClassDevices(): string[] {
    if (!this.tsmList) this.tsmList = [...this.tsmDevices].sort();
    return this.tsmList.slice();
  }

  private fileMap(): Record<string, string> {
    if (!this.files) this.files = Object.fromEntries([...this.k.state.files.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
    return { ...this.files };
  }
}

function fwnodeOf(d: DeviceRec): string | null {
  return d.fwnode ?? (d.ofNode ? `dt:${d.ofNode}` : null);
}

function collect(fill: (out: string[]) => void): readonly string[] {
  const out: string[] = [];
  fill(out);
  // kept until the state changes again, and through checkpoints: one flat string each, not the
  // template's rope (a sysfs link line was ~4 cons nodes)
  for (let i = 0; i < out.length; i++) flat(out[i]!);
  return out.length ? out : NO_LINES;
}

function sameLines(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** keep the old view object when the new one says the same (views keep their identity) */
function sameView<T extends object>(old: T | undefined, next: T): T {
  if (old === undefined) return next;
  for (const key of Object.keys(next) as (keyof T)[]) {
    const a = old[key];
    const b = next[key];
    if (a === b) continue;
    if (Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => x === b[i])) continue;
    return next;
  }
  return old;
}

/**
 * A sorted array of unique strings with some added and some removed. An entry that left and came
 * back within one move is in both lists (removed first, then added) and stays.
 */
function updateSorted(sorted: string[], added: string[], removed: string[]): string[] {
  if (added.length === 0 && removed.length === 0) return sorted;
  if (added.length + removed.length <= SPLICE_LIMIT) {
    for (const r of removed) {
      const i = lowerBound(sorted, r);
      if (sorted[i] === r) sorted.splice(i, 1);
    }
    for (const a of added) {
      const i = lowerBound(sorted, a);
      if (sorted[i] !== a) sorted.splice(i, 0, a);
    }
    return sorted;
  }
  // one merge pass over three sorted lists: the old entries, the removed ones, the added ones
  const gone = removed.slice().sort();
  const add = added.slice().sort();
  const out: string[] = [];
  let i = 0;
  let g = 0;
  let j = 0;
  while (i < sorted.length) {
    const x = sorted[i]!;
    while (j < add.length && add[j]! < x) out.push(add[j++]!);
    // an entry can leave and come back within one move: it is then in both lists, and stays
    let back = false;
    if (j < add.length && add[j] === x) {
      j++;
      back = true;
    }
    while (g < gone.length && gone[g]! < x) g++;
    let left = false;
    if (g < gone.length && gone[g] === x) {
      g++;
      left = true;
    }
    if (!left || back) out.push(x);
    i++;
  }
  while (j < add.length) out.push(add[j++]!);
  return out;
}

/** the first place in a devpath-sorted device list whose devpath is not below `devpath` */
function devpathBound(list: readonly DeviceView[], devpath: string): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.devpath < devpath) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function lowerBound(xs: string[], x: string): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
