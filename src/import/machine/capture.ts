/**
 * The machine as the capture describes it: devices (devpath, subsystem, bus or class, driver,
 * MODALIAS, OF/ACPI ids), drivers (bus, name, module), modules (loaded, built in, their aliases).
 * Merged from whichever sections the bundle has: udevadm export-db, the sysfs listing, the
 * uevent files, /proc/modules, modules.alias, modules.builtin(.modinfo).
 */
import {
  Problems, modName, parseBuiltinModinfo, parseModulesAlias, parseModulesBuiltin, parseProcModules, parseSysfsListing,
  parseUdevadm, parseUevents, resolveLink, splitBundle, type AliasLine, type ParseError, type Section,
} from './parse';

export interface MachineDevice {
  devpath: string;
  /** dev_name(): the last component */
  name: string;
  /** SUBSYSTEM (a bus or a class), null: a bare device (no bus, no class) */
  subsystem: string | null;
  /** true: the subsystem is a bus (/sys/bus/<s>), false: a class, null: not known */
  onBus: boolean | null;
  driver: string | null;
  modalias: string | null;
  /** OF_COMPATIBLE_0..N, OF_FULLNAME */
  ofCompatible: string[];
  ofFullname: string | null;
  /** OF_TYPE: the node's device_type (of_device_uevent adds it when the node has one) */
  ofType: string | null;
  /** the uevent properties as captured (udevadm E: lines or the uevent file) */
  env: Map<string, string>;
  /** where it was read (line in the bundle) */
  line: number;
}

export interface MachineDriver {
  bus: string;
  name: string;
  /** from /sys/bus/<bus>/drivers/<name>/module or /sys/module/<m>/drivers/<bus>:<name>; null: not in the capture */
  module: string | null;
}

export interface Capture {
  kernel: string | null;
  hostname: string | null;
  forms: string[];
  devices: Map<string, MachineDevice>;
  /** bus names from /sys/bus (or inferred), class names from /sys/class */
  buses: Set<string>;
  classes: Set<string>;
  /** "bus/name" → driver */
  drivers: Map<string, MachineDriver>;
  /** /proc/modules, in load order (oldest first) */
  loaded: { name: string; usedBy: string[]; state: string }[];
  builtin: Set<string>;
  aliases: AliasLine[];
  builtinAliases: AliasLine[];
  /** bare directories under /sys/devices that have a uevent file but no subsystem link (sysfs form) */
  bare: Set<string>;
}

export type CaptureResult = { ok: true; capture: Capture } | { ok: false; errors: ParseError[] };

/** buses a udevadm-only capture cannot tell from classes: subsystems with a MODALIAS or a DRIVER are buses, and these */
const KNOWN_BUSES = new Set(['platform', 'pci', 'usb', 'acpi', 'pnp', 'virtio', 'serio', 'hid', 'i2c', 'spi', 'scsi', 'cpu', 'memory', 'node', 'auxiliary', 'faux', 'mdio_bus', 'hdaudio', 'sdio', 'mmc', 'nvmem', 'serial-base', 'serial', 'event_source', 'clockevents', 'clocksource', 'container', 'workqueue', 'xen', 'xen-backend', 'vmbus', 'amba', 'nd', 'dax', 'cxl', 'thunderbolt', 'typec', 'mei', 'gameport', 'ac97', 'media', 'snd_seq', 'edac', 'machinecheck', 'wmi', 'ishtp', 'soundwire', 'intel-lpss', 'memory_tiering', 'genpd', 'cec', 'coresight', 'tee', 'rpmsg', 'mhi', 'greybus', 'fsl-mc', 'ccw', 'css', 'ap', 'vio', 'of_platform', 'gpio', 'iio', 'nvdimm', 'ulpi', 'usb-serial', 'pci_express', 'pci-epf', 'rapidio', 'mipi-dsi', 'host1x', 'wmi_bus', 'ipack', 'mcb', 'fpga', 'siox', 'slimbus', 'spmi', 'sdw', 'i3c', 'w1', 'bcma', 'ssb', 'zorro', 'dio', 'nubus', 'parisc', 'ecard', 'superhyway', 'maple', 'eisa', 'isa', 'pcmcia', 'hsi', 'counter', 'peci', 'surface_aggregator', 'cdx', 'tb', 'mdev', 'vdpa', 'ieee1394', 'firewire']);

