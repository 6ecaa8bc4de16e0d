/**
 * Windowing for the long lists of the bottom panel (events, udevadm monitor, dmesg): a
 * list of WINDOW_FROM rows or more renders only the rows in view of its scroll container (plus
 * a margin), between two spacers that stand for the rows left out, so a 10k-device run's
 * 150,000 events cost a few dozen DOM rows. Shorter lists render whole, as before (every row in
 * the DOM: find in page, select all). Rows may wrap: the spacers use the rows' mean height as
 * measured, which is exact for the monospace views and close for the event list.
 * Hand-written (~100 lines) rather than a dependency: one fixed scroll container, no grids.
 */
import { useCallback, useEffect, useLayoutEffect, useReducer, useRef, useState, type ReactNode, type RefObject } from 'react';
import { missingPages, rowAt, type Pages } from '../pages';

/** lists at least this long are windowed */
export const WINDOW_FROM = 400;
/**
 * rows rendered above and below the visible ones: twice as many as are in view, between 10 and
 * 30 (a short panel, 4–5 rows tall, renders 25 rows rather than 65: a jump lays out and paints
 * each of them in the frame the next step waits for)
 */
const overscan = (view: { height: number }, h: number) => Math.min(30, Math.max(10, 2 * Math.ceil(view.height / h)));

export interface RowWindow {
  /** first and last (exclusive) row rendered */
  first: number;
  end: number;
  padTop: number;
  padBottom: number;
  windowed: boolean;
  /** scrolls so that row i is in view (rendering it) */
  reveal(i: number): void;
}

/** the rows rendered for a view: those in it and overscan more on each side */
function rowRange(view: { top: number; height: number }, h: number, count: number): [number, number] {
  const more = overscan(view, h);
  const first = Math.max(0, Math.min(count - 1, Math.floor(view.top / h) - more));
  return [first, Math.min(count, first + Math.ceil(view.height / h) + 2 * more)];
}

function scrollerOf(el: HTMLElement | null): HTMLElement | null {
  for (let p = el?.parentElement ?? null; p; p = p.parentElement) {
    const o = getComputedStyle(p).overflowY;
    if (o === 'auto' || o === 'scroll') return p;
  }
  return null;
}

/**
 * Which rows of a `count`-row list to render. `list` is the element holding the rows (its
 * children between the spacers are the rows); `estimate`: a row's height before one is measured.
 * `focus`: a row to bring into view whenever it changes (the current event), centred when it is
 * out of view: the window moves to it in the same render and the scroll follows before paint,
 * rather than rendering the old window, scrolling, and rendering the new one on the scroll event
 * a frame later (at a jump across a 150,000-event list, that second render held up the next
 * step's answer by 20–50 ms).
 */
