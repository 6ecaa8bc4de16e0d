/**
 * A scenario run and its trace: validate, run, and answer questions about any step (the state
 * at a step, match explanations, a user action inserted). Time travel's code (the timeline, its
 * copy-on-write storage and snapshot views: trace/timeTravel.ts) is given to it, so that the
 * worker can load that as a chunk of its own beside its first one; simulation.ts is the
 * Simulation with it (what the engine's entry, index.ts, exports).
 */
import type { ActionResult, MatchInfo, EventKind, RunSummary, ScenarioError, Snapshot, TraceEvent } from './api';
import { validateScenario } from './scenario/validate';
import { cloneData } from './scenario/clone';
import type { Scenario, UserAction } from './scenario/schema';
import { runScenario, type RunBudget, type RunResult, type RunStop } from './boot';
import type * as TimeTravel from './trace/timeTravel';
import type { DistinctTouchRow } from './trace/eventlog';

/** freeze v and everything in it (JSON data: objects and arrays); a frozen part is already done */
function deepFreeze(v: unknown): void {
  if (typeof v !== 'object' || v === null || Object.isFrozen(v)) return;
  Object.freeze(v);
  if (Array.isArray(v)) for (let i = 0; i < v.length; i++) deepFreeze(v[i]);
  else for (const k in v) deepFreeze((v as Record<string, unknown>)[k]);
}

/** the design the sandbox opens first */
export const DEFAULT_SCENARIO_ID = 'auxiliary';

/** time travel's code: trace/timeTravel.ts */
export type TimeTravelCode = typeof TimeTravel;

export class SimulationCore {
  readonly errors: ScenarioError[];
  readonly scenario: Scenario | null;
  private run: RunResult | null = null;
  private timeline: TimeTravel.Timeline | null = null;

  /** opts raise the run's budget (boot.ts DEFAULT_BUDGET) for large generated scenarios (bench/run.ts) */
  constructor(input: unknown, opts: Partial<RunBudget>, private readonly timeTravel: TimeTravelCode) {
    const v = validateScenario(input);
    if (!v.ok) {
      this.errors = v.errors;
      this.scenario = null;
      return;
    }
    this.errors = [];
    // validation keeps a valid scenario as given (scenario/zodAccepts.ts): the run's caches are
    // keyed by its objects (kmod.ts's modules.alias, devicetree.ts's node index), so a change to it
    // afterwards would go unseen by them. Frozen, such a change throws instead.
    if (v.scenario === input) deepFreeze(input);
    this.scenario = v.scenario;
    this.run = runScenario(v.scenario, opts);
    this.timeline = new timeTravel.Timeline(this.run.kernel, this.run.discovery);
  }

  /** the whole trace, built now from its columns (trace/eventlog.ts): eventsBetween pages it */
  private publicEvents(): TraceEvent[] {
    return this.run?.kernel.events.all() ?? [];
  }

  get kernel() {
    return this.run?.kernel ?? null;
  }

  /** event index at which each scenario action started */
  get actionStarts(): number[] {
    return this.run?.actionStarts ?? [];
  }

  /** set when the run hit its budget or a runaway guard: which, at which event, what was running */
  get stopped(): RunStop | null {
    return this.run?.stopped ?? null;
  }

  /** per scenario action: the result of a sysfs write/read (rc 0 or -errno, output lines), else null */
  get actionResults(): (ActionResult | null)[] {
    return this.run?.actionResults ?? [];
  }

  summary(): RunSummary {
    const s = this.scenario;
    return { id: s?.id ?? '(invalid)', title: s?.title ?? '(invalid scenario)', source: s?.source ?? '', events: this.publicEvents(), errors: this.errors };
  }

  /** how many events the trace holds */
  get eventCount(): number {
    return this.run?.kernel.events.length ?? 0;
  }

  /** events [from, to) of the trace (bounds as Array.prototype.slice reads them): a page of it, without building the whole trace */
  eventsBetween(from: number, to: number): TraceEvent[] {
    return this.run?.kernel.events.slice(from, to) ?? [];
  }

