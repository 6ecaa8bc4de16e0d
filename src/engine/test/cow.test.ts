/**
 * The cursor's copy-on-write storage (trace/cow.ts) against plain Maps and MultiMaps: random
 * writes with checkpoints frozen and thawed at random points. After a thaw a structure must hold
 * exactly what it held when that checkpoint was frozen, and later writes must not reach into a
 * checkpoint (the chunks are shared until written).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CowStore, DerivedIndex, Registry, type FrozenStore } from '../trace/cow';
import { MultiMap } from '../core/state';
import { getBuiltinScenario, Simulation } from '..';
import { pinnedScenario } from './trace-scenario';

// few keys and values, so that sets, deletes and re-adds of the same key collide often; enough
// keys to span several chunks (128 slots each)
const key = fc.integer({ min: 0, max: 400 }).map((i) => `k${i}`);
const val = fc.integer({ min: 0, max: 5 }).map((i) => `v${i}`);
const op = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), key, val }),
  fc.record({ kind: fc.constant('delete' as const), key, val }),
  fc.record({ kind: fc.constant('freeze' as const) }),
  fc.record({ kind: fc.constant('thaw' as const), which: fc.nat() }),
);

/** the entries a Map holds, in the order the storage iterates (first-seen key order) */
function inKeyOrder<V>(m: Map<string, V>, reg: Registry): [string, V][] {
  return reg.keys.filter((k) => m.has(k)).map((k) => [k, m.get(k)!]);
}

describe('copy-on-write storage (trace/cow.ts)', () => {
  it('a CowTable holds what a Map holds, and a thaw gives back the frozen contents', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const store = new CowStore();
        const reg = new Registry();
        const t = store.table<string>(reg);
        let model = new Map<string, string>();
        const kept: { frozen: FrozenStore; model: Map<string, string> }[] = [];
        for (const o of ops) {
          if (o.kind === 'set') {
            t.set(o.key, o.val);
            model.set(o.key, o.val);
          } else if (o.kind === 'delete') {
            expect(t.delete(o.key)).toBe(model.delete(o.key));
          } else if (o.kind === 'freeze') kept.push({ frozen: store.freeze(), model: new Map(model) });
          else if (kept.length) {
            const k = kept[o.which % kept.length]!;
            store.thaw(k.frozen);
            model = new Map(k.model);
          }
          expect(t.size).toBe(model.size);
        }
        expect([...t.entries()]).toEqual(inKeyOrder(model, reg));
        // forEach walks the chunks itself (no generator): the same entries, in the same order
        const walked: [string, unknown][] = [];
        t.forEach((v, k, m) => {
          expect(m).toBe(t);
          walked.push([k, v]);
        });
        expect(walked).toEqual([...t.entries()]);
        for (const [k, v] of model) expect(t.get(k)).toBe(v);
        // and every checkpoint is still what it was
        for (const k of kept) {
          store.thaw(k.frozen);
          expect([...t.entries()]).toEqual(inKeyOrder(k.model, reg));
        }
      }),
      { seed: 4242, numRuns: 300 },
    );
  });

  it('a CowMultiMap holds what a MultiMap holds, through freezes and thaws', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const store = new CowStore();
        const m = store.multiMap();
        let model = new Map<string, Set<string>>();
        const copy = (x: Map<string, Set<string>>) => new Map([...x].map(([k, s]) => [k, new Set(s)]));
        const kept: { frozen: FrozenStore; model: Map<string, Set<string>> }[] = [];
        const same = (want: Map<string, Set<string>>) => {
          for (let i = 0; i <= 400; i++) {
            const k = `k${i}`;
            const w = want.get(k) ?? new Set<string>();
            expect(new Set(m.get(k)), k).toEqual(w);
            expect(m.count(k)).toBe(w.size);
            // raw: none undefined, one member bare, several as they are held
            const raw = m.raw(k);
            if (w.size === 0) expect(raw, k).toBeUndefined();
            else if (w.size === 1) expect(raw, k).toBe([...w][0]);
            else expect(typeof raw !== 'string' && raw !== undefined ? new Set(raw) : raw, k).toEqual(w);
          }
        };
        for (const o of ops) {
          if (o.kind === 'set') {
            m.add(o.key, o.val);
            if (!model.has(o.key)) model.set(o.key, new Set());
            model.get(o.key)!.add(o.val);
          } else if (o.kind === 'delete') {
            m.delete(o.key, o.val);
            model.get(o.key)?.delete(o.val);
            if (model.get(o.key)?.size === 0) model.delete(o.key);
          } else if (o.kind === 'freeze') kept.push({ frozen: store.freeze(), model: copy(model) });
          else if (kept.length) {
            const k = kept[o.which % kept.length]!;
            store.thaw(k.frozen);
            model = copy(k.model);
          }
        }
        same(model);
        for (const k of kept) {
          store.thaw(k.frozen);
          same(k.model);
        }
      }),
      { seed: 4242, numRuns: 200 },
    );
  });

  it('members of a key keep the order a MultiMap gives them', () => {
    const store = new CowStore();
    const m = store.multiMap();
    const ref = new MultiMap();
    for (const v of ['c', 'a', 'b']) {
      m.add('k', v);
      ref.add('k', v);
    }
    store.freeze();
    m.delete('k', 'a');
    ref.delete('k', 'a');
    m.add('k', 'a');
    ref.add('k', 'a');
    expect([...m.get('k')]).toEqual([...ref.get('k')]);
  });

  it('a DerivedIndex thrown away at a thaw is derived again from what the tables hold then', () => {
    const store = new CowStore();
    const t = store.table<string>();
    const idx = store.register(new DerivedIndex((into) => t.forEach((bus, dev) => into.add(bus, dev))));
    const put = (dev: string, bus: string) => {
      t.set(dev, bus);
      idx.add(bus, dev);
    };
    put('a', 'platform');
    const f = store.freeze();
    put('b', 'platform');
    put('c', 'auxiliary');
    expect([...idx.get('platform')]).toEqual(['a', 'b']);
    store.thaw(f);
    // a change while it is thrown away is not kept: deriving reads the table
    put('d', 'auxiliary');
    expect([...idx.get('platform')]).toEqual(['a']);
    expect([...idx.get('auxiliary')]).toEqual(['d']);
    expect(idx.count('auxiliary')).toBe(1);
  });
});

