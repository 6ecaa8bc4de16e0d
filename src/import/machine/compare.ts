/**
 * Device by device: did the replay bind what the machine bound (same driver; a loadable driver's
 * module loaded, by the alias the machine's modules.alias gives for that device's MODALIAS)?
 */
import type { Snapshot, TraceEvent } from '../../engine/api';
import type { Capture } from './capture';
import type { BuildResult } from './build';
import { AliasTable } from './build';

export type Verdict = 'matched' | 'mismatched' | 'not modelled';

export interface DeviceReport {
  devpath: string;
  subsystem: string | null;
  verdict: Verdict;
  /** what the machine reported */
  machine: { driver: string | null; module: string | null; moduleState: 'loaded' | 'builtin' | null; alias: string | null; modalias: string | null };
  /** what the replay did */
  replay: { present: boolean; driver: string | null; module: string | null; moduleState: string | null; alias: string | null; modalias: string | null };
  reason: string;
}

export interface MachineReport {
  host: string | null;
  kernel: string | null;
  forms: string[];
  totals: {
    /** devices with a subsystem in the capture */
    devices: number;
    onBus: number;
    classDevices: number;
    /** bare devices imported (no subsystem on the machine, or ancestors) */
    bare: number;
    buses: number;
    /** distinct drivers with at least one bound device on the machine */
    boundDrivers: number;
    boundDevices: number;
    matched: number;
    mismatched: number;
    notModelled: number;
    /** bound on the machine and bound to the same driver in the replay */
    boundMatched: number;
  };
  /** matched / devices on a bus (class devices are listed as not modelled and left out of the rate) */
  matchRate: number;
  /** matched bound devices / devices bound on the machine */
  boundMatchRate: number;
  devices: DeviceReport[];
  notes: string[];
}

/** per device, the udev lines that named a module and the alias pattern that matched */
function udevAliases(events: TraceEvent[]): Map<string, { module: string; pattern: string }[]> {
  const out = new Map<string, { module: string; pattern: string }[]>();
  for (const e of events) {
    if (e.kind !== 'udev' || !e.touches.devices?.length || !e.touches.modules?.length) continue;
    const m = /alias (\S+?)\)? /.exec(e.text);
    if (!m) continue;
    for (const d of e.touches.devices) {
      const l = out.get(d) ?? [];
      l.push({ module: e.touches.modules[0]!, pattern: m[1]! });
      out.set(d, l);
    }
  }
  return out;
}

/** per device, the last positive match decision of the replay (rule and what was compared) */
function lastMatches(events: TraceEvent[]): Map<string, { rule: string; compared: string }> {
  const out = new Map<string, { rule: string; compared: string }>();
  for (const e of events) {
    if (e.kind !== 'match' || !e.match?.matched) continue;
    const d = e.touches.devices?.[0];
    if (d) out.set(d, { rule: e.match.rule, compared: e.match.compared });
  }
  return out;
}

