/**
 * The UI's few pages of a run's long lists, which stay in the worker (protocol.ts RunHead,
 * UiSnapshot): the trace's events, and the lines of the udevadm monitor and dmesg texts. A
 * windowed view asks for the rows it renders; the store fetches the pages missing and keeps up
 * to PAGES_KEPT of each list, dropping the oldest first but never one in use. One mechanism for
 * every list (store.ts loadRows). Pure; unit-tested.
 *
 * The event list is the run's, whole at every step. The monitor and dmesg texts grow as the
 * run goes on (each is a prefix of the next step's), so a page fetched at one step holds the
 * same rows at any other, as far as it goes: its last page may be short, and is fetched again
 * when a later step has more rows in it (`missingPages`).
 */

/** rows a page */
export const PAGE = 128;
/** pages kept (a few windows of a list) */
export const PAGES_KEPT = 24;

export interface Pages<T> {
  /** page number → its rows, oldest first (insertion order) */
  pages: ReadonlyMap<number, readonly T[]>;
}

export const NO_PAGES: Pages<never> = { pages: new Map() };

/** the pages holding rows [from, to) of a `count`-row list */
export function pagesFor(from: number, to: number, count: number): number[] {
  const a = Math.max(0, Math.floor(from));
  const b = Math.min(count, Math.ceil(to));
  if (b <= a) return [];
  const out: number[] = [];
  for (let p = Math.floor(a / PAGE); p <= Math.floor((b - 1) / PAGE); p++) out.push(p);
  return out;
}

/** the rows of `count` that page p holds when whole */
const rowsOf = (p: number, count: number) => Math.max(0, Math.min(PAGE, count - p * PAGE));

/**
 * The pages of rows [from, to) of a `count`-row list not held in full: absent, or holding fewer
 * of its rows than the list now has (a growing list's last page, fetched when it was shorter).
 */
export function missingPages<T>(cache: Pages<T>, from: number, to: number, count: number): number[] {
  return pagesFor(from, to, count).filter((p) => (cache.pages.get(p)?.length ?? -1) < rowsOf(p, count));
}

/** row i when its page holds it */
export function rowAt<T>(cache: Pages<T>, i: number): T | undefined {
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
 * The cache with `added` pages in (a page given again moves to the newest; a page shorter than
 * the one held is ignored: an answer for an earlier step of a growing list), then the oldest
 * dropped down to `kept`, except the pages in `inUse`.
 */
export function withPages<T>(cache: Pages<T>, added: readonly [number, readonly T[]][], inUse: readonly number[], kept = PAGES_KEPT): Pages<T> {
  const pages = new Map(cache.pages);
  for (const [p, rows] of added) {
    const held = pages.get(p);
    pages.delete(p);
    pages.set(p, held && held.length > rows.length ? held : rows);
  }
  const keep = new Set(inUse);
  for (const p of [...pages.keys()]) {
    if (pages.size <= kept) break;
    if (!keep.has(p)) pages.delete(p);
  }
  return { pages };
}
