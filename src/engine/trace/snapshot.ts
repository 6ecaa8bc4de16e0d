/**
 * Views of a kernel state for the UI, the CLI and tests. Pure functions of a Kernel (the live
 * one, or the timeline's cursor).
 */
import type { DeviceView, DriverView, FirmwareNodeView, MatchInfo, ModuleView, Snapshot } from '../api';
import type { Kernel } from '../core/kernel';
import type { DeviceRec, DriverRec, ModuleRec } from '../core/state';
import type { Discovery } from '../firmware/discovery';
import { devUeventVars } from '../core/core';
import { listSysfs } from '../core/sysfs';
import { comparedText } from '../buses/types';
import { moduleAliases } from '../userspace/kmod';

/** a device as the UI shows it (its uevent file: ueventFile) */
export function deviceView(k: Kernel, d: DeviceRec): DeviceView {
  const drv = d.driver ? k.driver(d.driver) : undefined;
  const vars = ueventVars(k, d);
  return {
    name: d.name,
    bus: d.bus,
    class: d.cls,
    devpath: d.devpath,
    parent: d.parent,
    driver: drv?.name ?? null,
    modalias: vars.find(([key]) => key === 'MODALIAS')?.[1] ?? null,
    driverOverride: d.driverOverride,
    unbindable: !!drv?.bindAttrs,
    ofNode: d.ofNode,
    acpiHid: d.acpiHid,
    firmwareNode: d.fwnode ?? (d.ofNode ? `dt:${d.ofNode}` : null),
    deferred: d.deferred || k.deferredActive.includes(d.devpath),
    devmParent: d.devmOwner,
    createdBy: d.createdBy,
  };
}

/** what dev_uevent() adds for the device (drivers/base/core.c): nothing for a device with neither bus nor class */
const ueventVars = (k: Kernel, d: DeviceRec) => (d.bus || d.cls ? devUeventVars(k, d) : []);

/**
 * The device's uevent file in this state (drivers/base/core.c uevent_show: dev_uevent's variables,
 * one KEY=value a line), null when no device is at `devpath`.
 */
export function ueventFile(k: Kernel, devpath: string): string[] | null {
  const d = k.device(devpath);
  return d ? ueventVars(k, d).map(([a, b]) => `${a}=${b}`) : null;
}

export function deviceViews(k: Kernel): DeviceView[] {
  return [...k.state.devices.values()].sort((a, b) => (a.devpath < b.devpath ? -1 : 1)).map((d) => deviceView(k, d));
}

/** a driver and the devices bound to it (its klist_devices, sorted by devpath) */
export function driverView(k: Kernel, d: DriverRec): DriverView {
  return { id: d.id, name: d.name, bus: d.bus, module: d.module, bindAttrs: d.bindAttrs, devices: [...k.state.boundBy.get(d.id)].sort() };
}

export function driverViews(k: Kernel): DriverView[] {
  return [...k.state.drivers.values()].sort((a, b) => a.order - b.order).map((d) => driverView(k, d));
}

export function moduleView(k: Kernel, m: ModuleRec): ModuleView {
  // in registration order (the cursor's table order depends on the way it came)
  const mine: DriverRec[] = [];
  for (const id of k.state.moduleDrivers.get(m.name)) mine.push(k.state.drivers.get(id)!);
  const drivers = mine.sort((a, b) => a.order - b.order).map((d) => d.id);
  return {
    name: m.name,
    state: m.state,
    loadedBy: m.loadedBy,
    location: m.location,
    aliases: moduleAliases(k.scenario, m.name).patterns.slice(),
    drivers,
    initRet: m.initRet ?? null,
  };
}

export function moduleViews(k: Kernel): ModuleView[] {
  return [...k.state.modules.values()].map((m) => moduleView(k, m));
}

export function firmwareViews(k: Kernel, d: Discovery): FirmwareNodeView[] {
  const byNode = new Map<string, string[]>();
  for (const x of k.state.devices.values()) {
    const id = x.fwnode ?? (x.ofNode ? `dt:${x.ofNode}` : null);
    if (id === null) continue;
    const l = byNode.get(id);
    if (l) l.push(x.devpath);
    else byNode.set(id, [x.devpath]);
  }
  return d.nodes.map((n) => ({ ...n, devices: (byNode.get(n.id) ?? []).sort() }));
}

/** the firmware and kernel facts a snapshot carries (fixed for a run) */
export function snapshotFacts(d: Discovery): Snapshot['facts'] {
  const f = d.facts;
  return {
    kernel: f.kernel, firmware: f.firmware, psci: f.psci, psciVersion: f.psciVersion ?? 'none', conduit: f.conduit,
    smcccVersion: f.smcccVersion, rsi: f.rsi, rmi: f.rmi, rmi_da: f.rmi_da, trng: f.trng, faux_bus: f.faux_bus, tsm_class: f.tsm_class,
  };
}

/** the state, rebuilt from scratch (the reference trace/views.ts SnapshotViews keeps up to date incrementally) */
export function makeSnapshot(k: Kernel, d: Discovery, step: number, ueventCount: number, logCount: number): Snapshot {
  return {
    step,
    devices: deviceViews(k),
    drivers: driverViews(k),
    modules: moduleViews(k),
    uevents: k.uevents.slice(0, ueventCount),
    sysfs: listSysfs(k),
    log: k.log.slice(0, logCount),
    firmware: firmwareViews(k, d),
    facts: snapshotFacts(d),
    tsm: {
      reportProvider: k.state.misc.tsmProvider,
      classDevices: [...k.state.devices.values()].filter((x) => x.cls === 'tsm').map((x) => x.devpath).sort(),
    },
    udevRunning: k.state.misc.udevRunning,
    files: Object.fromEntries([...k.state.files.entries()].sort(([a], [b]) => (a < b ? -1 : 1))),
    kernelVersion: k.scenario.kernel.version,
  };
}

/** every driver on the device's bus, matched against it: why each did or did not match */
export function explainDevice(k: Kernel, devpath: string): MatchInfo[] {
  const dev = k.device(devpath);
  if (!dev?.bus) return [];
  const bt = k.busTypes.get(dev.bus);
  if (!bt) return [];
  return k.busDrivers(dev.bus).map((drv) => {
    const m = bt.match(k, dev, drv);
    return { driver: drv.name, bus: drv.bus, device: dev.name, matched: m.matched, rule: m.rule, compared: comparedText(m), cite: m.cite };
  });
}
