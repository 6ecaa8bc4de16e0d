import { useMemo, useState } from 'react';
import type { MachineReport, DeviceReport } from '../../worker/protocol';

const VERDICTS = ['mismatched', 'matched', 'not modelled'] as const;
/** rows drawn at once: a large machine has thousands; the filter narrows them */
const SHOWN = 400;

function side(x: DeviceReport['machine'] | DeviceReport['replay']): string {
  const parts = [x.driver ? `driver ${x.driver}` : 'no driver'];
  if (x.module) parts.push(`module ${x.module}${x.alias ? ` by alias ${x.alias}` : ''}`);
  return parts.join(', ');
}

/**
 * An imported machine's replay against what the machine reported, device by device: the same
 * driver bound, the same module loaded by the same alias, or why not (src/import/machine/compare.ts).
 */
export function MachineView({ report }: { report: MachineReport }) {
  const [verdict, setVerdict] = useState<DeviceReport['verdict'] | 'all'>(report.totals.mismatched ? 'mismatched' : 'all');
  const [text, setText] = useState('');
  const rows = useMemo(() => report.devices.filter((d) => (verdict === 'all' || d.verdict === verdict) && (!text || d.devpath.includes(text) || d.reason.includes(text))), [report, verdict, text]);
  const t = report.totals;
  return (
    <div className="bs-machine" data-testid="machine-report">
      <p>
        <strong>{report.host ?? 'machine'}</strong>{report.kernel ? `, Linux ${report.kernel}` : ''}: <span data-testid="machine-rate">{t.matched} of {t.onBus} devices on a bus match ({(report.matchRate * 100).toFixed(1)}%)</span>; bound devices {t.boundMatched} of {t.boundDevices} ({(report.boundMatchRate * 100).toFixed(1)}%); {t.mismatched} differ, {t.notModelled} not modelled ({t.classDevices} class devices); {t.buses} buses, {t.boundDrivers} drivers bound.
      </p>
      {report.notes.length > 0 && <ul className="bs-muted">{report.notes.map((n) => <li key={n}>{n}</li>)}</ul>}
      <div className="bs-machine__filter" role="group" aria-label="Filter devices">
        {(['all', ...VERDICTS] as const).map((v) => (
          <button key={v} type="button" className="bs-mode" aria-pressed={verdict === v} onClick={() => setVerdict(v)} data-testid={`machine-filter-${v.replace(' ', '-')}`}>
            {v} ({v === 'all' ? report.devices.length : report.devices.filter((d) => d.verdict === v).length})
          </button>
        ))}
        <input type="search" placeholder="devpath or reason contains…" value={text} onChange={(e) => setText(e.target.value)} aria-label="Search devices" />
      </div>
      <table className="bs-machine__table">
        <thead>
          <tr><th>device</th><th>verdict</th><th>the machine</th><th>the replay</th><th>why</th></tr>
        </thead>
        <tbody>
          {rows.slice(0, SHOWN).map((d) => (
            <tr key={d.devpath} className={`bs-machine__row--${d.verdict.replace(' ', '-')}`}>
              <td><code>{d.devpath}</code>{d.subsystem ? <span className="bs-muted"> ({d.subsystem})</span> : null}</td>
              <td>{d.verdict}</td>
              <td>{side(d.machine)}</td>
              <td>{d.replay.present ? side(d.replay) : 'not created'}</td>
              <td>{d.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length > SHOWN && <p className="bs-muted">… and {rows.length - SHOWN} more: narrow the filter or search.</p>}
    </div>
  );
}
