import { lazy, Suspense, useEffect, useMemo, useState, type DragEvent } from 'react';
import { Breakable } from './Breakable';
import { FirmwareBar } from './FirmwareBar';
import { fitKey } from './graph/toFlow';
import { Header } from './Header';
import { moduleOutcome, outcomeContext } from './outcome';
import { OutcomeLine } from './OutcomeLine';
import { useViewStore, useViewStoreApi } from './store';
import { Timeline } from './Timeline';
import { BottomPanel } from './views/BottomPanel';
import { loadFiles } from './readDropped';

// CodeMirror is loaded only when the editor opens.
const ScenarioEditor = lazy(() => import('./editor/ScenarioEditor').then((m) => ({ default: m.ScenarioEditor })));
// chunks of their own, loaded when first shown: the first screen's chunk stays small (docs/PERFORMANCE.md)
const ComparePanel = lazy(() => import('./ComparePanel').then((m) => ({ default: m.ComparePanel })));
const NodeDetails = lazy(() => import('./NodeDetails').then((m) => ({ default: m.NodeDetails })));
const Presentation = lazy(() => import('./Presentation').then((m) => ({ default: m.Presentation })));
// The graph (React Flow and its d3 modules, the bulk of the UI's code): requested as soon as
// this module runs, in parallel with the engine starting in its worker; it is needed only once
// the engine's first snapshot is in, and until then the screen says "Starting the engine…".
// Not React.lazy: React holds back revealing a suspended boundary (up to 300 ms), which would
// delay the first graph even when the chunk came in long before the snapshot.
let graphModule: typeof import('./graph/DeviceGraph') | null = null;
let graphError: { error: unknown } | null = null;
const graphLoaded = import('./graph/DeviceGraph').then(
  (m) => void (graphModule = m),
  (error: unknown) => void (graphError = { error }),
);

/** DeviceGraph once its chunk is in (null before); a chunk that cannot load goes to the ErrorBoundary */
function useDeviceGraph(): typeof import('./graph/DeviceGraph').DeviceGraph | null {
  const [, loaded] = useState(false);
  useEffect(() => {
    if (!graphModule && !graphError) void graphLoaded.then(() => loaded(true));
  }, []);
  if (graphError) throw graphError.error;
  return graphModule?.DeviceGraph ?? null;
}

