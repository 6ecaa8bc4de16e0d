import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import {
  Background,
  Controls,
  ReactFlow,
  ReactFlowProvider,
  getViewportForBounds,
  Position,
  useReactFlow,
  useStoreApi,
  type EdgeTypes,
  type NodeTypes,
} from '@xyflow/react';
import type { TraceEvent } from '../../engine/api';
import type { SnapshotCore } from '../../worker/protocol';
import { BindscopeNode } from './BindscopeNode';
import { LaneEdge } from './LaneEdge';
import { Legend, LegendToggle } from './Legend';
import { DEVICE_LOWER_HANDLE, LAYOUT, MODULE_ALIAS_AT, MODULE_ALIAS_HANDLE, layoutPositions, snapshotToFlow, type FlowColumns, type GraphEdge, type GraphNode, type TextMeasure } from './toFlow';
import { graphSources, type GraphSource } from './graphSources';
import { canvasMeasure } from './measure';
import { DeviceTally, changedDevices, collapseStep, collapsedBasis, planCollapse } from './collapse';
import type { RunLayout } from '../../worker/protocol';

/** node text measured as the browser draws it (canvas, the node fonts), for node heights */
const browserMeasure: TextMeasure | undefined = (() => {
  if (typeof document === 'undefined') return undefined;
  const ctx = document.createElement('canvas').getContext('2d');
  return ctx ? canvasMeasure(ctx) : undefined;
})();

/** graphs with more nodes than this draw only the nodes and edges in view (React Flow's onlyRenderVisibleElements) */
const RENDER_VISIBLE_FROM = 300;

const nodeTypes: NodeTypes = { bindscope: BindscopeNode };
const edgeTypes: EdgeTypes = { lane: LaneEdge };

/** room around a fitted graph; on the left, the zoom controls' width, so they never cover a node */
const FIT_PADDING = { left: '46px', right: '10px', top: '14px', bottom: '12px' } as const;

interface Props {
  snapshot: SnapshotCore;
  /** every node of the run, laid out once so nodes keep their place between steps */
  basis: SnapshotCore | null;
  /** the basis laid out in the worker (default columns): used instead of laying it out here */
  layout?: RunLayout | null;
  touched: TraceEvent['touches'] | undefined;
  selected: string | null;
  onSelect(nodeId: string | null): void;
  /** a summary node of a collapsed group was activated (graph/collapse.ts): expand or collapse the group */
  onToggleGroup?(group: string): void;
  /** pan to what the current event touched */
  follow: boolean;
  label: string;
  testId?: string;
  showLegend?: boolean;
  /** a caption drawn above the graph (not over it: it never hides a node) */
  caption?: ReactNode;
  /** leave out the firmware or drivers column (see FlowColumns) */
  columns?: FlowColumns;
  /** fitting never zooms in beyond this (two graphs side by side keep one text size) */
  maxFitZoom?: number;
  /** fitting never zooms out beyond this (presentation: labels stay large on screen) */
  minFitZoom?: number;
  /**
   * Node ids to zoom to (presentation mode), with a smooth transition whenever `focusKey`
   * changes; nodes not drawn at this step are skipped (then the touched nodes, then all).
   */
  focus?: string[];
  focusKey?: string;
  /** no selection, no pan or zoom by hand (presentation: a click advances the slides) */
  interactive?: boolean;
}

/** React Flow's handle size (its style.css: 6 px, centred on the node's edge) */
const HANDLE = 6;

/**
 * Where BindscopeNode's handles are, as React Flow measures them (its style.css places each on
 * the middle of its side; the module's alias handle at MODULE_ALIAS_AT of its height), in the
 * order they are in the DOM. Given with the node, React Flow draws the node and its edges in the
 * same commit; without them it hides a new node and leaves out its edges until its
 * ResizeObserver has measured it, and then renders and lays the page out once more (at a jump,
 * a frame that held up the next step's answer). Its own measurement still follows and finds
 * the same places.
 */
