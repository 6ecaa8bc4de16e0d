import { useEffect, useMemo, useState, type MouseEvent, type ReactNode } from 'react';
import type { DeviceView, TraceEvent, UeventRecord } from '../engine/api';
import type { SnapshotCore } from '../worker/protocol';
import type { WalkthroughStop } from '../engine/scenario/walkthrough';
import { compareServices, shownSections } from './compare';
import { DeviceGraph } from './graph/DeviceGraph';
import { nodeId } from './graph/toFlow';
import { moduleOutcome } from './outcome';
import { useViewStore, useViewStoreApi } from './store';
import { formatUevent } from './views/format';
import { mailTree } from './views/mail';

/** graph labels are 0.78rem (10.9 px) at zoom 1: at 1.5 they are over 16 px on screen */
export const PRESENT_MIN_ZOOM = 1.5;
const PRESENT_MAX_ZOOM = 2;

/** a stop's focus refs ("device:arm-rsi") as graph node ids, through the run's devices */
function focusIds(stop: WalkthroughStop, basis: SnapshotCore | null, snapshot: SnapshotCore): string[] {
  const devices = [...(basis?.devices ?? []), ...snapshot.devices];
  return (stop.focus ?? []).flatMap((ref) => {
    const cut = ref.indexOf(':');
    const kind = ref.slice(0, cut);
    const name = ref.slice(cut + 1);
    if (kind === 'device') {
      const d = devices.find((x) => x.name === name);
      return d ? [nodeId.device(d.devpath)] : [];
    }
    if (kind === 'module') return [nodeId.module(name)];
    if (kind === 'driver') return [nodeId.driver(name)];
    return [];
  });
}

function focusDevice(stop: WalkthroughStop, snapshot: SnapshotCore, event: TraceEvent | undefined): DeviceView | undefined {
  for (const ref of stop.focus ?? []) {
    if (!ref.startsWith('device:')) continue;
    const d = snapshot.devices.find((x) => x.name === ref.slice(7));
    if (d && d.bus) return d;
  }
  const touched = event?.touches.devices ?? [];
  return snapshot.devices.find((d) => touched.includes(d.devpath));
}

