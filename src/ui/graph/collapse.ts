/**
 * Collapsing large sibling groups (issue #12, the UI side): a graph of 15,000 nodes cannot be
 * drawn interactively, and nobody reads 10,000 platform devices one by one. Pure; applied to
 * a snapshot before snapshotToFlow, and (planCollapse + collapsedBasis) to the run's layout
 * basis before the worker lays it out (src/worker/layout.ts), so the UI still draws only the
 * state it receives.
 *
 * A group is what toFlow lays out as siblings: the children of one device (or the top-level
 * devices), the drivers column, the modules column, the children of one firmware node. A group
 * of more than COLLAPSE.threshold members in the run's layout basis is collapsed unless the
 * user expanded it: its first COLLAPSE.head members are drawn (in basis order, with their
 * subtrees), then one summary node ("+ 9,812 more platform devices: …", counts by driver and
 * bound state at this step), then COLLAPSE.slots reserved rows. Whatever matters at the
 * current step and is hidden — what the event touches, the selected node, devices whose state
 * changed since the step before — is drawn individually in those rows, with the chain of
 * parents that leads to it. The rows are laid out with the basis (empty ones are not drawn),
 * so a device appearing in or leaving a collapsed group moves no other node.
 *
 * Edges to hidden nodes go to the summary that stands for them (a parent's edge to its
 * children, a driver's bound-to edges, a firmware node's edges, a module's drivers), one edge
 * per pair: toFlow draws a placeholder record's references like any other.
 *
 * A design with no group over the threshold is passed through unchanged (the same objects).
 */
import type { DeviceView, DriverView, FirmwareNodeView, ModuleView, TraceEvent } from '../../engine/api';
import type { SnapshotCore } from '../../worker/protocol';
import { AliasSet } from '../../engine/userspace/fnmatch';
import { boxHeight, LAYOUT, moduleAliasEdge, nodeId, type AliasEdge, type NodePlace, type SummaryText } from './toFlow';

export const COLLAPSE = {
  /** a group is collapsed when it has more members than this */
  threshold: 24,
  /** members drawn before the summary */
  head: 4,
  /** a group of more members than `largeFrom` draws `largeHead` of them, of more than `hugeFrom` `hugeHead` (the summary tells the rest) */
  largeFrom: 40,
  largeHead: 2,
  hugeFrom: 200,
  hugeHead: 1,
  /**
   * rows reserved after the summary for what matters at the step, when the run's needs are not
   * known (collapseNeeds: the worker counts them over the whole run)
   */
  slots: 3,
  /** at most this many reserved rows per group, whatever the run needs */
  maxSlots: 8,
} as const;

/**
 * What a run needs of each collapsed group (collapseNeeds, computed in the worker over every
 * event of the run), by group key: `rows` reserved rows, `depth` device columns beside each row
 * (a spotlit device's chain below the group's member, and the children it brings along).
 */
export interface CollapseNeeds {
  rows: Record<string, number>;
  depth: Record<string, number>;
}

/**
 * a summary node's height (px): its label in up to two lines ("+ 95,999 more platform devices"
 * wraps at the node's width: with room for one, the box cut its detail's last line off
 * mid-word) and up to three detail lines (styles.css clamps both, with an ellipsis)
 */
export const SUMMARY_HEIGHT = boxHeight(2, 3);
/** a reserved row's height: a node with a two-line name and a two-line detail */
export const SLOT_HEIGHT = boxHeight(2, 2);

export type GroupKind = 'device' | 'driver' | 'module' | 'firmware';

export interface CollapseGroup {
  /** stable id (the store's expanded list holds these): `devices:<parent devpath>`, `drivers`, `modules`, `firmware:<parent id>` */
  key: string;
  kind: GroupKind;
  /** the parent device's devpath or firmware node's id; null for a column or the top-level devices */
  parent: string | null;
  /** members in the layout basis */
  size: number;
  expanded: boolean;
  /** members drawn while collapsed (devpaths, driver ids, module names, firmware ids) */
  head: Set<string>;
  /** the summary's placeholder record key (devpath, driver id, module name, firmware id) */
  summary: string;
  /** the reserved rows' placeholder keys, in order (collapsed groups only) */
  slots: string[];
  /** device groups: the columns a reserved row holds beside its first (a device row with its child row beside it: 1) */
  depth: number;
  /** the reserved rows' keys start with this */
  slotBase: string;
}

export interface HiddenIn {
  group: CollapseGroup;
  member: boolean;
}

export interface CollapsePlan {
  groups: CollapseGroup[];
  byKey: Map<string, CollapseGroup>;
  /** a member of a large group → its group, per kind */
  deviceGroup: ByDevice<CollapseGroup>;
  firmwareGroup: Map<string, CollapseGroup>;
  driverGroup: CollapseGroup | null;
  moduleGroup: CollapseGroup | null;
  /** the largest collapsed device group: the driver and module rows are laid out beside its rows */
  lead: CollapseGroup | null;
  /** summary key (`<kind>:<key>`) → group */
  bySummary: Map<string, CollapseGroup>;
  /**
   * a device the basis hides → the group whose summary stands for it (its own group's, or its
   * hidden ancestor's), and whether it is a member of that group or below one
   */
  basisRep: ByDevice<HiddenIn>;
  /** what the basis draws (placeholders aside) */
  visibleDevices: Set<string>;
  visibleDrivers: Set<string>;
  visibleModules: Set<string>;
  visibleFirmware: Set<string>;
  /** whether a basis module has an alias pattern (an alias, or the one udev loaded it by): the alias edges' index is made only then */
  hasAliases: boolean;
  /** the alias patterns' index, and each pattern's hidden matches by the summary standing for them: made when first needed (aliasIndexOf) */
  aliasIndex: AliasIndexOfPlan | null;
  /** the basis the plan was made of, and its devices by place (their devpaths, parents and children) */
  basis: SnapshotCore | null;
  places: BasisPlaces;
}

/** a device's parent in BasisPlaces.parentAt when it has none in the basis (null, or a devpath the basis does not hold) */
const NO_PARENT = -1;

/**
 * The basis's devices by place (their index in basis.devices): one map from devpath to place
 * stands for the plan's per-device maps (a large basis has ~140k devices, and each map of them
 * cost ~60 ms to fill and a cache miss or more per lookup). A basis names each device once (the
 * union merges by devpath).
 */
export class BasisPlaces {
  readonly place = new Map<string, number>();
  /** the place of each device's parent, or NO_PARENT (a device that is its own parent points at itself) */
  readonly parentAt: Int32Array;
  /** each device's children, in basis order (the top-level devices, and those naming themselves or a parent the basis lacks, in `top`) */
  readonly kidsAt: (number[] | undefined)[];
  readonly top: number[] = [];
  /** the sibling lists' parents (-1: the top level) in the order their first member comes in the basis */
  readonly parents: number[] = [];
  constructor(readonly views: readonly DeviceView[]) {
    const n = views.length;
    for (let i = 0; i < n; i++) this.place.set(views[i]!.devpath, i);
    this.parentAt = new Int32Array(n);
    this.kidsAt = new Array(n);
    for (let i = 0; i < n; i++) {
      const d = views[i]!;
      const p = d.parent === null ? undefined : this.place.get(d.parent);
      this.parentAt[i] = p === undefined ? NO_PARENT : p;
      if (p === undefined || p === i) {
        if (!this.top.length) this.parents.push(-1);
        this.top.push(i);
      } else {
        const kids = this.kidsAt[p];
        if (kids) kids.push(i);
        else {
          this.kidsAt[p] = [i];
          this.parents.push(p);
        }
      }
    }
  }
  /** the sibling list under a parent place (-1: the top level) */
  kids(p: number): readonly number[] | undefined {
    return p < 0 ? this.top : this.kidsAt[p];
  }
}

/** a value per device of a plan's basis, read by devpath (BasisPlaces) or by place */
export class ByDevice<T> implements Iterable<[string, T]> {
  private readonly values: (T | undefined)[];
  constructor(private readonly places: BasisPlaces) {
    this.values = new Array(places.views.length);
  }
  get(devpath: string): T | undefined {
    const i = this.places.place.get(devpath);
    return i === undefined ? undefined : this.values[i];
  }
  at(i: number): T | undefined {
    return this.values[i];
  }
  set(i: number, v: T): void {
    this.values[i] = v;
  }
  /** the devices that have a value, in basis order */
  *[Symbol.iterator](): Iterator<[string, T]> {
    for (let i = 0; i < this.values.length; i++) if (this.values[i] !== undefined) yield [this.places.views[i]!.devpath, this.values[i]!];
  }
}

/** keys of the placeholder records (characters no devpath, driver or module name has here) */
const MORE = '+more';
const slotKey = (base: string, i: number) => `${base}+slot${i}`;
const under = (parent: string | null) => (parent === null ? '' : parent);
const SLOT_CHILD = '/+child';

