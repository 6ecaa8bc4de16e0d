/**
 * From a captured machine to a scenario the engine replays from boot (docs/machine-import.md):
 *
 * - platform, auxiliary and faux devices go on the engine's own buses (platform_device_register_simple
 *   with the real pdev->name/id and ACPI HID or DT node; auxiliary_device_add; faux_device_create);
 *   every other bus becomes a data-defined bus with `match: "modalias"`: its devices carry their real
 *   MODALIAS, and a driver's id table is its module's modules.alias patterns for that bus.
 * - devices are registered by one built-in "machine_enumeration" unit at core_initcall, parents first
 *   (devpath order), with a bare device (no bus, no class) for every ancestor directory the capture
 *   shows without a subsystem (pci0000:00, ...); class devices are not imported (the engine models no
 *   classes but tsm), except as bare ancestors of bus devices.
 * - drivers come from DRIVER= and /sys/bus/<bus>/drivers; their module from the driver's `module`
 *   link, else by name; loaded modules (/proc/modules) are loadable, the rest built in. Match tables
 *   are derived from modules.alias (loadable) and modules.builtin.modinfo (built in); a driver whose
 *   module has no alias for its bus has an unknown table and matches nothing (platform drivers fall
 *   back to the name match, as platform_match does for a driver without tables).
 * - modules.alias is the machine's: each module's `aliases` are its lines verbatim (drivers carry
 *   deviceTable: false so nothing is added); modules on disk that were not loaded are included when
 *   one of their aliases matches a captured MODALIAS. Loaded modules that no captured MODALIAS
 *   resolves to are `modprobe`d after coldplug, in /proc/modules order.
 */
import type { Scenario, KernelAction, DriverDef, ModuleDef, BusDef } from '../../engine/scenario/schema';
import { AliasSet, globMatch, globProblem, hasWildcard, parseGlob, type Glob } from '../../engine/core/fnmatch';
import type { Capture, MachineDevice } from './capture';
import { modName, type AliasLine } from './parse';

/** how one captured device is imported */
export type DeviceImport =
  | { kind: 'platform' | 'auxiliary' | 'faux' | 'bus'; devpath: string; bus: string }
  | { kind: 'bare'; devpath: string; why: 'no subsystem' | 'ancestor' | 'class ancestor' }
  | { kind: 'class'; devpath: string; cls: string }
  | { kind: 'skipped'; devpath: string; why: string };

export interface DriverImport {
  id: string; // "bus/name"
  bus: string;
  name: string;
  module: string;
  /** where the module came from */
  moduleFrom: 'module link' | 'driver name' | 'modules.alias' | 'unknown (built in, no module name)';
  location: 'builtin' | 'module';
  /** derived: from aliases; name: platform name match only; unknown: nothing to match with */
  table: 'derived' | 'name' | 'unknown';
  patterns: number;
}

export interface BuildResult {
  scenario: Scenario;
  devices: Map<string, DeviceImport>;
  drivers: Map<string, DriverImport>;
  /** modules the machine had loaded that the replay modprobes by hand (no captured MODALIAS resolves to them) */
  modprobed: string[];
  /** the machine's modules.alias (on-disk modules) and built-in aliases, as the comparison needs them */
  aliasOf: Map<string, string[]>;
  builtinAliasOf: Map<string, string[]>;
  /** MODALIAS prefixes seen per bus */
  prefixes: Map<string, Set<string>>;
  notes: string[];
}

export const ENUM_MODULE = 'machine_enumeration';
export const VMLINUX = 'vmlinux';
const ENGINE_BUSES = new Set(['platform', 'auxiliary', 'faux']);

/** "6.1.0-57-amd64" → "6.1" */
export function kernelVersion(release: string | null): string | null {
  const m = /^(\d{1,3})\.(\d{1,3})/.exec(release ?? '');
  return m ? `${Number(m[1])}.${Number(m[2])}` : null;
}

/** the part of a MODALIAS or alias before its first ':' ("pci", "acpi*", "of") */
function prefixOf(s: string): string {
  const i = s.indexOf(':');
  return i < 0 ? s : s.slice(0, i);
}