function splitOfCompat(env: Map<string, string>): string[] {
  const n = Number(env.get('OF_COMPATIBLE_N') ?? '0');
  const out: string[] = [];
  for (let i = 0; i < n && i < 64; i++) {
    const c = env.get(`OF_COMPATIBLE_${i}`);
    if (c) out.push(c);
  }
  return out;
}

export function readCapture(text: string): CaptureResult {
  const problems = new Problems();
  const sections = splitBundle(text, problems);
  const by = new Map<string, Section>(sections.map((s) => [s.name, s]));
  const cap: Capture = {
    kernel: null, hostname: null, forms: [], devices: new Map(), buses: new Set(), classes: new Set(), drivers: new Map(),
    loaded: [], builtin: new Set(), aliases: [], builtinAliases: [], bare: new Set(),
  };
  const firstLine = (s: Section | undefined) => s?.lines.find((l) => l.text.trim() !== '')?.text.trim() ?? null;
  cap.kernel = firstLine(by.get('uname'));
  cap.hostname = firstLine(by.get('hostname'));
  if (cap.kernel !== null && !/^\d+\.\d+/.test(cap.kernel)) {
    const l = by.get('uname')!.lines.find((x) => x.text.trim() !== '')!;
    problems.add(l.n, 1, `uname: expected a kernel release such as 6.1.0-57-amd64, got ${JSON.stringify(cap.kernel.slice(0, 40))}`);
  }

  const dev = (devpath: string, line: number): MachineDevice => {
    let d = cap.devices.get(devpath);
    if (!d) {
      d = { devpath, name: devpath.slice(devpath.lastIndexOf('/') + 1), subsystem: null, onBus: null, driver: null, modalias: null, ofCompatible: [], ofFullname: null, ofType: null, env: new Map(), line };
      cap.devices.set(devpath, d);
    }
    return d;
  };
  const absorbEnv = (d: MachineDevice, env: Map<string, string>) => {
    for (const [k, v] of env) d.env.set(k, v);
    if (env.has('SUBSYSTEM')) d.subsystem = env.get('SUBSYSTEM')!;
    if (env.has('DRIVER')) d.driver = env.get('DRIVER')!;
    if (env.has('MODALIAS')) d.modalias = env.get('MODALIAS')!;
    if (env.has('OF_FULLNAME')) d.ofFullname = env.get('OF_FULLNAME')!;
    if (env.has('OF_TYPE') && env.get('OF_TYPE') !== '(null)') d.ofType = env.get('OF_TYPE')!;
    const oc = splitOfCompat(env);
    if (oc.length) d.ofCompatible = oc;
  };

  // udevadm export-db
  const udev = by.get('udevadm-export-db');
  if (udev) {
    cap.forms.push('udevadm');
    for (const r of parseUdevadm(udev.lines, problems)) {
      if (!r.devpath.startsWith('/devices/')) continue; // /module/..., /bus/...: not devices
      const d = dev(r.devpath, r.line);
      absorbEnv(d, r.env);
      const devpathEnv = r.env.get('DEVPATH');
      if (devpathEnv !== undefined && devpathEnv !== r.devpath) problems.add(r.line, 4, `udevadm: P: ${r.devpath} but E: DEVPATH=${devpathEnv}`);
    }
  }

  // sysfs listing
  const listing = by.get('sysfs-listing');
  let hasListing = false;
  if (listing) {
    cap.forms.push('sysfs-listing');
    hasListing = true;
    for (const e of parseSysfsListing(listing.lines, problems)) {
      const p = e.path;
      if (p.startsWith('/devices/')) {
        const base = p.slice(p.lastIndexOf('/') + 1);
        const dir = p.slice(0, p.lastIndexOf('/'));
        if (e.type === 'f' && base === 'uevent') {
          if (!cap.devices.has(dir)) cap.bare.add(dir);
          dev(dir, e.line);
        } else if (e.type === 'l' && base === 'subsystem') {
          const t = resolveLink(p, e.target!);
          const m = /^\/(bus|class)\/([^/]+)$/.exec(t);
          if (m) {
            const d = dev(dir, e.line);
            d.subsystem = m[2]!;
            d.onBus = m[1] === 'bus';
            cap.bare.delete(dir);
          }
        } else if (e.type === 'l' && base === 'driver') {
          const t = resolveLink(p, e.target!);
          const m = /^\/bus\/([^/]+)\/drivers\/([^/]+)$/.exec(t);
          if (m) dev(dir, e.line).driver = m[2]!;
          else problems.add(e.line, 3, `sysfs listing: ${p} points to ${t}, not to /sys/bus/<bus>/drivers/<driver>`);
        }
      } else if (p.startsWith('/bus/')) {
        const parts = p.split('/');
        // /bus/<b>, /bus/<b>/drivers/<d>, /bus/<b>/drivers/<d>/module -> ../../../../module/<m>
        if (parts.length === 3 && e.type === 'd') cap.buses.add(parts[2]!);
        if (parts.length === 5 && parts[3] === 'drivers' && e.type === 'd') {
          const id = `${parts[2]}/${parts[4]}`;
          if (!cap.drivers.has(id)) cap.drivers.set(id, { bus: parts[2]!, name: parts[4]!, module: null });
        }
        if (parts.length === 6 && parts[3] === 'drivers' && parts[5] === 'module' && e.type === 'l') {
          const m = /^\/module\/([^/]+)$/.exec(resolveLink(p, e.target!));
          const id = `${parts[2]}/${parts[4]}`;
          const drv = cap.drivers.get(id) ?? { bus: parts[2]!, name: parts[4]!, module: null };
          if (m) drv.module = modName(m[1]!);
          cap.drivers.set(id, drv);
        }
      } else if (p.startsWith('/class/')) {
        const parts = p.split('/');
        if (parts.length === 3 && e.type === 'd') cap.classes.add(parts[2]!);
      } else if (p.startsWith('/module/') && e.type === 'l') {
        // /module/<m>/drivers/<bus>:<drv>
        const m = /^\/module\/([^/]+)\/drivers\/([^/:]+):(.+)$/.exec(p);
        if (m) {
          const id = `${m[2]}/${m[3]}`;
          const drv = cap.drivers.get(id) ?? { bus: m[2]!, name: m[3]!, module: null };
          drv.module = modName(m[1]!);
          cap.drivers.set(id, drv);
        }
      }
    }
  }

  // uevent files
  const uev = by.get('uevents');
  if (uev) {
    cap.forms.push('uevents');
    for (const u of parseUevents(uev.lines, problems)) {
      const d = dev(u.devpath, u.line);
      // the uevent file has no SUBSYSTEM (dev_uevent adds it only to the event): keep what the listing said
      const sub = d.subsystem;
      absorbEnv(d, u.env);
      if (sub !== null && d.subsystem !== sub) d.subsystem = sub;
    }
  }

  // /proc/modules: newest first (kernel/module/main.c add_unformed_module: list_add_rcu() at the head of `modules`) → reversed, oldest first
  const pm = by.get('proc-modules');
  if (pm) cap.loaded = parseProcModules(pm.lines, problems).reverse().map((m) => ({ name: modName(m.name), usedBy: m.usedBy.map(modName), state: m.state }));
  const mb = by.get('modules-builtin');
  if (mb) for (const b of parseModulesBuiltin(mb.lines, problems)) cap.builtin.add(b.module);
  const mbi = by.get('modules-builtin-modinfo');
  if (mbi) cap.builtinAliases = parseBuiltinModinfo(mbi.lines, problems);
  const ma = by.get('modules-alias');
  if (ma) cap.aliases = parseModulesAlias(ma.lines, problems);

  if (!udev && !listing && !uev) problems.add(1, 1, 'the bundle has none of the device sections (udevadm-export-db, sysfs-listing, uevents): nothing to import');

  // bus or class: the listing says; else the uevent's SUBSYSTEM with a MODALIAS/DRIVER, or a well-known bus name
  for (const d of cap.devices.values()) {
    if (d.subsystem === null || d.onBus !== null) continue;
    if (hasListing && (cap.buses.size || cap.classes.size)) d.onBus = cap.buses.has(d.subsystem) ? true : cap.classes.has(d.subsystem) ? false : null;
    if (d.onBus === null) d.onBus = KNOWN_BUSES.has(d.subsystem) || d.driver !== null || d.modalias !== null;
  }
  for (const d of cap.devices.values()) {
    if (d.subsystem && d.onBus) cap.buses.add(d.subsystem);
    if (d.subsystem && d.onBus === false) cap.classes.add(d.subsystem);
    if (d.driver && d.subsystem && d.onBus) {
      const id = `${d.subsystem}/${d.driver}`;
      if (!cap.drivers.has(id)) cap.drivers.set(id, { bus: d.subsystem, name: d.driver, module: null });
    }
  }
  if (problems.list.length) return { ok: false, errors: problems.list };
  return { ok: true, capture: cap };
}
