/**
 * Union of snapshots: every device, driver, module and firmware node that appears in any
 * of them, each in its latest form, in first-seen order. Pure; used by the worker to give
 * the graph one layout for a whole run (see protocol.ts RunInfo.layoutBasis).
 */
import type { SnapshotCore } from './protocol';

/**
 * `keep` names a list field whose latest non-empty value is kept: a driver stays laid out
 * next to the devices it was bound to (and a module next to its drivers) after an unbind or
 * rmmod empties the list, so nodes do not jump when a user action forks the run.
 */
function merge<T>(lists: T[][], key: (t: T) => string, keep?: keyof T): T[] {
  const out = new Map<string, T>();
  for (const list of lists)
    for (const item of list) {
      const k = key(item);
      const before = out.get(k);
      const emptied = keep && before && (item[keep] as unknown[]).length === 0 && (before[keep] as unknown[]).length > 0;
      out.set(k, emptied ? { ...item, [keep]: before[keep] } : item);
    }
  return [...out.values()];
}

export function unionSnapshot(snaps: SnapshotCore[]): SnapshotCore | null {
  const last = snaps[snaps.length - 1];
  if (!last) return null;
  // the records only: spreading an engine snapshot would read its long lists (getters that build them)
  return {
    step: last.step, facts: last.facts, tsm: last.tsm, files: last.files, kernelVersion: last.kernelVersion, udevRunning: last.udevRunning,
    devices: merge(snaps.map((s) => s.devices), (d) => d.devpath),
    drivers: merge(snaps.map((s) => s.drivers), (d) => d.id, 'devices'),
    modules: merge(snaps.map((s) => s.modules), (m) => m.name, 'drivers'),
    firmware: merge(snaps.map((s) => s.firmware), (f) => f.id),
  };
}

/** Runs up to this many events use every step's snapshot (and get exact module changes). */
const MAX_LAYOUT_SNAPSHOTS = 400;

/** events after which something may be gone from the next snapshot (or a list emptied: see merge's `keep`) */
const REMOVES = new Set(['device_del', 'driver_unregister', 'unbind']);
/** events after which something may be new */
const ADDS = new Set(['device_add', 'driver_register', 'bind', 'module']);

/**
 * Steps whose snapshots make the layout basis. A normal run: every step. A longer one: the
 * last step, and the step just before each removal (device_del, driver_unregister, unbind)
 * that follows an addition: whatever exists at some step either is still there at the end or
 * is there just before the event that removed it, so the union of these snapshots holds every
 * device, driver, module and firmware node of the run, each in its latest form, and each
 * driver's (module's) last non-empty list of devices (drivers). A few snapshots instead of
 * one per step: a 10k-device run takes a handful.
 */
export function layoutSteps(kindAt: (i: number) => string, lastStep: number): number[] {
  if (lastStep + 1 <= MAX_LAYOUT_SNAPSHOTS) return Array.from({ length: lastStep + 1 }, (_, i) => i);
  const steps: number[] = [];
  let added = true; // the state before the first event counts as new
  for (let i = 0; i <= lastStep; i++) {
    const kind = kindAt(i);
    if (REMOVES.has(kind) && added && i > 0) {
      steps.push(i - 1);
      added = false;
    }
    if (ADDS.has(kind)) added = true;
  }
  if (steps[steps.length - 1] !== lastStep) steps.push(lastStep);
  return steps;
}

/** A module's state from a step on (the steps where it changes), for "loads at step N". */
export interface ModuleChange {
  module: string;
  /** 0-based event index of the first snapshot in the new state */
  step: number;
  state: string;
}

/**
 * Where each module's state changes over a run, from its snapshots at `steps` (ascending).
 * Exact when `steps` holds every step; the caller leaves it out for a sampled run.
 */
export function moduleChanges(snaps: SnapshotCore[], steps: number[]): ModuleChange[] {
  const out: ModuleChange[] = [];
  const last = new Map<string, string>();
  snaps.forEach((snap, i) => {
    for (const m of snap.modules) {
      if (last.get(m.name) === m.state) continue;
      if (last.has(m.name) || m.state !== 'not-loaded') out.push({ module: m.name, step: steps[i]!, state: m.state });
      last.set(m.name, m.state);
    }
  });
  return out;
}
