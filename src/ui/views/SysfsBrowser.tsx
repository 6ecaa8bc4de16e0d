import { useMemo, useState, type SyntheticEvent } from 'react';
import type { SysfsDir, SysfsEntry, UiSnapshot } from '../../worker/protocol';
import { useViewStore } from '../store';
import { sysfsFileContent } from './format';
import { isOpen, SYS_ROOT } from './sysfsView';

const ROOT_ORDER = ['devices', 'bus', 'class', 'module', 'firmware'];
/** files whose content the snapshot knows (format.ts sysfsFileContent), in a device's directory */
const KNOWN_FILES = new Set(['uevent', 'modalias', 'driver_override']);

interface Ctx {
  /** the directories the worker sent for this step (null: none yet) */
  dirs: ReadonlyMap<string, SysfsDir> | null;
  toggles: ReadonlyMap<string, boolean>;
  /** the device directories (/sys + devpath) at the step */
  deviceDirs: ReadonlySet<string>;
  onToggle(path: string, open: boolean): void;
  onMore(path: string): void;
  onCat(path: string): void;
}

function Entry({ dir, e, siblings, ctx }: { dir: string; e: SysfsEntry; siblings: number; ctx: Ctx }) {
  const path = `${dir}/${e.name}`;
  if (e.kind === 'link')
    return (
      <li className="bs-sys bs-sys--link">
        {e.name} <span className="bs-muted">-&gt; {e.target}</span>
      </li>
    );
  if (e.kind === 'file') {
    const known = KNOWN_FILES.has(e.name) && ctx.deviceDirs.has(dir);
    return (
      <li className="bs-sys bs-sys--file">
        {known ? (
          <button type="button" className="bs-linkbtn" onClick={() => ctx.onCat(path)} title={`cat ${path}`}>
            {e.name}
          </button>
        ) : (
          e.name
        )}
      </li>
    );
  }
  return <Dir path={path} name={e.name} siblings={siblings} empty={!!e.empty} ctx={ctx} />;
}

/** a directory: its entries come from the worker when it is open (store.ts loadSysfs) */
function Dir({ path, name, siblings, empty, ctx }: { path: string; name: string; siblings: number; empty: boolean; ctx: Ctx }) {
  const open = isOpen(path, siblings, ctx.toggles);
  const d = ctx.dirs?.get(path);
  const onToggle = (ev: SyntheticEvent<HTMLDetailsElement>) => {
    const now = ev.currentTarget.open;
    if (now !== open) ctx.onToggle(path, now);
  };
  let entries = d?.entries ?? [];
  if (path === SYS_ROOT) {
    // the order a reviewer reads them in: the device tree first, then buses and classes
    const rank = (e: SysfsEntry) => {
      const i = ROOT_ORDER.indexOf(e.name);
      return i < 0 ? ROOT_ORDER.length : i;
    };
    entries = [...entries].sort((a, b) => rank(a) - rank(b));
  }
  return (
    <li className="bs-sys bs-sys--dir">
      <details open={open} onToggle={onToggle}>
        <summary>{name}/</summary>
        {open && !empty && !d && <div className="bs-muted bs-sys__pending" aria-busy="true">…</div>}
        {open && d && entries.length > 0 && (
          <ul>
            {entries.map((e) => (
              <Entry key={e.name} dir={path} e={e} siblings={d.total} ctx={ctx} />
            ))}
            {d.total > d.entries.length && (
              <li className="bs-sys">
                <button type="button" className="bs-linkbtn" data-testid="sysfs-more" onClick={() => ctx.onMore(path)}>
                  {(d.total - d.entries.length).toLocaleString('en')} more…
                </button>
              </li>
            )}
          </ul>
        )}
      </details>
    </li>
  );
}

/**
 * A browsable /sys at the current step; device attribute files show their content. The listing
 * stays in the worker (~700k entries at 100k devices): each open directory's entries are asked
 * for at the step (protocol.ts sysfsDirs), the first 200 shown and more on request.
 */
export function SysfsBrowser({ snapshot, step }: { snapshot: UiSnapshot; step: number }) {
  const view = useViewStore((s) => s.sysfsView);
  const run = useViewStore((s) => s.run);
  const toggles = useViewStore((s) => s.sysfsToggles);
  const toggle = useViewStore((s) => s.toggleSysfsDir);
  const more = useViewStore((s) => s.showMoreSysfs);
  const [cat, setCat] = useState<string | null>(null);
  const { devices } = snapshot;
  const deviceDirs = useMemo(() => new Set(devices.map((d) => `/sys${d.devpath}`)), [devices]);
  // what the worker sent for another step (or run) is not shown at this one
  const dirs = view && view.step === step && view.run === run ? view.dirs : null;
  const ctx: Ctx = { dirs, toggles, deviceDirs, onToggle: toggle, onMore: more, onCat: setCat };
  const content = cat ? sysfsFileContent(snapshot, cat, dirs) : null;
  return (
    <div className="bs-sysfs" data-testid="sysfs">
      <ul className="bs-sys-root">
        <Dir path={SYS_ROOT} name="sys" siblings={0} empty={false} ctx={ctx} />
      </ul>
      <div className="bs-cat" aria-live="polite">
        {cat ? (
          <>
            <div className="bs-mono">$ cat {cat}</div>
            <pre className="bs-pre">{content === undefined ? '…' : content === null ? '(no longer exists at this step)' : content || '(empty)'}</pre>
          </>
        ) : (
          <p className="bs-muted">Click an attribute file (uevent, modalias, driver_override) to read it.</p>
        )}
      </div>
    </div>
  );
}
