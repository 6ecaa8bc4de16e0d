/**
 * The engine's public contract: what the worker, the CLI and the tests see.
 * Pure data, JSON-serialisable. Nothing here may import React or the DOM.
 */

/** A kernel source location the engine models, e.g. "drivers/base/dd.c:really_probe". */
export type Citation = string;

export type EventKind =
  | 'phase' // boot phase / initcall level / userspace step header
  | 'firmware' // PSCI/SMCCC discovery, DT/ACPI parsing
  | 'device_add'
  | 'device_del'
  | 'driver_register'
  | 'driver_unregister'
  | 'match' // a match decision (positive or negative) with the rule and the strings compared
  | 'probe' // really_probe start / result
  | 'bind'
  | 'unbind'
  | 'defer'
  | 'uevent'
  | 'udev' // udev reacting to a uevent
  | 'module' // module load/unload/init result
  | 'sysfs' // a sysfs write/read by userspace and its result
  | 'tsm'
  | 'action' // a user/scenario action header
  | 'error'; // a kernel error outcome (-EEXIST, -EBUSY...) — recorded, never thrown

export interface MatchInfo {
  driver: string; // driver name
  bus: string;
  device: string; // device sysfs name
  matched: boolean;
  rule: string; // e.g. "driver_override", "of_match_table", "id_table", "name", "always", "auxiliary_match_id"
  compared: string; // human-readable: 'device "arm-cca-dev" vs id_table ["arm-rsi-dev"]'
  cite: Citation;
}

export interface UeventRecord {
  seq: number; // SEQNUM
  action: 'add' | 'remove' | 'change' | 'bind' | 'unbind' | 'move' | 'online' | 'offline';
  devpath: string; // e.g. /devices/platform/arm-cca-dev
  subsystem: string;
  env: [string, string][]; // in kernel order, ACTION first, SEQNUM last
}

export interface TraceEvent {
  index: number; // position in the timeline (0-based)
  kind: EventKind;
  text: string; // one sentence a kernel developer reads
  cite: Citation; // the kernel function modelled
  depth: number; // call nesting, for indentation
  /** what the event touched, for highlighting: devpaths, driver ids ("bus/name"), module names */
  touches: { devices?: string[]; drivers?: string[]; modules?: string[] };
  uevent?: UeventRecord;
  match?: MatchInfo;
  errno?: number; // negative errno when the event is an error outcome
  log?: string; // kernel log line emitted by this event, if any
  /** true at points where userspace may act (between kernel operations) */
  boundary?: boolean;
}

/** what userspace saw for one sysfs write or read: `sh`/`cat` output lines and 0 or -errno */
export interface ActionResult {
  rc: number;
  output: string[];
}

export interface DeviceView {
  name: string;
  bus: string | null;
  class: string | null;
  devpath: string; // /devices/...
  parent: string | null; // parent's devpath
  driver: string | null;
  modalias: string | null;
  driverOverride: string | null;
  /** files userspace has in this device's directory and the driver's: bind/unbind exist? */
  unbindable: boolean;
  ofNode: string | null; // DT node path, if any
  acpiHid: string | null;
  firmwareNode: string | null; // firmware node id that gave rise to it (DT path or ACPI table)
  deferred: boolean;
  devmParent: string | null; // devpath of the device whose devres owns this one
  createdBy: string | null; // module or kernel component that created it
  // its uevent file is read one device at a time (Simulation.ueventFile): ~2-6 lines a device, a
  // sixth of what a 100k-device snapshot would otherwise carry to the UI
}

export interface DriverView {
  id: string; // "bus/name"
  name: string;
  bus: string;
  module: string | null;
  bindAttrs: boolean;
  devices: string[]; // devpaths bound
}

/** loading: load_module() has run and module_init is running (MODULE_STATE_COMING: /proc/modules says "Loading") */
export type ModuleState = 'builtin' | 'loaded' | 'loading' | 'not-loaded' | 'failed';
export interface ModuleView {
  name: string;
  state: ModuleState;
  loadedBy: string | null; // the alias, "manual", or null
  location: 'builtin' | 'module' | 'absent';
  aliases: string[]; // what depmod put in modules.alias for it
  drivers: string[]; // driver ids it registered
  initRet: number | null; // what module_init (or the initcall) last returned: 0 or -errno; null: never ran
}

export interface FirmwareNodeView {
  id: string; // "/psci" or "ACPI:FADT"
  kind: 'dt' | 'acpi' | 'smccc' | 'psci';
  label: string;
  props: Record<string, string>;
  parent: string | null;
  /** devpaths of devices this node gave rise to */
  devices: string[];
}

export interface Snapshot {
  step: number; // index of the last applied event (-1 = before anything)
  devices: DeviceView[];
  drivers: DriverView[];
  modules: ModuleView[];
  uevents: UeventRecord[];
  sysfs: string[]; // sorted; symlinks as "path -> target"
  log: string[];
  firmware: FirmwareNodeView[];
  facts: Record<string, string | number | boolean>; // psci version, conduit, services...
  tsm: { reportProvider: string | null; classDevices: string[] };
  /** sysfs files outside the device model, e.g. /sys/firmware/cca/realm_guest: path → contents */
  files: Record<string, string>;
  kernelVersion: string;
  udevRunning: boolean;
}

export interface ScenarioError {
  path: string; // JSON path, e.g. "modules[2].init[0].op"
  message: string;
}

export interface RunSummary {
  id: string;
  title: string;
  source: string; // where the design comes from (mailing-list date and subject)
  events: TraceEvent[];
  errors: ScenarioError[];
}

export interface BuiltinInfo {
  id: string;
  title: string;
  description: string;
  design: string; // mainline | host-rfc | faux | auxiliary | smccc-bus | custom
  side: 'guest' | 'host';
  /** the posting this built-in follows ("v5", "queued"); the design's default revision has id === design (+ "-host") */
  revision: string;
  source: string;
  kernel: string;
  /** behaviour shown that the cited code does not have */
  extrapolated: string[];
}
