/**
 * The interpreter of declarative kernel actions: module init/exit, driver probe/remove and
 * faux ops run as lists of kernel-API-like calls. Each call goes to the engine function that
 * models it; a failing call returns its errno to the "calling code" as the scenario says.
 */
import type { DriverDef, KernelAction } from './schema';
import type { DriverOps, Registrations } from '../core/state';
import { NO_EXTRA, flat, type Kernel, type ExecContext, type ModuleCode } from '../core/kernel';
import { EventSite } from '../trace/eventlog';
import { E, errnoName, parseErrno } from '../core/errno';
import { deviceAdd, deviceDel } from '../core/core';
import { busRegister, driverRegister, driverUnregister } from '../core/bus';
import { deviceAttach, driverProbeDeviceNoDefer } from '../core/dd';
import { evalFact } from '../firmware/facts';
import { factNode } from '../firmware/discovery';
import { platformDeviceRegister, platformDeviceUnregister, platformDriverProbe } from '../buses/platform';
import { auxiliaryDeviceAdd, auxiliaryDeviceCreate } from '../buses/auxiliary';
import { fauxDeviceCreate } from '../buses/faux';
import { makeCustomBus, customDeviceRegister } from '../buses/custom';
import { tsmRegister, tsmReportRegister, tsmReportUnregister, tsmUnregister } from '../subsys/tsm';
import { kbuildModname } from '../core/modname';

/** resolve "$dev", "$parent" or a device's sysfs name to a devpath */
export function resolveDevice(k: Kernel, ref: string, ctx: ExecContext): string | null {
  if (ref === '$dev') return ctx.dev;
  if (ref === '$parent') return ctx.dev ? k.device(ctx.dev)?.parent ?? null : null;
  if (ref.startsWith('/devices/')) return k.device(ref) ? ref : null;
  // first registered wins (names are unique in practice): the state's dev_name index, lowest klist order
  let found: { devpath: string; order: number } | null = null;
  for (const p of k.state.byName.get(ref)) {
    const d = k.device(p)!;
    if (!found || d.order < found.order) found = d;
  }
  return found?.devpath ?? null;
}

function driverDef(k: Kernel, ctx: ExecContext, key: string) {
  const mod = ctx.module ? k.moduleDefs.get(ctx.module) : undefined;
  return mod?.drivers && Object.hasOwn(mod.drivers, key) ? mod.drivers[key] : undefined;
}

/** printk's %d / %ld / %pe of an errno */
export function formatErrno(fmt: string, ret: number): string {
  return fmt.split('%pe').join(errnoName(ret)).split('%ld').join(String(ret)).split('%d').join(String(ret));
}

/** what the calling code does when a call fails: log (pr_err, dev_err_probe), then return an errno or carry on */
function onFailure(k: Kernel, ctx: ExecContext, ret: number, a: { orReturn?: number | string; orLog?: string; orDevErrProbe?: string }): number {
  if (ret === 0) return 0;
  if (a.orLog !== undefined) k.printk('error', formatErrno(a.orLog, ret), codeFor(k, ctx).prErr, { errno: ret });
  if (a.orDevErrProbe !== undefined) devErrProbe(k, ctx, ret, a.orDevErrProbe);
  if (a.orReturn === 'ignore') return 0;
  if (a.orReturn !== undefined) return parseErrno(a.orReturn);
  return ret;
}

/**
 * dev_err_probe(dev, err, fmt): "error %pe: <message>" at dev_err level; for -EPROBE_DEFER it
 * prints nothing and records the reason for /sys/kernel/debug/devices_deferred instead.
 */
