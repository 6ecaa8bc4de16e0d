import { useMemo } from 'react';
import { compareServices } from './compare';
import { DeviceGraph } from './graph/DeviceGraph';
import { fitKey } from './graph/toFlow';
import { moduleOutcome } from './outcome';
import { OutcomeLine } from './OutcomeLine';
import { useViewStore } from './store';

/** Two designs side by side on the same firmware and timeline position, and their differences. */
export function ComparePanel() {
  const designs = useViewStore((s) => s.designs);
  const run = useViewStore((s) => s.run);
  const snapshot = useViewStore((s) => s.snapshot);
  const step = useViewStore((s) => s.step);
  const summary = useViewStore((s) => s.summary);
  const compare = useViewStore((s) => s.compare);
  const setCompareDesign = useViewStore((s) => s.setCompareDesign);
  const select = useViewStore((s) => s.select);
  const selected = useViewStore((s) => s.selected);

  const sections = useMemo(
    () =>
      snapshot && compare.snapshot
        ? compareServices(snapshot, compare.snapshot, { a: run?.scenario?.focusModule, b: compare.run?.scenario?.focusModule })
        : [],
    [snapshot, compare.snapshot, run, compare.run],
  );
  const outcomeA = useMemo(() => (snapshot ? moduleOutcome(snapshot, run?.scenario?.focusModule) : null), [snapshot, run]);
  const outcomeB = useMemo(
    () => (compare.snapshot ? moduleOutcome(compare.snapshot, compare.run?.scenario?.focusModule) : null),
    [compare.snapshot, compare.run],
  );
  if (!snapshot || !summary) return null;
  const titleB = compare.run?.summary.title ?? '…';
  const touchedA = step >= 0 ? summary.events[step]?.touches : undefined;
  const touchedB = compare.run && compare.step >= 0 ? compare.run.summary.events[compare.step]?.touches : undefined;

  return (
    <div className="bs-compare" data-testid="compare">
      <div className="bs-compare__graphs">
        <section className="bs-compare__side" aria-label={`Design A: ${summary.title}`}>
          <h2 className="bs-compare__title">A: {summary.title}</h2>
          <OutcomeLine outcome={outcomeA} testId="outcome-a" />
          <DeviceGraph
            snapshot={snapshot}
            basis={run?.layoutBasis ?? null}
            touched={touchedA}
            selected={selected}
            onSelect={(id) => void select(id)}
            follow={false}
            label={`Device graph of ${summary.title}`}
            testId="compare-graph-a"
            showLegend={false}
          />
        </section>
        <section className="bs-compare__side" aria-label={`Design B: ${titleB}`}>
          <h2 className="bs-compare__title">
            <label>
              B:{' '}
              <select data-testid="compare-select" value={compare.designId ?? ''} onChange={(e) => void setCompareDesign(e.target.value)}>
                {designs.map((d) => (
                  <option key={d.id} value={d.id}>{d.title}</option>
                ))}
              </select>
            </label>
            <span className="bs-muted"> step {compare.step + 1}/{compare.run?.summary.events.length ?? 0}</span>
          </h2>
          <OutcomeLine outcome={outcomeB} testId="outcome-b" />
          {compare.snapshot ? (
            <DeviceGraph
              key={fitKey(compare.run?.summary.id, compare.variant)}
              snapshot={compare.snapshot}
              basis={compare.run?.layoutBasis ?? null}
              touched={touchedB}
              selected={null}
              onSelect={() => {}}
              follow={false}
              label={`Device graph of ${titleB}`}
              testId="compare-graph-b"
              showLegend={false}
            />
          ) : (
            <div className="bs-graph bs-graph--empty">Running…</div>
          )}
        </section>
      </div>
      <div className="bs-compare__table">
        <table data-testid="compare-table">
          <caption>
            What each design makes of the firmware services (same firmware, same boot stage). Differences are marked.
          </caption>
          <thead>
            <tr>
              <th scope="col">Service</th>
              <th scope="col"></th>
              <th scope="col">A: {summary.id}</th>
              <th scope="col">B: {compare.run?.summary.id ?? '…'}</th>
            </tr>
          </thead>
          <tbody>
            {sections.flatMap((sec) =>
              sec.rows.map((r, i) => (
                <tr key={`${sec.service}-${r.label}`} className={r.differs ? 'bs-diff' : undefined} data-testid={`cmp-${sec.service.split(' ')[0]}-${r.label.split(' ')[0]}`}>
                  {i === 0 && (
                    <th scope="rowgroup" rowSpan={sec.rows.length}>
                      {sec.service}
                    </th>
                  )}
                  <th scope="row">
                    {r.label}
                    {r.differs && (
                      <span className="bs-differs" title="differs" aria-label="differs">
                        {' '}≠
                      </span>
                    )}
                  </th>
                  <td className="cmp-a">{r.a}</td>
                  <td className="cmp-b">
                    {r.b}
                  </td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}
