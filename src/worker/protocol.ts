/**
 * The contract between the UI thread and the engine worker. Everything crossing it is
 * structured-clone data (the engine's api.ts types); the Simulations stay in the worker.
 * User actions travel to the engine as data (a scenario), never as code.
 *
 * The worker keeps one Simulation per slot: "main" (what the sandbox shows) and
 * "compare" (the second design of the side-by-side view).
 */
import type { BuiltinInfo, MatchInfo, RunSummary, Scenario, ScenarioError, Snapshot, TraceEvent, UserAction, Variant } from '../engine/index';
import type { Finding } from '../engine/review/review';
import type { WalkthroughStop } from '../engine/scenario/walkthrough';
import type { EventIndex } from './eventIndex';

import type { ModuleChange } from './union';
import type { DroppedFile, ImportOutcome } from './importFiles';
import type { MachineReport } from '../import/machine/index';

export type { DroppedFile, ImportOutcome, MachineReport };
export type { DeviceReport } from '../import/machine/index';
import type { SnapshotDelta } from './delta';
import type { CollapseNeeds } from '../ui/graph/collapse';

export type Slot = 'main' | 'compare';
export type FirmwareVariant = Required<Variant>;
export type { EventIndex, Finding, WalkthroughStop };

/**
 * A run's summary without its trace: the events stay in the worker (a 60k-device run records
 * ~900k of them); the UI asks for the pages it shows (`events`) and gets the current event with
 * each step (`snapshot`).
 */
export type RunHead = Omit<RunSummary, 'events'> & {
  /** how many events the run recorded (its last step is eventCount - 1) */
  eventCount: number;
};

/** the state after a step, and the event that led to it (null before the first event) */
export interface StepView {
  snapshot: Snapshot;
  event: TraceEvent | null;
}

export interface RunInfo {
  summary: RunHead;
  /** what the UI's scans of the trace need, a few bytes an event (eventIndex.ts) */
  index: EventIndex;
  /**
   * The first screen's step (firstScreen.ts storyStep): the first uevent whose MODALIAS matches
   * an alias of the scenario's focus module; null when there is none.
   */
  storyStep: number | null;
  /** the validated scenario that ran (null when invalid) */
  scenario: Scenario | null;
  /** its firmware toggles as currentVariant() reads them (null when invalid) */
  variant: FirmwareVariant | null;
  /** event index at which each scenario action started */
  actionStarts: number[];
  /**
   * Every device, driver, module and firmware node that exists at any step of the run
   * (a union of all snapshots): the graph lays this out once, so nodes keep their place
   * while the user steps through time. Its uevents, log and sysfs listing are empty (a step's
   * snapshot has them). Null when the scenario is invalid.
   */
  layoutBasis: Snapshot | null;
  /**
   * The steps where each module's state changes (union.ts moduleChanges): the outcome line
   * says "not loaded yet; loads at step N". Null for an invalid or a huge (sampled) run.
   */
  moduleChanges: ModuleChange[] | null;
  /**
   * Where the graph puts every node of layoutBasis (default columns), computed in the worker:
   * the UI thread only renders. Null when the scenario is invalid.
   */
  layout: RunLayout | null;
}

/**
 * node places of a run's graph: [node id, x, y, slot height], and what computing them took (ms,
 * in the worker); `expanded`: the collapsed groups the user opened (ui/graph/collapse.ts), which
 * this layout is of
 */
export interface RunLayout {
  places: [id: string, x: number, y: number, height: number][];
  ms: number;
  expanded: string[];
  /** the reserved rows of each collapsed group this layout holds (collapse.ts collapseNeeds): the UI plans with them */
  needs?: CollapseNeeds;
}

export interface EngineApi {
  /** Built-in scenarios (designs and their standard variants) the engine ships. */
  listBuiltins(): BuiltinInfo[];
  /** Id of the scenario the UI opens first. */
  defaultScenarioId(): string;
  /** The built-ins that are designs in their default form (no standard variant applied). */
  listDesigns(): BuiltinInfo[];
  /** A built-in scenario's JSON data. Rejects for an unknown id. */
  getScenario(id: string): Scenario;
  /** A built-in scenario's own firmware/config toggles, as the design ships (currentVariant). */
  defaultVariant(id: string): FirmwareVariant;
  /** A built-in scenario with firmware/config toggles applied (applyVariant). */
  builtinWithVariant(id: string, variant: Variant): Scenario;
  /**
   * Runs a scenario in a slot and keeps its Simulation for later snapshot/explain calls.
   * A scenario that fails validation still answers, with `summary.errors` non-empty and
   * no events.
   */
  run(scenario: unknown, slot?: Slot): RunInfo;
  /**
   * The graph's layout of the slot's last run with these collapsed groups expanded
   * (ui/graph/collapse.ts); null when it has none (an invalid scenario).
   */
  layout(expanded: string[], slot?: Slot): RunLayout | null;
  /** Validation errors of scenario data (empty = valid); runs nothing. */
  validate(scenario: unknown): ScenarioError[];
  /** State after event `step` of the slot's last run (-1 = before anything), with that event. */
  snapshot(step: number, slot?: Slot): StepView;
  /** Events [from, to) of the slot's last run: a page of the trace (the event list's window). */
  events(from: number, to: number, slot?: Slot): TraceEvent[];
  /** The review rules' findings at a step (engine/review/review.ts over the state then and the events so far). */
  findings(step: number, slot?: Slot): Finding[];
  /** The step a walkthrough stop shows in the slot's last run (walkthrough.ts resolveStop); null when no event matches. */
  resolveStop(stop: WalkthroughStop, slot?: Slot): number | null;
  /** Match decisions for a device at a step of the slot's last run. */
  explain(step: number, devpath: string, slot?: Slot): MatchInfo[];
  /** The slot's scenario with a user action inserted after `step` (Simulation.withAction). */
  withAction(action: UserAction, step: number, slot?: Slot): Scenario;
  /** Dropped files as a scenario: a .dts with its includes, or a machine capture; null for a scenario .json (importFiles.ts). */
  importFiles(files: DroppedFile[]): ImportOutcome | null;
  /** The main slot's run of an imported machine against what the machine reported, device by device (null otherwise). */
  machineReport(): MachineReport | null;
}

/**
 * What actually crosses the worker boundary: EngineApi with scenarios as JSON text, which
 * survives any nesting, and snapshots as the change from one the UI holds (delta.ts).
 */
export interface EngineWire extends Omit<EngineApi, 'run' | 'validate' | 'snapshot' | 'importFiles' | 'machineReport' | 'layout' | 'findings'> {
  findings(step: number, slot?: Slot): Promise<Finding[]>;
  layout(expanded: string[], slot?: Slot): Promise<RunLayout | null>;
  importFiles(files: DroppedFile[]): Promise<ImportOutcome | null>;
  machineReport(): Promise<MachineReport | null>;
  run(scenarioJson: string, slot?: Slot): Promise<RunInfo>;
  validate(scenarioJson: string): ScenarioError[];
  /**
   * The state after `step` as a delta from the newest of the snapshots `held` (ids of what the
   * worker sent before and the UI still holds) that the worker still remembers; a whole
   * snapshot when none is; with the event at `step` (null before the first).
   */
  snapshotDelta(step: number, slot: Slot, held: number[]): { delta: SnapshotDelta; event: TraceEvent | null };
}
