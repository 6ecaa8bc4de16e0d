/**
 * The Simulation with time travel's code (simulationCore.ts, trace/timeTravel.ts): what the
 * engine's entry (index.ts) exports, the CLI and the tests use.
 */
import type { RunBudget } from './boot';
import { SimulationCore } from './simulationCore';
import * as timeTravel from './trace/timeTravel';

export { DEFAULT_SCENARIO_ID } from './simulationCore';

export class Simulation extends SimulationCore {
  /** opts raise the run's budget (boot.ts DEFAULT_BUDGET) for large generated scenarios (bench/run.ts) */
  constructor(input: unknown, opts: Partial<RunBudget> = {}) {
    super(input, opts, timeTravel);
  }
}
