/**
 * The view as plain text for a mail reply: at most 80 columns, no tabs. The outcome in one
 * sentence, the device tree under the root the firmware services hang from (`tree` style,
 * with the bound drivers), the device uevents as `udevadm monitor` prints them (one line
 * each, MODALIAS and DRIVER beside or under it), and the compare table when comparing.
 * One formatter serves the UI's "Copy as text" and `npm run sim -- <id> --format mail`.
 * Pure: unit-tested in mail.test.ts.
 */
import type { DeviceView, Snapshot } from '../../engine/api';
import type { SnapshotCore } from '../../worker/protocol';
import { compareServices, serviceScope, shownSections } from '../compare';
import { moduleOutcome } from '../outcome';

export const MAIL_WIDTH = 80;

export interface MailSide {
  id: string;
  title: string;
  /** the state at the step, with the uevents sent by then (the UI fetches them for the text: store.ts mailInput) */
  snapshot: SnapshotCore & Pick<Snapshot, 'uevents'>;
  /** index of the last event of the run (the snapshot's step is where the view is) */
  lastStep: number;
  focusModule?: string;
}

export interface MailInput extends MailSide {
  /** the other design, when comparing */
  compare?: MailSide;
}

/**
 * Breaks a line into pieces of at most `width` columns, at a space or after a "/", ".",
 * ":" or "," where it can, else anywhere; continuation lines start with `indent`.
 */
export function wrapLine(line: string, width = MAIL_WIDTH, indent = '    '): string[] {
  const out: string[] = [];
  let rest = line.replace(/\t/g, '    ').replace(/\s+$/, '');
  while ([...rest].length > width) {
    const room = width;
    const chars = [...rest];
    let cut = -1;
    for (let i = room; i > Math.floor(room / 3); i--) {
      const c = chars[i - 1]!;
      if (chars[i] === ' ') { cut = i; break; }
      if ('/.:,'.includes(c) && i < chars.length) { cut = i; break; }
    }
    if (cut < 0) cut = room;
    out.push(chars.slice(0, cut).join('').replace(/\s+$/, ''));
    rest = indent + chars.slice(cut).join('').replace(/^ +/, '');
  }
  out.push(rest);
  return out;
}

/** wraps prose to `width` at spaces */
function paragraph(text: string, width = MAIL_WIDTH, indent = ''): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let cur = '';
  for (const w of words) {
    if (!cur) cur = indent + w;
    else if ([...cur].length + 1 + [...w].length <= width) cur += ' ' + w;
    else {
      lines.push(cur);
      cur = indent + w;
    }
  }
  if (cur) lines.push(cur);
  return lines.flatMap((l) => wrapLine(l, width, indent));
}

const commonDir = (paths: string[]): string => {
  if (!paths.length) return '/devices';
  const parts = paths.map((p) => p.split('/'));
  const out: string[] = [];
  for (let i = 0; ; i++) {
    const seg = parts[0]![i];
    if (seg === undefined || !parts.every((p) => p[i] === seg && i < p.length - 1)) break;
    out.push(seg);
  }
  const dir = out.join('/');
  return dir.startsWith('/devices') ? dir : '/devices';
};

/**
 * `tree /sys<root>` of the devices that matter: the firmware services' devices, their
 * ancestors under the root and what hangs under them; with no service device, every device.
 */
export function mailTree(s: SnapshotCore, focusModule?: string): string[] {
  const scope = serviceScope(s, focusModule);
  const service = [...scope.devices].filter((p) => s.devices.some((d) => d.devpath === p));
  let root = service.length ? commonDir(service) : '/devices';
  // a device as the root (arm-smccc above its auxiliary children) is shown as a node, with its driver or none
  while (root !== '/devices' && s.devices.some((d) => d.devpath === root && d.bus)) root = root.slice(0, root.lastIndexOf('/'));
  const keep = (d: DeviceView) =>
    !service.length ? d.bus !== null || d.class !== null || s.devices.some((x) => x.devpath.startsWith(d.devpath + '/') && (x.bus || x.class))
      : service.some((p) => p === d.devpath || p.startsWith(d.devpath + '/') || d.devpath.startsWith(p + '/'));
  const shown = s.devices.filter((d) => d.devpath.startsWith(root + '/') && keep(d));
  const lines = [`/sys${root}`];
  const parentOf = (d: DeviceView) => (d.parent && shown.some((x) => x.devpath === d.parent) ? d.parent : root);
  const kidsOf = (parent: string) => shown.filter((d) => parentOf(d) === parent).sort((a, b) => (a.devpath < b.devpath ? -1 : 1));
  const walk = (parent: string, prefix: string) => {
    const kids = kidsOf(parent);
    kids.forEach((d, i) => {
      const last = i === kids.length - 1;
      const rel = d.devpath.slice(parent.length + 1);
      const what = d.bus
        ? `${d.bus} bus, ${d.driver ? `driver ${d.driver}` : d.deferred ? 'probe deferred' : 'no driver'}`
        : d.class
          ? `class ${d.class}`
          : '';
      const head = `${prefix}${last ? '└── ' : '├── '}${rel}`;
      const cont = prefix + (last ? '    ' : '│   ');
      const tag = what ? `  (${what})` : '';
      if ([...head].length + tag.length <= MAIL_WIDTH) lines.push(head + tag);
      else {
        lines.push(...wrapLine(head, MAIL_WIDTH, cont + '  '));
        if (tag) lines.push(...wrapLine(cont + '    ' + tag.trim(), MAIL_WIDTH, cont + '      '));
      }
      walk(d.devpath, cont);
    });
  };
  walk(root, '');
  if (lines.length === 1) lines.push('(no devices)');
  return lines;
}

