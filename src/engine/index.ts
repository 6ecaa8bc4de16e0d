/**
 * The engine's entry point: validate a scenario, run it, and answer questions about any step.
 * Used by the worker (src/worker), the CLI (src/cli) and the tests.
 */
export type { RunBudget, RunStop } from './boot';
export type { Scenario, UserAction } from './scenario/schema';
export * from './api';
export { validateScenario } from './scenario/validate';
export { Simulation } from './simulation';

export { DEFAULT_SCENARIO_ID } from './simulation';
export { getBuiltinScenario, listBuiltins } from './builtins';

export { applyVariant, currentVariant, STANDARD_VARIANTS, type Variant } from '../scenarios/variants';
export { evalFact } from './firmware/facts';
export { errnoName, strerror } from './core/errno';
