/**
 * The platform bus: models drivers/base/platform.c (platform_device_add naming, platform_match,
 * platform_uevent, platform_probe, __platform_driver_probe, driver_override).
 */
import type { DriverDef } from '../scenario/schema';
import { NO_EXTRA, type Kernel, type ExecContext } from '../core/kernel';
import type { DeviceRec, DriverOps } from '../core/state';
import { E } from '../core/errno';
import { gateNote, since } from '../core/versions';
import { deviceAdd, deviceDel } from '../core/core';
import { busRegister, driverRegister, driverUnregister } from '../core/bus';
import { deferred, type BusType, type IndexKey, type MatchResult } from './types';
import { ofNode } from '../firmware/devicetree';
import { EventSite } from '../trace/eventlog';

const PLAT = 'drivers/base/platform.c';
export const PLATFORM_DEVID_NONE = -1;
export const PLATFORM_DEVID_AUTO = -2;

const PLATFORM_DEVICE_ADD = `${PLAT}:platform_device_add`;
const PLATFORM_MATCH_ID = `${PLAT}:platform_match_id`;
const PLATFORM_MATCH = `${PLAT}:platform_match`;
/** platform_device_add()'s event, built when read (Kernel.emitAt): the id asked for and the name it gave */
const platformDeviceAddText = (name: string, id: number, platformId: number, devName: string) =>
  `platform_device_add: "${name}" id ${id === PLATFORM_DEVID_NONE ? 'PLATFORM_DEVID_NONE' : id === PLATFORM_DEVID_AUTO ? `PLATFORM_DEVID_AUTO → ${platformId}` : id} → name "${devName}"`;
const PLATFORM_DEVICE_ADD_EVENT = new EventSite('device_add', PLATFORM_DEVICE_ADD, platformDeviceAddText);

function dtNode(k: Kernel, path: string | null) {
  return ofNode(k.scenario.firmware, path);
}

/** of_modalias() (drivers/of/module.c): "of:N%pOFn" "T%s" with of_node_get_device_type() — printk's
 *  "(null)" when there is no device_type — then "C<compat>" per compatible string, spaces as "_" */
export function ofModalias(k: Kernel, path: string): string | null {
  const node = dtNode(k, path);
  if (!node) return null;
  return `of:N${node.name}T${node.deviceType ?? '(null)'}${node.compatible.map((c) => 'C' + c.replace(/ /g, '_')).join('')}`;
}

/** platform_uevent() / modalias_show(): OF form, else ACPI form, else platform:<name> */
function platformModalias(k: Kernel, dev: DeviceRec): string {
  if (dev.ofNode && !dev.ofReused) {
    const of = ofModalias(k, dev.ofNode);
    if (of) return of;
  }
  if (dev.acpiHid) return `acpi:${dev.acpiHid}:`;
  return `platform:${dev.baseName}`;
}

/** a compatible as of_compat_cmp() compares it: ASCII letters in one case (the string itself when it has no capitals) */
const ofCompatKey = (c: string): string => (/[A-Z]/.test(c) ? c.replace(/[A-Z]/g, (x) => x.toLowerCase()) : c);

function match(k: Kernel, dev: DeviceRec, drv: { name: string; def: DriverDef }): MatchResult {
  if (dev.driverOverride !== null) {
    // 7.0+: the generic device_match_driver_override() (bus_type.driver_override); before, platform's own strcmp
    const how = since(k.facts.kernel, 'genericDriverOverride') ? 'include/linux/device.h:device_match_driver_override' : `${PLAT}:platform_match`;
    return { matched: dev.driverOverride === drv.name, rule: 'driver_override', compared: `driver_override "${dev.driverOverride}" vs driver "${drv.name}" (nothing else is checked)`, cite: `${how}${gateNote(k.facts.kernel, 'genericDriverOverride')}` };
  }
  const tried: string[] = [];
  const node = dtNode(k, dev.ofNode);
  if (node && drv.def.ofMatch?.length) {
    // __of_device_is_compatible(): of_compat_cmp() is strcasecmp() (include/linux/of.h; sparc aside)
    const hit = node.compatible.find((c) => {
      const key = ofCompatKey(c);
      return drv.def.ofMatch!.some((m) => ofCompatKey(m) === key);
    });
    if (hit) return { matched: true, rule: 'of_match_table', compared: `DT compatible "${hit}" in of_match_table [${drv.def.ofMatch.join(', ')}]`, cite: 'drivers/of/device.c:of_driver_match_device' };
    tried.push(`OF [${node.compatible.join(', ')}] vs [${drv.def.ofMatch.join(', ')}]`);
  }
  if (dev.acpiHid && drv.def.acpiMatch?.length) {
    if (drv.def.acpiMatch.includes(dev.acpiHid)) return { matched: true, rule: 'acpi_match_table', compared: `ACPI HID "${dev.acpiHid}" in acpi_match_table [${drv.def.acpiMatch.join(', ')}]`, cite: 'drivers/acpi/bus.c:acpi_driver_match_device' };
    tried.push(`ACPI "${dev.acpiHid}" vs [${drv.def.acpiMatch.join(', ')}]`);
  }
  const pre = tried.length ? tried.join('; ') + '; ' : '';
  if (drv.def.idTable) {
    const ok = drv.def.idTable.includes(dev.baseName);
    return { matched: ok, rule: 'id_table', compared: deferred(idTableText, pre, dev.baseName, drv.def.idTable), cite: PLATFORM_MATCH_ID };
  }
  return { matched: dev.baseName === drv.name, rule: 'name', compared: deferred(nameText, pre, dev.baseName, drv.name), cite: PLATFORM_MATCH };
}

