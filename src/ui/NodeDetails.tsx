import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { DeviceView, DriverView, FirmwareNodeView, MatchInfo, ModuleView } from '../engine/api';
import type { SnapshotCore, UiSnapshot } from '../worker/protocol';
import type { RunHead } from '../worker/protocol';
import type { UserAction } from '../engine/index';
import { Breakable as B } from './Breakable';
import { nodeId } from './graph/toFlow';
import { moduleOutcome, outcomeContext } from './outcome';
import { useViewStore } from './store';

type Found =
  | { kind: 'device'; view: DeviceView }
  | { kind: 'driver'; view: DriverView }
  | { kind: 'module'; view: ModuleView }
  | { kind: 'firmware'; view: FirmwareNodeView };

function findView(snapshot: SnapshotCore, id: string): Found | null {
  for (const d of snapshot.devices) if (nodeId.device(d.devpath) === id) return { kind: 'device', view: d };
  for (const d of snapshot.drivers) if (nodeId.driver(d.id) === id) return { kind: 'driver', view: d };
  for (const m of snapshot.modules) if (nodeId.module(m.name) === id) return { kind: 'module', view: m };
  for (const f of snapshot.firmware) if (nodeId.firmware(f.id) === id) return { kind: 'firmware', view: f };
  return null;
}

function Field({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="bs-field" data-testid={testId}>
      <dt><B text={label} /></dt>
      <dd>{children ?? '—'}</dd>
    </div>
  );
}

function Explain({ matches }: { matches: MatchInfo[] | null }) {
  if (matches === null) return <p className="bs-muted">Asking the engine…</p>;
  if (matches.length === 0) return <p className="bs-muted">No driver on this bus was considered for this device.</p>;
  return (
    <ul className="bs-explain" data-testid="explain">
      {matches.map((m, i) => (
        <li key={i} className={m.matched ? 'bs-explain--yes' : 'bs-explain--no'}>
          <strong>{m.matched ? '✓ matches' : '✗ no match'}</strong> {m.bus} driver <code><B text={m.driver} /></code> by <B text={m.rule} />
          <div className="bs-mono"><B text={m.compared} /></div>
          <div className="bs-cite"><B text={m.cite} /></div>
        </li>
      ))}
    </ul>
  );
}

function DeviceActions({ d, snapshot, act }: { d: DeviceView; snapshot: UiSnapshot; act(a: UserAction): void }) {
  const [override, setOverride] = useState('');
  const candidates = snapshot.drivers.filter((x) => x.bus === d.bus && x.bindAttrs);
  const [bindTo, setBindTo] = useState('');
  // the bus gives its devices a driver_override file (the worker asks the bus: protocol.ts UiSnapshot)
  const hasOverride = d.bus !== null && snapshot.overrideBuses.includes(d.bus);
  const bus = d.bus ?? undefined;
  const devmKids = snapshot.devices.filter((x) => x.devmParent === d.devpath);
  return (
    <div className="bs-actions" role="group" aria-label={`Actions on ${d.name}`}>
      {!d.driver && d.bus && devmKids.length > 0 && (
        <p className="bs-muted" data-testid="unbound-devres">
          Unbound, yet it holds the devres of <B text={devmKids.map((x) => x.name).join(', ')} />: they go only when <B text={d.name} /> is deleted, and a driver that
          later matched it would fail in really_probe() with "Resources present before probing" (-EBUSY).
          <span className="bs-cite"><B text="drivers/base/dd.c:really_probe · drivers/base/auxiliary.c:__devm_auxiliary_device_create" /></span>
        </p>
      )}
      {d.driver && d.unbindable && (
        <button type="button" data-testid="action-unbind" onClick={() => act({ op: 'unbind', device: d.name, bus })}>
          <B text={`echo ${d.name} > …/drivers/${d.driver}/unbind`} />
        </button>
      )}
      {d.driver && !d.unbindable && (
        <p className="bs-muted" data-testid="no-unbind">
          No unbind: driver <B text={d.driver} /> has no bind/unbind files (suppress_bind_attrs).
        </p>
      )}
      {!d.driver && d.bus && candidates.length > 0 && (
        <span className="bs-inline-form">
          <select aria-label="Driver to bind" value={bindTo} onChange={(e) => setBindTo(e.target.value)}>
            <option value="">bind to…</option>
            {candidates.map((c) => (
              <option key={c.id} value={c.name}>{c.name}</option>
            ))}
          </select>
          <button type="button" data-testid="action-bind" disabled={!bindTo} onClick={() => act({ op: 'bind', device: d.name, driver: bindTo, bus })}>
            bind
          </button>
        </span>
      )}
      {hasOverride && (
        <span className="bs-inline-form">
          <input aria-label="driver_override value" placeholder="driver_override" value={override} onChange={(e) => setOverride(e.target.value)} />
          <button type="button" onClick={() => act({ op: 'driver_override', device: d.name, value: override })}>set</button>
        </span>
      )}
      {d.bus && (
        <button type="button" data-testid="action-remove" onClick={() => act({ op: 'remove_device', device: d.name })}>
          remove device (hot-unplug)
        </button>
      )}
    </div>
  );
}

