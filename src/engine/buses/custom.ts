/**
 * A bus defined by the scenario as data (e.g. the arm_smccc bus, or PCI): it compiles into the
 * same operations table as the kernel's own buses, and the core treats it alike. It can match by
 * name or id table (strings), or by numeric ids (an SMCCC function ID, PCI vendor/device) against
 * an id table of numeric entries, and build MODALIAS from a printf-like format.
 */
import type { BusDef, DriverDef } from '../scenario/schema';
import type { Kernel, ExecContext } from '../core/kernel';
import type { DeviceRec } from '../core/state';
import { E } from '../core/errno';
import { deviceAdd } from '../core/core';
import { ANY_KEY, type BusType, type IndexKey, type MatchResult } from './types';
import { globMatch, parseGlob, patternIndexKey, indexKeys, type Glob } from '../core/fnmatch';

/** "0xC4000190" or 3288334736 → 3288334736 */
export function idNumber(v: number | string): number {
  return typeof v === 'number' ? v : parseInt(v.slice(2), 16);
}

function hex(n: number): string {
  return `0x${n.toString(16).toUpperCase().padStart(8, '0')}`;
}

/** one field of a format: "{func_id:08X}" with value, or "*" when an id-table entry leaves it open */
function formatField(spec: string, value: number | string | null): string {
  if (value === null) return '*';
  if (typeof value === 'string') return value;
  const m = /^(0?)(\d*)([xXd])$/.exec(spec);
  if (!m) return String(value);
  const [, zero, width, conv] = m;
  let s = conv === 'd' ? String(value) : value.toString(16);
  if (conv === 'X') s = s.toUpperCase();
  const w = Number(width || 0);
  return s.padStart(w, zero ? '0' : ' ');
}

/** expand "arm_smccc:f{func_id:08X}" over a device's (or an id entry's) fields; "{name}" is the base name */
export function expandFormat(fmt: string, fields: (field: string) => number | string | null): string {
  let out = '';
  let i = 0;
  while (i < fmt.length) {
    const open = fmt.indexOf('{', i);
    if (open < 0) { out += fmt.slice(i); break; }
    const close = fmt.indexOf('}', open);
    out += fmt.slice(i, open);
    const inner = fmt.slice(open + 1, close);
    const colon = inner.indexOf(':');
    const field = colon < 0 ? inner : inner.slice(0, colon);
    out += formatField(colon < 0 ? 'd' : inner.slice(colon + 1), fields(field));
    i = close + 1;
  }
  return out;
}

