/**
 * The five designs of the Arm CCA device debate, as data. Each names where it comes from.
 * Guest side: a Realm guest (RSI). Host side: a KVM host (RMI), where the design has one.
 */
import type { Scenario } from '../engine/scenario/schema';
import { guestFirmware, hostFirmware, mainlineSmccc, smcccTrngModule } from './common';

const base = { udev: { running: true } };

/** (1) mainline since 6.13: arch code registers an unbound platform device only to autoload the module */
export const mainline: Scenario = {
  ...base,
  id: 'mainline',
  title: 'Mainline: platform device arm-cca-dev (Realm guest)',
  description: 'arch/arm64/kernel/rsi.c registers platform device arm-cca-dev; arm_cca_guest is not a driver, its platform device table only makes udev load it.',
  source: 'Linux 6.13–6.18: arch/arm64/kernel/rsi.c (arm64_create_dummy_rsi_dev), drivers/virt/coco/arm-cca-guest/arm-cca-guest.c',
  design: 'mainline',
  side: 'guest',
  focusModule: 'arm_cca_guest',
  kernel: { version: '6.18' },
  firmware: guestFirmware(),
  udev: { running: true },
  modules: [
    {
      name: 'rsi', location: 'builtin', initcall: 'arch', source: 'arch/arm64/kernel/rsi.c:arm64_create_dummy_rsi_dev',
      init: [{ op: 'if', when: 'realm', then: [{ op: 'platform_device_register_simple', name: 'arm-cca-dev', id: 'NONE', orReturn: 'ignore' }] }],
    },
    mainlineSmccc(),
    smcccTrngModule(),
    {
      name: 'arm_cca_guest', location: 'module', source: 'drivers/virt/coco/arm-cca-guest/arm-cca-guest.c',
      // MODULE_DEVICE_TABLE(platform, arm_cca_match) with { "arm-cca-dev" }: an alias, not a driver
      aliases: ['platform:arm-cca-dev'],
      init: [
        { op: 'if', when: '!realm', then: [{ op: 'return', errno: 'ENODEV' }] },
        { op: 'tsm_report_register' },
      ],
      exit: [{ op: 'tsm_report_unregister' }],
    },
  ],
};

/** (2) host RFC v1: KVM registers arm-rmi-dev; the guest device becomes arm-rsi-dev with a real platform driver */
export const hostRfcGuest: Scenario = {
  ...base,
  id: 'host-rfc',
  title: 'Host RFC: platform devices arm-rsi-dev / arm-rmi-dev (Realm guest)',
  description: 'RFC v1 23/38 renames the guest device arm-rsi-dev and makes arm_cca_guest a platform driver that binds it.',
  source: '"[RFC PATCH v1 11/38] KVM: arm64: CCA: register host tsm platform device" and 23/38 (guest device renamed arm-rsi-dev, arm-cca-guest made a platform driver), Aneesh Kumar K.V, linux-coco, 2025-07-28',
  design: 'host-rfc',
  side: 'guest',
  focusModule: 'arm_cca_guest',
  kernel: { version: '6.19' },
  firmware: guestFirmware(),
  udev: { running: true },
  modules: [
    {
      name: 'rsi', location: 'builtin', initcall: 'arch', source: 'arch/arm64/kernel/rsi.c (RFC 23/38)',
      init: [{ op: 'if', when: 'realm', then: [{ op: 'platform_device_register_simple', name: 'arm-rsi-dev', id: 'NONE', orReturn: 'ignore' }] }],
    },
    mainlineSmccc(),
    smcccTrngModule(),
    {
      name: 'arm_cca_guest', location: 'module', source: 'drivers/virt/coco/arm-cca-guest/arm-cca-guest.c (RFC 23/38)',
      drivers: {
        arm_cca_guest: {
          name: 'arm_cca_guest', bus: 'platform', idTable: ['arm-rsi-dev'],
          probe: [{ op: 'tsm_report_register' }],
          remove: [{ op: 'tsm_report_unregister' }],
        },
      },
      init: [{ op: 'platform_driver_register', driver: 'arm_cca_guest' }],
    },
  ],
};

