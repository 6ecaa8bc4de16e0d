/**
 * The built-in design-review rules, as data (format: src/engine/review/review.ts and
 * docs/review-rules.md). Each flags something a driver-core maintainer flags, cites the code it
 * rests on, and quotes the Arm CCA thread where it was argued (docs/research/posted-series.md).
 */
import type { ReviewRule } from '../engine/review/review';

export const REVIEW_RULES: ReviewRule[] = [
  {
    id: 'fake-platform-device',
    severity: 'warning',
    title: 'A platform device that describes no hardware',
    select: 'devices',
    where: { bus: 'platform', driver: null, ofNode: null, acpiHid: null },
    message: '{name} is a platform device with no resources and no firmware node, and no driver binds it: it exists to be a name (for udev to load a module, or to hang children on).',
    cite: 'drivers/base/platform.c:platform_device_register_simple (NULL resources)',
    quote: { text: 'Do not make any more "fake" platform devices please', author: 'Greg Kroah-Hartman', date: '2026-05', list: 'linux-arm-kernel (aux series v5 review)' },
  },
  {
    id: 'unbound-parent-holds-devres',
    severity: 'warning',
    title: 'Managed resources on a device no driver binds',
    select: 'devices',
    where: { driver: null, devmChildren: { gt: 0 }, isRoot: false },
    message: '{name} has no driver but holds the devres of {devmChildren} device(s): they are released only when {name} is deleted, and a driver that later binds {name} fails in really_probe() with "Resources present before probing" (-EBUSY).',
    cite: 'drivers/base/dd.c:really_probe; drivers/base/auxiliary.c:__devm_auxiliary_device_create',
  },
  {
    id: 'faux-device-cannot-autoload',
    severity: 'warning',
    title: 'A faux device standing for something a module must handle',
    select: 'devices',
    where: { bus: 'faux' },
    message: '{name} is a faux device: faux_driver binds it at once, it has no bind/unbind files, and the faux bus sends no MODALIAS, so it can never make udev load a module or be bound by one.',
    cite: 'drivers/base/faux.c (no uevent callback, faux_match always 1, faux_driver suppress_bind_attrs); scripts/mod/file2alias.c (no faux_device_id)',
    quote: { text: 'If you really need to "autoload" things, then do it like any other normal bus … and send the proper uevents', author: 'Greg Kroah-Hartman', date: '2026-05', list: 'linux-arm-kernel (aux series v5 review)' },
  },
  {
    id: 'module-nothing-loads',
    severity: 'warning',
    title: 'A loadable module nothing can autoload',
    select: 'modules',
    where: { location: 'module', state: 'not-loaded', aliases: 0 },
    message: '{name} has no device table and no MODULE_ALIAS: modules.alias has no line for it, so udev never loads it; it runs only built in or loaded by hand.',
    cite: 'scripts/mod/file2alias.c; udev builtin kmod (modprobe $MODALIAS)',
    quote: { text: 'this will break autoloading of the driver', author: 'Aneesh Kumar K.V', date: '2025-10-08', list: 'linux-coco (faux patch)' },
  },
  {
    id: 'module-binds-nothing',
    severity: 'info',
    title: 'A module that loaded and bound nothing',
    select: 'modules',
    where: { state: 'loaded', drivers: { gt: 0 }, boundDevices: 0 },
    message: '{name} is loaded, but none of its {drivers} driver(s) is bound to a device.',
    cite: 'drivers/base/dd.c:driver_attach',
  },
  {
    id: 'platform-name-fallback',
    severity: 'info',
    title: 'A platform driver bound by its name',
    select: 'events',
    where: { kind: 'match', matched: true, bus: 'platform', matchRule: 'name' },
    message: 'platform_match() bound {device} to {driver} by the last resort, pdev->name against the driver name: an id_table would state the match in a table (and, with MODULE_DEVICE_TABLE, give the module its alias).',
    cite: 'drivers/base/platform.c:platform_match',
  },
  {
    id: 'name-collision',
    severity: 'error',
    title: 'A device name that collides',
    select: 'events',
    where: { errno: -17, kind: 'error' },
    message: 'a device name collides (-EEXIST): {text}',
    cite: 'drivers/base/core.c:device_add; lib/kobject.c:kobject_add_internal',
  },
  {
    id: 'deferred-at-the-end',
    severity: 'warning',
    title: 'A probe still deferred when the run ends',
    select: 'devices',
    where: { deferred: true },
    message: '{name} is still on the deferred-probe list: its probe keeps returning -EPROBE_DEFER (see /sys/kernel/debug/devices_deferred).',
    cite: 'drivers/base/dd.c:driver_deferred_probe_add, deferred_devs_show',
  },
];
