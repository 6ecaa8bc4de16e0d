/**
 * (5) A dedicated arm_smccc bus: v6 and v7 as posted (name matching, "<name>-N" devices), and the
 * code queued in the arm64 tree for 7.4 (function-ID matching, "arm_smccc:f%08X", plain names).
 * docs/research/posted-series.md §D and docs/research/queued-smccc-bus.md hold the quotes.
 */
import type { BusDef, ModuleDef, Scenario } from '../engine/scenario/schema';
import { guestFirmware, hostFirmware } from './common';

/** SMC_RSI_ABI_VERSION = SMC_RSI_FID(0x190) (include/linux/arm-smccc-rsi.h) */
export const SMC_RSI_ABI_VERSION = '0xC4000190';
/** ARM_SMCCC_TRNG_VERSION = ARM_SMCCC_CALL_VAL(FAST, SMC_32, OWNER_STANDARD, 0x50) (include/linux/arm-smccc.h) */
export const ARM_SMCCC_TRNG_VERSION = '0x84000050';

const QUEUED = 'arm64 for-next/smccc-bus (queued for 7.4; merged into for-next/core 2026-09-24 and 2026-10-02)';

// ---- v6 (2026-05-27) and v7 (2026-06-11): match by name ------------------------------------------

/** bus.c of v6 1/4 / v7 1/6: strcmp(smccc_dev->name, id->name); "%s-%d" with ida_alloc_min(..., 1) */
const nameBus = (rev: 'v6' | 'v7'): BusDef => ({
  name: 'arm_smccc', match: 'id_table', modaliasPrefix: 'arm_smccc:', modaliasAttr: true,
  deviceName: '{name}-{n}', idaStart: 1,
  requireDriverFields: ['probe'],
  setsModName: true,
  source: rev === 'v6' ? 'drivers/firmware/smccc/smccc.c (v6 1/4)' : 'drivers/firmware/smccc/bus.c (v7 1/6)',
});

/** v6 4/4 / v7 6/6: arm-cca-dev goes; /sys/firmware/cca/realm_guest always, "%d\n" of is_realm_world() */
const realmGuestAlways = (rev: string): ModuleDef => ({
  name: 'rsi', location: 'builtin', initcall: 'device', source: `arch/arm64/kernel/rsi.c:realm_sysfs_init (${rev}: "Replace dummy CCA device with sysfs ABI")`,
  init: [{ op: 'if', when: 'realm', then: [{ op: 'firmware_file_create', path: 'cca/realm_guest', value: '1' }], else: [{ op: 'firmware_file_create', path: 'cca/realm_guest', value: '0' }] }],
});

const busInit = (source: string): ModuleDef => ({
  name: 'arm_smccc_bus', location: 'builtin', initcall: 'subsys', source, init: [{ op: 'bus_register', bus: 'arm_smccc' }],
});

/** drivers/char/hw_random/arm_smccc_trng.c on the name bus: .name = KBUILD_MODNAME, id "arm-smccc-trng" */
const nameTrng = (rev: 'v6' | 'v7'): ModuleDef => ({
  name: 'arm_smccc_trng', location: 'module', source: `drivers/char/hw_random/arm_smccc_trng.c (${rev === 'v6' ? 'v6 2/4' : 'v7 2/6'})`,
  drivers: {
    smccc_trng: {
      name: 'arm_smccc_trng', bus: 'arm_smccc', idTable: ['arm-smccc-trng'],
      // v7: "validate the minimum version requirement"; v6's probe has no version check
      probe: rev === 'v7' ? [{ op: 'if', when: '!trng', then: [{ op: 'return', errno: 'ENODEV' }] }] : [],
    },
  },
  init: [{ op: 'driver_register', driver: 'smccc_trng' }],
});

/** cca_tsm_probe() of v6 3/4 and v7 5/6: Realm check, the report provider, a devm action to release it */
const nameGuest = (rev: 'v6' | 'v7'): ModuleDef => ({
  name: 'arm_cca_guest', location: 'module', source: `drivers/virt/coco/arm-cca-guest/${rev === 'v6' ? 'arm-cca-guest.c (v6 3/4)' : 'arm-cca.c (v7 4/6, 5/6)'}:cca_tsm_probe`,
  drivers: {
    arm_cca_guest: {
      name: 'arm_cca_guest', bus: 'arm_smccc', idTable: ['arm-rsi-dev'],
      probe: [
        { op: 'if', when: '!realm', then: [{ op: 'return', errno: 'ENODEV' }] },
        { op: 'tsm_report_register', orDevErrProbe: 'Error registering with TSM' },
        { op: 'devm_add_action', actions: [{ op: 'tsm_report_unregister' }] },
      ],
    },
  },
  init: [{ op: 'driver_register', driver: 'arm_cca_guest' }],
});

