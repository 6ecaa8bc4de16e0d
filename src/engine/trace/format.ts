/**
 * Text renderings of a snapshot in the styles kernel developers know: `tree /sys/devices`,
 * `udevadm monitor --kernel --property`, `dmesg`, `lsmod`. Pure functions, shared by the CLI
 * and the UI.
 */
import type { Snapshot, UeventRecord } from '../api';

/** KERNEL[ts] action devpath (subsystem), then the properties */
export function formatUevent(u: UeventRecord): string {
  const ts = (u.seq / 1000).toFixed(6);
  return [`KERNEL[${ts}] ${u.action.padEnd(8)} ${u.devpath} (${u.subsystem})`, ...u.env.map(([k, v]) => `${k}=${v}`), ''].join('\n');
}

export function formatDmesg(log: string[]): string {
  return log.map((l, i) => `[${(i * 0.001).toFixed(6).padStart(12)}] ${l}`).join('\n');
}

export function formatLsmod(s: Snapshot): string {
  const rows = s.modules.map((m) => [m.name, m.state, m.loadedBy ?? '-', s.drivers.filter((d) => d.module === m.name).map((d) => d.name).join(',') || '-']);
  const head = ['Module', 'State', 'Loaded by', 'Drivers'];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [head, ...rows].map((r) => r.map((c, i) => c.padEnd(w[i]!)).join('  ').trimEnd()).join('\n');
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
