/**
 * The UI's few pages of a run's trace (the trace stays in the worker: protocol.ts RunHead).
 * The event list asks for the rows it renders; the store fetches the pages missing and keeps
 * up to PAGES_KEPT of them, dropping the oldest first but never one in use. Pure; unit-tested.
 */
import type { TraceEvent } from '../engine/api';

/** events a page */
export const PAGE = 128;
/** pages kept (a few windows of the event list) */
export const PAGES_KEPT = 24;

export interface EventPages {
  /** page number → its events, oldest first (insertion order) */
  pages: ReadonlyMap<number, readonly TraceEvent[]>;
}

export const NO_PAGES: EventPages = { pages: new Map() };

/** the pages holding events [from, to) of a `count`-event run */
export function pagesFor(from: number, to: number, count: number): number[] {
  const a = Math.max(0, Math.floor(from));
  const b = Math.min(count, Math.ceil(to));
  if (b <= a) return [];
  const out: number[] = [];
  for (let p = Math.floor(a / PAGE); p <= Math.floor((b - 1) / PAGE); p++) out.push(p);
  return out;
}

/** event i when its page is held */
export function eventAt(cache: EventPages, i: number): TraceEvent | undefined {
  return cache.pages.get(Math.floor(i / PAGE))?.[i % PAGE];
}

/** runs of consecutive page numbers (ascending input), as [first, last] */
export function pageRuns(pages: readonly number[]): [number, number][] {
  const runs: [number, number][] = [];
  for (const p of pages) {
    const last = runs[runs.length - 1];
    if (last && last[1] === p - 1) last[1] = p;
    else runs.push([p, p]);
  }
  return runs;
}

/**
 * The cache with `added` pages in (a page given again moves to the newest), then the oldest
 * dropped down to PAGES_KEPT, except the pages in `inUse`.
 */
export function withPages(cache: EventPages, added: readonly [number, readonly TraceEvent[]][], inUse: readonly number[], kept = PAGES_KEPT): EventPages {
  const pages = new Map(cache.pages);
  for (const [p, events] of added) {
    pages.delete(p);
    pages.set(p, events);
  }
  const keep = new Set(inUse);
  for (const p of [...pages.keys()]) {
    if (pages.size <= kept) break;
    if (!keep.has(p)) pages.delete(p);
  }
  return { pages };
}
