/** The trace's storage columns (core/state.ts): they read back what was pushed, across their chunks and growths. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ByteColumn, ChunkedList, IntColumn } from '../core/state';

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
    const b = new ByteColumn(1);
    for (let i = 0; i < 600; i++) b.push(i & 255);
    expect(b.at(599)).toBe(599 & 255);
    expect(() => b.push(256)).toThrow(RangeError);
    expect(() => b.push(-1)).toThrow(RangeError);
  });
});
