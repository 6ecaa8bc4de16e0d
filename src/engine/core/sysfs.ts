/**
 * sysfs as userspace sees it, derived from the state (fs/sysfs, drivers/base/bus.c attributes,
 * drivers/base/core.c device attributes), and userspace writes/reads dispatched to the stores
 * that model them.
 */
import type { Kernel } from './kernel';
import type { DeviceRec, DriverRec, ModuleRec } from './state';
import { gateNote, since } from './versions';
import { E, strerror } from './errno';
import { devUeventVars, deviceUevent, driverUevent } from './core';
import { bindStore, unbindStore, driversProbeStore, driversAutoprobeStore, sysfsBuf } from './bus';
import { byPendingPlace } from './dd';

/** the relative target the kernel writes for a symlink at `from` pointing to `to` (both under /sys) */
export function relLink(from: string, to: string): string {
  // compare directory by directory without splitting: the common prefix ends at a '/' in both
  const dirEnd = from.lastIndexOf('/'); // the link's directory is from[0, dirEnd)
  let common = 4; // both start with "/sys"
  let i = 4;
  for (;;) {
    if (i === dirEnd && (to.length === i || to.charCodeAt(i) === 47)) {
      common = i;
      break;
    }
    if (i >= dirEnd || i >= to.length || from.charCodeAt(i) !== to.charCodeAt(i)) break;
    i++;
    if (from.charCodeAt(i) === 47 && (to.length === i || to.charCodeAt(i) === 47)) common = i;
  }
  // one ".." per directory of `from` below the common prefix
  let ups = '';
  for (let j = common; j < dirEnd; j++) if (from.charCodeAt(j) === 47) ups += '../';
  const rest = to.slice(common + 1);
  return rest ? ups + rest : ups.slice(0, -1);
}

/** resolve a relative symlink target against the link's directory */
export function resolveLink(from: string, target: string): string {
  const parts = from.split('/').slice(0, -1);
  for (const seg of target.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.') parts.push(seg);
  }
  return parts.join('/');
}

function link(out: string[], from: string, to: string) {
  out.push(`${from} -> ${relLink(from, to)}`);
}

/**
 * The sysfs entries one device contributes: its directory and attributes, its bus and driver
 * links, its class links (device_add → device_add_attrs, bus_add_device, driver_sysfs_add,
 * device_add_class_symlinks). Depends on the record and its driver's record alone, so
 * trace/views.ts can cache them, and make them later (deviceSysfsWith).
 */
export function deviceSysfs(k: Kernel, d: DeviceRec, out: string[]): void {
  deviceSysfsWith(k, d, d.driver ? k.driver(d.driver) : undefined, out);
}

/** deviceSysfs with the driver's record given (trace/views.ts: the one the entries are cached by) */
export function deviceSysfsWith(k: Kernel, d: DeviceRec, drv: DriverRec | undefined, out: string[]): void {
  const dir = `/sys${d.devpath}`;
  out.push(dir);
  if (d.isRoot) {
    // the bus roots are plain devices (device_register): uevent and power/, no subsystem
    out.push(`${dir}/uevent`);
    if (!d.pmNotRequired) out.push(`${dir}/power`);
    return;
  }
  if (d.deleting) {
    // device_del() in progress: only the directory and (until driver_sysfs_remove) the driver link
    if (drv) link(out, `${dir}/driver`, `/sys/bus/${drv.bus}/drivers/${drv.name}`);
    return;
  }
  out.push(`${dir}/uevent`);
  if (!d.pmNotRequired) out.push(`${dir}/power`);
  if (d.bus) link(out, `${dir}/subsystem`, `/sys/bus/${d.bus}`);
  if (d.cls) link(out, `${dir}/subsystem`, `/sys/class/${d.cls}`);
  if (drv) link(out, `${dir}/driver`, `/sys/bus/${drv.bus}/drivers/${drv.name}`);
  const bt = d.bus ? k.busTypes.get(d.bus) : undefined;
  for (const attr of bt?.deviceAttrs(d) ?? []) out.push(`${dir}/${attr}`);
  if (d.cls && d.parent) link(out, `${dir}/device`, `/sys${d.parent}`);
  if (d.cls) {
    out.push(`/sys/class/${d.cls}`);
    link(out, `/sys/class/${d.cls}/${d.name}`, dir);
  }
  if (d.parent && d.cls) out.push(`/sys${d.parent}/${d.cls}`);
  // bus_add_device(): /sys/bus/<bus>/devices/<name>; driver_sysfs_add(): the driver's link to it
  if (d.bus) link(out, `/sys/bus/${d.bus}/devices/${d.name}`, dir);
  if (drv) link(out, `/sys/bus/${drv.bus}/drivers/${drv.name}/${d.name}`, dir);
}

