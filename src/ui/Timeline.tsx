import { useEffect } from 'react';
import { Breakable as B } from './Breakable';
import { focusGraphNode } from './focus';
import { PLAY_INTERVAL_MS, PLAY_SPEEDS, useViewStore, useViewStoreApi, type PlayTarget } from './store';

const PLAY_TO: [PlayTarget, string, string][] = [
  ['uevent', '▸ uevent', 'Play to the next uevent'],
  ['bind', '▸ bind', 'Play to the next driver bind'],
  ['module', '▸ module load', 'Play to the next module load (or init)'],
];

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target.closest('.cm-editor')) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  return tag === 'INPUT' && !['range', 'checkbox', 'radio', 'button'].includes((target as HTMLInputElement).type);
}

/**
 * Keyboard shortcuts for the timeline (arrows, space, Home/End) and the play loop.
 * Arrows on a focused range input or radio button, and space on a checkbox or radio button,
 * are left to the input.
 */
export function useTimelineKeys() {
  const store = useViewStoreApi();
  const playing = useViewStore((s) => s.playing);
  const step = useViewStore((s) => s.step);
  const speed = useViewStore((s) => s.playSpeed);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey || isTyping(e.target)) return;
      const s = store.getState();
      if (!s.summary) return;
      const inputType = e.target instanceof HTMLInputElement ? e.target.type : null;
      // arrows on a range input step it; on a radio button they pick the next choice
      const onRange = inputType === 'range' || inputType === 'radio';
      // space on a button, tab, graph node, checkbox or radio button is that element's own activation
      const onButton =
        inputType === 'checkbox' || inputType === 'radio' ||
        (e.target instanceof HTMLElement && !!e.target.closest('button, [role="tab"], .react-flow__node'));
      switch (e.key) {
        case 'ArrowRight':
          if (onRange) return;
          e.preventDefault();
          void s.stepBy(1);
          break;
        case 'ArrowLeft':
          if (onRange) return;
          e.preventDefault();
          void s.stepBy(-1);
          break;
        case 'Home':
          if (onRange) return;
          e.preventDefault();
          void s.goToStep(-1);
          break;
        case 'End':
          if (onRange) return;
          e.preventDefault();
          void s.goToStep(s.summary.eventCount - 1);
          break;
        case 'Escape':
          if (s.selected) {
            const id = s.selected;
            void s.select(null);
            // back to the node whose details closed (in Explore and Edit, where the panel is)
            if (s.mode !== 'compare') focusGraphNode(id);
          }
          break;
        case ' ':
          if (onButton) return; // the button's own click
          e.preventDefault();
          s.setPlaying(!s.playing);
          break;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);

  useEffect(() => {
    if (!playing) return;
    const t = setTimeout(() => void store.getState().stepBy(1), PLAY_INTERVAL_MS / speed);
    return () => clearTimeout(t);
  }, [playing, step, store, speed]);
}

/** Play / step / jump controls, the scrubber, and the current event as a sentence. */
export function Timeline() {
  const summary = useViewStore((s) => s.summary);
  const current = useViewStore((s) => s.event);
  const step = useViewStore((s) => s.step);
  const playing = useViewStore((s) => s.playing);
  const follow = useViewStore((s) => s.follow);
  const goToStep = useViewStore((s) => s.goToStep);
  const stepBy = useViewStore((s) => s.stepBy);
  const setPlaying = useViewStore((s) => s.setPlaying);
  const setFollow = useViewStore((s) => s.setFollow);
  const speed = useViewStore((s) => s.playSpeed);
  const setPlaySpeed = useViewStore((s) => s.setPlaySpeed);
  const playTo = useViewStore((s) => s.playTo);
  useTimelineKeys();

  if (!summary) return null;
  const last = summary.eventCount - 1;
  // the event that came with the step's snapshot
  const event = step >= 0 && current?.index === step ? current : undefined;

  return (
    <footer className="bs-footer" aria-label="Timeline">
      <div className="bs-controls" role="toolbar" aria-label="Timeline controls">
        <button type="button" onClick={() => void goToStep(-1)} disabled={step <= -1} aria-label="Jump to start (Home)" title="Jump to start (Home)">|◀</button>
        <button type="button" onClick={() => void stepBy(-1)} disabled={step <= -1} aria-label="Step back (←)" title="Step back (←)" data-testid="step-back">◀ Back</button>
        <button type="button" onClick={() => setPlaying(!playing)} aria-label={playing ? 'Pause (space)' : 'Play (space)'} title={playing ? 'Pause (space)' : 'Play (space)'} data-testid="play">
          {playing ? '❚❚ Pause' : '▶ Play'}
        </button>
        <button type="button" onClick={() => void stepBy(1)} disabled={step >= last} aria-label="Step forward (→)" title="Step forward (→)" data-testid="step-forward">Step ▶</button>
        <button type="button" onClick={() => void goToStep(last)} disabled={step >= last} aria-label="Jump to end (End)" title="Jump to end (End)" data-testid="step-end">▶|</button>
        <input
          type="range"
          data-testid="step-slider"
          aria-label="Timeline position"
          aria-valuetext={event ? `step ${step}: ${event.text}` : 'before the first event'}
          min={-1}
          max={last}
          value={step}
          onChange={(e) => void goToStep(Number(e.target.value))}
        />
        <label className="bs-field-inline" title="Play speed">
          <span className="bs-sr">Play speed</span>
          <select data-testid="play-speed" aria-label="Play speed" value={speed} onChange={(e) => setPlaySpeed(Number(e.target.value))}>
            {PLAY_SPEEDS.map((x) => (
              <option key={x} value={x}>
                {x}×
              </option>
            ))}
          </select>
        </label>
        <span className="bs-playto" role="group" aria-label="Play to">
          {PLAY_TO.map(([target, text, title]) => (
            <button key={target} type="button" data-testid={`play-to-${target}`} title={title} aria-label={title} disabled={step >= last} onClick={() => playTo(target)}>
              {text}
            </button>
          ))}
        </span>
        <span className="bs-stepno" data-testid="step-label">
          {step + 1}/{last + 1}
        </span>
        <label className="bs-field-inline" title="Pan the graph to what each event touches">
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> follow
        </label>
      </div>
      <p className="bs-sentence" data-testid="current-event" aria-live="polite">
        {event ? (
          <>
            <span className={`bs-kind bs-kind--${event.kind}`}>{event.kind}</span> <B text={event.text} />
            <span className="bs-cite"> — <B text={event.cite} /></span>
          </>
        ) : (
          <span className="bs-muted">Before the first event: press → or ▶ to boot.</span>
        )}
      </p>
    </footer>
  );
}