export function devErrProbe(k: Kernel, ctx: ExecContext, err: number, message: string): void {
  const dev = ctx.dev ? k.device(ctx.dev) : undefined;
  const drv = dev?.driver ? k.driver(dev.driver) : undefined;
  const prefix = dev ? `${drv?.name ?? dev.bus ?? ''} ${dev.name}: ` : '';
  if (err === E.PROBE_DEFER) {
    // device_set_deferred_probe_reason(): kasprintf("%s: %pV", dev_driver_string(dev), vaf)
    if (dev) k.state.updateDevice(dev, { deferReason: `${drv?.name ?? dev.bus ?? dev.cls ?? ''}: ${message}` });
    k.emit('defer', `${prefix}dev_err_probe: -EPROBE_DEFER, reason recorded for devices_deferred: ${message}`, 'drivers/base/core.c:dev_err_probe', { errno: err, ...(dev ? { touches: { devices: [dev.devpath] } } : {}) });
    return;
  }
  k.printk('error', `${prefix}error ${errnoName(err)}: ${message}`, 'drivers/base/core.c:dev_err_probe', { errno: err, ...(dev ? { touches: { devices: [dev.devpath] } } : {}) });
}

/** run a list of actions; returns 0, or the errno that a `return` or a failing call produced */
export function runActions(k: Kernel, actions: KernelAction[], ctx: ExecContext): number {
  for (const a of actions) {
    const ret = runAction(k, a, ctx);
    if (ret !== 0) return ret;
  }
  return 0;
}

/** the code running: the module (KBUILD_MODNAME) and, in a probe/remove, the device */
function codeOf(k: Kernel, ctx: ExecContext): string {
  const dev = ctx.dev ? k.device(ctx.dev)?.name : undefined;
  return `${ctx.module ?? 'kernel'}${dev ? ` (${dev})` : ''}`;
}

/** the scenario's own code has no kernel function to cite: cite the source file the module stands for */
function sourceOf(k: Kernel, ctx: ExecContext): string {
  return codeFor(k, ctx).source;
}
const scenarioCode = (module: string) => `module ${module} (scenario code)`;

/**
 * What the trace cites for the running module's code, kept on the context: one lookup per
 * callback instead of a few per event (a module's probe records several events per device).
 * One ModuleCode per module for the run, so every event of it cites the same string object.
 */
function codeFor(k: Kernel, ctx: ExecContext): ModuleCode {
  if (ctx.code !== undefined) return ctx.code;
  const key = ctx.module ?? '';
  let code = k.moduleCodes.get(key);
  if (code === undefined) {
    const def = ctx.module ? k.moduleDefs.get(ctx.module) : undefined;
    const source = flat(def?.source ?? scenarioCode(ctx.module ?? 'kernel'));
    const prInfo = flat(`${source}:pr_info`);
    code = {
      source, prInfo, prErr: flat(`${source}:pr_err`),
      ifSite: new EventSite('phase', source, ifDeviceText), logSite: new EventSite('phase', prInfo, logText),
    };
    k.moduleCodes.set(key, code);
  }
  return (ctx.code = code);
}
/** a pr_info line's event: the line as written */
const logText = (line: string) => line;

/** an `if` on the probed device alone (a probe that acts for one of the devices its driver matches): built when read */
const ifDeviceText = (code: string, dev: string, want: string, holds: number, name: string) =>
  `${code}${dev ? ` (${dev})` : ''} tests device is ${want}: ${holds ? 'true' : 'false'}${name && !holds ? ` (it is ${name})` : ''}`;

/**
 * The callbacks a scenario's driver (or faux device) hands the core: its declarative probe and
 * remove lists, run in the context of the device. Absent lists give absent callbacks, as a C
 * driver without .remove has none.
 */
export function actionOps(k: Kernel, module: string | null, lists: { probe?: KernelAction[] | undefined; remove?: KernelAction[] | undefined }, who: string): DriverOps {
  const { probe, remove } = lists;
  // only a probe that tests "call" needs its calls counted (the count is a map entry per device)
  const counted = probe ? testsCall(probe) : false;
  // the module's ModuleCode, found on the first call (codeFor) and handed to every later one
  let code: ModuleCode | undefined;
  const codeOfModule = () => (code ??= codeFor(k, { module, dev: null }));
  return {
    ...(probe ? { probe: (dev: string) => runActions(k, probe, { module, dev, code: codeOfModule(), call: counted ? k.countCall(`${who}:probe`, dev) : undefined }) } : {}),
    ...(remove ? { remove: (dev: string) => runVoidActions(k, remove, { module, dev, code: codeOfModule() }) } : {}),
  };
}

