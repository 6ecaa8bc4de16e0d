import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../engine/api';
import { NO_PAGES, PAGE, eventAt, pageRuns, pagesFor, withPages } from './eventPages';

const page = (p: number): TraceEvent[] =>
  Array.from({ length: PAGE }, (_, k) => ({ index: p * PAGE + k, kind: 'phase', text: `e${p * PAGE + k}`, cite: '', depth: 0, touches: {} }));

describe('event pages', () => {
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
    expect(eventAt(c, PAGE + 3)?.text).toBe(`e${PAGE + 3}`);
    expect(eventAt(c, 3)).toBeUndefined();
    expect(eventAt(c, 2 * PAGE)).toBeUndefined();
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
});
