/**
 * Copy-on-write storage for the timeline's cursor: tables, indexes and views whose whole
 * contents can be kept at a checkpoint and put back in time independent of how much differs.
 *
 * Every key gets a small integer id the first time the cursor sees it (`Registry`, shared by the
 * tables keyed alike: a device's record, view and sysfs entries). Values live in chunks of
 * CHUNK slots. `CowStore.freeze()` keeps the chunk arrays as they are and starts a new epoch; the
 * first write to a chunk in the new epoch copies that chunk, so a checkpoint costs the chunks
 * written since the previous one, not the state. `thaw(frozen)` puts a checkpoint's chunk
 * arrays back: a restore costs the number of chunks, whatever the distance in the trace.
 *
 * Iteration is in id order: the order keys were first seen. The cursor first walks the journal
 * forward from the empty state, so that is the order the live run first inserted them (what a
 * Map of the live state iterates in while no key is deleted and added again). Only the cursor
 * uses this storage: the run itself keeps Maps (its iteration order is the kernel's klist order).
 */

import { LazyIndex, MultiMap, type IndexMap, type IndexName, type StateStorage, type Table } from '../core/state';

/** slots per chunk */
const CHUNK = 128;
const SHIFT = 7;
const MASK = CHUNK - 1;

/** key → id, append-only */
export class Registry {
  readonly ids = new Map<string, number>();
  readonly keys: string[] = [];
  id(key: string): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.keys.length;
      this.ids.set(key, id);
      this.keys.push(key);
    }
    return id;
  }
}

interface Frozen {
  chunks: unknown[][];
  size: number;
}

interface Versioned {
  freeze(): Frozen;
  thaw(f: Frozen): void;
}

/** what a checkpoint keeps: each structure's chunk arrays */
export type FrozenStore = Frozen[];

/** the epoch clock and the structures frozen and thawed together */
export class CowStore {
  epoch = 0;
  private readonly members: Versioned[] = [];

  register<T extends Versioned>(m: T): T {
    this.members.push(m);
    return m;
  }

  table<V>(registry = new Registry()): CowTable<V> {
    return this.register(new CowTable<V>(this, registry));
  }

  multiMap(registry = new Registry()): CowMultiMap {
    return new CowMultiMap(this.table<string | Bucket>(registry), this);
  }

  set(registry = new Registry()): CowSet {
    return new CowSet(this.table<true>(registry));
  }

  /** keep every structure as it is now; the next writes copy what they change */
  freeze(): FrozenStore {
    const out = this.members.map((m) => m.freeze());
    this.epoch++;
    return out;
  }

  /** put every structure back as it was when `f` was frozen */
  thaw(f: FrozenStore): void {
    this.members.forEach((m, i) => m.thaw(f[i]!));
    this.epoch++;
  }
}

/** a Map<string, V> whose contents a CowStore can keep and put back */
export class CowTable<V> implements Map<string, V> {
  private chunks: (V | undefined)[][] = [];
  /** the epoch each chunk was copied in: a chunk of an older epoch is shared with a checkpoint */
  private owned: number[] = [];
  private count = 0;

  constructor(private readonly store: CowStore, readonly registry: Registry) {}

  get size(): number {
    return this.count;
  }

