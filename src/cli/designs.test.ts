/**
 * Every built-in revision against the code it follows, through the CLI's JSON (what `npm run sim --
 * <id> --json` prints): the devices and their sysfs paths, MODALIAS strings, which driver binds,
 * which module loads by which alias, what userspace can unbind, /sys/firmware files and the TSM
 * state. Each expectation names the posted patch (or queued commit) and the function it follows;
 * docs/research/posted-series.md and queued-smccc-bus.md quote the code.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './sim';
import { getBuiltinScenario, listBuiltins, type UserAction } from '../engine/index';

interface Json {
  kernel: string;
  devices: { name: string; bus: string | null; class: string | null; devpath: string; driver: string | null; modalias: string | null; unbindable: boolean }[];
  drivers: { name: string; bus: string; module: string | null; bindAttrs: boolean }[];
  modules: { name: string; state: string; loadedBy: string | null; initRet: number | null }[];
  uevents: { action: string; devpath: string; subsystem: string; env: Record<string, string> }[];
  sysfs: string[];
  files: Record<string, string>;
  tsm: { reportProvider: string | null; classDevices: string[] };
  actions: { rc: number | null; error: { name: string } | null }[];
  log: string[];
}

function json(args: string[]): Json {
  const r = runCli([...args, '--json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Json;
}
const dir = mkdtempSync(join(tmpdir(), 'bindscope-designs-'));
function jsonWith(id: string, actions: UserAction[], edit: (s: ReturnType<typeof getBuiltinScenario>) => void = () => {}): Json {
  const s = getBuiltinScenario(id);
  edit(s);
  const file = join(dir, `${id}-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify({ ...s, actions }));
  return json([file]);
}

/** a device as a reviewer reads it: where, which bus, bound to what, its MODALIAS, unbindable from sysfs */
type Dev = { devpath: string; bus: string | null; driver: string | null; modalias: string | null; unbindable: boolean };
interface Expect {
  /** the patch file and function each fact follows */
  follows: string;
  kernel: string;
  /** every device on a bus (roots and class devices aside), exactly */
  devices: Dev[];
  /** tsm class devices (devpaths) */
  tsm: string[];
  reportProvider: string | null;
  /** module → how it was loaded (the alias udev matched), or its state */
  modules: Record<string, string>;
  files: Record<string, string>;
}

const plat = (name: string, driver: string | null): Dev => ({ devpath: `/devices/platform/${name}`, bus: 'platform', driver, modalias: `platform:${name}`, unbindable: driver !== null });
const auxDev = (parent: string, name: string, driver: string | null): Dev => ({ devpath: `/devices/platform/${parent}/${name}`, bus: 'auxiliary', driver, modalias: `auxiliary:${name.slice(0, name.lastIndexOf('.'))}`, unbindable: driver !== null });
const smccc = (name: string, driver: string | null, modalias: string): Dev => ({ devpath: `/devices/${name}`, bus: 'arm_smccc', driver, modalias, unbindable: driver !== null });
const TRNG_PLATFORM = plat('smccc_trng', 'smccc_trng');

