/**
 * The contract between the UI thread and the engine worker. Everything crossing it is
 * structured-clone data (the engine's api.ts types); the Simulations stay in the worker.
 * User actions travel to the engine as data (a scenario), never as code.
 *
 * The worker keeps one Simulation per slot: "main" (what the sandbox shows) and
 * "compare" (the second design of the side-by-side view).
 */
import type { BuiltinInfo, MatchInfo, RunSummary, Scenario, ScenarioError, Snapshot, TraceEvent, UeventRecord, UserAction, Variant } from '../engine/index';
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

/**
 * A snapshot without its three long lists: the sysfs listing (~700k entries at 100k devices),
 * the uevent log and the kernel log. What the UI holds and the graph, details and compare views
 * read; the engine's own Snapshot (the CLI's, the tests') fits it too.
 */
export type SnapshotCore = Omit<Snapshot, 'sysfs' | 'uevents' | 'log'>;

/** how long the lists left out of a UiSnapshot are at its step (their rows come in pages: `lines`) */
export interface ListCounts {
  /** uevents sent so far (the udevadm monitor tab's counter) */
  uevents: number;
  /** kernel log lines so far: the dmesg tab's rows */
  log: number;
  /** lines of the udevadm monitor text at the step (engine/trace/format.ts formatUeventLog, 0 with no uevent): its rows */
  monitorLines: number;
}

/**
 * The snapshot the UI gets at a step (worker → UI, as a delta: delta.ts): the records, not the
 * long lists. Their counts come with it; their rows are asked for as they are shown
 * (`lines`: the monitor and dmesg tabs; `sysfsDirs`: the /sys browser; `uevents`: a user action
 * that needs them whole; `latestUevent`: presenting).
 */
export type UiSnapshot = SnapshotCore & {
  counts: ListCounts;
  /**
   * The buses whose devices have a driver_override file (their BusType.deviceAttrs lists it:
   * core/sysfs.ts deviceSysfs; platform's, and no other built-in bus): the details offer the
   * write only there.
   */
  overrideBuses: string[];
};

/** the long text views of a step, paged by line: the udevadm monitor and dmesg tabs */
export type LineList = 'monitor' | 'dmesg';

/** one entry of a sysfs directory */
export interface SysfsEntry {
  name: string;
  /** a file (an attribute the kernel creates: format.ts isFile), a directory (empty or not), a symlink */
  kind: 'file' | 'dir' | 'link';
  /** a symlink's target, as listed */
  target?: string;
  /** a directory with nothing in it */
  empty?: true;
  /** a device's uevent file, as `cat` shows it (Simulation.ueventFile): sent with its directory, not with every snapshot */
  content?: string;
}

/** a sysfs directory at a step, as the /sys browser shows it: its first `limit` entries and how many it has */
export interface SysfsDir {
  path: string;
  entries: SysfsEntry[];
  total: number;
}

