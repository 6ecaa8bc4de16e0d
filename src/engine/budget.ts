/**
 * A run's budget (boot.ts runScenario checks it as events are recorded, i.e. inside every
 * engine loop): the run stops, with the reason recorded, when it records more events than
 * this, runs longer than this wall time, or holds more devices than this. Large generated runs
 * (bench/) raise them. A module of its own: the UI's engine client reads the wall time (it waits
 * that long for a run, on top of its own timeout) without loading the engine.
 */
export interface RunBudget {
  maxEvents: number;
  maxMillis: number;
  maxDevices: number;
}

/**
 * What a run may take unless it asks for more. Sized for a machine of 100,000 devices (the
 * generated bench scenario at 100k records 1.49 M events, in 4–6 s in Chromium's worker): a
 * run holds ~260 bytes an event and time travel ~230 more (docs/PERFORMANCE.md), so 2 M events
 * stay near 1 GB of the worker's heap. Runaways (a probe loop, a cycle between modules) are
 * stopped by the deferred-probe retry and nesting guards first, else by the event count.
 */
export const DEFAULT_BUDGET: RunBudget = { maxEvents: 2_000_000, maxMillis: 20_000, maxDevices: 200_000 };