export function makeCustomBus(def: BusDef): BusType {
  const src = def.source ?? `scenario-defined bus "${def.name}"`;
  const byIds = def.match === 'ids';
  const fieldsOf = def.idFields ?? [];
  const anyId = def.anyId !== undefined ? idNumber(def.anyId) : null;
  const byModalias = def.match === 'modalias';
  const modalias = (dev: DeviceRec): string | null => {
    if (def.modaliasPrefix === null) return null;
    if (byModalias) return dev.modalias ?? null;
    if (def.modaliasFormat) return def.modaliasPrefix + expandFormat(def.modaliasFormat, (f) => (f === 'name' ? dev.baseName : dev.ids?.[f] ?? 0));
    return `${def.modaliasPrefix}${dev.baseName}`;
  };
  /** an id-table entry as the driver declared it: absent or anyId fields match any value */
  const entryField = (entry: Record<string, number | string>, f: string): number | null => {
    const v = entry[f];
    if (v === undefined) return null;
    const n = idNumber(v);
    return n === anyId ? null : n;
  };
  const showEntry = (entry: Record<string, number | string>) => `{${fieldsOf.map((f) => `${f} ${entryField(entry, f) === null ? 'any' : hex(entryField(entry, f)!)}`).join(', ')}}`;
  const showDev = (dev: DeviceRec) => fieldsOf.map((f) => `${f} ${hex(dev.ids?.[f] ?? 0)}`).join(', ');
  const match = (dev: DeviceRec, drv: { name: string; def: DriverDef }): MatchResult => {
    const cite = `${src}:match`;
    if (byIds) {
      const table = drv.def.ids;
      if (!table) return { matched: false, rule: 'id_table', compared: `driver ${drv.name} has no id_table: matches nothing`, cite };
      const hit = table.find((e) => fieldsOf.every((f) => { const v = entryField(e, f); return v === null || v === (dev.ids?.[f] ?? 0); }));
      return { matched: !!hit, rule: 'id_table', compared: `device ${showDev(dev)} vs id_table [${table.map(showEntry).join(', ')}]`, cite };
    }
    if (byModalias) {
      // the id table as file2alias printed it: fnmatch() of each alias pattern against the device's MODALIAS
      const table = drv.def.idTable;
      const alias = dev.modalias ?? null;
      if (!table) return { matched: false, rule: 'id_table', compared: `driver ${drv.name} has no id_table (match table unknown): matches nothing`, cite };
      if (alias === null) return { matched: false, rule: 'id_table', compared: `device ${dev.name} has no MODALIAS: no id_table entry can match`, cite };
      const hit = table.find((p) => globMatch(globOf(p), alias));
      return { matched: hit !== undefined, rule: 'id_table', compared: hit !== undefined ? `MODALIAS "${alias}" matches id_table entry (as modules.alias) "${hit}"` : `MODALIAS "${alias}" vs ${table.length} id_table entries (as modules.alias): none matches`, cite };
    }
    const table = drv.def.idTable;
    const byTable = (): MatchResult => ({ matched: !!table && table.includes(dev.baseName), rule: 'id_table', compared: table ? `device name "${dev.baseName}" vs id_table [${table.join(', ')}]` : `driver ${drv.name} has no id_table: matches nothing`, cite });
    const byName = (): MatchResult => ({ matched: dev.baseName === drv.name, rule: 'name', compared: `device name "${dev.baseName}" vs driver name "${drv.name}"`, cite });
    switch (def.match) {
      case 'always': return { matched: true, rule: 'always', compared: 'the bus matches every device with every driver', cite };
      case 'name': return byName();
      case 'id_table_or_name': return table ? byTable() : byName();
      default: return byTable();
    }
  };
  const idKey = (get: (f: string) => number | null) => `ids:${fieldsOf.map((f) => get(f)).join(',')}`;
  // a MODALIAS prefix or tail key (fnmatch.ts indexKeys, patternIndexKey), "*" for a pattern with neither
  const aliasKey = (key: string): IndexKey => (key === '*' ? ANY_KEY : ['alias', key]);
  const aliasOf = (d: DriverDef): string[] => {
    if (d.deviceTable === false || def.modaliasPrefix === null) return [];
    // file2alias add_wildcard(): a trailing "*" unless the alias already ends in one
    const wild = (a: string) => (def.aliasWildcard && !a.endsWith('*') ? `${a}*` : a);
    if (byIds) {
      const fmt = def.modaliasFormat ?? fieldsOf.map((f) => `{${f}:08X}`).join('');
      return (d.ids ?? []).map((e) => wild(def.modaliasPrefix + expandFormat(fmt, (f) => entryField(e, f))));
    }
    if (byModalias) return [...(d.idTable ?? [])];
    return (d.idTable ?? []).map((id) => wild(`${def.modaliasPrefix}${id}`));
  };
  return {
    name: def.name,
    source: src,
    match: (_k, dev, drv) => match(dev, drv),
    uevent: def.modaliasPrefix === null ? null : (_k, dev) => { const m = modalias(dev); return m === null ? [] : [['MODALIAS', m]]; },
    ueventCite: def.modaliasPrefix === null ? null : `${src}:uevent`,
    probe: (_k, _dev, _drv, driverProbe) => driverProbe(),
    probeCite: `${src}:probe`,
    remove: (_k, _dev, _drv, driverRemove) => driverRemove(),
    driverName: (d, _m, key) => d.name ?? key,
    checkDriver: def.requireDriverFields?.length
      ? (k, d, name) => {
        const missing = def.requireDriverFields!.filter((f) => (f === 'probe' ? !d.probe : byIds ? !d.ids : !d.idTable));
        if (!missing.length) return 0;
        return k.error(`driver_register ${name} on ${def.name}: no ${missing.map((f) => (f === 'idTable' ? 'id_table' : f)).join(' and no ')}: -EINVAL`, E.INVAL, `${src}:driver_register`);
      }
      : undefined,
    aliases: aliasOf,
    // match "modalias": keyed by literal prefixes (aliasKeys), the match op decides
    deviceKeys: (_k, dev) => (byModalias ? (dev.modalias ? indexKeys(dev.modalias).map(aliasKey) : []) : def.match === 'always' ? [ANY_KEY] : byIds ? [['ids', idKey((f) => dev.ids?.[f] ?? 0)]] : [['name', dev.baseName]]),
    driverKeys: (drv) => {
      if (byModalias) return [...new Set((drv.def.idTable ?? []).map((p) => patternIndexKey(p)))].map(aliasKey);
      if (def.match === 'always') return [ANY_KEY];
      if (byIds) return (drv.def.ids ?? []).map((e) => (fieldsOf.some((f) => entryField(e, f) === null) ? ANY_KEY : ['ids', idKey((f) => entryField(e, f))]));
      const table = drv.def.idTable;
      if (def.match === 'name' || (def.match === 'id_table_or_name' && !table)) return [['name', drv.name]];
      return (table ?? []).map((id): IndexKey => ['name', id]);
    },
    deviceAttrs: () => (def.modaliasAttr && def.modaliasPrefix !== null ? ['modalias'] : []),
    readDeviceAttr: (_k, dev, attr) => (attr === 'modalias' ? modalias(dev) : null),
    setsModName: def.setsModName ?? false,
    rootDevpath: def.rootDevice ? `/devices/${def.rootDevice}` : null,
  };
}

