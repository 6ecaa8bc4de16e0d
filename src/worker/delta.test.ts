import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Simulation, getBuiltinScenario } from '../engine/index';
import type { UiSnapshot as Snapshot } from './protocol';
import { applyDelta, basisIndex, deepEqual, deltaRecords, diffKeyed, diffOrdered, diffSnapshot, rebuildList, type Diff } from './delta';
import { unionSnapshot } from './union';
import { UiSnapshots } from './uiSnapshot';
import { benchScenario } from '../../bench/scenario';

describe('snapshot deltas', () => {
  it('rebuild every step of a design from the step before, after and far away', () => {
    const sim = new UiSnapshots(new Simulation(getBuiltinScenario('auxiliary')));
    const snaps: Snapshot[] = [];
    for (let i = -1; i <= sim.sim.lastStep; i++) snaps.push(sim.at(i));
    let held: Snapshot | null = null;
    let id = 0;
    // forward, backward, then jumps
    const order = [...snaps.keys(), ...[...snaps.keys()].reverse(), 0, snaps.length - 1, 3, 7];
    for (const k of order) {
      const d = diffSnapshot(held, held ? id : null, snaps[k]!, id + 1);
      id++;
      held = applyDelta(held, d);
      expect(held).toEqual(snaps[k]);
    }
  });

  it('one step of a 1,000-device run carries a few records, not the world', () => {
    const run = new Simulation(benchScenario(1000), { maxEvents: 1e9, maxMillis: 600_000, maxDevices: 1e7 });
    const sim = new UiSnapshots(run);
    const mid = Math.floor(run.lastStep / 2);
    const a = sim.at(mid);
    const b = sim.at(mid + 1);
    const d = diffSnapshot(a, 1, b, 2);
    const full = JSON.stringify(b).length;
    // the records alone (the long lists do not cross: protocol.ts UiSnapshot)
    expect(full).toBeGreaterThan(300_000);
    expect(JSON.stringify(d).length).toBeLessThan(full / 50);
    expect(deltaRecords(d)).toBeLessThan(40);
    const back = applyDelta(a, d);
    expect(back).toEqual(b);
    // unchanged records keep their identity
    const same = b.devices.findIndex((x, i) => deepEqual(x, a.devices[i]));
    expect(back.devices[same]).toBe(a.devices[same]);
  });

  it('a jump sends the records it changed as their changed fields, in flat columns: the UI makes them from the ones it holds', () => {
    const run = new Simulation(benchScenario(1000), { maxEvents: 1e9, maxMillis: 600_000, maxDevices: 1e7 });
    const sim = new UiSnapshots(run);
    const end = sim.at(run.lastStep);
    const mid = sim.at(Math.floor(run.lastStep / 2));
    const d = diffSnapshot(end, 1, mid, 2);
    const table = d.patches?.devices;
    // the devices of the first half are there at the end too: changed (their driver link), not new
    expect(table).toBeDefined();
    expect(table!.at.length).toBeGreaterThan(100);
    expect(table!.at).toBeInstanceOf(Int32Array);
    expect(table!.mask).toBeInstanceOf(Int32Array);
    expect(table!.fields).not.toContain('devpath');
    expect(table!.fields.length).toBeLessThan(Object.keys(end.devices[0]!).length);
    // nothing in the columns is an object: a structured clone copies them as they are
    expect(table!.values.every((v) => v === null || typeof v !== 'object')).toBe(true);
    const whole = d.devices.flatMap((s) => (!Array.isArray(s) && 'v' in s ? s.v : []));
    for (const r of whole) expect(end.devices.some((x) => x.devpath === r.devpath)).toBe(false);
    const made = applyDelta(end, d);
    expect(made).toEqual(mid);
    // a fraction of the records it makes
    const patched = [...table!.at].map((at) => made.devices.find((x) => x.devpath === end.devices[at]!.devpath)!);
    expect(JSON.stringify(table).length).toBeLessThan(JSON.stringify(patched).length / 2);
    expect(deltaRecords(d)).toBeGreaterThanOrEqual(table!.at.length + whole.length);
  });

  it('a jump to a later step names the records the old snapshot lacks by their place in the layout basis', () => {
    const run = new Simulation(benchScenario(1000), { maxEvents: 1e9, maxMillis: 600_000, maxDevices: 1e7 });
    const sim = new UiSnapshots(run);
    // the worker's basis: the union of the layout's steps (union.ts), here the run's last step and one before it
    const basis = unionSnapshot([sim.at(Math.floor(run.lastStep / 2)), sim.at(run.lastStep)])!;
    const early = sim.at(Math.floor(run.lastStep / 4));
    const late = sim.at(run.lastStep - 3);
    const d = diffSnapshot(early, 1, late, 2, { lists: basis, index: basisIndex(basis) });
    const refs = d.fromBasis?.refs.devices;
    expect(refs).toBeDefined();
    const held = new Set(early.devices.map((x) => x.devpath));
    const added = late.devices.filter((x) => !held.has(x.devpath));
    expect(added.length).toBeGreaterThan(300);
    // nearly every device new to the UI is a basis record, by place (a few changed after the basis's steps go whole)
    expect(refs!.length).toBeGreaterThan(added.length * 0.9);
    const made = applyDelta(early, d, basis);
    expect(made).toEqual(late);
    // the records named by place are the UI's own basis records (what it holds), not copies
    const basisSet = new Set(basis.devices);
    expect(made.devices.filter((x) => basisSet.has(x)).length).toBeGreaterThanOrEqual(refs!.length);
    expect(d.fromBasis!.lengths).toEqual({ devices: basis.devices.length, drivers: basis.drivers.length, modules: basis.modules.length, firmware: basis.firmware.length });
    // without the basis, or with another one, the delta is refused rather than misread
    expect(() => applyDelta(early, d)).toThrow(/names records of the layout basis, which is not held/);
    expect(() => applyDelta(early, d, { ...basis, devices: basis.devices.slice(1) })).toThrow(/made against a layout basis of \d+ devices, the basis held has \d+/);
    // a differ without the basis sends them whole, and the result is the same
    const plain = diffSnapshot(early, 1, late, 2);
    expect(plain.fromBasis).toBeUndefined();
    expect(applyDelta(early, plain)).toEqual(late);
  });

  it('any list with a basis: what the basis has goes by place, the rest as before, and the second list comes back', () => {
    type R = { k: string; v: number };
    const rec = fc.record({ k: fc.constantFrom<string>('a', 'b', 'c', 'd', 'e', 'f'), v: fc.integer({ min: 0, max: 2 }) });
    fc.assert(
      fc.property(fc.array(rec, { maxLength: 10 }), fc.array(rec, { maxLength: 10 }), fc.array(fc.nat(), { maxLength: 6 }), (p: R[], basisList: R[], picks) => {
        // the next list: some of the basis's own records (by identity), some new ones
        const n: R[] = [...picks.map((i) => basisList[i % Math.max(1, basisList.length)]).filter((x): x is R => x !== undefined), { k: 'z', v: 9 }];
        const ix = new Map(basisList.map((x, i) => [x, i] as const));
        for (const d of [diffKeyed(p, n, (x) => x.k, ix), diffOrdered(p, n, undefined, ix)]) {
          const out = rebuildList(p, d.segs, d.patches, 'list', d.refs, basisList);
          expect(out).toEqual(n);
          const taken = d.segs.reduce((m, s) => m + (!Array.isArray(s) && 'b' in s ? s.b : 0), 0);
          expect(taken).toBe(d.refs?.length ?? 0);
          for (const at of d.refs ?? []) expect(out).toContain(basisList[at]);
        }
      }),
    );
    expect(() => rebuildList([], [{ b: 1 }], null, 'drivers', null, null)).toThrow(/drivers takes basis records 0\.\.1 of 0 places, and no basis is held/);
    expect(() => rebuildList([], [{ b: 1 }], null, 'drivers', Int32Array.from([5]), [{ k: 'a' }])).toThrow(/takes basis record 5 of a basis of 1/);
  });

  it('patched records: fields in any key order, arrays of scalars carried flat, anything else sent whole', () => {
    type R = { k: string; a: number | null; tags: string[]; o?: { x: number } };
    const prev: R[] = [
      { k: 'p', a: 1, tags: ['x', 'y'] },
      { k: 'q', a: 2, tags: [] },
      { k: 'r', a: 3, tags: ['z'], o: { x: 1 } },
      { k: 's', a: 4, tags: ['w'] },
    ];
    const next: R[] = [
      { tags: ['x', 'y', 'v'], a: 1, k: 'p' }, // another key order, the array longer
      { k: 'q', a: null, tags: ['n'] }, // two fields, the first patched in this table after `tags`
      { k: 'r', a: 3, tags: ['z'], o: { x: 2 } }, // an object field changed: whole
      { k: 's', a: 4, tags: ['w'], o: { x: 0 } } as R, // a field the old record has not: whole
    ];
    for (const d of [diffKeyed(prev, next, (r) => r.k), diffOrdered(prev, next, (a, b) => a.k < b.k)]) {
      expect(rebuildList(prev, d.segs, d.patches)).toEqual(next);
      expect([...(d.patches?.at ?? [])]).toEqual([0, 1]);
      expect(d.patches?.fields).toEqual(['tags', 'a']);
      const whole = d.segs.flatMap((x) => (!Array.isArray(x) && 'v' in x ? x.v : []));
      expect(whole.map((r) => r.k)).toEqual(['r', 's']);
    }
  });

  it('a patch table that the segments overrun, or that names a record not held, is refused', () => {
    const table = { fields: ['a'], at: Int32Array.from([3]), mask: Int32Array.from([1]), values: [2] };
    expect(() => rebuildList([{ a: 1 }], [{ p: 1 }], table, 'devices')).toThrow(/devices patches record 3 of a list of 1/);
    expect(() => rebuildList([{ a: 1 }], [{ p: 2 }], table, 'devices')).toThrow(/devices takes patched records 0\.\.2 of a table of 1/);
    expect(() => rebuildList([{ a: 1 }], [{ p: 1 }], null, 'drivers')).toThrow(/drivers takes patched records 0\.\.1 of a table of 0/);
  });

  it('any two lists: diffing then applying gives the second (keyed, ordered, appended)', () => {
    const rec = fc.record({ k: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), v: fc.integer({ min: 0, max: 2 }) });
    fc.assert(
      fc.property(fc.array(rec, { maxLength: 12 }), fc.array(rec, { maxLength: 12 }), (p, n) => {
        const rebuilt = (d: Diff<{ k: string; v: number }>) => rebuildList(p, d.segs, d.patches);
        expect(rebuilt(diffKeyed(p, n, (x) => x.k))).toEqual(n);
        expect(rebuilt(diffOrdered(p, n))).toEqual(n);
        expect(rebuilt(diffOrdered(p, n, (a, b) => a.k < b.k))).toEqual(n);
      }),
    );
  });

  it('a list edited in place sends only the records that changed; the others are copied as the same objects', () => {
    type R = { k: string; v: number };
    // a sorted list of distinct keys, then edits: some records replaced (changed or equal by value), some removed, some added
    const keys = fc.uniqueArray(fc.integer({ min: 0, max: 999 }), { maxLength: 60 }).map((xs) => xs.sort((a, b) => a - b).map((x) => `k${String(x).padStart(3, '0')}`));
    const edit = fc.record({ at: fc.nat(), what: fc.constantFrom('change', 'same-value', 'remove', 'add') });
    fc.assert(
      fc.property(keys, fc.array(edit, { maxLength: 6 }), (ks, edits) => {
        const prev: R[] = ks.map((k, i) => ({ k, v: i }));
        const next = prev.slice();
        let changed = 0;
        for (const e of edits) {
          const i = next.length ? e.at % next.length : 0;
          if (e.what === 'add') {
            const k = `${next[i]?.k ?? 'k'}+${e.at}`; // sorts right after next[i]
            if (next.some((r) => r.k === k)) continue;
            next.splice(next.length ? i + 1 : 0, 0, { k, v: -1 });
            changed++;
          } else if (!next.length) continue;
          else if (e.what === 'remove') next.splice(i, 1);
          else if (e.what === 'change') (next[i] = { k: next[i]!.k, v: next[i]!.v + 1000 }), changed++;
          else next[i] = { ...next[i]! };
        }
        for (const d of [diffKeyed(prev, next, (r) => r.k), diffOrdered(prev, next, (a, b) => a.k < b.k)]) {
          const out = rebuildList(prev, d.segs, d.patches);
          expect(out).toEqual(next);
          // what is sent is what changed or was added (an equal copy is copied, not sent)
          expect(d.literals).toBeLessThanOrEqual(changed);
          // every record not sent is the very object the UI holds; a changed one is a new object
          // (sent whole, or made from the one held and its changed field)
          out.forEach((r, i) => {
            if (prev.includes(r)) expect(deepEqual(r, next[i])).toBe(true);
            else expect(r).toEqual(next[i]);
          });
          // a changed record of a key held goes as its changed field (the patch table), never whole
          const whole = d.segs.flatMap((x) => (!Array.isArray(x) && 'v' in x ? x.v : []));
          for (const r of whole) expect(prev.some((q) => q.k === r.k)).toBe(false);
          expect(d.patches?.fields ?? ['v']).toEqual(['v']);
          // the same objects in the same places: one copy segment per unbroken run, not one per record
          expect(d.segs.length).toBeLessThanOrEqual(2 * edits.length + 1);
        }
      }),
    );
  });

  it('a step that leaves a list as it was gives the UI back the same array', () => {
    const run = new Simulation(benchScenario(200), { maxEvents: 1e9, maxMillis: 600_000, maxDevices: 1e7 });
    const sim = new UiSnapshots(run);
    let kept = 0;
    for (let step = 10; step < Math.min(run.lastStep, 400); step += 7) {
      const a = sim.at(step);
      const held = applyDelta(null, diffSnapshot(null, null, a, 1));
      const b = sim.at(step + 1);
      const back = applyDelta(held, diffSnapshot(a, 1, b, 2));
      expect(back).toEqual(b);
      for (const l of ['devices', 'drivers', 'modules', 'firmware', 'counts'] as const) {
        if (a[l] === b[l]) {
          expect(back[l]).toBe(held[l]);
          kept++;
        } else if (!deepEqual(a[l], b[l])) expect(back[l]).not.toBe(held[l]);
      }
    }
    expect(kept).toBeGreaterThan(0);
  });

  it('a delta for a snapshot that is not held, or that copies past its base, is refused', () => {
    const sim = new UiSnapshots(new Simulation(getBuiltinScenario('auxiliary')));
    const last = sim.sim.lastStep;
    const a = sim.at(last - 1);
    const d = diffSnapshot(a, 1, sim.at(last), 2);
    expect(a.devices.length).toBeGreaterThan(0);
    expect(() => applyDelta(null, d)).toThrow(/applies to snapshot 1, which is not held/);
    expect(() => applyDelta({ ...a, devices: [] }, d)).toThrow(/devices copies/);
  });

  it('a step reads none of the engine snapshot\'s long lists: no sysfs listing is built, no uevent or log list copied', () => {
    const run = new Simulation(getBuiltinScenario('auxiliary'));
    const sim = new UiSnapshots(run);
    const read: string[] = [];
    let prev: Snapshot | null = null;
    for (let step = -1; step <= run.lastStep; step++) {
      const s = run.stateAt(step);
      for (const l of ['sysfs', 'uevents', 'log'] as const)
        Object.defineProperty(s, l, { get: () => (read.push(`${l} at ${step}`), []) });
      const ui = sim.of(s);
      applyDelta(prev, diffSnapshot(prev, prev ? 1 : null, ui, 2));
      prev = ui;
    }
    expect(read).toEqual([]);
    // what the counts stand for: the lists' lengths at the step
    const last = run.stateAt(run.lastStep);
    expect(prev!.counts.uevents).toBe(last.uevents.length);
    expect(prev!.counts.log).toBe(last.log.length);
    expect(prev!.counts.uevents).toBeGreaterThan(0);
  });
});