function groupOf<T>(items: T[], parentOf: (t: T) => string | null): Map<string | null, T[]> {
  const out = new Map<string | null, T[]>();
  for (const t of items) {
    const p = parentOf(t);
    const list = out.get(p);
    if (list) list.push(t);
    else out.set(p, [t]);
  }
  return out;
}

/** a module's alias patterns: its aliases, and the one udev loaded it by (a pattern or a MODALIAS) */
const aliasPatternsOf = (m: ModuleView): readonly string[] => (m.loadedBy && m.loadedBy !== 'manual' ? [...m.aliases, m.loadedBy] : m.aliases);

/** the head of a collapsed group: fewer members for a huge one */
export const headSize = (size: number): number => (size > COLLAPSE.hugeFrom ? COLLAPSE.hugeHead : size > COLLAPSE.largeFrom ? COLLAPSE.largeHead : COLLAPSE.head);

function makeGroup(key: string, kind: GroupKind, parent: string | null, members: string[], expanded: ReadonlySet<string>, summary: string, slotBase: string, needs: CollapseNeeds | undefined): CollapseGroup {
  const g: CollapseGroup = { key, kind, parent, size: members.length, expanded: expanded.has(key), head: new Set(members.slice(0, headSize(members.length))), summary, slots: [], depth: 1, slotBase };
  reserve(g, needs);
  return g;
}

/** a group's reserved rows and their columns: what `needs` asks for it (COLLAPSE.slots rows without needs) */
function reserve(g: CollapseGroup, needs: CollapseNeeds | undefined): void {
  const rows = needs ? Math.min(COLLAPSE.maxSlots, Math.max(1, needs.rows[g.key] ?? 1)) : COLLAPSE.slots;
  g.slots = g.expanded ? [] : Array.from({ length: rows }, (_, i) => slotKey(g.slotBase, i));
  g.depth = needs ? Math.max(1, needs.depth[g.key] ?? 1) : 1;
}

/**
 * The plan planCollapse(basis, expanded, needs) makes, from the plan it made without needs
 * (whose groups change in place: only for a plan nothing has used yet). The worker's layout
 * counts the needs over the plan first made, and a second plan of a large basis costs as much
 * as the first.
 */
export function reserveRows(plan: CollapsePlan, needs: CollapseNeeds): CollapsePlan {
  for (const g of plan.groups) reserve(g, needs);
  return plan;
}

/**
 * Which groups of the basis are large, which members the collapsed graph draws. `needs`: the
 * reserved rows the run needs (collapseNeeds); without them, COLLAPSE.slots rows per group.
 */
export function planCollapse(basis: SnapshotCore | null, expanded: readonly string[] = [], needs?: CollapseNeeds): CollapsePlan {
  const open = new Set(expanded);
  const places = new BasisPlaces(basis?.devices ?? []);
  const plan: CollapsePlan = {
    groups: [],
    byKey: new Map(),
    deviceGroup: new ByDevice(places),
    firmwareGroup: new Map(),
    driverGroup: null,
    moduleGroup: null,
    lead: null,
    bySummary: new Map(),
    basisRep: new ByDevice(places),
    visibleDevices: new Set(),
    visibleDrivers: new Set(),
    visibleModules: new Set(),
    visibleFirmware: new Set(),
    hasAliases: false,
    aliasIndex: null,
    basis,
    places,
  };
  if (!basis) return plan;
  const add = (g: CollapseGroup) => {
    plan.groups.push(g);
    plan.byKey.set(g.key, g);
    plan.bySummary.set(`${g.kind}:${g.summary}`, g);
    if (g.kind === 'device' && !g.expanded && (!plan.lead || g.size > plan.lead.size)) plan.lead = g;
    return g;
  };

  // devices, top down: a device is drawn when its parent is and its group is small, open, or it is in the head
  const views = places.views;
  // the group of a list of siblings is their parent's (by the parent's place; -1 the top level)
  const groupUnder = new Map<number, CollapseGroup>();
  for (const p of places.parents) {
    const list = places.kids(p)!;
    if (list.length <= COLLAPSE.threshold) continue;
    const parent = p < 0 ? null : views[p]!.devpath;
    const base = `${under(parent)}/`;
    const g = add(makeGroup(`devices:${under(parent)}`, 'device', parent, list.map((i) => views[i]!.devpath), open, base + MORE, base, needs));
    groupUnder.set(p, g);
    for (const i of list) plan.deviceGroup.set(i, g);
  }
  const memberOf = new Map<CollapseGroup, HiddenIn>();
  const belowOf = new Map<CollapseGroup, HiddenIn>();
  // parent places (-1 the top level) with the group hiding them, if any
  const walk: number[] = [-1];
  const walkHidden: (CollapseGroup | null)[] = [null];
  while (walk.length) {
    const p = walk.pop()!;
    const hiddenIn = walkHidden.pop()!;
    const g = groupUnder.get(p);
    for (const i of places.kids(p) ?? []) {
      const path = views[i]!.devpath;
      if (hiddenIn) {
        let h = belowOf.get(hiddenIn);
        if (!h) belowOf.set(hiddenIn, (h = { group: hiddenIn, member: false }));
        plan.basisRep.set(i, h);
        walk.push(i);
        walkHidden.push(hiddenIn);
      } else if (g && !g.expanded && !g.head.has(path)) {
        let h = memberOf.get(g);
        if (!h) memberOf.set(g, (h = { group: g, member: true }));
        plan.basisRep.set(i, h);
        walk.push(i);
        walkHidden.push(g);
      } else {
        plan.visibleDevices.add(path);
        walk.push(i);
        walkHidden.push(null);
      }
    }
  }
  const seesDevice = (list: string[]) => list.some((d) => plan.visibleDevices.has(d));
  plan.hasAliases = basis.modules.some((m) => aliasPatternsOf(m).length > 0);

  // firmware, top down: also drawn when it gave rise to a drawn device
  const fwIds = new Set(basis.firmware.map((f) => f.id));
  const fwKids = groupOf(basis.firmware, (f) => (f.parent !== null && f.parent !== f.id && fwIds.has(f.parent) ? f.parent : null));
  for (const [parent, list] of fwKids) {
    if (list.length <= COLLAPSE.threshold) continue;
    const base = `${under(parent)}/`;
    const g = add(makeGroup(`firmware:${under(parent)}`, 'firmware', parent, list.map((f) => f.id), open, base + MORE, base, needs));
    for (const f of list) plan.firmwareGroup.set(f.id, g);
  }
  const fwWalk: (string | null)[] = [null];
  while (fwWalk.length) {
    const p = fwWalk.pop()!;
    for (const f of fwKids.get(p) ?? []) {
      const g = plan.firmwareGroup.get(f.id);
      if (g && !g.expanded && !g.head.has(f.id) && !seesDevice(f.devices)) continue;
      plan.visibleFirmware.add(f.id);
      fwWalk.push(f.id);
    }
  }

  // drivers: the head, and any bound to a drawn device
  if (basis.drivers.length > COLLAPSE.threshold) {
    const g = (plan.driverGroup = add(makeGroup('drivers', 'driver', null, basis.drivers.map((d) => d.id), open, MORE, '', needs)));
    for (const d of basis.drivers) if (g.expanded || g.head.has(d.id) || seesDevice(d.devices)) plan.visibleDrivers.add(d.id);
  } else for (const d of basis.drivers) plan.visibleDrivers.add(d.id);

  // modules: the head, and any providing a drawn driver
  if (basis.modules.length > COLLAPSE.threshold) {
    const g = (plan.moduleGroup = add(makeGroup('modules', 'module', null, basis.modules.map((m) => m.name), open, MORE, '', needs)));
    for (const m of basis.modules) if (g.expanded || g.head.has(m.name) || m.drivers.some((d) => plan.visibleDrivers.has(d))) plan.visibleModules.add(m.name);
  } else for (const m of basis.modules) plan.visibleModules.add(m.name);
  return plan;
}

/**
 * The reserved rows (and device columns beside each row) every collapsed group of `plan` needs
 * so that what any one event of the run touches is drawn: counted over all the run's events (the
 * worker has them). A touched hidden device takes a row, or one
 * per child it brings along (up to 2); its columns are its chain below the group's member and
 * those children. The selection and changed devices take the rows the step leaves free.
 */
