/**
 * Web Worker entry: exposes the (pure) engine to the UI thread through Comlink.
 * Holds the one Simulation of the last `run`; errors thrown here reach the caller as
 * rejected promises (Comlink serialises Error objects).
 */
import * as Comlink from 'comlink';
import { DEFAULT_SCENARIO_ID, Simulation, getBuiltinScenario, listBuiltins } from '../engine/index';
import type { EngineApi } from './protocol';

let current: Simulation | null = null;

function simulation(): Simulation {
  if (!current) throw new Error('no scenario has been run yet');
  return current;
}

const api: EngineApi = {
  listBuiltins: () => listBuiltins(),
  defaultScenarioId: () => DEFAULT_SCENARIO_ID,
  getScenario: (id) => getBuiltinScenario(id),
  run(scenario) {
    current = new Simulation(scenario);
    return current.summary();
  },
  snapshot: (step) => simulation().stateAt(step),
  explain: (step, devpath) => simulation().explain(step, devpath),
};

Comlink.expose(api);
