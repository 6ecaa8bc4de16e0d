/**
 * The graph's layout for a run, computed in the engine worker (off the UI thread): every node
 * of the run's layout basis placed once (toFlow.ts layoutPositions, the default columns), its
 * text measured on an OffscreenCanvas at the node fonts. Loaded by the worker on its first run
 * as a chunk of its own (d3-hierarchy and the layout code stay out of the engine's chunk).
 */
import type { SnapshotCore } from './protocol';
import { estimateText, layoutPositions, type TextMeasure } from '../ui/graph/toFlow';
import { collapseNeeds, collapsedBasis, planCollapse, reserveRows } from '../ui/graph/collapse';
import type { TraceEvent } from '../engine/api';
import { canvasMeasure } from '../ui/graph/measure';
import type { RunLayout } from './protocol';

let measure: TextMeasure | null = null;
function workerMeasure(): TextMeasure {
  if (measure) return measure;
  const ctx = typeof OffscreenCanvas === 'undefined' ? null : new OffscreenCanvas(1, 1).getContext('2d');
  measure = ctx ? canvasMeasure(ctx) : estimateText;
  return measure;
}

/**
 * The basis laid out with its large sibling groups collapsed (ui/graph/collapse.ts), but for
 * those in `expanded`: the UI applies the same plan (with the same `needs`) to each step's
 * snapshot. `events`: the run's, for the reserved rows each group needs (collapseNeeds);
 * `distinctTouches`: they give each touches object once.
 */
export function computeLayout(basis: SnapshotCore, expanded: string[] = [], events: Iterable<Pick<TraceEvent, 'touches'> & { device?: number }> = [], distinctTouches = false): RunLayout {
  const t0 = performance.now();
  // the plan the UI makes with the needs (planCollapse(basis, expanded, needs)): made once, its rows reserved when the needs are counted
  const plan = planCollapse(basis, expanded);
  const needs = plan.groups.length ? collapseNeeds(plan, events, distinctTouches) : undefined;
  const { snapshot, heights } = collapsedBasis(basis, needs ? reserveRows(plan, needs) : plan);
  const positions = layoutPositions(snapshot, undefined, workerMeasure(), heights, snapshot !== basis);
  const places: RunLayout['places'] = [];
  for (const [id, p] of positions) places.push([id, p.x, p.y, p.height ?? 0]);
  return { places, ms: performance.now() - t0, expanded: [...expanded], ...(needs ? { needs } : {}) };
}
