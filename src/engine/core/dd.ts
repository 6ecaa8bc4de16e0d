/**
 * Binding devices to drivers: models drivers/base/dd.c (__device_attach, __driver_attach,
 * driver_probe_device, really_probe, driver_bound, __device_release_driver, deferred probe)
 * and the devres release in drivers/base/devres.c.
 */
import { E, errnoName } from './errno';
import { gateNote, since } from './versions';
import { RunawayError, MAX_DEFERRED_RETRIES, type Kernel } from './kernel';
import type { DeviceRec, DriverRec } from './state';
import { deviceUevent, deviceDel } from './core';
import { EventSite } from '../trace/eventlog';

const DD = 'drivers/base/dd.c';

// the two events every bind records: their sentences are built when read (Kernel.emitAt)
const REALLY_PROBE = `${DD}:really_probe`;
const DRIVER_BOUND = `${DD}:driver_bound`;
const probeText = (bus: string, drv: string, dev: string) => `really_probe: ${bus} driver ${drv} probes ${dev}`;
const boundText = (dev: string, bus: string, drv: string) => `driver_bound: ${dev} bound to ${bus} driver ${drv}`;
const PROBE_EVENT = new EventSite('probe', REALLY_PROBE, probeText);
const BOUND_EVENT = new EventSite('bind', DRIVER_BOUND, boundText);

/** the touches of an event about one device and one driver (shared: Kernel.touchPair) */
function who(k: Kernel, dev: DeviceRec, drv: DriverRec) {
  return k.touchPair(dev.devpath, drv.id);
}

/** bus_probe_device(): probe a new device if the bus's drivers_autoprobe is set */
export function busProbeDevice(k: Kernel, devpath: string): void {
  const dev = k.device(devpath);
  if (!dev?.bus) return;
  const bus = k.state.buses.get(dev.bus);
  if (!bus?.autoprobe) {
    k.emit('probe', `bus ${dev.bus}: drivers_autoprobe is 0, ${dev.name} is not probed`, 'drivers/base/bus.c:bus_probe_device', k.onDevice(devpath));
    return;
  }
  k.nested(() => deviceAttach(k, devpath));
}

/** match one driver against one device through the bus's match op, recording why */
export function driverMatchDevice(k: Kernel, drv: DriverRec, dev: DeviceRec, record = true): boolean {
  const bt = k.busTypes.get(drv.bus);
  if (!bt) return false;
  const m = bt.match(k, dev, drv);
  if (record) k.match({ driver: drv.name, bus: drv.bus, device: dev.name, matched: m.matched, rule: m.rule, compared: m.compared, cite: m.cite }, who(k, dev, drv));
  return m.matched;
}

/**
 * __device_attach() → bus_for_each_drv(__device_attach_driver): drivers in registration order.
 * Returns 1 if bound, 0 if no driver bound, <0 when the walk stopped on an error.
 */
export function deviceAttach(k: Kernel, devpath: string): number {
  const dev = k.device(devpath);
  if (!dev) return E.NODEV;
  if (dev.driver) return 1;
  for (const drv of k.candidateDrivers(dev)) {
    const cur = k.device(devpath);
    if (!cur) return E.NODEV;
    if (!k.driver(drv.id)) continue;
    if (!driverMatchDevice(k, drv, cur)) continue;
    const ret = driverProbeDevice(k, drv, cur);
    // "Ignore errors returned by ->probe so that the next driver can try its luck" —
    // probe errors come back positive; negative returns (-EBUSY, -ENODEV) stop the walk
    if (ret < 0) return ret;
    if (ret === 0) return 1;
  }
  return 0;
}