/** parsed alias patterns, shared by every bus instance (a machine's tables are matched many times) */
const globs = new Map<string, Glob>();
function globOf(p: string): Glob {
  let g = globs.get(p);
  if (!g) {
    g = parseGlob(p);
    if (globs.size > 200_000) globs.clear();
    globs.set(p, g);
  }
  return g;
}

/** device_register() on a scenario-defined bus, with the bus's naming rule */
export function customDeviceRegister(k: Kernel, def: BusDef, spec: { name: string; ids?: Record<string, number | string> | undefined; modalias?: string; parent: string | null; devm: boolean; fwnode?: string | null }, ctx: ExecContext): { ret: number; dev?: DeviceRec } {
  let idaId: number | null = null;
  const tpl = def.deviceName ?? '{name}';
  if (tpl.includes('{n}')) {
    idaId = k.ida(def.name).alloc(def.idaStart ?? 0);
  }
  // split/join, not String.replace: a "$&" in a name must stay literal
  const devName = tpl.split('{name}').join(spec.name).split('{n}').join(String(idaId ?? ''));
  const ids = spec.ids ? Object.fromEntries(Object.entries(spec.ids).map(([f, v]) => [f, idNumber(v)])) : null;
  const parent = spec.parent ?? (def.rootDevice ? `/devices/${def.rootDevice}` : null);
  const idText = ids ? ` (${Object.entries(ids).map(([f, v]) => `${f} ${hex(v)}`).join(', ')})` : '';
  k.emit('device_add', `device_register on bus ${def.name}: "${devName}"${idText}${parent ? '' : ', no parent: /sys/devices/' + devName}`, `${def.source ?? def.name}:device_register`);
  const res = deviceAdd(k, { name: devName, baseName: spec.name, bus: def.name, parent, createdBy: ctx.module ?? 'kernel', idaId, ids, devmOwner: spec.devm ? spec.parent : null, fwnode: spec.fwnode ?? null, ...(spec.modalias !== undefined ? { modalias: spec.modalias } : {}) });
  if (res.ret && idaId !== null) k.ida(def.name).free(idaId);
  return res.ret ? { ret: res.ret || E.INVAL } : res;
}
