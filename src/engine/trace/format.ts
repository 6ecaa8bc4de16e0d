/**
 * Text renderings of a snapshot in the styles kernel developers know: `tree /sys/devices`,
 * `udevadm monitor --kernel --property`, `dmesg`, `lsmod`. Pure functions of the engine's
 * types, shared by the CLI and the UI (src/ui/views).
 */
import type { ModuleView, Snapshot, UeventRecord } from '../api';

/**
 * Control characters (C0, DEL, C1) in a string from input, made visible as \xNN (\n, \t as
 * themselves escaped): a device name with a newline or an ANSI escape cannot forge a
 * MODALIAS= or SEQNUM= line, or recolour a terminal, in any text output.
 */
export function escapeControl(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => (c === '\n' ? '\\n' : c === '\t' ? '\\t' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
}

/** every string in a value, escaped with escapeControl (for text output of a snapshot) */
export function escapeStrings<T>(v: T): T {
  if (typeof v === 'string') return escapeControl(v) as T;
  if (Array.isArray(v)) return v.map((x) => escapeStrings(x)) as T;
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = escapeStrings(x);
    return out as T;
  }
  return v;
}

/**
 * One uevent as `udevadm monitor --kernel --property` prints it. The engine has no clock,
 * so the bracket holds the SEQNUM where udevadm shows a timestamp.
 */
export function formatUevent(u: UeventRecord): string {
  const head = `KERNEL[${u.seq}] ${u.action.padEnd(8)} ${u.devpath} (${u.subsystem})`;
  return [head, ...u.env.map(([k, v]) => `${k}=${v}`)].join('\n');
}

export function formatUeventLog(uevents: UeventRecord[]): string {
  if (uevents.length === 0) return '(no uevents yet)';
  return ['monitor will print the received events for:', 'KERNEL - the kernel uevent', '', ...uevents.map((u) => formatUevent(u) + '\n')].join('\n');
}

export function formatDmesg(log: string[]): string {
  if (log.length === 0) return '(kernel log empty)';
  return log.map((line, i) => `[${String(i + 1).padStart(5)}] ${line}`).join('\n');
}

/**
 * lsmod lists loaded modules only; built-in code is in modules.builtin and never in lsmod.
 * Sizes are not modelled. "Used by" is /proc/modules' module_refcount(): a device bound to one of
 * the module's drivers takes no reference (really_probe does not module_get the driver's owner,
 * which is why rmmod can unbind it), and the scenarios have no symbol dependencies between
 * modules (no holders), so it is 0 for every module here.
 */
export function formatLsmod(snapshot: Snapshot): string {
  const loaded = snapshot.modules.filter((m) => m.state === 'loaded');
  const rows = loaded.map((m) => `${m.name.padEnd(24)}${'0'.padStart(4)}   ${m.loadedBy === 'manual' ? 'modprobe by hand' : m.loadedBy ? `udev: alias ${m.loadedBy}` : ''}`);
  const others = (state: ModuleView['state'] | 'absent', title: string) => {
    const ms = snapshot.modules.filter((m) => (state === 'absent' ? m.location === 'absent' && m.state === 'not-loaded' : m.state === state && !(state === 'not-loaded' && m.location === 'absent')));
    return ms.length ? ['', `# ${title}: ${ms.map((m) => m.name).join(', ')}`] : [];
  };
  return [
    `${'Module'.padEnd(24)}Used by   Loaded through`,
    ...(rows.length ? rows : ['(no modules loaded)']),
    ...others('builtin', 'built in (modules.builtin, not listed by lsmod)'),
    ...others('loading', 'Loading (module_init running; /proc/modules state "Loading")'),
    ...others('not-loaded', 'on disk, not loaded'),
    ...others('absent', 'absent from the initramfs/rootfs'),
    ...others('failed', 'module_init failed'),
  ].join('\n');
}

/** `tree /sys/devices`, each device annotated with its bus, driver and MODALIAS */
export function formatDeviceTree(s: Snapshot): string {
  const byParent = new Map<string | null, typeof s.devices>();
  for (const d of s.devices) {
    const p = d.parent;
    byParent.set(p, [...(byParent.get(p) ?? []), d]);
  }
  const lines = ['/sys/devices'];
  const walk = (parent: string | null, prefix: string) => {
    const kids = (byParent.get(parent) ?? []).sort((a, b) => (a.devpath < b.devpath ? -1 : 1));
    kids.forEach((d, i) => {
      const last = i === kids.length - 1;
      const rel = parent ? d.devpath.slice(parent.length + 1) : d.devpath.replace(/^\/devices\//, '');
      const tags = [
        d.bus ? `bus=${d.bus}` : d.class ? `class=${d.class}` : 'root',
        d.bus ? (d.driver ? `driver=${d.driver}` : 'UNBOUND') : '',
        d.modalias ? `MODALIAS=${d.modalias}` : d.bus ? 'no MODALIAS' : '',
        d.deferred ? 'probe deferred' : '',
      ].filter(Boolean);
      lines.push(`${prefix}${last ? '└── ' : '├── '}${rel}  [${tags.join(', ')}]`);
      walk(d.devpath, prefix + (last ? '    ' : '│   '));
    });
  };
  walk(null, '');
  return lines.join('\n');
}
