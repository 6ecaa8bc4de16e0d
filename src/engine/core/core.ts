/**
 * Device lifecycle and uevents: models drivers/base/core.c (device_add, device_del, dev_uevent)
 * and lib/kobject_uevent.c (kobject_uevent_env).
 */
import type { UeventRecord } from '../api';
import { newDeviceRecord, type DeviceRec, type DriverRec, type NewDeviceFields } from './state';
import { E } from './errno';
import { gateNote, since } from './versions';
import { flat, type Kernel } from './kernel';
import { busProbeDevice, deferredProbeDel, releaseDriver, devresReleaseAll } from './dd';
import { ofAliasesOf, ofNode } from '../firmware/devicetree';
import { EventSite } from '../trace/eventlog';

const CORE = 'drivers/base/core.c';
const UEVENT = 'lib/kobject_uevent.c';
// citations of the events every device records, built once (the trace interns them by value)
const ZAP_MODALIAS_ENV = `${UEVENT}:zap_modalias_env`;

export type NewDevice = NewDeviceFields & { name: string; baseName?: string };

/** kobject_set_name_vargs(): a '/' in a kobject name becomes '!' */
export function kobjectName(name: string): string {
  return name.includes('/') ? name.replace(/\//g, '!') : name;
}

/** where device_add() puts the kobject: under the parent, a class glue dir, or /sys/devices */
export function devpathFor(k: Kernel, name: string, parent: string | null, cls: string | null): string {
  // flat: a devpath is kept by the record, the indexes and the trace; as a rope it would keep its pieces
  if (cls) return flat(parent ? `${parent}/${cls}/${name}` : `/devices/virtual/${cls}/${name}`);
  return flat(parent ? `${parent}/${name}` : `/devices/${name}`);
}

const DEVICE_ADD = `${CORE}:device_add`;
const DEV_UEVENT = `${CORE}:dev_uevent`;
/** device_add()'s event, built when read (Kernel.emitAt): the device and where it hangs */
const deviceAddText = (devpath: string, bus: string, cls: string) => `device_add ${devpath} (${bus ? `bus ${bus}` : cls ? `class ${cls}` : 'no bus, no class'})`;
const DEVICE_ADD_EVENT = new EventSite('device_add', DEVICE_ADD, deviceAddText);

/** device_add(): returns 0 and the device, or -errno */
export function deviceAdd(k: Kernel, spec: NewDevice): { ret: number; dev?: DeviceRec } {
  if (!spec.name) {
    return { ret: k.error('device_add: the device has no name: -EINVAL', E.INVAL, `${CORE}:device_add`) };
  }
  const name = kobjectName(spec.name);
  const parent = spec.parent ?? null;
  if (parent && !k.device(parent)) {
    return { ret: k.error(`device_add: parent ${parent} does not exist`, E.NODEV, `${CORE}:device_add`) };
  }
  const devpath = devpathFor(k, name, parent, spec.cls ?? null);
  // A device's devpath ends in its dev_name (devpathFor), so a name no device has rules out both
  // duplicates below with one lookup: most devices' names are their own (a lookup that misses in a
  // table of every device is mostly cache misses)
  const nameTaken = k.state.byName.raw(name) !== undefined;
  if (nameTaken && k.device(devpath)) {
    // kobject_add() → sysfs_create_dir_ns() → sysfs_warn_dup(): no uevent is sent
    k.printk('error', `sysfs: cannot create duplicate filename '${devpath}'`, 'fs/sysfs/dir.c:sysfs_warn_dup', { errno: E.EXIST, touches: { devices: [devpath] } });
    return { ret: k.error(`device_add ${name}: kobject_add failed with -EEXIST (a sibling has that name)`, E.EXIST, `${CORE}:device_add → lib/kobject.c:kobject_add_internal${gateNote(k.facts.kernel, 'kobjectPrefix')}`, { devices: [devpath] }, `${since(k.facts.kernel, 'kobjectPrefix') ? 'kobject: ' : ''}kobject_add_internal failed for ${name} with -EEXIST, don't try to register things with the same name in the same directory.`) };
  }
  const order = ++k.counters.dev;
  // the name the bus matches on: the one given (before kobject_set_name's '/' → '!'), unless the bus gave its own
  const dev = newDeviceRecord(devpath, name, spec.baseName ?? spec.name, order, spec);
  // bus_add_device(): /sys/bus/<bus>/devices/<name> must be unique on the bus
  if (nameTaken && dev.bus && k.findBusDevice(dev.bus, name)) {
    k.state.setDevice(dev);
    k.emit('device_add', `device_add ${devpath}: kobject created under its parent`, `${CORE}:device_add`, { touches: { devices: [devpath] } });
    k.printk('error', `sysfs: cannot create duplicate filename '/bus/${dev.bus}/devices/${name}'`, 'fs/sysfs/dir.c:sysfs_warn_dup', { errno: E.EXIST });
    // the error path (attrError) still sends KOBJ_REMOVE: userspace sees a remove with no add
    deviceUevent(k, dev, 'remove');
    k.state.deleteDevice(devpath);
    return { ret: k.error(`device_add ${name}: bus_add_device failed: ${dev.bus} already has a device named ${name}: -EEXIST`, E.EXIST, `drivers/base/bus.c:bus_add_device`, { devices: [devpath] }) };
  }
  k.state.setDevice(dev);
  k.indexDevice(dev, true);
  if (dev.devmOwner) {
    const owner = k.device(dev.devmOwner);
    if (owner) k.state.updateDevice(owner, { devres: [...owner.devres, { kind: 'device', target: devpath, cite: 'include/linux/device/devres.h:devm_add_action_or_reset' }] });
  }
  k.emitAt(DEVICE_ADD_EVENT, k.onDevice(devpath), devpath, dev.bus ?? '', dev.cls ?? '');
  // dev_uevent_filter(): only devices with a bus or a class send uevents
  if (dev.bus || dev.cls) deviceUevent(k, dev, 'add');
  if (dev.bus) busProbeDevice(k, dev.devpath);
  return { ret: 0, dev: k.device(devpath) };
}

/** device_del(): unbind (bus_remove_device → device_release_driver), devres, KOBJ_REMOVE */
export function deviceDel(k: Kernel, devpath: string): number {
  const dev = k.device(devpath);
  if (!dev) return k.error(`device_del: ${devpath} is not registered`, E.NODEV, `${CORE}:device_del`);
  k.checkDeviceLock(devpath, 'device_del');
  // device_del(): dpm_sysfs_remove, the uevent file and attrs, then bus_remove_device() drops the
  // subsystem and /sys/bus/<bus>/devices links — all before device_release_driver()
  k.state.updateDevice(k.device(devpath)!, { deleting: true });
  k.emit('device_del', `device_del ${devpath}`, `${CORE}:device_del`, k.onDevice(devpath));
  k.nested(() => {
    // bus_remove_device(): links go first, then device_release_driver()
    if (k.device(devpath)?.driver) releaseDriver(k, devpath);
    deferredProbeDel(k, devpath);
    // devres still held by an unbound device
    devresReleaseAll(k, devpath);
  });
  // device_del() does not walk children: the driver's remove() and devres tear down what the
  // driver created. Whatever is still registered now was leaked by the scenario's code — show it,
  // then delete it, so the model never keeps a device whose parent is gone.
  const kids = k.children(devpath);
  if (kids.length > 0) {
    k.error(`device_del ${devpath}: ${kids.length} child device(s) still registered after the driver let go (${kids.map((c) => c.name).join(', ')}): leaked by the code that created them; deleting them`, E.BUSY, `${CORE}:device_del`, { devices: [devpath, ...kids.map((c) => c.devpath)] });
    for (const c of [...kids].reverse()) k.nested(() => deviceDel(k, c.devpath));
  }
  const cur = k.device(devpath)!;
  if (cur.bus || cur.cls) deviceUevent(k, cur, 'remove');
  k.indexDevice(cur, false);
  k.state.deleteDevice(devpath);
  // the release of a device on a data-defined bus frees its "{name}-{n}" id
  if (cur.idaId !== null && cur.bus) k.ida(cur.bus).free(cur.idaId);
  if (cur.devmOwner) {
    const owner = k.device(cur.devmOwner);
    if (owner) k.state.updateDevice(owner, { devres: owner.devres.filter((r) => r.target !== devpath) });
  }
  return 0;
}

/**
 * dev_uevent(): the variables the device contributes (also the contents of its `uevent` file),
 * appended to `env` (kobject_uevent_env's buffer, already holding the caller's envp_ext)
 */
export function devUeventVars(k: Kernel, dev: DeviceRec, env: [string, string][] = []): [string, string][] {
  const drv = dev.driver ? k.driver(dev.driver) : undefined;
  if (drv) env.push(['DRIVER', drv.name]);
  if (dev.ofNode) for (const v of ofDeviceUevent(k, dev.ofNode)) env.push(v);
  const bt = dev.bus ? k.busTypes.get(dev.bus) : undefined;
  if (bt?.uevent) for (const v of bt.uevent(k, dev)) env.push(v);
  return env;
}

/** of_device_uevent(): OF_NAME, OF_FULLNAME, [OF_TYPE], OF_COMPATIBLE_<i>, OF_COMPATIBLE_N, OF_ALIAS_<i> */
export function ofDeviceUevent(k: Kernel, path: string): [string, string][] {
  const node = ofNode(k.scenario.firmware, path);
  if (!node) return [];
  const env: [string, string][] = [['OF_NAME', node.name], ['OF_FULLNAME', path]];
  if (node.deviceType) env.push(['OF_TYPE', node.deviceType]);
  node.compatible.forEach((c, i) => env.push([`OF_COMPATIBLE_${i}`, c]));
  env.push(['OF_COMPATIBLE_N', String(node.compatible.length)]);
  // aliases_lookup, in /aliases property order (of_alias_scan → of_alias_add appends)
  ofAliasesOf(k.scenario.firmware, path).forEach((a, i) => env.push([`OF_ALIAS_${i}`, a]));
  return env;
}

/** no envp_ext */
const NO_ENV: readonly (readonly [string, string])[] = Object.freeze([]);

function subsystemOf(dev: DeviceRec): string {
  return dev.bus ?? dev.cls ?? '';
}

/** kobject_uevent_env() for a device */
export function deviceUevent(k: Kernel, dev: DeviceRec, action: UeventRecord['action'], envpExt: readonly (readonly [string, string])[] = NO_ENV): void {
  // the caller's envp_ext first, then the device's own (one array: a uevent is sent per device
  // two or three times in a boot)
  let vars = devUeventVars(k, dev, envpExt.length ? (envpExt.slice() as [string, string][]) : []);
  // KOBJ_UNBIND: zap_modalias_env() strips MODALIAS so udev does not load the module again
  if (action === 'unbind') vars = vars.filter(([key]) => key !== 'MODALIAS');
  const bt = dev.bus ? k.busTypes.get(dev.bus) : undefined;
  const cite = action === 'unbind' ? ZAP_MODALIAS_ENV : bt?.ueventCite ?? DEV_UEVENT;
  sendUevent(k, action, dev.devpath, subsystemOf(dev), vars, cite, k.touchDevice(dev.devpath));
}

/** a driver's kobject (/bus/<bus>/drivers/<name>): SUBSYSTEM=drivers, nothing else */
export function driverUevent(k: Kernel, drv: Pick<DriverRec, 'id' | 'bus' | 'name'>, action: UeventRecord['action'], envpExt: [string, string][] = []): void {
  // the event names the driver by its record's own id string (`${bus}/${name}`): the touches
  // table finds it by that string, whose hash is already known, not by a new one
  sendUevent(k, action, `/bus/${drv.bus}/drivers/${drv.name}`, 'drivers', envpExt, `${UEVENT}:kobject_uevent_env`, { drivers: [drv.id] });
}

/** a bus's kobject (/bus/<name>): kset_register() in bus_register() sends KOBJ_ADD, SUBSYSTEM=bus */
export function busUevent(k: Kernel, bus: string, action: UeventRecord['action']): void {
  sendUevent(k, action, `/bus/${bus}`, 'bus', [], 'lib/kobject.c:kset_register', {});
}

/** a module's kobject (/module/<name>) */
export function moduleUevent(k: Kernel, name: string, action: UeventRecord['action']): void {
  // add: sent by do_init_module() once init succeeded; remove: mod_sysfs_teardown() on unload
  const cite = action === 'remove' ? 'kernel/module/sysfs.c:mod_sysfs_teardown' : 'kernel/module/main.c:do_init_module';
  sendUevent(k, action, `/module/${name}`, 'module', [], cite, { modules: [name] });
}

function sendUevent(k: Kernel, action: UeventRecord['action'], devpath: string, subsystem: string, vars: [string, string][], cite: string, touches: { devices?: string[]; drivers?: string[]; modules?: string[] }): void {
  const seq = ++k.counters.seqnum;
  // the uevent's own variables recur (a device's MODALIAS and DRIVER across its add/bind/unbind/remove): one shared pair of each
  const i = k.uevents.push(seq, action, flat(devpath), subsystem, vars, k.shareVar);
  // the event's text is the uevent's (trace/eventlog.ts ueventText), built when read
  k.ueventSent(i, cite, touches);
  if (k.state.misc.udevRunning) k.udevQueue.push(i);
}