const REVISIONS: Record<string, Expect> = {
  mainline: {
    follows: 'arch/arm64/kernel/rsi.c:arm64_create_dummy_rsi_dev; arm-cca-guest.c MODULE_DEVICE_TABLE(platform, arm_cca_match); smccc.c:smccc_devices_init',
    kernel: '6.18',
    devices: [plat('arm-cca-dev', null), TRNG_PLATFORM],
    tsm: [], reportProvider: 'arm_cca_guest',
    modules: { arm_cca_guest: 'platform:arm-cca-dev', arm_smccc_trng: 'platform:smccc_trng' },
    files: {},
  },
  'host-rfc': {
    follows: 'RFC v1 23/38 rsi.c (RSI_DEV_NAME "arm-rsi-dev"), 24/38 arm64_create_cca_guest_dev; arm-cca.c:cca_guest_probe (platform driver "arm-cca-guest")',
    kernel: '6.19',
    devices: [plat('arm-rsi-dev', 'arm-cca-guest'), TRNG_PLATFORM],
    tsm: [], reportProvider: 'arm_cca_guest',
    modules: { arm_cca_guest: 'platform:arm-rsi-dev', arm_smccc_trng: 'platform:smccc_trng' },
    files: {},
  },
  'host-rfc-host': {
    follows: 'RFC v1 11/38 rme.c:rmm_tsm_init (platform device arm-rmi-dev when DA); 12/38 arm-cca-host.c:cca_tsm_probe (platform driver "cca_tsm", tsm_register)',
    kernel: '6.19',
    devices: [plat('arm-rmi-dev', 'cca_tsm'), TRNG_PLATFORM],
    tsm: ['/devices/platform/arm-rmi-dev/tsm/tsm0'], reportProvider: null,
    modules: { arm_cca_host: 'platform:arm-rmi-dev', arm_smccc_trng: 'platform:smccc_trng' },
    files: {},
  },
  faux: {
    follows: '2025-10-08 "coco: guest: arm64: Update ARM CCA guest driver": faux_device_create(RSI_DEV_NAME) in module_init, MODULE_DEVICE_TABLE dropped, arm-cca-dev removed',
    kernel: '6.18',
    devices: [TRNG_PLATFORM],
    tsm: [], reportProvider: null,
    modules: { arm_cca_guest: 'not-loaded', arm_smccc_trng: 'platform:smccc_trng' },
    files: {},
  },
  'faux-suggestion': {
    follows: 'review suggestion (Greg KH, 2025-07-30/08-01): rsi.c faux_device_create("arm-cca-dev"); drivers/base/faux.c (no uevent callback, faux_driver suppress_bind_attrs)',
    kernel: '6.18',
    devices: [{ devpath: '/devices/faux/arm-cca-dev', bus: 'faux', driver: 'faux_driver', modalias: null, unbindable: false }, TRNG_PLATFORM],
    tsm: [], reportProvider: null,
    modules: { arm_cca_guest: 'not-loaded', arm_smccc_trng: 'platform:smccc_trng' },
    files: {},
  },
  auxiliary: {
    follows: 'v5 1/3 smccc.c:smccc_devices_init + rmm.c:register_rsi_device (__devm_auxiliary_device_create(&pdev->dev, "arm_cca_guest", RSI_DEV_NAME, NULL, 0) on the unbound arm-smccc); 2/3 TRNG as arm_smccc_trng.smccc_trng.0; 3/3 realm_sysfs_init',
    kernel: '7.0',
    devices: [plat('arm-smccc', null), auxDev('arm-smccc', 'arm_cca_guest.arm-rsi-dev.0', 'arm_cca_guest'), auxDev('arm-smccc', 'arm_smccc_trng.smccc_trng.0', 'arm_smccc_trng')],
    tsm: [], reportProvider: 'arm_cca_guest',
    modules: { arm_cca_guest: 'auxiliary:arm_cca_guest.arm-rsi-dev', arm_smccc_trng: 'auxiliary:arm_smccc_trng.smccc_trng' },
    files: { '/sys/firmware/cca/realm_guest': '1' },
  },
  'auxiliary-host': {
    follows: 'host RFC v4 01/14 (2026-04-27) on the v5 aux series: rmm.c:register_rmi_device ("arm_cca_host", RMI_DEV_NAME); cca_link_tsm_probe (-ENODEV without DA, tsm_register(&adev->dev, &cca_link_pci_ops))',
    kernel: '7.0',
    devices: [plat('arm-smccc', null), auxDev('arm-smccc', 'arm_cca_host.arm-rmi-dev.0', 'arm_cca_host'), auxDev('arm-smccc', 'arm_smccc_trng.smccc_trng.0', 'arm_smccc_trng')],
    tsm: ['/devices/platform/arm-smccc/arm_cca_host.arm-rmi-dev.0/tsm/tsm0'], reportProvider: null,
    modules: { arm_cca_host: 'auxiliary:arm_cca_host.arm-rmi-dev', arm_smccc_trng: 'auxiliary:arm_smccc_trng.smccc_trng' },
    files: { '/sys/firmware/cca/realm_guest': '0' },
  },
  'auxiliary-v4': {
    follows: 'v4 0/2 (reconstructed from v5\'s change log): arm-smccc + devm auxiliary RSI device, TRNG still platform smccc_trng, no realm_guest',
    kernel: '7.0',
    devices: [plat('arm-smccc', null), auxDev('arm-smccc', 'arm_cca_guest.arm-rsi-dev.0', 'arm_cca_guest'), TRNG_PLATFORM],
    tsm: [], reportProvider: 'arm_cca_guest',
    modules: { arm_cca_guest: 'auxiliary:arm_cca_guest.arm-rsi-dev', arm_smccc_trng: 'platform:smccc_trng' },
    files: {},
  },
  'auxiliary-v2': {
    follows: 'v2 02/12 smccc.c:smccc_devices_init (platform_device_register_simple("arm-smccc", PLATFORM_DEVID_NONE, NULL, 0)), register_rsi_device; 03/12 drops arm-cca-dev; arm-cca.c:cca_devsec_tsm_probe',
    kernel: '6.19',
    devices: [plat('arm-smccc', null), auxDev('arm-smccc', 'arm_cca_guest.arm-rsi-dev.0', 'arm_cca_guest'), TRNG_PLATFORM],
    tsm: [], reportProvider: 'arm_cca_guest',
    modules: { arm_cca_guest: 'auxiliary:arm_cca_guest.arm-rsi-dev', arm_smccc_trng: 'platform:smccc_trng' },
    files: {},
  },
  'auxiliary-v2-host': {
    follows: 'v2 04/12 smccc.c:register_rmi_device (SMC_RMI_VERSION == RMI_SUCCESS); arm-cca-host.c:cca_link_tsm_probe (kvm_has_da_feature() else -ENODEV)',
    kernel: '6.19',
    devices: [plat('arm-smccc', null), auxDev('arm-smccc', 'arm_cca_host.arm-rmi-dev.0', 'arm_cca_host'), TRNG_PLATFORM],
    tsm: ['/devices/platform/arm-smccc/arm_cca_host.arm-rmi-dev.0/tsm/tsm0'], reportProvider: null,
    modules: { arm_cca_host: 'auxiliary:arm_cca_host.arm-rmi-dev', arm_smccc_trng: 'platform:smccc_trng' },
    files: {},
  },
  'smccc-bus': {
    follows: 'queued fe7f2a80 bus.c (arm_smccc_bus_match on func_id, arm_smccc_bus_uevent "arm_smccc:f%08X", arm_smccc_device_register dev_set_name("%s"), no parent); d8263a13/0d5be76b smccc.c:smccc_devices_init; 0d5be76b main.c:cca_tsm_probe; d541df16 realm_sysfs_init; bce57945',
    kernel: '7.4',
    devices: [smccc('arm-rsi', 'arm_cca_guest', 'arm_smccc:fC4000190'), smccc('arm-smccc-trng', 'arm_smccc_trng', 'arm_smccc:f84000050')],
    tsm: [], reportProvider: 'arm_cca_guest',
    modules: { arm_cca_guest: 'arm_smccc:fC4000190', arm_smccc_trng: 'arm_smccc:f84000050' },
    files: { '/sys/firmware/cca/realm_guest': '1' },
  },
  'smccc-bus-v7': {
    follows: 'v7 1/6 bus.c ("%s-%d", ida_alloc_min(..., 1), MODALIAS "arm_smccc:%s"); 2/6, 5/6 smccc.c table (TRNG, then RSI); 5/6 cca_tsm_probe; 6/6 realm_sysfs_init',
    kernel: '7.0',
    devices: [smccc('arm-rsi-dev-2', 'arm_cca_guest', 'arm_smccc:arm-rsi-dev'), smccc('arm-smccc-trng-1', 'arm_smccc_trng', 'arm_smccc:arm-smccc-trng')],
    tsm: [], reportProvider: 'arm_cca_guest',
    modules: { arm_cca_guest: 'arm_smccc:arm-rsi-dev', arm_smccc_trng: 'arm_smccc:arm-smccc-trng' },
    files: { '/sys/firmware/cca/realm_guest': '1' },
  },
  'smccc-bus-v7-host': {
    follows: 'extrapolated: v7 bus with an RMI device (Aneesh Kumar K.V, 2026-06-12: "../../devices/arm-rmi-dev-1/tsm/tsm0"); probe as host RFC v4 01/14',
    kernel: '7.0',
    devices: [smccc('arm-rmi-dev-2', 'arm_cca_host', 'arm_smccc:arm-rmi-dev'), smccc('arm-smccc-trng-1', 'arm_smccc_trng', 'arm_smccc:arm-smccc-trng')],
    tsm: ['/devices/arm-rmi-dev-2/tsm/tsm0'], reportProvider: null,
    modules: { arm_cca_host: 'arm_smccc:arm-rmi-dev', arm_smccc_trng: 'arm_smccc:arm-smccc-trng' },
    files: { '/sys/firmware/cca/realm_guest': '0' },
  },
  'smccc-bus-v6': {
    follows: 'v6 1/4 smccc.c bus; 3/4 rmm.c:register_rsi_device (RSI_SUCCESS) before 2/4\'s TRNG, so arm-rsi-dev-1; 4/4 realm_sysfs_init',
    kernel: '7.0',
    devices: [smccc('arm-rsi-dev-1', 'arm_cca_guest', 'arm_smccc:arm-rsi-dev'), smccc('arm-smccc-trng-2', 'arm_smccc_trng', 'arm_smccc:arm-smccc-trng')],
    tsm: [], reportProvider: 'arm_cca_guest',
    modules: { arm_cca_guest: 'arm_smccc:arm-rsi-dev', arm_smccc_trng: 'arm_smccc:arm-smccc-trng' },
    files: { '/sys/firmware/cca/realm_guest': '1' },
  },
};

