import { useLayoutEffect, useRef } from 'react';
import type { TraceEvent } from '../../engine/api';
import { Breakable as B } from '../Breakable';
import { Spacer, useRowWindow } from './Windowed';

interface Props {
  events: TraceEvent[];
  step: number;
  onJump(step: number): void;
}

/**
 * The run's events, one sentence each with its kernel citation; click to jump there. One tab
 * stop: the current event. A long run's list is windowed (Windowed.tsx): only the rows in view.
 */
export function EventList({ events, step, onJump }: Props) {
  const current = useRef<HTMLLIElement>(null);
  const list = useRef<HTMLOListElement>(null);
  // the current event in view: the window moves to it in the same render (Windowed.tsx)
  const w = useRowWindow(events.length, list, 20, Math.max(0, step));
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
  const shown = events.slice(w.first, w.end);
  return (
    // the number column as wide as the run's largest number (a 100k-device run has seven digits)
    <ol className="bs-events" data-testid="event-list" aria-label="Events" ref={list} style={{ '--bs-ev-no': `${String(events.length).length + 1}ch` } as React.CSSProperties}>
      {w.windowed && <Spacer height={w.padTop} />}
      {shown.map((e) => (
        <li
          key={e.index}
          ref={e.index === step ? current : undefined}
          className={`bs-ev${e.index === step ? ' bs-ev--current' : ''}${e.index > step ? ' bs-ev--future' : ''}${e.errno ? ' bs-ev--error' : ''}`}
          aria-current={e.index === step ? 'step' : undefined}
          aria-posinset={w.windowed ? e.index + 1 : undefined}
          aria-setsize={w.windowed ? events.length : undefined}
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
