import { describe, expect, it } from 'vitest';
import {
  Problems, parseBuiltinModinfo, parseModulesAlias, parseModulesBuiltin, parseProcModules, parseSysfsListing, parseUdevadm,
  parseUevents, resolveLink, splitBundle, toLines,
} from './parse';
import { readCapture } from './capture';
import { importMachine } from './index';

const run = <T>(f: (lines: ReturnType<typeof toLines>, p: Problems) => T, text: string) => {
  const p = new Problems();
  const out = f(toLines(text), p);
  return { out, errors: p.list };
};

describe('udevadm info --export-db', () => {
  it('reads records: P, E properties, other fields', () => {
    const { out, errors } = run(parseUdevadm, 'P: /devices/pci0000:00/0000:00:03.0\nM: 0000:00:03.0\nU: pci\nE: DEVPATH=/devices/pci0000:00/0000:00:03.0\nE: DRIVER=e1000\nE: MODALIAS=pci:v00008086d0000100Esv*\n\nP: /devices/virtual/tty/tty0\nN: tty0\nS: a\nS: b\nE: SUBSYSTEM=tty\n');
    expect(errors).toEqual([]);
    expect(out.map((r) => r.devpath)).toEqual(['/devices/pci0000:00/0000:00:03.0', '/devices/virtual/tty/tty0']);
    expect(out[0]!.env.get('DRIVER')).toBe('e1000');
    expect(out[0]!.env.get('MODALIAS')).toBe('pci:v00008086d0000100Esv*');
    expect(out[1]!.fields.get('S')).toEqual(['a', 'b']);
    expect(out[1]!.line).toBe(8);
  });
  it('names the line of each malformed line', () => {
    const { errors } = run(parseUdevadm, 'E: SUBSYSTEM=pci\nP: /devices/x\nE: NOEQUALS\nZ: what\nnot a record line\nP: relative\n');
    expect(errors.map((e) => [e.line, e.col])).toEqual([[1, 1], [3, 4], [4, 1], [5, 1], [6, 4]]);
    expect(errors[0]!.message).toMatch(/before any "P:"/);
    expect(errors[1]!.message).toMatch(/E: must be KEY=value.*record at line 2/);
    expect(errors[2]!.message).toMatch(/unknown field "Z:"/);
    expect(errors[3]!.message).toMatch(/expected "<letter>: <value>"/);
    expect(errors[4]!.message).toMatch(/devpath starting with "\/"/);
  });
});

describe('sysfs listing', () => {
  it('reads d/f/l lines and resolves links', () => {
    const { out, errors } = run(parseSysfsListing, 'd /sys/devices \nf /sys/devices/platform/uevent \nl /sys/devices/platform/serial8250/driver ../../../bus/platform/drivers/serial8250\n');
    expect(errors).toEqual([]);
    expect(out).toEqual([
      { line: 1, type: 'd', path: '/devices', target: null },
      { line: 2, type: 'f', path: '/devices/platform/uevent', target: null },
      { line: 3, type: 'l', path: '/devices/platform/serial8250/driver', target: '../../../bus/platform/drivers/serial8250' },
    ]);
    expect(resolveLink(out[2]!.path, out[2]!.target!)).toBe('/bus/platform/drivers/serial8250');
    // names with spaces: the pnp driver "i8042 kbd"
    const sp = run(parseSysfsListing, 'd /sys/bus/pnp/drivers/i8042 kbd \nl /sys/bus/pnp/drivers/i8042 kbd/00:00 ../../../../devices/pnp0/00:00\nl /sys/devices/pnp0/00:00/driver ../../../bus/pnp/drivers/i8042 kbd\n');
    expect(sp.errors).toEqual([]);
    expect(sp.out.map((e) => [e.path, e.target])).toEqual([
      ['/bus/pnp/drivers/i8042 kbd', null], ['/bus/pnp/drivers/i8042 kbd/00:00', '../../../../devices/pnp0/00:00'], ['/devices/pnp0/00:00/driver', '../../../bus/pnp/drivers/i8042 kbd'],
    ]);
    expect(resolveLink('/bus/pci/drivers/e1000/module', '../../../../module/e1000')).toBe('/module/e1000');
    expect(resolveLink('/devices/x/subsystem', '/sys/bus/pci')).toBe('/bus/pci');
  });
  it('refuses other types, paths outside /sys and links without a target, with line and column', () => {
    const { errors } = run(parseSysfsListing, 'x /sys/devices \nd /proc/x \nl /sys/devices/a/driver\n');
    expect(errors.map((e) => [e.line, e.col])).toEqual([[1, 1], [2, 3], [3, 24]]);
    expect(errors[2]!.message).toMatch(/has no target/);
  });
});

