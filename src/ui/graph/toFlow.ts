/**
 * Pure mapping from a snapshot (protocol.ts SnapshotCore) to React Flow nodes and edges, laid out left to
 * right:
 *
 *   firmware tree (indented list) | device tree (under a virtual root) | drivers | modules
 *
 * Edges: firmware node -> device it gave rise to, parent device -> child device,
 * device -> driver it is bound to, driver -> module that provides it (drawn in that
 * direction so every edge runs left to right; read it as "module provides driver"),
 * device -> module its uevent's MODALIAS loaded (through the alias in modules.alias), and,
 * before that load, device -> module whose alias its MODALIAS matches (alias-pending).
 *
 * Options: `positions` pins nodes to a layout computed once for the whole run (see
 * layoutPositions), so nodes do not jump between steps; `touched` marks what the current
 * event touched (TraceEvent.touches) for highlighting; `columns` leaves out the firmware or
 * drivers column (compare mode's compact graphs).
 *
 * No DOM, no React: unit-tested in toFlow.test.ts with hand-written snapshots.
 */
import { hierarchy, tree, type HierarchyPointNode } from 'd3-hierarchy';
import type { Edge, Node, Position } from '@xyflow/react';
import type { DeviceView, DriverView, FirmwareNodeView, ModuleView, TraceEvent } from '../../engine/api';
import type { SnapshotCore } from '../../worker/protocol';
import { aliasMatch, aliasNormalize, globMatch, hasWildcard, parseGlob } from '../../engine/userspace/fnmatch';

export type GraphNodeKind = 'firmware' | 'device' | 'driver' | 'module';
export type GraphEdgeKind = 'firmware-device' | 'parent-child' | 'bound-to' | 'module-provides-driver' | 'alias-loaded' | 'alias-pending';

/**
 * The visual state of a node, one per kind (the legend explains each):
 * device: bound | unbound | faux-bound | deferred | class (a class device such as tsm0) | container (no bus, no class);
 * driver: bind-attrs | no-bind-attrs; module: builtin | loaded | not-loaded | failed | absent; firmware: its kind.
 */
export type NodeState =
  | 'bound' | 'unbound' | 'faux-bound' | 'deferred' | 'class' | 'container'
  | 'bind-attrs' | 'no-bind-attrs'
  | 'builtin' | 'loaded' | 'loading' | 'not-loaded' | 'failed' | 'absent'
  | 'summary'
  | FirmwareNodeView['kind'];

/** colour family of a device: its bus (platform, auxiliary, faux; any other bus is "bus"), "class" or "none" */
export type BusTone = 'platform' | 'auxiliary' | 'faux' | 'bus' | 'class' | 'none';

/**
 * Which columns to draw. Without the firmware column the device tree starts at x=0 (compare
 * mode: both sides run on the same firmware, so that column shows no difference). Without
 * the drivers column, modules take its place and a bound device's bound-to edge runs to
 * the module that provides its driver (a built-in driver has no node; the device's second
 * line still names it).
 */
export interface FlowColumns {
  firmware?: boolean;
  drivers?: boolean;
}

/** a node's place in flow coordinates; `height`: the height its slot reserves (the tallest it is in the run) */
export interface NodePlace {
  x: number;
  y: number;
  height?: number;
}

/** the width (px) a text takes in a node's label or detail line, at the fonts of FONT */
export type TextMeasure = (text: string, role: 'label' | 'detail') => number;

export interface FlowOptions {
  positions?: ReadonlyMap<string, NodePlace>;
  /** measures text for the node heights (the browser passes a canvas measure); default: an estimate */
  measure?: TextMeasure;
  touched?: TraceEvent['touches'];
  columns?: FlowColumns;
  /**
   * Records drawn as the summary of a collapsed group (collapse.ts), by node id: a
   * placeholder record in the snapshot, drawn with this text; its references give its edges.
   */
  summaries?: ReadonlyMap<string, SummaryText>;
  /** fixed node heights by node id (summaries, a collapsed group's reserved rows) */
  heights?: ReadonlyMap<string, number>;
  /**
   * a collapsed graph's layout (collapse.ts collapsedBasis): the firmware, drivers and modules
   * columns end by the device tree's bottom when they have room above
   */
  compact?: boolean;
  /**
   * a collapsed graph's MODALIAS edges that involve a record it does not draw, from the summary
   * standing for hidden devices or to the one standing for hidden modules (collapse.ts
   * collapseStep); those between drawn devices and drawn modules are found here
   */
  aliasEdges?: readonly AliasEdge[];
}

/** a MODALIAS → modules.alias → module edge, by the drawn records' keys (a summary's placeholder's) */
export interface AliasEdge {
  kind: 'alias-loaded' | 'alias-pending';
  /** devpath of the device (or of a summary's placeholder device) */
  device: string;
  /** name of the module (or of a summary's placeholder module) */
  module: string;
}

/**
 * The MODALIAS edge a module takes, if any: from the devices whose MODALIAS matched the alias
 * udev loaded it by (loaded, or still in module_init), or from those matching one of its aliases
 * while it is not loaded (what udev would modprobe).
 */
export function moduleAliasEdge(m: ModuleView): { kind: 'alias-loaded' | 'alias-pending'; patterns: string[] } | null {
  if ((m.state === 'loaded' || m.state === 'loading') && m.loadedBy && m.loadedBy !== 'manual') return { kind: 'alias-loaded', patterns: [m.loadedBy] };
  if (m.state === 'not-loaded') return { kind: 'alias-pending', patterns: m.aliases };
  return null;
}

