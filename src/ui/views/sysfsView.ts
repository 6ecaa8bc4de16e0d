/**
 * Which directories the /sys browser shows open, and how many entries of each: view state only
 * (the entries come from the worker, one directory at a time: protocol.ts sysfsDirs). Open by
 * default, as before paging: /sys, /sys/devices and the platform devices, /sys/bus and
 * /sys/class, and what is under those, except in a directory of more than AUTO_OPEN_MAX
 * entries (a 10k-device run's /sys/devices/platform: every device's directory open would be the
 * whole listing again); the user's own opening or closing of a directory wins.
 * Pure; unit-tested in sysfsView.test.ts.
 */
import type { SysfsDir } from '../../worker/protocol';

export const SYS_ROOT = '/sys';
/** entries a directory shows until asked for more */
export const DIR_SHOWN = 200;
/** entries each "more" adds */
export const DIR_MORE = 500;
/** a directory with more entries than this opens none of them by default */
export const AUTO_OPEN_MAX = 64;

const OPEN_BY_DEFAULT = new Set(['/sys', '/sys/devices', '/sys/devices/platform', '/sys/bus', '/sys/class']);
const OPEN_UNDER = ['/sys/devices/platform/', '/sys/bus/', '/sys/class/'];

/** open when nobody said otherwise: `siblings`, how many entries the directory holding it has */
export function openByDefault(path: string, siblings: number): boolean {
  if (OPEN_BY_DEFAULT.has(path)) return true;
  return siblings <= AUTO_OPEN_MAX && OPEN_UNDER.some((p) => path.startsWith(p));
}

export type Toggles = ReadonlyMap<string, boolean>;
export type Limits = ReadonlyMap<string, number>;

export const isOpen = (path: string, siblings: number, toggles: Toggles): boolean => toggles.get(path) ?? openByDefault(path, siblings);
export const shownOf = (path: string, limits: Limits): number => limits.get(path) ?? DIR_SHOWN;

/**
 * The directories open, walking down from /sys through the answers held (`dirs`), and those of
 * them whose answer is missing or shows fewer entries than are now wanted.
 */
export function openDirs(dirs: ReadonlyMap<string, SysfsDir>, toggles: Toggles, limits: Limits): { open: string[]; missing: string[] } {
  const open: string[] = [];
  const missing: string[] = [];
  const stack: [string, number][] = [[SYS_ROOT, 0]];
  while (stack.length) {
    const [path, siblings] = stack.pop()!;
    if (!isOpen(path, siblings, toggles)) continue;
    open.push(path);
    const d = dirs.get(path);
    if (!d || d.entries.length < Math.min(shownOf(path, limits), d.total)) {
      missing.push(path);
      if (!d) continue;
    }
    for (let i = d.entries.length - 1; i >= 0; i--) {
      const e = d.entries[i]!;
      if (e.kind === 'dir' && !e.empty) stack.push([`${path}/${e.name}`, d.total]);
    }
  }
  return { open, missing };
}