export function useRowWindow(count: number, list: RefObject<HTMLElement | null>, estimate: number, focus?: number): RowWindow {
  const windowed = count >= WINDOW_FROM;
  /**
   * The view the rows are rendered for. A ref, not state: a new focus moves it in the render
   * that shows the focus, and a scroll or resize moves it (and renders) only when the rows in
   * view are no longer all rendered. (As state, set during render for the focus and with an
   * updater from the scroll handler, a jump's new window could be followed by a render of the
   * window before it, then the scroll handler's render of the new one, a frame later: at 10k
   * devices that extra render and layout sat between a jump and the next step's answer.)
   */
  const view = useRef({ top: 0, height: 600 });
  /** where the scroller was last seen */
  const seen = useRef(view.current);
  const countRef = useRef(count);
  countRef.current = count;
  const rowH = useRef(estimate);
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const [measures, remeasured] = useState(0);
  /** the focus row as last committed (a change of it moves the view; a re-render alone does not) */
  const shownFocus = useRef<number | undefined>(undefined);

  useEffect(() => {
    if (!windowed) return;
    const scroller = scrollerOf(list.current);
    if (!scroller) return;
    const update = () => {
      const offset = list.current ? list.current.getBoundingClientRect().top - scroller.getBoundingClientRect().top + scroller.scrollTop : 0;
      const next = { top: Math.max(0, scroller.scrollTop - offset), height: scroller.clientHeight };
      seen.current = next;
      // the rows in view still rendered, with half the overscan to spare: nothing new to render
      // (the scroll that follows a jump's own render, or a scroll by a few rows, renders nothing)
      const v = view.current;
      const h = rowH.current;
      const n = countRef.current;
      const [first, end] = rowRange(v, h, n);
      const top = Math.floor(next.top / h);
      const bottom = Math.ceil((next.top + next.height) / h);
      const spare = overscan(v, h) / 2;
      const covered = (first === 0 || top >= first + spare) && (end >= n || bottom <= end - spare);
      if (v.height === next.height && covered) return;
      view.current = next;
      rerender();
    };
    update();
    scroller.addEventListener('scroll', update, { passive: true });
    const ro = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(update);
    ro?.observe(scroller);
    return () => {
      scroller.removeEventListener('scroll', update);
      ro?.disconnect();
    };
  }, [windowed, list]);

  const h = rowH.current;
  // a new focus out of the view: the view moves to it now (the scroll itself follows in the layout effect)
  if (windowed && focus !== undefined && focus !== shownFocus.current) {
    const y = focus * h;
    const at = seen.current;
    if (y < at.top || y + h > at.top + at.height) {
      const top = Math.max(0, y - at.height / 2);
      if (Math.floor(top / h) !== Math.floor(view.current.top / h)) view.current = { top, height: at.height };
    }
  }
  const [first, end] = windowed ? rowRange(view.current, h, count) : [0, count];

  // the rows' mean height, as rendered (the spacers are the first child and the last): taken a
  // few times only, when it differs by more than 10% (rows that wrap differ from window to
  // window; re-measuring on every render would never settle), and only when other rows are
  // rendered (a measure forces a style and layout pass in the middle of the commit: on every
  // step of a long run, that was one more layout of the page)
  useLayoutEffect(() => {
    if (!windowed || !list.current || measures >= 3) return;
    const kids = list.current.children;
    if (kids.length <= 2) return;
    const a = (kids[1] as HTMLElement).getBoundingClientRect().top;
    const b = (kids[kids.length - 2] as HTMLElement).getBoundingClientRect().bottom;
    const mean = (b - a) / (kids.length - 2);
    if (mean > 0 && Math.abs(mean - rowH.current) > rowH.current * 0.1) {
      rowH.current = mean;
      remeasured((n) => n + 1);
    }
  }, [windowed, list, measures, first, end]);

  const reveal = useCallback(
    (i: number) => {
      if (!windowed) return;
      const scroller = scrollerOf(list.current);
      if (!scroller || !list.current) return;
      const offset = list.current.getBoundingClientRect().top - scroller.getBoundingClientRect().top + scroller.scrollTop;
      const y = offset + i * rowH.current;
      if (y < scroller.scrollTop || y + rowH.current > scroller.scrollTop + scroller.clientHeight)
        scroller.scrollTop = Math.max(0, y - scroller.clientHeight / 2);
    },
    // a new row height moves every row: reveal again (the caller's effect depends on reveal)
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [windowed, list, measures],
  );

  // the scroll that goes with a new focus (or a new row height), before the browser paints
  useLayoutEffect(() => {
    if (focus === undefined) return;
    shownFocus.current = focus;
    reveal(focus);
  }, [focus, reveal]);

  return { first, end, padTop: first * h, padBottom: Math.max(0, (count - end) * h), windowed, reveal };
}

/** a spacer standing for rows left out (inside a list or a pre) */
export function Spacer({ height, as = 'li' }: { height: number; as?: 'li' | 'div' }): ReactNode {
  const Tag = as;
  return <Tag aria-hidden="true" className="bs-spacer" style={{ height, listStyle: 'none' }} />;
}

/**
 * Lines of terminal text (udevadm monitor, dmesg) that stay in the worker: `count` lines, of
 * which the store holds some pages (pages.ts); the lines rendered are asked for (`onNeed`) and
 * one waiting for its page shows "…". Windowed when there are many; a short text is one <pre>
 * (find in page, select all), as before. `empty`: what shows when there are no lines yet.
 */
export function PagedLines({ count, pages, empty, onNeed, testId }: { count: number; pages: Pages<string>; empty: string; onNeed(from: number, to: number): void; testId?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const w = useRowWindow(count, ref, 15);
  const missing = missingPages(pages, w.first, w.end, count).length > 0;
  // asked again when pages land (or the count grows) and some are still missing: a page fetched
  // for an earlier step of the growing list may be short of this step's rows
  useEffect(() => {
    if (missing) onNeed(w.first, w.end);
  }, [missing, w.first, w.end, onNeed, pages, count]);
  if (count === 0) return <pre className="bs-term" data-testid={testId}>{empty}</pre>;
  const line = (i: number) => rowAt(pages, i);
  if (!w.windowed) {
    const text = Array.from({ length: count }, (_, i) => line(i) ?? '…').join('\n');
    return <pre className="bs-term" data-testid={testId} aria-busy={missing || undefined}>{text}</pre>;
  }
  const shown: ReactNode[] = [];
  for (let i = w.first; i < w.end; i++) {
    const l = line(i);
    shown.push(l === undefined ? <div key={i} className="bs-term__pending">…</div> : <div key={i}>{l || '\u00a0'}</div>);
  }
  return (
    <pre className="bs-term" data-testid={testId} aria-label={`${count} lines; the ones in view are shown`} aria-busy={missing || undefined}>
      <div ref={ref}>
        <Spacer as="div" height={w.padTop} />
        {shown}
        <Spacer as="div" height={w.padBottom} />
      </div>
    </pre>
  );
}
