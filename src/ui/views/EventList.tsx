import { useEffect, useLayoutEffect, useRef } from 'react';
import { Breakable as B } from '../Breakable';
import type { TraceEvent } from '../../engine/api';
import { missingPages, rowAt, type Pages } from '../pages';
import { Spacer, useRowWindow } from './Windowed';

interface Props {
  /** how many events the run has */
  count: number;
  /** the pages of them the store holds (pages.ts) */
  pages: Pages<TraceEvent>;
  step: number;
  onJump(step: number): void;
  /** rows [from, to) are rendered: their events are wanted */
  onNeed(from: number, to: number): void;
}

/**
 * The run's events, one sentence each with its kernel citation; click to jump there. One tab
 * stop: the current event. A long run's list is windowed (Windowed.tsx): only the rows in view,
 * whose events the store fetches from the worker as pages (a row waiting for its page shows
 * its number).
 */
export function EventList({ count, pages, step, onJump, onNeed }: Props) {
  const current = useRef<HTMLLIElement>(null);
  const list = useRef<HTMLOListElement>(null);
  // the current event in view: the window moves to it in the same render (Windowed.tsx)
  const w = useRowWindow(count, list, 20, Math.max(0, step));
  const missing = missingPages(pages, w.first, w.end, count).length > 0;
  useEffect(() => {
    if (missing) onNeed(w.first, w.end);
  }, [missing, w.first, w.end, onNeed]);
  // before paint, as the window's own scroll: one frame, one scroll
  useLayoutEffect(() => {
    // the panel's own scroll only (scrollIntoView also lays out and scrolls every ancestor)
    const row = current.current;
    const box = row?.closest('.bs-tabpanel');
    if (!row || !box) return;
    const top = row.getBoundingClientRect().top - box.getBoundingClientRect().top;
    if (top < 0) box.scrollTop += top;
    else if (top + row.offsetHeight > box.clientHeight) box.scrollTop += top + row.offsetHeight - box.clientHeight;
  }, [step, w.first]);
  // the list's one tab stop: the current event, or the first row rendered when it is scrolled
  // out of a windowed list
  let tabStop = step < 0 ? 0 : step;
  if (tabStop < w.first || tabStop >= w.end) tabStop = w.first;
  const shown = Array.from({ length: Math.max(0, w.end - w.first) }, (_, k) => rowAt(pages, w.first + k) ?? w.first + k);
  return (
    // the number column as wide as the run's largest number (a 100k-device run has seven digits)
    <ol className="bs-events" data-testid="event-list" aria-label="Events" ref={list} style={{ '--bs-ev-no': `${String(count).length + 1}ch` } as React.CSSProperties}>
      {w.windowed && <Spacer height={w.padTop} />}
      {shown.map((e) => typeof e === 'number' ? (
        // its page is on its way from the worker
        <li key={e} className="bs-ev bs-ev--pending" aria-busy="true" aria-posinset={w.windowed ? e + 1 : undefined} aria-setsize={w.windowed ? count : undefined}>
          <button type="button" tabIndex={e === tabStop ? 0 : -1} onClick={() => onJump(e)}>
            <span className="bs-ev__no">{e + 1}</span> …
          </button>
        </li>
      ) : (
        <li
          key={e.index}
          ref={e.index === step ? current : undefined}
          className={`bs-ev${e.index === step ? ' bs-ev--current' : ''}${e.index > step ? ' bs-ev--future' : ''}${e.errno ? ' bs-ev--error' : ''}`}
          aria-current={e.index === step ? 'step' : undefined}
          aria-posinset={w.windowed ? e.index + 1 : undefined}
          aria-setsize={w.windowed ? count : undefined}
        >
          <button
            type="button"
            // one tab stop for the whole list (the current event): ← → and the timeline move through it
            tabIndex={e.index === tabStop ? 0 : -1}
            onClick={() => onJump(e.index)}
            style={{ paddingLeft: `${0.3 + Math.min(e.depth, 8) * 0.8}rem` }}>
            <span className="bs-ev__no">{e.index + 1}</span>
            <span className={`bs-kind bs-kind--${e.kind}`}>{e.kind}</span> <B text={e.text} />
            <span className="bs-cite"> — <B text={e.cite} /></span>
          </button>
        </li>
      ))}
      {w.windowed && <Spacer height={w.padBottom} />}
    </ol>
  );
}