/** what a summary node of a collapsed group says (collapse.ts) */
export interface SummaryText {
  /** the group's key (store: expandedGroups) */
  group: string;
  expanded: boolean;
  /** members hidden at this step */
  hidden: number;
  label: string;
  detail: string;
  description: string;
  /** the current event touched a member it stands for that found no reserved row */
  touched?: boolean;
}

export type GraphNodeData = {
  kind: GraphNodeKind;
  /** main text: device/driver/module name, firmware label */
  label: string;
  /** second line: bus, driver state, module state, firmware kind */
  detail: string;
  /** stable handle for tests: node-<kind>-<name> */
  testId: string;
  state: NodeState;
  /** devices only: colour by bus */
  tone?: BusTone;
  /** the current event touched this node */
  touched: boolean;
  /** one sentence for screen readers and tooltips */
  description: string;
  /** the engine view the node was made from (a summary: its placeholder record) */
  view: DeviceView | DriverView | ModuleView | FirmwareNodeView;
  /** a summary node: the collapsed group it stands for (activating it expands or collapses the group) */
  group?: string;
  expanded?: boolean;
};
export type GraphNode = Node<GraphNodeData, 'bindscope'>;
/**
 * An edge drawn along free lanes (type 'lane', graph/LaneEdge.tsx): an orthogonal path from
 * its source handle through `points` (flow coordinates) to its target handle. Horizontal
 * runs are on lanes (a y where no node they pass is), vertical runs in the gaps between
 * columns or right under the source: it never passes under a node it does not connect.
 */
export interface EdgeRoute {
  points: [number, number][];
}
export type GraphEdge = Edge<{ kind: GraphEdgeKind; route?: EdgeRoute }>;

export interface FlowGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/**
 * Node text sizes (px, flow coordinates; styles.css .bs-box__label / .bs-box__detail use the
 * same). Chosen so that a design's graph fitted at 1280×720 draws them at 12 px or more.
 */
export const FONT = {
  label: 14,
  detail: 13,
  lineHeight: 1.2,
  family: "system-ui, -apple-system, 'Segoe UI', sans-serif",
} as const;

/** Node box size and spacing (px). DeviceGraph renders nodes at this size. */
export const LAYOUT = {
  nodeWidth: 172,
  /** the smallest node (one label line, one detail line) */
  nodeHeight: Math.ceil(1.2 * (14 + 13) + 12),
  /** horizontal room the box's border and padding take (styles.css .bs-box) */
  chromeX: 25,
  /** vertical room the box's border and padding take */
  chromeY: 12,
  /** horizontal distance between tree levels / columns */
  columnGap: 198,
  /** vertical gap between neighbouring devices (it carries their bound-to and MODALIAS edges) */
  rowGap: 24,
  /** vertical gap between neighbours in the firmware, drivers and modules columns */
  listGap: 10,
  /** the firmware tree is one column, drawn as an indented list: indent per level */
  fwIndent: 12,
} as const;

/**
 * Where a long name may wrap: after . - : _ / = , and at spaces (device names, MODALIAS
 * strings, aliases and driver names break at their own boundaries, never mid-word); never
 * inside a number ("1.0", "16,400").
 */
export const BREAK_AFTER = /(?<=[\-:_/=\s])|(?<=\D[.,])|(?<=[.,])(?=\D)/;

/** the text cut into pieces that may each end a line */
export function breakPieces(text: string): string[] {
  return text.split(BREAK_AFTER).filter((p) => p.length > 0);
}

/** an estimate of the text width when no browser measures it (DejaVu Sans / system-ui widths) */
export const estimateText: TextMeasure = (text, role) => text.length * (role === 'label' ? 0.6 * FONT.label : 0.54 * FONT.detail);

/** how many lines a text wraps to in `width` px, breaking only between breakPieces */
export function lineCount(text: string, width: number, role: 'label' | 'detail', measure: TextMeasure = estimateText): number {
  if (!text) return 0;
  let lines = 1;
  let line = '';
  for (const piece of breakPieces(text)) {
    const next = line + piece;
    if (line && measure(next.trimEnd(), role) > width) {
      lines++;
      line = piece.trimStart();
    } else line = next;
    // a piece wider than the box on its own wraps inside it (overflow-wrap: break-word)
    const w = measure(line.trimEnd(), role);
    if (w > width) {
      lines += Math.ceil(w / width) - 1;
      line = '';
    }
  }
  return lines;
}

/** heights computed, per measure function (a step of a big graph asks for the same texts again) */
const heightCache = new WeakMap<TextMeasure, Map<string, number>>();
const HEIGHT_CACHE_MAX = 50_000;

/** a node's height for its label and detail text, wrapped in the node's width */
export function nodeHeight(label: string, detail: string, measure: TextMeasure = estimateText): number {
  let cache = heightCache.get(measure);
  if (!cache) heightCache.set(measure, (cache = new Map()));
  const key = `${label}\u0000${detail}`;
  let h = cache.get(key);
  if (h === undefined) {
    h = computeNodeHeight(label, detail, measure);
    if (cache.size >= HEIGHT_CACHE_MAX) cache.clear();
    cache.set(key, h);
  }
  return h;
}

/** a box's height (px) for its label and detail in that many lines: the border, the padding and the text */
export function boxHeight(labelLines: number, detailLines: number): number {
  return Math.ceil(LAYOUT.chromeY + labelLines * FONT.label * FONT.lineHeight + detailLines * FONT.detail * FONT.lineHeight);
}

function computeNodeHeight(label: string, detail: string, measure: TextMeasure): number {
  const width = LAYOUT.nodeWidth - LAYOUT.chromeX;
  return Math.max(LAYOUT.nodeHeight, boxHeight(lineCount(label, width, 'label', measure), lineCount(detail, width, 'detail', measure)));
}