export function nodeHandles(n: GraphNode): NonNullable<GraphNode['handles']> {
  const w = n.width ?? LAYOUT.nodeWidth;
  const h = n.height ?? LAYOUT.nodeHeight;
  // the handle's centre: on the middle of its side, or at `along` of the left side's height
  const at = (type: 'source' | 'target', position: Position, id: string | null = null, along = 0.5) => {
    const [x, y] = position === Position.Left ? [0, h * along] : position === Position.Right ? [w, h * along] : position === Position.Top ? [w / 2, 0] : [w / 2, h];
    return { id, type, position, x: x - HANDLE / 2, y: y - HANDLE / 2, width: HANDLE, height: HANDLE };
  };
  const out = [];
  if (n.targetPosition) out.push(at('target', n.targetPosition));
  if (n.sourcePosition) out.push(at('source', n.sourcePosition));
  if (n.data.kind === 'device') out.push(at('source', Position.Bottom, DEVICE_LOWER_HANDLE));
  if (n.data.kind === 'module') out.push(at('target', Position.Left, MODULE_ALIAS_HANDLE, MODULE_ALIAS_AT));
  return out;
}

/** the same drawing: place, size, selection and every data field (the engine view by identity: unchanged records keep it, delta.ts) */
function sameNode(a: GraphNode, b: GraphNode): boolean {
  if (a.position.x !== b.position.x || a.position.y !== b.position.y || a.height !== b.height || a.width !== b.width) return false;
  if (!!a.selected !== !!b.selected || a.className !== b.className || a.ariaLabel !== b.ariaLabel) return false;
  const da = a.data as Record<string, unknown>;
  const db = b.data as Record<string, unknown>;
  const keys = Object.keys(da);
  return keys.length === Object.keys(db).length && keys.every((k) => da[k] === db[k]);
}

function sameEdge(a: GraphEdge, b: GraphEdge): boolean {
  if (a.source !== b.source || a.target !== b.target || a.className !== b.className || a.type !== b.type) return false;
  if (a.sourceHandle !== b.sourceHandle || a.targetHandle !== b.targetHandle || a.data?.kind !== b.data?.kind) return false;
  const pa = a.data?.route?.points ?? [];
  const pb = b.data?.route?.points ?? [];
  return pa.length === pb.length && pa.every((p, i) => p[0] === pb[i]![0] && p[1] === pb[i]![1]);
}

/** the fit transition of presentation mode (ms) */
export const FOCUS_DURATION_MS = 600;

