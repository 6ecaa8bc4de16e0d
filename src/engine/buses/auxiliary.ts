/**
 * The auxiliary bus: models drivers/base/auxiliary.c (auxiliary_match_id, auxiliary_uevent,
 * __auxiliary_driver_register, auxiliary_device_init/__auxiliary_device_add,
 * auxiliary_device_create and its devm form).
 */
import type { Kernel, ExecContext } from '../core/kernel';
import type { DeviceRec } from '../core/state';
import { E } from '../core/errno';
import { deviceAdd } from '../core/core';
import { busRegister } from '../core/bus';
import { deferred, type BusType, type IndexKey } from './types';
import { kbuildModname } from '../core/modname';
import { EventSite } from '../trace/eventlog';

const AUX = 'drivers/base/auxiliary.c';
const AUXILIARY_MATCH_ID = `${AUX}:auxiliary_match_id`;

/** dev_name up to its last '.', or null when there is no '.' */
function matchName(devName: string): string | null {
  const p = devName.lastIndexOf('.');
  return p < 0 ? null : devName.slice(0, p);
}

/** auxiliary_match_id()'s comparison, as the trace's match events say it (made when read) */
const idTableText = (prefix: string, table: readonly string[]) => `"${prefix}" (device name up to its last '.') vs id_table [${table.join(', ')}]`;

export const auxiliaryBus: BusType = {
  name: 'auxiliary',
  source: AUX,
  match(_k, dev, drv) {
    const prefix = matchName(dev.name);
    const table = drv.def.idTable ?? [];
    return {
      matched: prefix !== null && table.includes(prefix),
      rule: 'id_table (auxiliary_match_id)',
      compared: prefix === null ? `device name "${dev.name}" has no '.'` : deferred(idTableText, prefix, table),
      cite: AUXILIARY_MATCH_ID,
    };
  },
  uevent: (_k, dev) => {
    const prefix = matchName(dev.name);
    return prefix === null ? [] : [['MODALIAS', `auxiliary:${prefix}`]];
  },
  ueventCite: `${AUX}:auxiliary_uevent`,
  probe(_k, _dev, _drv, driverProbe) {
    // auxiliary_bus_probe(): dev_pm_domain_attach(), then auxdrv->probe(auxdev, id)
    return driverProbe();
  },
  probeCite: `${AUX}:auxiliary_bus_probe`,
  remove(_k, _dev, _drv, driverRemove) {
    driverRemove();
  },
  // __auxiliary_driver_register(drv, THIS_MODULE, KBUILD_MODNAME): "modname.name", or modname alone
  driverName: (def, module, key) => {
    const mod = module !== null ? kbuildModname(module) : key;
    return def.name ? `${mod}.${def.name}` : mod;
  },
  checkDriver(k, def, name) {
    if (!def.probe || !def.idTable) {
      return k.error(`auxiliary_driver_register ${name}: ${!def.probe ? 'probe' : 'id_table'} is mandatory (WARN_ON): -EINVAL`, E.INVAL, `${AUX}:__auxiliary_driver_register`, {}, `WARNING: at drivers/base/auxiliary.c __auxiliary_driver_register`);
    }
    return 0;
  },
  aliases: (def) => (def.deviceTable === false ? [] : (def.idTable ?? []).map((id) => `auxiliary:${id}`)),
  deviceKeys: (_k, dev) => {
    const prefix = matchName(dev.name);
    return prefix === null ? [] : [['id', prefix]];
  },
  driverKeys: (drv) => (drv.def.idTable ?? []).map((id): IndexKey => ['id', id]),
  deviceAttrs: () => [],
  readDeviceAttr: () => null,
  // __auxiliary_driver_register(): auxdrv->driver.mod_name = modname
  setsModName: true,
  rootDevpath: null,
};

export function auxiliaryBusInit(k: Kernel): void {
  busRegister(k, auxiliaryBus);
}

/**
 * auxiliary_device_create(dev, modname, devname, platform_data, id) and
 * __devm_auxiliary_device_create(): init + add; the child inherits the parent's of_node (reused).
 * Returns NULL on failure in the kernel; here ret < 0.
 */
