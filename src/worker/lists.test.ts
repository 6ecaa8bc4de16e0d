import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Simulation, getBuiltinScenario, type UeventRecord } from '../engine/index';
import { formatDmesg, formatUeventLog } from '../engine/trace/format';
import { isFileName } from '../ui/views/format';
import { benchScenario } from '../../bench/scenario';
import { MonitorIndex, ueventLines, ueventLinesAt } from './lineIndex';
import { UeventLog } from '../engine/trace/ueventlog';
import { dmesgLines, latestUevent, monitorLines, sysfsDir } from './lists';
import type { SysfsEntry } from './protocol';
import { UiSnapshots } from './uiSnapshot';

/** the whole text's lines, as the tabs showed them before paging */
const monitorText = (u: UeventRecord[]) => (u.length ? formatUeventLog(u).split('\n') : []);
const dmesgText = (log: string[]) => (log.length ? formatDmesg(log).split('\n') : []);

/**
 * The reference: every directory of the listing with its entries, as the /sys browser showed
 * them when it built the whole tree (format.ts sysfsTree before paging).
 */
function tree(listing: string[]): Map<string, SysfsEntry[]> {
  type Node = { name: string; target: string | null; kids: Map<string, Node> };
  const root: Node = { name: 'sys', target: null, kids: new Map() };
  for (const line of listing) {
    const [path, target] = line.split(' -> ') as [string, string | undefined];
    if (!path.startsWith('/sys/')) continue;
    let n = root;
    for (const part of path.slice(5).split('/')) {
      let k = n.kids.get(part);
      if (!k) n.kids.set(part, (k = { name: part, target: null, kids: new Map() }));
      n = k;
    }
    if (target !== undefined) n.target = target;
  }
  const out = new Map<string, SysfsEntry[]>();
  const walk = (n: Node, path: string) => {
    out.set(path, [...n.kids.values()].map((k): SysfsEntry => {
      if (k.target !== null) return { name: k.name, kind: 'link', target: k.target };
      if (k.kids.size) return { name: k.name, kind: 'dir' };
      return isFileName(k.name) ? { name: k.name, kind: 'file' } : { name: k.name, kind: 'dir', empty: true };
    }));
    for (const k of n.kids.values()) if (k.target === null && k.kids.size) walk(k, `${path}/${k.name}`);
  };
  walk(root, '/sys');
  return out;
}