function UeventPanel({ event, step }: { event: TraceEvent | undefined; step: number }) {
  // the stop's own uevent; for a udev or module event, the latest uevent of the device it acts on
  // (else of any device), which the worker looks up: the UI holds no uevent log
  const latestUevent = useViewStore((s) => s.latestUevent);
  const [latest, setLatest] = useState<{ step: number; key: string; uevent: UeventRecord | null } | null>(null);
  const touched = event?.touches.devices ?? [];
  const key = touched.join('\n');
  const own = event?.uevent;
  useEffect(() => {
    if (own) return;
    let live = true;
    latestUevent(key ? key.split('\n') : []).then(
      (r) => live && setLatest({ step: r.step, key, uevent: r.uevent }),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [own, key, step, latestUevent]);
  const found = latest && latest.step === step && latest.key === key ? latest : null;
  const u = own ?? found?.uevent;
  return (
    <>
      <div>
        <h3>udevadm monitor --kernel --property</h3>
        <pre className="bs-present__term" data-testid="present-uevent" aria-busy={!own && !found}>{u ? formatUevent(u) : found ? '(no device uevent yet)' : '…'}</pre>
      </div>
      {event && event.kind !== 'uevent' && (
        <div>
          <h3>{event.kind}</h3>
          <p className="bs-present__event">{event.text}</p>
        </div>
      )}
    </>
  );
}

function DetailsPanel({ dev }: { dev: DeviceView | undefined }) {
  if (!dev) return <p>No device at this step.</p>;
  const rows: [string, string][] = [
    ['device', `${dev.name} (${dev.bus ?? dev.class ?? 'no bus'})`],
    ['sysfs', `/sys${dev.devpath}`],
    ['MODALIAS', dev.modalias ?? 'none'],
    ['driver', dev.driver ?? (dev.deferred ? 'none (deferred)' : 'none')],
    ['unbind file', dev.unbindable ? 'yes' : 'no'],
  ];
  return (
    <div>
      <h3>The device</h3>
      <dl className="bs-present__facts" data-testid="present-details">
        {rows.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

function ComparePanelBig() {
  const snapshot = useViewStore((s) => s.snapshot);
  const run = useViewStore((s) => s.run);
  const compare = useViewStore((s) => s.compare);
  const summary = useViewStore((s) => s.summary);
  const sections = useMemo(
    () => (snapshot && compare.snapshot ? shownSections(compareServices(snapshot, compare.snapshot, { a: run?.scenario?.focusModule, b: compare.run?.scenario?.focusModule }), false) : []),
    [snapshot, compare.snapshot, run, compare.run],
  );
  if (!compare.snapshot) return <p>Running the other design…</p>;
  return (
    <table className="bs-present__table" data-testid="present-compare">
      <thead>
        <tr>
          <th />
          <th>A: {summary?.id}</th>
          <th>B: {compare.run?.summary.id}</th>
        </tr>
      </thead>
      {sections.map((sec) => (
        <tbody key={sec.service}>
          <tr className="bs-present__service">
            <th colSpan={3}>{sec.service}</th>
          </tr>
          {sec.rows.map((r) => (
            <tr key={r.label}>
              <th scope="row">{r.label}{r.differs ? ' ≠' : ''}</th>
              <td>{r.a}</td>
              <td>{r.b}</td>
            </tr>
          ))}
          {sec.summary && (
            <tr className="bs-same">
              <td colSpan={3}>{sec.summary}</td>
            </tr>
          )}
        </tbody>
      ))}
    </table>
  );
}

/**
 * Presentation mode: a walkthrough full screen. Large type, the graph zoomed to the stop's
 * focus nodes, a caption and one panel; → PageDown space or a click go on, ← PageUp back,
 * Home/End to the first/last stop, Esc leaves. No editor, no toggles.
 */
export function Presentation() {
  const store = useViewStoreApi();
  const p = useViewStore((s) => s.presentation)!;
  const snapshot = useViewStore((s) => s.snapshot);
  const summary = useViewStore((s) => s.summary);
  const run = useViewStore((s) => s.run);
  const step = useViewStore((s) => s.step);
  const current = useViewStore((s) => s.event);
  const status = useViewStore((s) => s.status);
  const message = useViewStore((s) => s.message);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      const s = store.getState();
      if (!s.presentation) return;
      // Enter or space on a focused button is that button's own click
      if ((e.key === 'Enter' || e.key === ' ') && e.target instanceof HTMLElement && e.target.closest('button')) return;
      const last = s.presentation.walk.stops.length - 1;
      switch (e.key) {
        case 'ArrowRight': case 'PageDown': case ' ': case 'Enter':
          e.preventDefault();
          void s.presentBy(1);
          break;
        case 'ArrowLeft': case 'PageUp': case 'Backspace':
          e.preventDefault();
          void s.presentBy(-1);
          break;
        case 'Home':
          e.preventDefault();
          void s.presentStop(0);
          break;
        case 'End':
          e.preventDefault();
          void s.presentStop(last);
          break;
        case 'Escape':
          e.preventDefault();
          s.leavePresentation();
          break;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);

  // leaving the browser's full screen (Esc there) leaves the presentation too
  useEffect(() => {
    const onFs = () => {
      if (!document.fullscreenElement && store.getState().presentation) store.getState().leavePresentation();
    };
    document.addEventListener('fullscreenchange', onFs);
    return () => document.removeEventListener('fullscreenchange', onFs);
  }, [store]);

  const stop = p.walk.stops[p.stop]!;
  const event = summary && step >= 0 && current?.index === step ? current : undefined;
  const focus = useMemo(() => (snapshot ? focusIds(stop, run?.layoutBasis ?? null, snapshot) : []), [stop, run, snapshot]);
  const outcome = snapshot ? moduleOutcome(snapshot, run?.scenario?.focusModule) : null;
  const panel = stop.panel ?? 'none';
  const ready = p.ready && status === 'ready';

  let side: ReactNode = null;
  if (snapshot && panel === 'uevent') side = <UeventPanel event={event} step={step} />;
  if (snapshot && panel === 'details') side = <DetailsPanel dev={focusDevice(stop, snapshot, event)} />;
  if (snapshot && panel === 'tree') side = (<div><h3>tree /sys</h3><pre className="bs-present__term" data-testid="present-tree">{mailTree(snapshot, run?.scenario?.focusModule).join('\n')}</pre></div>);
  if (outcome && panel === 'outcome') side = (<div><h3>The outcome</h3><p className={`bs-present__outcome bs-outcome--${outcome.tone}`} data-testid="present-outcome"><strong>{outcome.headline}</strong> — {outcome.why}</p></div>);

  // a button's click is its own (not "next"), and leaves no focus behind for space to press again
  const stopClick = (e: MouseEvent) => {
    e.stopPropagation();
    (e.currentTarget as HTMLElement).blur();
  };
  return (
    <div
      className={`bs-present bs-present--${panel}`}
      data-testid="presentation"
      data-stop={p.stop}
      data-ready={ready ? 'true' : 'false'}
      role="region"
      aria-label={`Presentation: ${p.walk.title}`}
      onClick={() => void store.getState().presentBy(1)}
    >
      <header className="bs-present__head">
        <strong className="bs-present__title">{p.walk.title}</strong>
        <span className="bs-present__design">{summary?.title}{event ? ` · event ${step + 1}/${summary!.eventCount}` : ''}</span>
        <span className="bs-present__counter" data-testid="present-counter">{p.stop + 1} / {p.walk.stops.length}</span>
        <button type="button" onClick={(e) => { stopClick(e); store.getState().leavePresentation(); }} aria-label="Leave the presentation (Esc)" data-testid="present-leave">✕</button>
      </header>
      <main className="bs-present__main">
        {panel === 'compare' ? (
          <section className="bs-present__wide" aria-label="Compare">{snapshot && <ComparePanelBig />}</section>
        ) : (
          <>
            <div className="bs-present__graph">
              {snapshot && (
                <DeviceGraph
                  key={`${summary?.id}`}
                  snapshot={snapshot}
                  basis={run?.layoutBasis ?? null}
      layout={run?.layout ?? null}
                  touched={event?.touches}
                  selected={null}
                  onSelect={() => {}}
                  follow={false}
                  label={`Device graph of ${summary?.title ?? ''} at stop ${p.stop + 1}`}
                  testId="present-graph"
                  showLegend={false}
                  minFitZoom={PRESENT_MIN_ZOOM}
                  maxFitZoom={PRESENT_MAX_ZOOM}
                  focus={focus}
                  focusKey={ready ? `${p.walk.id}:${p.stop}:${summary?.id}` : undefined}
                  interactive={false}
                />
              )}
            </div>
            {side && <aside className="bs-present__side" data-testid="present-panel">{side}</aside>}
          </>
        )}
      </main>
      <footer className="bs-present__foot">
        <button type="button" className="bs-present__nav" onClick={(e) => { stopClick(e); void store.getState().presentBy(-1); }} disabled={p.stop === 0} aria-label="Previous stop (←)">◀</button>
        <p className="bs-present__caption" data-testid="present-caption" aria-live="polite">{stop.caption}</p>
        <button type="button" className="bs-present__nav" onClick={(e) => { stopClick(e); void store.getState().presentBy(1); }} disabled={p.stop >= p.walk.stops.length - 1} aria-label="Next stop (→)">▶</button>
      </footer>
      {(p.problem || (message && status === 'error')) && <div className="bs-present__problem" role="alert">{p.problem ?? message}</div>}
    </div>
  );
}
