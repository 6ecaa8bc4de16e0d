/**
 * UI-side handle on the engine worker, supervised. Every call returns a promise that settles:
 * - a worker that throws, fails to load, or sends an unreadable message is terminated and
 *   replaced, and the calls in flight reject with the reason;
 * - a call that gets no answer within `timeoutMs` does the same: the worker is presumed hung. A
 *   run may take its own wall-time budget (engine/budget.ts) on top;
 * - `cancel()` stops whatever runs now, the same way.
 * After a restart the new worker re-runs the last scenario that ran successfully in each slot, so
 * the next snapshot or step request finds the last good view, and later requests never queue
 * behind a runaway one. Scenarios cross as JSON text, which survives any nesting that
 * structured clone would not.
 */
import * as Comlink from 'comlink';
import type { EngineApi, EngineWire, ImportOutcome, Slot, SnapshotCore, StepView, UiSnapshot as Snapshot, WireStep } from '../worker/protocol';
import { applyDelta, type SnapshotDelta } from '../worker/delta';
import { DEFAULT_BUDGET } from '../engine/budget';
import type { Scenario } from '../engine/index';

/** snapshots kept per slot as bases for the worker's deltas (the worker keeps as many: engine.worker.ts SENT_KEPT) */
const HELD = 4;

/**
 * The benchmark (bench/ui.ts) puts an array here to read what each step cost: the worker's own
 * times, the round trip of the call (worker time + the message both ways), applying the delta.
 * The delta itself is kept for the benchmark to size after it has timed the steps (a
 * JSON.stringify here would be timed as part of the step).
 */
type StepStats = { stateMs: number; diffMs: number; records: number; roundTripMs: number; applyMs: number; delta: SnapshotDelta };
const benchStats = (): StepStats[] | undefined => (globalThis as { __bindscopeStepStats?: StepStats[] }).__bindscopeStepStats;

type Promised<T> = { [K in keyof T]: T[K] extends (...a: infer A) => infer R ? (...a: A) => Promise<Awaited<R>> : never };

export type EngineClient = Promised<EngineApi> & {
  /** stop what runs now: the worker is replaced and the calls in flight reject */
  cancel(): void;
  /** called with a sentence whenever the worker was restarted (crash, timeout, cancel) */
  onRestart(listener: (reason: string) => void): void;
  dispose(): void;
};

export interface EngineClientOptions {
  timeoutMs?: number;
  /** what a run may take on top of timeoutMs (default: the engine's wall-time budget, DEFAULT_BUDGET.maxMillis) */
  runBudgetMs?: number;
  /** for tests: how to start a worker */
  spawn?: () => Worker;
}

/** what calls in flight reject with when the worker is restarted (the store shows the reason once, from onRestart) */
export class EngineRestartError extends Error {}

const spawnDefault = () => new Worker(new URL('../worker/engine.worker.ts', import.meta.url), { type: 'module', name: 'bindscope-engine' });

