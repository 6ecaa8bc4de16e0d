/**
 * The contract between the UI thread and the engine worker. Everything crossing it is
 * structured-clone data (the engine's api.ts types); the Simulation itself stays in the
 * worker. User actions travel to the engine as data (a scenario), never as code.
 */
import type { BuiltinInfo, MatchInfo, RunSummary, Snapshot } from '../engine/api';

export interface EngineApi {
  /** Built-in scenarios (designs) the engine ships. */
  listBuiltins(): BuiltinInfo[];
  /** Id of the scenario the UI opens first. */
  defaultScenarioId(): string;
  /** A built-in scenario's JSON data. Rejects for an unknown id. */
  getScenario(id: string): unknown;
  /**
   * Runs a scenario and keeps its Simulation in the worker for later snapshot/explain
   * calls. A scenario that fails validation still returns a summary, with `errors`
   * non-empty and `events` empty.
   */
  run(scenario: unknown): RunSummary;
  /** State after event `step` of the last run (-1 = before anything). */
  snapshot(step: number): Snapshot;
  /** Match decisions for a device at a step of the last run. */
  explain(step: number, devpath: string): MatchInfo[];
}