export const hostRfcHost: Scenario = {
  ...hostRfcGuest,
  id: 'host-rfc-host',
  title: 'Host RFC: platform device arm-rmi-dev (KVM host)',
  description: 'KVM registers platform device arm-rmi-dev when the RMM reports device assignment; arm_cca_host binds it and registers a tsm class device.',
  side: 'host',
  focusModule: 'arm_cca_host',
  firmware: hostFirmware(),
  modules: [
    {
      name: 'kvm_rmi', location: 'builtin', initcall: 'device', source: 'arch/arm64/kvm/rme.c:rmm_tsm_init (RFC 11/38)',
      init: [{ op: 'if', when: 'rmi_da', then: [{ op: 'platform_device_register_simple', name: 'arm-rmi-dev', id: 'NONE', orReturn: 'ignore' }] }],
    },
    mainlineSmccc(),
    smcccTrngModule(),
    {
      name: 'arm_cca_host', location: 'module', source: 'drivers/virt/coco/arm-cca-host/arm-cca-host.c (RFC 11/38)',
      drivers: {
        arm_cca_host: {
          name: 'arm_cca_host', bus: 'platform', idTable: ['arm-rmi-dev'],
          probe: [{ op: 'tsm_register' }],
          remove: [{ op: 'tsm_unregister' }],
        },
      },
      init: [{ op: 'platform_driver_register', driver: 'arm_cca_host' }],
    },
  ],
};

/** (3) faux, as Greg KH suggested: the same device, created with faux_device_create() */
export const faux: Scenario = {
  ...mainline,
  id: 'faux',
  title: 'Faux: faux device arm-cca-dev (Realm guest)',
  description: 'rsi.c creates arm-cca-dev with faux_device_create(); faux_driver binds it at once, the faux bus sends no MODALIAS, so arm_cca_guest never autoloads.',
  source: 'Greg Kroah-Hartman on linux-coco, 2025-07-30 and 2025-08-01 ("use a faux device"); Jeremy Linton, 2025-10-10 (no faux_device_id / file2alias)',
  design: 'faux',
  modules: [
    {
      name: 'rsi', location: 'builtin', initcall: 'arch', source: 'arch/arm64/kernel/rsi.c (faux_device_create instead of platform_device_register)',
      init: [{ op: 'if', when: 'realm', then: [{ op: 'faux_device_create', name: 'arm-cca-dev', orReturn: 'ignore' }] }],
    },
    ...mainline.modules.slice(1),
  ],
};

/** (3b) the posted faux patch: the module itself creates arm-rsi-dev in module_init */
export const fauxModuleInit: Scenario = {
  ...mainline,
  id: 'faux-module-init',
  title: 'Faux, as posted: arm_cca_guest creates faux device arm-rsi-dev in module_init (Realm guest)',
  description: 'The module creates its own faux device and has no device table, so nothing loads it; loaded by hand outside a Realm, its faux probe fails, the device is torn down and init returns -ENOMEM.',
  source: '"coco: guest: arm64: Update ARM CCA guest driver", linux-coco, 2025-10-08',
  design: 'faux',
  modules: [
    mainlineSmccc(),
    smcccTrngModule(),
    {
      name: 'arm_cca_guest', location: 'module', source: 'drivers/virt/coco/arm-cca-guest/arm-cca-guest.c (2025-10-08 patch)',
      init: [{
        op: 'faux_device_create', name: 'arm-rsi-dev', orReturn: 'ENOMEM',
        probe: [
          { op: 'if', when: '!realm', then: [{ op: 'return', errno: 'ENODEV' }] },
          { op: 'tsm_report_register' },
        ],
        remove: [{ op: 'tsm_report_unregister' }],
      }],
      exit: [{ op: 'faux_device_destroy', device: 'arm-rsi-dev' }],
    },
  ],
};

/** the SMCCC platform parent of the auxiliary design, with the devm children its probe creates */
function auxiliarySmccc(): Scenario['modules'][number] {
  return {
    name: 'smccc', location: 'builtin', initcall: 'device', source: 'drivers/firmware/smccc/smccc.c (auxiliary series)',
    drivers: {
      smccc: {
        name: 'arm-smccc', bus: 'platform',
        probe: [
          { op: 'if', when: 'rsi', then: [{ op: 'auxiliary_device_create', parent: '$dev', modname: 'arm_cca_guest', name: 'arm-rsi-dev', id: 0, devm: true, orReturn: 'ignore' }] },
          { op: 'if', when: 'rmi', then: [{ op: 'auxiliary_device_create', parent: '$dev', modname: 'arm_cca_host', name: 'arm-rmi-dev', id: 0, devm: true, orReturn: 'ignore' }] },
        ],
      },
    },
    init: [
      { op: 'if', when: 'smccc_1_1', then: [{ op: 'platform_device_register_simple', name: 'arm-smccc', id: 'NONE', orReturn: 'ignore' }] },
      { op: 'platform_driver_register', driver: 'smccc' },
      { op: 'if', when: 'trng', then: [{ op: 'platform_device_register_simple', name: 'smccc_trng', id: 'NONE', orReturn: 'ignore' }] },
    ],
  };
}

