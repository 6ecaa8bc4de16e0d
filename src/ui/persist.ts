/**
 * No lost work: where the editor's text is kept between visits. localStorage first; when it is
 * full (the quota) or blocked, IndexedDB, which holds far more; when both fail, the text stays in
 * memory and the status says so, so the UI can warn and offer a download. A saved text that
 * cannot be read back is set aside under another key with a message, never silently dropped.
 *
 * The store reads and writes through `getItem`/`setItem` synchronously (the Storage shape it
 * always used); `init()` loads whatever IndexedDB holds before the store is created.
 */

/** the asynchronous big-text store (IndexedDB in the browser, a Map in tests) */
export interface BlobStore {
  get(key: string): Promise<string | undefined>;
  put(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

export type SaveState = 'saved' | 'saved-indexeddb' | 'unsaved';
export interface PersistStatus {
  state: SaveState;
  /** one sentence for the user when something is not as expected, else null */
  message: string | null;
}

/** localStorage marker: the text lives in the blob store */
const WHERE = '.where';

export interface TextPersistence {
  init(): Promise<void>;
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  status(): PersistStatus;
  subscribe(listener: () => void): () => void;
}

/** `keys`: the items that may have been moved to IndexedDB (init() loads them back) */
export function createTextPersistence(local: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null, blobs: BlobStore | null, keys: string[]): TextPersistence {
  const cache = new Map<string, string>();
  let current: PersistStatus = { state: 'saved', message: null };
  const listeners = new Set<() => void>();
  const setStatus = (s: PersistStatus) => {
    current = s;
    for (const l of listeners) l();
  };
  let writes = Promise.resolve();

  const readLocal = (key: string): string | null => {
    try {
      return local?.getItem(key) ?? null;
    } catch {
      return null;
    }
  };

  return {
    async init() {
      for (const key of keys) {
        const where = readLocal(key + WHERE);
        if (where === 'indexeddb') {
          try {
            const v = await blobs?.get(key);
            if (typeof v !== 'string') throw new Error('no text in IndexedDB');
            cache.set(key, v);
            setStatus({ state: 'saved-indexeddb', message: null });
          } catch (e) {
            // set aside what is there, say so, and start clean
            const aside = `${key}.unreadable-${new Date().toISOString()}`;
            try {
              local?.setItem(aside, `the text saved in IndexedDB could not be read: ${(e as Error).message}`);
              local?.removeItem(key + WHERE);
            } catch {
              /* nothing more to do */
            }
            setStatus({ state: 'unsaved', message: `The editor text saved last time could not be read back from IndexedDB (${(e as Error).message}); it was set aside as "${aside}".` });
          }
        } else {
          const v = readLocal(key);
          if (v !== null) cache.set(key, v);
        }
      }
    },
    getItem: (key) => cache.get(key) ?? readLocal(key),
    setItem(key, value) {
      cache.set(key, value);
      try {
        if (!local) throw new Error('localStorage is not available');
        local.setItem(key, value);
        local.removeItem(key + WHERE);
        if (current.state !== 'saved') setStatus({ state: 'saved', message: null });
        return;
      } catch {
        // quota exceeded or blocked: IndexedDB next
      }
      writes = writes.then(async () => {
        try {
          if (!blobs) throw new Error('IndexedDB is not available');
          await blobs.put(key, value);
          try {
            local?.setItem(key + WHERE, 'indexeddb');
            local?.removeItem(key);
          } catch {
            /* the marker is small; if even it cannot be written, the next load falls back to localStorage's older text */
          }
          setStatus({ state: 'saved-indexeddb', message: null });
        } catch (e) {
          setStatus({ state: 'unsaved', message: `The editor text (${value.length.toLocaleString('en')} characters) could not be saved in this browser (${(e as Error).message}): download it to keep it.` });
        }
      });
    },
    status: () => current,
    subscribe(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
}

/** IndexedDB as a BlobStore: one database, one object store of strings by key */
export function indexedDbBlobs(factory: IDBFactory, name = 'bindscope'): BlobStore {
  const db = (): Promise<IDBDatabase> =>
    new Promise((resolve, reject) => {
      const req = factory.open(name, 1);
      req.onupgradeneeded = () => req.result.createObjectStore('texts');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error ?? new Error('IndexedDB open failed'));
    });
  const tx = async <T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> => {
    const d = await db();
    return new Promise<T>((resolve, reject) => {
      const t = d.transaction('texts', mode);
      const req = fn(t.objectStore('texts'));
      t.oncomplete = () => {
        d.close();
        resolve(req.result);
      };
      t.onerror = () => reject(t.error ?? new Error('IndexedDB transaction failed'));
      t.onabort = () => reject(t.error ?? new Error('IndexedDB transaction aborted'));
    });
  };
  return {
    get: (key) => tx('readonly', (s) => s.get(key) as IDBRequest<string | undefined>),
    put: async (key, value) => void (await tx('readwrite', (s) => s.put(value, key))),
    delete: async (key) => void (await tx('readwrite', (s) => s.delete(key))),
  };
}