/** aliases grouped by module, and the patterns indexed for MODALIAS lookups as kmod makes them (fnmatch.ts AliasSet: '-' and '_' alike) */
class AliasTable {
  readonly byModule = new Map<string, string[]>();
  private readonly entries: { module: string; pattern: string }[] = [];
  private readonly patterns: AliasSet;
  constructor(lines: AliasLine[]) {
    for (const a of lines) {
      const l = this.byModule.get(a.module);
      if (l) l.push(a.pattern);
      else this.byModule.set(a.module, [a.pattern]);
      this.entries.push({ module: a.module, pattern: a.pattern });
    }
    this.patterns = new AliasSet(lines.map((a) => a.pattern));
  }
  /** modules whose patterns match a MODALIAS, each with its first matching pattern, in file order (as kmod resolves) */
  lookup(modalias: string): { module: string; pattern: string }[] {
    const hits = this.patterns.matches(modalias);
    const seen = new Set<string>();
    const out: { module: string; pattern: string }[] = [];
    for (const i of hits) {
      const e = this.entries[i]!;
      if (seen.has(e.module)) continue;
      seen.add(e.module);
      out.push({ module: e.module, pattern: e.pattern });
    }
    return out;
  }
}

/** compare devpaths component by component, parents first; platform ".N.auto" names by N (one IDA for all) */
function devpathOrder(a: string, b: string): number {
  const pa = a.split('/');
  const pb = b.split('/');
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i]!;
    const y = pb[i]!;
    if (x === y) continue;
    const ax = /\.(\d+)\.auto$/.exec(x);
    const ay = /\.(\d+)\.auto$/.exec(y);
    if (ax && ay) return Number(ax[1]) - Number(ay[1]) || (x < y ? -1 : 1);
    if (ax) return -1;
    if (ay) return 1;
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}

/** pdev->name and id from a platform device's sysfs name and MODALIAS (platform_device_add naming) */
export function platformName(d: MachineDevice): { name: string; id: number | 'NONE' | 'AUTO' } {
  const base = d.modalias?.startsWith('platform:') ? d.modalias.slice('platform:'.length) : null;
  if (base !== null) {
    if (d.name === base) return { name: base, id: 'NONE' };
    const rest = d.name.startsWith(base + '.') ? d.name.slice(base.length + 1) : null;
    if (rest !== null && /^\d+\.auto$/.test(rest)) return { name: base, id: 'AUTO' };
    if (rest !== null && /^\d{1,9}$/.test(rest)) return { name: base, id: Number(rest) };
  }
  // an OF or ACPI device: of_device_make_bus_id() / acpi_create_platform_device() names it in full, PLATFORM_DEVID_NONE
  return { name: d.name, id: 'NONE' };
}