/** does an action list (or an if nested in it) test "call"? */
function testsCall(actions: KernelAction[]): boolean {
  const stack = [...actions];
  while (stack.length) {
    const a = stack.pop()!;
    if (a.op === 'if') {
      if (a.call !== undefined) return true;
      stack.push(...(a.then ?? []), ...(a.else ?? []));
    } else if (a.op === 'devm_add_action') stack.push(...a.actions);
  }
  return false;
}

function driverOps(k: Kernel, module: string | null, def: DriverDef, key: string): DriverOps {
  return actionOps(k, module, def, `driver ${module}:${key}`);
}

/** run a void callback (remove(), module_exit, a devm action): failures are logged, the rest still runs */
export function runVoidActions(k: Kernel, actions: KernelAction[], ctx: ExecContext): void {
  for (const a of actions) {
    if (a.op === 'return') return;
    runAction(k, a, ctx);
  }
}

function missing(k: Kernel, what: string, ref: string): number {
  return k.error(`${what}: no device "${ref}"`, E.NODEV, 'bindscope:resolve');
}

function runAction(k: Kernel, a: KernelAction, ctx: ExecContext): number {
  const fw = ctx.fwnode ?? null;
  switch (a.op) {
    case 'if': {
      // a test of the probed device alone (a probe acting for one of its driver's devices): the
      // same sentence as the general case, kept as its arguments (the common case: nothing built)
      if (a.device !== undefined && a.when === undefined && a.call === undefined) {
        const name = ctx.dev ? k.device(ctx.dev)?.name ?? null : null;
        const f = name === a.device;
        k.emitAt(codeFor(k, ctx).ifSite, NO_EXTRA, ctx.module ?? 'kernel', name ?? '', a.device, f ? 1 : 0, name ?? '');
        const branch = f ? a.then : a.else;
        return branch ? k.nested(() => runActions(k, branch, ctx)) : 0;
      }
      // every condition given must hold: a fact, the probed device's name, the Nth call of this callback
      const tests: string[] = [];
      let v = true;
      if (a.when !== undefined) {
        const f = evalFact(k.facts, a.when);
        tests.push(`${a.when.replace(/^!/, 'not ')}: ${f}`);
        v &&= f;
      }
      if (a.device !== undefined) {
        const name = ctx.dev ? k.device(ctx.dev)?.name ?? null : null;
        const f = name === a.device;
        tests.push(`device is ${a.device}: ${f}${name && !f ? ` (it is ${name})` : ''}`);
        v &&= f;
      }
      if (a.call !== undefined) {
        const f = ctx.call === a.call;
        tests.push(`call ${a.call}: ${f} (this is call ${ctx.call ?? 1})`);
        v &&= f;
      }
      k.emit('phase', `${codeOf(k, ctx)} tests ${tests.join('; ')}`, sourceOf(k, ctx), {});
      const branch = v ? a.then : a.else;
      if (!branch) return 0;
      const node = v && a.when ? factNode(a.when) : null;
      return k.nested(() => runActions(k, branch, node ? { ...ctx, fwnode: node } : ctx));
    }
    case 'dev_err_probe': {
      const errno = parseErrno(a.errno);
      devErrProbe(k, ctx, errno, a.message);
      return errno;
    }
    case 'msleep': {
      // the calling thread sleeps; the deferred-probe workqueue and userspace (udev) run meanwhile
      k.emit('phase', `${codeOf(k, ctx)}: msleep(${a.ms}): other work runs meanwhile`, 'kernel/time/sleep_timeout.c:msleep');
      k.nested(() => k.sleep(a.ms));
      k.emit('phase', `${codeOf(k, ctx)}: msleep(${a.ms}) returns`, 'kernel/time/sleep_timeout.c:msleep');
      return 0;
    }
    case 'device_attach': {
      const dev = resolveDevice(k, a.device, ctx);
      if (!dev) return onFailure(k, ctx, missing(k, a.op, a.device), a);
      // device_attach(): 1 if bound (or already bound), 0 if no driver matched, -errno on error
      const ret = k.nested(() => deviceAttach(k, dev));
      k.emit('probe', `device_attach(${k.device(dev)?.name ?? a.device}) returns ${ret}${ret === 1 ? ' (bound)' : ret === 0 ? ' (no driver bound)' : ''}`, 'drivers/base/dd.c:device_attach', { touches: { devices: [dev] } });
      return ret < 0 ? onFailure(k, ctx, ret, a) : 0;
    }
    case 'device_driver_attach': {
      const dev = resolveDevice(k, a.device, ctx);
      if (!dev) return onFailure(k, ctx, missing(k, a.op, a.device), a);
      const id = k.driverIds.get(`${ctx.module}:${a.driver}`);
      const drv = id ? k.driver(id) : undefined;
      if (!drv) return onFailure(k, ctx, k.error(`device_driver_attach: driver "${a.driver}" is not registered`, E.INVAL, 'drivers/base/dd.c:device_driver_attach'), a);
      // no match check; probe errors come back negative, -EPROBE_DEFER as -EAGAIN (not queued)
      let ret = k.nested(() => driverProbeDeviceNoDefer(k, drv, k.device(dev)!));
      if (ret > 0) ret = -ret;
      if (ret === E.PROBE_DEFER) ret = E.AGAIN;
      k.emit('probe', `device_driver_attach(${drv.name}, ${k.device(dev)?.name ?? a.device}) returns ${ret}`, 'drivers/base/dd.c:device_driver_attach', { ...(ret ? { errno: ret } : {}), touches: { devices: [dev], drivers: [drv.id] } });
      return onFailure(k, ctx, ret, a);
    }
    case 'return': {
      const errno = parseErrno(a.errno);
      k.emit('phase', `${codeOf(k, ctx)} returns ${errno}`, sourceOf(k, ctx), { ...(errno ? { errno } : {}) });
      return errno;
    }
    case 'devm_add_action': {
      // devm_add_action_or_reset(dev, fn, data): fn runs when dev's devres is released
      const dev = ctx.dev ? k.device(ctx.dev) : undefined;
      if (!dev) return k.error('devm_add_action: no device (devm actions belong to the device being probed)', E.INVAL, 'include/linux/device/devres.h:devm_add_action_or_reset');
      const run = () => runVoidActions(k, a.actions, { module: ctx.module, dev: dev.devpath });
      k.state.updateDevice(dev, { devres: [...dev.devres, { kind: 'action', target: dev.devpath, run, module: ctx.module, cite: 'include/linux/device/devres.h:devm_add_action_or_reset' }] });
      k.emit('probe', `devm_add_action_or_reset on ${dev.name}: runs when its managed resources are released`, 'include/linux/device/devres.h:devm_add_action_or_reset', { touches: { devices: [dev.devpath] } });
      return 0;
    }
    case 'firmware_file_create': {
      const path = `/sys/firmware/${a.path}`;
      if (k.state.files.has(path)) return k.error(`sysfs: cannot create duplicate filename '${path}'`, E.EXIST, 'fs/sysfs/file.c:sysfs_create_file_ns');
      k.state.setFile(path, a.value);
      k.emit('phase', `${path} created (reads "${a.value}")`, 'lib/kobject.c:kobject_create_and_add');
      return 0;
    }
    case 'firmware_file_remove': {
      const path = `/sys/firmware/${a.path}`;
      k.state.deleteFile(path);
      k.emit('phase', `${path} removed`, 'fs/sysfs/file.c:sysfs_remove_file_ns');
      return 0;
    }
    case 'log':
      // pr_info(message): printed as written (a pr_fmt prefix, if the file has one, is part of the message)
      k.emitAt(codeFor(k, ctx).logSite, { log: a.message }, a.message);
      return 0;
    case 'defer_until': {
      const dev = resolveDevice(k, a.device, ctx);
      if (dev) return 0;
      k.emit('defer', `"${a.device}" does not exist yet: return -EPROBE_DEFER`, 'drivers/base/core.c:dev_err_probe', { errno: E.PROBE_DEFER });
      return E.PROBE_DEFER;
    }
    case 'platform_device_register_simple': {
      const parent = a.parent ? resolveDevice(k, a.parent, ctx) : null;
      if (a.parent && !parent) return onFailure(k, ctx, missing(k, a.op, a.parent), a);
      const res = platformDeviceRegister(k, { name: a.name, id: a.id, parent, ofNode: a.ofNode || undefined, acpiHid: a.acpiHid || undefined, fwnode: fw }, ctx);
      if (!res.ret && res.dev) ctx.registrations?.push('platform_device', res.dev.devpath);
      return onFailure(k, ctx, res.ret, a);
    }
    case 'platform_device_unregister':
    case 'faux_device_destroy':
    case 'auxiliary_device_destroy':
    case 'device_unregister': {
      const dev = resolveDevice(k, a.device, ctx);
      if (!dev) return missing(k, a.op, a.device);
      return a.op === 'platform_device_unregister' ? platformDeviceUnregister(k, dev) : deviceDel(k, dev);
    }
    case 'platform_driver_register':
    case 'auxiliary_driver_register':
    case 'driver_register':
    case 'platform_driver_probe': {
      const def = driverDef(k, ctx, a.driver);
      if (!def) return k.error(`${a.op}: module ${ctx.module} declares no driver "${a.driver}"`, E.INVAL, 'bindscope:resolve');
      const wantBus = a.op === 'platform_driver_register' || a.op === 'platform_driver_probe' ? 'platform' : a.op === 'auxiliary_driver_register' ? 'auxiliary' : null;
      if (wantBus && def.bus !== wantBus) return k.error(`${a.op}: driver "${a.driver}" is on bus ${def.bus}, not ${wantBus}`, E.INVAL, 'bindscope:resolve');
      const ops = driverOps(k, ctx.module, def, a.driver);
      const res = a.op === 'platform_driver_probe' ? platformDriverProbe(k, def, ctx.module, a.driver, ops) : driverRegister(k, def, ctx.module, a.driver, { ops });
      if (!res.ret && res.id) {
        k.driverIds.set(`${ctx.module}:${a.driver}`, res.id);
        ctx.registrations?.push('driver', res.id);
      }
      return onFailure(k, ctx, res.ret, a);
    }
    case 'platform_driver_unregister':
    case 'auxiliary_driver_unregister':
    case 'driver_unregister': {
      const id = k.driverIds.get(`${ctx.module}:${a.driver}`);
      if (!id || !k.driver(id)) return k.error(`${a.op}: driver "${a.driver}" is not registered`, E.NODEV, 'drivers/base/driver.c:driver_unregister');
      return driverUnregister(k, id);
    }
    case 'faux_device_create': {
      const parent = a.parent ? resolveDevice(k, a.parent, ctx) : null;
      if (a.parent && !parent) return onFailure(k, ctx, missing(k, a.op, a.parent), a);
      const res = fauxDeviceCreate(k, { name: a.name, parent, ops: actionOps(k, ctx.module ?? 'kernel', a, `faux ${a.name}`), fwnode: fw }, ctx);
      if (!res.ret && res.dev) ctx.registrations?.push('faux_device', res.dev.devpath);
      return onFailure(k, ctx, res.ret, a);
    }
    case 'auxiliary_device_create':
    case 'auxiliary_device_add': {
      const parent = resolveDevice(k, a.parent ?? '$dev', ctx);
      // the auxiliary_device_create() macros pass KBUILD_MODNAME: the module's name with '-' and ',' as '_'
      const spec = { parent, modname: a.modname ?? (ctx.module ? kbuildModname(ctx.module) : 'kernel'), name: a.name, id: a.id ?? 0, devm: a.devm ?? false };
      const res = a.op === 'auxiliary_device_create' ? auxiliaryDeviceCreate(k, spec, ctx) : auxiliaryDeviceAdd(k, spec, ctx);
      if (!res.ret && res.dev && !a.devm) ctx.registrations?.push('auxiliary_device', res.dev.devpath);
      return onFailure(k, ctx, res.ret, a);
    }
    case 'bus_register': {
      const def = k.scenario.buses?.find((b) => b.name === a.bus);
      if (!def) return k.error(`bus_register: the scenario defines no bus "${a.bus}"`, E.INVAL, 'bindscope:resolve');
      return onFailure(k, ctx, busRegister(k, makeCustomBus(def), def.rootDevice), a);
    }
    case 'device_register': {
      if (a.bus === undefined) {
        // device_register() of a struct device with no bus and no class: a directory in /sys/devices, no uevent
        // (dev_uevent_filter), nothing to match; what root_device_register() and pci_register_host_bridge() add
        const parent = a.parent ? resolveDevice(k, a.parent, ctx) : null;
        if (a.parent && !parent) return onFailure(k, ctx, missing(k, a.op, a.parent), a);
        const res = deviceAdd(k, { name: a.name, bus: null, parent, createdBy: ctx.module ?? 'kernel', fwnode: fw });
        if (!res.ret && res.dev && !a.devm) ctx.registrations?.push('device', res.dev.devpath);
        return onFailure(k, ctx, res.ret, a);
      }
      const def = k.scenario.buses?.find((b) => b.name === a.bus);
      if (!def || !k.bus(a.bus)) return onFailure(k, ctx, k.error(`device_register: bus "${a.bus}" is not registered: -EINVAL`, E.INVAL, 'drivers/base/core.c:device_add'), a);
      const parent = a.parent ? resolveDevice(k, a.parent, ctx) : null;
      if (a.parent && !parent) return onFailure(k, ctx, missing(k, a.op, a.parent), a);
      const res = customDeviceRegister(k, def, { name: a.name, ids: a.ids, ...(a.modalias !== undefined ? { modalias: a.modalias } : {}), parent, devm: a.devm ?? false, fwnode: fw }, ctx);
      if (!res.ret && res.dev && !a.devm) ctx.registrations?.push('device', res.dev.devpath);
      return onFailure(k, ctx, res.ret, a);
    }
    case 'tsm_report_register': {
      const provider = a.provider ?? ctx.module ?? 'kernel';
      const ret = tsmReportRegister(k, provider);
      if (!ret) ctx.registrations?.push('tsm_report', provider);
      return onFailure(k, ctx, ret, a);
    }
    case 'tsm_report_unregister':
      return tsmReportUnregister(k, a.provider ?? ctx.module ?? 'kernel');
    case 'tsm_register': {
      const parent = resolveDevice(k, a.parent ?? '$dev', ctx);
      if (!parent) return onFailure(k, ctx, missing(k, a.op, a.parent ?? '$dev'), a);
      return onFailure(k, ctx, tsmRegister(k, parent, ctx, a.pciOps ?? false), a);
    }
    case 'tsm_unregister': {
      const parent = resolveDevice(k, a.parent ?? '$dev', ctx);
      if (!parent) return missing(k, a.op, a.parent ?? '$dev');
      return tsmUnregister(k, parent);
    }
  }
}

/** undo init's registrations in reverse: what module_platform_driver()/module_driver() exits do */
export function undoRegistrations(k: Kernel, regs: Registrations): void {
  for (let i = regs.length - 2; i >= 0; i -= 2) {
    const op = regs[i]!;
    const target = regs[i + 1]!;
    if (op === 'driver') { if (k.driver(target)) driverUnregister(k, target); }
    else if (op === 'tsm_report') { if (k.state.misc.tsmProvider === target) tsmReportUnregister(k, target); }
    else if (op === 'platform_device') { if (k.device(target)) platformDeviceUnregister(k, target); }
    else if (k.device(target)) deviceDel(k, target);
  }
}
