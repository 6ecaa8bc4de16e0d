/**
 * A bus defined by the scenario as data (e.g. the arm_smccc bus of the SMCCC-bus series): it
 * compiles into the same operations table as the kernel's own buses, and the core treats it alike.
 */
import type { BusDef } from '../scenario/schema';
import type { Kernel, ExecContext } from '../core/kernel';
import type { DeviceRec } from '../core/state';
import { E } from '../core/errno';
import { deviceAdd } from '../core/core';
import type { BusType, MatchResult } from './types';

export function makeCustomBus(def: BusDef): BusType {
  const src = def.source ?? `scenario-defined bus "${def.name}"`;
  const modalias = (dev: DeviceRec) => (def.modaliasPrefix === null ? null : `${def.modaliasPrefix}${dev.baseName}`);
  const match = (dev: DeviceRec, drv: { name: string; def: { idTable?: string[] | undefined } }): MatchResult => {
    const table = drv.def.idTable;
    const byTable = (): MatchResult => ({ matched: !!table && table.includes(dev.baseName), rule: 'id_table', compared: table ? `device name "${dev.baseName}" vs id_table [${table.join(', ')}]` : `driver ${drv.name} has no id_table: matches nothing`, cite: `${src}:match` });
    const byName = (): MatchResult => ({ matched: dev.baseName === drv.name, rule: 'name', compared: `device name "${dev.baseName}" vs driver name "${drv.name}"`, cite: `${src}:match` });
    switch (def.match) {
      case 'always': return { matched: true, rule: 'always', compared: 'the bus matches every device with every driver', cite: `${src}:match` };
      case 'name': return byName();
      case 'id_table': return byTable();
      case 'id_table_or_name': return table ? byTable() : byName();
    }
  };
  return {
    name: def.name,
    source: src,
    match: (_k, dev, drv) => match(dev, drv),
    uevent: def.modaliasPrefix === null ? null : (_k, dev) => [['MODALIAS', modalias(dev)!]],
    ueventCite: def.modaliasPrefix === null ? null : `${src}:uevent`,
    probe: (_k, _dev, _drv, driverProbe) => driverProbe(),
    probeCite: `${src}:probe`,
    remove: (_k, _dev, _drv, driverRemove) => driverRemove(),
    driverName: (d, _m, key) => d.name ?? key,
    aliases: (d) => (d.deviceTable === false || def.modaliasPrefix === null ? [] : (d.idTable ?? []).map((id) => `${def.modaliasPrefix}${id}`)),
    deviceKeys: (_k, dev) => (def.match === 'always' ? ['*'] : [`name:${dev.baseName}`]),
    driverKeys: (drv) => {
      if (def.match === 'always') return ['*'];
      const table = drv.def.idTable;
      if (def.match === 'name' || (def.match === 'id_table_or_name' && !table)) return [`name:${drv.name}`];
      return (table ?? []).map((id) => `name:${id}`);
    },
    deviceAttrs: () => (def.modaliasAttr && def.modaliasPrefix !== null ? ['modalias'] : []),
    readDeviceAttr: (_k, dev, attr) => (attr === 'modalias' ? modalias(dev) : null),
    setsModName: def.setsModName ?? false,
    rootDevpath: def.rootDevice ? `/devices/${def.rootDevice}` : null,
  };
}

/** device_register() on a scenario-defined bus, with the bus's naming rule */
export function customDeviceRegister(k: Kernel, def: BusDef, spec: { name: string; parent: string | null; devm: boolean; fwnode?: string | null }, ctx: ExecContext): { ret: number; dev?: DeviceRec } {
  let devName = spec.name;
  let idaId: number | null = null;
  const tpl = def.deviceName ?? '{name}';
  if (tpl.includes('{n}')) {
    idaId = k.ida(def.name).alloc(def.idaStart ?? 0);
  }
  devName = tpl.replace('{name}', spec.name).replace('{n}', String(idaId ?? ''));
  const parent = spec.parent ?? (def.rootDevice ? `/devices/${def.rootDevice}` : null);
  k.emit('device_add', `device_register on bus ${def.name}: "${devName}"`, `${def.source ?? def.name}:device_register`);
  const res = deviceAdd(k, { name: devName, baseName: spec.name, bus: def.name, parent, createdBy: ctx.module ?? 'kernel', idaId, devmOwner: spec.devm ? spec.parent : null, fwnode: spec.fwnode ?? null });
  if (res.ret && idaId !== null) k.ida(def.name).free(idaId);
  return res.ret ? { ret: res.ret || E.INVAL } : res;
}