export function buildScenario(cap: Capture): BuildResult {
  const notes: string[] = [];
  const version = kernelVersion(cap.kernel);
  if (!version) notes.push(`no kernel release in the capture: the replay runs as Linux 6.1`);
  const devices = new Map<string, DeviceImport>();
  const sorted = [...cap.devices.keys()].filter((p) => p.startsWith('/devices/')).sort(devpathOrder);

  // which buses the replay defines as data, and which names the schema can take
  const dataBuses = new Map<string, BusDef>();
  const prefixes = new Map<string, Set<string>>();
  for (const d of cap.devices.values()) {
    if (!d.subsystem || !d.onBus || !d.modalias) continue;
    const s = prefixes.get(d.subsystem) ?? new Set<string>();
    s.add(prefixOf(d.modalias));
    prefixes.set(d.subsystem, s);
  }
  const source = `imported from ${cap.hostname ?? 'a machine'} (Linux ${cap.kernel ?? '?'})`;
  for (const b of [...cap.buses].sort()) {
    if (ENGINE_BUSES.has(b) || !/^[a-z0-9_-]+$/.test(b)) continue;
    dataBuses.set(b, { name: b, match: 'modalias', modaliasPrefix: '', source: `bus "${b}" ${source}: matched by MODALIAS against modules.alias patterns` });
  }

  // 1. what each captured device becomes
  const wanted = new Set<string>();
  for (const p of sorted) {
    const d = cap.devices.get(p)!;
    if (p === '/devices/platform' || p === '/devices/faux') {
      devices.set(p, { kind: 'skipped', devpath: p, why: 'the bus root the engine creates itself' });
      continue;
    }
    if (d.subsystem === null) {
      devices.set(p, { kind: 'bare', devpath: p, why: 'no subsystem' });
      wanted.add(p);
    } else if (!d.onBus) {
      devices.set(p, { kind: 'class', devpath: p, cls: d.subsystem });
    } else if (d.subsystem === 'platform' || d.subsystem === 'auxiliary' || d.subsystem === 'faux') {
      devices.set(p, { kind: d.subsystem, devpath: p, bus: d.subsystem });
      wanted.add(p);
    } else if (dataBuses.has(d.subsystem)) {
      devices.set(p, { kind: 'bus', devpath: p, bus: d.subsystem });
      wanted.add(p);
    } else {
      devices.set(p, { kind: 'skipped', devpath: p, why: `bus name "${d.subsystem}" is not [a-z0-9_-]` });
    }
  }
  // every ancestor of an imported device must exist: the capture's own bare devices, class devices as bare ones,
  // directories that are no device (kset and glue directories such as /devices/system, /devices/virtual/workqueue) as bare
  for (const p of [...wanted]) {
    let q = p.slice(0, p.lastIndexOf('/'));
    while (q.length > '/devices'.length && q !== '/devices/platform' && q !== '/devices/faux') {
      const cur = devices.get(q);
      if (!cur) {
        devices.set(q, { kind: 'bare', devpath: q, why: 'ancestor' });
        wanted.add(q);
      } else if (cur.kind === 'class') {
        devices.set(q, { kind: 'bare', devpath: q, why: 'class ancestor' });
        wanted.add(q);
      } else if (cur.kind === 'skipped') break;
      q = q.slice(0, q.lastIndexOf('/'));
    }
  }

  // 2. devices, parents first
  const dtNodes = new Map<string, { compatible: string[]; deviceType: string | null }>();
  const enumInit: KernelAction[] = [...dataBuses.keys()].map((b) => ({ op: 'bus_register', bus: b }) as KernelAction);
  for (const p of [...wanted].sort(devpathOrder)) {
    const imp = devices.get(p)!;
    const d = cap.devices.get(p);
    const parentPath = p.slice(0, p.lastIndexOf('/'));
    const parent = parentPath === '/devices' ? undefined : parentPath;
    const name = p.slice(p.lastIndexOf('/') + 1);
    if (imp.kind === 'bare') {
      enumInit.push({ op: 'device_register', name, ...(parent ? { parent } : {}), orReturn: 'ignore' });
    } else if (imp.kind === 'platform' && d) {
      const { name: pname, id } = platformName(d);
      const acpiHid = d.modalias?.startsWith('acpi:') ? d.modalias.split(':')[1] : undefined;
      let ofNode: string | undefined;
      if (d.ofFullname && d.ofCompatible.length) {
        ofNode = d.ofFullname;
        dtNodes.set(ofNode, { compatible: d.ofCompatible, deviceType: d.ofType });
      }
      enumInit.push({
        op: 'platform_device_register_simple', name: pname, id,
        ...(parent && parent !== '/devices/platform' ? { parent } : {}),
        ...(acpiHid ? { acpiHid } : {}), ...(ofNode ? { ofNode } : {}), orReturn: 'ignore',
      });
    } else if (imp.kind === 'auxiliary') {
      const m = /^([^.]+)\.(.+)\.(\d+)$/.exec(name);
      if (!m || !parent) {
        devices.set(p, { kind: 'skipped', devpath: p, why: `auxiliary device name "${name}" is not <modname>.<name>.<id> under a parent` });
        continue;
      }
      enumInit.push({ op: 'auxiliary_device_add', modname: m[1]!, name: m[2]!, id: Number(m[3]), parent, orReturn: 'ignore' });
    } else if (imp.kind === 'faux') {
      enumInit.push({ op: 'faux_device_create', name, ...(parent && parent !== '/devices/faux' ? { parent } : {}), orReturn: 'ignore' });
    } else if (imp.kind === 'bus' && d) {
      enumInit.push({ op: 'device_register', bus: imp.bus, name, ...(d.modalias ? { modalias: d.modalias } : {}), ...(parent ? { parent } : {}), orReturn: 'ignore' });
    }
  }

  // 3. modules and drivers
  // patterns fnmatch() reads oddly (a reversed range, a "[" without "]") are refused by the scenario's
  // validation: they are left out, with a note, rather than failing the import
  const usable = (lines: typeof cap.aliases, what: string) => lines.filter((a) => {
    const why = globProblem(a.pattern);
    if (why) notes.push(`${what} line ${a.line}: alias ${a.pattern} of ${a.module} left out: ${why}`);
    return !why;
  });
  const aliasTable = new AliasTable(usable(cap.aliases, 'modules.alias'));
  const builtinTable = new AliasTable(usable(cap.builtinAliases, 'modules.builtin.modinfo'));
  const loaded = new Set(cap.loaded.map((m) => m.name));
  const drivers = new Map<string, DriverImport>();
  const modDrivers = new Map<string, { key: string; def: DriverDef }[]>();
  const prefixGlobs = new Map<string, Glob>();
  const patternsFor = (bus: string, module: string, location: 'builtin' | 'module') => {
    const all = (location === 'module' ? aliasTable : builtinTable).byModule.get(module) ?? [];
    const want = new Set([...(prefixes.get(bus) ?? []), bus]);
    return all.filter((a) => {
      const pre = prefixOf(a);
      if (!hasWildcard(pre)) return want.has(pre);
      let g = prefixGlobs.get(pre);
      if (!g) prefixGlobs.set(pre, (g = parseGlob(pre)));
      return [...want].some((w) => globMatch(g!, w));
    });
  };
  const byDriverDevices = new Map<string, MachineDevice[]>();
  for (const d of cap.devices.values()) {
    if (d.driver && d.subsystem && d.onBus) {
      const id = `${d.subsystem}/${d.driver}`;
      const l = byDriverDevices.get(id) ?? [];
      l.push(d);
      byDriverDevices.set(id, l);
    }
  }
  for (const [id, drv] of [...cap.drivers].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (drv.bus === 'faux' && drv.name === 'faux_driver') continue; // faux_bus_init() registers it
    if (!ENGINE_BUSES.has(drv.bus) && !dataBuses.has(drv.bus)) continue;
    let module = drv.module;
    let moduleFrom: DriverImport['moduleFrom'] = 'module link';
    if (!module) {
      const byName = modName(drv.name);
      if (loaded.has(byName) || cap.builtin.has(byName)) {
        module = byName;
        moduleFrom = 'driver name';
      } else {
        // a loaded module whose alias matches the devices the driver is bound to, if only one does
        const cands = new Set<string>();
        for (const d of byDriverDevices.get(id) ?? []) for (const h of d.modalias ? aliasTable.lookup(d.modalias) : []) if (loaded.has(h.module)) cands.add(h.module);
        if (cands.size === 1) {
          module = [...cands][0]!;
          moduleFrom = 'modules.alias';
        } else {
          module = VMLINUX;
          moduleFrom = 'unknown (built in, no module name)';
        }
      }
    }
    const location: 'builtin' | 'module' = loaded.has(module) ? 'module' : 'builtin';
    const pats = module === VMLINUX ? [] : patternsFor(drv.bus, module, location);
    const def: DriverDef = { name: drv.name, bus: drv.bus, probe: [], deviceTable: false };
    let table: DriverImport['table'] = pats.length ? 'derived' : 'unknown';
    if (drv.bus === 'platform') {
      const names = pats.filter((a) => a.startsWith('platform:')).map((a) => a.slice('platform:'.length));
      const of = [...new Set(pats.filter((a) => a.startsWith('of:')).map((a) => /C([^*]+)(C\*)?$/.exec(a)?.[1]).filter((c): c is string => !!c))];
      const acpi = [...new Set(pats.filter((a) => a.startsWith('acpi')).map((a) => /^acpi\*?:([^:*]+):/.exec(a)?.[1]).filter((h): h is string => !!h))];
      // a driver whose only platform alias is its own name matches by name (MODULE_ALIAS("platform:" DRV_NAME))
      if (names.length && !(names.length === 1 && names[0] === drv.name)) def.idTable = names;
      if (of.length) def.ofMatch = of;
      if (acpi.length) def.acpiMatch = acpi;
      if (!pats.length) table = 'name';
    } else if (drv.bus === 'auxiliary') {
      const names = pats.filter((a) => a.startsWith('auxiliary:')).map((a) => a.slice('auxiliary:'.length));
      if (names.length) def.idTable = names;
      if (drv.name.startsWith(module + '.')) def.name = drv.name.slice(module.length + 1);
    } else if (pats.length) def.idTable = pats;
    drivers.set(id, { id, bus: drv.bus, name: drv.name, module, moduleFrom, location, table, patterns: pats.length });
    const list = modDrivers.get(module) ?? [];
    list.push({ key: `d${list.length}`, def });
    modDrivers.set(module, list);
  }

  // which on-disk modules a captured MODALIAS resolves to (udev would load them), and built-in ones
  const resolvedLoadable = new Set<string>();
  const resolvedBuiltin = new Set<string>();
  for (const d of cap.devices.values()) {
    if (!d.modalias) continue;
    for (const h of aliasTable.lookup(d.modalias)) resolvedLoadable.add(h.module);
    for (const h of builtinTable.lookup(d.modalias)) resolvedBuiltin.add(h.module);
  }
  const modules: ModuleDef[] = [];
  const builtinOrder = [...cap.builtin];
  const builtinNames = new Set([...modDrivers.keys()].filter((m) => !loaded.has(m)).concat([...resolvedBuiltin].filter((m) => !loaded.has(m))));
  const ordered = [...builtinOrder.filter((m) => builtinNames.has(m)), ...[...builtinNames].filter((m) => !cap.builtin.has(m)).sort()];
  const modDef = (name: string, location: 'builtin' | 'module'): ModuleDef => {
    const drvs = modDrivers.get(name) ?? [];
    const aliases = name === VMLINUX ? [] : ((location === 'module' ? aliasTable : builtinTable).byModule.get(name) ?? []);
    const reg = (def: DriverDef): KernelAction['op'] => (def.bus === 'platform' ? 'platform_driver_register' : def.bus === 'auxiliary' ? 'auxiliary_driver_register' : 'driver_register');
    return {
      name, location, ...(location === 'builtin' ? { initcall: 'device' as const } : {}),
      source: name === VMLINUX ? `built-in drivers whose module name the capture does not give (${source})` : `${location === 'module' ? 'loadable' : 'built-in'} module ${name} (${source})`,
      ...(aliases.length ? { aliases: [...new Set(aliases)] } : {}),
      ...(drvs.length ? { drivers: Object.fromEntries(drvs.map((x) => [x.key, x.def])) } : {}),
      init: drvs.map((x) => ({ op: reg(x.def), driver: x.key, orReturn: 'ignore' }) as KernelAction),
    };
  };
  for (const m of ordered) if (/^[A-Za-z0-9_-]+$/.test(m)) modules.push(modDef(m, 'builtin'));
  const loadable = new Set([...cap.loaded.map((m) => m.name), ...[...resolvedLoadable].filter((m) => !cap.builtin.has(m))]);
  for (const m of [...loadable].sort()) if (/^[A-Za-z0-9_-]+$/.test(m)) modules.push(modDef(m, 'module'));
  const modprobed = cap.loaded.map((m) => m.name).filter((m) => !resolvedLoadable.has(m) && /^[A-Za-z0-9_-]+$/.test(m));

  const enumeration: ModuleDef = {
    name: ENUM_MODULE, location: 'builtin', initcall: 'core',
    source: `the machine's firmware enumeration and bus scans, as devices registered up front (${source})`,
    init: enumInit, exit: null,
  };
  const dt = [...dtNodes].map(([path, n]) => ({ path, compatible: n.compatible, ...(n.deviceType ? { deviceType: n.deviceType } : {}) }));
  const hostId = (cap.hostname ?? 'machine').toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'machine';
  const scenario: Scenario = {
    id: `machine-${hostId}`.slice(0, 60).replace(/-+$/, ''),
    title: `${cap.hostname ?? 'machine'}: Linux ${cap.kernel ?? '?'} (imported)`,
    description: `A real machine's devices and drivers replayed from boot: ${cap.forms.join(' + ')} capture, ${[...devices.values()].filter((x) => x.kind !== 'class' && x.kind !== 'skipped').length} devices imported.`,
    source,
    kernel: { version: version ?? '6.1' },
    firmware: dt.length
      ? { description: 'dt', dt, psciVersion: '1.0', smcccVersion: '1.0', services: {} }
      : { description: 'acpi', acpi: { psciCompliant: false, psciUseHvc: false }, psciVersion: '1.0', smcccVersion: '1.0', services: {} },
    udev: { running: true },
    buses: [...dataBuses.values()],
    modules: [enumeration, ...modules],
    actions: modprobed.map((m) => ({ op: 'modprobe' as const, module: m })),
  };
  const aliasOf = aliasTable.byModule;
  return { scenario, devices, drivers, modprobed, aliasOf, builtinAliasOf: builtinTable.byModule, prefixes, notes };
}

export { AliasTable };