/** (4) auxiliary devices under an arm-smccc platform device */
export const auxiliaryGuest: Scenario = {
  ...base,
  id: 'auxiliary',
  title: 'Auxiliary: arm_cca_guest.arm-rsi-dev.0 under platform device arm-smccc (Realm guest)',
  description: 'smccc.c registers platform device arm-smccc; its probe creates a devm auxiliary device per call group; udev loads arm_cca_guest by its auxiliary: alias and its driver binds.',
  source: '"[PATCH v4 0/2] Switch Arm CCA to use an auxiliary device instead of a platform device", Aneesh Kumar K.V, linux-arm-kernel, 2026-04-27 (v2 2025-10-27; proposed by Jason Gunthorpe on linux-coco, 2025-10-10/15)',
  design: 'auxiliary',
  side: 'guest',
  focusModule: 'arm_cca_guest',
  kernel: { version: '7.0' },
  firmware: guestFirmware(),
  udev: { running: true },
  modules: [
    auxiliarySmccc(),
    smcccTrngModule(),
    {
      name: 'arm_cca_guest', location: 'module', source: 'drivers/virt/coco/arm-cca-guest/arm-cca-guest.c (auxiliary series)',
      drivers: {
        arm_cca_guest: {
          bus: 'auxiliary', idTable: ['arm_cca_guest.arm-rsi-dev'],
          probe: [{ op: 'tsm_report_register' }, { op: 'if', when: 'tsm_class', then: [{ op: 'tsm_register' }] }],
          remove: [{ op: 'if', when: 'tsm_class', then: [{ op: 'tsm_unregister' }] }, { op: 'tsm_report_unregister' }],
        },
      },
      init: [{ op: 'auxiliary_driver_register', driver: 'arm_cca_guest' }],
    },
  ],
};

export const auxiliaryHost: Scenario = {
  ...auxiliaryGuest,
  id: 'auxiliary-host',
  title: 'Auxiliary: arm_cca_host.arm-rmi-dev.0 under platform device arm-smccc (KVM host)',
  description: 'On the host, arm-smccc\'s probe creates arm_cca_host.arm-rmi-dev.0; udev loads arm_cca_host, which binds it and registers tsm0.',
  side: 'host',
  focusModule: 'arm_cca_host',
  firmware: hostFirmware(),
  modules: [
    auxiliarySmccc(),
    smcccTrngModule(),
    {
      name: 'arm_cca_host', location: 'module', source: 'drivers/virt/coco/arm-cca-host/arm-cca-host.c (auxiliary series)',
      drivers: {
        arm_cca_host: {
          bus: 'auxiliary', idTable: ['arm_cca_host.arm-rmi-dev'],
          probe: [{ op: 'if', when: 'tsm_class', then: [{ op: 'tsm_register' }] }],
          remove: [{ op: 'if', when: 'tsm_class', then: [{ op: 'tsm_unregister' }] }],
        },
      },
      init: [{ op: 'auxiliary_driver_register', driver: 'arm_cca_host' }],
    },
  ],
};

/** (5) a dedicated arm_smccc bus, defined as data */
const smcccBusDef: NonNullable<Scenario['buses']>[number] = {
  name: 'arm_smccc', match: 'id_table', modaliasPrefix: 'arm_smccc:', modaliasAttr: true,
  deviceName: '{name}-{n}', idaStart: 1,
  source: 'drivers/firmware/smccc/bus.c (arm_smccc bus series v6/v7)',
  // arm_smccc_driver_register() sets driver.mod_name (v7)
  setsModName: true,
};