/** platform_match()'s comparisons, as the trace's match events say them (made when read) */
const idTableText = (pre: string, name: string, table: readonly string[]) => `${pre}pdev->name "${name}" vs id_table [${table.join(', ')}] (no fallback to the driver name)`;
const nameText = (pre: string, name: string, driver: string) => `${pre}pdev->name "${name}" vs driver name "${driver}"`;

export const platformBus: BusType = {
  name: 'platform',
  source: PLAT,
  match,
  uevent: (k, dev) => [['MODALIAS', platformModalias(k, dev)]],
  ueventCite: `${PLAT}:platform_uevent`,
  probe(k, dev, drv, driverProbe) {
    if (drv.probeFail) {
      k.emit('probe', `${drv.name} was registered with platform_driver_probe(): its probe is gone (platform_probe_fail)`, `${PLAT}:platform_probe`, { errno: E.NXIO });
      return E.NXIO;
    }
    const ret = driverProbe();
    if (ret === E.PROBE_DEFER && drv.preventDeferredProbe) {
      k.printk('error', `${drv.name} ${dev.name}: probe deferral not supported`, `${PLAT}:platform_probe`, { errno: E.NXIO });
      return E.NXIO;
    }
    return ret;
  },
  probeCite: `${PLAT}:platform_probe`,
  remove(_k, _dev, _drv, driverRemove) {
    driverRemove();
  },
  driverName: (def, _module, key) => def.name ?? key,
  aliases(def) {
    if (def.deviceTable === false) return [];
    const out: string[] = [];
    for (const id of def.idTable ?? []) out.push(`platform:${id}`);
    // file2alias.c do_of_entry(): whitespace in the alias as '_' (the MODALIAS side turns spaces into '_' too: ofModalias)
    for (const raw of def.ofMatch ?? []) {
      const c = raw.replace(/\s/g, '_');
      out.push(`of:N*T*C${c}`, `of:N*T*C${c}C*`);
    }
    for (const h of def.acpiMatch ?? []) out.push(`acpi*:${h}:*`);
    return out;
  },
  deviceKeys(k, dev) {
    if (dev.driverOverride !== null) return [['drv', dev.driverOverride]];
    const keys: IndexKey[] = [['name', dev.baseName]];
    if (dev.ofNode !== null) for (const c of dtNode(k, dev.ofNode)?.compatible ?? []) keys.push(['of', ofCompatKey(c)]);
    if (dev.acpiHid) keys.push(['acpi', dev.acpiHid]);
    return keys;
  },
  driverKeys(drv) {
    const keys: IndexKey[] = [['drv', drv.name]];
    if (drv.def.idTable) for (const id of drv.def.idTable) keys.push(['name', id]);
    else keys.push(['name', drv.name]);
    for (const c of drv.def.ofMatch ?? []) keys.push(['of', ofCompatKey(c)]);
    for (const h of drv.def.acpiMatch ?? []) keys.push(['acpi', h]);
    return keys;
  },
  deviceAttrs: () => ['driver_override', 'modalias'],
  readDeviceAttr(k, dev, attr) {
    if (attr === 'modalias') return platformModalias(k, dev);
    if (attr === 'driver_override') return dev.driverOverride ?? '(null)';
    return null;
  },
  setsModName: false,
  rootDevpath: '/devices/platform',
};

