import type { Variant } from '../engine/index';
import { useViewStore } from './store';

type Choice<K extends keyof Variant> = [NonNullable<Variant[K]>, string][];

const FIRMWARE: Choice<'firmware'> = [['dt', 'Device tree'], ['acpi', 'ACPI']];
const PSCI: Choice<'psci'> = [['1.1', '1.1'], ['1.0', '1.0'], ['0.2', '0.2']];
const CONDUIT: Choice<'conduit'> = [['smc', 'SMC'], ['hvc', 'HVC']];
const MODULE: Choice<'module'> = [['module', 'loadable (=m)'], ['builtin', 'built in (=y)'], ['absent', 'missing']];

const TEXT: Record<string, string> = Object.fromEntries([...FIRMWARE, ...PSCI, ...CONDUIT, ...MODULE].map(([v, t]) => [String(v), t]));
const shown = (v: unknown) => (typeof v === 'boolean' ? (v ? 'on' : 'off') : (TEXT[String(v)] ?? String(v)));

/**
 * Firmware and configuration toggles; each change re-runs the design in the worker.
 * Toggles carry over to the next design: any that differs from the shown design's own
 * setting is marked (with the design's value), and one click puts them all back.
 */
export function FirmwareBar() {
  const variant = useViewStore((s) => s.variant);
  const designVariant = useViewStore((s) => s.designVariant);
  const resetVariant = useViewStore((s) => s.resetVariant);
  const designId = useViewStore((s) => s.designId);
  const side = useViewStore((s) => s.designs.find((d) => d.id === s.designId)?.side ?? 'guest');
  const userActions = useViewStore((s) => s.userActions);
  const setVariant = useViewStore((s) => s.setVariant);
  const resetActions = useViewStore((s) => s.resetActions);
  const disabled = !variant || !designId;
  type Key = keyof NonNullable<typeof variant>;
  const differs = (key: Key) => !!variant && !!designVariant && variant[key] !== designVariant[key];
  const changed = (['realm', 'firmware', 'psci', 'conduit', 'module', 'udev'] as Key[]).filter(differs);
  const mark = (key: Key) =>
    differs(key) ? (
      <span className="bs-changed__mark" data-testid={`fw-changed-${key}`}>
        {' '}≠ design: {shown(designVariant![key])}
      </span>
    ) : null;

  function select<K extends 'firmware' | 'psci' | 'conduit' | 'module'>(key: K, label: string, choices: Choice<K>) {
    return (
      <label className={`bs-field-inline${differs(key) ? ' bs-changed' : ''}`}>
        {label}{' '}
        <select
          data-testid={`fw-${key}`}
          value={variant ? String(variant[key]) : ''}
          disabled={disabled}
          onChange={(e) => void setVariant({ [key]: e.target.value } as Variant)}
        >
          {choices.map(([v, text]) => (
            <option key={v} value={v}>
              {text}
            </option>
          ))}
        </select>
        {mark(key)}
      </label>
    );
  }

  return (
    <section className="bs-toolbar" aria-label="Firmware and configuration">
      <label className={`bs-field-inline${differs('realm') ? ' bs-changed' : ''}`}>
        <input
          type="checkbox"
          data-testid="fw-realm"
          checked={variant?.realm ?? false}
          disabled={disabled}
          onChange={(e) => void setVariant({ realm: e.target.checked })}
        />{' '}
        {side === 'host' ? 'RMM present (RMI)' : 'Realm (RSI present)'}
        {mark('realm')}
      </label>
      {select('firmware', 'Firmware', FIRMWARE)}
      {select('psci', 'PSCI', PSCI)}
      {select('conduit', 'Conduit', CONDUIT)}
      {select('module', 'TSM module', MODULE)}
      <label className={`bs-field-inline${differs('udev') ? ' bs-changed' : ''}`}>
        <input
          type="checkbox"
          data-testid="fw-udev"
          checked={variant?.udev ?? false}
          disabled={disabled}
          onChange={(e) => void setVariant({ udev: e.target.checked })}
        />{' '}
        udev running
        {mark('udev')}
      </label>
      {changed.length > 0 && (
        <button type="button" className="bs-reset" data-testid="fw-reset" onClick={() => void resetVariant()}>
          Reset to the design's defaults ({changed.length} changed)
        </button>
      )}
      {!designId && <span className="bs-muted">custom scenario: firmware is in its JSON</span>}
      {userActions.length > 0 && (
        <span className="bs-actions-note" data-testid="user-actions">
          {userActions.length} user action{userActions.length > 1 ? 's' : ''}{' '}
          <button type="button" onClick={() => void resetActions()}>
            Reset
          </button>
        </span>
      )}
    </section>
  );
}