export const smcccBusV6: Scenario = {
  udev: { running: true },
  id: 'smccc-bus-v6',
  title: 'arm_smccc bus v6: arm-rsi-dev-1 on bus arm_smccc, matched by name (Realm guest)',
  description: 'v6 adds an arm_smccc bus that matches device names against id tables; RSI is registered first (so arm-rsi-dev-1, then arm-smccc-trng-2) and only when RSI_VERSION returns RSI_SUCCESS.',
  source: '"[PATCH v6 0/4] Switch Arm SMCCC firmware services to an SMCCC bus", Aneesh Kumar K.V, linux-arm-kernel, 2026-05-27 (1/4 bus, 2/4 TRNG, 3/4 RSI, 4/4 realm_guest)',
  design: 'smccc-bus',
  revision: 'v6',
  side: 'guest',
  focusModule: 'arm_cca_guest',
  kernel: { version: '7.0' },
  firmware: guestFirmware(),
  buses: [nameBus('v6')],
  modules: [
    busInit('drivers/firmware/smccc/smccc.c:arm_smccc_bus_init (v6 1/4, subsys_initcall)'),
    realmGuestAlways('v6 4/4'),
    {
      name: 'smccc', location: 'builtin', initcall: 'device', source: 'drivers/firmware/smccc/smccc.c:smccc_devices_init, rmm.c:register_rsi_device (v6 2/4, 3/4)',
      init: [
        // rmm.c: SMC conduit and rsi_request_version() == RSI_SUCCESS, registered before TRNG
        { op: 'if', when: 'rsi', then: [{ op: 'device_register', bus: 'arm_smccc', name: 'arm-rsi-dev', orReturn: 'ignore', orLog: 'arm-rsi-dev: could not register device' }] },
        { op: 'if', when: 'trng', then: [{ op: 'device_register', bus: 'arm_smccc', name: 'arm-smccc-trng', orReturn: 'ignore', orLog: 'arm-smccc-trng: could not register device: %ld' }] },
      ],
    },
    nameTrng('v6'),
    nameGuest('v6'),
  ],
};

export const smcccBusV7: Scenario = {
  ...smcccBusV6,
  id: 'smccc-bus-v7',
  title: 'arm_smccc bus v7: arm-rsi-dev-2 on bus arm_smccc, matched by name (Realm guest)',
  description: 'v7 registers devices from a table (TRNG first, then RSI) whenever the call answers anything but NOT_SUPPORTED; the version checks move into the drivers\' probes.',
  source: '"[PATCH v7 0/6] Switch Arm SMCCC firmware services to an SMCCC bus", Aneesh Kumar K.V, linux-arm-kernel, 2026-06-11 (Tested-by Andre Przywara)',
  revision: 'v7',
  buses: [nameBus('v7')],
  modules: [
    busInit('drivers/firmware/smccc/bus.c:arm_smccc_bus_init (v7 1/6, subsys_initcall)'),
    realmGuestAlways('v7 6/6'),
    {
      name: 'smccc', location: 'builtin', initcall: 'device', source: 'drivers/firmware/smccc/smccc.c:smccc_devices_init (v7 2/6, 5/6)',
      init: [
        // smccc_probe_smccc_device(): conduit not NONE, SMC where required, anything but SMCCC_RET_NOT_SUPPORTED
        { op: 'if', when: 'trng_call', then: [{ op: 'device_register', bus: 'arm_smccc', name: 'arm-smccc-trng', orReturn: 'ignore', orLog: 'smccc: arm-smccc-trng: could not register device: %ld' }] },
        { op: 'if', when: 'rsi_call', then: [{ op: 'device_register', bus: 'arm_smccc', name: 'arm-rsi-dev', orReturn: 'ignore', orLog: 'smccc: arm-rsi-dev: could not register device: %ld' }] },
      ],
    },
    nameTrng('v7'),
    nameGuest('v7'),
  ],
};

