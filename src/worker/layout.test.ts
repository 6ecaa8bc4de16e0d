import { describe, expect, it } from 'vitest';
import { Simulation } from '../engine';
import type { Snapshot } from '../engine/api';
import { benchScenario } from '../../bench/scenario';
import { changedDevices, collapseStep, planCollapse, SLOT_HEIGHT } from '../ui/graph/collapse';
import { LAYOUT, snapshotToFlow, type GraphNode, type NodePlace } from '../ui/graph/toFlow';
import { computeLayout } from './layout';
import { layoutSteps, unionSnapshot } from './union';

// A generated run (bench/scenario.ts) as the worker lays it out and the UI draws each step.

function run(n: number) {
  const sim = new Simulation(benchScenario(n), { maxEvents: 1e9, maxMillis: 600_000, maxDevices: 1e7 });
  const events = sim.summary().events;
  const basis = unionSnapshot(layoutSteps((i) => events[i]!.kind, sim.lastStep).map((i) => sim.stateAt(i)))!;
  return { sim, events, basis };
}

const boxOf = (n: GraphNode) => ({ x: n.position.x, y: n.position.y, w: n.width ?? LAYOUT.nodeWidth, h: n.height ?? LAYOUT.nodeHeight });

function overlaps(nodes: GraphNode[]): string[] {
  const out: string[] = [];
  const boxes = nodes.map((n) => ({ id: n.id, ...boxOf(n) }));
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i]!;
      const b = boxes[j]!;
      if (a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h) out.push(`${a.id} × ${b.id}`);
    }
  return out;
}

describe('the collapsed layout of a generated run', () => {
  const n = 300;
  const { sim, events, basis } = run(n);
  const layout = computeLayout(basis, [], events);
  const positions = new Map<string, NodePlace>(layout.places.map(([id, x, y, height]) => [id, { x, y, height }]));
  const plan = planCollapse(basis, [], layout.needs);

  it('reserves only the rows the run needs, and lays the basis out compactly', () => {
    expect(plan.groups.length).toBeGreaterThan(0);
    const platform = plan.byKey.get('devices:/devices/platform')!;
    // one device at a time is touched in this run; its auxiliary child is one column to the right
    expect(platform.slots).toHaveLength(1);
    expect(platform.depth).toBe(1);
    expect(platform.head.size).toBe(1);
  });

  it('lays out the basis of a larger run so that it fits a 1280×720 window at zoom 0.5 or more', () => {
    const big = run(1200);
    const places = computeLayout(big.basis, [], big.events).places;
    let [right, bottom] = [0, 0];
    for (const [, x, y, h] of places) [right, bottom] = [Math.max(right, x + LAYOUT.nodeWidth), Math.max(bottom, y + h)];
    // the graph's box at 1280×720 with the event panel open: about 1224×370 px inside the fit padding
    expect(Math.min(1224 / right, 370 / bottom)).toBeGreaterThanOrEqual(0.5);
  });

  it('draws no two nodes over each other, keeps every node in its place and draws what each event touches', () => {
    const slotPlaces = new Set([...positions].filter(([id]) => id.includes('+slot')).map(([, p]) => `${p.x},${p.y}`));
    let prev: Snapshot | null = null;
    const selected = 'device:/devices/platform/ip21';
    let spotlit = 0;
    for (let step = 0; step <= sim.lastStep; step++) {
      const snap = sim.stateAt(step);
      const touched = events[step]!.touches;
      const view = collapseStep(snap, plan, positions, { touched, selected, changed: changedDevices(prev, snap) });
      prev = snap;
      const flow = snapshotToFlow(view.snapshot, { positions: view.positions, summaries: view.summaries, heights: view.heights, touched });
      expect(overlaps(flow.nodes), `step ${step}`).toEqual([]);
      const drawn = new Set(flow.nodes.map((x) => x.id));
      for (const node of flow.nodes) {
        const p = positions.get(node.id);
        if (p) expect(node.position, `${node.id} at step ${step}`).toEqual({ x: p.x, y: p.y });
        else {
          // a spotlit node: in a reserved row of its group, no taller than the row
          expect(slotPlaces.has(`${node.position.x},${node.position.y}`), `${node.id} at step ${step}`).toBe(true);
          expect(node.height!).toBeLessThanOrEqual(SLOT_HEIGHT);
          spotlit++;
        }
      }
      for (const d of touched.devices ?? []) if (snap.devices.some((x) => x.devpath === d)) expect(drawn.has(`device:${d}`), `${d} at step ${step}`).toBe(true);
      for (const d of touched.drivers ?? []) if (snap.drivers.some((x) => x.id === d)) expect(drawn.has(`driver:${d}`), `${d} at step ${step}`).toBe(true);
      for (const m of touched.modules ?? []) expect(drawn.has(`module:${m}`), `${m} at step ${step}`).toBe(true);
    }
    expect(spotlit).toBeGreaterThan(100);
  }, 120_000);
});
