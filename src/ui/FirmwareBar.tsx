import type { Variant } from '../engine/index';
import { useViewStore } from './store';

type Choice<K extends keyof Variant> = [NonNullable<Variant[K]>, string][];

const FIRMWARE: Choice<'firmware'> = [['dt', 'Device tree'], ['acpi', 'ACPI']];
const PSCI: Choice<'psci'> = [['1.1', '1.1'], ['1.0', '1.0'], ['0.2', '0.2']];
const CONDUIT: Choice<'conduit'> = [['smc', 'SMC'], ['hvc', 'HVC']];
const MODULE: Choice<'module'> = [['module', 'loadable (=m)'], ['builtin', 'built in (=y)'], ['absent', 'missing']];

/** Firmware and configuration toggles; each change re-runs the design in the worker. */
export function FirmwareBar() {
  const variant = useViewStore((s) => s.variant);
  const designId = useViewStore((s) => s.designId);
  const side = useViewStore((s) => s.designs.find((d) => d.id === s.designId)?.side ?? 'guest');
  const userActions = useViewStore((s) => s.userActions);
  const setVariant = useViewStore((s) => s.setVariant);
  const resetActions = useViewStore((s) => s.resetActions);
  const disabled = !variant || !designId;

  function select<K extends 'firmware' | 'psci' | 'conduit' | 'module'>(key: K, label: string, choices: Choice<K>) {
    return (
      <label className="bs-field-inline">
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
      </label>
    );
  }

  return (
    <div className="bs-toolbar" role="group" aria-label="Firmware and configuration">
      <label className="bs-field-inline">
        <input
          type="checkbox"
          data-testid="fw-realm"
          checked={variant?.realm ?? false}
          disabled={disabled}
          onChange={(e) => void setVariant({ realm: e.target.checked })}
        />{' '}
        {side === 'host' ? 'RMM present (RMI)' : 'Realm (RSI present)'}
      </label>
      {select('firmware', 'Firmware', FIRMWARE)}
      {select('psci', 'PSCI', PSCI)}
      {select('conduit', 'Conduit', CONDUIT)}
      {select('module', 'TSM module', MODULE)}
      <label className="bs-field-inline">
        <input
          type="checkbox"
          data-testid="fw-udev"
          checked={variant?.udev ?? false}
          disabled={disabled}
          onChange={(e) => void setVariant({ udev: e.target.checked })}
        />{' '}
        udev running
      </label>
      {!designId && <span className="bs-muted">custom scenario: firmware is in its JSON</span>}
      {userActions.length > 0 && (
        <span className="bs-actions-note" data-testid="user-actions">
          {userActions.length} user action{userActions.length > 1 ? 's' : ''}{' '}
          <button type="button" onClick={() => void resetActions()}>
            Reset
          </button>
        </span>
      )}
    </div>
  );
}