/** platform_bus_init(): the /sys/devices/platform root and the bus */
export function platformBusInit(k: Kernel): void {
  busRegister(k, platformBus, 'platform');
}

/** platform_device_register_simple() → platform_device_add(): naming and device_add */
export function platformDeviceRegister(k: Kernel, spec: { name: string; id?: number | 'NONE' | 'AUTO' | undefined; parent?: string | null; ofNode?: string | undefined; acpiHid?: string | undefined; fwnode?: string | null }, ctx: ExecContext): { ret: number; dev?: DeviceRec } {
  const id = spec.id === undefined || spec.id === 'NONE' ? PLATFORM_DEVID_NONE : spec.id === 'AUTO' ? PLATFORM_DEVID_AUTO : spec.id;
  let devName: string;
  let platformId = id;
  let idAuto = false;
  if (id === PLATFORM_DEVID_NONE) devName = spec.name;
  else if (id === PLATFORM_DEVID_AUTO) {
    // ida_alloc(&platform_devid_ida): the lowest free id, shared by all names
    const n = k.ida('platform').alloc();
    platformId = n;
    idAuto = true;
    devName = `${spec.name}.${n}.auto`;
  } else devName = `${spec.name}.${id}`;
  if (spec.ofNode && !dtNode(k, spec.ofNode)) {
    return { ret: k.error(`platform_device_register ${spec.name}: DT node ${spec.ofNode} does not exist`, E.NODEV, `${PLAT}:platform_device_add`) };
  }
  k.emitAt(PLATFORM_DEVICE_ADD_EVENT, NO_EXTRA, spec.name, id, platformId, devName);
  const res = deviceAdd(k, {
    name: devName, baseName: spec.name, bus: 'platform', parent: spec.parent ?? '/devices/platform',
    ofNode: spec.ofNode ?? null, acpiHid: spec.acpiHid ?? null, createdBy: ctx.module ?? 'kernel',
    platformId, idAuto, fwnode: spec.fwnode ?? (spec.ofNode ? `dt:${spec.ofNode}` : null),
  });
  if (res.ret && idAuto) k.ida('platform').free(platformId);
  return res;
}

/** platform_device_unregister() → platform_device_del(): device_del, then the AUTO id is freed */
export function platformDeviceUnregister(k: Kernel, devpath: string): number {
  const dev = k.device(devpath);
  if (!dev) return E.NODEV;
  const ret = deviceDel(k, devpath);
  if (dev.idAuto && dev.platformId !== null) k.ida('platform').free(dev.platformId);
  return ret;
}

/** __platform_driver_probe(): probe once, no bind files, -ENODEV and unregister if nothing bound */
export function platformDriverProbe(k: Kernel, def: DriverDef, module: string | null, key: string, ops: DriverOps = {}): { ret: number; id?: string } {
  const res = driverRegister(k, def, module, key, { probeOnce: true, ops });
  if (res.ret || !res.id) return res;
  const drv = k.driver(res.id)!;
  k.state.setDriver({ ...drv, probeFail: true });
  const bound = k.state.boundBy.count(res.id) > 0;
  if (!bound) {
    k.emit('error', `platform_driver_probe ${drv.name}: no device bound: unregistering, -ENODEV`, `${PLAT}:__platform_driver_probe`, { errno: E.NODEV });
    driverUnregister(k, res.id);
    return { ret: E.NODEV };
  }
  return res;
}

/**
 * of_platform_device_create_pdata() → of_device_add(): a platform device for a DT node, named by
 * of_device_make_bus_id() (the caller passes the name). pdev->name is "" (platform_device_alloc("",
 * PLATFORM_DEVID_NONE)), so only the OF match table can bind it; MODALIAS is the OF form.
 */
export function ofPlatformDeviceAdd(k: Kernel, spec: { name: string; ofNode: string; parent: string | null }): { ret: number; dev?: DeviceRec } {
  return deviceAdd(k, {
    name: spec.name, baseName: '', bus: 'platform', parent: spec.parent ?? '/devices/platform',
    ofNode: spec.ofNode, acpiHid: null, createdBy: 'kernel', platformId: PLATFORM_DEVID_NONE, idAuto: false, fwnode: `dt:${spec.ofNode}`,
  });
}
