/**
 * A Simulation's snapshots as the UI gets them (protocol.ts UiSnapshot): the records, the long
 * lists' counts, and what the UI would otherwise have read from them. The worker keeps one per
 * slot; tests use it to make the snapshots the UI would hold. No getter of the engine's
 * snapshot is read here: its sysfs listing is built only for the /sys browser (engine.worker.ts
 * sysfsDirs), its uevent and log lists never copied.
 */
import type { Simulation, Snapshot } from '../engine/index';
import type { DeviceRec } from '../engine/core/state';
import { MonitorIndex } from './lineIndex';
import type { ListCounts, UiSnapshot } from './protocol';

export class UiSnapshots {
  private monitorIndex: MonitorIndex | null = null;
  private buses: string[] | null = null;

  constructor(readonly sim: Simulation) {}

  /** where the monitor text's lines start (lineIndex.ts), built as far as steps needed it */
  get monitor(): MonitorIndex {
    return (this.monitorIndex ??= new MonitorIndex(this.sim.kernel?.uevents ?? []));
  }

  /** how many uevents and log lines the run had sent after event `step` (EventLog.countsAfter) */
  counts(step: number): ListCounts {
    const k = this.sim.kernel;
    if (!k) return { uevents: 0, log: 0, monitorLines: 0 };
    const c = k.events.countsAfter(step);
    return { ...c, monitorLines: this.monitor.lineCount(c.uevents) };
  }

  /**
   * Which buses give their devices a driver_override file (core/sysfs.ts deviceSysfs: the bus's
   * deviceAttrs). No bus decides it per device (each ignores its argument), so a device of the
   * bus stands for all of them; a bus with none at the end of the run is asked with a stand-in.
   */
  overrideBuses(): string[] {
    if (this.buses) return this.buses;
    const k = this.sim.kernel;
    const buses: string[] = [];
    if (k) {
      const some = new Map<string, DeviceRec>();
      for (const d of k.state.devices.values()) if (d.bus && !some.has(d.bus)) some.set(d.bus, d);
      for (const [name, bt] of k.busTypes) if (bt.deviceAttrs(some.get(name) ?? ({ bus: name } as DeviceRec)).includes('driver_override')) buses.push(name);
    }
    return (this.buses = buses);
  }

  /** an engine snapshot of this run as the UI gets it (the same record arrays) */
  of(s: Snapshot): UiSnapshot {
    return {
      step: s.step, devices: s.devices, drivers: s.drivers, modules: s.modules, firmware: s.firmware, facts: s.facts, tsm: s.tsm,
      files: s.files, kernelVersion: s.kernelVersion, udevRunning: s.udevRunning,
      counts: this.counts(s.step), overrideBuses: this.overrideBuses(),
    };
  }

  at(step: number): UiSnapshot {
    return this.of(this.sim.stateAt(step));
  }
}
