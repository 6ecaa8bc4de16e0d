/**
 * udev: receives uevents, and for ACTION=add with a MODALIAS runs its kmod builtin
 * (rules.d/80-drivers.rules: ENV{MODALIAS}=="?*", RUN{builtin}+="kmod load"), i.e.
 * `modprobe -b $MODALIAS`. Coldplug at start: `udevadm trigger --action=add` writes "add" to
 * every device's uevent file (kobject_synth_uevent).
 */
import type { Kernel } from '../core/kernel';
import { deviceUevent } from '../core/core';
import { buildModulesAlias, resolveAlias } from './kmod';
import { loadModule } from './modules';
import { EventSite } from '../trace/eventlog';

const UDEV = 'systemd/src/udev/udev-builtin-kmod.c:builtin_kmod';
// what udev did with an add uevent's MODALIAS, one event per device: built when read (Kernel.emitAt)
const noModuleText = (devpath: string, modalias: string, note: string) => `udev: add ${devpath}: kmod load ${modalias} → ${note}`;
const loadedText = (modalias: string, module: string, pattern: string) => `udev: kmod load ${modalias} → ${module} (alias ${pattern}) is already loaded`;
const modprobeText = (devpath: string, modalias: string, pattern: string, module: string) => `udev: add ${devpath}: kmod load ${modalias} matches alias ${pattern} → modprobe ${module}`;
const NO_MODULE_EVENT = new EventSite('udev', UDEV, noModuleText);
const LOADED_EVENT = new EventSite('udev', UDEV, loadedText);
const MODPROBE_EVENT = new EventSite('udev', UDEV, modprobeText);

/** udev's note when only built-in modules match (every device a built-in driver serves has it in its event: one string per list of modules, Kernel.sharedText) */
const builtInNote = (modules: string) => `built in: ${modules} (nothing to load)`;

/** handle one queued uevent */
export function udevHandle(k: Kernel): boolean {
  const i = k.udevQueue.shift();
  if (i === undefined) return false;
  if (k.uevents.actionAt(i) !== 'add') return true;
  const modalias = k.uevents.varOf(i, 'MODALIAS');
  if (!modalias) return true;
  const devpath = k.uevents.devpathAt(i);
  const { alias, builtin } = buildModulesAlias(k.scenario);
  const hits = resolveAlias(alias, modalias);
  const builtinHits = resolveAlias(builtin, modalias);
  if (hits.length === 0) {
    const note = builtinHits.length ? k.sharedText('built-in note', builtinHits.map((h) => h.module).join(', '), builtInNote) : 'no module in modules.alias matches';
    k.emitAt(NO_MODULE_EVENT, { touches: { devices: [devpath], modules: builtinHits.map((h) => h.module) } }, devpath, modalias, note);
    return true;
  }
  for (const h of hits) {
    const mod = k.state.modules.get(h.module);
    if (mod?.state === 'loaded') {
      k.emitAt(LOADED_EVENT, { touches: { devices: [devpath], modules: [h.module] } }, modalias, h.module, h.pattern);
      continue;
    }
    if (mod?.state === 'loading') {
      // module_load_and_warn(): initstate "coming" is neither built in nor live, so it inserts; the
      // kernel's add_unformed_module() waits for the first load and fails -EEXIST, which
      // kmod_module_probe_insert_module() takes as success: nothing new is loaded
      k.emit('udev', `udev: kmod load ${modalias} → ${h.module} is still in its module_init (initstate coming): modprobe inserts it again, finit_module() waits for the first load and fails -EEXIST, which kmod takes as success`, 'systemd: src/shared/module-util.c:module_load_and_warn → kmod: libkmod/libkmod-module.c:kmod_module_probe_insert_module; kernel/module/main.c:add_unformed_module', { touches: { devices: [devpath], modules: [h.module] } });
      continue;
    }
    k.emitAt(MODPROBE_EVENT, { touches: { devices: [devpath], modules: [h.module] } }, devpath, modalias, h.pattern, h.module);
    k.nested(() => loadModule(k, h.module, modalias));
  }
  return true;
}

/** kobject_synth_uevent()'s envp_ext when the written string names no UUID */
const SYNTH_UUID_ENV: readonly (readonly [string, string])[] = Object.freeze([Object.freeze(['SYNTH_UUID', '0'] as const)]);

/** udev starts: from now on it receives uevents; coldplug replays "add" for existing devices */
export function udevStart(k: Kernel): void {
  if (k.state.misc.udevRunning) {
    k.emit('udev', 'udev is already running', 'systemd-udevd');
    return;
  }
  k.state.setMisc('udevRunning', true);
  k.emit('udev', 'systemd-udevd starts listening; coldplug: udevadm trigger --type=devices --action=add', 'systemd/src/udev/udevadm-trigger.c', { boundary: true });
  // in devpath order (sort() without a comparator orders strings by code unit, as `<` does, and
  // needs no call back into JS per comparison: a 140k-device coldplug spent ~100 ms sorting)
  const paths: string[] = [];
  for (const d of k.state.devices.values()) if (d.bus || d.cls) paths.push(d.devpath);
  paths.sort();
  for (const p of paths) {
    const cur = k.device(p);
    // echo add > /sys/devices/.../uevent → kobject_synth_uevent(): SYNTH_UUID=0 when no UUID is given
    if (cur) deviceUevent(k, cur, 'add', SYNTH_UUID_ENV);
  }
}

export function udevStop(k: Kernel): void {
  k.state.setMisc('udevRunning', false);
  k.udevQueue.clear();
  k.emit('udev', 'systemd-udevd stops: uevents from now on are not acted on', 'systemd-udevd', { boundary: true });
}
