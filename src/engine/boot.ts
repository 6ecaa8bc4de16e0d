/**
 * A run: boot (firmware discovery, driver_init, initcalls by level, deferred_probe_initcall),
 * userspace (udev coldplug), then the scenario's actions. Between kernel operations the
 * deferred-probe workqueue and udev's event queue drain, one item at a time; those are the
 * points where a user action can be inserted (`at`).
 */
import type { Scenario, UserAction } from './scenario/schema';
import { Kernel, RunawayError } from './core/kernel';
import { discoverFirmware, type Discovery } from './firmware/discovery';
import { platformBusInit, ofPlatformDeviceAdd } from './buses/platform';
import { ofIndex } from './firmware/devicetree';
import { ofEarlyDeclared, ofPopulateWalk } from './firmware/of_platform';
import { auxiliaryBusInit } from './buses/auxiliary';
import { fauxBusInit } from './buses/faux';
import { runDeferredWork, driverDeferredProbeTrigger } from './core/dd';
import { sysfsRead, sysfsWrite } from './core/sysfs';
import type { ActionResult } from './api';
import { udevHandle, udevStart, udevStop } from './userspace/udev';
import { loadModule, runBuiltinInit, unloadModule } from './userspace/modules';
import { resolveDevice } from './scenario/interpret';
import { deviceDel } from './core/core';
import { platformDeviceUnregister } from './buses/platform';
import { E } from './core/errno';
import { DEFAULT_BUDGET, type RunBudget } from './budget';

export { DEFAULT_BUDGET, type RunBudget };

export const INITCALL_LEVELS = ['core', 'arch', 'subsys', 'fs', 'device', 'late'] as const;
export const MAX_DEPTH = 200;

/** why a run stopped before its end */
export interface RunStop {
  budget: 'events' | 'time' | 'devices' | 'depth' | 'probe-loop' | 'deadlock';
  /** the event index at which it stopped */
  step: number;
  message: string;
  /** the last module or driver code that was running */
  running: string | null;
}

export { RunawayError };

export interface RunResult {
  kernel: Kernel;
  discovery: Discovery;
  /** event index at which each scenario action started */
  actionStarts: number[];
  /** what userspace saw for each `write`/`read` action (null for other actions), by action index */
  actionResults: (ActionResult | null)[];
  /** set when the run hit its budget or a runaway guard and was stopped */
  stopped: RunStop | null;
}

export function runScenario(s: Scenario, opts: Partial<RunBudget> = {}): RunResult {
  const discovery = discoverFirmware(s.firmware, s.kernel.version);
  const k = new Kernel(s, discovery.facts);
  const budget: RunBudget = { ...DEFAULT_BUDGET, ...opts };
  const started = Date.now();
  k.beforeEmit = () => {
    const n = k.events.length;
    if (n >= budget.maxEvents) throw new RunawayError(`the run recorded ${budget.maxEvents} events, its budget: a probe loop, a cycle between modules, or a scenario too large for the default budget`, 'events');
    if (k.depth > MAX_DEPTH) throw new RunawayError(`call nesting exceeded ${MAX_DEPTH}: a probe that creates a device its own driver matches, recursively (a cycle)`, 'depth');
    if ((n & 1023) === 0) {
      if (Date.now() - started > budget.maxMillis) throw new RunawayError(`the run took longer than ${budget.maxMillis / 1000} s, its wall-time budget`, 'time');
      if (k.state.devices.size > budget.maxDevices) throw new RunawayError(`the run holds more than ${budget.maxDevices} devices, its budget`, 'devices');
    }
  };
  let stopped: RunStop | null = null;
  // msleep() during the initcalls: the deferred-probe work runs; userspace() widens this to udev
  k.sleep = () => settleKernel(k);
  const actionStarts: number[] = [];
  const actionResults: (ActionResult | null)[] = (s.actions ?? []).map(() => null);
  try {
    boot(k, discovery);
    userspace(k, s, actionStarts, actionResults);
  } catch (e) {
    if (!(e instanceof RunawayError)) throw e;
    k.depth = 0;
    k.beforeEmit = null;
    let last: string | undefined;
    for (let i = k.events.length - 1; i >= Math.max(0, k.events.length - 2000) && last === undefined; i--) {
      const kind = k.events.kindAt(i);
      if (kind === 'probe' || kind === 'module' || kind === 'device_add') last = k.events.textAt(i);
    }
    stopped = { budget: e.budget, step: k.events.length, message: e.message, running: last ?? null };
    k.error(`run stopped at event ${k.events.length} (${e.budget} budget): ${e.message}${last ? `; last running: ${last}` : ''}`, E.INVAL, 'bindscope:budget');
  }
  k.flush('end of run');
  return { kernel: k, discovery, actionStarts, actionResults, stopped };
}

