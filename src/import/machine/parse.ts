/**
 * Parsers for the sections of a machine bundle (scripts/capture-machine.sh, docs/machine-import.md).
 * Pure TypeScript (no DOM, no Node): the Web Worker runs them too. Every problem names the line
 * (1-based, in the bundle file) and, where it helps, the column.
 */

export interface ParseError {
  line: number;
  col: number;
  message: string;
}

/** one line of input with its line number in the bundle */
export interface Line {
  n: number;
  text: string;
}

export class Problems {
  readonly list: ParseError[] = [];
  constructor(private readonly max = 100) {}
  add(line: number, col: number, message: string): void {
    if (this.list.length < this.max) this.list.push({ line, col, message });
  }
  get full(): boolean {
    return this.list.length >= this.max;
  }
}

/** split text into lines (\n or \r\n), numbered from `first` */
export function toLines(text: string, first = 1): Line[] {
  const out: Line[] = [];
  let start = 0;
  let n = first;
  for (;;) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    let t = text.slice(start, end);
    if (t.endsWith('\r')) t = t.slice(0, -1);
    if (nl >= 0 || t.length) out.push({ n, text: t });
    if (nl < 0) break;
    start = nl + 1;
    n++;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// bundle sections

export const SECTION_MARK = '### bindscope-machine ';
export const KNOWN_SECTIONS = ['bundle', 'uname', 'hostname', 'udevadm-export-db', 'sysfs-listing', 'uevents', 'proc-modules', 'modules-builtin', 'modules-builtin-modinfo', 'modules-alias', 'end'] as const;
export type SectionName = (typeof KNOWN_SECTIONS)[number];

export interface Section {
  name: SectionName;
  /** line number of the "### bindscope-machine" header */
  line: number;
  lines: Line[];
}

/**
 * The bundle's sections. A text that is not a bundle but starts with a udevadm record ("P: ...")
 * is read as a bare `udevadm info --export-db`; one that starts with "d /sys" / "l /sys" / "f /sys"
 * as a bare sysfs listing.
 */
export function splitBundle(text: string, problems: Problems): Section[] {
  const lines = toLines(text);
  const first = lines.find((l) => l.text.trim() !== '');
  if (!first) {
    problems.add(1, 1, 'empty input: expected a bundle from scripts/capture-machine.sh, or `udevadm info --export-db` output');
    return [];
  }
  if (!first.text.startsWith(SECTION_MARK)) {
    if (/^[A-Z]: /.test(first.text)) return [{ name: 'udevadm-export-db', line: 0, lines }];
    if (/^[dlf] \/sys\//.test(first.text)) return [{ name: 'sysfs-listing', line: 0, lines }];
    problems.add(first.n, 1, `not a machine bundle: the first line should be "${SECTION_MARK}bundle 1" (scripts/capture-machine.sh), a udevadm record ("P: /devices/..."), or a sysfs listing line ("d /sys/devices ..."); got ${JSON.stringify(first.text.slice(0, 60))}`);
    return [];
  }
  const out: Section[] = [];
  let cur: Section | null = null;
  const seen = new Set<string>();
  for (const l of lines) {
    if (l.text.startsWith(SECTION_MARK)) {
      const rest = l.text.slice(SECTION_MARK.length).trim();
      const name = rest.split(/\s+/)[0] ?? '';
      if (!(KNOWN_SECTIONS as readonly string[]).includes(name)) {
        problems.add(l.n, SECTION_MARK.length + 1, `unknown section "${name}" (known: ${KNOWN_SECTIONS.join(', ')})`);
        cur = null;
        continue;
      }
      if (name === 'bundle' && rest !== 'bundle 1') problems.add(l.n, SECTION_MARK.length + 8, `bundle version "${rest.slice(7)}": this importer reads version 1`);
      if (seen.has(name)) problems.add(l.n, SECTION_MARK.length + 1, `section "${name}" appears twice`);
      seen.add(name);
      cur = { name: name as SectionName, line: l.n, lines: [] };
      out.push(cur);
      continue;
    }
    if (cur) cur.lines.push(l);
  }
  if (!seen.has('end')) problems.add(lines[lines.length - 1]?.n ?? 1, 1, `the bundle has no "${SECTION_MARK}end" line: it was cut short (copy the whole file)`);
  return out;
}

// ---------------------------------------------------------------------------------------------
// udevadm info --export-db

/** one udevadm record: P (devpath), the E: properties, and the other fields as lists */
export interface UdevRecord {
  line: number;
  devpath: string;
  env: Map<string, string>;
  /** M: sysname, U: subsystem, T: devtype, D: devnode type, N: devnode, L: priority, S: symlinks, ... */
  fields: Map<string, string[]>;
}

/**
 * `udevadm info --export-db` (systemd's udevadm-info.c print_record): records separated by blank
 * lines, each line "<letter>: <value>". P: the devpath, E: KEY=value properties; the others
 * (N, S, L, M, R, U, T, D, I, Q, V, W, G, J, B, C) are kept as they are.
 */
export function parseUdevadm(lines: Line[], problems: Problems): UdevRecord[] {
  const out: UdevRecord[] = [];
  let cur: UdevRecord | null = null;
  let curStart = 0;
  const close = () => {
    if (cur) out.push(cur);
    cur = null;
  };
  for (const l of lines) {
    if (l.text === '') {
      close();
      continue;
    }
    const m = /^([A-Z]): ?(.*)$/.exec(l.text);
    if (!m) {
      problems.add(l.n, 1, `udevadm: expected "<letter>: <value>" (e.g. "P: /devices/...", "E: KEY=value"), got ${JSON.stringify(l.text.slice(0, 60))}`);
      continue;
    }
    const [, key, value] = m as unknown as [string, string, string];
    if (key === 'P') {
      close();
      if (!value.startsWith('/')) problems.add(l.n, 4, `udevadm: P: must be a devpath starting with "/", got ${JSON.stringify(value.slice(0, 60))}`);
      cur = { line: l.n, devpath: value, env: new Map(), fields: new Map() };
      curStart = l.n;
      continue;
    }
    if (!cur) {
      problems.add(l.n, 1, `udevadm: "${key}:" line before any "P:" line (each record starts with its devpath)`);
      continue;
    }
    const rec: UdevRecord = cur;
    if (key === 'E') {
      const eq = value.indexOf('=');
      if (eq <= 0) {
        problems.add(l.n, 4, `udevadm: E: must be KEY=value, got ${JSON.stringify(value.slice(0, 60))} (record at line ${curStart})`);
        continue;
      }
      rec.env.set(value.slice(0, eq), value.slice(eq + 1));
      continue;
    }
    if (!'NSLMRUTDIQVWGJBC'.includes(key)) {
      problems.add(l.n, 1, `udevadm: unknown field "${key}:" (known: P N S L E M R U T D I Q V W G J B C)`);
      continue;
    }
    const list = rec.fields.get(key);
    if (list) list.push(value);
    else rec.fields.set(key, [value]);
  }
  close();
  return out;
}

// ---------------------------------------------------------------------------------------------
// sysfs listing: find ... -printf '%y %p %l\n'

export interface SysfsEntry {
  line: number;
  type: 'd' | 'f' | 'l';
  /** without the leading /sys */
  path: string;
  target: string | null;
}

export function parseSysfsListing(lines: Line[], problems: Problems): SysfsEntry[] {
  const out: SysfsEntry[] = [];
  for (const l of lines) {
    if (l.text === '') continue;
    const t = l.text[0];
    if ((t !== 'd' && t !== 'f' && t !== 'l') || l.text[1] !== ' ') {
      problems.add(l.n, 1, `sysfs listing: expected "<d|f|l> /sys/<path> [<link target>]" (find -printf '%y %p %l\\n'), got ${JSON.stringify(l.text.slice(0, 60))}`);
      continue;
    }
    const rest = l.text.slice(2);
    if (!rest.startsWith('/sys/')) {
      problems.add(l.n, 3, `sysfs listing: the path must start with /sys/, got ${JSON.stringify(rest.slice(0, 60))}`);
      continue;
    }
    // "%p %l": a directory or file line ends in one space (an empty %l); names may hold spaces (the pnp
    // driver "i8042 kbd"), so a link's target is found by its start: sysfs links are relative ("../"), or absolute
    let sp: number;
    if (t !== 'l') sp = rest.endsWith(' ') ? rest.length - 1 : -1;
    else {
      sp = rest.indexOf(' ../');
      if (sp < 0) sp = rest.indexOf(' /');
      if (sp < 0) sp = rest.indexOf(' ');
    }
    const path = (sp < 0 ? rest : rest.slice(0, sp)).slice(4);
    const target = sp < 0 ? '' : rest.slice(sp + 1);
    if (t === 'l' && !target) {
      problems.add(l.n, 3 + (sp < 0 ? rest.length : sp), `sysfs listing: symlink ${JSON.stringify('/sys' + path)} has no target`);
      continue;
    }
    out.push({ line: l.n, type: t, path, target: t === 'l' ? target : null });
  }
  return out;
}

/** resolve a relative link target against the link's directory: ("/devices/x/driver", "../../bus/pci/drivers/e1000e") → "/bus/pci/drivers/e1000e" */
export function resolveLink(linkPath: string, target: string): string {
  const parts = target.startsWith('/') ? [] : linkPath.split('/').slice(0, -1);
  for (const p of target.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') parts.pop();
    else parts.push(p);
  }
  let s = parts.filter((p) => p !== '').join('/');
  if (s.startsWith('sys/')) s = s.slice(3);
  else s = '/' + s;
  return s;
}

// ---------------------------------------------------------------------------------------------
// uevent files: "@ /sys/devices/.../uevent" then the file's KEY=value lines

export interface UeventFile {
  line: number;
  /** the device's devpath: "/devices/..." */
  devpath: string;
  env: Map<string, string>;
}

export function parseUevents(lines: Line[], problems: Problems): UeventFile[] {
  const out: UeventFile[] = [];
  let cur: UeventFile | null = null;
  for (const l of lines) {
    if (l.text === '') continue;
    if (l.text.startsWith('@ ')) {
      const p = l.text.slice(2);
      if (!p.startsWith('/sys/devices/') || !p.endsWith('/uevent')) {
        problems.add(l.n, 3, `uevents: expected "@ /sys/devices/<device>/uevent", got ${JSON.stringify(p.slice(0, 60))}`);
        cur = null;
        continue;
      }
      cur = { line: l.n, devpath: p.slice(4, -'/uevent'.length), env: new Map() };
      out.push(cur);
      continue;
    }
    const eq = l.text.indexOf('=');
    if (!cur) {
      problems.add(l.n, 1, `uevents: ${JSON.stringify(l.text.slice(0, 60))} before any "@ /sys/devices/.../uevent" line`);
      continue;
    }
    if (eq <= 0 || !/^[A-Za-z0-9_]+$/.test(l.text.slice(0, eq))) {
      problems.add(l.n, 1, `uevents: expected KEY=value in ${cur.devpath}/uevent, got ${JSON.stringify(l.text.slice(0, 60))}`);
      continue;
    }
    cur.env.set(l.text.slice(0, eq), l.text.slice(eq + 1));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// /proc/modules: "name size refcount deps state address [taints]" (kernel/module/procfs.c m_show)

export interface ProcModule {
  line: number;
  name: string;
  /** modules that use this one (the fourth column) */
  usedBy: string[];
  state: 'Live' | 'Loading' | 'Unloading';
}

export function parseProcModules(lines: Line[], problems: Problems): ProcModule[] {
  const out: ProcModule[] = [];
  for (const l of lines) {
    if (l.text.trim() === '') continue;
    const f = l.text.trim().split(/\s+/);
    if (f.length < 5) {
      problems.add(l.n, 1, `/proc/modules: expected "name size refcount deps state address", got ${f.length} field(s): ${JSON.stringify(l.text.slice(0, 60))}`);
      continue;
    }
    const [name, size, , deps, state] = f as [string, string, string, string, string];
    if (!/^[A-Za-z0-9_-]+$/.test(name)) {
      problems.add(l.n, 1, `/proc/modules: module name ${JSON.stringify(name.slice(0, 40))} is not [A-Za-z0-9_-]`);
      continue;
    }
    if (!/^\d+$/.test(size)) {
      problems.add(l.n, name.length + 2, `/proc/modules: size ${JSON.stringify(size)} of ${name} is not a number`);
      continue;
    }
    if (state !== 'Live' && state !== 'Loading' && state !== 'Unloading') {
      const col = l.text.indexOf(state) + 1;
      problems.add(l.n, col, `/proc/modules: state of ${name} is ${JSON.stringify(state)}: expected Live, Loading or Unloading`);
      continue;
    }
    out.push({ line: l.n, name, usedBy: deps === '-' ? [] : deps.split(',').filter(Boolean), state });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// modules.alias ("alias <pattern> <module>"), modules.builtin (paths), builtin modinfo ("module.alias=pattern")

export interface AliasLine {
  line: number;
  pattern: string;
  module: string;
}

/** kmod's module name normalisation: '-' and '_' are the same */
export function modName(s: string): string {
  return s.replace(/-/g, '_');
}

export function parseModulesAlias(lines: Line[], problems: Problems): AliasLine[] {
  const out: AliasLine[] = [];
  for (const l of lines) {
    const t = l.text.trim();
    if (t === '' || t.startsWith('#')) continue;
    const f = t.split(/\s+/);
    if (f[0] !== 'alias' || f.length !== 3) {
      problems.add(l.n, 1, `modules.alias: expected "alias <pattern> <module>", got ${JSON.stringify(t.slice(0, 60))}`);
      continue;
    }
    out.push({ line: l.n, pattern: f[1]!, module: modName(f[2]!) });
  }
  return out;
}

export function parseModulesBuiltin(lines: Line[], problems: Problems): { line: number; module: string }[] {
  const out: { line: number; module: string }[] = [];
  for (const l of lines) {
    const t = l.text.trim();
    if (t === '') continue;
    const m = /^(?:[^\s/]+\/)*([^\s/]+)\.ko$/.exec(t);
    if (!m) {
      problems.add(l.n, 1, `modules.builtin: expected a path such as kernel/drivers/tty/serial/8250/8250.ko, got ${JSON.stringify(t.slice(0, 60))}`);
      continue;
    }
    out.push({ line: l.n, module: modName(m[1]!) });
  }
  return out;
}

export function parseBuiltinModinfo(lines: Line[], problems: Problems): AliasLine[] {
  const out: AliasLine[] = [];
  for (const l of lines) {
    const t = l.text;
    if (t.trim() === '') continue;
    const m = /^([A-Za-z0-9_-]+)\.alias=(.+)$/.exec(t);
    if (!m) {
      problems.add(l.n, 1, `modules.builtin.modinfo: expected "<module>.alias=<pattern>", got ${JSON.stringify(t.slice(0, 60))}`);
      continue;
    }
    out.push({ line: l.n, pattern: m[2]!, module: modName(m[1]!) });
  }
  return out;
}
