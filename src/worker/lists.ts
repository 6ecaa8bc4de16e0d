/**
 * The worker's answers for the UI's paged views and the few questions about the long lists (a
 * chunk the worker loads on first use): lines of the udevadm monitor and dmesg texts at a step,
 * a sysfs directory's entries from the step's sorted listing, the latest uevent of a device.
 * Pure: the lists are passed in. Tested in lists.test.ts.
 */
import type { UeventRecord } from '../engine/api';
import type { UeventList, UeventLog } from '../engine/trace/ueventlog';
import { formatUevent } from '../engine/trace/format';
import { isFileName } from '../ui/views/format';
import { HEAD_LINES, type MonitorIndex } from './lineIndex';
import type { EngineWire, SysfsDir, SysfsEntry } from './protocol';
import type { UiSnapshots } from './uiSnapshot';

/** the header formatUeventLog puts before the first uevent */
export const MONITOR_HEAD = ['monitor will print the received events for:', 'KERNEL - the kernel uevent', ''];
if (MONITOR_HEAD.length !== HEAD_LINES) throw new Error('lineIndex.ts HEAD_LINES is not the header\'s length');

/**
 * The worker's calls on the long lists (engine.worker.ts hands each its slot's run, as the UI
 * gets it: uiSnapshot.ts), bounded by the counts at the step.
 */
export const calls = {
  lines(v: UiSnapshots, ...[list, from, to, step]: Parameters<EngineWire['lines']>): string[] {
    const k = v.sim.kernel;
    if (!k) return [];
    const n = v.counts(step);
    return list === 'monitor' ? monitorLines(k.uevents, v.monitor, n.uevents, from, to) : dmesgLines(k.log, n.log, from, to);
  },
  uevents(v: UiSnapshots, ...[from, to, step]: Parameters<EngineWire['uevents']>): UeventRecord[] {
    return v.sim.kernel?.uevents.slice(Math.max(0, from), Math.min(to, v.counts(step).uevents)) ?? [];
  },
  latestUevent(v: UiSnapshots, ...[step, devpaths]: Parameters<EngineWire['latestUevent']>): UeventRecord | null {
    return latestUevent(v.sim.kernel?.uevents ?? [], v.counts(step).uevents, devpaths);
  },
  /** `listing`: the step's sorted sysfs listing */
  sysfsDirs(listing: readonly string[], dirs: [path: string, limit: number][]): SysfsDir[] {
    return dirs.map(([path, limit]) => sysfsDir(listing, path, limit));
  },
};

/**
 * Lines [from, to) of the monitor text once `n` uevents were sent: formatUeventLog(all.slice(0,
 * n)).split('\n') without the slice or the rest of the text (only the uevents in the range are
 * formatted). No lines for n = 0 (the tab shows "(no uevents yet)").
 */
export function monitorLines(all: UeventList, index: MonitorIndex, n: number, from: number, to: number): string[] {
  const end = Math.min(to, index.lineCount(n));
  const out: string[] = [];
  let line = Math.max(0, from);
  for (; line < end && line < MONITOR_HEAD.length; line++) out.push(MONITOR_HEAD[line]!);
  if (line >= end) return out;
  let i = ueventAt(index, line - MONITOR_HEAD.length, n);
  while (line < end) {
    const block = (formatUevent(all.at(i)!) + '\n').split('\n');
    const first = MONITOR_HEAD.length + index.start(i);
    for (let k = line - first; k < block.length && line < end; k++, line++) out.push(block[k]!);
    i++;
  }
  return out;
}

/** the uevent whose lines hold line `k` (after the header) of the monitor text of `n` uevents */
export function ueventAt(index: MonitorIndex, k: number, n: number): number {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (index.start(mid) <= k) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The latest of the first `n` uevents whose devpath is one of `devpaths`, else the latest of any
 * device (/devices/…); null when there is none (presenting's uevent panel, as it chose from the
 * whole log before paging).
 */
export function latestUevent(all: UeventList, n: number, devpaths: readonly string[]): UeventRecord | null {
  const want = new Set(devpaths);
  // the uevent log's own DEVPATH column when it has one: no record is built for the uevents passed over
  const devpathAt = 'devpathAt' in all ? (i: number) => (all as UeventLog).devpathAt(i) : (i: number) => all.at(i)!.devpath;
  let anyDevice = -1;
  for (let i = Math.min(n, all.length) - 1; i >= 0; i--) {
    const devpath = devpathAt(i);
    if (want.has(devpath)) return all.at(i)!;
    if (anyDevice < 0 && devpath.startsWith('/devices/')) {
      anyDevice = i;
      if (!want.size) break;
    }
  }
  return anyDevice < 0 ? null : all.at(anyDevice)!;
}

/** lines [from, to) of the dmesg text of the first `n` log lines (formatDmesg's numbering); none for n = 0 */
export function dmesgLines(log: readonly string[], n: number, from: number, to: number): string[] {
  const out: string[] = [];
  for (let i = Math.max(0, from); i < Math.min(to, n); i++) out.push(`[${String(i + 1).padStart(5)}] ${log[i]}`);
  return out;
}

/** the first index of a sorted list whose entry is not below `key` */
export function lowerBound(sorted: readonly string[], key: string, lo = 0): number {
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const ARROW = ' -> ';

/**
 * The entries of directory `dir` (a path under /sys, no trailing slash) in a sorted sysfs
 * listing ("path" or "path -> target"), in the order format.ts sysfsTree gives its children:
 * binary searches into the listing, each subdirectory's own entries skipped in one search, so
 * a directory costs its entries, not the listing. The first `limit` are returned, with the count.
 */
export function sysfsDir(listing: readonly string[], dir: string, limit: number): SysfsDir {
  const prefix = dir + '/';
  const found = new Map<string, SysfsEntry & { kids?: boolean }>();
  let i = lowerBound(listing, prefix);
  while (i < listing.length) {
    const line = listing[i]!;
    if (!line.startsWith(prefix)) break;
    const rest = line.slice(prefix.length);
    const arrow = rest.indexOf(ARROW);
    const slash = rest.indexOf('/');
    if (slash >= 0 && (arrow < 0 || slash < arrow)) {
      // an entry deeper down: its directory is a child; the rest of that subtree is skipped
      const name = rest.slice(0, slash);
      const e = found.get(name);
      if (e) e.kids = true;
      else found.set(name, { name, kind: 'dir', kids: true });
      // every entry under prefix + name + '/' sorts below prefix + name + '0' ('0' follows '/')
      i = lowerBound(listing, prefix + name + '0', i + 1);
      continue;
    }
    if (arrow >= 0) {
      const name = rest.slice(0, arrow);
      if (!found.has(name)) found.set(name, { name, kind: 'link', target: rest.slice(arrow + ARROW.length) });
    } else if (!found.has(rest)) found.set(rest, { name: rest, kind: 'dir' });
    i++;
  }
  const all = [...found.values()];
  const entries = all.slice(0, Math.max(0, limit)).map(({ kids, ...e }): SysfsEntry => {
    if (e.kind !== 'dir' || kids) return e;
    // a leaf: an attribute file the kernel creates, or an empty directory (format.ts isFile)
    return isFileName(e.name) ? { name: e.name, kind: 'file' } : { ...e, empty: true };
  });
  return { path: dir, entries, total: all.length };
}
