import { useEffect, useRef } from 'react';
import type { TraceEvent } from '../../engine/api';
import { Breakable as B } from '../Breakable';

interface Props {
  events: TraceEvent[];
  step: number;
  onJump(step: number): void;
}

/** The run's events, one sentence each with its kernel citation; click to jump there. One tab stop: the current event. */
export function EventList({ events, step, onJump }: Props) {
  const current = useRef<HTMLLIElement>(null);
  useEffect(() => {
    current.current?.scrollIntoView({ block: 'nearest' });
  }, [step]);
  return (
    <ol className="bs-events" data-testid="event-list" aria-label="Events">
      {events.map((e) => (
        <li
          key={e.index}
          ref={e.index === step ? current : undefined}
          className={`bs-ev${e.index === step ? ' bs-ev--current' : ''}${e.index > step ? ' bs-ev--future' : ''}${e.errno ? ' bs-ev--error' : ''}`}
          aria-current={e.index === step ? 'step' : undefined}
        >
          <button
            type="button"
            // one tab stop for the whole list (the current event): ← → and the timeline move through it
            tabIndex={e.index === step || (step < 0 && e.index === 0) ? 0 : -1}
            onClick={() => onJump(e.index)}
            style={{ paddingLeft: `${0.3 + Math.min(e.depth, 8) * 0.8}rem` }}>
            <span className="bs-ev__no">{e.index + 1}</span>
            <span className={`bs-kind bs-kind--${e.kind}`}>{e.kind}</span> <B text={e.text} />
            <span className="bs-cite"> — <B text={e.cite} /></span>
          </button>
        </li>
      ))}
    </ol>
  );
}
