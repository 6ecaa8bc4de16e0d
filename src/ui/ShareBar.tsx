import { useRef, useState, type ReactNode } from 'react';
import type { MailInput } from './views/mail';
import { useViewStore, useViewStoreApi, type ViewStore } from './store';
import { loadFiles } from './readDropped';
import type { ImageFormat } from './exportImage';

/**
 * What the mail text is made of: the design on screen, and the other one when comparing, each
 * with the uevents sent by its step (the UI holds their count only: one fetch of them all, for
 * this one action: store.ts uevents). Throws when the worker fails (the caller shows why).
 */
export async function mailInput(s: ViewStore): Promise<MailInput | null> {
  const uevents = s.uevents;
  if (!s.summary || !s.snapshot) return null;
  const main: MailInput = {
    id: s.summary.id, title: s.summary.title, snapshot: { ...s.snapshot, uevents: await uevents('main') }, lastStep: s.summary.eventCount - 1,
    focusModule: s.run?.scenario?.focusModule,
  };
  const c = s.compare;
  if (s.mode === 'compare' && c.run && c.snapshot) {
    main.compare = {
      id: c.run.summary.id, title: c.run.summary.title, snapshot: { ...c.snapshot, uevents: await uevents('compare') }, lastStep: c.run.summary.eventCount - 1,
      focusModule: c.run.scenario?.focusModule,
    };
  }
  return main;
}

async function copy(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false; // no clipboard permission: the dialog shows the text to select by hand
  }
}