export const nodeId = {
  device: (devpath: string) => `device:${devpath}`,
  driver: (id: string) => `driver:${id}`,
  module: (name: string) => `module:${name}`,
  firmware: (id: string) => `firmware:${id}`,
};

interface TreeItem<T> {
  item: T | null; // null = virtual root
  children: TreeItem<T>[];
}

/** Builds a forest under a virtual root; items whose parent is unknown become top-level. */
function forest<T>(items: T[], key: (t: T) => string, parent: (t: T) => string | null): TreeItem<T> {
  const root: TreeItem<T> = { item: null, children: [] };
  const byKey = new Map<string, TreeItem<T>>();
  for (const item of items) if (!byKey.has(key(item))) byKey.set(key(item), { item, children: [] });
  for (const self of byKey.values()) {
    const item = self.item as T;
    const p = parent(item);
    const parentNode = p !== null && p !== key(item) ? byKey.get(p) : undefined;
    (parentNode ?? root).children.push(self);
  }
  // A parent cycle leaves items unreachable from the root: cut the cycle at the first
  // such item (in snapshot order) and hang it on the root.
  const reachable = new Set<TreeItem<T>>();
  const mark = (n: TreeItem<T>) => {
    const stack = [n];
    while (stack.length) {
      const m = stack.pop()!;
      reachable.add(m);
      stack.push(...m.children);
    }
  };
  mark(root);
  for (const n of byKey.values()) {
    if (reachable.has(n)) continue;
    for (const other of byKey.values()) other.children = other.children.filter((c) => c !== n);
    root.children.push(n);
    mark(n);
  }
  return root;
}

/** Orders each node's children (stably) by the smallest rank in their subtree; unranked ones keep their place after the ranked. */
function orderByRank<T>(root: TreeItem<T>, rank: (t: T) => number | undefined): number {
  let best = root.item === null ? Infinity : (rank(root.item) ?? Infinity);
  const ranked = root.children.map((c, i) => ({ c, i, r: orderByRank(c, rank) }));
  ranked.sort((a, b) => a.r - b.r || a.i - b.i);
  root.children = ranked.map((x) => x.c);
  for (const x of ranked) best = Math.min(best, x.r);
  return best;
}

interface Placed<T> {
  item: T;
  depth: number; // 0 = top level
  /** top of the node */
  y: number;
}

/**
 * Tidy-tree layout of a forest; returns items with depth and vertical position (top at 0).
 * Neighbours in a column are `gap` apart, whatever their heights.
 */
function layoutForest<T>(root: TreeItem<T>, height: (t: T) => number, gap: number): { placed: Placed<T>[]; depth: number } {
  if (root.children.length === 0) return { placed: [], depth: 0 };
  const h = hierarchy(root, (n) => n.children);
  // each node's height once (d3 calls separation many times per node)
  const heightOf = new Map<TreeItem<T>, number>();
  h.each((n) => void heightOf.set(n.data, n.data.item === null ? 0 : height(n.data.item)));
  const hOf = (n: HierarchyPointNode<TreeItem<T>>) => heightOf.get(n.data)!;
  const laid = tree<TreeItem<T>>()
    .nodeSize([1, LAYOUT.columnGap])
    .separation((a, b) => (hOf(a as HierarchyPointNode<TreeItem<T>>) + hOf(b as HierarchyPointNode<TreeItem<T>>)) / 2 + gap)(h);
  const nodes: HierarchyPointNode<TreeItem<T>>[] = laid.descendants().filter((n) => n.data.item !== null);
  const top = (n: HierarchyPointNode<TreeItem<T>>) => n.x - hOf(n) / 2;
  const minTop = Math.min(...nodes.map(top));
  let maxDepth = 0;
  const placed = nodes.map((n) => {
    maxDepth = Math.max(maxDepth, n.depth);
    return { item: n.data.item as T, depth: n.depth - 1, y: Math.round(top(n) - minTop) };
  });
  return { placed, depth: maxDepth };
}

/**
 * A forest's items placed where `positions` says, in the order layoutForest gives them (d3's
 * breadth-first order), with their depth in the forest.
 */
function placedAt<T>(root: TreeItem<T>, positions: ReadonlyMap<string, NodePlace>, id: (t: T) => string): { placed: Placed<T>[]; depth: number } {
  const placed: Placed<T>[] = [];
  let depth = 0;
  let level: TreeItem<T>[] = [root];
  for (let d = 0; level.length; d++) {
    const next: TreeItem<T>[] = [];
    for (const n of level) {
      if (n.item !== null) placed.push({ item: n.item, depth: d - 1, y: positions.get(id(n.item))!.y });
      next.push(...n.children);
    }
    if (next.length) depth = d + 1;
    level = next;
  }
  return { placed, depth: placed.length ? depth : 0 };
}

/** A forest in depth-first order, one row each: an indented list. */
function flatten<T>(root: TreeItem<T>, height: (t: T) => number, gap: number): Placed<T>[] {
  const out: Placed<T>[] = [];
  let y = 0;
  const walk = (n: TreeItem<T>, depth: number) => {
    for (const c of n.children) {
      out.push({ item: c.item as T, depth, y });
      y += height(c.item as T) + gap;
      walk(c, depth + 1);
    }
  };
  walk(root, 0);
  return out;
}

/**
 * Places a column of items (tops) so that each is centred near its desired centre (the mean
 * centre of what it connects to), in order of that centre, without overlap. Items with no
 * desired centre (connected to nothing drawn) take the first free room from the top, so
 * they do not make the graph taller than it needs to be. `room`: the height an item keeps free
 * in the column (at least its height, which centres it): room below a node for a taller text
 * it shows at other steps.
 */
