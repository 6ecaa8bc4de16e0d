import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './sim';

const FIX = join(import.meta.dirname, '../../test/fixtures/dts');

describe('sim import dts', () => {
  it('writes a scenario that sim runs, and prints the populate summary', () => {
    const dir = mkdtempSync(join(tmpdir(), 'imp-'));
    const out = join(dir, 'fvp.json');
    const r = runCli(['import', 'dts', join(FIX, 'fvp-base-revc.dts'), '-I', FIX, '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/63 nodes from 5 files/);
    expect(r.stdout).toMatch(/18 platform devices, 14 AMBA \(not modelled\), 0 disabled, 4 claimed early by OF_DECLARE, 9 skipped/);
    expect(r.stdout).toContain('  device    /devices/platform/bus@8000000/bus@8000000:motherboard/bus@8000000:motherboard:iofpga@300000000/1c130000.virtio-block  of:Nvirtio-blockT(null)Cvirtio,mmio');
    expect(r.stdout).toContain('  skipped   /cpus  no compatible property');
    const scenario = JSON.parse(readFileSync(out, 'utf8'));
    expect(scenario.firmware.devicetree.root.name).toBe('/');
    const run = runCli([out]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('1c130000.virtio-block  [bus=platform, UNBOUND, MODALIAS=of:Nvirtio-blockT(null)Cvirtio,mmio]');
  });

  it('prints the JSON on stdout and the summary on stderr without --out', () => {
    const r = runCli(['import', 'dts', join(FIX, 'fvp-base-revc.dts'), `-I${FIX}`, '--kernel', '7.4']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).kernel.version).toBe('7.4');
    expect(r.stderr).toMatch(/^.*fvp-base-revc\.dts: 63 nodes/);
  });

  it('exits 2 with file:line:col and the include chain on bad input', () => {
    const dir = mkdtempSync(join(tmpdir(), 'imp-'));
    writeFileSync(join(dir, 'board.dts'), '/dts-v1/;\n#include "soc.dtsi"\n/ { };\n');
    writeFileSync(join(dir, 'soc.dtsi'), '/ {\n\tuart@0 {\n\t\tcompatible = "x"\n\t};\n};\n');
    const r = runCli(['import', 'dts', join(dir, 'board.dts')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${join(dir, 'soc.dtsi')}:4:2: syntax error at "}": expected ";"\n  included from ${join(dir, 'board.dts')}:2:1\n`);
    expect(runCli(['import', 'dts', join(dir, 'nothere.dts')]).stderr).toMatch(/nothere\.dts:1:1: file not found/);
    expect(runCli(['import', 'dts']).code).toBe(2);
    expect(runCli(['import', 'dts', 'a.dts', '--bogus']).stderr).toMatch(/unknown option --bogus/);
  });
});