import { focusGraphNode } from './focus';

export { focusGraphNode };

interface Props {
  snapshot: UiSnapshot | null;
  summary: RunHead | null;
  selected: string | null;
}

/** Side panel: the selected node's details, match explanations and user actions, or the run's summary. */
export function NodeDetails({ snapshot, summary, selected }: Props) {
  const explain = useViewStore((s) => s.explain);
  const uevent = useViewStore((s) => s.selectedUevent);
  const applyAction = useViewStore((s) => s.applyAction);
  const step = useViewStore((s) => s.step);
  const select = useViewStore((s) => s.select);
  const run = useViewStore((s) => s.run);
  const side = useViewStore((s) => s.designs.find((d) => d.id === s.designId)?.side);
  const act = (a: UserAction) => void applyAction(a);
  const heading = useRef<HTMLHeadingElement>(null);
  // a node chosen from the graph (Enter on it, or a click): focus moves here, so its
  // actions are a Tab away; Esc (or ×) gives focus back to the node (focusGraphNode)
  useEffect(() => {
    if (document.activeElement?.closest('.react-flow__node')) heading.current?.focus();
  }, [selected]);
  const close = (
    <button
      type="button"
      className="bs-close"
      onClick={() => {
        const id = selected;
        void select(null);
        if (id) focusGraphNode(id);
      }}
      aria-label="Close details"
      data-testid="details-close"
    >
      ×
    </button>
  );
  const found = snapshot && selected ? findView(snapshot, selected) : null;

  if (!found || !snapshot) {
    return (
      <aside className="bs-panel" data-testid="details-panel" aria-label="Details">
        {close}
        <h2>{summary ? summary.title : 'No scenario'}</h2>
        {summary && <p className="bs-muted">{summary.source}</p>}
        {snapshot && (
          <p>
            At step {step + 1}: {snapshot.devices.length} devices, {snapshot.drivers.length} drivers, {snapshot.modules.length} modules
            {summary ? ` (${summary.eventCount} events in the run)` : ''}.
          </p>
        )}
        <p className="bs-muted">The selected node does not exist at this step.</p>
      </aside>
    );
  }

  let body: ReactNode;
  if (found.kind === 'device') {
    const d = found.view;
    body = (
      <>
        <dl>
          <Field label="sysfs path" testId="detail-sysfs"><span className="bs-mono"><B text={`/sys${d.devpath}`} /></span></Field>
          <Field label="bus / class"><B text={d.bus ?? (d.class ? `class ${d.class}` : 'none')} /></Field>
          <Field label="driver" testId="detail-driver"><B text={d.driver ?? (d.deferred ? 'none (probe deferred)' : 'none (unbound)')} /></Field>
          <Field label="MODALIAS" testId="detail-modalias"><span className="bs-mono"><B text={d.modalias ?? 'none'} /></span></Field>
          <Field label="uevent file" testId="detail-uevent">
            <pre className="bs-pre">{uevent === null ? '…' : uevent.length ? uevent.map((l, i) => <div key={i}><B text={l} /></div>) : '(empty)'}</pre>
          </Field>
          {d.driverOverride !== null && <Field label="driver_override"><B text={d.driverOverride} /></Field>}
          <Field label="firmware"><B text={d.firmwareNode ?? d.ofNode ?? d.acpiHid ?? '—'} /></Field>
          {d.devmParent && <Field label="devm owner"><span className="bs-mono"><B text={d.devmParent} /></span></Field>}
          <Field label="created by"><B text={d.createdBy ?? '—'} /></Field>
        </dl>
        {d.bus && (
          <>
            <h3>Drivers considered</h3>
            <Explain matches={explain} />
          </>
        )}
        <h3>Act at this step</h3>
        <DeviceActions key={d.devpath} d={d} snapshot={snapshot} act={act} />
      </>
    );
  } else if (found.kind === 'driver') {
    const d = found.view;
    body = (
      <dl>
        <Field label="bus"><B text={d.bus} /></Field>
        <Field label="module"><B text={d.module ?? 'built in'} /></Field>
        <Field label="bind/unbind"><B text={d.bindAttrs ? `/sys/bus/${d.bus}/drivers/${d.name}/{bind,unbind}` : 'none (suppress_bind_attrs)'} /></Field>
        <Field label="devices bound"><span className="bs-mono">{d.devices.length ? d.devices.map((x) => <div key={x}><B text={x} /></div>) : 'none'}</span></Field>
      </dl>
    );
  } else if (found.kind === 'module') {
    const m = found.view;
    const outcome = moduleOutcome(snapshot, m.name, outcomeContext(run, step, side));
    body = (
      <>
        <dl>
          <Field label="state" testId="detail-module-state">{m.state}</Field>
          {outcome && <Field label="why" testId="detail-module-why"><B text={outcome.why} /></Field>}
          <Field label="loaded by"><B text={m.loadedBy ? (m.loadedBy === 'manual' ? 'modprobe by hand' : `udev, alias ${m.loadedBy}`) : '—'} /></Field>
          <Field label="where">{m.location === 'absent' ? 'absent from the initramfs/rootfs' : m.location}</Field>
          <Field label="modules.alias"><span className="bs-mono">{m.aliases.length ? m.aliases.map((a) => <div key={a}><B text={a} /></div>) : 'none (nothing can autoload it)'}</span></Field>
          <Field label="drivers"><B text={m.drivers.length ? m.drivers.join(', ') : 'none'} /></Field>
        </dl>
        <h3>Act at this step</h3>
        <div className="bs-actions">
          {m.state !== 'loaded' && m.state !== 'builtin' && m.state !== 'loading' && (
            <button type="button" data-testid="action-modprobe" onClick={() => act({ op: 'modprobe', module: m.name })}><B text={`modprobe ${m.name}`} /></button>
          )}
          {m.state === 'loaded' && (
            <button type="button" data-testid="action-rmmod" onClick={() => act({ op: 'rmmod', module: m.name })}><B text={`rmmod ${m.name}`} /></button>
          )}
          {m.state === 'builtin' && <p className="bs-muted">Built-in code cannot be loaded or removed.</p>}
        </div>
      </>
    );
  } else {
    const f = found.view;
    body = (
      <dl>
        <Field label="kind"><B text={f.kind} /></Field>
        {Object.entries(f.props).map(([k, v]) => (
          <Field key={k} label={k}><B text={String(v)} /></Field>
        ))}
        <Field label="gave rise to"><span className="bs-mono">{f.devices.length ? f.devices.map((x) => <div key={x}><B text={x} /></div>) : 'no device'}</span></Field>
      </dl>
    );
  }

  return (
    <aside className="bs-panel" data-testid="details-panel" aria-label="Details">
      {close}
      <h2 ref={heading} tabIndex={-1}>
        <span className={`bs-tag bs-tag--${found.kind}`}>{found.kind}</span>{' '}
        <B text={'name' in found.view ? found.view.name : found.view.label} />
      </h2>
      {body}
    </aside>
  );
}