/** a registered bus: bus_register() → /sys/bus/<name> and its attributes */
export function busSysfs(name: string, out: string[]): void {
  const dir = `/sys/bus/${name}`;
  out.push(dir, `${dir}/devices`, `${dir}/drivers`, `${dir}/drivers_autoprobe`, `${dir}/drivers_probe`, `${dir}/uevent`);
}

/** a registered driver: bus_add_driver() attributes and module_add_driver() links */
export function driverSysfs(k: Kernel, drv: DriverRec, out: string[]): void {
  const dir = `/sys/bus/${drv.bus}/drivers/${drv.name}`;
  out.push(dir, `${dir}/uevent`);
  if (drv.bindAttrs) out.push(`${dir}/bind`, `${dir}/unbind`);
  // module_add_driver(): the module's kobject, or for built-in code the one looked up by drv->mod_name
  const mod = drv.module ? k.state.modules.get(drv.module) : undefined;
  const modName = k.busTypes.get(drv.bus)?.setsModName ?? false;
  if (mod && (mod.inSysfs || mod.state === 'loaded' || (mod.state === 'builtin' && modName))) {
    out.push(`/sys/module/${mod.name}`);
    link(out, `${dir}/module`, `/sys/module/${mod.name}`);
    link(out, `/sys/module/${mod.name}/drivers/${drv.bus}:${drv.name}`, dir);
  }
}

/** a module in sysfs (mod_sysfs_setup) */
export function moduleSysfs(m: ModuleRec, out: string[]): void {
  if (m.state === 'loaded' || m.inSysfs) out.push(`/sys/module/${m.name}`, `/sys/module/${m.name}/uevent`);
}

/** a file outside the device model and its parent directories */
export function fileSysfs(path: string, out: string[]): void {
  const parts = path.split('/');
  for (let i = 3; i <= parts.length; i++) out.push(parts.slice(0, i).join('/'));
}

/** /sys/firmware/devicetree/base: the flattened tree as the kernel unflattened it */
export function firmwareSysfs(k: Kernel, out: string[]): void {
  if (k.scenario.firmware.description !== 'dt') return;
  for (const n of k.scenario.firmware.dt ?? []) out.push(`/sys/firmware/devicetree/base${n.path}`);
}

/** every sysfs path bindscope models, sorted; symlinks as "path -> target" */
export function listSysfs(k: Kernel): string[] {
  const out: string[] = [];
  for (const d of k.state.devices.values()) deviceSysfs(k, d, out);
  for (const b of k.state.buses.values()) busSysfs(b.name, out);
  for (const drv of k.state.drivers.values()) driverSysfs(k, drv, out);
  for (const m of k.state.modules.values()) moduleSysfs(m, out);
  for (const [path] of k.state.files) fileSysfs(path, out);
  firmwareSysfs(k, out);
  return [...new Set(out)].sort();
}

export interface SysfsResult {
  rc: number; // 0 or -errno
  output: string[]; // what `cat` prints, or the shell's error line
}

function deviceByDir(k: Kernel, dir: string): DeviceRec | undefined {
  // /sys/devices/... or /sys/bus/<bus>/devices/<name> or /sys/class/<cls>/<name>
  if (dir.startsWith('/sys/devices/')) return k.device(dir.slice(4));
  let m = /^\/sys\/bus\/([^/]+)\/devices\/([^/]+)$/.exec(dir);
  if (m) return k.findBusDevice(m[1]!, m[2]!);
  m = /^\/sys\/class\/([^/]+)\/([^/]+)$/.exec(dir);
  if (m) return [...k.state.devices.values()].find((d) => d.cls === m![1] && d.name === m![2]);
  return undefined;
}

function noFile(k: Kernel, path: string, write: boolean): SysfsResult {
  // sysfs has no create(): a write to a missing attribute fails in the shell's open(O_CREAT)
  const errno = write ? -13 : E.NOENT;
  k.emit('sysfs', `${write ? 'write to' : 'read of'} ${path}: no such attribute (${write ? 'EACCES' : 'ENOENT'})`, write ? 'fs/namei.c:lookup_open' : 'fs/namei.c:path_openat', { errno });
  return { rc: errno, output: [write ? `sh: can't create ${path}: Permission denied` : `cat: can't open '${path}': No such file or directory`] };
}

