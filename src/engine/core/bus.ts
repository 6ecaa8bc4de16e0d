/**
 * Buses and drivers: models drivers/base/bus.c (bus_register, bus_add_driver, bind_store,
 * unbind_store, drivers_probe_store, drivers_autoprobe_store) and drivers/base/driver.c
 * (driver_register, driver_unregister).
 */
import type { DriverDef } from '../scenario/schema';
import type { BusType } from '../buses/types';
import { E } from './errno';
import type { Kernel } from './kernel';
import type { DriverOps, DriverRec } from './state';
import { busUevent, driverUevent, deviceAdd } from './core';
import { driverAttach, driverDetach, driverMatchDevice, driverProbeDeviceNoDefer, deviceAttach, releaseDriver } from './dd';

const BUS = 'drivers/base/bus.c';
const DRIVER = 'drivers/base/driver.c';

/** bus_register() (and the root device some buses register first, e.g. faux_bus_root) */
export function busRegister(k: Kernel, bt: BusType, rootDevice?: string): number {
  if (k.state.buses.has(bt.name)) {
    return k.error(`bus_register ${bt.name}: a bus with that name exists: -EEXIST`, E.EXIST, `${BUS}:bus_register`);
  }
  if (rootDevice) {
    const { ret } = deviceAdd(k, { name: rootDevice, bus: null, isRoot: true, createdBy: 'kernel' });
    if (ret) return ret;
  }
  const busOrder = ++k.counters.bus;
  k.busTypes.set(bt.name, bt);
  k.state.setBus({ name: bt.name, autoprobe: true, order: busOrder });
  k.emit('phase', `bus_register: /sys/bus/${bt.name} (drivers_autoprobe=1)`, `${BUS}:bus_register`);
  busUevent(k, bt.name, 'add');
  return 0;
}

/** driver_register(): returns 0 and the driver id, or -errno */
export function driverRegister(k: Kernel, def: DriverDef, module: string | null, key: string, opts: { probeOnce?: boolean; ops?: DriverOps } = {}): { ret: number; id?: string } {
  const bt = k.bus(def.bus);
  const label = def.name ?? key;
  if (!bt) {
    return { ret: k.error(`driver_register ${label}: bus ${def.bus} is not registered: -EINVAL`, E.INVAL, `${DRIVER}:driver_register`, {}, `Driver '${label}' was unable to register with bus_type '${def.bus}' because the bus was not initialized.`) };
  }
  const name = bt.driverName(def, module, key);
  if (bt.checkDriver) {
    const r = bt.checkDriver(k, def, name);
    if (r) return { ret: r };
  }
  if (k.findDriver(def.bus, name)) {
    return { ret: k.error(`driver_register ${name}: ${def.bus} already has a driver named ${name}: -EBUSY`, E.BUSY, `${DRIVER}:driver_register`, { drivers: [`${def.bus}/${name}`] }, `Error: Driver '${name}' is already registered, aborting...`) };
  }
  const drvOrder = ++k.counters.drv;
  const rec: DriverRec = {
    id: `${def.bus}/${name}`, name, bus: def.bus, module, def, ops: opts.ops ?? {}, order: drvOrder,
    bindAttrs: !(def.suppressBindAttrs ?? false) && !opts.probeOnce, probeFail: false,
    preventDeferredProbe: opts.probeOnce ?? false,
  };
  k.state.setDriver(rec);
  k.indexDriver(rec, true);
  k.emit('driver_register', `driver_register: ${def.bus} driver ${name}${module ? ` (module ${module})` : ''}${rec.bindAttrs ? '' : ', no bind/unbind files (suppress_bind_attrs)'}`, `${BUS}:bus_add_driver`, { touches: { drivers: [rec.id] } });
  // bus_add_driver(): driver_attach() before the driver's own KOBJ_ADD
  if (k.state.buses.get(def.bus)?.autoprobe) k.nested(() => driverAttach(k, rec.id));
  driverUevent(k, rec, 'add');
  return { ret: 0, id: rec.id };
}

/** driver_unregister() → bus_remove_driver(): bind files go, devices detach, then KOBJ_REMOVE */
export function driverUnregister(k: Kernel, id: string): number {
  const drv = k.driver(id);
  if (!drv) return k.error(`driver_unregister: ${id} is not registered`, E.NODEV, `${DRIVER}:driver_unregister`);
  k.emit('driver_unregister', `driver_unregister: ${drv.bus} driver ${drv.name}`, `${BUS}:bus_remove_driver`, { touches: { drivers: [id] } });
  k.nested(() => driverDetach(k, id));
  k.indexDriver(drv, false);
  k.state.deleteDriver(id);
  driverUevent(k, drv, 'remove');
  return 0;
}

