/** The trace's storage (core/state.ts): columns read back what was pushed, across their chunks and growths; device versions read as their records. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ByteColumn, ChunkedList, IntColumn, deviceRecord, type DeviceRec } from '../core/state';

describe('the storage columns', () => {
  it('a ChunkedList reads back every entry and any slice, across its 64k chunks', () => {
    const list = new ChunkedList<string>();
    const want: string[] = [];
    for (let i = 0; i < 3 * 65536 + 17; i++) {
      const v = `v${i}`;
      list.push(v);
      want.push(v);
    }
    expect(list.length).toBe(want.length);
    for (const i of [0, 65535, 65536, 65537, 131071, 131072, want.length - 1]) expect(list.at(i)).toBe(want[i]);
    fc.assert(fc.property(fc.integer({ min: 0, max: want.length }), fc.integer({ min: 0, max: 70000 }), (from, len) => {
      const to = Math.min(want.length, from + len);
      expect(list.slice(from, to)).toEqual(want.slice(from, to));
    }), { numRuns: 50 });
  });

  it('an IntColumn and a ByteColumn keep their values as they grow; a ByteColumn refuses what a byte cannot hold', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { maxLength: 5000 }), (xs) => {
      const c = new IntColumn(1);
      for (const x of xs) c.push(x);
      expect(c.length).toBe(xs.length);
      xs.forEach((x, i) => expect(c.at(i)).toBe(x));
    }), { numRuns: 50 });
    // across the 64k chunks, and the first chunk's doublings before them
    const big = new IntColumn(1);
    const n = 3 * 65536 + 17;
    for (let i = 0; i < n; i++) big.push(i * 7 - 300000);
    expect(big.length).toBe(n);
    for (const i of [0, 15, 16, 1023, 1024, 65535, 65536, 65537, 131071, 131072, n - 1]) expect(big.at(i)).toBe(i * 7 - 300000);
    for (let i = 0; i < n; i += 997) expect(big.at(i)).toBe(i * 7 - 300000);
    const b = new ByteColumn(1);
    for (let i = 0; i < 600; i++) b.push(i & 255);
    expect(b.at(599)).toBe(599 & 255);
    expect(() => b.push(256)).toThrow(RangeError);
    expect(() => b.push(-1)).toThrow(RangeError);
  });
});

describe('device record versions', () => {
  const base: DeviceRec = {
    devpath: '/devices/platform/x', name: 'x', baseName: 'x', bus: 'platform', cls: null, parent: null, driver: null,
    driverOverride: null, ofNode: '/soc/x', ofReused: false, acpiHid: null, order: 3, boundOrder: 0, devres: [],
    devmOwner: null, createdBy: 'kernel', pmNotRequired: false, platformId: -1, idAuto: false, idaId: null, ids: null,
    faux: null, deferred: false, deferReason: null, isRoot: false, fwnode: null, deleting: false, modalias: null,
  };
  const read = (d: DeviceRec) => Object.fromEntries(Object.keys(base).map((k) => [k, d[k as keyof DeviceRec]]));
  const change = fc.record({
    driver: fc.option(fc.constantFrom('platform/a', 'platform/b'), { nil: undefined }),
    driverOverride: fc.option(fc.option(fc.constant('a'), { nil: null }), { nil: undefined }),
    boundOrder: fc.option(fc.nat(), { nil: undefined }),
    deferred: fc.option(fc.boolean(), { nil: undefined }),
    deferReason: fc.option(fc.option(fc.string({ maxLength: 5 }), { nil: null }), { nil: undefined }),
    deleting: fc.option(fc.boolean(), { nil: undefined }),
    name: fc.option(fc.constantFrom('x', 'y'), { nil: undefined }),
  }, { requiredKeys: [] });

  it('reads as the record with each change applied (undefined keeps a field), whatever the chain of versions', () => {
    fc.assert(fc.property(fc.array(change, { maxLength: 8 }), (changes) => {
      let want: Record<string, unknown> = read(base);
      let d = deviceRecord(base);
      for (const c of changes) {
        d = deviceRecord(d, c);
        want = { ...want, ...Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)) };
        expect(read(d)).toEqual(want);
      }
    }), { numRuns: 300 });
  });
});
