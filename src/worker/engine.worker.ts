/**
 * Web Worker entry: exposes the (pure) engine to the UI thread through Comlink.
 * Holds one Simulation per slot; errors thrown here reach the caller as rejected
 * promises (Comlink serialises Error objects).
 */
import * as Comlink from 'comlink';
import {
  DEFAULT_SCENARIO_ID,
  STANDARD_VARIANTS,
  Simulation,
  applyVariant,
  currentVariant,
  getBuiltinScenario,
  listBuiltins,
  validateScenario,
} from '../engine/index';
import type { EngineWire, RunInfo, Slot } from './protocol';
import { layoutSteps, moduleChanges, unionSnapshot } from './union';
import { validateAll } from './validateAll';
import { deltaRecords, diffSnapshot, type SnapshotDelta } from './delta';
import type { Snapshot } from '../engine/index';

const sims = new Map<Slot, Simulation>();
/** each slot's last layout basis (a new layout when the user expands or collapses a group) */
const bases = new Map<Slot, Snapshot | null>();
/** each slot's run events (what each event touches: the collapsed groups' reserved rows, layout.ts) */
const runEvents = new Map<Slot, RunInfo['summary']['events']>();
/** the import chunk, once a first import asked for it */
let importer: Promise<typeof import('./importFiles')> | null = null;

/** the last snapshots sent per slot, by id (the UI holds as many: engineClient.ts HELD) */
const SENT_KEPT = 4;
const sent = new Map<Slot, Map<number, Snapshot>>();
let nextId = 1;

function snapshotDelta(step: number, slot: Slot, held: number[]): SnapshotDelta {
  const t0 = performance.now();
  const snap = simulation(slot).stateAt(step);
  const t1 = performance.now();
  const mine = sent.get(slot) ?? new Map<number, Snapshot>();
  sent.set(slot, mine);
  const base = held.filter((id) => mine.has(id)).sort((a, b) => b - a)[0] ?? null;
  const id = nextId++;
  const delta = diffSnapshot(base === null ? null : mine.get(base)!, base, snap, id);
  mine.set(id, snap);
  for (const old of [...mine.keys()].sort((a, b) => a - b).slice(0, Math.max(0, mine.size - SENT_KEPT))) mine.delete(old);
  delta.stats = { stateMs: t1 - t0, diffMs: performance.now() - t1, records: deltaRecords(delta) };
  return delta;
}

function simulation(slot: Slot): Simulation {
  const sim = sims.get(slot);
  if (!sim) throw new Error(`no scenario has been run yet (${slot})`);
  return sim;
}

async function runInfo(sim: Simulation, slot: Slot): Promise<RunInfo> {
  const summary = sim.summary();
  bases.set(slot, null);
  if (!sim.scenario) return { summary, scenario: null, variant: null, actionStarts: [], layoutBasis: null, moduleChanges: null, layout: null };
  const steps = layoutSteps(summary.events, sim.lastStep);
  const snaps = steps.map((i) => sim.stateAt(i));
  const layoutBasis = unionSnapshot(snaps);
  bases.set(slot, layoutBasis);
  runEvents.set(slot, summary.events);
  // the layout code is a chunk of its own, loaded on the first run
  const { computeLayout } = await import('./layout');
  return {
    summary,
    scenario: sim.scenario,
    variant: currentVariant(sim.scenario),
    actionStarts: sim.actionStarts,
    layoutBasis,
    layout: layoutBasis ? computeLayout(layoutBasis, [], summary.events) : null,
    // exact only when every step was looked at
    moduleChanges: steps.length === sim.lastStep + 1 ? moduleChanges(snaps, steps) : null,
  };
}

/** scenarios arrive as JSON text (any nesting survives the post) */
function parse(json: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(json) as unknown };
  } catch (e) {
    return { ok: false, message: `the scenario is not JSON: ${(e as Error).message.slice(0, 200)}` };
  }
}

const api: EngineWire = {
  listBuiltins: () => listBuiltins(),
  defaultScenarioId: () => DEFAULT_SCENARIO_ID,
  listDesigns: () => {
    const suffixes = STANDARD_VARIANTS.map(([suffix]) => `-${suffix}`);
    return listBuiltins().filter((b) => !suffixes.some((x) => b.id.endsWith(x)));
  },
  getScenario: (id) => getBuiltinScenario(id),
  defaultVariant: (id) => currentVariant(getBuiltinScenario(id)),
  builtinWithVariant: (id, variant) => applyVariant(getBuiltinScenario(id), variant),
  async run(json, slot = 'main') {
    const p = parse(json);
    if (!p.ok) return { summary: { id: '(invalid)', title: '(invalid scenario)', source: '', events: [], errors: [{ path: '(root)', message: p.message }] }, scenario: null, variant: null, actionStarts: [], layoutBasis: null, moduleChanges: null, layout: null };
    const sim = new Simulation(p.value);
    sims.set(slot, sim);
    return runInfo(sim, slot);
  },
  async layout(expanded, slot = 'main') {
    const basis = bases.get(slot);
    if (!basis) return null;
    const { computeLayout } = await import('./layout');
    return computeLayout(basis, expanded, runEvents.get(slot) ?? []);
  },
  // shape and reference problems together (validateAll.ts); the scenario arrives as JSON text
  validate: (json) => {
    const p = parse(json);
    if (!p.ok) return [{ path: '(root)', message: p.message }];
    return validateAll(p.value);
  },
  snapshotDelta,
  explain: (step, devpath, slot = 'main') => simulation(slot).explain(step, devpath),
  withAction: (action, step, slot = 'main') => simulation(slot).withAction(action, step),
  // the importers (a DTS parser, the machine capture readers) load on the first import: their
  // own chunk; until then no run is of an imported machine, so the report needs no loading
  importFiles: async (files) => (await (importer ??= import('./importFiles'))).importFiles(files),
  machineReport: async () => (importer ? (await importer).machineReport(sims.get('main')) : null),
};

Comlink.expose(api);
