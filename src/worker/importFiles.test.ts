import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { getBuiltinScenario, Simulation } from '../engine/index';
import { importFiles, importKind, machineReport } from './importFiles';

const f = (path: string) => ({ name: path.split('/').pop()!, text: readFileSync(path, 'utf8') });
const FVP = ['fvp-base-revc.dts', 'rtsm_ve-motherboard.dtsi', 'rtsm_ve-motherboard-rs2.dtsi', 'dt-bindings/interrupt-controller/arm-gic.h', 'dt-bindings/interrupt-controller/irq.h'].map((p) => f(`test/fixtures/dts/${p}`));

describe('importFiles (dropped files → scenario)', () => {
  it('tells a .dts, a machine capture and a scenario .json apart', () => {
    expect(importKind(FVP)).toBe('dts');
    expect(importKind([f('test/fixtures/machines/qemu-guest.bundle')])).toBe('machine');
    expect(importKind([{ name: 'udev.txt', text: 'P: /devices/platform/serial8250\nE: SUBSYSTEM=platform\n' }])).toBe('machine');
    expect(importKind([{ name: 'x.json', text: '{"id":"x"}' }])).toBeNull();
    expect(importFiles([{ name: 'x.json', text: '{"id":"x"}' }])).toBeNull();
  });

  it('a .dts with its includes resolved by file name, angle includes among the dropped files', () => {
    const r = importFiles(FVP)!;
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.summary[0]).toContain('18 platform devices populated');
    const sim = new Simulation(JSON.parse(r.scenarioJson));
    expect(sim.errors).toEqual([]);
    expect(sim.stateAt(sim.lastStep).devices.some((d) => d.name === '1c130000.virtio-block' && d.modalias === 'of:Nvirtio-blockT(null)Cvirtio,mmio')).toBe(true);
    // not a machine: no comparison for its run
    expect(machineReport(sim)).toBeNull();
  });

  it('a .dts without its header: every error at file:line:col', () => {
    const r = importFiles([FVP[0]!])!;
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.length).toBeGreaterThan(0);
    for (const e of r.errors) expect(e).toMatch(/^fvp-base-revc\.dts:\d+:\d+: /);
  });

  it('a machine capture: its run is compared with the machine, another run is not', () => {
    const r = importFiles([f('test/fixtures/machines/qemu-guest.bundle')])!;
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const sim = new Simulation(JSON.parse(r.scenarioJson), { maxMillis: 60_000 });
    const report = machineReport(sim)!;
    expect(report.totals.onBus).toBeGreaterThan(100);
    expect(report.totals.matched).toBeLessThanOrEqual(report.totals.onBus);
    expect(report.matchRate).toBeCloseTo(report.totals.matched / report.totals.onBus, 6);
    // a run of another scenario is not compared with this machine
    expect(machineReport(new Simulation(getBuiltinScenario('auxiliary')))).toBeNull();
    expect(machineReport(sim)).not.toBeNull();
  }, 60_000);

  it('a malformed capture: refused with the line', () => {
    const r = importFiles([{ name: 'bad.bundle', text: '### bindscope-machine bundle 1\n### bindscope-machine nonsense\nxyz\n' }])!;
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatch(/^bad\.bundle:\d+:\d+: /);
  });
});
