import { DeviceGraph } from './graph/DeviceGraph';
import { NodeDetails } from './NodeDetails';
import { useViewStore } from './store';

export function App() {
  const builtins = useViewStore((s) => s.builtins);
  const scenarioId = useViewStore((s) => s.scenarioId);
  const summary = useViewStore((s) => s.summary);
  const snapshot = useViewStore((s) => s.snapshot);
  const step = useViewStore((s) => s.step);
  const selected = useViewStore((s) => s.selected);
  const status = useViewStore((s) => s.status);
  const message = useViewStore((s) => s.message);
  const openScenario = useViewStore((s) => s.openScenario);
  const goToStep = useViewStore((s) => s.goToStep);
  const select = useViewStore((s) => s.select);

  const lastStep = summary ? summary.events.length - 1 : -1;
  const event = summary && step >= 0 ? summary.events[step] : undefined;

  return (
    <div className="bs-app">
      <header className="bs-header">
        <h1>bindscope</h1>
        <label>
          Scenario{' '}
          <select
            data-testid="scenario-select"
            value={scenarioId ?? ''}
            disabled={builtins.length === 0}
            onChange={(e) => void openScenario(e.target.value)}
          >
            {scenarioId && !builtins.some((b) => b.id === scenarioId) && <option value={scenarioId}>{scenarioId}</option>}
            {builtins.map((b) => (
              <option key={b.id} value={b.id} title={b.description}>
                {b.title} ({b.id})
              </option>
            ))}
          </select>
        </label>
        <span className={`bs-status bs-status--${status}`} data-testid="status">
          {status === 'loading' ? 'running…' : status}
        </span>
      </header>

      {message && (
        <div role="alert" className="bs-message" data-testid="status-message">
          {message}
        </div>
      )}

      <main className="bs-main">
        {snapshot ? (
          <DeviceGraph key={scenarioId ?? ''} snapshot={snapshot} selected={selected} onSelect={select} />
        ) : (
          <div className="bs-graph bs-graph--empty">{status === 'error' ? 'No graph: see the message above.' : 'Starting the engine…'}</div>
        )}
        <NodeDetails snapshot={snapshot} summary={summary} selected={selected} />
      </main>

      {summary && lastStep >= 0 && (
        <footer className="bs-footer">
          <label>
            Step {step} / {lastStep}{' '}
            <input
              type="range"
              data-testid="step-slider"
              min={-1}
              max={lastStep}
              value={step}
              onChange={(e) => void goToStep(Number(e.target.value))}
            />
          </label>
          <span className="bs-event" title={event?.cite}>
            {event ? `[${event.kind}] ${event.text}` : 'before the first event'}
          </span>
        </footer>
      )}
    </div>
  );
}