export function collapseNeeds(plan: CollapsePlan, events: Iterable<{ touches: TraceEvent['touches']; device?: number }>, distinct = false): CollapseNeeds {
  const rows: Record<string, number> = {};
  const depth: Record<string, number> = {};
  if (!plan.groups.some((g) => !g.expanded)) return { rows, depth };
  // the plan's indexes of its basis
  const places = plan.places;
  const { views, parentAt } = places;
  const most = new Map<CollapseGroup, number>();
  const count = new Map<CollapseGroup, number>();
  const fwSeen = new Set<string>();
  const bump = (g: CollapseGroup, n = 1) => count.set(g, (count.get(g) ?? 0) + n);
  /** the firmware node of the device at place i */
  const fwOf = (i: number) => {
    const f = views[i]!.firmwareNode;
    if (!f || plan.visibleFirmware.has(f) || fwSeen.has(f)) return;
    const g = plan.firmwareGroup.get(f);
    if (!g || g.expanded) return;
    fwSeen.add(f);
    bump(g);
  };
  const devicePart = (path: string) => {
    const i = places.place.get(path);
    if (i === undefined) return;
    const h = plan.basisRep.at(i);
    if (!h || h.group.expanded) return;
    const below = places.kidsAt[i];
    const n = below?.length ?? 0;
    bump(h.group, n ? Math.min(2, n) : 1);
    // up the chain to the group's member: the plan's walk reached a hidden device down the
    // member's children, so every parent on the way is in the basis
    let k = 0;
    for (let at = i; at !== NO_PARENT && plan.deviceGroup.at(at) !== h.group && k < 64; k++) {
      fwOf(at);
      at = parentAt[at]!;
    }
    fwOf(i);
    for (let c = 0; c < Math.min(2, n); c++) fwOf(below![c]!);
    const d = k + (n ? 1 : 0);
    if (d > (depth[h.group.key] ?? 0)) depth[h.group.key] = d;
  };
  const dg = plan.driverGroup;
  const mg = plan.moduleGroup;
  const driverAndModulePart = (t: TraceEvent['touches']) => {
    if (dg && !dg.expanded) for (const id of t.drivers ?? []) if (!plan.visibleDrivers.has(id)) bump(dg);
    if (mg && !mg.expanded) for (const n of t.modules ?? []) if (!plan.visibleModules.has(n)) bump(mg);
  };
  const keepMost = () => {
    for (const [g, n] of count) if (n > (most.get(g) ?? 0)) most.set(g, n);
  };
  // A row naming one device (a number for it: Simulation.distinctTouchRows) counts its device
  // apart from its driver or module: their groups differ (device and firmware groups against the
  // driver and module groups), and a device's part is the same in every row, so it is counted in
  // the first row naming the device. A run's rows are ~3 per device.
  let counted = new Uint8Array(0);
  // the engine shares one touches object between the events of a device (or a device and its
  // driver): what one needs is the same for all of them, counted once (`distinct`: the caller
  // gives each once, Simulation.distinctTouches)
  const seen = new Set<TraceEvent['touches']>();
  for (const e of events) {
    const t = e.touches;
    if (!distinct) {
      if (seen.has(t)) continue;
      seen.add(t);
    }
    if (!t.devices?.length && !t.drivers?.length && !t.modules?.length) continue;
    const dev = e.device ?? -1;
    if (dev >= 0 && t.devices?.length === 1) {
      if (dev >= counted.length) {
        const grown = new Uint8Array(Math.max(1024, dev * 2));
        grown.set(counted);
        counted = grown;
      }
      if (!counted[dev]) {
        counted[dev] = 1;
        count.clear();
        fwSeen.clear();
        devicePart(t.devices[0]!);
        keepMost();
      }
      if (t.drivers?.length || t.modules?.length) {
        count.clear();
        driverAndModulePart(t);
        keepMost();
      }
      continue;
    }
    count.clear();
    fwSeen.clear();
    for (const path of t.devices ?? []) devicePart(path);
    driverAndModulePart(t);
    keepMost();
  }
  // (a selection, and what changed, take rows left free)
  for (const g of plan.groups) if (!g.expanded) rows[g.key] = Math.max(1, most.get(g) ?? 0);
  return { rows, depth };
}

/** the summary's text: what a kernel developer asks of the hidden members */
export type SummaryInfo = SummaryText;

export interface CollapsedView {
  snapshot: SnapshotCore;
  positions: ReadonlyMap<string, NodePlace> | undefined;
  /** summary nodes by node id */
  summaries: ReadonlyMap<string, SummaryInfo>;
  /** fixed node heights by node id (summaries; reserved rows in the basis) */
  heights: ReadonlyMap<string, number>;
  /** the MODALIAS edges from or to a summary (toFlow FlowOptions.aliasEdges) */
  aliasEdges: readonly AliasEdge[];
}

const NO_ALIAS_EDGES: readonly AliasEdge[] = [];

interface AliasIndexOfPlan {
  /** a pattern's place among the basis's patterns (BasisAliases) */
  idOf: Map<string, number>;
  /** pattern → summary → the hidden devices it stands for whose MODALIAS the pattern matches */
  hidden: Map<string, Map<string, string[]>>;
  /** how many hidden devices have a MODALIAS */
  hiddenWithModalias: number;
  /** a hidden device → the patterns (places) its MODALIAS matches (DeviceTally counts them) */
  patternsOf: ByDevice<number[]>;
  /** a pattern's place → the modules that have it among their aliases */
  owners: string[][];
  /** the patterns (places) a MODALIAS matches, kept per MODALIAS (the drawn devices' are asked again at every step) */
  matching(modalias: string | null): readonly number[] | undefined;
}

/** what the alias index holds of a basis whatever the plan: its modules' patterns, their places and owners, and the patterns each MODALIAS matches */
interface BasisAliases {
  patterns: string[];
  idOf: Map<string, number>;
  owners: string[][];
  /** MODALIAS → the patterns (places) it matches through kmod's index of them (AliasSet), kept as asked */
  matching(modalias: string): number[];
}

/** per basis: a plan made again (a group expanded) keeps the patterns' index (~84k patterns at 100k devices) */
const basisAliasesMade = new WeakMap<SnapshotCore, BasisAliases>();

function basisAliases(basis: SnapshotCore | null): BasisAliases {
  const made = basis ? basisAliasesMade.get(basis) : undefined;
  if (made) return made;
  // the modules' alias patterns (each module's aliases, and the one udev loaded it by)
  const aliasPatterns = new Set<string>();
  for (const m of basis?.modules ?? []) for (const a of aliasPatternsOf(m)) aliasPatterns.add(a);
  const patterns = [...aliasPatterns];
  // kmod's lookup: the aliases and the MODALIAS normalized ('-' as '_': AliasSet)
  const set = new AliasSet(patterns);
  const idOf = new Map<string, number>();
  for (let i = 0; i < patterns.length; i++) idOf.set(patterns[i]!, i);
  const owners: string[][] = patterns.map(() => []);
  for (const m of basis?.modules ?? []) for (const a of m.aliases) owners[idOf.get(a)!]!.push(m.name);
  const memo = new Map<string, number[]>();
  const matching = (modalias: string): number[] => {
    let hits = memo.get(modalias);
    if (hits === undefined) memo.set(modalias, (hits = set.matches(modalias)));
    return hits;
  };
  const out = { patterns, idOf, owners, matching };
  if (basis) basisAliasesMade.set(basis, out);
  return out;
}

/**
 * The plan's alias index: every hidden MODALIAS matched against all the basis modules' aliases at
 * once, through the index kmod resolves aliases with (a large run hides ~100k devices and has
 * thousands of OF aliases, all wildcards: one scan per pattern would not do), each distinct
 * MODALIAS once, kept by pattern and by the summary standing for each hidden device. Made on first use.
 */
function aliasIndexOf(plan: CollapsePlan): AliasIndexOfPlan {
  if (plan.aliasIndex) return plan.aliasIndex;
  const basis = plan.basis;
  const { patterns, idOf, owners, matching } = basisAliases(basis);
  // by pattern place: summary → the hidden devices behind it whose MODALIAS the pattern matches
  const byPattern: (Map<string, string[]> | undefined)[] = new Array(patterns.length);
  const patternsOf = new ByDevice<number[]>(plan.places);
  let hiddenWithModalias = 0;
  const views = plan.places.views;
  for (let at = 0; at < views.length; at++) {
    const d = views[at]!;
    if (!d.modalias) continue;
    const h = plan.basisRep.at(at);
    if (h === undefined) continue;
    hiddenWithModalias++;
    const matched = matching(d.modalias);
    if (!matched.length) continue;
    patternsOf.set(at, matched);
    const summary = h.group.summary;
    for (const i of matched) {
      let bySummary = byPattern[i];
      if (!bySummary) byPattern[i] = bySummary = new Map();
      const list = bySummary.get(summary);
      if (list) list.push(d.devpath);
      else bySummary.set(summary, [d.devpath]);
    }
  }
  const hidden = new Map<string, Map<string, string[]>>();
  for (let i = 0; i < patterns.length; i++) if (byPattern[i]) hidden.set(patterns[i]!, byPattern[i]!);
  const matchingOrNone = (modalias: string | null): readonly number[] | undefined => (modalias ? matching(modalias) : undefined);
  return (plan.aliasIndex = { idOf, hidden, hiddenWithModalias, patternsOf, owners, matching: matchingOrNone });
}

const fmt = (n: number) => n.toLocaleString('en-US');
const plural = (n: number, one: string, many = `${one}s`) => `${fmt(n)} ${n === 1 ? one : many}`;