function column<T>(items: T[], desired: (t: T) => number | null, top: number, height: (t: T) => number, gap = LAYOUT.listGap, bottom?: number, room: (t: T) => number = height): Map<T, number> {
  const withY = items.map((item, i) => ({ item, i, want: desired(item) }));
  const known = withY.filter((e) => e.want !== null).sort((a, b) => a.want! - b.want! || a.i - b.i);
  const unknown = withY.filter((e) => e.want === null);
  const out = new Map<T, number>();
  let next = top;
  for (const e of known) {
    const y = Math.max(Math.round(e.want! - height(e.item) / 2), next);
    out.set(e.item, y);
    next = y + room(e.item) + gap;
  }
  // (compact: the column pulled up into free room above so it ends by `bottom` when it can)
  if (bottom !== undefined && next - gap > bottom) {
    let end = bottom;
    for (let k = known.length - 1; k >= 0; k--) {
      const e = known[k]!;
      const y = Math.min(out.get(e.item)!, end - room(e.item));
      out.set(e.item, y);
      end = y - gap;
    }
    let start = top;
    for (const e of known) {
      const y = Math.max(out.get(e.item)!, start);
      out.set(e.item, y);
      start = y + room(e.item) + gap;
    }
  }
  const taken = known.map((e) => ({ top: out.get(e.item)!, bottom: out.get(e.item)! + room(e.item) }));
  for (const e of unknown) {
    const h = room(e.item);
    let y = top;
    for (const t of [...taken].sort((a, b) => a.top - b.top)) {
      if (y + h + gap <= t.top) break; // fits above this one
      y = Math.max(y, t.bottom + gap);
    }
    out.set(e.item, y);
    taken.push({ top: y, bottom: y + h });
  }
  return out;
}

const mean = (xs: number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

function node(
  id: string,
  x: number,
  y: number,
  height: number,
  data: GraphNodeData,
): GraphNode {
  return {
    id,
    type: 'bindscope',
    position: { x, y },
    data,
    sourcePosition: RIGHT,
    targetPosition: LEFT,
    width: LAYOUT.nodeWidth,
    height,
    className: `bs-node bs-node--${data.kind}`,
    ariaLabel: data.description,
  };
}

/**
 * React Flow's Position.Right and .Left, by value: importing the enum would pull React Flow
 * (and d3-zoom, d3-selection…) into the worker's layout chunk (src/worker/layout.ts).
 */
const RIGHT = 'right' as Position.Right;
const LEFT = 'left' as Position.Left;

/** the handle under a device node: bound-to and alias edges leave there */
export const DEVICE_LOWER_HANDLE = 'below';
/**
 * the lower handle on a module's left side: MODALIAS edges arrive there, apart from the
 * module-provides-driver edge that arrives at the middle
 */
export const MODULE_ALIAS_HANDLE = 'alias-in';
/** where MODULE_ALIAS_HANDLE sits, as a fraction of the module's height */
export const MODULE_ALIAS_AT = 0.75;

/**
 * Bound-to and MODALIAS edges run right from a device to the drivers/modules columns, past
 * the device's own children and other devices; they leave from under the device and run
 * along a free lane (first free y below the device, this far under it) to the gap before
 * their target's column. Firmware edges run along a free lane too.
 */
const BELOW: Partial<Record<GraphEdgeKind, number>> = { 'bound-to': 7, 'alias-loaded': 15, 'alias-pending': 15 };

function edge(kind: GraphEdgeKind, source: string, target: string): GraphEdge {
  const below = BELOW[kind] !== undefined;
  return {
    id: `${kind}:${source}->${target}`,
    source,
    target,
    data: { kind },
    className: `bs-edge bs-edge--${kind}`,
    ...(below || kind === 'firmware-device' ? { type: 'lane' } : {}),
    ...(below ? { sourceHandle: DEVICE_LOWER_HANDLE } : {}),
    ...(kind === 'alias-loaded' || kind === 'alias-pending' ? { targetHandle: MODULE_ALIAS_HANDLE } : {}),
  };
}

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** room kept between a lane and a node */
const LANE_MARGIN = 4;

interface IndexedBox extends Box {
  id: string;
  /** the node's place in the node list (ties between lanes go to the earlier node, as before) */
  order: number;
}

/**
 * The node boxes grouped by x (a graph has a few columns; the firmware list one per indent),
 * each group sorted by top: which boxes block a lane at y is a binary search per group, not a
 * scan of every node (routing was cubic in the nodes: 40 s at 2,000 nodes).
 */
class BoxIndex {
  private groups: { x: number; w: number; boxes: IndexedBox[]; disjoint: boolean }[] = [];

  constructor(boxes: IndexedBox[]) {
    const byX = new Map<number, IndexedBox[]>();
    for (const b of boxes) {
      const g = byX.get(b.x);
      if (g) g.push(b);
      else byX.set(b.x, [b]);
    }
    for (const [x, list] of byX) {
      list.sort((p, q) => p.y - q.y || p.order - q.order);
      let disjoint = true;
      for (let i = 1; i < list.length; i++) if (list[i]!.y - LANE_MARGIN < list[i - 1]!.y + list[i - 1]!.h + LANE_MARGIN) disjoint = false;
      this.groups.push({ x, w: Math.max(...list.map((b) => b.w)), boxes: list, disjoint });
    }
  }

  /** a lane query over the boxes that meet [x0, x1] (and pass `keep`), minus the edge's own ends */
  query(x0: number, x1: number, except: string[], keep?: (b: Box) => boolean): Lanes {
    // every box of a group has the group's x and (as every node) its width
    return new Lanes(this.groups.filter((g) => g.x < x1 && g.x + g.w > x0 && (!keep || keep(g.boxes[0]!))), except);
  }
}

const top = (b: Box) => b.y - LANE_MARGIN;
const bottom = (b: Box) => b.y + b.h + LANE_MARGIN;

/** the boxes a lane must avoid: is a y free, and the nearest free y */
class Lanes {
  constructor(
    private groups: { boxes: IndexedBox[]; disjoint: boolean }[],
    private except: string[],
  ) {}

  /** the boxes whose lane margin contains y (open range), at most one per disjoint group */
  private blocking(y: number): IndexedBox[] {
    const out: IndexedBox[] = [];
    for (const g of this.groups) {
      const list = g.boxes;
      if (!g.disjoint) {
        for (const b of list) if (y > top(b) && y < bottom(b) && !this.except.includes(b.id)) out.push(b);
        continue;
      }
      // the last box whose top margin starts below y
      let lo = 0;
      let hi = list.length - 1;
      let at = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (top(list[mid]!) < y) {
          at = mid;
          lo = mid + 1;
        } else hi = mid - 1;
      }
      // (an edge's own end is no obstacle; in a disjoint group nothing else contains y then)
      if (at >= 0 && y < bottom(list[at]!) && !this.except.includes(list[at]!.id)) out.push(list[at]!);
    }
    return out;
  }

  /** the free y nearest to `want` (or, with `down`, the first free y at or below it) */
  freeY(want: number, down: boolean): number {
    let hit = this.blocking(want);
    if (!hit.length) return want;
    // below: past the blocking boxes' bottoms until nothing blocks; above: past their tops
    let below = want;
    let belowBox: IndexedBox | null = null;
    for (; hit.length; hit = this.blocking(below)) {
      for (const b of hit) if (bottom(b) > below || !belowBox) [below, belowBox] = [Math.max(below, bottom(b)), b];
    }
    if (down) return below;
    let above = want;
    let aboveBox: IndexedBox | null = null;
    for (hit = this.blocking(want); hit.length; hit = this.blocking(above)) {
      for (const b of hit) if (top(b) < above || !aboveBox) [above, aboveBox] = [Math.min(above, top(b)), b];
    }
    const dBelow = below - want;
    const dAbove = want - above;
    if (dBelow !== dAbove) return dBelow < dAbove ? below : above;
    // a tie: the lane of the earlier node (a node's bottom lane before its top lane)
    const first = (y: number, edge: (b: Box) => number) =>
      Math.min(...this.groups.flatMap((g) => g.boxes.filter((b) => edge(b) === y && !this.except.includes(b.id)).map((b) => b.order)));
    const ob = first(below, bottom);
    const oa = first(above, top);
    return ob <= oa ? below : above;
  }
}