/** the state after a step, and the event that led to it (null before the first event) */
export interface StepView {
  snapshot: UiSnapshot;
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
   * while the user steps through time. Null when the scenario is invalid.
   */
  layoutBasis: SnapshotCore | null;
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
  /**
   * Lines [from, to) of the udevadm monitor or dmesg text at `step` (bounded by the step's
   * ListCounts): a page of the tab's window. Both texts only grow as the run goes on, so a line
   * is the same at every later step.
   */
  lines(list: LineList, from: number, to: number, step: number, slot?: Slot): string[];
  /** Uevents [from, to) of those sent by `step` (a user action that needs them whole: the mail text). */
  uevents(from: number, to: number, step: number, slot?: Slot): UeventRecord[];
  /**
   * The latest uevent by `step` of one of `devpaths`, else the latest of any device (/devices/…);
   * null when there is none (presenting: a stop's uevent panel).
   */
  latestUevent(step: number, devpaths: string[], slot?: Slot): UeventRecord | null;
  /**
   * sysfs directories at `step` (paths under /sys), each with its first `limit` entries: what the
   * /sys browser shows open. A directory that does not exist at the step answers no entries.
   */
  sysfsDirs(step: number, dirs: [path: string, limit: number][], slot?: Slot): SysfsDir[];
  /** The review rules' findings at a step (engine/review/review.ts over the state then and the events so far). */
  findings(step: number, slot?: Slot): Finding[];
  /** The step a walkthrough stop shows in the slot's last run (walkthrough.ts resolveStop); null when no event matches. */
  resolveStop(stop: WalkthroughStop, slot?: Slot): number | null;
  /** Match decisions for a device at a step of the slot's last run. */
  explain(step: number, devpath: string, slot?: Slot): MatchInfo[];
  /** A device's uevent file at a step (one KEY=value a line), null when it does not exist then: the details' "uevent file". */
  ueventFile(step: number, devpath: string, slot?: Slot): string[] | null;
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
export interface EngineWire extends Omit<EngineApi, 'run' | 'validate' | 'snapshot' | 'importFiles' | 'machineReport' | 'layout' | 'findings' | 'lines' | 'sysfsDirs' | 'uevents' | 'latestUevent' | 'resolveStop' | 'listBuiltins' | 'listDesigns' | 'getScenario' | 'defaultVariant' | 'builtinWithVariant'> {
  // the built-in designs' data: a chunk the worker loads on first use (engine/builtins.ts)
  listBuiltins(): Promise<BuiltinInfo[]>;
  listDesigns(): Promise<BuiltinInfo[]>;
  getScenario(id: string): Promise<Scenario>;
  defaultVariant(id: string): Promise<FirmwareVariant>;
  builtinWithVariant(id: string, variant: Variant): Promise<Scenario>;
  // answered by a chunk the worker loads on first use (worker/lists.ts)
  lines(list: LineList, from: number, to: number, step: number, slot?: Slot): Promise<string[]>;
  sysfsDirs(step: number, dirs: [path: string, limit: number][], slot?: Slot): Promise<SysfsDir[]>;
  uevents(from: number, to: number, step: number, slot?: Slot): Promise<UeventRecord[]>;
  latestUevent(step: number, devpaths: string[], slot?: Slot): Promise<UeventRecord | null>;
  resolveStop(stop: WalkthroughStop, slot?: Slot): Promise<number | null>;
  findings(step: number, slot?: Slot): Promise<Finding[]>;
  layout(expanded: string[], slot?: Slot): Promise<RunLayout | null>;
  importFiles(files: DroppedFile[]): Promise<ImportOutcome | null>;
  machineReport(): Promise<MachineReport | null>;
  run(scenarioJson: string, slot?: Slot): Promise<WireRun>;
  validate(scenarioJson: string): Promise<ScenarioError[]>;
  /**
   * The state after `step` as a delta from the newest of the snapshots `held` (ids of what the
   * worker sent before and the UI still holds) that the worker still remembers; a whole
   * snapshot when none is; with the event at `step` (null before the first). `basisToken`: the
   * token of the run answer (WireRun) whose layout basis the UI holds: when it is this worker's
   * current one, records the basis has go by their place in it.
   */
  snapshotDelta(step: number, slot: Slot, held: number[], basisToken?: string | null): Promise<WireStep>;
}

/** a step as it crosses the boundary: its snapshot as the change from one the UI holds, and its event */
export interface WireStep {
  delta: SnapshotDelta;
  event: TraceEvent | null;
}

/**
 * run's answer: the RunInfo, and the snapshot at the run's last step (what the UI shows first,
 * unless it asked for another), in the same message: the layout basis holds the same device,
 * driver and module records, and a structured clone copies an object met twice once (a 100k-
 * device run's basis and last snapshot are 44 MB together, 87 MB apart). Null when invalid.
 */
export interface WireRun {
  info: RunInfo;
  last: (WireStep & { step: number }) | null;
  /**
   * The validated scenario is the JSON the caller sent, kept as given (scenario/zodAccepts.ts):
   * `info.scenario` is null on the wire and the caller parses its own text instead (a 100k-device
   * scenario is ~15 MB of the answer's structured clone)
   */
  scenarioAsSent: boolean;
  /**
   * Names this run's layout basis (`info.layoutBasis`) for the snapshot deltas that follow: the
   * client gives it back with each request, and the worker lets a delta name basis records by
   * their place only when it is its current one (a restarted worker's replayed run has another).
   */
  basisToken: string | null;
}
