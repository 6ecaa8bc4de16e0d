/**
 * Pure text views of a Snapshot, in the style of the tools a kernel developer knows:
 * sysfs file contents and which entries are files (the udevadm/dmesg/lsmod texts come from
 * engine/trace/format.ts; a sysfs directory's entries from worker/lists.ts).
 * No React, no DOM: unit-tested in format.test.ts.
 */
import type { SnapshotCore, SysfsDir } from '../../worker/protocol';

// the tool-style text views are shared with the CLI; they live beside the engine's other pure views
export { formatDmesg, formatLsmod, formatUevent, formatUeventLog } from '../../engine/trace/format';

/** attribute files the kernel creates; any other leaf of the listing is an (empty) directory */
const FILES = new Set([
  'uevent', 'modalias', 'bind', 'unbind', 'driver_override', 'drivers_autoprobe', 'drivers_probe',
  'new_id', 'remove_id', 'realm_guest', 'dev', 'name', 'state', 'refcnt', 'initstate',
]);

/** a leaf entry of the sysfs listing named so is a file (worker/lists.ts sysfsDir) */
export function isFileName(name: string): boolean {
  return FILES.has(name);
}

/**
 * What `cat` shows for a sysfs file the snapshot knows the content of (a device's uevent,
 * modalias, driver_override); null when the content is not modelled. A uevent file's content
 * is the one its directory's entries came with (`dirs`, the worker's answer for the step:
 * SysfsEntry.content); undefined while they have not come.
 */
export function sysfsFileContent(snapshot: Pick<SnapshotCore, 'devices'>, path: string, dirs: ReadonlyMap<string, SysfsDir> | null): string | null | undefined {
  const cut = path.lastIndexOf('/');
  const dir = path.slice(0, cut);
  const file = path.slice(cut + 1);
  const dev = snapshot.devices.find((d) => `/sys${d.devpath}` === dir);
  if (!dev) return null;
  // the uevent file comes with its directory's entries from the worker (undefined until they have)
  if (file === 'uevent') return dirs ? dirs.get(dir)?.entries.find((e) => e.name === 'uevent')?.content ?? null : undefined;
  if (file === 'modalias') return dev.modalias ?? '';
  if (file === 'driver_override') return dev.driverOverride ?? '(null)';
  return null;
}