describe('the cursor after restores', () => {
  // the cursor's dev_name index (byName) is derived when first read, not kept through its walks:
  // after jumps, bus_find_device_by_name through it finds exactly the devices its tables hold
  it('bus_find_device_by_name on the cursor finds what its device table holds, at random steps', () => {
    const sim = new Simulation(pinnedScenario(1000));
    const live = sim.kernel!;
    const all = [...live.state.devices.values()].filter((d) => d.bus);
    let seed = 5;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff) / 0x7fffffff);
    sim.stateAt(sim.lastStep);
    for (let i = 0; i < 8; i++) {
      const step = Math.floor(rnd() * sim.lastStep);
      sim.seek(step);
      const cursor = (sim as unknown as { timeline: { cursor: typeof live } }).timeline.cursor;
      for (let j = 0; j < 40; j++) {
        const d = all[Math.floor(rnd() * all.length)]!;
        const held = cursor.state.devices.get(d.devpath);
        expect(cursor.findBusDevice(d.bus!, d.name)?.devpath, `step ${step} ${d.devpath}`).toBe(held?.devpath);
      }
    }
  });

  // explain reads the bus's drivers through the cursor's derived index (busDrivers): after a jump
  // through a checkpoint it must say what a cursor that walked there one event at a time says
  for (const [name, scenario] of [['auxiliary', getBuiltinScenario('auxiliary')], ['1,000 devices', pinnedScenario(1000)]] as const) {
    it(`${name}: explain at random steps equals a fresh simulation's`, () => {
      const jumping = new Simulation(scenario);
      const last = jumping.lastStep;
      jumping.stateAt(last);
      let seed = 11;
      const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff) / 0x7fffffff);
      const devpaths = jumping.stateAt(last).devices.map((d) => d.devpath);
      for (let i = 0; i < 12; i++) {
        const step = Math.floor(rnd() * last);
        const dev = devpaths[Math.floor(rnd() * devpaths.length)]!;
        const fresh = new Simulation(scenario);
        expect(jumping.explain(step, dev), `step ${step} ${dev}`).toEqual(fresh.explain(step, dev));
      }
    }, 60_000);
  }
});