/** sysfs_streq()-style name from a write: one trailing newline is ignored */
export function sysfsBuf(value: string): string {
  return value.endsWith('\n') ? value.slice(0, -1) : value;
}

/** /sys/bus/<bus>/drivers/<drv>/bind — bind_store() */
export function bindStore(k: Kernel, drv: DriverRec, value: string): number {
  const dev = k.findBusDevice(drv.bus, sysfsBuf(value));
  if (!dev) return k.error(`bind: no device "${sysfsBuf(value)}" on bus ${drv.bus}: -ENODEV`, E.NODEV, `${BUS}:bind_store`, { drivers: [drv.id] });
  if (!driverMatchDevice(k, drv, dev)) {
    return k.error(`bind: ${drv.name} does not match ${dev.name}: -ENODEV`, E.NODEV, `${BUS}:bind_store`, { devices: [dev.devpath], drivers: [drv.id] });
  }
  // device_driver_attach(): __driver_probe_device, probe errors negated, -EPROBE_DEFER → -EAGAIN (not queued)
  let ret = k.nested(() => driverProbeDeviceNoDefer(k, drv, dev));
  if (ret > 0) ret = -ret;
  if (ret === E.PROBE_DEFER) return k.error(`bind: ${drv.name} deferred probing ${dev.name}: -EAGAIN (not queued for a retry)`, E.AGAIN, `${'drivers/base/dd.c'}:device_driver_attach`, { devices: [dev.devpath], drivers: [drv.id] });
  if (ret === E.BUSY) return k.error(`bind: ${dev.name} is already bound: -EBUSY`, E.BUSY, `drivers/base/dd.c:__driver_probe_device`, { devices: [dev.devpath], drivers: [drv.id] });
  if (ret < 0) return k.error(`bind: probe of ${dev.name} failed: ${ret}`, ret, 'drivers/base/dd.c:device_driver_attach', { devices: [dev.devpath], drivers: [drv.id] });
  return 0;
}

/** /sys/bus/<bus>/drivers/<drv>/unbind — unbind_store() */
export function unbindStore(k: Kernel, drv: DriverRec, value: string): number {
  const dev = k.findBusDevice(drv.bus, sysfsBuf(value));
  if (!dev || dev.driver !== drv.id) {
    return k.error(`unbind: ${dev ? `${dev.name} is not bound to ${drv.name}` : `no device "${sysfsBuf(value)}" on bus ${drv.bus}`}: -ENODEV`, E.NODEV, `${BUS}:unbind_store`, { drivers: [drv.id], ...(dev ? { devices: [dev.devpath] } : {}) });
  }
  k.nested(() => releaseDriver(k, dev.devpath));
  return 0;
}

/** /sys/bus/<bus>/drivers_probe — drivers_probe_store() → bus_rescan_devices_helper() */
export function driversProbeStore(k: Kernel, bus: string, value: string): number {
  const dev = k.findBusDevice(bus, sysfsBuf(value));
  if (!dev) return k.error(`drivers_probe: no device "${sysfsBuf(value)}" on bus ${bus}: -ENODEV`, E.NODEV, `${BUS}:drivers_probe_store`);
  if (dev.driver) return 0;
  // device_attach() ignores drivers_autoprobe; success even when nothing binds
  const ret = k.nested(() => deviceAttach(k, dev.devpath));
  return ret < 0 ? k.error(`drivers_probe: ${dev.name}: ${ret} → -EINVAL`, E.INVAL, `${BUS}:drivers_probe_store`) : 0;
}

/** /sys/bus/<bus>/drivers_autoprobe — '0' clears, anything else sets */
export function driversAutoprobeStore(k: Kernel, bus: string, value: string): number {
  const rec = k.state.buses.get(bus)!;
  k.state.setBus({ ...rec, autoprobe: !value.startsWith('0') });
  k.emit('sysfs', `bus ${bus}: drivers_autoprobe=${value.startsWith('0') ? 0 : 1}`, `${BUS}:drivers_autoprobe_store`);
  return 0;
}
