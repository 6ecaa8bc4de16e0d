/**
 * Import a real machine (a bundle from scripts/capture-machine.sh, or bare `udevadm info --export-db`
 * output) as a scenario, replay it, and compare the replay with what the machine reported.
 * Pure TypeScript: the Web Worker calls these as the CLI does (docs/machine-import.md).
 */
import { Simulation } from '../../engine/index';
import type { Scenario } from '../../engine/scenario/schema';
import type { Snapshot, TraceEvent } from '../../engine/api';
import { readCapture, type Capture } from './capture';
import { buildScenario, type BuildResult } from './build';
import { compareMachine as compareWith, type MachineReport } from './compare';
import type { ParseError } from './parse';

export type { ParseError } from './parse';
export type { Capture, MachineDevice, MachineDriver } from './capture';
export type { BuildResult, DeviceImport, DriverImport } from './build';
export type { DeviceReport, MachineReport, Verdict } from './compare';
export { readCapture } from './capture';
export { buildScenario } from './build';

export interface ImportSummary {
  host: string | null;
  kernel: string | null;
  forms: string[];
  /** devices in the capture (with a subsystem), on a bus, class devices */
  devices: number;
  onBus: number;
  classDevices: number;
  buses: string[];
  /** drivers bound to at least one device on the machine */
  boundDrivers: number;
  /** devices, drivers and modules in the scenario */
  scenarioDevices: number;
  scenarioDrivers: number;
  scenarioModules: number;
  /** drivers whose match table could not be derived */
  unknownTables: string[];
}

/** what compareMachine needs besides the run: the capture and how it was mapped */
export interface ImportedMachine {
  capture: Capture;
  build: BuildResult;
}

export type ImportResult =
  | { ok: true; scenario: Scenario; summary: ImportSummary; machine: ImportedMachine }
  | { ok: false; errors: ParseError[] };

export function importMachine(text: string): ImportResult {
  const r = readCapture(text);
  if (!r.ok) return r;
  const cap = r.capture;
  const build = buildScenario(cap);
  const withSub = [...cap.devices.values()].filter((d) => d.devpath.startsWith('/devices/') && d.subsystem !== null);
  const bound = new Set(withSub.filter((d) => d.driver && d.onBus).map((d) => `${d.subsystem}/${d.driver}`));
  const imported = [...build.devices.values()].filter((d) => d.kind !== 'class' && d.kind !== 'skipped').length;
  const summary: ImportSummary = {
    host: cap.hostname, kernel: cap.kernel, forms: cap.forms,
    devices: withSub.length, onBus: withSub.filter((d) => d.onBus).length, classDevices: withSub.filter((d) => !d.onBus).length,
    buses: [...cap.buses].sort(), boundDrivers: bound.size,
    scenarioDevices: imported, scenarioDrivers: build.drivers.size, scenarioModules: build.scenario.modules.length,
    unknownTables: [...build.drivers.values()].filter((d) => d.table === 'unknown').map((d) => d.id).sort(),
  };
  return { ok: true, scenario: build.scenario, summary, machine: { capture: cap, build } };
}

/** the replay's result (final snapshot and trace) against the capture, device by device */
export function compareMachine(machine: ImportedMachine, run: { snapshot: Snapshot; events: TraceEvent[] }): MachineReport {
  return compareWith(machine.capture, machine.build, run.snapshot, run.events);
}

export type ReplayResult =
  | { ok: true; scenario: Scenario; summary: ImportSummary; report: MachineReport; errors: { path: string; message: string }[]; stopped: string | null; ms: { import: number; run: number; compare: number } }
  | { ok: false; errors: ParseError[] };

/** import, run from boot, compare: what `sim import machine` prints */
export function replayMachine(text: string, now: () => number = () => Date.now()): ReplayResult {
  const t0 = now();
  const imp = importMachine(text);
  if (!imp.ok) return imp;
  const t1 = now();
  // a machine's worth of devices: the default budget's wall time is for hand-written scenarios
  const sim = new Simulation(imp.scenario, { maxMillis: 60_000 });
  const events = sim.summary().events;
  const snapshot = sim.stateAt(sim.lastStep);
  const t2 = now();
  const report = compareMachine(imp.machine, { snapshot, events });
  const t3 = now();
  return {
    ok: true, scenario: imp.scenario, summary: imp.summary, report, errors: sim.errors,
    stopped: sim.stopped ? `${sim.stopped.budget}: ${sim.stopped.message}` : null,
    ms: { import: t1 - t0, run: t2 - t1, compare: t3 - t2 },
  };
}
