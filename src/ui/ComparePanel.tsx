import { useMemo } from 'react';
import type { SnapshotCore } from '../worker/protocol';
import { compareServices, scopedSnapshot, serviceScope, shownSections } from './compare';
import { DeviceGraph } from './graph/DeviceGraph';
import { fitKey, type FlowColumns } from './graph/toFlow';
import { moduleOutcome, outcomeContext } from './outcome';
import { OutcomeLine } from './OutcomeLine';
import { useViewStore, type CompareView } from './store';
import { designFamilies } from './Header';

/** the compact graph: each service's device, what hangs under it, and its module */
const SERVICE_COLUMNS: FlowColumns = { firmware: false, drivers: false };
/** two graphs side by side: fitting never zooms one in beyond the other's text size */
const MAX_FIT_ZOOM = 1;
const TABLE_ID = 'bs-compare-table';

/** A design's graph input for the chosen view: the whole design, or its per-service part. */
function useGraphInput(snapshot: SnapshotCore | null, basis: SnapshotCore | null, focus: string | undefined, graphs: CompareView['graphs']) {
  return useMemo(() => {
    if (!snapshot || graphs === 'all') return { snapshot, basis, columns: undefined };
    const scope = serviceScope(basis ?? snapshot, focus);
    return { snapshot: scopedSnapshot(snapshot, scope), basis: basis && scopedSnapshot(basis, scope), columns: SERVICE_COLUMNS };
  }, [snapshot, basis, focus, graphs]);
}

/** Two designs side by side on the same firmware and timeline position, and their differences. */
const GRAPH_CHOICES: [value: 'services' | 'all', label: string][] = [
  ['services', 'services only'],
  ['all', 'whole designs'],
];