function placeholderDevice(devpath: string, parent: string | null, name: string): DeviceView {
  return {
    name,
    bus: null,
    class: null,
    devpath,
    parent,
    driver: null,
    modalias: null,
    driverOverride: null,
    unbindable: false,
    ofNode: null,
    acpiHid: null,
    firmwareNode: null,
    deferred: false,
    devmParent: null,
    createdBy: null,
  };
}
const placeholderDriver = (id: string, devices: string[]): DriverView => ({ id, name: id, bus: '', module: null, bindAttrs: true, devices });
const placeholderModule = (name: string, drivers: string[]): ModuleView => ({ name, state: 'builtin', loadedBy: null, location: 'builtin', aliases: [], drivers, initRet: null });
const placeholderFirmware = (id: string, parent: string | null, devices: string[]): FirmwareNodeView => ({ id, kind: 'dt', label: id, props: {}, parent, devices });

const uniq = (xs: (string | null)[]): string[] => [...new Set(xs.filter((x): x is string => x !== null))];

/** node id of a group's summary */
export function summaryNodeId(g: CollapseGroup): string {
  switch (g.kind) {
    case 'device': return nodeId.device(g.summary);
    case 'driver': return nodeId.driver(g.summary);
    case 'module': return nodeId.module(g.summary);
    case 'firmware': return nodeId.firmware(g.summary);
  }
}

/**
 * The basis as the collapsed graph lays it out: the drawn records, each group's summary, and
 * its reserved rows (a device row with a child row beside it, so a spotlit device's child
 * has its room too; driver rows near the device rows, module rows near the driver rows).
 */
export function collapsedBasis(basis: SnapshotCore, plan: CollapsePlan): { snapshot: SnapshotCore; heights: Map<string, number> } {
  if (!plan.groups.length) return { snapshot: basis, heights: new Map() };
  const heights = new Map<string, number>();
  const view = collapseView(basis, plan, undefined, {}, undefined, false);
  for (const [id] of view.summaries) heights.set(id, SUMMARY_HEIGHT);
  const devices = [...view.snapshot.devices];
  const drivers = [...view.snapshot.drivers];
  const modules = [...view.snapshot.modules];
  // (no firmware node names a summary here: toFlow orders siblings by their firmware nodes, and
  // a summary comes after its group's head, the reserved rows after it)
  const summaryPaths = new Set(plan.groups.filter((g) => g.kind === 'device').map((g) => g.summary));
  const firmware = view.snapshot.firmware.map((f) => (f.devices.some((d) => summaryPaths.has(d)) ? { ...f, devices: f.devices.filter((d) => !summaryPaths.has(d)) } : f));
  const lead = plan.lead;
  for (const g of plan.groups) {
    if (g.expanded) continue;
    if (g.kind === 'device') {
      g.slots.forEach((s, i) => {
        devices.push(placeholderDevice(s, g.parent, `slot ${i}`));
        heights.set(nodeId.device(s), SLOT_HEIGHT);
        // the columns beside the row: a chain of placeholders as deep as the run needs
        for (let k = 1, at = s; k <= g.depth; k++) {
          const child = s + SLOT_CHILD.repeat(k);
          devices.push(placeholderDevice(child, at, `slot ${i} child ${k}`));
          heights.set(nodeId.device(child), SLOT_HEIGHT);
          at = child;
        }
      });
    } else if (g.kind === 'firmware') {
      g.slots.forEach((s) => {
        firmware.push(placeholderFirmware(s, g.parent, []));
        heights.set(nodeId.firmware(s), LAYOUT.nodeHeight);
      });
    }
  }
  const dg = plan.driverGroup;
  if (dg && !dg.expanded)
    dg.slots.forEach((s, i) => {
      drivers.push(placeholderDriver(s, lead && i < lead.slots.length ? [lead.slots[i]!] : []));
      heights.set(nodeId.driver(s), SLOT_HEIGHT);
    });
  const mg = plan.moduleGroup;
  if (mg && !mg.expanded)
    mg.slots.forEach((s, i) => {
      modules.push(placeholderModule(s, dg && !dg.expanded && i < dg.slots.length ? [dg.slots[i]!] : []));
      heights.set(nodeId.module(s), SLOT_HEIGHT);
    });
  return { snapshot: { ...view.snapshot, devices, drivers, modules, firmware }, heights };
}

/** what matters at this step and must be drawn individually */
export interface Spotlight {
  touched?: TraceEvent['touches'];
  /** the selected node id (toFlow nodeId) */
  selected?: string | null;
  /** devpaths whose state changed at this step (changedDevices) */
  changed?: readonly string[];
}

/**
 * Two device lists sorted by devpath, walked side by side: runs of the same records are skipped
 * by identity, and each difference is a record changed (same devpath), added or removed. False,
 * and the walk stops, where either list is found out of devpath order (the caller then matches
 * by devpath or counts again; what the callbacks saw so far is to be discarded).
 */
function walkByDevpath(
  a: readonly DeviceView[],
  b: readonly DeviceView[],
  on: { changed(x: DeviceView, y: DeviceView): void; added(y: DeviceView): void; removed(x: DeviceView): void },
): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while (i < a.length && j < b.length && a[i] === b[j]) {
      i++;
      j++;
    }
    if (i >= a.length && j >= b.length) break;
    const x = a[i];
    const y = b[j];
    if ((x && i > 0 && a[i - 1]!.devpath >= x.devpath) || (y && j > 0 && b[j - 1]!.devpath >= y.devpath)) return false;
    if (x && y && x.devpath === y.devpath) {
      on.changed(x, y);
      i++;
      j++;
    } else if (y && (!x || y.devpath < x.devpath)) {
      on.added(y);
      j++;
    } else {
      on.removed(x!);
      i++;
    }
  }
  return true;
}

/**
 * Devices whose record changed from `prev` to `next` when they are one step apart (records
 * that did not change keep their identity across steps: worker/delta.ts); none otherwise. Those
 * in `next` first (in its order), then those gone (in prev's order).
 *
 * The engine lists devices sorted by devpath (trace/views.ts): the two lists are walked side by
 * side by identity, with no map over every device. Short lists (hand-written snapshots), and a
 * list found out of that order where the walk compares records, are matched by devpath instead.
 */
export function changedDevices(prev: SnapshotCore | null | undefined, next: SnapshotCore): string[] {
  if (!prev || prev === next || Math.abs(prev.step - next.step) !== 1) return [];
  const a = prev.devices;
  const b = next.devices;
  if (a === b) return [];
  if (a.length < 2000 || b.length < 2000) return changedByPath(a, b);
  const out: string[] = [];
  const gone: string[] = [];
  const sorted = walkByDevpath(a, b, {
    changed: (_x, y) => out.push(y.devpath), // the same device, a new record
    added: (y) => out.push(y.devpath),
    removed: (x) => gone.push(x.devpath),
  });
  if (!sorted) return changedByPath(a, b);
  return gone.length ? out.concat(gone) : out;
}

/** changedDevices for lists in no known order */
function changedByPath(prev: readonly DeviceView[], next: readonly DeviceView[]): string[] {
  const before = new Map(prev.map((d) => [d.devpath, d]));
  const out: string[] = [];
  for (const d of next) {
    if (before.get(d.devpath) !== d) out.push(d.devpath);
    before.delete(d.devpath);
  }
  for (const gone of before.keys()) out.push(gone);
  return out;
}

interface RowPlace {
  x: number;
  y: number;
}

interface DevStats {
  /** hidden members */
  hidden: number;
  /** hidden devices below hidden members */
  below: number;
  bus: Map<string, number>;
  /** driver name → hidden members bound to it */
  bound: Map<string, number>;
  unbound: number;
  deferred: number;
  none: number;
}

/**
 * The index of `path` in a device list sorted by devpath (the engine's snapshots are: trace/
 * views.ts), -1 when absent; an unsorted list (a hand-written one) is searched in full.
 */
export function findIndex(list: readonly DeviceView[], path: string): number {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const p = list[mid]!.devpath;
    if (p === path) return mid;
    if (p < path) lo = mid + 1;
    else hi = mid - 1;
  }
  return list.findIndex((d) => d.devpath === path);
}

function findDevice(list: readonly DeviceView[], path: string): DeviceView | undefined {
  const i = findIndex(list, path);
  return i < 0 ? undefined : list[i];
}

/** the children of `path`: in a sorted list, among the devpaths that start with it */
function childrenOf(list: readonly DeviceView[], path: string): DeviceView[] {
  let lo = 0;
  let hi = list.length;
  const from = `${path}/`;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.devpath < from) lo = mid + 1;
    else hi = mid;
  }
  const out: DeviceView[] = [];
  for (let i = lo; i < list.length && list[i]!.devpath.startsWith(from); i++) if (list[i]!.parent === path) out.push(list[i]!);
  // a parent whose children's devpaths do not start with its own (hand-written snapshots)
  if (!out.length && list.length < 2000) for (const d of list) if (d.parent === path && d.devpath !== path) out.push(d);
  return out;
}