export function App() {
  const run = useViewStore((s) => s.run);
  const summary = useViewStore((s) => s.summary);
  const event = useViewStore((s) => s.event);
  const snapshot = useViewStore((s) => s.snapshot);
  const step = useViewStore((s) => s.step);
  const selected = useViewStore((s) => s.selected);
  const status = useViewStore((s) => s.status);
  const message = useViewStore((s) => s.message);
  const mode = useViewStore((s) => s.mode);
  const follow = useViewStore((s) => s.follow);
  const select = useViewStore((s) => s.select);
  const toggleGroup = useViewStore((s) => s.toggleGroup);
  const groupLayout = useViewStore((s) => s.groupLayout);
  const dismissMessage = useViewStore((s) => s.dismissMessage);
  const store = useViewStoreApi();
  const [dragging, setDragging] = useState(false);
  const hasFile = (e: DragEvent) => [...e.dataTransfer.types].includes('Files');
  const drop = {
    onDragOver: (e: DragEvent) => {
      if (!hasFile(e)) return;
      e.preventDefault();
      if (!dragging) setDragging(true);
    },
    onDragLeave: (e: DragEvent) => {
      if (e.currentTarget === e.target) setDragging(false);
    },
    onDrop: (e: DragEvent) => {
      if (!hasFile(e)) return;
      e.preventDefault();
      setDragging(false);
      void loadFiles([...e.dataTransfer.files], store);
    },
  };

  const variant = useViewStore((s) => s.variant);
  const presenting = useViewStore((s) => s.presentation !== null);
  const side = useViewStore((s) => s.designs.find((d) => d.id === s.designId)?.side);
  const outcome = useMemo(
    () => (snapshot ? moduleOutcome(snapshot, run?.scenario?.focusModule, outcomeContext(run, step, side)) : null),
    [snapshot, run, step, side],
  );
  const touched = summary && step >= 0 && event?.index === step ? event.touches : undefined;
  const DeviceGraph = useDeviceGraph();
  const graph = snapshot && DeviceGraph ? (
    <DeviceGraph
      // a new run of another design or firmware fits the view afresh (keyed on what ran, not
      // on the switcher, which changes before the run lands); steps and actions keep the viewport
      key={fitKey(summary?.id, variant)}
      snapshot={snapshot}
      basis={run?.layoutBasis ?? null}
      layout={groupLayout ?? run?.layout ?? null}
      touched={touched}
      selected={selected}
      onSelect={(id) => void select(id)}
      onToggleGroup={(group) => void toggleGroup(group)}
      follow={follow}
      label={`Device graph of ${summary?.title ?? 'the scenario'} at step ${step + 1}`}
      caption={
        summary && (
          <>
            <div className="bs-caption__title">
              <strong>{summary.title}</strong>
              {run?.scenario && <span className="bs-badge" data-testid="kernel-version" title="kernel.version: the behaviour that changed between releases follows this version">Linux {run.scenario.kernel.version}</span>}
              {run?.scenario?.extrapolated?.length ? (
                <span className="bs-badge bs-badge--warn" data-testid="extrapolated" title={`Not in the posted code:\n• ${run.scenario.extrapolated.join('\n• ')}`}>
                  extrapolated
                </span>
              ) : null}
              {!selected && <span className="bs-muted">select a node for its sysfs files, match rules and actions</span>}
              <details className="bs-caption__source" data-testid="design-source">
                <summary>source</summary>
                <span className="bs-muted">
                  <Breakable text={summary.source} />
                </span>
              </details>
            </div>
            <OutcomeLine outcome={outcome} reserve />
          </>
        )
      }
    />
  ) : snapshot ? (
    <div className="bs-graph bs-graph--empty">Loading the graph…</div>
  ) : (
    <div className="bs-graph bs-graph--empty">{status === 'error' ? 'No graph: see the message above.' : 'Starting the engine…'}</div>
  );

  // presentation mode: the walkthrough alone, full screen (no editor, no toggles)
  if (presenting)
    return (
      <Suspense fallback={<div className="bs-graph bs-graph--empty">Loading the presentation…</div>}>
        <Presentation />
      </Suspense>
    );

  return (
    <div className={`bs-app bs-app--${mode}`} {...drop}>
      {dragging && <div className="bs-drop">Drop a scenario .json to load it</div>}
      <Header />
      <FirmwareBar />
      {message && (
        <div role="alert" className="bs-message" data-testid="status-message">
          <span>{message}</span>
          <button type="button" onClick={dismissMessage} aria-label="Dismiss message">
            ×
          </button>
        </div>
      )}

      {mode === 'compare' ? (
        <main className="bs-main bs-main--compare">
          <Suspense fallback={<div className="bs-graph bs-graph--empty">Loading the comparison…</div>}>
            <ComparePanel />
          </Suspense>
        </main>
      ) : (
        <main className="bs-main">
          {mode === 'edit' && (
            <Suspense fallback={<section className="bs-editor">Loading the editor…</section>}>
              <ScenarioEditor />
            </Suspense>
          )}
          <div className="bs-center">
            {graph}
            {summary && snapshot && mode === 'explore' && <BottomPanel summary={summary} snapshot={snapshot} />}
          </div>
          {selected && (
            <Suspense fallback={<aside className="bs-panel" aria-busy="true" />}>
              <NodeDetails snapshot={snapshot} summary={summary} selected={selected} />
            </Suspense>
          )}
        </main>
      )}

      <Timeline />
    </div>
  );
}