const KOBJECT_ACTIONS = ['add', 'remove', 'change', 'move', 'online', 'offline', 'bind', 'unbind'] as const;
type KobjectAction = (typeof KOBJECT_ACTIONS)[number];

/**
 * kobject_synth_uevent(): kobject_action_type() takes the word before the first space (one
 * trailing '\n' or '\0' dropped; an empty write is -EINVAL), then kobject_action_args() wants a
 * UUID and optional KEY=VALUE pairs (SYNTH_UUID, SYNTH_ARG_KEY). Without arguments: SYNTH_UUID=0.
 */
export function parseSynthUevent(buf: string): { action: KobjectAction; env: [string, string][] } | { error: string } {
  let count = buf.length;
  if (count && (buf[count - 1] === '\n' || buf[count - 1] === '\0')) count--;
  const b = buf.slice(0, count);
  if (!count) return { error: 'unknown uevent action string' };
  const sp = b.indexOf(' ');
  const first = sp < 0 ? b : b.slice(0, sp);
  const action = KOBJECT_ACTIONS.find((a) => a === first);
  if (!action) return { error: 'unknown uevent action string' };
  if (sp < 0) return { action, env: [['SYNTH_UUID', '0']] };
  const args = b.slice(sp + 1).split(' ').filter((x) => x !== '');
  const uuid = args.shift() ?? '';
  if (!/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(uuid)) return { error: 'incorrect uevent action arguments' };
  const env: [string, string][] = [['SYNTH_UUID', uuid]];
  for (const kv of args) {
    const eq = kv.indexOf('=');
    const key = eq < 0 ? kv : kv.slice(0, eq);
    if (eq < 1 || !/^[A-Za-z0-9]+$/.test(key)) return { error: 'incorrect uevent action arguments' };
    env.push([`SYNTH_ARG_${key}`, kv.slice(eq + 1)]);
  }
  return { action, env };
}

/** `echo value > path` */
export function sysfsWrite(k: Kernel, path: string, value: string): SysfsResult {
  const res = (rc: number): SysfsResult => {
    k.emit('sysfs', `echo ${JSON.stringify(sysfsBuf(value))} > ${path} → ${rc === 0 ? 'ok' : `${rc} (${strerror(rc)})`}`, 'fs/sysfs/file.c:sysfs_kf_write', { ...(rc ? { errno: rc } : {}), boundary: true });
    return { rc, output: rc ? [`sh: write error: ${strerror(rc)}`] : [] };
  };
  let m = /^\/sys\/bus\/([^/]+)\/drivers\/([^/]+)\/(bind|unbind|uevent)$/.exec(path);
  if (m) {
    const drv = k.findDriver(m[1]!, m[2]!);
    if (!drv) return noFile(k, path, true);
    if (m[3] === 'uevent') {
      // drivers/base/bus.c uevent_store(): kobject_synth_uevent() on the driver's kobject
      const p = parseSynthUevent(value);
      if ('error' in p) {
        k.printk('error', `synth uevent: /bus/${drv.bus}/drivers/${drv.name}: ${p.error}`, 'lib/kobject_uevent.c:kobject_synth_uevent', { errno: E.INVAL });
        return res(E.INVAL);
      }
      driverUevent(k, drv, p.action, p.env);
      return res(0);
    }
    if (!drv.bindAttrs) return noFile(k, path, true);
    return res(m[3] === 'bind' ? bindStore(k, drv, value) : unbindStore(k, drv, value));
  }
  m = /^\/sys\/bus\/([^/]+)\/(drivers_probe|drivers_autoprobe)$/.exec(path);
  if (m) {
    if (!k.bus(m[1]!)) return noFile(k, path, true);
    return res(m[2] === 'drivers_probe' ? driversProbeStore(k, m[1]!, value) : driversAutoprobeStore(k, m[1]!, value));
  }
  const slash = path.lastIndexOf('/');
  const dev = deviceByDir(k, path.slice(0, slash));
  const attr = path.slice(slash + 1);
  if (!dev) return noFile(k, path, true);
  if (attr === 'uevent') {
    // drivers/base/core.c uevent_store() → kobject_synth_uevent()
    const p = parseSynthUevent(value);
    if ('error' in p) {
      const drv = dev.driver ? k.driver(dev.driver) : undefined;
      k.printk('error', `synth uevent: ${dev.devpath}: ${p.error}`, 'lib/kobject_uevent.c:kobject_synth_uevent', { errno: E.INVAL });
      k.printk('error', `${drv?.name ?? dev.bus ?? dev.cls ?? ''} ${dev.name}: uevent: failed to send synthetic uevent: ${E.INVAL}`, 'drivers/base/core.c:uevent_store', { errno: E.INVAL });
      return res(E.INVAL);
    }
    if (dev.bus || dev.cls) deviceUevent(k, dev, p.action, p.env);
    return res(0);
  }
  if (attr === 'driver_override' && dev.bus && k.busTypes.get(dev.bus)?.deviceAttrs(dev).includes('driver_override')) {
    const cite = `${since(k.facts.kernel, 'genericDriverOverride') ? 'drivers/base/bus.c:driver_override_store → drivers/base/dd.c:__device_set_driver_override' : 'drivers/base/platform.c:driver_override_store → drivers/base/driver.c:driver_set_override'}${gateNote(k.facts.kernel, 'genericDriverOverride')}`;
    const v = driverOverrideValue(value);
    if (v === undefined) return res(k.error(`${dev.name}: driver_override: a write of ${value.length} bytes (PAGE_SIZE - 1 or more): -EINVAL`, E.INVAL, cite, { devices: [dev.devpath] }));
    k.indexDevice(dev, false);
    k.state.updateDevice(dev, { driverOverride: v });
    k.indexDevice(k.device(dev.devpath)!, true);
    k.emit('sysfs', `${dev.name}: driver_override = ${v === null ? '(null)' : `"${v}"`} (takes effect at the next probe)`, cite, { touches: { devices: [dev.devpath] } });
    return res(0);
  }
  return noFile(k, path, true);
}