/**
 * The snapshot as the collapsed graph draws it: the drawn records (with references to hidden
 * ones turned into their summary's), summary placeholders, and the places of spotlit records
 * in their group's reserved rows. `positions`: the layout of collapsedBasis (from the worker).
 */
const NO_SUMMARIES: ReadonlyMap<string, SummaryInfo> = new Map();
const NO_HEIGHTS: ReadonlyMap<string, number> = new Map();

export function collapseStep(snapshot: SnapshotCore, plan: CollapsePlan, positions: ReadonlyMap<string, NodePlace> | undefined, spot: Spotlight, tally?: DeviceTally): CollapsedView {
  return collapseView(snapshot, plan, positions, spot, tally, true);
}

/** collapseStep; without alias edges for the layout's basis (collapsedBasis: it lays out nodes, not edges) */
function collapseView(snapshot: SnapshotCore, plan: CollapsePlan, positions: ReadonlyMap<string, NodePlace> | undefined, spot: Spotlight, tally: DeviceTally | undefined, withAliasEdges: boolean): CollapsedView {
  // nothing large: the snapshot as it is (the same objects: the graph does not rebuild on a selection)
  if (!plan.groups.length) return { snapshot, positions, summaries: NO_SUMMARIES, heights: NO_HEIGHTS, aliasEdges: NO_ALIAS_EDGES };
  const out = positions ? new Map(positions) : undefined;
  const summaries = new Map<string, SummaryInfo>();
  const heights = new Map<string, number>();

  // ---- devices (no map over every device: the step's list is sorted by devpath, findDevice)
  const list = snapshot.devices;
  const find = (path: string) => findDevice(list, path);
  const shown = new Set<string>();
  for (const p of plan.visibleDevices) if (find(p)) shown.add(p);
  const kidsOf = (path: string) => childrenOf(list, path);

  const selectedDevice = spot.selected?.startsWith('device:') ? spot.selected.slice('device:'.length) : null;
  // what the event touches first (the run's reserved rows are counted for it: collapseNeeds), then
  // the selection, then what changed, while rows are free
  const touchedDevices = new Set(spot.touched?.devices ?? []);
  const spotDevices = uniq([...touchedDevices, selectedDevice, ...(spot.changed ?? [])]).filter((p) => find(p));
  /** per collapsed group: its entries (hidden members drawn in its rows), each with the subtree drawn under it */
  const entries = new Map<CollapseGroup, string[]>();
  const entryShown = new Map<string, Set<string>>();
  for (const path of spotDevices) {
    if (shown.has(path)) continue;
    // up to the first drawn ancestor: the member just below it is the entry
    const chain: string[] = [];
    let at: string | null = path;
    const guard = new Set<string>();
    while (at !== null && !shown.has(at) && !guard.has(at)) {
      const d = find(at);
      if (!d) break;
      guard.add(at);
      chain.push(at);
      at = d.parent !== null && d.parent !== at ? d.parent : null;
    }
    const root = chain[chain.length - 1]!;
    const g = plan.deviceGroup.get(root);
    if (!g || g.expanded) {
      // not hidden in a group (a device the basis does not hold): drawn plainly
      for (const c of chain) shown.add(c);
      continue;
    }
    let set = entryShown.get(root);
    if (!set) {
      entryShown.set(root, (set = new Set()));
      entries.set(g, [...(entries.get(g) ?? []), root]);
    }
    for (const c of chain) set.add(c);
    // a spotlit device brings its children along when they fit in a row or two
    const kids = kidsOf(path);
    if (kids.length <= 2 && kids.every((k) => kidsOf(k.devpath).length === 0)) for (const k of kids) set.add(k.devpath);
  }
  /** spotlit devices of the lead group → their row (driver rows are beside those) */
  const devRow = new Map<string, number>();
  /** groups whose summary stands for a touched device that found no free row */
  const touchedBehind = new Set<CollapseGroup>();
  for (const [g, roots] of entries) {
    let row = 0;
    const rowAt = (r: number): RowPlace | null => {
      if (!out) return null;
      const p = out.get(nodeId.device(g.slots[r]!));
      return p ? { x: p.x, y: p.y } : null;
    };
    for (const root of roots) {
      const set = entryShown.get(root)!;
      // the rows (leaves) and columns the entry takes: drawn only when they are free (nothing is
      // drawn past the reserved rows, where it would overlap what follows)
      let leaves = 0;
      let deepest = 0;
      const measure = (path: string, depth: number): void => {
        deepest = Math.max(deepest, depth);
        const kids = kidsOf(path).filter((k) => set.has(k.devpath));
        if (!kids.length) leaves++;
        for (const k of kids) measure(k.devpath, depth + 1);
      };
      measure(root, 0);
      if (row + leaves > g.slots.length || deepest > g.depth) {
        if ([...set].some((p) => touchedDevices.has(p))) touchedBehind.add(g);
        continue;
      }
      const place = (path: string, depth: number): void => {
        shown.add(path);
        const kids = kidsOf(path).filter((k) => set.has(k.devpath));
        const first = row;
        if (!kids.length) row++;
        for (const k of kids) place(k.devpath, depth + 1);
        const p = rowAt(first);
        if (p && out) out.set(nodeId.device(path), { x: p.x + depth * LAYOUT.columnGap, y: p.y });
        if (g === plan.lead) devRow.set(path, first);
      };
      place(root, 0);
    }
  }
  /** what stands for a device that is not drawn: the summary of the group it (or an ancestor) is hidden in */
  const rep = (path: string): string | null => (shown.has(path) ? path : (plan.basisRep.get(path)?.group.summary ?? null));
  const devRefs = (refs: string[]) => uniq(refs.map(rep));

  // ---- which drivers are drawn (before the pass over the devices: a hidden driver's devices give the summary's edges)
  const drvShown = new Set<string>();
  const drvBy = new Map(snapshot.drivers.map((d) => [d.id, d]));
  for (const d of snapshot.drivers) if (plan.visibleDrivers.has(d.id)) drvShown.add(d.id);
  const dg = plan.driverGroup;
  const drvRow = new Map<string, number>();
  let drvTouchedLeft = false;
  if (dg && !dg.expanded) {
    // a driver prefers the driver row beside its spotlit device's row (those rows line up in the basis)
    const prefer = new Map<string, number>();
    for (const [p, r] of devRow) {
      const d = find(p)!;
      if (d.driver && d.bus && !prefer.has(`${d.bus}/${d.driver}`)) prefer.set(`${d.bus}/${d.driver}`, r);
    }
    const selectedDriver = spot.selected?.startsWith('driver:') ? spot.selected.slice('driver:'.length) : null;
    const must = uniq([...(spot.touched?.drivers ?? []), selectedDriver]).filter((id) => drvBy.has(id) && !drvShown.has(id));
    const nice = uniq([...shown].filter((p) => !plan.visibleDevices.has(p)).map((p) => {
      const d = find(p)!;
      return d.driver && d.bus ? `${d.bus}/${d.driver}` : null;
    })).filter((id) => drvBy.has(id) && !drvShown.has(id) && !must.includes(id));
    const taken = takeRows(dg, [...must, ...nice], must.length, prefer, out, nodeId.driver, drvShown);
    for (const [id, r] of taken.rows) drvRow.set(id, r);
    drvTouchedLeft = taken.touchedLeft;
  }
  const drvShownByBus = new Map<string, Set<string>>();
  for (const id of drvShown) {
    const d = drvBy.get(id)!;
    let set = drvShownByBus.get(d.bus);
    if (!set) drvShownByBus.set(d.bus, (set = new Set()));
    set.add(d.name);
  }

  // ---- the summaries' counts and the drivers summary's edges: kept by the tally from the
  // records that changed since the list it counted last, or one pass over the devices
  const undrawnDriver = (d: DeviceView) => !!(d.driver && d.bus && dg && !drvShownByBus.get(d.bus)?.has(d.driver));
  const counted = tally?.count(list) ? countedStats(tally, plan, shown, find, undrawnDriver, (bus, name) => !!drvShownByBus.get(bus)?.has(name), dg !== null) : null;
  const { stats, hiddenDriverRefs } = counted ?? countAll(list, plan, shown, undrawnDriver);
  const devices: DeviceView[] = [];
  // in the step's order (drawn devices are few: sorting them by their place is cheap)
  const order = (p: string) => findIndex(list, p);
  for (const p of [...shown].sort((x, y) => order(x) - order(y))) devices.push(find(p)!);
  const drawnSummaries = new Set<string>();
  for (const g of plan.groups) {
    if (g.kind !== 'device') continue;
    const s = stats.get(g)!;
    const parentShown = g.parent === null || shown.has(g.parent);
    if (!parentShown || (!g.expanded && s.hidden === 0)) continue;
    const id = nodeId.device(g.summary);
    drawnSummaries.add(g.summary);
    devices.push(placeholderDevice(g.summary, g.parent, 'summary'));
    heights.set(id, SUMMARY_HEIGHT);
    summaries.set(id, touchedBehind.has(g) ? { ...deviceSummary(g, s), touched: true } : deviceSummary(g, s));
  }

  // ---- firmware
  const fwShown = new Set<string>();
  const fwBy = new Map(snapshot.firmware.map((f) => [f.id, f]));
  for (const f of snapshot.firmware) if (plan.visibleFirmware.has(f.id)) fwShown.add(f.id);
  const fwSpot = uniq([spot.selected?.startsWith('firmware:') ? spot.selected.slice('firmware:'.length) : null, ...[...shown].filter((p) => !plan.visibleDevices.has(p)).map((p) => find(p)?.firmwareNode ?? null)]);
  const fwRows = new Map<CollapseGroup, number>();
  for (const id of fwSpot) {
    const f = fwBy.get(id);
    if (!f || fwShown.has(id)) continue;
    const g = plan.firmwareGroup.get(id);
    if (!g || g.expanded || (g.parent !== null && !fwShown.has(g.parent))) continue;
    const r = fwRows.get(g) ?? 0;
    if (r >= g.slots.length) continue;
    fwRows.set(g, r + 1);
    fwShown.add(id);
    const p = out?.get(nodeId.firmware(g.slots[r]!));
    if (p && out) out.set(nodeId.firmware(id), { x: p.x, y: p.y });
  }
  const fwRepMemo = new Map<string, string | null>();
  const fwRep = (id: string): string | null => {
    if (fwShown.has(id)) return id;
    const known = fwRepMemo.get(id);
    if (known !== undefined) return known;
    const f = fwBy.get(id);
    let r: string | null = null;
    if (f) {
      const parent = f.parent !== null && f.parent !== id && fwBy.has(f.parent) ? f.parent : null;
      const g = plan.firmwareGroup.get(id);
      if (parent === null || fwShown.has(parent)) r = g && !g.expanded ? g.summary : null;
      else r = fwRep(parent);
    }
    fwRepMemo.set(id, r);
    return r;
  };
  const firmware: FirmwareNodeView[] = [];
  const fwSummary = new Map<CollapseGroup, { hidden: number; kinds: Map<string, number>; devices: Set<string>; gave: number }>();
  for (const f of snapshot.firmware) {
    if (fwShown.has(f.id)) {
      firmware.push(f.devices.length ? { ...f, devices: devRefs(f.devices) } : f);
      continue;
    }
    const r = fwRep(f.id);
    if (r === null) continue;
    const g = plan.bySummary.get(`firmware:${r}`)!;
    let s = fwSummary.get(g);
    if (!s) fwSummary.set(g, (s = { hidden: 0, kinds: new Map(), devices: new Set(), gave: 0 }));
    if (plan.firmwareGroup.get(f.id) === g) {
      s.hidden++;
      s.kinds.set(f.kind, (s.kinds.get(f.kind) ?? 0) + 1);
    }
    s.gave += f.devices.length;
    for (const d of devRefs(f.devices)) s.devices.add(d);
  }
  for (const g of plan.groups) {
    if (g.kind !== 'firmware') continue;
    const s = fwSummary.get(g);
    if ((g.parent !== null && !fwShown.has(g.parent)) || (!g.expanded && !s?.hidden)) continue;
    const id = nodeId.firmware(g.summary);
    firmware.push(placeholderFirmware(g.summary, g.parent, [...(s?.devices ?? [])]));
    heights.set(id, SUMMARY_HEIGHT);
    const hidden = s?.hidden ?? 0;
    const kinds = [...(s?.kinds ?? new Map<string, number>())].map(([k, n]) => `${fmt(n)} ${k.toUpperCase()}`).join(' · ');
    summaries.set(id, {
      group: g.key,
      expanded: g.expanded,
      hidden,
      label: g.expanded ? `− collapse ${plural(g.size, 'firmware node')}` : `+ ${fmt(hidden)} more firmware nodes`,
      detail: g.expanded ? `under ${g.parent ?? 'the root'}` : `${kinds || 'none'} · gave rise to ${plural(s?.gave ?? 0, 'device')}`,
      description: g.expanded ? `${plural(g.size, 'firmware node')} under ${g.parent ?? 'the root'} shown; activate to collapse them` : `${fmt(hidden)} more firmware nodes under ${g.parent ?? 'the root'}; activate to show them`,
    });
  }

  // ---- drivers
  const drvRep = (id: string): string | null => (drvShown.has(id) ? id : dg && !dg.expanded && drvBy.has(id) ? dg.summary : null);
  const drivers: DriverView[] = [];
  const hiddenDrivers: DriverView[] = [];
  for (const d of snapshot.drivers) {
    if (drvShown.has(d.id)) drivers.push(d.devices.length ? { ...d, devices: devRefs(d.devices) } : d);
    else hiddenDrivers.push(d);
  }
  if (dg && (dg.expanded || hiddenDrivers.length)) {
    const id = nodeId.driver(dg.summary);
    drivers.push(placeholderDriver(dg.summary, [...hiddenDriverRefs]));
    heights.set(id, SUMMARY_HEIGHT);
    const builtin = new Set(snapshot.modules.filter((m) => m.state === 'builtin').map((m) => m.name));
    const text = driverSummary(dg, hiddenDrivers, snapshot.drivers.length, builtin);
    summaries.set(id, drvTouchedLeft ? { ...text, touched: true } : text);
  }

  // ---- modules
  const modShown = new Set<string>();
  const modBy = new Map(snapshot.modules.map((m) => [m.name, m]));
  for (const m of snapshot.modules) if (plan.visibleModules.has(m.name)) modShown.add(m.name);
  const mg = plan.moduleGroup;
  let modTouchedLeft = false;
  if (mg && !mg.expanded) {
    const selectedModule = spot.selected?.startsWith('module:') ? spot.selected.slice('module:'.length) : null;
    const must = uniq([...(spot.touched?.modules ?? []), selectedModule]).filter((n) => modBy.has(n) && !modShown.has(n));
    const byDriver = new Map<string, string>();
    for (const m of snapshot.modules) for (const d of m.drivers) byDriver.set(d, m.name);
    const nice = uniq([...drvShown].filter((id) => !plan.visibleDrivers.has(id)).map((id) => byDriver.get(id) ?? null)).filter((n) => !modShown.has(n) && !must.includes(n));
    // a module prefers the module row beside its driver's row
    const prefer = new Map<string, number>();
    for (const n of [...must, ...nice])
      for (const d of modBy.get(n)!.drivers) {
        const r = drvRow.get(d);
        if (r !== undefined && !prefer.has(n)) prefer.set(n, r);
      }
    modTouchedLeft = takeRows(mg, [...must, ...nice], must.length, prefer, out, nodeId.module, modShown).touchedLeft;
  }
  const modules: ModuleView[] = [];
  const hiddenModules: ModuleView[] = [];
  for (const m of snapshot.modules) {
    if (!modShown.has(m.name)) {
      hiddenModules.push(m);
      continue;
    }
    const refs = uniq(m.drivers.map(drvRep));
    modules.push(refs.length === m.drivers.length && refs.every((r, i) => r === m.drivers[i]) ? m : { ...m, drivers: refs });
  }
  if (mg && (mg.expanded || hiddenModules.length)) {
    const id = nodeId.module(mg.summary);
    modules.push(placeholderModule(mg.summary, uniq(hiddenModules.flatMap((m) => m.drivers.map(drvRep)))));
    heights.set(id, SUMMARY_HEIGHT);
    const text = moduleSummary(mg, hiddenModules, snapshot.modules.length);
    summaries.set(id, modTouchedLeft ? { ...text, touched: true } : text);
  }

  // ---- MODALIAS edges with a hidden end: from the summary standing for hidden devices whose
  // MODALIAS matches a module's alias (the one udev loaded it by, or any while it is not loaded),
  // and to the modules' summary for a hidden module (from drawn devices and device summaries)
  const aliasEdges: AliasEdge[] = [];
  const modSummary = mg && hiddenModules.length ? mg.summary : null;
  if (withAliasEdges && plan.hasAliases && (modSummary !== null || drawnSummaries.size)) {
    const index = aliasIndexOf(plan);
    const seen = new Set<string>();
    const keyOf = (kind: AliasEdge['kind'], device: string, module: string) => `${kind}\u0000${device}\u0000${module}`;
    const add = (kind: AliasEdge['kind'], device: string, module: string) => {
      const key = keyOf(kind, device, module);
      if (seen.has(key)) return;
      seen.add(key);
      aliasEdges.push({ kind, device, module });
    };
    // the drawn devices' MODALIAS matches (by pattern and by the module whose alias it is), for
    // edges to the modules' summary; and the hidden devices drawn in reserved rows, whose edges
    // are their own, counted the way the tally counts (to take them out of its counts)
    const drawnByPattern = new Map<number, string[]>();
    const drawnByModule = new Map<string, string[]>();
    const shownByPattern = new Map<number, Map<string, number>>();
    const shownByModule = new Map<string, Map<string, number>>();
    for (const p of shown) {
      const h = plan.basisRep.get(p);
      const matched = h ? index.patternsOf.get(p) : index.matching(find(p)?.modalias ?? null);
      for (const i of matched ?? []) {
        const list = drawnByPattern.get(i);
        if (list) list.push(p);
        else drawnByPattern.set(i, [p]);
        for (const m of index.owners[i]!) {
          const l = drawnByModule.get(m);
          if (!l) drawnByModule.set(m, [p]);
          else if (l[l.length - 1] !== p) l.push(p);
        }
        if (h) {
          bumpBy(shownByPattern, i, h.group.summary, 1);
          for (const m of index.owners[i]!) bumpBy(shownByModule, m, h.group.summary, 1);
        }
      }
    }
    const tallied = counted !== null && tally !== undefined;
    for (const m of snapshot.modules) {
      const alias = moduleAliasEdge(m);
      if (!alias) continue;
      const target = modShown.has(m.name) ? m.name : modSummary;
      if (target === null) continue;
      const loaded = alias.kind === 'alias-loaded';
      const id = loaded ? index.idOf.get(alias.patterns[0]!) : undefined;
      // hidden devices present: their summary
      if (tallied && loaded && id !== undefined) {
        const drawnHidden = shownByPattern.get(id);
        for (const summary of index.hidden.get(alias.patterns[0]!)?.keys() ?? [])
          if (drawnSummaries.has(summary) && tally.aliasPresent(id, summary) - (drawnHidden?.get(summary) ?? 0) > 0) add(alias.kind, summary, target);
      } else if (tallied && !loaded) {
        const drawnHidden = shownByModule.get(m.name);
        for (const [summary, n] of tally.modulePresent(m.name) ?? []) if (drawnSummaries.has(summary) && n - (drawnHidden?.get(summary) ?? 0) > 0) add(alias.kind, summary, target);
      } else
        for (const pattern of alias.patterns)
          for (const [summary, paths] of index.hidden.get(pattern) ?? [])
            if (drawnSummaries.has(summary) && !seen.has(keyOf(alias.kind, summary, target)) && paths.some((p) => !shown.has(p) && find(p))) add(alias.kind, summary, target);
      // drawn devices, to the modules' summary (a drawn device and a drawn module: toFlow draws that edge itself)
      if (target !== m.name) for (const p of (loaded ? (id === undefined ? undefined : drawnByPattern.get(id)) : drawnByModule.get(m.name)) ?? []) add(alias.kind, p, target);
    }
    // in one order whichever way they were found (with the tally's counts or without)
    aliasEdges.sort((a, b) => (a.kind !== b.kind ? (a.kind < b.kind ? -1 : 1) : a.device !== b.device ? (a.device < b.device ? -1 : 1) : a.module < b.module ? -1 : a.module > b.module ? 1 : 0));
  }

  return { snapshot: { ...snapshot, devices, drivers, modules, firmware }, positions: out, summaries, heights, aliasEdges };
}