function boot(k: Kernel, d: Discovery): void {
  const s = k.scenario;
  // the module table (what depmod and modules.builtin know) exists from the first step
  for (const m of s.modules) {
    k.state.setModule({ name: m.name, location: m.location, state: m.location === 'builtin' ? 'builtin' : 'not-loaded', loadedBy: null, registered: [] });
  }
  k.emit('phase', `Linux ${s.kernel.version} boots: ${s.firmware.description === 'dt' ? 'device tree' : 'ACPI'} firmware`, 'init/main.c:start_kernel', { boundary: false });
  k.emit('phase', 'setup_arch: PSCI, SMCCC and RSI discovery', 'arch/arm64/kernel/setup.c:setup_arch');
  k.nested(() => {
    for (const st of d.steps) {
      if (st.log) k.printk(st.kind, st.log, st.cite, { ...(st.errno ? { errno: st.errno } : {}) });
      else k.emit(st.kind, st.text, st.cite, { ...(st.errno ? { errno: st.errno } : {}) });
    }
  });
  // the tree form only: OF_DECLARE early init (init_IRQ → of_irq_init, time_init → of_clk_init)
  const ix = s.firmware.devicetree ? ofIndex(s.firmware) : null;
  let ofPopulated = new Set<string>();
  if (ix && (ix.tree?.ofDeclare?.length ?? 0) > 0) {
    k.emit('phase', 'init_IRQ() and time_init(): OF_DECLARE drivers claim their DT nodes', 'init/main.c:start_kernel');
    k.nested(() => {
      ofPopulated = ofEarlyDeclared(ix, { event: (kind, text, cite) => void k.emit(kind, text, cite) });
    });
  }
  k.emit('phase', 'driver_init(): driver core buses', 'drivers/base/init.c:driver_init');
  k.nested(() => {
    if (k.facts.faux_bus) fauxBusInit(k);
    platformBusInit(k);
    auxiliaryBusInit(k);
  });
  for (const level of INITCALL_LEVELS) {
    const mods = s.modules.filter((m) => m.location === 'builtin' && (m.initcall ?? 'device') === level);
    for (const m of mods) {
      k.nested(() => runBuiltinInit(k, m.name, level));
      settleKernel(k);
    }
    if (level === 'arch' && ix && ix.tree?.populate !== false) {
      k.emit('phase', 'arch_initcall_sync: of_platform_default_populate_init()', 'drivers/of/platform.c:of_platform_default_populate_init');
      k.nested(() => ofPopulateWalk(ix, ofPopulated, {
        event: (kind, text, cite) => void k.emit(kind, text, cite),
        create: (node, name, parent) => {
          const res = k.nested(() => ofPlatformDeviceAdd(k, { name, ofNode: node.path, parent }));
          return res.ret === 0 && res.dev ? res.dev.devpath : null;
        },
      }));
      settleKernel(k);
    }
    if (level === 'late') {
      // deferred_probe_initcall(): enable, trigger, flush
      k.state.setMisc('deferredEnabled', true);
      k.emit('defer', 'late_initcall deferred_probe_initcall: deferred probing enabled, pending devices retried', 'drivers/base/dd.c:deferred_probe_initcall');
      k.nested(() => driverDeferredProbeTrigger(k));
      settleKernel(k);
      // ... then sets initcalls_done and triggers and flushes once more
      k.emit('defer', 'deferred_probe_initcall: initcalls done, the deferred list is retried once more', 'drivers/base/dd.c:deferred_probe_initcall');
      k.nested(() => driverDeferredProbeTrigger(k));
      settleKernel(k);
    }
  }
}

/** the kernel's asynchronous work: the deferred-probe workqueue */
function settleKernel(k: Kernel): void {
  while (k.deferredActive.length > 0) k.nested(() => runDeferredWork(k));
}

function userspace(k: Kernel, s: Scenario, actionStarts: number[], actionResults: (ActionResult | null)[]): void {
  k.state.setMisc('userspace', true);
  k.emit('phase', 'userspace: /sbin/init starts', 'init/main.c:kernel_init', { boundary: true });
  const timed = (s.actions ?? []).map((a, i) => ({ a, i })).filter((x) => x.a.at !== undefined).sort((x, y) => x.a.at! - y.a.at! || x.i - y.i);
  const untimed = (s.actions ?? []).map((a, i) => ({ a, i })).filter((x) => x.a.at === undefined);
  const runOne = (x: { a: UserAction; i: number }) => {
    actionStarts[x.i] = k.events.length;
    actionResults[x.i] = userAction(k, x.a);
    settle();
  };
  /** drain kernel work and udev one item at a time; timed actions run at the first boundary past `at` */
  const settle = () => {
    for (;;) {
      atBoundary();
      if (k.deferredActive.length > 0) {
        k.nested(() => runDeferredWork(k));
        continue;
      }
      if (k.udevQueue.length > 0) {
        udevHandle(k);
        continue;
      }
      break;
    }
  };
  const atBoundary = () => {
    while (timed.length > 0 && timed[0]!.a.at! <= k.events.length) runOne(timed.shift()!);
  };
  // msleep() in module code from now on: deferred work and udev's queue drain meanwhile
  k.sleep = () => {
    for (;;) {
      if (k.deferredActive.length > 0) k.nested(() => runDeferredWork(k));
      else if (k.udevQueue.length > 0) udevHandle(k);
      else break;
    }
  };
  if (s.udev.running) {
    udevStart(k);
    settle();
  }
  for (const x of untimed) {
    atBoundary();
    runOne(x);
  }
  while (timed.length > 0) runOne(timed.shift()!);
}