  get(key: string): V | undefined {
    const id = this.registry.ids.get(key);
    return id === undefined ? undefined : this.chunks[id >> SHIFT]?.[id & MASK];
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** the value of the key with registry id `id` (no hashing: for walks over a registry's ids) */
  byId(id: number): V | undefined {
    return this.chunks[id >> SHIFT]?.[id & MASK];
  }

  set(key: string, v: V): this {
    if (v === undefined) this.delete(key);
    else this.setById(this.registry.id(key), v);
    return this;
  }

  /** set the value of the key with registry id `id` (no hashing: for walks over a registry's ids) */
  setById(id: number, v: V): void {
    const c = this.writable(id >> SHIFT);
    if (c[id & MASK] === undefined) this.count++;
    c[id & MASK] = v;
  }

  /** each value with its key's registry id, in id order */
  forEachId(fn: (value: V, id: number) => void): void {
    for (let c = 0; c < this.chunks.length; c++) {
      const chunk = this.chunks[c]!;
      for (let i = 0; i < CHUNK; i++) {
        const v = chunk[i];
        if (v !== undefined) fn(v, (c << SHIFT) | i);
      }
    }
  }

  delete(key: string): boolean {
    const id = this.registry.ids.get(key);
    if (id === undefined || this.chunks[id >> SHIFT]?.[id & MASK] === undefined) return false;
    this.writable(id >> SHIFT)[id & MASK] = undefined;
    this.count--;
    return true;
  }

  clear(): void {
    this.chunks = [];
    this.owned = [];
    this.count = 0;
  }

  private writable(c: number): (V | undefined)[] {
    let chunk = this.chunks[c];
    if (chunk === undefined) {
      while (this.chunks.length <= c) {
        this.chunks.push(new Array<V | undefined>(CHUNK).fill(undefined));
        this.owned.push(this.store.epoch);
      }
      return this.chunks[c]!;
    }
    if (this.owned[c] !== this.store.epoch) {
      chunk = chunk.slice();
      this.chunks[c] = chunk;
      this.owned[c] = this.store.epoch;
    }
    return chunk;
  }

  freeze(): Frozen {
    return { chunks: this.chunks.slice(), size: this.count };
  }

  thaw(f: Frozen): void {
    this.chunks = f.chunks.slice() as (V | undefined)[][];
    // every chunk is now shared with the checkpoint: the next write to it copies it
    this.owned = new Array<number>(this.chunks.length).fill(-1);
    this.count = f.size;
  }

  *entries(): MapIterator<[string, V]> {
    const keys = this.registry.keys;
    for (let c = 0; c < this.chunks.length; c++) {
      const chunk = this.chunks[c]!;
      for (let i = 0; i < CHUNK; i++) {
        const v = chunk[i];
        if (v !== undefined) yield [keys[(c << SHIFT) | i]!, v];
      }
    }
  }

  *keys(): MapIterator<string> {
    for (const [k] of this.entries()) yield k;
  }

  *values(): MapIterator<V> {
    for (const chunk of this.chunks) for (let i = 0; i < CHUNK; i++) if (chunk[i] !== undefined) yield chunk[i]!;
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }

  /** in the order entries() gives, with no generator: a generator allocates its result objects per entry (a jump walked ~20k drivers this way) */
  forEach(fn: (value: V, key: string, map: Map<string, V>) => void): void {
    const keys = this.registry.keys;
    this.forEachId((v, id) => fn(v, keys[id]!, this));
  }

  get [Symbol.toStringTag](): string {
    return 'CowTable';
  }
}

/** a MultiMap key's members when there are several: copied before the first change in an epoch */
interface Bucket {
  epoch: number;
  members: Set<string>;
}

/**
 * key → members (core/state.ts MultiMap's contract) on a CowTable: a key with one member holds
 * it bare, several are a Set copied the first time it changes after a freeze.
 */
export class CowMultiMap implements IndexMap {
  constructor(private readonly table: CowTable<string | Bucket>, private readonly store: CowStore) {}

  add(key: string, v: string): void {
    const x = this.table.get(key);
    if (x === undefined) this.table.set(key, v);
    else if (typeof x === 'string') {
      if (x !== v) this.table.set(key, { epoch: this.store.epoch, members: new Set([x, v]) });
    } else if (!x.members.has(v)) this.own(key, x).add(v);
  }

  delete(key: string, v: string): void {
    const x = this.table.get(key);
    if (x === undefined) return;
    if (typeof x === 'string') {
      if (x === v) this.table.delete(key);
      return;
    }
    if (!x.members.has(v)) return;
    if (x.members.size === 2) {
      for (const m of x.members) if (m !== v) this.table.set(key, m);
      return;
    }
    this.own(key, x).delete(v);
  }

  get(key: string): Iterable<string> {
    const x = this.table.get(key);
    return x === undefined ? NONE : typeof x === 'string' ? [x] : x.members;
  }

  raw(key: string): string | Iterable<string> | undefined {
    const x = this.table.get(key);
    return x === undefined || typeof x === 'string' ? x : x.members;
  }

  count(key: string): number {
    const x = this.table.get(key);
    return x === undefined ? 0 : typeof x === 'string' ? 1 : x.members.size;
  }

  clear(): void {
    this.table.clear();
  }

  /** the bucket's set, copied first when a checkpoint shares it */
  private own(key: string, b: Bucket): Set<string> {
    if (b.epoch === this.store.epoch) return b.members;
    const copy = { epoch: this.store.epoch, members: new Set(b.members) };
    this.table.set(key, copy);
    return copy.members;
  }
}

/** a Set<string> on a CowTable (members in first-seen order) */
export class CowSet implements Set<string> {
  constructor(private readonly table: CowTable<true>) {}
  get size(): number {
    return this.table.size;
  }
  has(v: string): boolean {
    return this.table.has(v);
  }
  add(v: string): this {
    this.table.set(v, true);
    return this;
  }
  delete(v: string): boolean {
    return this.table.delete(v);
  }
  clear(): void {
    this.table.clear();
  }
  *values(): SetIterator<string> {
    yield* this.table.keys();
  }
  keys(): SetIterator<string> {
    return this.values();
  }
  *entries(): SetIterator<[string, string]> {
    for (const v of this.table.keys()) yield [v, v];
  }
  [Symbol.iterator](): SetIterator<string> {
    return this.values();
  }
  forEach(fn: (value: string, key: string, set: Set<string>) => void): void {
    for (const v of this.table.keys()) fn(v, v, this);
  }
  get [Symbol.toStringTag](): string {
    return 'CowSet';
  }
}

const NONE: readonly string[] = Object.freeze([]);

/**
 * An index the cursor throws away at a restore and derives again from the tables when it is next
 * read (core/state.ts StateStorage): for indexes with few large buckets (a bus's devices), which
 * copy-on-write buckets would copy whole at every checkpoint. While thrown away, changes to it
 * are not kept: deriving it reads the tables as they are then.
 */
export class DerivedIndex extends LazyIndex {
  freeze(): Frozen {
    return NO_FROZEN;
  }
  thaw(): void {
    this.stale = true;
    this.index.clear();
  }
}
const NO_FROZEN: Frozen = { chunks: [], size: 0 };

/**
 * The cursor's state storage: tables and most indexes copy-on-write, keyed through registries
 * that its views share (a device's record, view and sysfs entries have one id); a bus's devices
 * and drivers derived again after a restore.
 */
export class CursorStorage implements StateStorage {
  readonly store = new CowStore();
  readonly registries: Record<Exclude<Table, 'misc'>, Registry> = {
    devices: new Registry(), drivers: new Registry(), modules: new Registry(), buses: new Registry(), files: new Registry(),
  };

  table<V>(t: Exclude<Table, 'misc'>): Map<string, V> {
    return this.store.table<V>(this.registries[t]);
  }

  index(name: IndexName, derive: (into: IndexMap) => void): IndexMap {
    switch (name) {
      case 'busDevices':
      case 'busDrivers':
        return this.store.register(new DerivedIndex(derive));
      case 'boundBy':
        return this.store.multiMap(this.registries.drivers);
      case 'moduleDrivers':
        return this.store.multiMap(this.registries.modules);
      // read by the driver core's own code (a sysfs store naming a device), never by the views:
      // derived when something first reads it rather than kept through every walk
      case 'byName':
      case 'children':
        return this.store.register(new DerivedIndex(derive));
    }
  }

  deferredSet(): Set<string> {
    return this.store.set(this.registries.devices);
  }
}