export function createEngineClient(opts: EngineClientOptions = {}): EngineClient {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const runTimeoutMs = timeoutMs + (opts.runBudgetMs ?? DEFAULT_BUDGET.maxMillis);
  const spawn = opts.spawn ?? spawnDefault;
  const listeners: ((reason: string) => void)[] = [];
  /** the last scenario (JSON) that ran without error, per slot: replayed after a restart */
  const lastGood = new Map<Slot, string>();
  /** the snapshots the worker sent, by id, per slot: what its deltas apply to */
  const held = new Map<Slot, Map<number, Snapshot>>();
  let disposed = false;

  /** per slot: the last run's layout basis and the token that names it to the worker (its deltas may name basis records by place) */
  const basisOf = new Map<Slot, { token: string; lists: SnapshotCore }>();
  /** per slot: the snapshot at the last run's last step, which came with the run (WireRun), until the first snapshot call */
  const lastOfRun = new Map<Slot, { step: number; view: StepView }>();
  const heldOf = (slot: Slot) => {
    const mine = held.get(slot) ?? new Map<number, Snapshot>();
    held.set(slot, mine);
    return mine;
  };
  /** a snapshot the worker sent: held under its id (the newest HELD kept), what the next deltas apply to */
  const receive = (slot: Slot, { delta, event }: WireStep, t0: number, t1: number): StepView => {
    const mine = heldOf(slot);
    const snap = applyDelta(delta.base === null ? null : (mine.get(delta.base) ?? null), delta, basisOf.get(slot)?.lists ?? null);
    mine.set(delta.id, snap);
    for (const old of [...mine.keys()].sort((a, b) => a - b).slice(0, Math.max(0, mine.size - HELD))) mine.delete(old);
    const stats = benchStats();
    if (stats && delta.stats) stats.push({ ...delta.stats, roundTripMs: t1 - t0, applyMs: performance.now() - t1, delta });
    return { snapshot: snap, event };
  };

  const snapshot = async (step: number, slot: Slot = 'main'): Promise<StepView> => {
    const first = lastOfRun.get(slot);
    lastOfRun.delete(slot);
    if (first && first.step === step) return first.view;
    const mine = heldOf(slot);
    const me = live;
    const t0 = performance.now();
    const answer = await call((r) => r.snapshotDelta(step, slot, [...mine.keys()], basisOf.get(slot)?.token ?? null));
    // a restart since: the new worker knows none of these ids
    if (me !== live) throw new EngineRestartError('the engine worker was restarted');
    return receive(slot, answer, t0, performance.now());
  };

  interface Live {
    worker: Worker;
    remote: Comlink.Remote<EngineWire>;
    pending: Set<(err: Error) => void>;
    /** settles once the replay of lastGood has run on this worker */
    ready: Promise<void>;
  }
  let live: Live;

  const start = (replay: boolean): Live => {
    const worker = spawn();
    const remote = Comlink.wrap<EngineWire>(worker);
    const me: Live = { worker, remote, pending: new Set(), ready: Promise.resolve() };
    worker.addEventListener('error', (ev: ErrorEvent) => {
      ev.preventDefault();
      restart(`the engine worker failed (${ev.message || 'could not load the worker script'}) and was restarted`);
    });
    worker.addEventListener('messageerror', () => restart('the engine worker sent a message that could not be read, and was restarted'));
    if (replay && lastGood.size) {
      me.ready = (async () => {
        for (const [slot, json] of lastGood) {
          try {
            await remote.run(json, slot);
          } catch {
            lastGood.delete(slot);
          }
        }
      })();
    }
    return me;
  };

  const restart = (reason: string): void => {
    if (disposed) return;
    const old = live;
    old.remote[Comlink.releaseProxy]();
    old.worker.terminate();
    const err = new EngineRestartError(reason);
    for (const reject of old.pending) reject(err);
    held.clear();
    lastOfRun.clear();
    live = start(true);
    for (const l of listeners) l(reason);
  };

  live = start(false);

  const call = <T>(fn: (r: Comlink.Remote<EngineWire>) => Promise<T>, waitMs = timeoutMs): Promise<T> => {
    if (disposed) return Promise.reject(new Error('the engine was disposed'));
    const me = live;
    return new Promise<T>((resolve, reject) => {
      me.pending.add(reject);
      const timer = setTimeout(() => {
        if (live === me) restart(`the engine did not answer within ${waitMs / 1000} s and was restarted; the last good view is kept`);
      }, waitMs);
      me.ready
        .then(() => fn(me.remote))
        .then(resolve, reject)
        .finally(() => {
          clearTimeout(timer);
          me.pending.delete(reject);
        });
    });
  };

  const toJson = (scenario: unknown): string => {
    try {
      return JSON.stringify(scenario) ?? 'null';
    } catch (e) {
      throw new Error(`the scenario cannot be sent to the engine: ${(e as Error).message}`);
    }
  };

  return {
    listBuiltins: () => call((r) => r.listBuiltins()),
    defaultScenarioId: () => call((r) => r.defaultScenarioId()),
    listDesigns: () => call((r) => r.listDesigns()),
    validate: (scenario) => call((r) => r.validate(toJson(scenario))),
    getScenario: (id) => call((r) => r.getScenario(id)),
    defaultVariant: (id) => call((r) => r.defaultVariant(id)),
    builtinWithVariant: (id, v) => call((r) => r.builtinWithVariant(id, v)),
    run: async (scenario, slot = 'main') => {
      const json = toJson(scenario);
      const me = live;
      const t0 = performance.now();
      const { info: sent, last, scenarioAsSent, basisToken } = await call((r) => r.run(json, slot), runTimeoutMs);
      // the scenario that ran is the text sent, as sent: parsed here rather than copied back
      const info = scenarioAsSent ? { ...sent, scenario: JSON.parse(json) as Scenario } : sent;
      if (info.scenario) lastGood.set(slot, json);
      lastOfRun.delete(slot);
      if (basisToken && info.layoutBasis && me === live) basisOf.set(slot, { token: basisToken, lists: info.layoutBasis });
      else basisOf.delete(slot);
      if (last && me === live) lastOfRun.set(slot, { step: last.step, view: receive(slot, last, t0, performance.now()) });
      return info;
    },
    snapshot,
    events: (from, to, slot) => call((r) => r.events(from, to, slot)),
    lines: (list, from, to, step, slot) => call((r) => r.lines(list, from, to, step, slot)),
    uevents: (from, to, step, slot) => call((r) => r.uevents(from, to, step, slot)),
    latestUevent: (step, devpaths, slot) => call((r) => r.latestUevent(step, devpaths, slot)),
    sysfsDirs: (step, dirs, slot) => call((r) => r.sysfsDirs(step, dirs, slot)),
    findings: (step, slot) => call((r) => r.findings(step, slot)),
    resolveStop: (stop, slot) => call((r) => r.resolveStop(stop, slot)),
    explain: (step, devpath, slot) => call((r) => r.explain(step, devpath, slot)),
    ueventFile: (step, devpath, slot) => call((r) => r.ueventFile(step, devpath, slot)),
    layout: (expanded, slot) => call((r) => r.layout(expanded, slot)),
    withAction: (action, step, slot) => call((r) => r.withAction(action, step, slot)),
    importFiles: (files) => call<ImportOutcome | null>((r) => r.importFiles(files)),
    machineReport: () => call((r) => r.machineReport()),
    cancel: () => restart('cancelled: the engine was stopped and restarted; the last good view is kept'),
    onRestart: (l) => void listeners.push(l),
    dispose() {
      if (disposed) return;
      disposed = true;
      live.remote[Comlink.releaseProxy]();
      live.worker.terminate();
      const err = new Error('the engine was disposed');
      for (const reject of live.pending) reject(err);
    },
  };
}
