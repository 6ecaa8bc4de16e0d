/**
 * Pure text views of a Snapshot, in the style of the tools a kernel developer knows:
 * `udevadm monitor --kernel --property`, `dmesg`, `lsmod`, and a sysfs tree.
 * No React, no DOM: unit-tested in format.test.ts.
 */
import type { ModuleView, Snapshot, UeventRecord } from '../../engine/api';

/**
 * One uevent as `udevadm monitor --kernel --property` prints it. The engine has no clock,
 * so the bracket holds the SEQNUM where udevadm shows a timestamp.
 */
export function formatUevent(u: UeventRecord): string {
  const head = `KERNEL[${u.seq}] ${u.action.padEnd(8)} ${u.devpath} (${u.subsystem})`;
  return [head, ...u.env.map(([k, v]) => `${k}=${v}`)].join('\n');
}

export function formatUeventLog(uevents: UeventRecord[]): string {
  if (uevents.length === 0) return '(no uevents yet)';
  return ['monitor will print the received events for:', 'KERNEL - the kernel uevent', '', ...uevents.map((u) => formatUevent(u) + '\n')].join('\n');
}

export function formatDmesg(log: string[]): string {
  if (log.length === 0) return '(kernel log empty)';
  return log.map((line, i) => `[${String(i + 1).padStart(5)}] ${line}`).join('\n');
}

/**
 * lsmod lists loaded modules only; built-in code is in modules.builtin and never in lsmod.
 * Sizes are not modelled; "Used by" counts the devices bound to the module's drivers.
 */
export function formatLsmod(snapshot: Snapshot): string {
  const usedBy = (m: ModuleView) =>
    snapshot.drivers.filter((d) => m.drivers.includes(d.id)).reduce((n, d) => n + d.devices.length, 0);
  const loaded = snapshot.modules.filter((m) => m.state === 'loaded');
  const rows = loaded.map((m) => `${m.name.padEnd(24)}${String(usedBy(m)).padStart(4)}   ${m.loadedBy === 'manual' ? 'modprobe by hand' : m.loadedBy ? `udev: alias ${m.loadedBy}` : ''}`);
  const others = (state: ModuleView['state'] | 'absent', title: string) => {
    const ms = snapshot.modules.filter((m) => (state === 'absent' ? m.location === 'absent' && m.state === 'not-loaded' : m.state === state && !(state === 'not-loaded' && m.location === 'absent')));
    return ms.length ? ['', `# ${title}: ${ms.map((m) => m.name).join(', ')}`] : [];
  };
  return [
    `${'Module'.padEnd(24)}Used by   Loaded through`,
    ...(rows.length ? rows : ['(no modules loaded)']),
    ...others('builtin', 'built in (modules.builtin, not listed by lsmod)'),
    ...others('not-loaded', 'on disk, not loaded'),
    ...others('absent', 'absent from the initramfs/rootfs'),
    ...others('failed', 'module_init failed'),
  ].join('\n');
}

export interface SysfsNode {
  name: string;
  path: string;
  /** symlink target, as listed ("path -> target") */
  target: string | null;
  children: SysfsNode[];
}

/** Builds the tree of a sorted sysfs listing ("path" or "path -> target"), rooted at /sys. */
export function sysfsTree(listing: string[]): SysfsNode {
  const root: SysfsNode = { name: 'sys', path: '/sys', target: null, children: [] };
  const byPath = new Map<string, SysfsNode>([['/sys', root]]);
  const ensure = (path: string): SysfsNode => {
    const found = byPath.get(path);
    if (found) return found;
    const cut = path.lastIndexOf('/');
    const parent = ensure(cut > 0 ? path.slice(0, cut) : '/sys');
    const node: SysfsNode = { name: path.slice(cut + 1), path, target: null, children: [] };
    parent.children.push(node);
    byPath.set(path, node);
    return node;
  };
  for (const line of listing) {
    const [path, target] = line.split(' -> ') as [string, string | undefined];
    if (!path.startsWith('/sys/')) continue;
    const node = ensure(path);
    if (target !== undefined) node.target = target;
  }
  return root;
}

/** attribute files the kernel creates; any other leaf without children is an (empty) directory */
const FILES = new Set([
  'uevent', 'modalias', 'bind', 'unbind', 'driver_override', 'drivers_autoprobe', 'drivers_probe',
  'new_id', 'remove_id', 'realm_guest', 'dev', 'name', 'state', 'refcnt', 'initstate',
]);

export function isFile(node: SysfsNode): boolean {
  return node.target === null && node.children.length === 0 && FILES.has(node.name);
}

/**
 * What `cat` shows for a sysfs file the snapshot knows the content of (a device's uevent,
 * modalias, driver_override); null when the content is not modelled.
 */
export function sysfsFileContent(snapshot: Snapshot, path: string): string | null {
  const cut = path.lastIndexOf('/');
  const dir = path.slice(0, cut);
  const file = path.slice(cut + 1);
  const dev = snapshot.devices.find((d) => `/sys${d.devpath}` === dir);
  if (!dev) return null;
  if (file === 'uevent') return dev.uevent.join('\n');
  if (file === 'modalias') return dev.modalias ?? '';
  if (file === 'driver_override') return dev.driverOverride ?? '(null)';
  return null;
}