function smcccBusCore(): Scenario['modules'] {
  return [
    { name: 'arm_smccc_bus', location: 'builtin', initcall: 'subsys', source: 'drivers/firmware/smccc/bus.c (subsys_initcall)', init: [{ op: 'bus_register', bus: 'arm_smccc' }] },
    {
      // "coco: guest: arm64: Replace dummy CCA device with sysfs ABI": arm-cca-dev is gone; userspace reads this file instead
      name: 'cca_realm_guest', location: 'builtin', initcall: 'device', source: 'arch/arm64 (v6 4/4, v7 6/6: /sys/firmware/cca/realm_guest)',
      init: [{ op: 'if', when: 'realm', then: [{ op: 'firmware_file_create', path: 'cca/realm_guest', value: '1' }], else: [{ op: 'firmware_file_create', path: 'cca/realm_guest', value: '0' }] }],
    },
    {
      name: 'smccc', location: 'builtin', initcall: 'device', source: 'drivers/firmware/smccc/smccc.c (arm_smccc bus series)',
      init: [
        { op: 'if', when: 'trng', then: [{ op: 'device_register', bus: 'arm_smccc', name: 'arm-smccc-trng', orReturn: 'ignore' }] },
        // smccc_probe_smccc_device(): a device whenever RSI_ABI_VERSION answers over SMC; the version check is the driver's
        { op: 'if', when: 'rsi_call', then: [{ op: 'device_register', bus: 'arm_smccc', name: 'arm-rsi-dev', orReturn: 'ignore' }] },
        { op: 'if', when: 'rmi', then: [{ op: 'device_register', bus: 'arm_smccc', name: 'arm-rmi-dev', orReturn: 'ignore' }] },
      ],
    },
    {
      name: 'arm_smccc_trng', location: 'module', source: 'drivers/char/hw_random/arm_smccc_trng.c (arm_smccc bus series)',
      // .name = KBUILD_MODNAME; smccc_trng_probe() checks smccc_probe_trng() itself
      drivers: { smccc_trng: { name: 'arm_smccc_trng', bus: 'arm_smccc', idTable: ['arm-smccc-trng'], probe: [{ op: 'if', when: '!trng', then: [{ op: 'return', errno: 'ENODEV' }] }] } },
      init: [{ op: 'driver_register', driver: 'smccc_trng' }],
    },
  ];
}

export const smcccBusGuest: Scenario = {
  ...base,
  id: 'smccc-bus',
  title: 'Dedicated arm_smccc bus: device arm-rsi-dev-N (Realm guest)',
  description: 'A new arm_smccc bus with id-table matching and MODALIAS=arm_smccc:<name>; TRNG and RSI are devices on it.',
  source: '"[PATCH v6 0/4] Switch Arm SMCCC firmware services to an SMCCC bus", Aneesh Kumar K.V, linux-arm-kernel, 2026-05-27 (device naming "<name>-<N>" as read in v7, 2026-06-11; the series also drops arm-cca-dev and adds /sys/firmware/cca/realm_guest, not modelled)',
  design: 'smccc-bus',
  side: 'guest',
  focusModule: 'arm_cca_guest',
  kernel: { version: '7.0' },
  firmware: guestFirmware(),
  udev: { running: true },
  buses: [smcccBusDef],
  modules: [
    ...smcccBusCore(),
    {
      name: 'arm_cca_guest', location: 'module', source: 'drivers/virt/coco/arm-cca-guest/arm-cca-guest.c (arm_smccc bus series)',
      drivers: {
        arm_cca_guest: {
          name: 'arm_cca_guest', bus: 'arm_smccc', idTable: ['arm-rsi-dev'],
          // cca_tsm_probe(): -ENODEV outside a Realm (silent: the device stays unbound); the report
          // provider is unregistered by a devm action
          probe: [
            { op: 'if', when: '!realm', then: [{ op: 'return', errno: 'ENODEV' }] },
            { op: 'tsm_report_register' },
            { op: 'devm_add_action', actions: [{ op: 'tsm_report_unregister' }] },
            { op: 'if', when: 'tsm_class', then: [{ op: 'tsm_register' }] },
          ],
          remove: [{ op: 'if', when: 'tsm_class', then: [{ op: 'tsm_unregister' }] }],
        },
      },
      init: [{ op: 'driver_register', driver: 'arm_cca_guest' }],
    },
  ],
};

export const smcccBusHost: Scenario = {
  ...smcccBusGuest,
  id: 'smccc-bus-host',
  title: 'Dedicated arm_smccc bus: device arm-rmi-dev-N (KVM host, extrapolated)',
  description: 'Extrapolated: the v6/v7 series moves only TRNG and RSI onto the bus; this puts arm-rmi-dev there too (the v7 thread mentions ../../devices/arm-rmi-dev-1/tsm/tsm0). arm_cca_host binds it by id table after udev loads it by arm_smccc: alias.',
  side: 'host',
  focusModule: 'arm_cca_host',
  firmware: hostFirmware(),
  modules: [
    ...smcccBusCore(),
    {
      name: 'arm_cca_host', location: 'module', source: 'drivers/virt/coco/arm-cca-host/arm-cca-host.c (arm_smccc bus series)',
      drivers: {
        arm_cca_host: {
          name: 'arm_cca_host', bus: 'arm_smccc', idTable: ['arm-rmi-dev'],
          probe: [{ op: 'if', when: 'tsm_class', then: [{ op: 'tsm_register' }] }],
          remove: [{ op: 'if', when: 'tsm_class', then: [{ op: 'tsm_unregister' }] }],
        },
      },
      init: [{ op: 'driver_register', driver: 'arm_cca_host' }],
    },
  ],
};