/** Routes the 'lane' edges on the final node places (see EdgeRoute). */
function routeEdges(nodes: GraphNode[], edges: GraphEdge[], devX0: number): void {
  const boxes = new Map<string, IndexedBox>(
    nodes.map((n, order) => [n.id, { id: n.id, order, x: n.position.x, y: n.position.y, w: LAYOUT.nodeWidth, h: n.height ?? LAYOUT.nodeHeight }]),
  );
  const index = new BoxIndex([...boxes.values()]);
  const gap = LAYOUT.columnGap - LAYOUT.nodeWidth;
  let fwIndex = 0;
  for (const e of edges) {
    if (e.type !== 'lane' || !e.data) continue;
    const s = boxes.get(e.source);
    const t = boxes.get(e.target);
    if (!s || !t) continue;
    const ty = e.targetHandle === MODULE_ALIAS_HANDLE ? t.y + t.h * MODULE_ALIAS_AT : t.y + t.h / 2;
    if (e.data.kind === 'firmware-device') {
      // out of the firmware column in the gap before the device tree, along a lane free of
      // the device columns before the target's, then into the target from the gap before it
      const k = fwIndex++ % 4;
      const sy = s.y + s.h / 2;
      const xa = devX0 - gap / 2 + 4 - 4 * k;
      const xb = t.x - gap / 2 + 4 - 4 * (k % 3);
      const lane = index.query(xa, xb, [e.source, e.target], (b) => b.x >= devX0).freeY(ty, false);
      e.data.route = { points: [[xa, sy], [xa, lane], [xb, lane], [xb, ty]] };
    } else {
      // from under the device along the first free lane below it, up or down in the gap
      // before the target's column; when the row gap under the device is not free all the
      // way, along it to the gap right of the device's column, and from there on a free lane
      const sx = s.x + s.w / 2;
      const sy = s.y + s.h;
      const xb = t.x - (e.data.kind === 'bound-to' ? gap / 3 : (2 * gap) / 3);
      const l1 = sy + BELOW[e.data.kind]!;
      if (index.query(sx, xb, [e.source, e.target]).freeY(l1, true) === l1) {
        e.data.route = { points: [[sx, l1], [xb, l1], [xb, ty]] };
      } else {
        const x1 = s.x + s.w + gap / 2 - (e.data.kind === 'bound-to' ? 4 : 0);
        const l2 = index.query(x1, xb, [e.source, e.target]).freeY(l1, false);
        e.data.route = { points: [[sx, l1], [x1, l1], [x1, l2], [xb, l2], [xb, ty]] };
      }
    }
  }
}