export function auxiliaryDeviceCreate(k: Kernel, spec: { parent: string | null; modname: string; name: string; id: number; devm: boolean }, ctx: ExecContext): { ret: number; dev?: DeviceRec } {
  const fn = spec.devm ? 'devm_auxiliary_device_create' : 'auxiliary_device_create';
  if (!k.facts.auxiliary_device_create) {
    return { ret: k.error(`${fn}() does not exist in Linux ${k.facts.kernel} (added in 6.16)`, E.INVAL, `${AUX}:auxiliary_device_create`) };
  }
  return auxiliaryDeviceInitAdd(k, spec, ctx, spec.devm ? DEVM_CREATE : CREATE);
}

/**
 * What a driver does by hand on any kernel with the auxiliary bus (5.11+): auxiliary_device_init()
 * then auxiliary_device_add() (= __auxiliary_device_add(auxdev, KBUILD_MODNAME)); with `devm`, a
 * devm_add_action_or_reset(parent, delete + uninit), so the parent's devres deletes the child.
 * Unlike auxiliary_device_create() the child gets no of_node unless the driver sets one.
 */
export function auxiliaryDeviceAdd(k: Kernel, spec: { parent: string | null; modname: string; name: string; id: number; devm: boolean }, ctx: ExecContext): { ret: number; dev?: DeviceRec } {
  return auxiliaryDeviceInitAdd(k, spec, ctx, INIT_ADD);
}

const auxCreateText = (fn: string, devName: string, parent: string, devm: number) => `${fn}: "${devName}" under ${parent}${devm ? ', released by the parent\'s devres' : ''}`;
/** the three ways a driver adds an auxiliary device: the function it called, the event it records, whether the child reuses the parent's of_node */
interface HowAdded { fn: string; site: EventSite<[string, string, string, number]>; inheritOfNode: boolean }
const howAdded = (fn: string, kernelFn: string, inheritOfNode: boolean): HowAdded => ({ fn, site: new EventSite('device_add', `${AUX}:${kernelFn}`, auxCreateText), inheritOfNode });
const CREATE = howAdded('auxiliary_device_create', 'auxiliary_device_create', true);
const DEVM_CREATE = howAdded('devm_auxiliary_device_create', '__devm_auxiliary_device_create', true);
const INIT_ADD = howAdded('auxiliary_device_init + auxiliary_device_add', '__auxiliary_device_add', false);

function auxiliaryDeviceInitAdd(k: Kernel, spec: { parent: string | null; modname: string; name: string; id: number; devm: boolean }, ctx: ExecContext, how: HowAdded): { ret: number; dev?: DeviceRec } {
  // auxiliary_device_init()
  if (!spec.parent) {
    return { ret: k.error('auxiliary_device_init: NULL dev->parent: -EINVAL', E.INVAL, `${AUX}:auxiliary_device_init`, {}, 'auxiliary:auxiliary_device_init: auxiliary_device has a NULL dev->parent') };
  }
  if (!spec.name) {
    return { ret: k.error('auxiliary_device_init: NULL name: -EINVAL', E.INVAL, `${AUX}:auxiliary_device_init`, {}, 'auxiliary:auxiliary_device_init: auxiliary_device has a NULL name') };
  }
  const parent = k.device(spec.parent);
  // __auxiliary_device_add(): dev_set_name("%s.%s.%d", modname, name, id), then device_add
  const devName = `${spec.modname}.${spec.name}.${spec.id}`;
  // one per auxiliary device a driver creates: its sentence built when read (Kernel.emitAt)
  k.emitAt(how.site, k.onDevice(spec.parent), how.fn, devName, parent?.name ?? spec.parent, spec.devm ? 1 : 0);
  const inherit = how.inheritOfNode && !!parent?.ofNode;
  const res = deviceAdd(k, {
    name: devName, baseName: `${spec.modname}.${spec.name}`, bus: 'auxiliary', parent: spec.parent,
    ofNode: inherit ? parent!.ofNode : null, ofReused: inherit,
    createdBy: ctx.module ?? 'kernel', devmOwner: spec.devm ? spec.parent : null, fwnode: ctx.fwnode ?? null,
  });
  if (res.ret) k.printk('error', `auxiliary ${devName}: adding auxiliary device failed!: ${res.ret}`, `${AUX}:__auxiliary_device_add`, { errno: res.ret });
  return res;
}