  /**
   * What the run's events touched, each distinct touches once (events that touch the same
   * things share one row of the trace's touches table): a walk of every event's touches, at
   * the cost of the distinct ones (the worker's collapsed-group rows, worker/layout.ts). The
   * objects are made for the walk (not kept); read-only.
   */
  *distinctTouches(): Generator<TraceEvent['touches']> {
    if (this.run) yield* this.run.kernel.events.distinctTouches();
  }

  /**
   * distinctTouches with a number for each row's one device (-1 when it names none or several),
   * the same in every row naming that device: what a row's device needs can be counted once.
   * One object, filled again for each row.
   */
  *distinctTouchRows(): Generator<DistinctTouchRow> {
    if (this.run) yield* this.run.kernel.events.distinctTouchRows();
  }

  /**
   * Every event's kind as one byte, an id into `names`, read from the trace's columns without
   * building the events (the worker sends it to the UI in place of the trace).
   */
  eventKinds(): { ids: Uint8Array; names: EventKind[] } {
    return this.run?.kernel.events.kindIds() ?? { ids: new Uint8Array(0), names: [] };
  }

  /** event `i`'s sentence when it is a top-level event (depth 0), else null, without building the event (the worker's boot stages: eventIndex.ts) */
  topLevelText(i: number): string | null {
    if (!this.run || !Number.isInteger(i) || i < 0 || i >= this.run.kernel.events.length) throw new RangeError(`event ${i} is not in the trace`);
    const events = this.run.kernel.events;
    return events.depthAt(i) === 0 ? events.textAt(i) : null;
  }

  /** what event `i` touched (devices, drivers, modules), without building the event; read-only */
  eventTouchesAt(i: number): TraceEvent['touches'] {
    if (!this.run || !Number.isInteger(i) || i < 0 || i >= this.run.kernel.events.length) throw new RangeError(`event ${i} is not in the trace`);
    return this.run.kernel.events.touchesAt(i);
  }

  /**
   * Move time travel's cursor to the state after event `step` without building a snapshot: the
   * cost of reaching any step (checkpoints plus patches), which stateAt then adds the views to.
   */
  seek(step: number): void {
    this.timeline?.seek(step);
  }

  /**
   * Make the checkpoints that keep any jump short (trace/timeline.ts prepare), walking at most
   * about `maxPatches` patches; true when none are left to make. A first answer needs none: the
   * last step is loaded from the run and the steps near it are walked to. The worker calls this in
   * slices once it has answered; anything that times jumps calls it first.
   */
  prepareTimeTravel(maxPatches = Infinity): boolean {
    return this.timeline?.prepare(maxPatches) ?? true;
  }

  get lastStep(): number {
    return (this.run?.kernel.events.length ?? 0) - 1;
  }

  stateAt(step: number): Snapshot {
    if (!this.run || !this.timeline) throw new Error(`the scenario is invalid: ${this.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
    return this.timeline.snapshot(step);
  }

  explain(step: number, devpath: string): MatchInfo[] {
    if (!this.timeline) return [];
    return this.timeTravel.explainDevice(this.timeline.seek(step), devpath);
  }

  /** the uevent file of the device at `devpath` after event `step` (`cat /sys<devpath>/uevent`), null when it does not exist then */
  ueventFile(step: number, devpath: string): string[] | null {
    if (!this.timeline) return null;
    return this.timeTravel.ueventFile(this.timeline.seek(step), devpath);
  }

  /**
   * The scenario with a user action inserted at `step`: actions that ran before `step` keep their
   * place (pinned with `at`), later ones are dropped — the timeline forks there.
   */
  withAction(action: UserAction, step: number): Scenario {
    if (!this.scenario) throw new Error('the scenario is invalid');
    const starts = this.actionStarts;
    const kept = (this.scenario.actions ?? [])
      .map((a, i) => ({ a, start: starts[i] ?? Infinity }))
      .filter((x) => x.start <= step)
      .map((x) => ({ ...x.a, at: x.start }));
    const { at: _ignored, ...rest } = action as UserAction & { at?: number };
    return { ...cloneData(this.scenario), actions: [...kept, { ...rest, at: step + 1 } as UserAction] };
  }
}
