import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../engine/api';
import { NO_PAGES, PAGE, missingPages, rowAt, pageRuns, pagesFor, withPages, type Pages } from './pages';

const page = (p: number): TraceEvent[] =>
  Array.from({ length: PAGE }, (_, k) => ({ index: p * PAGE + k, kind: 'phase', text: `e${p * PAGE + k}`, cite: '', depth: 0, touches: {} }));

describe('list pages', () => {
  it('names the pages a range of rows needs, clipped to the run', () => {
    expect(pagesFor(0, 1, 10)).toEqual([0]);
    expect(pagesFor(PAGE - 1, PAGE + 1, 10 * PAGE)).toEqual([0, 1]);
    expect(pagesFor(-50, 3 * PAGE, 2 * PAGE + 5)).toEqual([0, 1, 2]);
    expect(pagesFor(5, 5, 100)).toEqual([]);
    expect(pagesFor(0, 10, 0)).toEqual([]);
  });

  it('groups consecutive pages into runs (one worker call each)', () => {
    expect(pageRuns([0, 1, 2, 5, 7, 8])).toEqual([[0, 2], [5, 5], [7, 8]]);
    expect(pageRuns([])).toEqual([]);
  });

  it('finds an event in its page, and nothing where no page is held', () => {
    const c = withPages(NO_PAGES, [[1, page(1)]], []);
    expect(rowAt(c, PAGE + 3)?.text).toBe(`e${PAGE + 3}`);
    expect(rowAt(c, 3)).toBeUndefined();
    expect(rowAt(c, 2 * PAGE)).toBeUndefined();
  });

  it('drops the oldest pages past the limit, never one in use, and a page given again is the newest', () => {
    let c = withPages(NO_PAGES, [[0, page(0)], [1, page(1)], [2, page(2)]], [], 3);
    c = withPages(c, [[0, page(0)]], [], 3); // 0 again: now 1 is the oldest
    c = withPages(c, [[3, page(3)]], [3], 3);
    expect([...c.pages.keys()]).toEqual([2, 0, 3]);
    // 2 and 0 in use: the limit gives way rather than drop what is shown
    c = withPages(c, [[4, page(4)]], [2, 0, 4], 3);
    expect([...c.pages.keys()]).toEqual([2, 0, 4]);
    c = withPages(c, [[5, page(5)]], [2, 0, 4, 5], 3);
    expect([...c.pages.keys()].sort()).toEqual([0, 2, 4, 5]);
  });

  it('a growing list: a short last page is missing again once the list has more rows in it, and kept when the list is shorter', () => {
    const lines = (n: number) => Array.from({ length: n }, (_, i) => `l${i}`);
    // fetched at a step with PAGE + 10 lines: page 1 holds 10
    let c: Pages<string> = withPages(NO_PAGES, [[0, lines(PAGE)], [1, lines(PAGE + 10).slice(PAGE)]], []);
    expect(missingPages(c, 0, 2 * PAGE, PAGE + 10)).toEqual([]);
    // a later step has 30 lines in page 1: it is fetched again, page 0 is not
    expect(missingPages(c, 0, 2 * PAGE, PAGE + 30)).toEqual([1]);
    // an earlier step has fewer: what is held covers it (the rows are the same: the list only grows)
    expect(missingPages(c, 0, 2 * PAGE, PAGE + 3)).toEqual([]);
    expect(missingPages(c, 0, 2 * PAGE, 5)).toEqual([]);
    // a late answer for an earlier step (shorter) does not replace the longer page held
    c = withPages(c, [[1, lines(PAGE + 30).slice(PAGE)]], []);
    c = withPages(c, [[1, lines(PAGE + 4).slice(PAGE)]], []);
    expect(c.pages.get(1)).toHaveLength(30);
    expect(rowAt(c, PAGE + 29)).toBe(`l${PAGE + 29}`);
    // a list that is whole (the trace's events): a page is missing only when absent
    expect(missingPages(withPages(NO_PAGES, [[0, page(0)]], []), 0, 3 * PAGE, 3 * PAGE)).toEqual([1, 2]);
  });
});