/**
 * The devices whose MODALIAS an alias pattern matches, in device order: a pattern without
 * wildcards is looked up (fnmatch of such a pattern is string equality), one with wildcards
 * is matched against every MODALIAS, parsed once. (Matching every module against every
 * device was quadratic: most of a 2,000-node graph's time.)
 */
class AliasIndex {
  private exact = new Map<string, number[]>();
  /** each device's MODALIAS as kmod looks it up (aliasNormalize: '-' as '_') */
  private readonly keys: (string | null)[];
  constructor(private devices: DeviceView[]) {
    this.keys = devices.map((d) => (d.modalias ? aliasNormalize(d.modalias) : null));
    this.keys.forEach((key, i) => {
      if (key === null) return;
      const list = this.exact.get(key);
      if (list) list.push(i);
      else this.exact.set(key, [i]);
    });
  }

  matching(patterns: string[]): DeviceView[] {
    const hits = new Set<number>();
    for (const raw of patterns) {
      const pattern = aliasNormalize(raw);
      if (!hasWildcard(pattern)) {
        for (const i of this.exact.get(pattern) ?? []) hits.add(i);
        continue;
      }
      const glob = parseGlob(pattern);
      this.keys.forEach((key, i) => {
        if (key !== null && globMatch(glob, key)) hits.add(i);
      });
    }
    return [...hits].sort((a, b) => a - b).map((i) => this.devices[i]!);
  }
}

const KNOWN_TONES = new Set(['platform', 'auxiliary', 'faux']);

export function deviceTone(d: DeviceView): BusTone {
  if (d.bus) return KNOWN_TONES.has(d.bus) ? (d.bus as BusTone) : 'bus';
  return d.class ? 'class' : 'none';
}

export function deviceState(d: DeviceView): NodeState {
  if (!d.bus) return d.class ? 'class' : 'container';
  if (d.deferred) return 'deferred';
  if (!d.driver) return 'unbound';
  return d.bus === 'faux' ? 'faux-bound' : 'bound';
}

function deviceDetail(d: DeviceView, state: NodeState): string {
  const where = d.bus ? `${d.bus} bus` : d.class ? `class ${d.class}` : 'no bus';
  switch (state) {
    case 'bound': return `${where} · bound → ${d.driver}`;
    case 'faux-bound': return `${where} · faux-bound → ${d.driver}`;
    case 'deferred': return `${where} · probe deferred`;
    case 'unbound': return `${where} · unbound`;
    default: return where;
  }
}

function moduleState(m: ModuleView): NodeState {
  return m.location === 'absent' && m.state === 'not-loaded' ? 'absent' : m.state;
}

/** how a module came to be in the kernel, or why it is not (graph node, compare table) */
export function moduleDetail(m: ModuleView): string {
  if (m.state === 'loaded') return m.loadedBy === 'manual' ? 'loaded by hand (modprobe)' : m.loadedBy ? `loaded by alias ${m.loadedBy}` : 'loaded';
  if (m.state === 'builtin') return 'built in (=y)';
  if (m.state === 'failed') return 'init failed';
  if (m.state === 'loading') return m.loadedBy === 'manual' ? 'loading: module_init running (modprobe by hand)' : `loading: module_init running (alias ${m.loadedBy})`;
  return m.location === 'absent' ? 'not loaded · absent from disk' : 'not loaded';
}

/** modules.alias patterns may hold fnmatch wildcards: matched exactly as the engine's kmod does (normalized, then fnmatch) */
export const aliasMatches = aliasMatch;

/**
 * Identity of a graph view: the view fits afresh when it changes (another scenario ran, or
 * the same one on other firmware toggles), and keeps its viewport for steps and user actions.
 */
export function fitKey(scenarioId: string | undefined, variant: unknown): string {
  return `${scenarioId ?? ''}|${JSON.stringify(variant ?? null)}`;
}

/**
 * Positions of every node of a snapshot laid out alone: pass it as FlowOptions.positions
 * (with the same `columns`).
 */
export function layoutPositions(snapshot: SnapshotCore, columns?: FlowColumns, measure?: TextMeasure, heights?: ReadonlyMap<string, number>, compact?: boolean): Map<string, NodePlace> {
  return new Map(
    snapshotToFlow(snapshot, { columns, measure, heights, ...(compact ? { compact } : {}) }).nodes.map((n) => [n.id, { ...n.position, height: n.height ?? LAYOUT.nodeHeight }]),
  );
}

function firmwareDetail(f: FirmwareNodeView): string {
  return Object.entries(f.props).filter(([k]) => k !== 'compatible').map(([k, v]) => `${k} ${v}`).join(' · ') || f.kind;
}

function driverDetail(drv: DriverView): string {
  return `${drv.bus} driver${drv.module ? ` · ${drv.module}` : ' · built-in'}${drv.bindAttrs ? '' : ' · no bind/unbind'}`;
}

