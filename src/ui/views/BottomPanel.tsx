import { lazy, Suspense, useCallback, useMemo, useRef, type KeyboardEvent, type PointerEvent } from 'react';
import type { RunHead, UiSnapshot } from '../../worker/protocol';
import { BOTTOM_PANEL, useViewStore, type BottomTab } from '../store';
import { EventList } from './EventList';
import { formatLsmod } from './format';
import { SysfsBrowser } from './SysfsBrowser';
import { PagedLines } from './Windowed';

/** the review rules and their engine: a chunk of its own, loaded when the tab opens */
const ReviewView = lazy(() => import('./ReviewView').then((m) => ({ default: m.ReviewView })));
import { MachineView } from './MachineView';

const TABS: [BottomTab, string][] = [
  ['events', 'Events'],
  ['uevents', 'udevadm monitor'],
  ['dmesg', 'dmesg'],
  ['lsmod', 'lsmod'],
  ['sysfs', '/sys'],
  ['review', 'Review'],
];

/**
 * Views under the graph: the event list, uevent monitor, kernel log, lsmod, sysfs. It folds
 * to its tab bar and is resized by dragging its top edge (or ↑/↓ on it); both are kept.
 */
export function BottomPanel({ summary, snapshot }: { summary: RunHead; snapshot: UiSnapshot }) {
  const tab = useViewStore((s) => s.bottomTab);
  const machine = useViewStore((s) => s.machineReport);
  const tabs: [BottomTab, string][] = machine ? [...TABS, ['machine', 'Machine']] : TABS;
  const setTab = useViewStore((s) => s.setBottomTab);
  const step = useViewStore((s) => s.step);
  const goToStep = useViewStore((s) => s.goToStep);
  const pages = useViewStore((s) => s.pages);
  const loadRows = useViewStore((s) => s.loadRows);
  const loadEvents = useCallback((from: number, to: number) => loadRows('events', from, to), [loadRows]);
  const loadMonitor = useCallback((from: number, to: number) => loadRows('monitor', from, to), [loadRows]);
  const loadDmesg = useCallback((from: number, to: number) => loadRows('dmesg', from, to), [loadRows]);
  const findings = useViewStore((s) => s.findings);
  const panel = useViewStore((s) => s.bottomPanel);
  const setPanel = useViewStore((s) => s.setBottomPanel);
  const drag = useRef<{ y: number; h: number } | null>(null);
  // lsmod's text, made again only when what it shows changed: a step hands over the same module
  // and driver lists while they are unchanged (worker/delta.ts). The monitor's and dmesg's lines
  // stay in the worker: the tabs fetch the pages of the lines they render (pages.ts)
  const { modules, drivers } = snapshot;
  const text = useMemo(() => {
    // lsmod reads the modules and drivers alone (the engine's formatter takes a whole Snapshot: the lists it never reads, empty)
    if (tab === 'lsmod') return formatLsmod({ ...snapshot, uevents: [], sysfs: [], log: [] });
    return '';
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [tab, modules, drivers]);

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    drag.current = { y: e.clientY, h: panel.open ? panel.height : 0 };
    e.currentTarget.setPointerCapture(e.pointerId);
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    if (!drag.current) return;
    const h = drag.current.h + (drag.current.y - e.clientY);
    if (h < BOTTOM_PANEL.min / 2) setPanel({ open: false });
    else setPanel({ open: true, height: h });
  };
  const onPointerUp = () => {
    drag.current = null;
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const by = e.key === 'ArrowUp' ? 24 : e.key === 'ArrowDown' ? -24 : 0;
    if (!by) return;
    e.preventDefault();
    setPanel({ open: true, height: panel.height + by });
  };

  return (
    <section
      className={`bs-bottom${panel.open ? '' : ' bs-bottom--folded'}`}
      aria-label="Views"
      data-testid="bottom-panel"
      style={panel.open ? { height: panel.height } : undefined}
    >
      <div
        className="bs-resizer"
        role="separator"
        aria-orientation="horizontal"
        aria-label="Resize the event panel (↑ ↓)"
        aria-valuemin={BOTTOM_PANEL.min}
        aria-valuemax={BOTTOM_PANEL.max}
        aria-valuenow={panel.open ? panel.height : 0}
        tabIndex={0}
        data-testid="bottom-resizer"
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onKeyDown={onKeyDown}
      />
      <div className="bs-tabs">
      <div role="tablist" className="bs-tabs__list" aria-label="Views">
        {tabs.map(([t, label]) => (
          <button
            key={t}
            role="tab"
            type="button"
            id={`tab-${t}`}
            aria-selected={tab === t}
            aria-controls="bottom-tabpanel"
            data-testid={`tab-${t}`}
            className={tab === t ? 'bs-tab bs-tab--on' : 'bs-tab'}
            onClick={() => {
              setTab(t);
              if (!panel.open) setPanel({ open: true });
            }}
          >
            {label}
            {t === 'uevents' ? ` (${snapshot.counts.uevents})` : ''}
          </button>
        ))}
      </div>
      <button
        type="button"
        className="bs-fold"
        data-testid="bottom-fold"
        aria-expanded={panel.open}
        aria-controls="bottom-tabpanel"
        onClick={() => setPanel({ open: !panel.open })}
        title={panel.open ? 'Fold the panel to its tabs: more room for the graph' : 'Open the panel'}
      >
        {panel.open ? '▾ Fold panel' : '▴ Open panel'}
      </button>
      </div>
      {panel.open && <div key={tab} role="tabpanel" id="bottom-tabpanel" aria-labelledby={`tab-${tab}`} className="bs-tabpanel" tabIndex={0} data-testid={`view-${tab}`}>
        {tab === 'events' && <EventList count={summary.eventCount} pages={pages.events} step={step} onJump={(i) => void goToStep(i)} onNeed={loadEvents} />}
        {tab === 'uevents' && <PagedLines count={snapshot.counts.monitorLines} pages={pages.monitor} empty="(no uevents yet)" onNeed={loadMonitor} />}
        {tab === 'dmesg' && <PagedLines count={snapshot.counts.log} pages={pages.dmesg} empty="(kernel log empty)" onNeed={loadDmesg} />}
        {tab === 'lsmod' && <pre className="bs-term">{text}</pre>}
        {tab === 'sysfs' && <SysfsBrowser snapshot={snapshot} step={step} />}
        {tab === 'review' && (
          <Suspense fallback={<p className="bs-muted">Loading the review…</p>}>
            <ReviewView findings={findings} />
          </Suspense>
        )}
        {tab === 'machine' && machine && <MachineView report={machine} />}
      </div>}
    </section>
  );
}
