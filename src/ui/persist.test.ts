/** Where the editor text is kept: localStorage, IndexedDB past the quota, a warning when neither works. */
import { describe, expect, it } from 'vitest';
import { createTextPersistence, type BlobStore } from './persist';

const KEY = 'bindscope.editor.text';

/** a localStorage with a quota in characters */
function fakeLocal(quota = Infinity) {
  const m = new Map<string, string>();
  return {
    m,
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => {
      const used = [...m].filter(([key]) => key !== k).reduce((n, [key, val]) => n + key.length + val.length, 0);
      if (used + k.length + v.length > quota) throw new DOMException('quota', 'QuotaExceededError');
      m.set(k, v);
    },
    removeItem: (k: string) => void m.delete(k),
  };
}
const memBlobs = (fail = false): BlobStore & { m: Map<string, string> } => {
  const m = new Map<string, string>();
  return {
    m,
    get: async (k) => { if (fail) throw new Error('broken'); return m.get(k); },
    put: async (k, v) => { if (fail) throw new Error('IndexedDB is full'); m.set(k, v); },
    delete: async (k) => void m.delete(k),
  };
};
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('editor text persistence', () => {
  it('small text lives in localStorage', async () => {
    const local = fakeLocal();
    const p = createTextPersistence(local, memBlobs(), [KEY]);
    p.setItem(KEY, '{"id": "a"}');
    expect(local.m.get(KEY)).toBe('{"id": "a"}');
    expect(p.status()).toEqual({ state: 'saved', message: null });
  });
  it('past the localStorage quota the text goes to IndexedDB, and the next visit reads it back', async () => {
    const local = fakeLocal(1000);
    const blobs = memBlobs();
    const p = createTextPersistence(local, blobs, [KEY]);
    const big = 'x'.repeat(5000);
    p.setItem(KEY, big);
    await settle();
    expect(p.status().state).toBe('saved-indexeddb');
    expect(blobs.m.get(KEY)).toBe(big);
    const next = createTextPersistence(local, blobs, [KEY]);
    await next.init();
    expect(next.getItem(KEY)).toBe(big);
  });
  it('when neither can take it, the text stays in memory and the status asks for a download', async () => {
    const p = createTextPersistence(fakeLocal(10), memBlobs(true), [KEY]);
    p.setItem(KEY, 'y'.repeat(100));
    await settle();
    expect(p.getItem(KEY)).toBe('y'.repeat(100));
    expect(p.status()).toMatchObject({ state: 'unsaved', message: expect.stringMatching(/could not be saved .*download it/) });
  });
  it('an IndexedDB text that cannot be read back is set aside with a message, not dropped silently', async () => {
    const local = fakeLocal();
    local.setItem(`${KEY}.where`, 'indexeddb');
    const p = createTextPersistence(local, memBlobs(true), [KEY]);
    await p.init();
    expect(p.status()).toMatchObject({ state: 'unsaved', message: expect.stringMatching(/could not be read back .*set aside/) });
    expect([...local.m.keys()].some((k) => k.startsWith(`${KEY}.unreadable-`))).toBe(true);
    expect(local.m.has(`${KEY}.where`)).toBe(false);
  });
});
