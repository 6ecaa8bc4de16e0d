import { describe, expect, it } from 'vitest';
import { Simulation, getBuiltinScenario, listBuiltins } from '../engine';
import type { Snapshot } from '../engine/api';
import { benchScenario } from '../../bench/scenario';
import { DeviceTally, changedDevices, collapseNeeds, collapseStep, planCollapse, reserveRows, SLOT_HEIGHT, type CollapsePlan } from '../ui/graph/collapse';
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

  it("is the same from the run's distinct touches as from every event, and its one plan (rows reserved after the count) is the plan the UI makes", () => {
    const distinct = [...sim.distinctTouches()].map((touches) => ({ touches }));
    expect(distinct.length).toBeLessThan(events.length);
    expect(computeLayout(basis, [], distinct, true)).toEqual({ ...layout, ms: expect.any(Number) });
    const open = ['devices:/devices/platform'];
    const opened = computeLayout(basis, open, events);
    expect(computeLayout(basis, open, distinct, true)).toEqual({ ...opened, ms: expect.any(Number) });
    const again = planCollapse(basis, [], layout.needs);
    const made = reserveRows(planCollapse(basis, []), layout.needs!);
    expect(made.groups).toEqual(again.groups);
    expect([...made.basisRep].map(([p, h]) => [p, h.group.key, h.member])).toEqual([...again.basisRep].map(([p, h]) => [p, h.group.key, h.member]));
    expect([...made.visibleDevices]).toEqual([...again.visibleDevices]);
  });

  it("counts a device's part once from rows that number their device (Simulation.distinctTouchRows), as from every event", () => {
    const big = run(1200);
    const rows = () => big.sim.distinctTouchRows();
    let numbered = 0;
    for (const r of rows()) if (r.device >= 0) numbered++;
    expect(numbered).toBeGreaterThan(1000); // most rows name one device
    const whole = planCollapse(big.basis, []);
    const keys = ['', ...whole.groups.map((g) => g.key)];
    for (const open of keys) {
      const expanded = open ? [open] : [];
      const fromEvents = collapseNeeds(planCollapse(big.basis, expanded), big.events);
      expect(collapseNeeds(planCollapse(big.basis, expanded), rows(), true), open).toEqual(fromEvents);
    }
    // the same again when a device's rows are not all alike: drivers hidden and shown
    const layoutRows = computeLayout(big.basis, [], rows(), true);
    expect(layoutRows).toEqual({ ...computeLayout(big.basis, [], big.events), ms: expect.any(Number) });
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

  it('keeps the summaries\' counts from the changed records equal to a full recount at every step, forward, back and at jumps', () => {
    const tally = new DeviceTally(plan);
    const groups = plan.groups.filter((g) => g.kind === 'device');
    const counts = (t: DeviceTally) => groups.map((g) => t.of(g));
    const check = (step: number, prev: Snapshot | null, selected: string | null) => {
      const snap = sim.stateAt(step);
      const spot = { touched: events[step]!.touches, selected, changed: changedDevices(prev, snap) };
      const kept = collapseStep(snap, plan, positions, spot, tally);
      const fresh = new DeviceTally(plan);
      expect(fresh.count(snap.devices), `step ${step}`).toBe(true);
      expect(counts(tally), `step ${step}`).toEqual(counts(fresh));
      // the same drawing as one pass over every device (summaries' text, the drivers summary's edges)
      expect(kept, `step ${step}`).toEqual(collapseStep(snap, plan, positions, spot));
      return snap;
    };
    let prev: Snapshot | null = null;
    let hidden = 0;
    for (let step = 0; step <= sim.lastStep; step++) {
      prev = check(step, prev, step % 3 ? null : 'device:/devices/platform/ip21');
      hidden += counts(tally).reduce((sum, t) => sum + t.stats.hidden, 0);
    }
    expect(hidden).toBeGreaterThan(0);
    for (let step = sim.lastStep; step >= 0; step -= 7) prev = check(step, prev, null);
    let seed = 7;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let k = 0; k < 200; k++) {
      const step = Math.floor(rnd() * (sim.lastStep + 1));
      prev = check(step, prev, null);
      if (step < sim.lastStep) prev = check(step + 1, prev, null);
    }
  }, 120_000);

  it('counts a list in no known order in one pass, as collapseStep does without a tally', () => {
    const snap = sim.stateAt(sim.lastStep);
    const shuffled: Snapshot = { ...snap, devices: [...snap.devices].reverse() };
    const tally = new DeviceTally(plan as CollapsePlan);
    expect(tally.count(shuffled.devices)).toBe(false);
    expect(collapseStep(shuffled, plan, positions, {}, tally)).toEqual(collapseStep(shuffled, plan, positions, {}));
  });
});


describe('the built-in designs as the graph draws them: the run\'s layout, each step\'s heights', () => {
  /** overlapping nodes at any step of a run, laid out as the worker lays out its basis */
  function overlapsInRun(sim: Simulation, name: string, found: string[]): number {
    const events = sim.summary().events;
    const basis = unionSnapshot(layoutSteps((i) => events[i]!.kind, sim.lastStep).map((i) => sim.stateAt(i)))!;
    const layout = computeLayout(basis, [], events);
    const positions = new Map<string, NodePlace>(layout.places.map(([id, x, y, height]) => [id, { x, y, height }]));
    let loadingSteps = 0;
    for (let step = 0; step <= sim.lastStep; step++) {
      const snap = sim.stateAt(step);
      if (snap.modules.some((m) => m.state === 'loading')) loadingSteps++;
      for (const o of overlaps(snapshotToFlow(snap, { positions }).nodes)) found.push(`${name} step ${step}: ${o}`);
    }
    return loadingSteps;
  }

  it('draws no two nodes over each other at any step after an rmmod (the module, not loaded at the end, keeps the room it took while loaded)', () => {
    const found: string[] = [];
    let runs = 0;
    for (const b of listBuiltins()) {
      const base = new Simulation(getBuiltinScenario(b.id));
      const loaded = base.stateAt(base.lastStep).modules.find((m) => m.state === 'loaded' && m.loadedBy && m.loadedBy !== 'manual');
      if (!loaded) continue;
      const sim = new Simulation(base.withAction({ op: 'rmmod', module: loaded.name }, base.lastStep));
      expect(sim.errors).toEqual([]);
      expect(sim.stateAt(sim.lastStep).modules.find((m) => m.name === loaded.name)?.state).toBe('not-loaded');
      runs++;
      overlapsInRun(sim, `${b.id} + rmmod ${loaded.name}`, found);
    }
    expect(runs).toBeGreaterThan(50);
    expect(found.slice(0, 5)).toEqual([]);
  }, 60_000);

  it('draws no two nodes over each other at any step (a loaded module keeps room for its "loading" text)', () => {
    const found: string[] = [];
    let loadingSteps = 0;
    for (const b of listBuiltins()) {
      const sim = new Simulation(getBuiltinScenario(b.id));
      loadingSteps += overlapsInRun(sim, b.id, found);
    }
    expect(loadingSteps).toBeGreaterThan(100);
    expect(found.slice(0, 5)).toEqual([]);
  }, 60_000);
});