describe('uevent files', () => {
  it('reads "@ path" blocks', () => {
    const { out, errors } = run(parseUevents, '@ /sys/devices/platform/pcspkr/uevent\nDRIVER=pcspkr\nMODALIAS=platform:pcspkr\n@ /sys/devices/pnp0/uevent\n');
    expect(errors).toEqual([]);
    expect(out.map((u) => [u.devpath, Object.fromEntries(u.env)])).toEqual([['/devices/platform/pcspkr', { DRIVER: 'pcspkr', MODALIAS: 'platform:pcspkr' }], ['/devices/pnp0', {}]]);
  });
  it('refuses lines before a path, bad paths and lines that are no KEY=value', () => {
    const { errors } = run(parseUevents, 'DRIVER=x\n@ /sys/class/net/lo/uevent\n@ /sys/devices/a/uevent\nno equals here\n');
    expect(errors.map((e) => e.line)).toEqual([1, 2, 4]);
    expect(errors[2]!.message).toMatch(/KEY=value in \/devices\/a\/uevent/);
  });
});

describe('/proc/modules, modules.alias, modules.builtin, builtin modinfo', () => {
  it('reads /proc/modules', () => {
    const { out, errors } = run(parseProcModules, 'e1000 163840 0 - Live 0xffffffffc05d5000\nvirtio 20480 2 virtio_rng,virtio_pci, Live 0xffffffffc05c0000 (OE)\n');
    expect(errors).toEqual([]);
    expect(out).toEqual([{ line: 1, name: 'e1000', usedBy: [], state: 'Live' }, { line: 2, name: 'virtio', usedBy: ['virtio_rng', 'virtio_pci'], state: 'Live' }]);
  });
  it('refuses short lines, bad sizes and states', () => {
    const { errors } = run(parseProcModules, 'e1000 163840\nfoo big 0 - Live 0x0\nbar 1 0 - Dead 0x0\n');
    expect(errors.map((e) => [e.line, e.col])).toEqual([[1, 1], [2, 5], [3, 11]]);
    expect(errors[2]!.message).toMatch(/state of bar is "Dead"/);
  });
  it('reads modules.alias, normalising module names, and refuses other lines', () => {
    const { out, errors } = run(parseModulesAlias, '# Aliases extracted from modules themselves.\nalias pci:v00008086d0000100Esv*sd*bc*sc*i* e1000\nalias acpi*:PNP0C0C:* button\nalias platform:dw-apb-uart 8250-dw\nbogus line\nalias onlyone\n');
    expect(out.map((a) => [a.pattern, a.module])).toEqual([['pci:v00008086d0000100Esv*sd*bc*sc*i*', 'e1000'], ['acpi*:PNP0C0C:*', 'button'], ['platform:dw-apb-uart', '8250_dw']]);
    expect(errors.map((e) => e.line)).toEqual([5, 6]);
  });
  it('reads modules.builtin and the built-in aliases', () => {
    const b = run(parseModulesBuiltin, 'kernel/drivers/tty/serial/8250/8250.ko\nkernel/drivers/virtio/virtio-pci.ko\nnot a path\n');
    expect(b.out.map((x) => x.module)).toEqual(['8250', 'virtio_pci']);
    expect(b.errors.map((e) => e.line)).toEqual([3]);
    const m = run(parseBuiltinModinfo, 'rtc_cmos.alias=platform:rtc_cmos\nrtc_cmos.license=GPL\n');
    expect(m.out.map((x) => [x.module, x.pattern])).toEqual([['rtc_cmos', 'platform:rtc_cmos']]);
    expect(m.errors.map((e) => e.line)).toEqual([2]);
  });
});

