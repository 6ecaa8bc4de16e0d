/**
 * The faux bus (Linux 6.14+): models drivers/base/faux.c. One driver, faux_driver, always matches;
 * the bus has no uevent callback (no MODALIAS, so no module autoload); faux_driver has
 * suppress_bind_attrs (no bind/unbind files); a device whose probe fails is destroyed at once.
 */
import type { Kernel, ExecContext } from '../core/kernel';
import type { DeviceRec, DriverOps } from '../core/state';
import { E } from '../core/errno';
import { gateNote, since } from '../core/versions';
import { deviceAdd, deviceDel } from '../core/core';
import { busRegister, driverRegister } from '../core/bus';
import { ANY_KEY, type BusType } from './types';

const FAUX = 'drivers/base/faux.c';

export const fauxBus: BusType = {
  name: 'faux',
  source: FAUX,
  match: () => ({ matched: true, rule: 'always (faux_match)', compared: 'faux_match() returns 1 for every device and driver', cite: `${FAUX}:faux_match` }),
  uevent: null,
  ueventCite: null,
  probe(_k, dev) {
    // faux_probe(): the creator's ops->probe, if any
    return dev.faux?.probe ? dev.faux.probe(dev.devpath) : 0;
  },
  probeCite: `${FAUX}:faux_probe`,
  remove(_k, dev) {
    // faux_device_ops.remove returns void
    dev.faux?.remove?.(dev.devpath);
  },
  driverName: (def, _m, key) => def.name ?? key,
  aliases: () => [], // there is no faux_device_id and no file2alias support
  deviceKeys: () => [ANY_KEY],
  driverKeys: () => [ANY_KEY],
  deviceAttrs: () => [],
  readDeviceAttr: () => null,
  setsModName: false,
  rootDevpath: '/devices/faux',
};

/** faux_bus_init(), called from driver_init(): root device, bus, faux_driver */
export function fauxBusInit(k: Kernel): void {
  busRegister(k, fauxBus, 'faux');
  // .suppress_bind_attrs = true since 6.16 (c393befa14ab): before it, faux_driver had bind/unbind files
  driverRegister(k, { name: 'faux_driver', bus: 'faux', suppressBindAttrs: since(k.facts.kernel, 'fauxSuppressBindAttrs') }, null, 'faux_driver');
}

/** faux_device_create(name, parent, ops): returns the device, or ret < 0 for the NULL return */
export function fauxDeviceCreate(k: Kernel, spec: { name: string; parent: string | null; ops: DriverOps; fwnode?: string | null }, ctx: ExecContext): { ret: number; dev?: DeviceRec } {
  if (!k.facts.faux_bus) {
    return { ret: k.error(`faux_device_create() does not exist in Linux ${k.facts.kernel} (the faux bus arrived in 6.14)`, E.INVAL, `${FAUX}:faux_device_create`) };
  }
  const noPower = since(k.facts.kernel, 'fauxPmNotRequired');
  k.emit('device_add', `faux_device_create: "${spec.name}" under ${spec.parent ?? '/devices/faux'}${noPower ? ' (device_set_pm_not_required: no power/ directory)' : ''}`, `${FAUX}:faux_device_create_with_groups${gateNote(k.facts.kernel, 'fauxPmNotRequired')}`);
  const res = deviceAdd(k, {
    name: spec.name, bus: 'faux', parent: spec.parent ?? '/devices/faux', createdBy: ctx.module ?? 'kernel',
    pmNotRequired: noPower, faux: spec.ops,
    fwnode: spec.fwnode ?? null,
  });
  if (res.ret || !res.dev) {
    k.printk('error', `faux_device_create_with_groups: device_add for faux device '${spec.name}' failed with ${res.ret}`, `${FAUX}:faux_device_create_with_groups`, { errno: res.ret });
    return { ret: res.ret || E.NOMEM };
  }
  const dev = k.device(res.dev.devpath);
  if (!dev?.driver) {
    const kernel = k.facts.kernel;
    if (!since(kernel, 'fauxProbeTeardown')) {
      // Linux 6.14.0: the device stays registered, unbound, and is returned to the caller
      k.emit('probe', `faux_device_create: probe of ${spec.name} did not succeed: the device stays, unbound, and is returned`, `${FAUX}:faux_device_create_with_groups${gateNote(kernel, 'fauxProbeTeardown')}`, { touches: { devices: [res.dev.devpath] } });
      return res;
    }
    // "probe did not succeed, tearing down the device": dev_err in 6.15, dev_dbg (not in dmesg) since 6.16
    if (!since(kernel, 'fauxQuietProbeFailure')) k.printk('error', `faux ${spec.name}: probe did not succeed, tearing down the device`, `${FAUX}:faux_device_create_with_groups${gateNote(kernel, 'fauxQuietProbeFailure')}`, { touches: { devices: [res.dev.devpath] } });
    // never retried, even for -EPROBE_DEFER
    k.emit('device_del', `faux_device_create: probe of ${spec.name} did not succeed: the device is torn down and NULL returned (never retried)`, `${FAUX}:faux_device_create_with_groups${gateNote(kernel, 'fauxProbeTeardown')}`, { touches: { devices: [res.dev.devpath] } });
    k.nested(() => deviceDel(k, res.dev!.devpath));
    return { ret: E.NODEV };
  }
  return res;
}