/** __driver_attach() for every device on the bus (driver registration, driver_attach) */
export function driverAttach(k: Kernel, drvId: string): void {
  const drv = k.driver(drvId);
  if (!drv) return;
  for (const dev of k.candidateDevices(drv)) {
    const cur = k.device(dev.devpath);
    if (!cur || !k.driver(drvId)) continue;
    if (!driverMatchDevice(k, drv, cur)) continue;
    if (cur.driver) {
      k.emit('probe', `${cur.name} is already bound to ${k.driver(cur.driver)?.name}: skipped (-EBUSY)`, `${DD}:__driver_probe_device`, { touches: who(k, cur, drv) });
      continue;
    }
    k.nested(() => driverProbeDevice(k, drv, cur));
  }
}

/** driver_probe_device(): really_probe, and park the device on the deferred list on -EPROBE_DEFER */
export function driverProbeDevice(k: Kernel, drv: DriverRec, dev: DeviceRec): number {
  const triggerCount = k.deferredTriggerCount;
  const ret = driverProbeDeviceNoDefer(k, drv, dev);
  if (ret === E.PROBE_DEFER || ret === -E.PROBE_DEFER) {
    deferredProbeAdd(k, dev.devpath);
    // "Did a trigger occur while probing? Need to re-trigger if yes"
    if (triggerCount !== k.deferredTriggerCount) driverDeferredProbeTrigger(k);
  }
  return ret;
}

/** __driver_probe_device(): -ENODEV for a dead device, -EBUSY when already bound, else really_probe */
export function driverProbeDeviceNoDefer(k: Kernel, drv: DriverRec, dev: DeviceRec): number {
  const cur = k.device(dev.devpath);
  if (!cur) return E.NODEV;
  if (cur.driver) return E.BUSY;
  return k.nested(() => reallyProbe(k, cur, drv));
}

/** really_probe(): returns 0 when bound, a POSITIVE errno when ->probe failed, -errno before probing */
export function reallyProbe(k: Kernel, dev: DeviceRec, drv: DriverRec): number {
  if (dev.devres.length > 0) {
    // really_probe: dev_crit() before device_set_driver(), so dev_driver_string() gives the bus name
    k.printk('error', `${dev.bus ?? dev.cls ?? ''} ${dev.name}: Resources present before probing`, `${DD}:really_probe`, { errno: E.BUSY, touches: who(k, dev, drv) });
    return E.BUSY;
  }
  // dev->driver = drv; driver_sysfs_add(): the driver/<dev> and <dev>/driver links
  k.state.updateDevice(dev, { driver: drv.id });
  k.emitAt(PROBE_EVENT, k.onPair(dev.devpath, drv.id), drv.bus, drv.name, dev.name);
  const bt = k.busTypes.get(drv.bus)!;
  // __device_attach() / __driver_attach() hold device_lock(dev) across the probe
  const ret = k.withDeviceLock(dev.devpath, () => k.nested(() =>
    bt.probe(k, k.device(dev.devpath)!, drv, () => runDriverCallback(drv, dev.devpath, 'probe')),
  ));
  // call_driver_probe(): which results are logged
  if (ret !== 0) {
    if (ret === E.PROBE_DEFER) {
      k.emit('defer', `${drv.name} requests probe deferral for ${dev.name}`, `${DD}:call_driver_probe`, { errno: ret, touches: who(k, dev, drv) });
    } else if (ret === E.NODEV || ret === E.NXIO) {
      k.emit('probe', `probe with driver ${drv.name} rejects match ${ret} (silent)`, `${DD}:call_driver_probe`, { errno: ret, touches: who(k, dev, drv) });
    } else {
      // 6.9+: dev_err() (prefix "<driver> <device>: ", dev->driver is set); before: pr_warn()
      const line = since(k.facts.kernel, 'probeErrDevErr')
        ? `${drv.name} ${dev.name}: probe with driver ${drv.name} failed with error ${ret}`
        : `${drv.name}: probe of ${dev.name} failed with error ${ret}`;
      k.printk('error', line, `${DD}:call_driver_probe${gateNote(k.facts.kernel, 'probeErrDevErr')}`, { errno: ret, touches: who(k, dev, drv) });
    }
    // probe_failed: driver_sysfs_remove(); device_unbind_cleanup(): devres_release_all, dev->driver = NULL
    k.nested(() => devresReleaseAll(k, dev.devpath));
    const after = k.device(dev.devpath);
    if (after) k.state.updateDevice(after, { driver: null });
    k.emit('probe', `${dev.name} not bound to ${drv.name} (${errnoName(ret)})`, `${DD}:really_probe`, { errno: ret, touches: who(k, dev, drv) });
    return -ret;
  }
  driverBound(k, dev.devpath, drv);
  return 0;
}