describe('bundles', () => {
  const B = (body: string) => `### bindscope-machine bundle 1\n### bindscope-machine uname\n6.1.0-57-amd64\n${body}### bindscope-machine end\n`;
  it('splits sections with their header lines', () => {
    const p = new Problems();
    const s = splitBundle(B('### bindscope-machine proc-modules\ne1000 1 0 - Live 0x0\n'), p);
    expect(p.list).toEqual([]);
    expect(s.map((x) => [x.name, x.line, x.lines.map((l) => l.n)])).toEqual([['bundle', 1, []], ['uname', 2, [3]], ['proc-modules', 4, [5]], ['end', 6, []]]);
  });
  it('names unknown sections, a second copy, a cut-short bundle, another version, and text that is no bundle', () => {
    const p = new Problems();
    splitBundle('### bindscope-machine bundle 2\n### bindscope-machine lsusb\n### bindscope-machine uname\n### bindscope-machine uname\n', p);
    expect(p.list.map((e) => [e.line, e.message.slice(0, 30)])).toEqual([
      [1, 'bundle version "2": this impor'], [2, 'unknown section "lsusb" (known'], [4, 'section "uname" appears twice'], [4, 'the bundle has no "### bindsco'],
    ]);
    const q = new Problems();
    splitBundle('\n\nhello\n', q);
    expect(q.list).toEqual([{ line: 3, col: 1, message: expect.stringMatching(/^not a machine bundle/) }]);
  });
  it('line numbers of a section error are the bundle file\'s', () => {
    const r = readCapture(B('### bindscope-machine udevadm-export-db\nP: /devices/a\nE: SUBSYSTEM=pci\nE: oops\n'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors).toEqual([{ line: 7, col: 4, message: expect.stringMatching(/E: must be KEY=value, got "oops" \(record at line 5\)/) }]);
  });
  it('a bare udevadm export is a capture of its own', () => {
    const r = importMachine('P: /devices/platform/pcspkr\nE: DEVPATH=/devices/platform/pcspkr\nE: SUBSYSTEM=platform\nE: MODALIAS=platform:pcspkr\n');
    expect(r.ok).toBe(true);
    if (r.ok) expect([r.summary.devices, r.summary.onBus, r.summary.buses]).toEqual([1, 1, ['platform']]);
  });
});

describe('mapping onto the engine\'s own buses', () => {
  const bundle = (records: string, aliases: string, modules: string) => `### bindscope-machine bundle 1\n### bindscope-machine uname\n6.1.0-57-arm64\n### bindscope-machine hostname\nt\n### bindscope-machine udevadm-export-db\n${records}\n### bindscope-machine proc-modules\n${modules}\n### bindscope-machine modules-alias\n${aliases}\n### bindscope-machine end\n`;

  it('a DT platform device: its OF node becomes a DT node, the module\'s of: aliases its of_match_table; udev loads it by the OF MODALIAS', async () => {
    const { replayMachine } = await import('./index');
    const r = replayMachine(bundle(
      'P: /devices/platform/gpio-keys\nE: SUBSYSTEM=platform\nE: DRIVER=gpio-keys\nE: OF_NAME=gpio-keys\nE: OF_FULLNAME=/gpio-keys\nE: OF_COMPATIBLE_0=gpio-keys\nE: OF_COMPATIBLE_N=1\nE: MODALIAS=of:Ngpio-keysT(null)Cgpio-keys\n',
      'alias of:N*T*Cgpio-keys gpio_keys\nalias of:N*T*Cgpio-keysC* gpio_keys\nalias platform:gpio-keys gpio_keys\n',
      'gpio_keys 28672 0 - Live 0x0\n'));
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.errors).toEqual([]);
    expect(r.scenario.firmware).toMatchObject({ description: 'dt', dt: [{ path: '/gpio-keys', compatible: ['gpio-keys'] }] });
    const drv = r.scenario.modules.find((m) => m.name === 'gpio_keys')!.drivers!.d0!;
    expect(drv).toMatchObject({ name: 'gpio-keys', bus: 'platform', ofMatch: ['gpio-keys'] });
    expect(drv.idTable).toBeUndefined(); // its only platform: alias is its own name: platform_match's name rule
    expect(r.report.devices[0]).toMatchObject({
      verdict: 'matched',
      machine: { driver: 'gpio-keys', module: 'gpio_keys', alias: 'of:N*T*Cgpio-keys' },
      replay: { driver: 'gpio-keys', moduleState: 'loaded', alias: 'of:N*T*Cgpio-keys', modalias: 'of:Ngpio-keysT(null)Cgpio-keys' },
    });
  });

  it('OF_TYPE becomes the DT node\'s device_type, so the replay\'s OF MODALIAS is the machine\'s', async () => {
    const { replayMachine } = await import('./index');
    const r = replayMachine(bundle('P: /devices/platform/4010000000.pcie\nE: SUBSYSTEM=platform\nE: OF_NAME=pcie\nE: OF_FULLNAME=/pcie@10000000\nE: OF_TYPE=pci\nE: OF_COMPATIBLE_0=pci-host-ecam-generic\nE: OF_COMPATIBLE_N=1\nE: MODALIAS=of:NpcieTpciCpci-host-ecam-generic\n', '', ''));
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.scenario.firmware.dt).toEqual([{ path: '/pcie@10000000', compatible: ['pci-host-ecam-generic'], deviceType: 'pci' }]);
    expect(r.report.devices[0]!.replay.modalias).toBe('of:NpcieTpciCpci-host-ecam-generic');
  });

  it('platform names and ids: "<name>.<N>" is id N, "<name>.<N>.auto" AUTO (allocated in id order), an ACPI device keeps its name', async () => {
    const { replayMachine } = await import('./index');
    const rec = (name: string, modalias: string) => `P: /devices/platform/${name}\nE: SUBSYSTEM=platform\nE: MODALIAS=${modalias}\n`;
    const r = replayMachine(bundle([rec('alarmtimer.1.auto', 'platform:alarmtimer'), rec('snd-soc-dummy.0.auto', 'platform:snd-soc-dummy'), rec('intel_rapl_msr.0', 'platform:intel_rapl_msr'), rec('PNP0C14:00', 'acpi:PNP0C14:'), rec('serial8250', 'platform:serial8250')].join('\n'), '', ''));
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const ops = r.scenario.modules[0]!.init!.filter((a) => a.op === 'platform_device_register_simple');
    expect(ops.map((a) => a.op === 'platform_device_register_simple' && [a.name, a.id, a.acpiHid ?? null])).toEqual([
      ['snd-soc-dummy', 'AUTO', null], ['alarmtimer', 'AUTO', null], ['PNP0C14:00', 'NONE', 'PNP0C14'], ['intel_rapl_msr', 0, null], ['serial8250', 'NONE', null],
    ]);
    // every device exists in the replay at the machine's devpath
    expect(r.report.devices.map((d) => [d.devpath, d.replay.present])).toEqual([
      ['/devices/platform/PNP0C14:00', true], ['/devices/platform/alarmtimer.1.auto', true], ['/devices/platform/intel_rapl_msr.0', true],
      ['/devices/platform/serial8250', true], ['/devices/platform/snd-soc-dummy.0.auto', true],
    ]);
  });

  it('an auxiliary device under a PCI function binds the auxiliary driver its module\'s auxiliary: alias names', async () => {
    const { replayMachine } = await import('./index');
    const r = replayMachine(bundle(
      'P: /devices/pci0000:00/0000:00:02.0\nE: SUBSYSTEM=pci\nE: DRIVER=mlx5_core\nE: MODALIAS=pci:v000015B3d00001017sv000015B3sd00000020bc02sc00i00\n\nP: /devices/pci0000:00/0000:00:02.0/mlx5_core.eth.0\nE: SUBSYSTEM=auxiliary\nE: DRIVER=mlx5_core.eth\nE: MODALIAS=auxiliary:mlx5_core.eth\n',
      'alias pci:v000015B3d00001017sv*sd*bc*sc*i* mlx5_core\nalias auxiliary:mlx5_core.eth mlx5_core\n',
      'mlx5_core 2129920 0 - Live 0x0\n'));
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.errors).toEqual([]);
    expect(r.report.devices.map((d) => [d.devpath, d.verdict, d.replay.driver])).toEqual([
      ['/devices/pci0000:00/0000:00:02.0', 'matched', 'mlx5_core'],
      ['/devices/pci0000:00/0000:00:02.0/mlx5_core.eth.0', 'matched', 'mlx5_core.eth'],
    ]);
  });
  it("the alias lookup is kmod's: a MODALIAS with '-' finds an alias written with '_' (alias_normalize)", async () => {
    const { AliasTable } = await import('./build');
    const table = new AliasTable([{ line: 1, pattern: 'platform:foo_bar', module: 'foo' }, { line: 2, pattern: 'platform:other', module: 'other' }]);
    expect(table.lookup('platform:foo-bar')).toEqual([{ module: 'foo', pattern: 'platform:foo_bar' }]);
    expect(table.lookup('platform:foo_bar')).toEqual([{ module: 'foo', pattern: 'platform:foo_bar' }]);
  });
});