/** userspace names devices by their sysfs name; it runs no module's code and probes nothing */
const USERSPACE = { module: null, dev: null };

/** a userspace action (or a kernel-side hot-unplug); sysfs writes and reads return what userspace saw */
function userAction(k: Kernel, a: UserAction): ActionResult | null {
  const hdr = (text: string, cite: string) => k.emit('action', text, cite, { boundary: true });
  switch (a.op) {
    case 'write':
      hdr(`userspace: echo ${JSON.stringify(a.value)} > ${a.path}`, 'fs/sysfs/file.c');
      return k.nested(() => sysfsWrite(k, a.path, a.value));
    case 'read':
      hdr(`userspace: cat ${a.path}`, 'fs/sysfs/file.c');
      return k.nested(() => sysfsRead(k, a.path));
    case 'bind':
    case 'unbind': {
      const dev = resolveDevice(k, a.device, USERSPACE);
      const rec = dev ? k.device(dev) : undefined;
      const bus = a.bus ?? rec?.bus ?? 'platform';
      const drvName = a.op === 'bind' ? a.driver : rec?.driver ? k.driver(rec.driver)?.name : undefined;
      const path = `/sys/bus/${bus}/drivers/${drvName ?? '(unbound)'}/${a.op}`;
      hdr(`userspace: echo ${a.device} > ${path}`, 'drivers/base/bus.c');
      return k.nested(() => sysfsWrite(k, path, a.device));
    }
    case 'driver_override': {
      const dev = resolveDevice(k, a.device, USERSPACE);
      const path = `/sys${dev ?? `/devices/${a.device}`}/driver_override`;
      hdr(`userspace: echo ${JSON.stringify(a.value)} > ${path}`, 'drivers/base/driver.c');
      return k.nested(() => sysfsWrite(k, path, a.value));
    }
    case 'modprobe': {
      hdr(`userspace: modprobe ${a.module}`, 'kmod: tools/modprobe.c');
      const mod = k.state.modules.get(a.module);
      if (!mod || mod.location === 'absent') {
        k.error(`modprobe: FATAL: Module ${a.module} not found in directory /lib/modules/${k.scenario.kernel.version}`, E.NOENT, 'kmod: tools/modprobe.c', { modules: [a.module] });
      } else if (mod.state === 'builtin') {
        k.emit('module', `modprobe ${a.module}: built in, nothing to do`, 'kmod: tools/modprobe.c', { touches: { modules: [a.module] } });
      } else if (mod.state === 'loaded') {
        k.emit('module', `modprobe ${a.module}: already loaded`, 'kmod: tools/modprobe.c', { touches: { modules: [a.module] } });
      } else k.nested(() => loadModule(k, a.module, 'manual'));
      return null;
    }
    case 'rmmod':
      hdr(`userspace: rmmod ${a.module}`, 'kmod: tools/rmmod.c');
      k.nested(() => unloadModule(k, a.module));
      return null;
    case 'udev_start':
      hdr('userspace: start systemd-udevd', 'systemd-udevd');
      udevStart(k);
      return null;
    case 'udev_stop':
      hdr('userspace: stop systemd-udevd', 'systemd-udevd');
      udevStop(k);
      return null;
    case 'remove_device': {
      hdr(`hot-unplug: remove device ${a.device}`, 'drivers/base/core.c:device_unregister');
      const dev = resolveDevice(k, a.device, USERSPACE);
      if (!dev) {
        k.error(`remove: no device "${a.device}"`, E.NODEV, 'drivers/base/core.c:device_unregister');
        return null;
      }
      const rec = k.device(dev)!;
      if (rec.isRoot) {
        k.error(`remove: ${rec.name} is a bus root device and cannot be removed`, E.BUSY, 'drivers/base/core.c:device_unregister');
        return null;
      }
      k.nested(() => (rec.bus === 'platform' ? platformDeviceUnregister(k, dev) : deviceDel(k, dev)));
      return null;
    }
  }
}
