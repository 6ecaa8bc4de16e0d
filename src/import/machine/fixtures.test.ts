/**
 * The importer on real captures (test/fixtures/machines/README.md). Every count asserted here is
 * also counted a second way, straight from the bundle's text, without the importer.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { replayMachine, importMachine, type ReplayResult } from './index';
import { validateScenario } from '../../engine/index';
import { syntheticBundle } from './synthetic';

const DIR = join(import.meta.dirname, '../../../test/fixtures/machines');
const read = (f: string) => readFileSync(join(DIR, f), 'utf8');

/** the lines of one bundle section */
function section(text: string, name: string): string[] {
  const lines = text.split('\n');
  const i = lines.indexOf(`### bindscope-machine ${name}`);
  if (i < 0) return [];
  const out: string[] = [];
  for (const l of lines.slice(i + 1)) {
    if (l.startsWith('### bindscope-machine ')) break;
    out.push(l);
  }
  return out;
}
const count = (lines: string[], re: RegExp) => lines.filter((l) => re.test(l)).length;

function ok(r: ReplayResult) {
  if (!r.ok) throw new Error(`import failed: ${JSON.stringify(r.errors.slice(0, 3))}`);
  expect(r.errors).toEqual([]);
  expect(r.stopped).toBeNull();
  return r;
}