/** call_driver_probe() / device_remove(): drv->probe or drv->remove, if the driver has one */
function runDriverCallback(drv: DriverRec, devpath: string, which: 'probe' | 'remove'): number {
  if (which === 'remove') {
    drv.ops.remove?.(devpath);
    return 0;
  }
  return drv.ops.probe ? drv.ops.probe(devpath) : 0;
}

/** driver_bound(): klist add, deferred list kick, KOBJ_BIND */
export function driverBound(k: Kernel, devpath: string, drv: DriverRec): void {
  const boundOrder = ++k.counters.bind;
  const dev = k.device(devpath)!;
  // driver_deferred_probe_del(): off the deferred lists, the reason freed
  k.state.updateDevice(dev, dev.deferReason ? { boundOrder, deferred: false, deferReason: null } : { boundOrder, deferred: false });
  k.emitAt(BOUND_EVENT, k.onPair(dev.devpath, drv.id), dev.name, drv.bus, drv.name);
  driverDeferredProbeTrigger(k);
  deviceUevent(k, k.device(devpath)!, 'bind');
}

/** driver_deferred_probe_add() */
export function deferredProbeAdd(k: Kernel, devpath: string): void {
  const dev = k.device(devpath);
  if (!dev || dev.deferred) return;
  // list_add_tail(): the pending list keeps the order devices deferred in, not their device_add order
  k.state.updateDevice(dev, { deferred: true, deferredAt: ++k.counters.deferAdd });
  k.emit('defer', `${dev.name} added to the deferred probe pending list`, `${DD}:driver_deferred_probe_add`, k.onDevice(devpath));
}

/** deferred_probe_pending_list order: where each device was added (list_add_tail) */
export const byPendingPlace = (a: DeviceRec, b: DeviceRec): number => (a.deferredAt ?? 0) - (b.deferredAt ?? 0) || a.order - b.order;

/** driver_deferred_probe_del(): off the list, its reason freed (__device_set_deferred_probe_reason(dev, NULL)) */
export function deferredProbeDel(k: Kernel, devpath: string): void {
  const dev = k.device(devpath);
  if (dev?.deferred || dev?.deferReason) k.state.updateDevice(dev, { deferred: false, deferReason: null });
  k.deferredActive = k.deferredActive.filter((p) => p !== devpath);
}

/** driver_deferred_probe_trigger(): pending → active; the work runs later (asynchronously) */
export function driverDeferredProbeTrigger(k: Kernel): void {
  if (!k.state.misc.deferredEnabled) return;
  k.deferredTriggerCount++;
  // an empty pending list moves nothing (every bind triggers: this is the common case)
  if (k.state.deferredSet.size === 0) return;
  // deferred_probe_pending_list: the state's deferred index, not a scan of every device
  const active = new Set(k.deferredActive);
  const pending = [...k.state.deferredSet].map((p) => k.device(p)!).filter((d) => !active.has(d.devpath));
  if (pending.length === 0) return;
  // list_splice_tail_init(&deferred_probe_pending_list, &deferred_probe_active_list): in list order
  pending.sort(byPendingPlace);
  for (const d of pending) {
    k.state.updateDevice(k.device(d.devpath)!, { deferred: false });
    k.deferredActive.push(d.devpath);
  }
  k.emit('defer', `deferred probe triggered: ${pending.map((d) => d.name).join(', ')} queued for a retry`, `${DD}:driver_deferred_probe_trigger`, { touches: { devices: pending.map((d) => d.devpath) } });
}