describe('every revision is a built-in and listed', () => {
  it('--list names every revision, and each default design has its posted revisions beside it', () => {
    const listed = runCli(['--list']).stdout;
    for (const id of Object.keys(REVISIONS)) expect(listed).toMatch(new RegExp(`^${id} +\\S`, 'm'));
    const revs = listBuiltins().filter((b) => Object.hasOwn(REVISIONS, b.id)).map((b) => `${b.design}/${b.revision}/${b.side}`);
    expect(revs).toEqual(expect.arrayContaining(['host-rfc/rfc-v1/guest', 'auxiliary/v2/guest', 'auxiliary/v4/guest', 'auxiliary/v5/guest', 'smccc-bus/v6/guest', 'smccc-bus/v7/guest', 'smccc-bus/queued/guest']));
  });
  it('every built-in names its source, and every extrapolation is stated', () => {
    for (const b of listBuiltins()) {
      expect(b.source, b.id).toMatch(/20\d\d|Linux|queued/);
      if (/extrapolated/i.test(b.title)) expect(b.extrapolated.length, b.id).toBeGreaterThan(0);
    }
  });
});

for (const [id, want] of Object.entries(REVISIONS)) {
  describe(`${id}: ${want.follows}`, () => {
    const j = json([id]);
    const busDevices = j.devices.filter((d) => d.bus !== null).map(({ devpath, bus, driver, modalias, unbindable }) => ({ devpath, bus, driver, modalias, unbindable }));
    it(`runs Linux ${want.kernel}`, () => expect(j.kernel).toBe(want.kernel));
    it('has exactly these devices, at these paths, with these MODALIAS strings, bound to these drivers', () => {
      const sort = (xs: Dev[]) => [...xs].sort((a, b) => (a.devpath < b.devpath ? -1 : 1));
      expect(sort(busDevices)).toEqual(sort(want.devices));
    });
    it('userspace can unbind exactly the bound devices whose drivers have bind/unbind files', () => {
      for (const d of want.devices.filter((x) => x.driver)) {
        const drv = j.drivers.find((x) => x.name === d.driver && x.bus === d.bus)!;
        expect(j.sysfs.includes(`/sys/bus/${d.bus}/drivers/${d.driver}/unbind`), `${d.driver}`).toBe(d.unbindable);
        expect(drv.bindAttrs).toBe(d.unbindable);
      }
      // a device nothing binds has no driver directory of its name (e.g. no platform driver "arm-smccc")
      for (const d of want.devices.filter((x) => !x.driver)) expect(j.sysfs.some((p) => p.startsWith(`/sys/bus/${d.bus}/drivers/${d.devpath.split('/').pop()}`))).toBe(false);
    });
    it('loads these modules by these aliases (udev kmod builtin over modules.alias)', () => {
      for (const [m, how] of Object.entries(want.modules)) {
        const rec = j.modules.find((x) => x.name === m)!;
        if (how.includes(':')) expect(rec, m).toMatchObject({ state: 'loaded', loadedBy: how });
        else expect(rec.state, m).toBe(how);
      }
    });
    it('every MODALIAS that loaded a module was sent in an add uevent for its device', () => {
      for (const d of want.devices.filter((x) => x.modalias && Object.values(want.modules).includes(x.modalias))) {
        expect(j.uevents.some((u) => u.action === 'add' && u.devpath === d.devpath && u.env.MODALIAS === d.modalias)).toBe(true);
      }
    });
    it('has these /sys/firmware files and this TSM state', () => {
      expect(j.files).toEqual(want.files);
      expect(j.tsm).toEqual({ reportProvider: want.reportProvider, classDevices: want.tsm });
    });
    it('has no arm-cca-dev unless it is mainline or the review suggestion', () => {
      expect(j.devices.some((d) => d.name === 'arm-cca-dev')).toBe(id === 'mainline' || id === 'faux-suggestion');
    });
  });
}