/** Extrapolated host side of v7: Aneesh's reply names ../../devices/arm-rmi-dev-1/tsm/tsm0 */
export const smcccBusV7Host: Scenario = {
  ...smcccBusV7,
  id: 'smccc-bus-v7-host',
  title: 'arm_smccc bus v7: arm-rmi-dev-N (KVM host, extrapolated)',
  description: 'No host conversion to the SMCCC bus was posted. This puts an RMI device on the v7 bus the way v7 puts RSI there, bound by arm_cca_host as host RFC v4 binds its auxiliary device. v7 registers TRNG first from one IDA starting at 1, so with TRNG firmware the RMI device is arm-rmi-dev-2; the reply\'s arm-rmi-dev-1 is a host without TRNG (or a tree that registered RMI first).',
  source: 'Extrapolated from v7 (2026-06-11) and Aneesh Kumar K.V\'s reply of 2026-06-12 ("../../devices/arm-rmi-dev-1/tsm/tsm0"); host probe as in host RFC v4 01/14 (2026-04-27)',
  side: 'host',
  focusModule: 'arm_cca_host',
  firmware: hostFirmware(),
  extrapolated: [
    'the arm-rmi-dev device on the arm_smccc bus and its registration on an SMC RMI_VERSION answer (no posted patch does this)',
    'arm_cca_host as an arm_smccc driver with id "arm-rmi-dev"',
  ],
  modules: [
    busInit('drivers/firmware/smccc/bus.c:arm_smccc_bus_init (v7 1/6, subsys_initcall)'),
    realmGuestAlways('v7 6/6'),
    {
      name: 'smccc', location: 'builtin', initcall: 'device', source: 'drivers/firmware/smccc/smccc.c:smccc_devices_init (v7, RMI entry extrapolated)',
      init: [
        { op: 'if', when: 'trng_call', then: [{ op: 'device_register', bus: 'arm_smccc', name: 'arm-smccc-trng', orReturn: 'ignore', orLog: 'smccc: arm-smccc-trng: could not register device: %ld' }] },
        { op: 'if', when: 'rmi', then: [{ op: 'device_register', bus: 'arm_smccc', name: 'arm-rmi-dev', orReturn: 'ignore', orLog: 'smccc: arm-rmi-dev: could not register device: %ld' }] },
      ],
    },
    nameTrng('v7'),
    {
      name: 'arm_cca_host', location: 'module', source: 'drivers/virt/coco/arm-cca-host/arm-cca-host.c (extrapolated onto the v7 bus)',
      drivers: {
        arm_cca_host: {
          name: 'arm_cca_host', bus: 'arm_smccc', idTable: ['arm-rmi-dev'],
          probe: [
            { op: 'if', when: '!rmi_da', then: [{ op: 'return', errno: 'ENODEV' }] },
            { op: 'tsm_register', pciOps: true },
            { op: 'devm_add_action', actions: [{ op: 'tsm_unregister' }] },
          ],
        },
      },
      init: [{ op: 'driver_register', driver: 'arm_cca_host' }],
    },
  ],
};

// ---- queued for 7.4: match by SMCCC function ID ----------------------------------------------------

/** drivers/firmware/smccc/bus.c @ fe7f2a80: func_id == id->func_id; "arm_smccc:f%08X"; dev_set_name("%s") */
const funcIdBus: BusDef = {
  name: 'arm_smccc', match: 'ids', idFields: ['func_id'],
  modaliasPrefix: 'arm_smccc:', modaliasFormat: 'f{func_id:08X}', modaliasAttr: true,
  deviceName: '{name}',
  // arm_smccc_driver_register(): if (!driver->probe || !driver->id_table) return -EINVAL; sets mod_name
  requireDriverFields: ['probe', 'idTable'],
  setsModName: true,
  source: 'drivers/firmware/smccc/bus.c (fe7f2a80 "firmware: smccc: Add an Arm SMCCC bus")',
};