describe('fixture: the Debian machine (Firecracker VM, Linux 6.18, udevadm + sysfs form)', () => {
  const text = read('debian-firecracker.bundle');
  const r = ok(replayMachine(text));
  const udev = section(text, 'udevadm-export-db');
  const listing = section(text, 'sysfs-listing');

  it('counts devices, buses and bound drivers as the capture has them', () => {
    // udevadm lists every device with a subsystem: one "P: /devices/..." line each
    const devices = count(udev, /^P: \/devices\//);
    const bound = count(udev, /^E: DRIVER=/);
    // distinct (SUBSYSTEM, DRIVER) pairs, record by record
    const pairs = new Set<string>();
    let sub = '';
    for (const l of udev) {
      if (l.startsWith('P: ')) sub = '';
      if (l.startsWith('E: SUBSYSTEM=')) sub = l.slice(13);
      if (l.startsWith('E: DRIVER=')) pairs.add(`${sub}/${l.slice(10)}`);
    }
    const buses = count(listing, /^d \/sys\/bus\/[^/ ]+ $/);
    const onBus = count(listing, /^l \/sys\/devices\/\S+\/subsystem \S*\/bus\/[^/]+$/);
    expect([devices, bound, pairs.size, buses, onBus]).toEqual([388, 16, 12, 21, 269]);
    expect(r.summary.devices).toBe(devices);
    expect(r.report.totals.boundDevices).toBe(bound);
    expect(r.summary.boundDrivers).toBe(pairs.size);
    expect(r.report.totals.buses).toBe(buses);
    expect(r.summary.onBus).toBe(onBus);
    expect(r.summary.classDevices).toBe(devices - onBus);
  });

  it('the machine has no modules.alias and no built-in modinfo (booted with nomodule, no /lib/modules): driver tables are unknown', () => {
    expect(section(text, 'modules-alias').filter((l) => l.startsWith('alias '))).toEqual([]);
    expect(section(text, 'proc-modules').filter(Boolean)).toEqual([]);
    // so only the platform name match can bind: serial8250 (pdev->name "serial8250" = driver name)
    expect(r.report.totals.boundMatched).toBe(1);
    expect(r.report.devices.find((d) => d.devpath === '/devices/platform/serial8250')).toMatchObject({ verdict: 'matched', replay: { driver: 'serial8250' } });
    const virtio = r.report.devices.find((d) => d.devpath === '/devices/pci0000:00/0000:00:03.0/virtio2')!;
    expect(virtio).toMatchObject({ verdict: 'not modelled', machine: { driver: 'virtio_net' }, replay: { driver: null } });
    expect(virtio.reason).toMatch(/virtio_net's match table is unknown/);
  });

  it('match rate: every device the machine left unbound stays unbound, plus serial8250', () => {
    const t = r.report.totals;
    expect(t.matched).toBe(t.onBus - t.boundDevices + 1);
    expect(t.matched).toBe(254);
    expect(r.report.matchRate).toBeCloseTo(254 / 269, 6);
    expect(t.mismatched).toBe(0);
    expect(t.matched + t.mismatched + t.notModelled).toBe(t.devices);
  });

  it('the udevadm section alone (a bare `udevadm info --export-db`) tells buses from classes the same way', () => {
    const alone = ok(replayMachine(udev.join('\n')));
    expect(alone.summary.forms).toEqual(['udevadm']);
    expect([alone.summary.devices, alone.summary.onBus, alone.summary.classDevices]).toEqual([r.summary.devices, r.summary.onBus, r.summary.classDevices]);
    // only the buses that have devices are known without /sys/bus
    const withDevices = new Set(listing.map((l) => /^l \/sys\/devices\/\S+\/subsystem \S*\/bus\/([^/]+)$/.exec(l)?.[1]).filter((b): b is string => !!b));
    expect(alone.summary.buses).toEqual([...withDevices].sort());
    expect(withDevices.size).toBe(14);
    expect(alone.report.devices.map((d) => [d.devpath, d.verdict])).toEqual(r.report.devices.map((d) => [d.devpath, d.verdict]));
  });

  it('keeps unknown buses as data-defined buses, and the scenario is valid', () => {
    const v = validateScenario(r.scenario);
    expect(v.ok).toBe(true);
    const names = (r.scenario.buses ?? []).map((b) => b.name);
    for (const b of ['pci', 'virtio', 'acpi', 'pnp', 'serial-base', 'memory', 'workqueue']) expect(names).toContain(b);
    expect(names).not.toContain('platform');
    expect(r.scenario.kernel.version).toBe('6.18');
  });
});

describe('fixture: a QEMU guest (Debian 6.1.0-57-amd64, TCG, busybox initramfs, sysfs form)', () => {
  const text = read('qemu-guest.bundle');
  const r = ok(replayMachine(text));
  const listing = section(text, 'sysfs-listing');

  it('counts devices, buses and bound drivers as the capture has them', () => {
    const subsystemLinks = listing.filter((l) => /^l \/sys\/devices\/\S+\/subsystem /.test(l));
    const devices = subsystemLinks.length;
    const onBus = subsystemLinks.filter((l) => / \S*\/bus\/[^/]+$/.test(l)).length;
    const driverLinks = listing.filter((l) => /^l \/sys\/devices\/\S+\/driver /.test(l));
    const drivers = new Set(driverLinks.map((l) => /\/bus\/([^/]+)\/drivers\/(.+)$/.exec(l)!.slice(1).join('/')));
    const buses = count(listing, /^d \/sys\/bus\/[^/ ]+ $/);
    const loaded = section(text, 'proc-modules').filter(Boolean).length;
    expect([devices, onBus, driverLinks.length, drivers.size, buses, loaded]).toEqual([271, 123, 29, 28, 35, 45]);
    expect(r.summary.devices).toBe(devices);
    expect(r.summary.onBus).toBe(onBus);
    expect(r.report.totals.boundDevices).toBe(driverLinks.length);
    expect(r.summary.boundDrivers).toBe(drivers.size);
    expect(r.report.totals.buses).toBe(buses);
    expect(r.summary.forms).toEqual(['sysfs-listing', 'uevents']);
  });

  it('e1000 binds as on the machine: its module loaded by udev through the alias modules.alias has for it', () => {
    const line = section(text, 'modules-alias').find((l) => / e1000$/.test(l) && l.includes('d0000100E'));
    expect(line).toBe('alias pci:v00008086d0000100Esv*sd*bc*sc*i* e1000');
    const d = r.report.devices.find((x) => x.machine.driver === 'e1000')!;
    expect(d).toMatchObject({
      verdict: 'matched',
      machine: { module: 'e1000', moduleState: 'loaded', alias: 'pci:v00008086d0000100Esv*sd*bc*sc*i*' },
      replay: { driver: 'e1000', module: 'e1000', moduleState: 'loaded', alias: 'pci:v00008086d0000100Esv*sd*bc*sc*i*' },
    });
  });

  it('match rate: no device the machine left unbound is bound in the replay; of the bound, 18 match', () => {
    const t = r.report.totals;
    const unboundOnBus = t.onBus - t.boundDevices;
    expect(unboundOnBus).toBe(94);
    expect(r.report.devices.filter((d) => d.machine.driver === null && d.replay.driver !== null)).toEqual([]);
    expect(t.boundMatched).toBe(18);
    // all unbound ones match but the CPU, for which the replay loads two cpufreq modules the guest did not have
    expect(t.matched).toBe(unboundOnBus - 1 + t.boundMatched);
    expect(r.report.matchRate).toBeCloseTo(111 / 123, 6);
    expect(r.report.boundMatchRate).toBeCloseTo(18 / 29, 6);
    expect(t.matched + t.mismatched + t.notModelled).toBe(t.devices);
  });

  it('says why the others differ: probe-time refusals it cannot see, tables built-in modules do not publish', () => {
    const by = (p: string) => r.report.devices.find((d) => d.devpath === p)!;
    // ata_generic's table also matches the PIIX IDE function (its last entry matches the IDE class); on the machine
    // ata_generic_init_one() refused it (-ENODEV for a class match without all_generic_ide)
    expect(by('/devices/pci0000:00/0000:00:01.1')).toMatchObject({ verdict: 'mismatched', machine: { driver: 'ata_piix' }, replay: { driver: 'ata_generic' } });
    // 6.1's modules.builtin.modinfo has MODULE_ALIAS strings only, not device tables: atkbd (built in) has none;
    // and serio_raw, which the replay binds, has manual_bind: serio_bus_match() never pairs it on the machine
    expect(by('/devices/platform/i8042/serio0').reason).toMatch(/atkbd's match table is unknown/);
    // usb_device (not interface) devices have no MODALIAS: the usb bus matches them by device type
    expect(by('/devices/pci0000:00/0000:00:01.2/usb1')).toMatchObject({ verdict: 'not modelled', machine: { driver: 'usb' } });
    // acpi-cpufreq and pcc-cpufreq match the CPU's acpi:LNXCPU: but are not in /proc/modules: under TCG their
    // module_init finds no frequency control and fails (-ENODEV), so modprobe leaves nothing loaded
    const cpu = by('/devices/LNXSYSTM:00/LNXSYBUS:00/ACPI0010:00/LNXCPU:00');
    expect(cpu.verdict).toBe('mismatched');
    expect(cpu.reason).toMatch(/loaded acpi_cpufreq \(alias acpi\*:LNXCPU:\*\), pcc_cpufreq \(alias acpi\*:LNXCPU:\*\)/);
    expect(section(text, 'proc-modules').filter((l) => /^(acpi_cpufreq|pcc_cpufreq) /.test(l))).toEqual([]);
    expect(r.report.devices.filter((d) => d.verdict === 'mismatched').map((d) => d.devpath)).toEqual([
      '/devices/LNXSYSTM:00/LNXSYBUS:00/ACPI0010:00/LNXCPU:00', '/devices/pci0000:00/0000:00:01.1', '/devices/platform/i8042/serio0', '/devices/platform/i8042/serio1',
    ]);
  });

  it('modules the machine loaded that no MODALIAS resolves to are modprobed; on-disk modules keep their modules.alias lines', () => {
    const imp = importMachine(text);
    if (!imp.ok) throw new Error('import failed');
    const mods = new Map(imp.scenario.modules.map((m) => [m.name, m]));
    expect(mods.get('e1000')).toMatchObject({ location: 'module' });
    const aliasLines = section(text, 'modules-alias').filter((l) => / e1000$/.test(l)).map((l) => l.split(' ')[1]);
    expect(mods.get('e1000')!.aliases).toEqual(aliasLines);
    // libata is loaded as ata_piix's dependency: no device's MODALIAS names it
    expect(imp.machine.build.modprobed).toContain('libata');
    expect(imp.machine.build.modprobed).not.toContain('e1000');
  });
});

describe('a synthetic 5,000-device capture (synthetic.ts; figures: npm run bench:machine)', () => {
  it('imports and replays whole: counts as generated, every loaded driver binds its device through udev', () => {
    const { text, expect: want } = syntheticBundle(5000);
    const r = ok(replayMachine(text));
    expect(r.summary.devices).toBe(want.devices);
    expect(r.summary.onBus).toBe(want.onBus);
    expect(r.report.totals.boundDevices).toBe(want.bound);
    expect(r.report.totals.boundMatched).toBe(want.bound);
    expect(r.report.totals.mismatched).toBe(0);
    // every other PCI function has a loaded module; the replay loads each of them through udev
    const pci = r.report.devices.filter((d) => d.subsystem === 'pci');
    expect(r.scenario.modules.filter((m) => m.location === 'module').length).toBe(Math.ceil(pci.length / 2));
    expect(pci.filter((d) => d.replay.moduleState === 'loaded' && d.replay.alias !== null).length).toBe(Math.ceil(pci.length / 2));
  });
});

describe('fixture: an arm64 QEMU guest (virt machine, DT; Debian 6.1.0-57-arm64, TCG, busybox initramfs)', () => {
  const text = read('qemu-arm64-guest.bundle');
  const r = ok(replayMachine(text));
  const listing = section(text, 'sysfs-listing');
  const uevents = section(text, 'uevents');

  it('counts devices, buses and bound drivers as the capture has them', () => {
    const subsystemLinks = listing.filter((l) => /^l \/sys\/devices\/\S+\/subsystem /.test(l));
    const driverLinks = listing.filter((l) => /^l \/sys\/devices\/\S+\/driver /.test(l));
    const drivers = new Set(driverLinks.map((l) => /\/bus\/([^/]+)\/drivers\/(.+)$/.exec(l)!.slice(1).join('/')));
    const counts = [subsystemLinks.length, subsystemLinks.filter((l) => / \S*\/bus\/[^/]+$/.test(l)).length, driverLinks.length, drivers.size, count(listing, /^d \/sys\/bus\/[^/ ]+ $/)];
    expect(counts).toEqual([198, 84, 23, 20, 40]);
    expect([r.summary.devices, r.summary.onBus, r.report.totals.boundDevices, r.summary.boundDrivers, r.report.totals.buses]).toEqual(counts);
  });

  it('the DT: every platform device with OF properties is a DT node with its compatibles, and the OF MODALIAS is the machine\'s', () => {
    expect(r.scenario.firmware.description).toBe('dt');
    // the uevent files of devices whose subsystem link points at /sys/bus/platform, with an OF_FULLNAME (amba devices have one too)
    const platformDevs = new Set(listing.map((l) => /^l \/sys(\/devices\/\S+)\/subsystem \S*\/bus\/platform$/.exec(l)?.[1]).filter((p): p is string => !!p));
    const ofPlatform = new Set<string>();
    let cur: string | null = null;
    for (const l of uevents) {
      if (l.startsWith('@ ')) cur = l.slice(6, -'/uevent'.length);
      else if (cur && platformDevs.has(cur) && l.startsWith('OF_FULLNAME=')) ofPlatform.add(l.slice(12));
    }
    expect(ofPlatform.size).toBe(40);
    expect(new Set((r.scenario.firmware.dt ?? []).map((n) => n.path))).toEqual(ofPlatform);
    expect(r.scenario.firmware.dt).toContainEqual({ path: '/virtio_mmio@a000000', compatible: ['virtio,mmio'] });
    const ofDevices = r.report.devices.filter((d) => d.machine.modalias?.startsWith('of:') && d.subsystem === 'platform');
    expect(ofDevices.length).toBeGreaterThan(30);
    expect(ofDevices.filter((d) => d.replay.modalias !== d.machine.modalias)).toEqual([]);
  });

  it('virtio-mmio: the one transport with a backend binds on the machine; the replay binds all 32 (their probes\' -ENODEV is not in a capture)', () => {
    const mmio = r.report.devices.filter((d) => /^\/devices\/platform\/[0-9a-f]+\.virtio_mmio$/.test(d.devpath));
    expect(mmio).toHaveLength(32);
    const boundOnMachine = listing.filter((l) => /^l \/sys\/devices\/platform\/[0-9a-f]+\.virtio_mmio\/driver /.test(l));
    expect(boundOnMachine).toEqual(['l /sys/devices/platform/a003e00.virtio_mmio/driver ../../../bus/platform/drivers/virtio-mmio']);
    expect(mmio.filter((d) => d.verdict === 'matched').map((d) => d.devpath)).toEqual(['/devices/platform/a003e00.virtio_mmio']);
    for (const d of mmio.filter((x) => x.verdict !== 'matched')) {
      expect(d).toMatchObject({ verdict: 'mismatched', machine: { driver: null }, replay: { driver: 'virtio-mmio' } });
      expect(d.reason).toContain('(of_match_table: DT compatible "virtio,mmio" in of_match_table [virtio,mmio])');
    }
    // the virtio device behind it: virtio_rng, loaded by udev through virtio:d00000004v*
    const rng = r.report.devices.find((d) => d.devpath.startsWith('/devices/platform/a003e00.virtio_mmio/virtio'))!;
    expect(rng).toMatchObject({ verdict: 'matched', machine: { driver: 'virtio_rng', module: 'virtio_rng' }, replay: { alias: 'virtio:d00000004v*' } });
  });

  it('match rate', () => {
    const t = r.report.totals;
    // 29 unbound on a bus stay unbound, 14 bound alike; the 31 idle virtio-mmio transports and psci-cpuidle are the mismatches
    expect([t.matched, t.mismatched, t.notModelled, t.boundMatched]).toEqual([43, 32, 123, 14]);
    expect(t.matched - t.boundMatched).toBe(t.onBus - t.boundDevices - 32);
    expect(t.matched + t.mismatched + t.notModelled).toBe(t.devices);
    expect(r.report.matchRate).toBeCloseTo(t.matched / t.onBus, 9);
  });
});