describe('the points the revisions were argued over', () => {
  it('smccc-bus (queued): not a Realm → no arm-rsi and no /sys/firmware/cca/realm_guest (d541df16: "Present only when ... a Realm guest")', () => {
    const j = json(['smccc-bus-nonrealm']);
    expect(j.devices.some((d) => d.name === 'arm-rsi')).toBe(false);
    expect(j.files).toEqual({});
    expect(j.devices.find((d) => d.name === 'arm-smccc-trng')!.driver).toBe('arm_smccc_trng');
  });
  it('smccc-bus (queued): arm-rsi needs the SMC conduit (requires_smc), TRNG works over HVC', () => {
    const j = json(['smccc-bus-hvc']);
    expect(j.devices.map((d) => d.name)).not.toContain('arm-rsi');
    expect(j.devices.find((d) => d.name === 'arm-smccc-trng')!.driver).toBe('arm_smccc_trng');
  });
  it('auxiliary v5: no platform driver arm-smccc exists, so userspace cannot bind or unbind it', () => {
    const j = jsonWith('auxiliary', [{ op: 'write', path: '/sys/bus/platform/drivers/arm-smccc/unbind', value: 'arm-smccc\n' }]);
    expect(j.drivers.some((d) => d.name === 'arm-smccc')).toBe(false);
    expect(j.actions[0]!.rc).toBeLessThan(0);
    expect(j.devices.find((d) => d.name === 'arm_cca_guest.arm-rsi-dev.0')!.driver).toBe('arm_cca_guest');
  });
  it('auxiliary v5: arm-smccc holds devres while unbound, so a driver that later matches it fails: "Resources present before probing" (dd.c:really_probe)', () => {
    const j = jsonWith('auxiliary', [{ op: 'modprobe', module: 'late' }], (s) => {
      s.modules.push({ name: 'late', location: 'module', drivers: { d: { name: 'arm-smccc', bus: 'platform', probe: [] } }, init: [{ op: 'platform_driver_register', driver: 'd' }] });
    });
    expect(j.log).toContain('platform arm-smccc: Resources present before probing');
    expect(j.devices.find((d) => d.name === 'arm-smccc')!.driver).toBeNull();
  });
  it('auxiliary v2 host: without DA, arm_cca_host loads by alias and its probe returns -ENODEV silently: no tsm0', () => {
    const j = jsonWith('auxiliary-v2-host', [], (s) => { s.firmware.services.rmi = { version: '1.0', da: false }; });
    expect(j.modules.find((m) => m.name === 'arm_cca_host')).toMatchObject({ state: 'loaded', loadedBy: 'auxiliary:arm_cca_host.arm-rmi-dev' });
    expect(j.devices.find((d) => d.name === 'arm_cca_host.arm-rmi-dev.0')!.driver).toBeNull();
    expect(j.tsm.classDevices).toEqual([]);
    expect(j.log.some((l) => l.includes('arm_cca_host') && l.includes('failed'))).toBe(false);
  });
  it('host RFC v1: without DA there is no arm-rmi-dev at all (kvm_init_rme checks before registering)', () => {
    const j = jsonWith('host-rfc-host', [], (s) => { s.firmware.services.rmi = { version: '1.0', da: false }; });
    expect(j.devices.some((d) => d.name === 'arm-rmi-dev')).toBe(false);
    expect(j.modules.find((m) => m.name === 'arm_cca_host')!.state).toBe('not-loaded');
  });
  it('hosts with PCI ops: tsm0 is added, then a change uevent says PCI/TSM operations are possible (tsm-core.c)', () => {
    const j = json(['auxiliary-host']);
    const tsm = '/devices/platform/arm-smccc/arm_cca_host.arm-rmi-dev.0/tsm/tsm0';
    expect(j.uevents.filter((u) => u.devpath === tsm && !u.env.SYNTH_UUID).map((u) => u.action)).toEqual(['add', 'change']);
  });
  it('host RFC v1 guest with RSI DA (24/38): arm-cca-guest also registers tsm0 under arm-rsi-dev', () => {
    const j = jsonWith('host-rfc', [], (s) => { s.firmware.services.rsi = { version: '1.0', da: true }; });
    expect(j.tsm.classDevices).toEqual(['/devices/platform/arm-rsi-dev/tsm/tsm0']);
  });
  it('the guest revisions of the aux and bus series register no tsm0 even with the tsm class (probes call only tsm_report_register)', () => {
    for (const id of ['auxiliary', 'auxiliary-v4', 'auxiliary-v2', 'smccc-bus', 'smccc-bus-v7', 'smccc-bus-v6']) {
      const j = jsonWith(id, [], (s) => { if (s.firmware.services.rsi) s.firmware.services.rsi.da = true; });
      expect(j.tsm.classDevices, id).toEqual([]);
    }
  });
});
