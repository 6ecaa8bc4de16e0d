/**
 * A bus as the driver core sees it: a table of operations, like `struct bus_type`
 * (include/linux/device/bus.h). The core never names a bus; it calls these.
 */
import type { DriverDef } from '../scenario/schema';
import type { DeviceRec, DriverRec } from '../core/state';
import type { Kernel } from '../core/kernel';

/**
 * Where a device or driver is filed in its bus's candidate index (Kernel.candidateDrivers): a
 * kind ('name', 'of', 'acpi', 'drv', 'id', ...) and a value as the record holds it. The value is
 * the record's own string, not a "kind:value" built per call: a built key is a new string whose
 * hash is computed at every lookup (~3× a lookup by a string whose hash V8 has kept).
 */
export type IndexKey = readonly [kind: string, value: string];
/** the key of a device or driver that may match anything on its bus (the bus's match op decides) */
export const ANY_KEY: IndexKey = Object.freeze(['*', '']) as IndexKey;

export interface MatchResult {
  matched: boolean;
  rule: string;
  /**
   * What was compared, as the trace shows it; or how to make that sentence, when it is read (the
   * matches of a large run's every device are recorded, few are read: `comparedText`)
   */
  compared: string | DeferredText;
  cite: string;
}

/**
 * A sentence made when it is read: `text(...args)`, `text` one function per call site. The trace
 * keeps the arguments in its columns (trace/eventlog.ts), not this object: a closure per match
 * kept two objects per match alive (the function and its context), ~140k of each in a 100k run.
 */
export interface DeferredText {
  readonly text: (...args: never[]) => string;
  readonly args: readonly unknown[];
}

/** `text(...args)`, made when read */
export function deferred<A extends unknown[]>(text: (...args: A) => string, ...args: A): DeferredText {
  return { text: text as unknown as DeferredText['text'], args };
}

/** a deferred sentence made now */
export function deferredText(d: DeferredText): string {
  return (d.text as (...args: unknown[]) => string)(...d.args);
}

/** a match result's sentence, made now if it was deferred */
export function comparedText(m: { compared: string | DeferredText }): string {
  return typeof m.compared === 'string' ? m.compared : deferredText(m.compared);
}

export interface BusType {
  name: string;
  /** the kernel file that implements this bus */
  source: string;
  /** bus->match (e.g. platform_match) */
  match(k: Kernel, dev: DeviceRec, drv: DriverRec): MatchResult;
  /** bus->uevent; null when the bus has no uevent callback (faux) */
  uevent: ((k: Kernel, dev: DeviceRec) => [string, string][]) | null;
  ueventCite: string | null;
  /** bus->probe: runs around the driver's probe (e.g. platform_probe); returns 0 or -errno */
  probe(k: Kernel, dev: DeviceRec, drv: DriverRec, driverProbe: () => number): number;
  probeCite: string;
  /** bus->remove: runs around the driver's remove */
  remove(k: Kernel, dev: DeviceRec, drv: DriverRec, driverRemove: () => void): void;
  /** the name struct device_driver gets (auxiliary: modname[.name]) */
  driverName(def: DriverDef, module: string | null, key: string): string;
  /** driver registration checks before driver_register (auxiliary: probe and id_table are mandatory) */
  checkDriver?(k: Kernel, def: DriverDef, name: string): number;
  /** file2alias: the modules.alias patterns a driver's device tables produce */
  aliases(def: DriverDef, driverName: string): string[];
  /** index keys: a device and a driver can only match if they share a key (ANY_KEY: any) */
  deviceKeys(k: Kernel, dev: DeviceRec): IndexKey[];
  driverKeys(drv: DriverRec): IndexKey[];
  /** device attributes in the device's sysfs directory (besides uevent, subsystem, driver, power) */
  deviceAttrs(dev: DeviceRec): string[];
  readDeviceAttr(k: Kernel, dev: DeviceRec, attr: string): string | null;
  /** the bus's register helper sets drv->mod_name, so module_add_driver() links even built-in drivers */
  setsModName: boolean;
  /** devices registered without a parent go under this root device's devpath */
  rootDevpath: string | null;
}