/** deferred_probe_work_func(): retry each queued device with bus_probe_device() */
export function runDeferredWork(k: Kernel): boolean {
  let did = false;
  while (k.deferredActive.length > 0) {
    const devpath = k.deferredActive.shift()!;
    const dev = k.device(devpath);
    if (!dev || dev.driver) continue;
    did = true;
    const n = (k.deferredRetries.get(devpath) ?? 0) + 1;
    k.deferredRetries.set(devpath, n);
    if (n > MAX_DEFERRED_RETRIES) {
      throw new RunawayError(`probe loop: ${dev.name} was retried ${n - 1} times by the deferred-probe work (each attempt binds something, which re-triggers the deferred list, and then defers again)`, 'probe-loop');
    }
    // off the active list, its reason freed (__device_set_deferred_probe_reason(dev, NULL)) before the retry
    if (dev.deferReason) k.state.updateDevice(dev, { deferReason: null });
    k.emit('defer', `deferred probe work: retrying ${dev.name}`, `${DD}:deferred_probe_work_func`, k.onDevice(devpath));
    k.nested(() => busProbeDevice(k, devpath));
  }
  return did;
}

/** __device_release_driver(): remove(), devres_release_all(), dev->driver = NULL, KOBJ_UNBIND */
export function releaseDriver(k: Kernel, devpath: string): void {
  const dev = k.device(devpath);
  if (!dev?.driver) return;
  const drv = k.driver(dev.driver)!;
  k.emit('unbind', `__device_release_driver: ${dev.name} from ${drv.bus} driver ${drv.name}`, `${DD}:__device_release_driver`, k.onPair(dev.devpath, drv.id));
  k.nested(() => {
    const bt = k.busTypes.get(drv.bus)!;
    // device_remove(): bus->remove if set, else drv->remove
    // device_release_driver_internal() holds device_lock(dev) across remove()
    k.withDeviceLock(devpath, () => bt.remove(k, dev, drv, () => { runDriverCallback(drv, devpath, 'remove'); }));
    // device_unbind_cleanup(): devres_release_all() runs after remove()
    devresReleaseAll(k, devpath);
  });
  const cur = k.device(devpath);
  if (!cur) return;
  k.state.updateDevice(cur, { driver: null, boundOrder: 0 });
  deviceUevent(k, k.device(devpath)!, 'unbind');
}

/** driver_detach(): devices bound to the driver, last bound first */
export function driverDetach(k: Kernel, drvId: string): void {
  // the driver's klist_devices (the state's bound-by index), not a scan of every device
  const bound = [...k.state.boundBy.get(drvId)].map((p) => k.device(p)!).sort((a, b) => b.boundOrder - a.boundOrder);
  for (const d of bound) k.nested(() => releaseDriver(k, d.devpath));
}

/** devres_release_all(): release managed resources in reverse order of acquisition */
export function devresReleaseAll(k: Kernel, devpath: string): void {
  const dev = k.device(devpath);
  if (!dev || dev.devres.length === 0) return;
  const entries = [...dev.devres].reverse();
  k.state.updateDevice(dev, { devres: [] });
  k.emit('unbind', `devres_release_all: ${dev.name} releases ${entries.length} managed resource(s)`, 'drivers/base/devres.c:devres_release_all', k.onDevice(devpath));
  for (const r of entries) {
    k.nested(() => {
      if (r.kind === 'action') {
        k.emit('unbind', `devres: running the devm action registered by ${r.module ?? 'kernel'} on ${dev.name}`, r.cite, k.onDevice(devpath));
        r.run();
      } else if (k.device(r.target)) deviceDel(k, r.target);
    });
  }
}