/** PAGE_SIZE of the arm64 kernels modelled (4K pages; a 16K or 64K kernel allows longer writes) */
const PAGE_SIZE = 4096;

/**
 * What a driver_override write stores (driver_set_override(), and __device_set_driver_override()
 * from 7.0: the same rules): null clears it (an empty write, or one starting with a newline),
 * undefined is -EINVAL (PAGE_SIZE - 1 bytes or more). The value ends at the first NUL (python
 * writes a bunch of them) and at the first newline.
 */
export function driverOverrideValue(value: string): string | null | undefined {
  if (value.length >= PAGE_SIZE - 1) return undefined;
  const nul = value.indexOf('\0');
  const s = nul < 0 ? value : value.slice(0, nul);
  const nl = s.indexOf('\n');
  const v = nl < 0 ? s : s.slice(0, nl);
  return v === '' ? null : v;
}

/** `cat path` */
export function sysfsRead(k: Kernel, path: string): SysfsResult {
  const out = (lines: string[]): SysfsResult => {
    k.emit('sysfs', `cat ${path} → ${lines.join(' | ') || '(empty)'}`, 'fs/sysfs/file.c:sysfs_kf_seq_show', { boundary: true });
    return { rc: 0, output: lines };
  };
  let m = /^\/sys\/bus\/([^/]+)\/drivers_autoprobe$/.exec(path);
  if (m && k.state.buses.get(m[1]!)) return out([k.state.buses.get(m[1]!)!.autoprobe ? '1' : '0']);
  const file = k.state.files.get(path);
  if (file !== undefined) return out([file]);
  if (path === '/sys/kernel/debug/devices_deferred') {
    // deferred_devs_show(): "%s\t%s" of dev_name and the dev_err_probe() reason, per device on
    // deferred_probe_pending_list, in list order (the order they deferred in)
    const pending = [...k.state.deferredSet].map((p) => k.device(p)!).filter(Boolean).sort(byPendingPlace);
    return out(pending.map((d) => `${d.name}\t${d.deferReason ?? ''}`));
  }
  const slash = path.lastIndexOf('/');
  const dir = path.slice(0, slash);
  const attr = path.slice(slash + 1);
  const dev = deviceByDir(k, dir);
  if (dev) {
    if (attr === 'uevent') return out(devUeventVars(k, dev).map(([a, b]) => `${a}=${b}`));
    if (attr === 'driver' && dev.driver) {
      const drv = k.driver(dev.driver)!;
      return out([relLink(`/sys${dev.devpath}/driver`, `/sys/bus/${drv.bus}/drivers/${drv.name}`)]);
    }
    const bt = dev.bus ? k.busTypes.get(dev.bus) : undefined;
    if (bt?.deviceAttrs(dev).includes(attr)) return out([bt.readDeviceAttr(k, dev, attr) ?? '']);
  }
  return noFile(k, path, false);
}
