import type { RunSummary, Snapshot } from '../engine/api';
import type { GraphNodeData } from './graph/toFlow';
import { nodeId } from './graph/toFlow';

function findView(snapshot: Snapshot, id: string): { kind: GraphNodeData['kind']; view: object } | null {
  for (const d of snapshot.devices) if (nodeId.device(d.devpath) === id) return { kind: 'device', view: d };
  for (const d of snapshot.drivers) if (nodeId.driver(d.id) === id) return { kind: 'driver', view: d };
  for (const m of snapshot.modules) if (nodeId.module(m.name) === id) return { kind: 'module', view: m };
  for (const f of snapshot.firmware) if (nodeId.firmware(f.id) === id) return { kind: 'firmware', view: f };
  return null;
}

function show(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (Array.isArray(value)) return value.length ? value.map(show).join('\n') : '—';
  if (typeof value === 'object') return JSON.stringify(value, null, 1);
  return String(value);
}

interface Props {
  snapshot: Snapshot | null;
  summary: RunSummary | null;
  selected: string | null;
}

/** Side panel: the selected node's fields as the engine reported them, or the run's summary. */
export function NodeDetails({ snapshot, summary, selected }: Props) {
  const found = snapshot && selected ? findView(snapshot, selected) : null;
  if (!found) {
    return (
      <aside className="bs-panel" data-testid="details-panel">
        <h2>{summary ? summary.title : 'No scenario'}</h2>
        {summary && <p className="bs-muted">{summary.source}</p>}
        {snapshot && (
          <p>
            {snapshot.devices.length} devices, {snapshot.drivers.length} drivers, {snapshot.modules.length} modules
            {summary ? `, ${summary.events.length} events` : ''}.
          </p>
        )}
        <p className="bs-muted">Select a node to see its details.</p>
      </aside>
    );
  }
  return (
    <aside className="bs-panel" data-testid="details-panel">
      <h2>
        <span className={`bs-tag bs-tag--${found.kind}`}>{found.kind}</span>{' '}
        {'name' in found.view ? String(found.view.name) : 'label' in found.view ? String(found.view.label) : selected}
      </h2>
      <dl>
        {Object.entries(found.view).map(([key, value]) => (
          <div key={key} className="bs-field">
            <dt>{key}</dt>
            <dd>{show(value)}</dd>
          </div>
        ))}
      </dl>
    </aside>
  );
}