export function ComparePanel() {
  const designs = useViewStore((s) => s.designs);
  const run = useViewStore((s) => s.run);
  const variant = useViewStore((s) => s.variant);
  const snapshot = useViewStore((s) => s.snapshot);
  const step = useViewStore((s) => s.step);
  const summary = useViewStore((s) => s.summary);
  const event = useViewStore((s) => s.event);
  const findings = useViewStore((s) => s.findings);
  const compare = useViewStore((s) => s.compare);
  const view = useViewStore((s) => s.compareView);
  const setCompareView = useViewStore((s) => s.setCompareView);
  const setCompareDesign = useViewStore((s) => s.setCompareDesign);
  const select = useViewStore((s) => s.select);
  const selected = useViewStore((s) => s.selected);

  const focusA = run?.scenario?.focusModule;
  const focusB = compare.run?.scenario?.focusModule;
  // what the review rules flag in each design at this step (docs/review-rules.md), rule by rule
  const reviewRows = useMemo(() => {
    if (!findings || !compare.findings) return [];
    const a = findings;
    const b = compare.findings;
    const ids = [...new Set([...a, ...b].map((f) => f.rule))];
    const cell = (fs: typeof a, id: string) => {
      const hits = fs.filter((f) => f.rule === id);
      return hits.length ? `${hits[0]!.severity}: ${hits.map((f) => f.where.split('/').pop()).join(', ')}` : '—';
    };
    return ids.map((id) => {
      const f = [...a, ...b].find((x) => x.rule === id)!;
      return { rule: id, title: f.title, cite: f.cite, a: cell(a, id), b: cell(b, id) };
    });
  }, [findings, compare.findings]);
  const sections = useMemo(
    () => (snapshot && compare.snapshot ? shownSections(compareServices(snapshot, compare.snapshot, { a: focusA, b: focusB }), view.sameRows) : []),
    [snapshot, compare.snapshot, focusA, focusB, view.sameRows],
  );
  const sideA = designs.find((d) => d.id === run?.summary.id)?.side;
  const sideB = designs.find((d) => d.id === compare.run?.summary.id)?.side;
  const outcomeA = useMemo(
    () => (snapshot ? moduleOutcome(snapshot, focusA, outcomeContext(run, step, sideA)) : null),
    [snapshot, focusA, run, step, sideA],
  );
  const outcomeB = useMemo(
    () => (compare.snapshot ? moduleOutcome(compare.snapshot, focusB, outcomeContext(compare.run, compare.step, sideB)) : null),
    [compare.snapshot, focusB, compare.run, compare.step, sideB],
  );
  const graphA = useGraphInput(snapshot, run?.layoutBasis ?? null, focusA, view.graphs);
  const graphB = useGraphInput(compare.snapshot, compare.run?.layoutBasis ?? null, focusB, view.graphs);
  if (!snapshot || !summary) return null;
  const titleB = compare.run?.summary.title ?? '…';
  const touchedA = step >= 0 && event?.index === step ? event.touches : undefined;
  const touchedB = compare.run && compare.step >= 0 && compare.event?.index === compare.step ? compare.event.touches : undefined;
  const folded = sections.reduce((n, s) => n + s.folded, 0);
  const scopeText = view.graphs === 'services' ? 'per-service devices and modules' : 'whole design';

  return (
    <div className={`bs-compare${view.table ? '' : ' bs-compare--no-table'}`} data-testid="compare">
      <div className="bs-compare__bar" role="group" aria-label="Compare view">
        <button
          type="button"
          className="bs-compare__toggle"
          data-testid="compare-table-toggle"
          aria-expanded={view.table}
          aria-controls={TABLE_ID}
          onClick={() => setCompareView({ table: !view.table })}
        >
          {view.table ? 'Hide the difference table' : 'Show the difference table'}
        </button>
        <fieldset className="bs-seg">
          <legend>Graphs:</legend>
          {GRAPH_CHOICES.map(([value, label]) => (
            <label key={value} className={view.graphs === value ? 'bs-seg--on' : undefined}>
              <input
                type="radio"
                name="bs-compare-graphs"
                value={value}
                data-testid={`compare-graphs-${value}`}
                checked={view.graphs === value}
                onChange={() => setCompareView({ graphs: value })}
              />
              {label}
            </label>
          ))}
        </fieldset>
        {view.table && (
          <label className="bs-field-inline">
            <input
              type="checkbox"
              data-testid="compare-same-rows"
              checked={view.sameRows}
              onChange={(e) => setCompareView({ sameRows: e.target.checked })}
            />
            show rows that are the same{!view.sameRows && folded ? ` (${folded} folded)` : ''}
          </label>
        )}
        <span className="bs-compare__note bs-muted">same firmware, same boot stage</span>
      </div>
      <div className="bs-compare__graphs">
        <section className="bs-compare__side" aria-label={`Design A: ${summary.title}`}>
          <h2 className="bs-compare__title">A: {summary.title}</h2>
          <OutcomeLine outcome={outcomeA} testId="outcome-a" />
          <DeviceGraph
            key={`${fitKey(summary.id, variant)}|${view.graphs}`}
            snapshot={graphA.snapshot!}
            basis={graphA.basis}
            columns={graphA.columns}
            maxFitZoom={MAX_FIT_ZOOM}
            touched={touchedA}
            selected={selected}
            onSelect={(id) => void select(id)}
            follow={false}
            label={`Device graph of ${summary.title}, ${scopeText}`}
            testId="compare-graph-a"
            showLegend={false}
          />
        </section>
        <section className="bs-compare__side" aria-label={`Design B: ${titleB}`}>
          <h2 className="bs-compare__title">
            <label>
              B:{' '}
              <select data-testid="compare-select" value={compare.designId ?? ''} onChange={(e) => void setCompareDesign(e.target.value)}>
                {designFamilies(designs).map((f) => (
                  <optgroup key={f.design} label={f.label}>
                    {f.members.map((d) => (
                      <option key={d.id} value={d.id}>{d.title}</option>
                    ))}
                  </optgroup>
                ))}
              </select>
            </label>
            <span className="bs-muted"> step {compare.step + 1}/{compare.run?.summary.eventCount ?? 0}</span>
          </h2>
          <OutcomeLine outcome={outcomeB} testId="outcome-b" />
          {graphB.snapshot ? (
            <DeviceGraph
              key={`${fitKey(compare.run?.summary.id, compare.variant)}|${view.graphs}`}
              snapshot={graphB.snapshot}
              basis={graphB.basis}
              columns={graphB.columns}
              maxFitZoom={MAX_FIT_ZOOM}
              touched={touchedB}
              selected={null}
              onSelect={() => {}}
              follow={false}
              label={`Device graph of ${titleB}, ${scopeText}`}
              testId="compare-graph-b"
              showLegend={false}
            />
          ) : (
            <div className="bs-graph bs-graph--empty">Running…</div>
          )}
        </section>
      </div>
      {view.table && (
        // a scrollable region: focusable so the keyboard can scroll it
        <section id={TABLE_ID} className="bs-compare__table" aria-label="Difference table" tabIndex={0}>
          <table data-testid="compare-table">
            <caption>
              What each design makes of the firmware services. Differences are marked ≠
              {view.sameRows ? '.' : '; rows the same in A and B are folded into one line.'}
            </caption>
            <thead>
              <tr>
                <th scope="col">Service</th>
                <th scope="col">
                  <span className="bs-sr">Fact</span>
                </th>
                <th scope="col">A: {summary.id}</th>
                <th scope="col">B: {compare.run?.summary.id ?? '…'}</th>
              </tr>
            </thead>
            {sections.map((sec) => {
              const key = sec.service.split(' ')[0];
              const span = sec.rows.length + (sec.summary ? 1 : 0);
              const head = (
                <th scope="rowgroup" rowSpan={span}>
                  {sec.service}
                </th>
              );
              return (
                <tbody key={sec.service}>
                  {sec.rows.map((r, i) => (
                    <tr key={r.label} className={r.differs ? 'bs-diff' : undefined} data-testid={`cmp-${key}-${r.label.split(' ')[0]}`}>
                      {i === 0 && head}
                      <th scope="row">
                        {r.label}
                        {r.differs && (
                          <span className="bs-differs" title="differs" aria-label="differs">
                            {' '}≠
                          </span>
                        )}
                      </th>
                      <td className="cmp-a">{r.a}</td>
                      <td className="cmp-b">{r.b}</td>
                    </tr>
                  ))}
                  {sec.summary && (
                    <tr className="bs-same" data-testid={`cmp-${key}-same`}>
                      {sec.rows.length === 0 && head}
                      <td colSpan={3}>{sec.summary}</td>
                    </tr>
                  )}
                </tbody>
              );
            })}
            {reviewRows.length > 0 && (
              <tbody data-testid="cmp-review">
                {reviewRows.map((r, i) => (
                  <tr key={r.rule} className={r.a !== r.b ? 'bs-diff' : undefined} data-testid={`cmp-Review-${r.rule}`}>
                    {i === 0 && (
                      <th scope="rowgroup" rowSpan={reviewRows.length}>
                        Review
                      </th>
                    )}
                    <th scope="row" title={r.cite}>
                      {r.title}
                    </th>
                    <td className="cmp-a">{r.a}</td>
                    <td className="cmp-b">{r.b}</td>
                  </tr>
                ))}
              </tbody>
            )}
          </table>
        </section>
      )}
    </div>
  );
}
