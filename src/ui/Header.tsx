import type { BuiltinInfo } from '../engine/api';
import { useViewStore, type Mode } from './store';

const MODES: [Mode, string][] = [
  ['explore', 'Explore'],
  ['compare', 'Compare'],
  ['edit', 'Edit JSON'],
];

/** the design of the other side (guest <-> host), if the design has one */
export function counterpart(designs: BuiltinInfo[], id: string | null): BuiltinInfo | undefined {
  const me = designs.find((d) => d.id === id);
  if (!me) return undefined;
  return designs.find((d) => d.design === me.design && d.side !== me.side);
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
          {designs.map((b) => (
            <option key={b.id} value={b.id} title={b.description}>
              {b.title}
            </option>
          ))}
        </select>
      </label>
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
      <span className={`bs-status bs-status--${status}`} data-testid="status" role="status">
        {status === 'loading' ? 'running…' : status}
      </span>
    </header>
  );
}
