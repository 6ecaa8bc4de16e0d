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

const sims = new Map<Slot, Simulation>();

function simulation(slot: Slot): Simulation {
  const sim = sims.get(slot);
  if (!sim) throw new Error(`no scenario has been run yet (${slot})`);
  return sim;
}

function runInfo(sim: Simulation): RunInfo {
  const summary = sim.summary();
  if (!sim.scenario) return { summary, scenario: null, variant: null, actionStarts: [], layoutBasis: null, moduleChanges: null };
  const steps = layoutSteps(summary.events, sim.lastStep);
  const snaps = steps.map((i) => sim.stateAt(i));
  return {
    summary,
    scenario: sim.scenario,
    variant: currentVariant(sim.scenario),
    actionStarts: sim.actionStarts,
    layoutBasis: unionSnapshot(snaps),
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
  run(json, slot = 'main') {
    const p = parse(json);
    if (!p.ok) return { summary: { id: '(invalid)', title: '(invalid scenario)', source: '', events: [], errors: [{ path: '(root)', message: p.message }] }, scenario: null, variant: null, actionStarts: [], layoutBasis: null, moduleChanges: null };
    const sim = new Simulation(p.value);
    sims.set(slot, sim);
    return runInfo(sim);
  },
  // shape and reference problems together (validateAll.ts); the scenario arrives as JSON text
  validate: (json) => {
    const p = parse(json);
    if (!p.ok) return [{ path: '(root)', message: p.message }];
    return validateAll(p.value);
  },
  snapshot: (step, slot = 'main') => simulation(slot).stateAt(step),
  explain: (step, devpath, slot = 'main') => simulation(slot).explain(step, devpath),
  withAction: (action, step, slot = 'main') => simulation(slot).withAction(action, step),
  // the importers (a DTS parser, the machine capture readers) load on first use: their own chunk
  importFiles: async (files) => (await import('./importFiles')).importFiles(files),
  machineReport: async () => (await import('./importFiles')).machineReport(sims.get('main')),
};

Comlink.expose(api);