/** saves a text as a file the browser downloads */
export function download(name: string, data: string | Blob, type = 'application/json') {
  const blob = typeof data === 'string' ? new Blob([data], { type }) : data;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function TextDialog({ title, text, note, onClose }: { title: string; text: string; note: ReactNode; onClose(): void }) {
  return (
    <div className="bs-dialog" role="dialog" aria-modal="true" aria-label={title} data-testid="text-dialog" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <div className="bs-dialog__box">
        <div className="bs-dialog__head">
          <strong>{title}</strong>
          <span className="bs-muted">{note}</span>
          <button type="button" onClick={onClose} autoFocus aria-label="Close">×</button>
        </div>
        <pre className="bs-dialog__text" data-testid="mail-text" tabIndex={0}>{text}</pre>
      </div>
    </div>
  );
}

/** Sharing: the link, the view as mail text, the scenario as a file (save and load). */
export function ShareBar({ children }: { children?: ReactNode }) {
  const store = useViewStoreApi();
  const ready = useViewStore((s) => !!s.snapshot);
  const present = useViewStore((s) => s.present);
  const own = useViewStore((s) => s.run?.scenario?.walkthrough);
  const walkthroughs = useViewStore((s) => s.walkthroughs);
  const [dialog, setDialog] = useState<{ title: string; text: string; note: string } | null>(null);
  const file = useRef<HTMLInputElement>(null);

  const copyText = async () => {
    const st = store.getState();
    // the mail text (views/mail.ts) and the image export are chunks loaded on first use
    let got: [MailInput | null, typeof import('./views/mail')];
    try {
      got = await Promise.all([mailInput(st), import('./views/mail')]);
    } catch (err) {
      // the uevents come from the worker: a restart (or a failure) on the way is said, not thrown
      setDialog({ title: 'The view as text', text: `The text could not be made: ${err instanceof Error ? err.message : String(err)}`, note: 'try again' });
      return;
    }
    const [input, { formatMail }] = got;
    if (!input) return;
    const text = formatMail(input);
    const ok = await copy(text);
    setDialog({ title: 'The view as text (80 columns, for a mail reply)', text, note: ok ? 'copied to the clipboard' : 'select it and copy' });
  };
  const copyLink = async () => {
    const ok = await copy(window.location.href);
    setDialog({ title: 'Link to this view', text: window.location.href, note: ok ? 'copied to the clipboard' : 'select it and copy' });
  };
  const save = () => {
    const s = store.getState();
    const scenario = s.run?.scenario;
    if (!scenario) return;
    download(`${scenario.id}.json`, JSON.stringify(scenario, null, 2) + '\n');
  };
  const exportImage = async (format: ImageFormat) => {
    const s = store.getState();
    if (!s.summary) return;
    const event = s.step >= 0 && s.event?.index === s.step ? s.event : undefined;
    const at = `step ${s.step + 1} of ${s.summary.eventCount}${event ? `: ${event.text}` : ' (before the first event)'}`;
    try {
      const { dataUrlBlob, exportElement, exportGraph } = await import('./exportImage');
      let url: string;
      let name: string;
      if (s.mode === 'compare' && s.compare.run) {
        const el = document.querySelector<HTMLElement>('[data-testid="compare"]');
        if (!el) return;
        url = await exportElement(el, format, {
          title: `${s.summary.title}  vs  ${s.compare.run.summary.title}`,
          detail: `A: ${s.summary.id}, ${at} · B: ${s.compare.run.summary.id}, step ${s.compare.step + 1} of ${s.compare.run.summary.eventCount} (same boot stage)`,
        });
        name = `${s.summary.id}-vs-${s.compare.run.summary.id}-step${s.step + 1}.${format}`;
      } else {
        url = await exportGraph('device-graph', format, { title: s.summary.title, detail: at });
        name = `${s.summary.id}-step${s.step + 1}.${format}`;
      }
      download(name, await dataUrlBlob(url));
    } catch (err) {
      setDialog({ title: 'The image could not be made', text: err instanceof Error ? err.message : String(err), note: '' });
    }
  };

  return (
    <div className="bs-share" role="group" aria-label="Share">
      <button type="button" className="bs-mode" disabled={!ready} onClick={() => void copyLink()} data-testid="copy-link" title="Copy a link that opens this view">Link</button>
      <button type="button" className="bs-mode" disabled={!ready} onClick={() => void copyText()} data-testid="copy-text" title="The tree, the uevents and the compare table as plain text for mail">Copy as text</button>
      <button type="button" className="bs-mode" disabled={!ready} onClick={save} data-testid="save-json" title="Save the scenario (with its toggles and user actions) as .json">Save .json</button>
      <button type="button" className="bs-mode" onClick={() => file.current?.click()} data-testid="load-json" title="Load a scenario .json, a .dts with its .dtsi and headers, or a machine capture (scripts/capture-machine.sh); or drop them on the page">Load…</button>
      <input
        ref={file}
        type="file"
        accept=".json,application/json,.dts,.dtsi,.h,.txt,.gz"
        multiple
        className="bs-sr"
        tabIndex={-1}
        aria-hidden="true"
        data-testid="load-json-input"
        onChange={(e) => {
          void loadFiles([...(e.target.files ?? [])], store);
          e.target.value = '';
        }}
      />
      <button type="button" className="bs-mode" disabled={!ready} onClick={() => void exportImage('png')} data-testid="export-png" title="The graph (or the compare view) as a 1920×1080 PNG with the design and step">PNG</button>
      <button type="button" className="bs-mode" disabled={!ready} onClick={() => void exportImage('svg')} data-testid="export-svg" title="The graph (or the compare view) as a 1920×1080 SVG with the design and step">SVG</button>
      <button
        type="button"
        className="bs-mode"
        disabled={!ready}
        data-testid="present"
        title="Present this design's walkthrough full screen (→ next, ← back, Esc leaves)"
        onClick={() => {
          void document.documentElement.requestFullscreen?.().catch(() => {});
          void present(null);
        }}
      >
        Present
      </button>
      <select
        className="bs-walk-select"
        aria-label="Present a walkthrough"
        data-testid="walk-select"
        value=""
        disabled={!ready}
        onChange={(e) => e.target.value && void present(e.target.value)}
      >
        <option value="">walkthroughs…</option>
        {own && <option value={own.id}>this scenario: {own.title}</option>}
        {walkthroughs.map((w) => (
          <option key={w.id} value={w.id}>{w.title}</option>
        ))}
      </select>
      {children}
      {dialog && <TextDialog {...dialog} onClose={() => setDialog(null)} />}
    </div>
  );
}
