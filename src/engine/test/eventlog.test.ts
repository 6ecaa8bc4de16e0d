/** The trace's columns (trace/eventlog.ts): every event reads back as the object it was recorded from. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { EventKind, MatchInfo, TraceEvent, UeventRecord } from '../api';
import { EventLog, EventSite, matchText, ueventText, type LazyText } from '../trace/eventlog';

const KINDS: EventKind[] = ['phase', 'firmware', 'device_add', 'device_del', 'driver_register', 'driver_unregister', 'match', 'probe', 'bind', 'unbind', 'defer', 'uevent', 'udev', 'module', 'sysfs', 'tsm', 'action', 'error'];
const uevent: UeventRecord = { seq: 7, action: 'add', devpath: '/devices/platform/x', subsystem: 'platform', env: [['ACTION', 'add'], ['DEVPATH', '/devices/platform/x'], ['SUBSYSTEM', 'platform'], ['MODALIAS', 'platform:x'], ['SEQNUM', '7']] };
const match: MatchInfo = { driver: 'x', bus: 'platform', device: 'x', matched: true, rule: 'name', compared: 'pdev->name "x" vs driver name "x"', cite: 'drivers/base/platform.c:platform_match' };

const templates = [(a: string | number, b: string | number) => `${a}|${b}`, (a: string | number, b: string | number) => `${b}:${a}`] as unknown as LazyText[];

describe('the event log', () => {
  it('reads back kind, text, citation, depth, touches, uevent, match, errno, log and boundary as recorded, in any mix', () => {
    const row = fc.record({
      kind: fc.constantFrom(...KINDS),
      text: fc.option(fc.string({ maxLength: 20 }), { nil: null }),
      cite: fc.constantFrom('a.c:f', 'b.c:g', 'c.c:h'),
      depth: fc.integer({ min: 0, max: 1023 }),
      uevent: fc.option(fc.constant(uevent), { nil: undefined }),
      match: fc.option(fc.constant(match), { nil: undefined }),
      errno: fc.option(fc.integer({ min: -200, max: 0 }), { nil: undefined }),
      boundary: fc.option(fc.boolean(), { nil: undefined }),
      log: fc.option(fc.string({ maxLength: 10 }), { nil: undefined }),
      lazy: fc.constantFrom(0, 1, 2),
    }).filter((r) => r.text !== null || r.uevent !== undefined || r.match !== undefined);
    fc.assert(fc.property(fc.array(row, { minLength: 1, maxLength: 40 }), (rows) => {
      const log: string[] = [];
      const events = new EventLog(log, [uevent]);
      const touches: TraceEvent['touches'] = { devices: ['/devices/platform/x'] };
      const other: TraceEvent['touches'] = { drivers: ['platform/x'], modules: ['m'] };
      for (const r of rows) {
        // the kernel logs the line before it records the event (Kernel.emit, Kernel.recordAt): the row counts it
        if (r.log !== undefined) log.push(r.log);
        const t = r.depth % 2 ? events.addTouches(touches) : events.addTouches(other);
        // a template (Kernel.emitAt): two of them, their arguments strings and numbers
        // the uevent: an index into the uevent list (the kernel's UeventLog; an array here)
        const u = r.uevent ? 0 : undefined;
        if (r.text !== null && r.lazy) events.push(r.kind, templates[r.lazy - 1]!, r.cite, r.depth, t, r, [r.text, r.depth], u);
        else events.push(r.kind, r.text, r.cite, r.depth, t, r, undefined, u);
      }
      rows.forEach((r, i) => {
        const text = r.text !== null && r.lazy ? (r.lazy === 1 ? `${r.text}|${r.depth}` : `${r.depth}:${r.text}`) : r.text ?? (r.match ? matchText(r.match) : ueventText(r.uevent!));
        expect(events.at(i)).toEqual({ index: i, kind: r.kind, text, cite: r.cite, depth: r.depth, touches: r.depth % 2 ? touches : other, uevent: r.uevent, match: r.match, errno: r.errno, log: r.log, boundary: r.boundary });
        expect(Object.keys(events.at(i))).toEqual(['index', 'kind', 'text', 'cite', 'depth', 'touches', 'uevent', 'match', 'errno', 'log', 'boundary']);
      });
    }), { numRuns: 300 });
  });

  it('refuses a depth its meta column cannot hold rather than keep a wrong one', () => {
    const events = new EventLog([]);
    const t = events.addTouches({});
    events.push('phase', 'deep', 'a.c:f', 1023, t, {});
    expect(events.at(0).depth).toBe(1023);
    expect(() => events.push('phase', 'deeper', 'a.c:f', 1024, t, {})).toThrow(RangeError);
    expect(events.length).toBe(1);
  });

  it('keeps no trace alive through a shared event site, and looks its ids up again in the next trace', () => {
    // sites are module-level constants (dd.ts PROBE_EVENT): one that held its last trace kept a
    // finished 100k-device run (~345 MB) alive until the next run used that site
    const site = new EventSite('probe', 'drivers/base/dd.c:really_probe', (dev: string) => `probes ${dev}`);
    const first = new EventLog([]);
    first.push('phase', 'a', 'x.c:a', 0, first.addTouches({}), {}); // the site's citation is not the first one here
    first.pushAt(site, 0, first.addTouches({}), {}, ['d0']);
    const isTrace = (v: unknown) => v instanceof EventLog;
    expect(Object.values(site).some(isTrace)).toBe(false);
    const second = new EventLog([]);
    second.pushAt(site, 0, second.addTouches({}), {}, ['d1']);
    expect(Object.values(site).some(isTrace)).toBe(false);
    expect(first.at(1)).toMatchObject({ kind: 'probe', cite: 'drivers/base/dd.c:really_probe', text: 'probes d0' });
    expect(second.at(0)).toMatchObject({ kind: 'probe', cite: 'drivers/base/dd.c:really_probe', text: 'probes d1' });
  });
});