/** the summaries' counts and the drivers summary's edges, from one pass over the devices */
function countAll(list: readonly DeviceView[], plan: CollapsePlan, shown: ReadonlySet<string>, undrawnDriver: (d: DeviceView) => boolean): { stats: Map<CollapseGroup, DevStats>; hiddenDriverRefs: Iterable<string> } {
  const stats = new Map<CollapseGroup, DevStats>();
  for (const g of plan.groups) if (g.kind === 'device') stats.set(g, emptyStats());
  const hiddenDriverRefs = new Set<string>();
  for (const d of list) {
    const path = d.devpath;
    if (shown.has(path)) {
      if (undrawnDriver(d)) hiddenDriverRefs.add(path);
      continue;
    }
    const h = plan.basisRep.get(path);
    if (h === undefined) continue;
    if (undrawnDriver(d)) hiddenDriverRefs.add(h.group.summary);
    tallyDevice(stats.get(h.group)!, d, h.member, 1);
  }
  return { stats, hiddenDriverRefs };
}

const emptyStats = (): DevStats => ({ hidden: 0, below: 0, bus: new Map(), bound: new Map(), unbound: 0, deferred: 0, none: 0 });

function bump(m: Map<string, number>, k: string, by: number): void {
  const n = (m.get(k) ?? 0) + by;
  if (n) m.set(k, n);
  else m.delete(k);
}