function Graph({ snapshot, basis, layout, touched, selected, onSelect, onToggleGroup, follow, label, testId, showLegend = true, caption, columns, maxFitZoom = 2, minFitZoom, focus, focusKey, interactive = true }: Props) {
  const defaultColumns = !columns || (columns.firmware !== false && columns.drivers !== false);
  const workerLayout = layout && defaultColumns ? layout : null;
  // large sibling groups collapsed (graph/collapse.ts): the same plan as the worker's layout (of the groups it was made for)
  const plan = useMemo(() => planCollapse(basis, workerLayout?.expanded ?? [], workerLayout?.needs), [basis, workerLayout]);
  const positions = useMemo(() => {
    if (!basis) return undefined;
    if (workerLayout) return new Map(workerLayout.places.map(([id, x, y, height]) => [id, { x, y, height }]));
    const t0 = performance.now();
    const cb = collapsedBasis(basis, plan);
    const p = layoutPositions(cb.snapshot, columns, browserMeasure, cb.heights.size ? cb.heights : undefined, plan.groups.length > 0);
    // read by the benchmark (bench/ui.ts): a layout computed on the main thread
    performance.measure('bindscope:layout', { start: t0, detail: { nodes: p.size } });
    return p;
  }, [basis, workerLayout, plan, columns]);
  // devices whose state changed since the step before stay drawn when their group is collapsed
  const prevSnapshot = useRef<SnapshotCore | null>(null);
  const changed = useMemo(() => {
    const c = plan.groups.length ? changedDevices(prevSnapshot.current, snapshot) : [];
    prevSnapshot.current = snapshot;
    return c;
  }, [plan, snapshot]);
  // the summaries' counts, kept from the devices that changed since the snapshot counted before
  const tally = useMemo(() => new DeviceTally(plan), [plan]);
  const view = useMemo(() => collapseStep(snapshot, plan, positions, { touched, selected, changed }, tally), [snapshot, plan, positions, touched, selected, changed, tally]);
  const flow = useMemo(
    () =>
      snapshotToFlow(view.snapshot, {
        positions: view.positions,
        touched,
        columns,
        measure: browserMeasure,
        ...(view.summaries.size ? { summaries: view.summaries, heights: view.heights, aliasEdges: view.aliasEdges } : {}),
      }),
    [view.snapshot, view.positions, view.summaries, view.heights, view.aliasEdges, touched, columns],
  );
  // The view fits the whole run (every node of the layout basis), not the step on screen:
  // stepping never needs another fit, so zoom and pan stay put while stepping.
  const bounds = useMemo(() => {
    const places = positions
      ? [...positions.values()].map((p) => ({ x: p.x, y: p.y, h: p.height ?? LAYOUT.nodeHeight }))
      : flow.nodes.map((n) => ({ x: n.position.x, y: n.position.y, h: n.height ?? LAYOUT.nodeHeight }));
    if (!places.length) return null;
    // loops, not Math.min(...): a spread of 100k arguments overflows the stack
    let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const p of places) {
      x0 = Math.min(x0, p.x);
      y0 = Math.min(y0, p.y);
      x1 = Math.max(x1, p.x + LAYOUT.nodeWidth);
      y1 = Math.max(y1, p.y + p.h);
    }
    return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
  }, [positions, flow]);
  const fitOptions = useMemo(() => ({ padding: FIT_PADDING, maxZoom: maxFitZoom, ...(minFitZoom ? { minZoom: minFitZoom } : {}) }), [maxFitZoom, minFitZoom]);
  // A step rebuilds every node and edge object; the ones that did not change are given back as
  // the objects React Flow already holds, so it neither re-renders nor re-measures them (each
  // new node object costs React Flow a measurement: 2 s a step at 2,000 nodes).
  const keptNodes = useRef<Kept<GraphNode>>({ byId: new Map(), list: [] });
  const keptEdges = useRef<Kept<GraphEdge>>({ byId: new Map(), list: [] });
  const nodes = useMemo(
    () => keepUnchanged(keptNodes.current, flow.nodes.map((n) => ({ ...n, handles: nodeHandles(n), ...(n.id === selected ? { selected: true } : {}) })), sameNode),
    [flow, selected],
  );
  // the same edge array: React Flow does not rebuild its connection lookup (a third of a step's time at 2,000 nodes)
  const edges = useMemo(() => keepUnchanged(keptEdges.current, flow.edges, sameEdge), [flow]);
  const [legendOpen, setLegendOpen] = useState(false);
  const rf = useReactFlow();
  const store = useStoreApi();
  const first = useRef(true);
  const box = useRef<HTMLDivElement>(null);
  const selectedRef = useRef(selected);
  selectedRef.current = selected;
  const flowRef = useRef(flow);
  flowRef.current = flow;
  const boundsRef = useRef(bounds);
  boundsRef.current = bounds;

  /** fits the whole run into the box; with `floor`, never zooms out below it (returns false then) */
  const fitAll = useRef((floor?: number): boolean => {
    const b = boundsRef.current;
    const { width, height } = store.getState();
    if (!b || !width || !height) return true;
    const vp = getViewportForBounds(b, width, height, 0.1, maxFitZoomRef.current, FIT_PADDING);
    if (floor !== undefined && vp.zoom < floor) return false;
    void rf.setViewport(vp);
    return true;
  });
  const maxFitZoomRef = useRef(maxFitZoom);
  maxFitZoomRef.current = maxFitZoom;

  // the first fit, once the box has its size
  useEffect(() => {
    let frame = 0;
    const tryFit = () => {
      const { width, height } = store.getState();
      if (width && height) fitAll.current();
      else frame = requestAnimationFrame(tryFit);
    };
    tryFit();
    return () => cancelAnimationFrame(frame);
  }, [store]);

  // Presentation: zoom to the stop's focus nodes, smoothly, each time the stop changes
  // (and when the box is resized: the focus stays in view).
  const focusRef = useRef({ focus, focusKey });
  focusRef.current = { focus, focusKey };
  const fitNow = useCallback(
    (duration: number) => {
      const { focus: want, focusKey: key } = focusRef.current;
      if (key === undefined) return void fitAll.current();
      const drawn = new Set(flowRef.current.nodes.map((n) => n.id));
      let ids = (want ?? []).filter((id) => drawn.has(id));
      if (!ids.length) ids = flowRef.current.nodes.filter((n) => n.data.touched).map((n) => n.id);
      // nothing named, nothing touched: the devices (the firmware and module columns are context)
      if (!ids.length) ids = flowRef.current.nodes.filter((n) => n.data.kind === 'device').map((n) => n.id);
      // focus nodes too far apart to fit at the smallest zoom allowed: keep the first ones (listed first = most important)
      const minZoom = fitOptions.minZoom;
      if (minZoom && ids.length > 1 && (want ?? []).length) {
        const { width, height } = store.getState();
        while (ids.length > 1) {
          const b = rf.getNodesBounds(ids);
          if (b.width * minZoom <= width * 0.94 && b.height * minZoom <= height * 0.94) break;
          ids = ids.slice(0, -1);
        }
      }
      void rf.fitView({ ...fitOptions, padding: 0.12, ...(ids.length ? { nodes: ids.map((id) => ({ id })) } : {}), duration });
    },
    [rf, fitOptions, store],
  );
  useEffect(() => {
    if (focusKey === undefined) return;
    const t = setTimeout(() => fitNow(FOCUS_DURATION_MS), 30);
    return () => clearTimeout(t);
  }, [focusKey, fitNow]);

  // Image export (exportImage.ts) finds this graph by its test id.
  useEffect(() => {
    const id = testId ?? 'device-graph';
    const source: GraphSource = () => {
      const viewport = box.current?.querySelector<HTMLElement>('.react-flow__viewport');
      return viewport ? { viewport, nodes: rf.getNodes() } : null;
    };
    graphSources.set(id, source);
    return () => {
      if (graphSources.get(id) === source) graphSources.delete(id);
    };
  }, [rf, testId]);

  // Fit again when the graph's box changes size (editor opened, compare table shown, window
  // resized, event panel resized). While a node is selected (its details panel opened or
  // closed beside the graph) the zoom stays: selecting never shrinks the text; the view
  // pans only if the selected node would leave it.
  useEffect(() => {
    const el = box.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    let last = { w: el.clientWidth, h: el.clientHeight };
    let timer: ReturnType<typeof setTimeout> | undefined;
    /**
     * keeps the zoom; shows as much of the graph from its left edge as the box allows, moved
     * only as far as needed to keep the selected node in view (the details panel opens on the right)
     */
    const keepSelectedInView = () => {
      const n = flowRef.current.nodes.find((x) => x.id === selectedRef.current);
      const b = boundsRef.current;
      if (!n || !b) return;
      const { width, height, transform } = store.getState();
      const [tx0, ty0, zoom] = transform;
      const h = n.height ?? LAYOUT.nodeHeight;
      const left = 46; // FIT_PADDING.left
      // from the graph's left edge, unless that hides the node on the right
      let tx = Math.min(left - b.x * zoom, width - 10 - (n.position.x + LAYOUT.nodeWidth) * zoom);
      tx = Math.max(tx, left - n.position.x * zoom);
      let ty = ty0;
      if (n.position.y * zoom + ty < 0 || (n.position.y + h) * zoom + ty > height) ty = height / 2 - (n.position.y + h / 2) * zoom;
      if (tx !== tx0 || ty !== ty0) void rf.setViewport({ x: tx, y: ty, zoom });
    };
    const ro = new ResizeObserver(() => {
      const now = { w: el.clientWidth, h: el.clientHeight };
      if (Math.abs(now.w - last.w) < 8 && Math.abs(now.h - last.h) < 8) return;
      const grew = now.w >= last.w && now.h >= last.h;
      last = now;
      clearTimeout(timer);
      timer = setTimeout(() => {
        // presentation: keep the stop's focus in view
        if (focusRef.current.focusKey !== undefined) fitNow(0);
        else if (selectedRef.current && !grew) keepSelectedInView();
        else if (selectedRef.current) {
          if (!fitAll.current(rf.getZoom())) keepSelectedInView();
        } else fitAll.current();
      }, 50);
    });
    ro.observe(el);
    return () => {
      clearTimeout(timer);
      ro.disconnect();
    };
  }, [rf, store, fitNow]);

  // A group expanded or collapsed: its summary node moves with the new layout; keep it in view (same zoom).
  const toggled = useRef<string | null>(null);
  const toggle = useCallback((group: string) => {
    toggled.current = group;
    onToggleGroup?.(group);
  }, [onToggleGroup]);
  useEffect(() => {
    const group = toggled.current;
    if (!group) return;
    const n = flow.nodes.find((x) => x.data.group === group);
    if (!n || n.data.expanded !== plan.byKey.get(group)?.expanded) return;
    toggled.current = null;
    const { width, height, transform } = store.getState();
    const [tx, ty, zoom] = transform;
    const x = n.position.x * zoom + tx;
    const y = n.position.y * zoom + ty;
    const h = (n.height ?? LAYOUT.nodeHeight) * zoom;
    if (x >= 0 && y >= 0 && x + LAYOUT.nodeWidth * zoom <= width && y + h <= height) return;
    void rf.setCenter(n.position.x + LAYOUT.nodeWidth / 2, n.position.y + (n.height ?? LAYOUT.nodeHeight) / 2, { zoom, duration: 0 });
  }, [flow, plan, rf, store]);

  // Follow the current event: pan (keeping the zoom) when what it touched is off screen.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    if (!follow) return;
    const hit = flow.nodes.filter((n) => n.data.touched);
    if (!hit.length) return;
    const { width, height, transform } = store.getState();
    const [tx, ty, zoom] = transform;
    const visible = hit.every((n) => {
      const x = n.position.x * zoom + tx;
      const y = n.position.y * zoom + ty;
      return x >= 0 && y >= 0 && x + LAYOUT.nodeWidth * zoom <= width && y + (n.height ?? LAYOUT.nodeHeight) * zoom <= height;
    });
    if (visible) return;
    const cx = hit.reduce((s, n) => s + n.position.x, 0) / hit.length + LAYOUT.nodeWidth / 2;
    const cy = hit.reduce((s, n) => s + n.position.y + (n.height ?? LAYOUT.nodeHeight) / 2, 0) / hit.length;
    void rf.setCenter(cx, cy, { zoom, duration: 250 });
  }, [flow, follow, rf, store]);

  return (
    <div className="bs-graphbox">
    {(caption || showLegend) && (
      <div className="bs-caption">
        {showLegend && <LegendToggle open={legendOpen} onToggle={() => setLegendOpen(!legendOpen)} />}
        {caption}
      </div>
    )}
    <div className="bs-graphrow">
    <div className="bs-graph" ref={box} data-testid={testId ?? 'device-graph'} role="figure" aria-label={label}>
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        minZoom={0.1}
        maxZoom={Math.max(2, maxFitZoom)}
        panOnDrag={interactive}
        zoomOnScroll={interactive}
        zoomOnDoubleClick={interactive}
        elementsSelectable={interactive}
        nodesDraggable={false}
        nodesConnectable={false}
        edgesFocusable={false}
        onlyRenderVisibleElements={flow.nodes.length > RENDER_VISIBLE_FROM}
        // a summary node is toggled by its select change alone (a click reports both)
        onNodeClick={(_, node) => void (node.data.group || onSelect(node.id))}
        // keyboard: Tab to a node, Enter selects it (React Flow reports it as a select change)
        onNodesChange={(changes) => {
          for (const c of changes) {
            if (c.type !== 'select' || !c.selected || c.id === selected) continue;
            const group = flowRef.current.nodes.find((n) => n.id === c.id)?.data.group;
            if (group) toggle(group);
            else onSelect(c.id);
          }
        }}
        onPaneClick={() => onSelect(null)}
        proOptions={{ hideAttribution: false }}
      >
        <Background gap={24} />
        {interactive && <Controls showInteractive={false} />}
      </ReactFlow>
    </div>
    {showLegend && legendOpen && <Legend />}
    </div>
    </div>
  );
}

/** Renders a snapshot with React Flow. Layout comes from snapshotToFlow (pure). */
export function DeviceGraph(props: Props) {
  return (
    <ReactFlowProvider>
      <Graph {...props} />
    </ReactFlowProvider>
  );
}

/** the objects handed to React Flow last time, by id, and the array */
interface Kept<T extends { id: string }> {
  byId: Map<string, T>;
  list: T[];
}

/**
 * The new list with every item that did not change replaced by the object React Flow already
 * holds, and the previous array itself when nothing changed at all (React Flow then walks
 * nothing). Updates `kept` for the next step.
 */
function keepUnchanged<T extends { id: string }>(kept: Kept<T>, next: T[], same: (a: T, b: T) => boolean): T[] {
  const now = new Map<string, T>();
  const out = next.map((x) => {
    const p = kept.byId.get(x.id);
    const keep = p && same(p, x) ? p : x;
    now.set(x.id, keep);
    return keep;
  });
  const unchanged = out.length === kept.list.length && out.every((x, i) => x === kept.list[i]);
  kept.byId = now;
  if (!unchanged) kept.list = out;
  return kept.list;
}