describe('the paged views', () => {
  it('the monitor\'s lines at every step are the whole text\'s, in any range, without formatting the rest', () => {
    const sim = new Simulation(getBuiltinScenario('auxiliary'));
    const all = sim.kernel!.uevents;
    const index = new MonitorIndex(all);
    const ui = new UiSnapshots(sim);
    for (let step = -1; step <= sim.lastStep; step++) {
      const n = ui.counts(step).uevents;
      const text = monitorText(all.slice(0, n));
      expect(ui.counts(step).monitorLines).toBe(text.length);
      expect(index.lineCount(n)).toBe(text.length);
      expect(monitorLines(all, index, n, 0, text.length + 5)).toEqual(text);
    }
    const n = all.length;
    const text = monitorText(all.all());
    expect(n).toBeGreaterThan(3);
    fc.assert(
      fc.property(fc.integer({ min: -3, max: text.length + 3 }), fc.integer({ min: 0, max: 200 }), (from, len) => {
        expect(monitorLines(all, index, n, from, from + len)).toEqual(text.slice(Math.max(0, from), Math.max(0, from + len)));
      }),
    );
  });

  it('a name with a newline in it is one more line of the monitor, as in the text', () => {
    const u = (seq: number, devpath: string): UeventRecord => ({ seq, action: 'add', devpath, subsystem: 'platform', env: [['DEVPATH', devpath], ['SEQNUM', String(seq)]] });
    const all = [u(1, '/devices/a'), u(2, '/devices/b\nFAKE=1'), u(3, '/devices/c')];
    const index = new MonitorIndex(all);
    const text = monitorText(all);
    expect(index.lineCount(3)).toBe(text.length);
    for (let from = 0; from < text.length; from++) expect(monitorLines(all, index, 3, from, from + 3)).toEqual(text.slice(from, from + 3));
  });

  it('a uevent log counts its lines from its columns as its records would, newlines in any name or value included', () => {
    const text = fc.oneof(fc.constantFrom('a', 'b\nc', '\n', 'x\n\ny', ''), fc.string({ maxLength: 6 }));
    fc.assert(
      fc.property(fc.array(fc.record({ devpath: text, subsystem: text, vars: fc.array(fc.tuple(text, text), { maxLength: 4 }) }), { minLength: 1, maxLength: 8 }), (rows) => {
        const log = new UeventLog();
        rows.forEach((r, i) => log.push(i + 1, 'add', `/devices/${r.devpath}`, r.subsystem, r.vars));
        for (let i = 0; i < log.length; i++) expect(ueventLinesAt(log, i)).toBe(ueventLines(log.at(i)!));
        expect(new MonitorIndex(log).lineCount(log.length)).toBe(monitorText(log.all()).length);
      }),
    );
  });

  it('dmesg\'s lines are formatDmesg\'s, numbered from the first', () => {
    const log = Array.from({ length: 300 }, (_, i) => `line ${i}`);
    expect(dmesgLines(log, 300, 0, 300)).toEqual(dmesgText(log));
    expect(dmesgLines(log, 250, 240, 400)).toEqual(dmesgText(log).slice(240, 250));
    expect(dmesgLines(log, 0, 0, 10)).toEqual([]);
  });

  it('a sysfs directory\'s entries from the sorted listing are the whole tree\'s, at any step', () => {
    for (const [sim, stride] of [[new Simulation(getBuiltinScenario('auxiliary')), 1], [new Simulation(benchScenario(200), { maxEvents: 1e9, maxMillis: 600_000, maxDevices: 1e7 }), 97]] as const) {
      let dirs = 0;
      for (let step = 0; step <= sim.lastStep; step += stride) {
        const listing = sim.stateAt(step).sysfs;
        for (const [path, entries] of tree(listing)) {
          const d = sysfsDir(listing, path, 1e9);
          expect(d).toEqual({ path, entries, total: entries.length });
          dirs++;
        }
      }
      expect(dirs).toBeGreaterThan(100);
    }
  });

  it('a sysfs directory answers its first `limit` entries and how many it has; one that is not there, none', () => {
    const listing = [
      '/sys/bus/platform/devices/a -> ../../../devices/platform/a',
      '/sys/bus/platform/devices/b -> ../../../devices/platform/b',
      '/sys/devices/platform/a',
      '/sys/devices/platform/a-1',
      '/sys/devices/platform/a-1/uevent',
      '/sys/devices/platform/a/driver_override',
      '/sys/devices/platform/a/power',
      '/sys/devices/platform/a/uevent',
      '/sys/devices/platform/b',
    ].sort();
    expect(sysfsDir(listing, '/sys/devices/platform', 2)).toEqual({
      path: '/sys/devices/platform', total: 3,
      entries: [{ name: 'a', kind: 'dir' }, { name: 'a-1', kind: 'dir' }],
    });
    expect(sysfsDir(listing, '/sys/devices/platform/a', 10).entries).toEqual([
      { name: 'driver_override', kind: 'file' }, { name: 'power', kind: 'dir', empty: true }, { name: 'uevent', kind: 'file' },
    ]);
    expect(sysfsDir(listing, '/sys/bus/platform/devices', 10).entries[1]).toEqual({ name: 'b', kind: 'link', target: '../../../devices/platform/b' });
    expect(sysfsDir(listing, '/sys/nowhere', 10)).toEqual({ path: '/sys/nowhere', entries: [], total: 0 });
  });

  it('the latest uevent of a device by a step, else of any device, else none', () => {
    const u = (seq: number, devpath: string): UeventRecord => ({ seq, action: 'add', devpath, subsystem: 's', env: [] });
    const all = [u(1, '/bus/x'), u(2, '/devices/a'), u(3, '/devices/b'), u(4, '/devices/a'), u(5, '/bus/y')];
    expect(latestUevent(all, 5, ['/devices/a'])?.seq).toBe(4);
    expect(latestUevent(all, 3, ['/devices/a'])?.seq).toBe(2);
    expect(latestUevent(all, 5, ['/devices/z'])?.seq).toBe(4);
    expect(latestUevent(all, 5, [])?.seq).toBe(4);
    expect(latestUevent(all, 1, [])).toBeNull();
  });
});