export const smcccBusQueued: Scenario = {
  udev: { running: true },
  id: 'smccc-bus',
  title: 'arm_smccc bus, queued for 7.4: /sys/devices/arm-rsi matched by function ID (Realm guest)',
  description: 'The bus heading for mainline: smccc_devices_init() registers arm-smccc-trng and arm-rsi (no parent, no suffix) for function IDs that answer; drivers match by SMCCC function ID and udev loads them by arm_smccc:f%08X.',
  source: `${QUEUED}: fe7f2a80 "firmware: smccc: Add an Arm SMCCC bus", d8263a13 "firmware: hwrng: arm_smccc_trng: Register as an SMCCC device", 4cd84902 "firmware: arm_rmm: Move RSI support out of arch/arm64", 0d5be76b "firmware: smccc: arm-cca-guest: Bind the TSM provider to an SMCCC device", d541df16 "coco: guest: arm64: Add sysfs ABI for CCA Realm guests", bce57945 "coco: guest: arm64: Remove dummy CCA platform device"`,
  design: 'smccc-bus',
  revision: 'queued',
  side: 'guest',
  focusModule: 'arm_cca_guest',
  kernel: { version: '7.4' },
  firmware: guestFirmware(),
  buses: [funcIdBus],
  modules: [
    busInit('drivers/firmware/smccc/bus.c:arm_smccc_bus_init (subsys_initcall)'),
    {
      // d541df16: realm_sysfs_init() returns 0 outside a Realm; in one, cca/realm_guest reads "1\n"
      name: 'rsi', location: 'builtin', initcall: 'device', source: 'drivers/firmware/arm_rmm/rsi.c:realm_sysfs_init (d541df16)',
      init: [{ op: 'if', when: 'realm', then: [{ op: 'firmware_file_create', path: 'cca/realm_guest', value: '1' }] }],
    },
    {
      name: 'smccc', location: 'builtin', initcall: 'device', source: 'drivers/firmware/smccc/smccc.c:smccc_devices_init (d8263a13, 0d5be76b)',
      init: [
        // smccc_probe_smccc_device(): conduit not NONE; SMC where requires_smc; not SMCCC_RET_NOT_SUPPORTED
        { op: 'if', when: 'trng_call', then: [{ op: 'device_register', bus: 'arm_smccc', name: 'arm-smccc-trng', ids: { func_id: ARM_SMCCC_TRNG_VERSION }, orReturn: 'ignore', orLog: 'smccc: arm-smccc-trng: could not register device: %pe' }] },
        { op: 'if', when: 'rsi_call', then: [{ op: 'device_register', bus: 'arm_smccc', name: 'arm-rsi', ids: { func_id: SMC_RSI_ABI_VERSION }, orReturn: 'ignore', orLog: 'smccc: arm-rsi: could not register device: %pe' }] },
      ],
    },
    {
      name: 'arm_smccc_trng', location: 'module', source: 'drivers/char/hw_random/arm_smccc_trng.c:smccc_trng_probe (d8263a13)',
      drivers: {
        smccc_trng: {
          name: 'arm_smccc_trng', bus: 'arm_smccc', ids: [{ func_id: ARM_SMCCC_TRNG_VERSION }],
          // "validate the minimum version requirement"; then devm_hwrng_register(), released by devres
          probe: [{ op: 'if', when: '!trng', then: [{ op: 'return', errno: 'ENODEV' }] }],
        },
      },
      init: [{ op: 'driver_register', driver: 'smccc_trng' }],
    },
    {
      name: 'arm_cca_guest', location: 'module', source: 'drivers/virt/coco/arm-cca-guest/main.c:cca_tsm_probe (0d5be76b)',
      drivers: {
        arm_cca_guest: {
          name: 'arm_cca_guest', bus: 'arm_smccc', ids: [{ func_id: SMC_RSI_ABI_VERSION }],
          probe: [
            { op: 'if', when: '!realm', then: [{ op: 'return', errno: 'ENODEV' }] },
            { op: 'tsm_report_register', orDevErrProbe: 'Error registering with TSM' },
          ],
          // cca_tsm_remove(): tsm_report_unregister(&arm_cca_tsm_report_ops)
          remove: [{ op: 'tsm_report_unregister' }],
        },
      },
      init: [{ op: 'driver_register', driver: 'arm_cca_guest' }],
    },
  ],
};

export const SMCCC_BUS_REVISIONS: Scenario[] = [smcccBusQueued, smcccBusV7, smcccBusV7Host, smcccBusV6];