/** counts a hidden device in (by 1) or out of (by -1) its group's summary */
function tallyDevice(s: DevStats, d: DeviceView, member: boolean, by: 1 | -1): void {
  if (!member) {
    s.below += by;
    return;
  }
  s.hidden += by;
  bump(s.bus, d.bus ?? (d.class ? `class ${d.class}` : 'no bus'), by);
  if (!d.bus) s.none += by;
  else if (d.deferred) s.deferred += by;
  else if (d.driver) bump(s.bound, d.driver, by);
  else s.unbound += by;
}

/** a group's counts over every device the basis hides in it (as if none were drawn), and its devices by driver */
interface GroupTally {
  stats: DevStats;
  /** bus → driver → the devpaths (sorted) of the group's hidden devices bound to it */
  drivers: Map<string, Map<string, string[]>>;
}

function sortedIndex(xs: readonly string[], x: string): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** a count by key and summary, up or down (the alias edges' counts) */
function bumpBy<K>(counts: Map<K, Map<string, number>>, key: K, summary: string, by: number): void {
  let bySummary = counts.get(key);
  if (!bySummary) counts.set(key, (bySummary = new Map()));
  bySummary.set(summary, (bySummary.get(summary) ?? 0) + by);
}

/**
 * The summaries' counts of a plan's device groups over a device list, kept across steps: each
 * `count` walks the new list beside the one counted before by identity (records that did not
 * change keep it: worker/delta.ts, trace/views.ts) and counts only the records that differ, so
 * a step counts the few devices it changed rather than all 13,665 of a 10k run. The counts are
 * of every device the basis hides, as if none were drawn; collapseStep takes the drawn ones out.
 */
export class DeviceTally {
  private list: readonly DeviceView[] | null = null;
  private sorted = false;
  private readonly groups = new Map<CollapseGroup, GroupTally>();
  /** hidden devices present, by the alias pattern (its place in the plan's alias index) their MODALIAS matches and the summary standing for them */
  private readonly aliasCounts = new Map<number, Map<string, number>>();
  /** the same by module: hidden devices present whose MODALIAS one of the module's aliases matches (once per alias matched) */
  private readonly moduleCounts = new Map<string, Map<string, number>>();
  private readonly index: AliasIndexOfPlan | null;

  constructor(private readonly plan: CollapsePlan) {
    const index = plan.hasAliases ? aliasIndexOf(plan) : null;
    this.index = index && index.hiddenWithModalias ? index : null;
    this.reset();
  }

  private reset(): void {
    for (const g of this.plan.groups) if (g.kind === 'device') this.groups.set(g, { stats: emptyStats(), drivers: new Map() });
    this.aliasCounts.clear();
    this.moduleCounts.clear();
  }

  /** how many devices present in the list counted, hidden by the basis behind `summary`, have a MODALIAS alias pattern `i` matches */
  aliasPresent(i: number, summary: string): number {
    return this.aliasCounts.get(i)?.get(summary) ?? 0;
  }

  /** the same per module (its aliases): summary → count */
  modulePresent(module: string): ReadonlyMap<string, number> | undefined {
    return this.moduleCounts.get(module);
  }

  of(g: CollapseGroup): GroupTally {
    return this.groups.get(g)!;
  }

  private add(d: DeviceView, by: 1 | -1): void {
    // one lookup of the device's place stands for the group's and the alias patterns'
    const at = this.plan.places.place.get(d.devpath);
    if (at === undefined) return;
    const h = this.plan.basisRep.at(at);
    if (h === undefined) return;
    const pats = this.index?.patternsOf.at(at);
    if (pats) {
      const summary = h.group.summary;
      for (const i of pats) {
        bumpBy(this.aliasCounts, i, summary, by);
        for (const m of this.index!.owners[i]!) bumpBy(this.moduleCounts, m, summary, by);
      }
    }
    const t = this.groups.get(h.group);
    if (!t) return;
    tallyDevice(t.stats, d, h.member, by);
    this.byDriver(t, d, by);
  }

  /**
   * x's record became y (the same devpath). What the tally keeps by devpath is the same for both:
   * the group and the alias patterns (the basis's MODALIAS of the device), so only the state counts
   * move, and the driver lists when the driver did. A jump at 100k devices changes ~40k records:
   * counted out and in, each was two lookups in ~140k-entry maps and alias counts that cancel.
   */
  private change(x: DeviceView, y: DeviceView): void {
    const h = this.plan.basisRep.get(y.devpath);
    if (h === undefined) return;
    const t = this.groups.get(h.group);
    if (!t) return;
    tallyDevice(t.stats, x, h.member, -1);
    tallyDevice(t.stats, y, h.member, 1);
    if (x.driver !== y.driver || x.bus !== y.bus) {
      this.byDriver(t, x, -1);
      this.byDriver(t, y, 1);
    }
  }

  /** the device in (by 1) or out of (-1) its group's list of the devices bound to its driver */
  private byDriver(t: GroupTally, d: DeviceView, by: 1 | -1): void {
    if (!d.driver || !d.bus) return;
    let byDriver = t.drivers.get(d.bus);
    if (!byDriver) t.drivers.set(d.bus, (byDriver = new Map()));
    let paths = byDriver.get(d.driver);
    if (!paths) byDriver.set(d.driver, (paths = []));
    const i = sortedIndex(paths, d.devpath);
    if (by > 0) {
      if (paths[i] !== d.devpath) paths.splice(i, 0, d.devpath);
    } else if (paths[i] === d.devpath) {
      paths.splice(i, 1);
      if (!paths.length) byDriver.delete(d.driver);
      if (!byDriver.size) t.drivers.delete(d.bus);
    }
  }

  /**
   * Counts `list`; false when it is not sorted by devpath (a hand-written snapshot): the
   * caller then counts in one pass (the drivers summary's edges are in the list's order).
   */
  count(list: readonly DeviceView[]): boolean {
    if (list === this.list) return this.sorted;
    const a = this.list;
    this.list = list;
    if (!a || !this.sorted) return this.recount(list);
    const inOrder = walkByDevpath(a, list, {
      changed: (x, y) => this.change(x, y),
      added: (y) => this.add(y, 1),
      removed: (x) => this.add(x, -1),
    });
    if (!inOrder) return this.recount(list);
    return true;
  }

  private recount(list: readonly DeviceView[]): boolean {
    this.reset();
    this.sorted = list.every((d, i) => i === 0 || list[i - 1]!.devpath < d.devpath);
    if (this.sorted) for (const d of list) this.add(d, 1);
    return this.sorted;
  }
}

/**
 * countAll's result from a tally of the same (sorted) list: its counts less the drawn devices,
 * and the drivers summary's edges in the list's order (a drawn device's own, or a group's summary
 * at its first hidden device bound to a driver not drawn).
 */
function countedStats(tally: DeviceTally, plan: CollapsePlan, shown: ReadonlySet<string>, find: (p: string) => DeviceView | undefined, undrawnDriver: (d: DeviceView) => boolean, drawnDriver: (bus: string, name: string) => boolean, driverGroup: boolean): { stats: Map<CollapseGroup, DevStats>; hiddenDriverRefs: Iterable<string> } {
  const stats = new Map<CollapseGroup, DevStats>();
  for (const g of plan.groups) if (g.kind === 'device') stats.set(g, tally.of(g).stats);
  const refs: { at: string; ref: string }[] = [];
  for (const p of shown) {
    const d = find(p)!;
    if (undrawnDriver(d)) refs.push({ at: p, ref: p });
    const h = plan.basisRep.get(p);
    if (h === undefined) continue;
    let s = stats.get(h.group)!;
    if (s === tally.of(h.group).stats) stats.set(h.group, (s = { ...s, bus: new Map(s.bus), bound: new Map(s.bound) }));
    tallyDevice(s, d, h.member, -1);
  }
  if (driverGroup)
    for (const g of plan.groups) {
      if (g.kind !== 'device') continue;
      let first: string | null = null;
      for (const [bus, byDriver] of tally.of(g).drivers)
        for (const [driver, paths] of byDriver) {
          if (drawnDriver(bus, driver)) continue;
          const path = paths.find((x) => !shown.has(x));
          if (path !== undefined && (first === null || path < first)) first = path;
        }
      if (first !== null) refs.push({ at: first, ref: g.summary });
    }
  refs.sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0));
  return { stats, hiddenDriverRefs: new Set(refs.map((r) => r.ref)) };
}

