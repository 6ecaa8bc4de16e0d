/**
 * Design review: rules, written as data, that flag what maintainers flag in a design's run —
 * each rule selects rows (devices, modules or trace events at the end of the run), filters them
 * with field conditions, and reports a finding per row with the kernel source it rests on and,
 * where the Arm CCA thread argued it, the quote. Rules are validated like scenarios.
 */
import type { Snapshot, TraceEvent } from '../api';

type Scalar = string | number | boolean | null;
/** a condition on one field: a value (equality), or { not }, { in }, { gt }, { lt }, { startsWith } */
export type Condition = Scalar | { not: Scalar } | { in: Scalar[] } | { gt: number } | { lt: number } | { startsWith: string };

/** a rule (validated from JSON by ./schema.ts; the evaluator here imports nothing, so the UI can run it) */
export interface ReviewRule {
  id: string;
  severity: 'error' | 'warning' | 'info';
  title: string;
  /** what the rule looks at: the final devices or modules, or every event of the trace */
  select: 'devices' | 'modules' | 'events';
  /** every field condition must hold (fields: docs/review-rules.md) */
  where: Record<string, Condition>;
  /** the finding: "{field}" is replaced by the row's value */
  message: string;
  /** the kernel source or documentation it rests on */
  cite: string;
  /** where the CCA thread argued it */
  quote?: { text: string; author: string; date: string; list: string };
}

export interface Finding {
  rule: string;
  severity: ReviewRule['severity'];
  title: string;
  /** the device path, module name or event index the finding is about */
  where: string;
  message: string;
  cite: string;
  quote?: ReviewRule['quote'];
}

type Row = Record<string, string | number | boolean | null>;

type Rows = { where: string; row: Row }[];

/** the device rows (fields: docs/review-rules.md) */
function deviceRows(snap: Snapshot): Rows {
  const devmKids = new Map<string, number>();
  for (const d of snap.devices) if (d.devmParent) devmKids.set(d.devmParent, (devmKids.get(d.devmParent) ?? 0) + 1);
  const byPath = new Map(snap.devices.map((d) => [d.devpath, d]));
  return snap.devices.map((d) => {
    const parent = d.parent ? byPath.get(d.parent) : undefined;
    return {
      where: d.devpath,
      row: {
        name: d.name, devpath: d.devpath, bus: d.bus, class: d.class, driver: d.driver, modalias: d.modalias,
        ofNode: d.ofNode, acpiHid: d.acpiHid, createdBy: d.createdBy, unbindable: d.unbindable, deferred: d.deferred,
        devmChildren: devmKids.get(d.devpath) ?? 0,
        parentName: parent?.name ?? null, parentBus: parent?.bus ?? null, parentDriver: parent ? parent.driver : null,
        isRoot: !d.bus && !d.class,
      },
    };
  });
}

/** the module rows */
function moduleRows(snap: Snapshot): Rows {
  const boundBy = new Map<string, number>();
  for (const drv of snap.drivers) if (drv.module) boundBy.set(drv.module, (boundBy.get(drv.module) ?? 0) + drv.devices.length);
  const fauxBy = new Map<string, number>();
  for (const d of snap.devices) if (d.bus === 'faux' && d.createdBy) fauxBy.set(d.createdBy, (fauxBy.get(d.createdBy) ?? 0) + 1);
  return snap.modules.map((m) => ({
    where: m.name,
    row: {
      name: m.name, state: m.state, location: m.location, loadedBy: m.loadedBy, initRet: m.initRet,
      drivers: m.drivers.length, aliases: m.aliases.length, boundDevices: boundBy.get(m.name) ?? 0, fauxDevices: fauxBy.get(m.name) ?? 0,
    },
  }));
}

/** the event rows of events[0..upTo), one at a time: a rule stops at its first match, and a long trace is never copied */
function* eventRows(events: TraceEvent[], upTo: number): Generator<{ where: string; row: Row }> {
  for (let i = 0; i < upTo; i++) {
    const e = events[i]!;
    yield {
      where: `event ${e.index + 1}`,
      row: {
        kind: e.kind, errno: e.errno ?? null, cite: e.cite, text: e.text,
        matchRule: e.match?.rule ?? null, matched: e.match?.matched ?? null, bus: e.match?.bus ?? null, driver: e.match?.driver ?? null, device: e.match?.device ?? null,
      },
    };
  }
}

function holds(v: Row[string] | undefined, c: Condition): boolean {
  const value = v ?? null;
  if (c === null || typeof c !== 'object') return value === c;
  if ('not' in c) return value !== c.not;
  if ('in' in c) return c.in.includes(value);
  if ('gt' in c) return typeof value === 'number' && value > c.gt;
  if ('lt' in c) return typeof value === 'number' && value < c.lt;
  return typeof value === 'string' && value.startsWith(c.startsWith);
}

/** "{name}" → the row's value; unknown fields stay as written */
function fill(template: string, row: Row): string {
  return template.replace(/\{([A-Za-z]+)\}/g, (all, f: string) => (Object.hasOwn(row, f) ? String(row[f]) : all));
}

/** the findings of `rules` on a state and the events that led to it (the first `upTo` of `events`) */
export function review(snap: Snapshot, events: TraceEvent[], rules: ReviewRule[], upTo = events.length): Finding[] {
  // device and module rows are built once, and only if a rule selects them
  let devices: Rows | null = null;
  let modules: Rows | null = null;
  const rowsOf = (select: ReviewRule['select']): Iterable<{ where: string; row: Row }> =>
    select === 'devices' ? (devices ??= deviceRows(snap)) : select === 'modules' ? (modules ??= moduleRows(snap)) : eventRows(events, Math.min(upTo, events.length));
  const out: Finding[] = [];
  for (const r of rules) {
    for (const { where, row } of rowsOf(r.select)) {
      if (!Object.entries(r.where).every(([f, c]) => holds(Object.hasOwn(row, f) ? row[f] : undefined, c))) continue;
      out.push({ rule: r.id, severity: r.severity, title: r.title, where, message: fill(r.message, row), cite: r.cite, ...(r.quote ? { quote: r.quote } : {}) });
      // one finding per event rule: the first event that shows it
      if (r.select === 'events') break;
    }
  }
  return out;
}