export function compareMachine(cap: Capture, build: BuildResult, snap: Snapshot, events: TraceEvent[]): MachineReport {
  const simDevices = new Map(snap.devices.map((d) => [d.devpath, d]));
  const simModules = new Map(snap.modules.map((m) => [m.name, m]));
  const simDriverModule = new Map(snap.drivers.map((d) => [d.id, d.module]));
  const udev = udevAliases(events);
  const matches = lastMatches(events);
  const loaded = new Set(cap.loaded.map((m) => m.name));
  const aliasTable = new AliasTable(cap.aliases);
  const reports: DeviceReport[] = [];
  const boundDrivers = new Set<string>();
  let classDevices = 0;
  let onBus = 0;
  let boundDevices = 0;
  let boundMatched = 0;
  for (const d of cap.devices.values()) {
    if (!d.devpath.startsWith('/devices/') || d.subsystem === null) continue;
    const imp = build.devices.get(d.devpath);
    const sim = simDevices.get(d.devpath);
    const drvId = d.driver && d.onBus ? `${d.subsystem}/${d.driver}` : null;
    const di = drvId ? build.drivers.get(drvId) : undefined;
    const machineModule = di && di.module !== 'vmlinux' ? di.module : null;
    const moduleState = machineModule ? (loaded.has(machineModule) ? 'loaded' : 'builtin') : d.driver ? 'builtin' : null;
    const machineAlias = machineModule && moduleState === 'loaded' && d.modalias ? (aliasTable.lookup(d.modalias).find((h) => h.module === machineModule)?.pattern ?? null) : null;
    // DeviceView.driver is the driver's name; its id is "bus/name", as the import's
    const simDriver = sim?.driver ?? null;
    const simDriverId = sim?.driver ? `${sim.bus}/${sim.driver}` : null;
    const simModule = simDriverId ? (build.drivers.get(simDriverId)?.module ?? simDriverModule.get(simDriverId) ?? null) : null;
    const simAlias = simModule ? (udev.get(d.devpath)?.find((u) => u.module === simModule)?.pattern ?? null) : null;
    const report: DeviceReport = {
      devpath: d.devpath, subsystem: d.subsystem, verdict: 'matched',
      machine: { driver: d.driver, module: machineModule, moduleState, alias: machineAlias, modalias: d.modalias },
      replay: { present: !!sim, driver: simDriver, module: simModule, moduleState: simModule ? (simModules.get(simModule)?.state ?? null) : null, alias: simAlias, modalias: sim?.modalias ?? null },
      reason: '',
    };
    reports.push(report);
    if (d.driver && d.onBus) {
      boundDevices++;
      boundDrivers.add(drvId!);
    }
    const set = (v: Verdict, reason: string) => {
      report.verdict = v;
      report.reason = reason;
    };
    if (!d.onBus || imp?.kind === 'class') {
      classDevices++;
      set('not modelled', `class device (class ${d.subsystem}): the engine models no classes but tsm${imp?.kind === 'bare' ? '; imported as a bare device because bus devices sit below it' : ''}`);
      continue;
    }
    onBus++;
    if (imp?.kind === 'skipped') {
      set('not modelled', imp.why);
      continue;
    }
    if (!sim) {
      set('mismatched', 'the replay did not create this device (see the run\'s errors: a name the engine derives differently, e.g. a platform ".N.auto" id)');
      continue;
    }
    const bus = d.subsystem;
    const unknownBus = bus !== 'platform' && bus !== 'auxiliary' && bus !== 'faux';
    const modaliasNote = d.modalias !== null && sim.modalias !== null && sim.modalias !== d.modalias ? `; the replay's MODALIAS is ${sim.modalias}, the machine's ${d.modalias}` : '';
    if (simDriver === d.driver) {
      if (d.driver && moduleState === 'loaded') {
        const sm = simModules.get(machineModule!);
        if (sm?.state !== 'loaded') {
          set('mismatched', `bound to ${d.driver}, but module ${machineModule} is ${sm?.state ?? 'absent'} in the replay`);
          continue;
        }
        if (machineAlias && simAlias !== machineAlias) {
          set('mismatched', `bound to ${d.driver} (module ${machineModule} loaded${sm.loadedBy ? ` by ${sm.loadedBy === 'manual' ? 'modprobe' : `MODALIAS ${sm.loadedBy}`}` : ''}), but udev did not load it for this device by alias ${machineAlias}${simAlias ? ` (it used ${simAlias})` : ''}`);
          continue;
        }
      }
      // a module udev loaded for this device in the replay that the machine did not have loaded
      const extra = (udev.get(d.devpath) ?? []).filter((u) => !loaded.has(u.module) && simModules.get(u.module)?.state === 'loaded' && u.module !== machineModule);
      if (!d.driver && extra.length) {
        set('mismatched', `unbound, as on the machine, but the replay's udev loaded ${extra.map((u) => `${u.module} (alias ${u.pattern})`).join(', ')} for it; the machine did not have ${extra.length > 1 ? 'them' : 'it'} loaded (its module_init failed there, e.g. -ENODEV, or it is blacklisted)`);
        continue;
      }
      if (d.driver) boundMatched++;
      set('matched', d.driver ? `bound to ${d.driver}${moduleState === 'loaded' ? ` (module ${machineModule}${machineAlias ? `, alias ${machineAlias}` : ', loaded by modprobe'})` : ' (built in)'}` : 'unbound, as on the machine');
      continue;
    }
    // they differ
    if (d.driver && !simDriver) {
      if (!di) {
        set('not modelled', `driver ${d.driver} is on a bus the import does not model`);
      } else if (di.table === 'unknown') {
        set('not modelled', `driver ${d.driver}'s match table is unknown: ${di.module === 'vmlinux' ? 'built in, and the capture names no module for it' : `module ${di.module} has no ${bus} alias in ${di.location === 'module' ? 'modules.alias' : 'modules.builtin.modinfo'}`}${unknownBus && d.modalias === null ? `; the device has no MODALIAS (bus ${bus} matches by something else)` : ''}`);
      } else if (unknownBus && d.modalias === null) {
        set('not modelled', `bus ${bus} gave this device no MODALIAS: its match is not an id table the capture describes`);
      } else if (moduleState === 'loaded' && simModules.get(machineModule!)?.state !== 'loaded') {
        set('mismatched', `module ${machineModule} was not loaded in the replay (no alias of it matches MODALIAS ${d.modalias ?? '(none)'})`);
      } else if (di.table === 'name') {
        set('not modelled', `driver ${d.driver} has no aliases: the replay matched by name only ("${d.name}" vs "${d.driver}"); its OF/ACPI/id tables are unknown${modaliasNote}`);
      } else {
        set('mismatched', `driver ${d.driver}'s table, as derived from its aliases (${di.patterns}), does not match ${d.modalias ?? 'this device'}${modaliasNote}`);
      }
      continue;
    }
    if (!d.driver && simDriver) {
      const how = matches.get(d.devpath);
      set('mismatched', `the replay bound ${simDriver}${how ? ` (${how.rule}: ${how.compared})` : ''}; the machine left it unbound: its probe failed there (a probe's -ENODEV leaves no trace in a capture), or driver_override, or a bus match callback beyond the table`);
      continue;
    }
    set('mismatched', `the replay bound ${simDriver}, the machine ${d.driver}: ${di?.table === 'unknown' ? `${d.driver}'s match table is unknown; ` : 'both tables match; '}in the replay the bus match is the table alone and every probe succeeds, so the first driver to try wins; on the machine ${simDriver}'s probe or the bus's match callback refused the device (e.g. ata_generic's probe for a class-matched IDE function, serio's manual_bind for serio_raw)`);
  }
  const matched = reports.filter((r) => r.verdict === 'matched').length;
  const mismatched = reports.filter((r) => r.verdict === 'mismatched').length;
  const notModelled = reports.filter((r) => r.verdict === 'not modelled').length;
  const bare = [...build.devices.values()].filter((x) => x.kind === 'bare').length;
  reports.sort((a, b) => (a.devpath < b.devpath ? -1 : 1));
  return {
    host: cap.hostname, kernel: cap.kernel, forms: cap.forms,
    totals: { devices: reports.length, onBus, classDevices, bare, buses: cap.buses.size, boundDrivers: boundDrivers.size, boundDevices, matched, mismatched, notModelled, boundMatched },
    matchRate: onBus ? matched / onBus : 0,
    boundMatchRate: boundDevices ? boundMatched / boundDevices : 0,
    devices: reports,
    notes: build.notes,
  };
}
