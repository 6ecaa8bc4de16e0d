import { useSyncExternalStore } from 'react';
import type { TextPersistence } from './persist';
import { EDITOR_STORAGE_KEY } from './store';

/** A banner when the editor text could not be saved (or read back), with a download of the text. */
export function SaveWarning({ persistence }: { persistence: TextPersistence | null }) {
  const status = useSyncExternalStore(
    (l) => persistence?.subscribe(l) ?? (() => {}),
    () => persistence?.status() ?? null,
  );
  if (!persistence || !status?.message) return null;
  const download = () => {
    const text = persistence.getItem(EDITOR_STORAGE_KEY) ?? '';
    const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'bindscope-scenario.json';
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <div role="alert" className="bs-message bs-message--warn" data-testid="save-warning">
      <span>{status.message}</span>
      {status.state === 'unsaved' && (
        <button type="button" data-testid="save-download" onClick={download}>
          Download the text
        </button>
      )}
    </div>
  );
}