export function snapshotToFlow(snapshot: SnapshotCore, options: FlowOptions = {}): FlowGraph {
  const touchedIds = new Set<string>([
    ...(options.touched?.devices ?? []).map(nodeId.device),
    ...(options.touched?.drivers ?? []).map(nodeId.driver),
    ...(options.touched?.modules ?? []).map(nodeId.module),
  ]);
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const measure = options.measure ?? estimateText;
  // a node's height: its text wrapped in the node's width, at least what its slot in the
  // run's layout reserves (so a taller state later in the run never overlaps a neighbour)
  const heights = new Map<string, number>();
  const heightOf = (id: string, label: string, detail: string): number => {
    let h = heights.get(id);
    if (h === undefined) {
      h = options.heights?.get(id) ?? Math.max(nodeHeight(label, detail, measure), options.positions?.get(id)?.height ?? 0);
      heights.set(id, h);
    }
    return h;
  };
  const fwHeight = (f: FirmwareNodeView) => heightOf(nodeId.firmware(f.id), f.label, firmwareDetail(f));
  const devHeight = (d: DeviceView) => heightOf(nodeId.device(d.devpath), d.name, deviceDetail(d, deviceState(d)));
  const drvHeight = (d: DriverView) => heightOf(nodeId.driver(d.id), d.name, driverDetail(d));
  const modHeight = (m: ModuleView) => heightOf(nodeId.module(m.name), m.name, moduleDetail(m));
  // the room a module takes in its column: the tallest text it shows at any step, so the node
  // never grows over the one below it. The run's layout basis holds each module in its latest
  // form: a loaded one was "loading: module_init running" before; one not loaded (or whose init
  // failed) may have been loaded and unloaded (rmmod), by one of its aliases or by hand
  const modRoom = (m: ModuleView) => {
    let room = modHeight(m);
    // a step drawn in a run's layout takes its places from it: the room only ever mattered there
    if (options.positions) return room;
    const other = (state: ModuleView['state'], loadedBy: string | null) => {
      room = Math.max(room, nodeHeight(m.name, moduleDetail({ ...m, state, loadedBy }), measure));
    };
    if (m.state === 'loaded' && m.loadedBy) other('loading', m.loadedBy);
    else if ((m.state === 'not-loaded' || m.state === 'failed') && m.location !== 'absent')
      // the longest aliases make the longest texts: a few are enough (a real module can have hundreds)
      for (const by of ['manual', ...[...m.aliases].sort((x, y) => y.length - x.length).slice(0, 3)]) {
        other('loading', by);
        other('loaded', by);
      }
    return room;
  };
  const summaries = options.summaries;
  /** a collapsed group's summary node, drawn in its column's place */
  const summaryData = (id: string, kind: GraphNodeKind, view: GraphNodeData['view']): GraphNodeData | null => {
    const s = summaries?.get(id);
    if (!s) return null;
    return {
      kind,
      label: s.label,
      detail: s.detail,
      testId: `summary-${s.group}`,
      state: 'summary',
      touched: s.touched === true,
      description: s.description,
      view,
      group: s.group,
      expanded: s.expanded,
    };
  };

  // Column 0: the firmware tree as an indented list (it is mostly a chain: DT / -> /psci ->
  // PSCI -> SMCCC -> services, which would cost a column per level as a tree).
  const showFirmware = options.columns?.firmware !== false;
  const showDrivers = options.columns?.drivers !== false;
  const fw = showFirmware ? flatten(forest(snapshot.firmware, (f) => f.id, (f) => f.parent), fwHeight, LAYOUT.listGap) : [];
  const fwDepth = Math.max(0, ...fw.map((p) => p.depth));

  // Device tree to the right of the firmware column, siblings in the order of the firmware
  // nodes that gave rise to them (or to their descendants), so firmware edges do not cross.
  const devTree = forest(snapshot.devices, (d) => d.devpath, (d) => d.parent);
  // (the device's own firmwareNode counts too: a firmware node's list loses a device that
  // was removed, the device's view in the run's layout basis keeps it, so the order is stable)
  const fwRank = new Map<string, number>();
  const fwIndex = new Map(fw.map((p, i) => [p.item.id, i]));
  fw.forEach((p, i) => p.item.devices.forEach((d) => fwRank.set(d, Math.min(fwRank.get(d) ?? i, i))));
  for (const d of snapshot.devices) {
    const i = d.firmwareNode !== null ? fwIndex.get(d.firmwareNode) : undefined;
    if (i !== undefined) fwRank.set(d.devpath, Math.min(fwRank.get(d.devpath) ?? i, i));
  }
  if (fwRank.size) orderByRank(devTree, (d) => fwRank.get(d.devpath));
  // With a layout for every device (the run's, computed once: in the worker), the tidy-tree
  // pass is skipped: the devices take their places from it.
  const pinned = options.positions;
  const dev = pinned && snapshot.devices.every((d) => pinned.has(nodeId.device(d.devpath)))
    ? placedAt(devTree, pinned, (d) => nodeId.device(d.devpath))
    : layoutForest(devTree, devHeight, LAYOUT.rowGap);
  const devX0 = fw.length ? fwDepth * LAYOUT.fwIndent + LAYOUT.columnGap : 0;
  const devColumns = dev.placed.length ? dev.depth : 0;

  /** centre line of each device (what neighbours in other columns line up with) */
  const deviceY = new Map<string, number>();
  for (const p of dev.placed) deviceY.set(p.item.devpath, p.y + devHeight(p.item) / 2);
  const compact = options.compact === true;
  let devBottom = 0;
  if (compact) for (const p of dev.placed) devBottom = Math.max(devBottom, p.y + devHeight(p.item));

  // Firmware tree: vertically centred on the devices it gave rise to.
  const fwWant = mean(
    fw.flatMap((p) => p.item.devices.map((d) => deviceY.get(d)).filter((y): y is number => y !== undefined)),
  );
  let fwShift = fwWant === null ? 0 : Math.max(0, Math.round(fwWant - mean(fw.map((p) => p.y + fwHeight(p.item) / 2))!));
  if (compact && fw.length) {
    const last = fw[fw.length - 1]!;
    fwShift = Math.max(0, Math.min(fwShift, devBottom - (last.y + fwHeight(last.item))));
  }
  for (const p of fw) {
    const f = p.item;
    nodes.push(
      node(nodeId.firmware(f.id), p.depth * LAYOUT.fwIndent, p.y + fwShift, fwHeight(f), summaryData(nodeId.firmware(f.id), 'firmware', f) ?? {
        kind: 'firmware',
        label: f.label,
        detail: firmwareDetail(f),
        testId: `node-firmware-${f.id}`,
        state: f.kind,
        touched: false,
        description: `firmware node ${f.label} (${f.kind})`,
        view: f,
      }),
    );
    for (const d of f.devices)
      if (deviceY.has(d)) edges.push(edge('firmware-device', nodeId.firmware(f.id), nodeId.device(d)));
  }

  for (const p of dev.placed) {
    const d = p.item;
    const state = deviceState(d);
    const detail = deviceDetail(d, state);
    nodes.push(
      node(nodeId.device(d.devpath), devX0 + p.depth * LAYOUT.columnGap, p.y, devHeight(d), summaryData(nodeId.device(d.devpath), 'device', d) ?? {
        kind: 'device',
        label: d.name,
        detail,
        testId: `node-device-${d.name}`,
        state,
        tone: deviceTone(d),
        touched: touchedIds.has(nodeId.device(d.devpath)),
        description: `device ${d.name}, ${detail}`,
        view: d,
      }),
    );
    if (d.parent !== null && deviceY.has(d.parent) && d.parent !== d.devpath)
      edges.push(edge('parent-child', nodeId.device(d.parent), nodeId.device(d.devpath)));
  }

  // Drivers column, each near the devices bound to it.
  const drvX = devX0 + Math.max(devColumns, 1) * LAYOUT.columnGap;
  const driverY = column(
    snapshot.drivers,
    (drv) => mean(drv.devices.map((d) => deviceY.get(d)).filter((y): y is number => y !== undefined)),
    0,
    drvHeight,
    LAYOUT.listGap,
    compact ? devBottom : undefined,
  );
  for (const drv of showDrivers ? snapshot.drivers : []) {
    nodes.push(
      node(nodeId.driver(drv.id), drvX, driverY.get(drv)!, drvHeight(drv), summaryData(nodeId.driver(drv.id), 'driver', drv) ?? {
        kind: 'driver',
        label: drv.name,
        detail: driverDetail(drv),
        testId: `node-driver-${drv.name}`,
        state: drv.bindAttrs ? 'bind-attrs' : 'no-bind-attrs',
        touched: touchedIds.has(nodeId.driver(drv.id)),
        description: `${drv.bus} driver ${drv.name}, ${drv.devices.length} device(s) bound`,
        view: drv,
      }),
    );
    for (const d of drv.devices)
      if (deviceY.has(d)) edges.push(edge('bound-to', nodeId.device(d), nodeId.driver(drv.id)));
  }


  // Modules column, each near the drivers it provides (without the drivers column: near
  // the devices bound to those drivers, in the drivers' place).
  const yOfDriver = new Map(snapshot.drivers.map((drv) => [drv.id, driverY.get(drv)! + drvHeight(drv) / 2]));
  const driverById = new Map(snapshot.drivers.map((drv) => [drv.id, drv]));
  const modX = showDrivers ? drvX + LAYOUT.columnGap : drvX;
  const boundDevices = (m: ModuleView) =>
    m.drivers.flatMap((id) => driverById.get(id)?.devices ?? []).filter((d) => deviceY.has(d));
  const moduleY = column(
    snapshot.modules,
    (m) =>
      showDrivers
        ? mean(m.drivers.map((id) => yOfDriver.get(id)).filter((y): y is number => y !== undefined))
        : mean(boundDevices(m).map((d) => deviceY.get(d)!)),
    0,
    modHeight,
    LAYOUT.listGap,
    compact ? devBottom : undefined,
    modRoom,
  );
  const aliasIndex = new AliasIndex(dev.placed.map((p) => p.item));
  for (const m of snapshot.modules) {
    nodes.push(
      node(nodeId.module(m.name), modX, moduleY.get(m)!, modHeight(m), summaryData(nodeId.module(m.name), 'module', m) ?? {
        kind: 'module',
        label: m.name,
        detail: moduleDetail(m),
        testId: `node-module-${m.name}`,
        state: moduleState(m),
        touched: touchedIds.has(nodeId.module(m.name)),
        description: `module ${m.name}, ${moduleDetail(m)}`,
        view: m,
      }),
    );
    if (showDrivers) {
      for (const id of m.drivers)
        if (yOfDriver.has(id)) edges.push(edge('module-provides-driver', nodeId.driver(id), nodeId.module(m.name)));
    } else {
      for (const d of boundDevices(m)) edges.push(edge('bound-to', nodeId.device(d), nodeId.module(m.name)));
    }
    // uevent MODALIAS -> alias in modules.alias -> this module loaded; or, for a module not
    // (yet) loaded, a MODALIAS that matches one of its aliases: what udev would modprobe
    const alias = moduleAliasEdge(m);
    if (alias) {
      for (const d of aliasIndex.matching(alias.patterns)) edges.push(edge(alias.kind, nodeId.device(d.devpath), nodeId.module(m.name)));
    }
  }
  for (const e of options.aliasEdges ?? []) edges.push(edge(e.kind, nodeId.device(e.device), nodeId.module(e.module)));

  if (options.positions) {
    const pos = options.positions;
    for (const n of nodes) {
      const p = pos.get(n.id);
      if (p) n.position = { x: p.x, y: p.y };
    }
  }
  // Duplicates in the input (the same devpath listed twice by a driver) give one edge.
  const seen = new Set<string>();
  const unique = edges.filter((e) => !seen.has(e.id) && !!seen.add(e.id));
  routeEdges(nodes, unique, devX0);
  return { nodes, edges: unique };
}