/** the device uevents in `udevadm monitor --kernel --property` form, one line each */
export function mailUevents(s: Pick<Snapshot, 'uevents'>): string[] {
  const out: string[] = [];
  for (const u of s.uevents) {
    if (!u.devpath.startsWith('/devices/')) continue;
    const base = `KERNEL[${u.seq}] ${u.action} ${u.devpath}`;
    const sub = `(${u.subsystem})`;
    const env = new Map(u.env);
    const extra = ['DRIVER', 'MODALIAS'].filter((k) => env.has(k)).map((k) => `${k}=${env.get(k)}`);
    const one = [base, sub, ...extra].join(' ');
    if ([...one].length <= MAIL_WIDTH) {
      out.push(one);
      continue;
    }
    // the head, then the rest packed into indented continuation lines, a variable never split
    const fitsHead = [...base].length + 1 + sub.length <= MAIL_WIDTH;
    out.push(...(fitsHead ? [`${base} ${sub}`] : wrapLine(base, MAIL_WIDTH, '    ')));
    let cur = '';
    for (const tok of fitsHead ? extra : [sub, ...extra]) {
      if (cur && [...cur].length + 1 + [...tok].length > MAIL_WIDTH) {
        out.push(...wrapLine(cur, MAIL_WIDTH, '    '));
        cur = '';
      }
      cur = cur ? `${cur} ${tok}` : `    ${tok}`;
    }
    if (cur) out.push(...wrapLine(cur, MAIL_WIDTH, '    '));
  }
  if (!out.length) out.push('(no device uevents yet)');
  return out;
}

/** cells of at most `width` columns, as lines */
const cell = (text: string, width: number) => paragraph(text.replace(/\s+/g, ' '), width).map((l) => l.trimStart());

/** the compare table: per service, the rows that differ and one line for what A and B share */
export function mailCompareTable(a: MailSide, b: MailSide): string[] {
  const sections = shownSections(compareServices(a.snapshot, b.snapshot, { a: a.focusModule, b: b.focusModule }), false);
  const L = 14;
  const C = Math.floor((MAIL_WIDTH - L - 4) / 2); // 31
  const row = (label: string, x: string, y: string, mark = '') => {
    const labels = label ? cell(label, L - 2).map((l, i) => (i === 0 && mark ? mark : '  ') + l) : [''];
    const cols = [labels, cell(x, C), cell(y, C)];
    const n = Math.max(...cols.map((c) => c.length));
    const lines: string[] = [];
    for (let i = 0; i < n; i++) {
      lines.push(`${(cols[0]![i] ?? '').padEnd(L)}  ${(cols[1]![i] ?? '').padEnd(C)}  ${cols[2]![i] ?? ''}`.replace(/\s+$/, ''));
    }
    return lines;
  };
  const rule = '-'.repeat(MAIL_WIDTH);
  const out = [...row('', `A: ${a.id}`, `B: ${b.id}`), rule];
  // the header cells are ids: never wrapped mid-word by cell() unless longer than a column
  for (const sec of sections) {
    out.push(sec.service);
    for (const r of sec.rows) out.push(...row(r.label, r.a, r.b, r.differs ? '* ' : ''));
    if (sec.summary) out.push(...paragraph(sec.summary, MAIL_WIDTH, '  '));
    out.push('');
  }
  if (!sections.length) out.push('(neither design has a device for RSI, RMI or TRNG)', '');
  out.push('* = differs between A and B');
  return out;
}

function side(x: MailSide, label: string): string[] {
  const s = x.snapshot;
  const outcome = moduleOutcome(s, x.focusModule);
  const tree = mailTree(s, x.focusModule);
  return [
    ...paragraph(`${label}${x.title}`),
    `(bindscope design "${x.id}", Linux ${s.kernelVersion}, event ${s.step + 1} of ${x.lastStep + 1})`,
    ...(outcome ? ['', ...paragraph(`${outcome.headline}: ${outcome.why}`)] : []),
    '',
    `$ tree ${tree[0]}   (devices only, with the bound drivers)`,
    ...tree,
    '',
    '$ udevadm monitor --kernel --property   (device events only)',
    ...mailUevents(s),
  ];
}

/** The whole text: one design, or two and their compare table. */
export function formatMail(input: MailInput): string {
  const lines = input.compare
    ? [...side(input, 'A: '), '', ...side(input.compare, 'B: '), '', 'What each design makes of the firmware services:', '', ...mailCompareTable(input, input.compare)]
    : side(input, '');
  return lines.flatMap((l) => ([...l].length > MAIL_WIDTH ? wrapLine(l) : [l])).join('\n') + '\n';
}
