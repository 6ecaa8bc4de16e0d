import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { runCli } from './sim';

const QEMU = join(import.meta.dirname, '../../test/fixtures/machines/qemu-guest.bundle');
const tmp = mkdtempSync(join(tmpdir(), 'bindscope-import-'));

describe('sim import machine', () => {
  it('prints the summary and one line per device, mismatches first', () => {
    const r = runCli(['import', 'machine', QEMU]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('# machine qemu-guest, Linux 6.1.0-57-amd64 (sysfs-listing + uevents)');
    expect(lines).toContain('# 29 devices bound to 28 drivers on the machine; 18 bound alike in the replay (62.1%)');
    expect(lines).toContain('# matched 111, mismatched 4, not modelled 156; match rate 90.2% of the devices on a bus');
    const rows = lines.filter((l) => /^(matched|mismatched|not modelled) /.test(l));
    expect(rows).toHaveLength(271);
    expect(rows[1]).toMatch(/^mismatched {3}\/devices\/pci0000:00\/0000:00:01\.1 \[pci\]: the replay bound ata_generic, the machine ata_piix/);
  });

  it('--out writes a scenario the runner runs; --json is the report as data; a gzipped bundle reads the same', () => {
    const out = join(tmp, 'qemu.json');
    const gz = join(tmp, 'qemu.bundle.gz');
    writeFileSync(gz, gzipSync(readFileSync(QEMU)));
    const r = runCli(['import', 'machine', gz, '--out', out, '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^wrote .*qemu\.json \(158 devices, 96 drivers, 67 modules\)/);
    const j = JSON.parse(r.stdout);
    expect(j.report.totals).toMatchObject({ devices: 271, onBus: 123, boundDevices: 29, matched: 111 });
    const run = runCli([out, '--json']);
    expect(run.code).toBe(0);
    const snap = JSON.parse(run.stdout);
    expect(snap.devices.find((d: { devpath: string }) => d.devpath === '/devices/pci0000:00/0000:00:03.0')).toMatchObject({ bus: 'pci', driver: 'e1000' });
  });

  it('bad input: exit 2, file:line:col and why', () => {
    const f = join(tmp, 'bad.bundle');
    writeFileSync(f, '### bindscope-machine bundle 1\n### bindscope-machine udevadm-export-db\nP: /devices/a\nE: SUBSYSTEM=pci\nX: ?\n### bindscope-machine proc-modules\ne1000 big 0 - Live 0x0\n### bindscope-machine end\n');
    const r = runCli(['import', 'machine', f]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([
      `${f}:5:1: udevadm: unknown field "X:" (known: P N S L E M R U T D I Q V W G J B C)`,
      `${f}:7:7: /proc/modules: size "big" of e1000 is not a number`,
    ]);
    expect(runCli(['import', 'machine']).stderr).toMatch(/no bundle given/);
    expect(runCli(['import', 'machine', tmp]).stderr).toMatch(/is not a regular file/);
    expect(runCli(['import', 'machine', QEMU, '--out']).code).toBe(2);
    expect(runCli(['import', 'machine', QEMU, '--bogus']).stderr).toMatch(/unknown option --bogus/);
  });
});
