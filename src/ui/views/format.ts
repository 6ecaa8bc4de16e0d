/**
 * Pure text views of a Snapshot, in the style of the tools a kernel developer knows:
 * a sysfs tree and file contents (the udevadm/dmesg/lsmod texts come from engine/trace/format.ts).
 * No React, no DOM: unit-tested in format.test.ts.
 */
import type { Snapshot } from '../../engine/api';

// the tool-style text views are shared with the CLI; they live beside the engine's other pure views
export { formatDmesg, formatLsmod, formatUevent, formatUeventLog } from '../../engine/trace/format';

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
