import type { BuiltinInfo } from '../engine/api';
import { useViewStore, type Mode } from './store';
import { ShareBar } from './ShareBar';

const MODES: [Mode, string][] = [
  ['explore', 'Explore'],
  ['compare', 'Compare'],
  ['edit', 'Edit JSON'],
];

/** the same revision of the design on the other side (guest <-> host), if it has one */
export function counterpart(designs: BuiltinInfo[], id: string | null): BuiltinInfo | undefined {
  const me = designs.find((d) => d.id === id);
  if (!me) return undefined;
  return designs.find((d) => d.design === me.design && d.revision === me.revision && d.side !== me.side);
}

const FAMILY_LABELS: Record<string, string> = {
  mainline: 'Mainline (platform device)',
  'host-rfc': 'Host RFC (platform devices)',
  faux: 'Faux device',
  auxiliary: 'Auxiliary devices under arm-smccc',
  'smccc-bus': 'arm_smccc bus',
};

/** the built-ins grouped by design, in list order: design → its revisions */
export function designFamilies(designs: BuiltinInfo[]): { design: string; label: string; members: BuiltinInfo[] }[] {
  const out: { design: string; label: string; members: BuiltinInfo[] }[] = [];
  for (const d of designs) {
    let f = out.find((x) => x.design === d.design);
    if (!f) out.push((f = { design: d.design, label: FAMILY_LABELS[d.design] ?? d.design, members: [] }));
    f.members.push(d);
  }
  return out;
}

/** Title, mode tabs, design switcher, guest/host side, status. */
export function Header() {
  const designs = useViewStore((s) => s.designs);
  const designId = useViewStore((s) => s.designId);
  const scenarioId = useViewStore((s) => s.scenarioId);
  const status = useViewStore((s) => s.status);
  const mode = useViewStore((s) => s.mode);
  const openDesign = useViewStore((s) => s.openDesign);
  const setMode = useViewStore((s) => s.setMode);
  const cancelRun = useViewStore((s) => s.cancelRun);

  const me = designs.find((d) => d.id === designId);
  const other = counterpart(designs, designId);

  return (
    <header className="bs-header">
      <h1>bindscope</h1>
      <nav className="bs-modes" aria-label="View">
        {MODES.map(([m, label]) => (
          <button
            key={m}
            type="button"
            className={mode === m ? 'bs-mode bs-mode--on' : 'bs-mode'}
            aria-pressed={mode === m}
            data-testid={`mode-${m}`}
            onClick={() => void setMode(m)}
          >
            {label}
          </button>
        ))}
      </nav>
      <label className="bs-field-inline">
        Design{' '}
        <select
          data-testid="scenario-select"
          value={designId ?? ''}
          disabled={designs.length === 0}
          onChange={(e) => void openDesign(e.target.value)}
        >
          {!designId && <option value="">{scenarioId ? `custom: ${scenarioId}` : '—'}</option>}
          {designFamilies(designs).map((f) => (
            <optgroup key={f.design} label={f.label}>
              {f.members.map((b) => (
                <option key={b.id} value={b.id} title={`${b.description}\n${b.source}`}>
                  {b.title}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </label>
      {me && (
        <label className="bs-field-inline">
          Revision{' '}
          <select data-testid="revision-select" value={me.id} onChange={(e) => void openDesign(e.target.value)} title={me.source}>
            {designs.filter((d) => d.design === me.design && d.side === me.side).map((d) => (
              <option key={d.id} value={d.id}>
                {d.revision || d.id}{d.id === me.design || d.id === `${me.design}-host` ? ' (default)' : ''}{d.extrapolated.length ? ' — extrapolated' : ''} · Linux {d.kernel}
              </option>
            ))}
          </select>
        </label>
      )}
      <fieldset className="bs-side" disabled={!me}>
        <legend className="bs-sr">Side</legend>
        {(['guest', 'host'] as const).map((side) => {
          const target = me?.side === side ? me : other?.side === side ? other : undefined;
          return (
            <label key={side} className={target ? '' : 'bs-disabled'} title={target ? target.title : `this design has no ${side} side`}>
              <input
                type="radio"
                name="side"
                value={side}
                data-testid={`side-${side}`}
                checked={me?.side === side}
                disabled={!target}
                onChange={() => target && void openDesign(target.id)}
              />
              {side === 'guest' ? 'Realm guest' : 'KVM host'}
            </label>
          );
        })}
      </fieldset>
      <ShareBar />
      <span className={`bs-status bs-status--${status}`} data-testid="status" role="status">
        {status === 'loading' ? 'running…' : status}
      </span>
      {status === 'loading' && (
        <button type="button" className="bs-cancel" data-testid="cancel-run" onClick={cancelRun} title="Stop the engine and keep the last good view">
          Cancel
        </button>
      )}
    </header>
  );
}