/**
 * Puts `ids` in a column group's reserved rows, in order while rows are free (the first `must`
 * are what the step needs: the run's rows are counted for them), each in its preferred row when
 * free. Nothing is drawn past the rows: the summary stands for what does not fit.
 */
function takeRows(g: CollapseGroup, ids: string[], must: number, prefer: Map<string, number>, out: Map<string, NodePlace> | undefined, idOf: (k: string) => string, shown: Set<string>): { rows: Map<string, number>; touchedLeft: boolean } {
  const taken = new Set<number>();
  const rowOf = new Map<string, number>();
  let touchedLeft = false;
  ids.forEach((id, i) => {
    const want = prefer.get(id);
    if (want !== undefined && want < g.slots.length && !taken.has(want)) {
      taken.add(want);
      rowOf.set(id, want);
    } else if (taken.size >= g.slots.length) {
      if (i < must) touchedLeft = true;
    } else {
      let r = 0;
      while (taken.has(r)) r++;
      taken.add(r);
      rowOf.set(id, r);
    }
  });
  for (const [id, r] of rowOf) {
    shown.add(id);
    const p = out?.get(idOf(g.slots[r]!));
    if (p && out) out.set(idOf(id), { x: p.x, y: p.y });
  }
  return { rows: rowOf, touchedLeft };
}

function top(counts: Map<string, number>, n: number): string {
  const list = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const shown = list.slice(0, n).map(([k, c]) => `${k} ${fmt(c)}`).join(', ');
  return list.length > n ? `${shown}, …` : shown;
}

function deviceSummary(g: CollapseGroup, s: DevStats): SummaryInfo {
  const where = g.parent === null ? 'at the top' : `under ${g.parent}`;
  if (g.expanded)
    return {
      group: g.key,
      expanded: true,
      hidden: 0,
      label: `− collapse ${plural(g.size, 'device')}`,
      detail: where,
      description: `all ${plural(g.size, 'device')} ${where} shown; activate to collapse them`,
    };
  const buses = [...s.bus.keys()];
  const what = buses.length === 1 && !buses[0]!.includes(' ') ? `${buses[0]} devices` : 'devices';
  const bound = [...s.bound.values()].reduce((a, b) => a + b, 0);
  const parts: string[] = [];
  if (bound) parts.push(`${fmt(bound)} bound${s.bound.size > 1 ? ` to ${plural(s.bound.size, 'driver')}` : ''} (${top(s.bound, 2)})`);
  if (s.unbound) parts.push(`${fmt(s.unbound)} unbound`);
  if (s.deferred) parts.push(`${fmt(s.deferred)} probe deferred`);
  if (s.none) parts.push(`${fmt(s.none)} without a bus`);
  if (buses.length > 1) parts.push(top(s.bus, 3));
  if (s.below) parts.push(`+ ${plural(s.below, 'device')} below them`);
  const detail = parts.join(' · ');
  return {
    group: g.key,
    expanded: false,
    hidden: s.hidden,
    label: `+ ${fmt(s.hidden)} more ${what}`,
    detail,
    description: `${fmt(s.hidden)} more ${what} ${where}: ${detail}; activate to show them`,
  };
}

function driverSummary(g: CollapseGroup, hidden: DriverView[], total: number, builtinModules: ReadonlySet<string>): SummaryInfo {
  if (g.expanded)
    return { group: g.key, expanded: true, hidden: 0, label: `− collapse ${plural(total, 'driver')}`, detail: 'the drivers column', description: `all ${plural(total, 'driver')} shown; activate to collapse them` };
  const bus = new Map<string, number>();
  let builtin = 0;
  let idle = 0;
  let bound = 0;
  for (const d of hidden) {
    bus.set(d.bus, (bus.get(d.bus) ?? 0) + 1);
    if (!d.module || builtinModules.has(d.module)) builtin++;
    if (!d.devices.length) idle++;
    bound += d.devices.length;
  }
  const detail = [top(bus, 3), `${fmt(builtin)} built in`, `${plural(bound, 'device')} bound`, idle ? `${fmt(idle)} with none` : ''].filter(Boolean).join(' · ');
  return { group: g.key, expanded: false, hidden: hidden.length, label: `+ ${fmt(hidden.length)} more drivers`, detail, description: `${fmt(hidden.length)} more drivers: ${detail}; activate to show them` };
}

function moduleSummary(g: CollapseGroup, hidden: ModuleView[], total: number): SummaryInfo {
  if (g.expanded)
    return { group: g.key, expanded: true, hidden: 0, label: `− collapse ${plural(total, 'module')}`, detail: 'the modules column', description: `all ${plural(total, 'module')} shown; activate to collapse them` };
  const state = new Map<string, number>();
  for (const m of hidden) {
    const s = m.state === 'builtin' ? 'built in' : m.state === 'not-loaded' ? (m.location === 'absent' ? 'absent' : 'not loaded') : m.state;
    state.set(s, (state.get(s) ?? 0) + 1);
  }
  const detail = top(state, 4);
  return { group: g.key, expanded: false, hidden: hidden.length, label: `+ ${fmt(hidden.length)} more modules`, detail, description: `${fmt(hidden.length)} more modules: ${detail}; activate to show them` };
}
