/**
 * Loading and unloading modules: models kernel/module/main.c (load_module → do_init_module:
 * init, then the /module/<name> KOBJ_ADD; delete_module: exit, then KOBJ_REMOVE) and the built-in
 * initcalls of init/main.c (do_initcalls).
 */
import type { Kernel, ExecContext } from '../core/kernel';
import { E, strerror } from '../core/errno';
import { moduleUevent } from '../core/core';
import { runActions, runVoidActions, undoRegistrations } from '../scenario/interpret';

const MODULE = 'kernel/module/main.c';
const KMOD_RMMOD = 'kmod: tools/remove.c (rmmod)';

/** run a built-in module's init at its initcall level (do_one_initcall) */
export function runBuiltinInit(k: Kernel, name: string, level: string): void {
  const def = k.moduleDefs.get(name)!;
  k.emit('module', `${level}_initcall: ${name}${def.source ? ` (${def.source})` : ''} (built in)`, 'init/main.c:do_one_initcall', { touches: { modules: [name] } });
  const regs: ExecContext['registrations'] = [];
  const ret = k.nested(() => runActions(k, def.init ?? [], { module: name, dev: null, registrations: regs }));
  const mod = k.state.modules.get(name)!;
  k.state.setModule({ ...mod, registered: regs, initRet: ret });
  if (ret) k.emit('module', `initcall ${name} returned ${ret} (logged only with initcall_debug)`, 'init/main.c:do_one_initcall', { errno: ret, touches: { modules: [name] } });
}

/** load_module() + do_init_module(); loadedBy is the alias udev matched, or "manual" */
export function loadModule(k: Kernel, name: string, loadedBy: string): number {
  const def = k.moduleDefs.get(name);
  const mod = k.state.modules.get(name);
  if (!def || !mod) return E.NOENT;
  // load_module() → mod_sysfs_setup(): /sys/module/<name> appears before init runs; only the
  // KOBJ_ADD uevent waits until init has finished
  // MODULE_STATE_COMING: in /proc/modules ("Loading") while module_init runs
  k.state.setModule({ ...mod, inSysfs: true, state: 'loading', loadedBy });
  k.emit('module', `load_module ${name}: running its module_init${loadedBy === 'manual' ? ' (modprobe by hand)' : ` (udev: alias ${loadedBy})`}`, `${MODULE}:do_init_module`, { touches: { modules: [name] } });
  const regs: ExecContext['registrations'] = [];
  const ret = k.nested(() => runActions(k, def.init ?? [], { module: name, dev: null, registrations: regs }));
  if (ret) {
    // the module's own error path undoes what init registered; the module is freed
    k.nested(() => undoRegistrations(k, regs));
    k.state.setModule({ ...k.state.modules.get(name)!, state: 'failed', loadedBy: null, registered: [], inSysfs: false, initRet: ret });
    k.emit('module', `${name}: module_init returned ${ret}; the module is freed. modprobe: ERROR: could not insert '${name}': ${strerror(ret)}`, `${MODULE}:do_init_module`, { errno: ret, touches: { modules: [name] } });
    return ret;
  }
  k.state.setModule({ ...k.state.modules.get(name)!, state: 'loaded', loadedBy, registered: regs, initRet: 0 });
  k.emit('module', `${name} is live`, `${MODULE}:do_init_module`, { touches: { modules: [name] } });
  moduleUevent(k, name, 'add');
  return 0;
}

/** delete_module(): module_exit (or undo init's registrations), then /module/<name> KOBJ_REMOVE */
export function unloadModule(k: Kernel, name: string): number {
  const def = k.moduleDefs.get(name);
  const mod = k.state.modules.get(name);
  // these refusals come from kmod's rmmod in userspace (modules.builtin, /sys/module), not the kernel
  if (!def || !mod) return k.error(`rmmod: ERROR: Module ${name} does not exist in /proc/modules`, E.NOENT, KMOD_RMMOD);
  if (mod.state === 'builtin') return k.error(`rmmod: ERROR: Module ${name} is builtin.`, E.BUSY, KMOD_RMMOD, { modules: [name] });
  if (mod.state !== 'loaded') return k.error(`rmmod: ERROR: Module ${name} is not currently loaded`, E.NOENT, KMOD_RMMOD, { modules: [name] });
  // delete_module(): a module with an init but no module_exit cannot be unloaded (without --force)
  if (def.exit === null) return k.error(`delete_module ${name}: it has no module_exit: -EBUSY. rmmod: ERROR: could not remove module ${name}: Device or resource busy`, E.BUSY, `${MODULE}:delete_module`, { modules: [name] });
  k.emit('module', `delete_module ${name}: running its module_exit`, `${MODULE}:delete_module`, { touches: { modules: [name] } });
  k.nested(() => {
    // module_exit returns void
    if (def.exit) runVoidActions(k, def.exit, { module: name, dev: null });
    else undoRegistrations(k, mod.registered);
  });
  moduleUevent(k, name, 'remove');
  k.state.setModule({ ...k.state.modules.get(name)!, state: 'not-loaded', loadedBy: null, registered: [], inSysfs: false });
  return 0;
}
