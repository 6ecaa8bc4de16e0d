/**
 * (4) Auxiliary devices under an arm-smccc platform device, as posted: v2 (2025-10-27), v4
 * (2026-04-27, reconstructed) and v5 (2026-05-14). In every revision smccc_devices_init()
 * registers platform device "arm-smccc" and creates the devm auxiliary children on it directly:
 * no platform driver named arm-smccc exists, so the parent stays unbound and holds the devres.
 * docs/research/posted-series.md §B, §B', §C.
 */
import type { KernelAction, ModuleDef, Scenario } from '../engine/scenario/schema';
import { guestFirmware, hostFirmware, smcccTrngModule } from './common';

type Rev = 'v2' | 'v4' | 'v5';

/** __devm_auxiliary_device_create(&pdev->dev, modname, devname, NULL, 0) on the unbound arm-smccc */
const auxChild = (modname: string, name: string, orLog?: string): KernelAction => ({
  op: 'auxiliary_device_create', parent: 'arm-smccc', modname, name, id: 0, devm: true, orReturn: 'ignore', ...(orLog ? { orLog } : {}),
});

/**
 * drivers/firmware/smccc/smccc.c:smccc_devices_init() (+ rmm.c from v3 on) of each revision:
 * register_rsi_device() and register_rmi_device() both run; the firmware decides which answers.
 */
function smcccInit(rev: Rev): ModuleDef {
  const arm = { op: 'platform_device_register_simple', name: 'arm-smccc', id: 'NONE', orLog: 'smccc: arm-smccc: could not register device: %ld' } as const;
  // v2 02/12: rsi_request_version() == RSI_SUCCESS; v5 rmm.c: SMC conduit first, then RSI_SUCCESS (the "rsi" fact)
  const rsi: KernelAction = { op: 'if', when: 'rsi', then: [auxChild('arm_cca_guest', 'arm-rsi-dev')] };
  // v2 04/12 (host RFC v3/v4 rmm.c): SMC_RMI_VERSION returns RMI_SUCCESS
  const rmi: KernelAction = { op: 'if', when: 'rmi', then: [auxChild('arm_cca_host', 'arm-rmi-dev')] };
  const platformTrng: KernelAction = { op: 'if', when: 'trng', then: [{ op: 'platform_device_register_simple', name: 'smccc_trng', id: 'NONE', orReturn: 'ignore', orLog: 'smccc: smccc_trng: could not register device: %ld' }] };
  const auxTrng: KernelAction = { op: 'if', when: 'trng', then: [auxChild('arm_smccc_trng', 'smccc_trng', 'smccc: smccc_trng: could not register device')] };
  const init: KernelAction[] =
    rev === 'v2'
      // no conduit check; a failed arm-smccc is logged and the TRNG block still runs
      ? [{ ...arm, orReturn: 'ignore' }, rsi, rmi, platformTrng]
      : rev === 'v4'
        ? [{ op: 'if', when: 'smccc_1_1', then: [{ ...arm, orReturn: 'ignore' }, rsi, rmi] }, platformTrng]
        // v5 1/3: if (smccc_conduit == SMCCC_CONDUIT_NONE) return 0; 2/3: on arm-smccc failure, return 0
        : [{ op: 'if', when: 'smccc_1_1', then: [{ ...arm, orReturn: 0 }, rsi, rmi, auxTrng] }];
  return {
    name: 'smccc', location: 'builtin', initcall: 'device',
    source: `drivers/firmware/smccc/smccc.c:smccc_devices_init${rev === 'v2' ? ' (v2 02/12, 04/12)' : rev === 'v4' ? ', rmm.c (v4, reconstructed)' : ', rmm.c:register_rsi_device (v5 1/3, 2/3; register_rmi_device from host RFC v4 01/14)'}`,
    init,
  };
}

/** arm-cca.c:cca_devsec_tsm_probe (v2 02/12, v5 1/3): only tsm_report_register, released by a devm action */
const guestModule = (rev: Rev): ModuleDef => ({
  name: 'arm_cca_guest', location: 'module', source: `drivers/virt/coco/arm-cca-guest/arm-cca.c:cca_devsec_tsm_probe (${rev === 'v2' ? 'v2 02/12' : rev === 'v4' ? 'v4, as v5 1/3' : 'v5 1/3'})`,
  drivers: {
    // struct auxiliary_driver without .name: the driver is named after KBUILD_MODNAME
    arm_cca_guest: {
      bus: 'auxiliary', idTable: ['arm_cca_guest.arm-rsi-dev'],
      probe: [
        { op: 'if', when: '!realm', then: [{ op: 'return', errno: 'ENODEV' }] },
        rev === 'v2' ? { op: 'tsm_report_register', orLog: 'Error %d registering with TSM' } : { op: 'tsm_report_register', orDevErrProbe: 'Error registering with TSM' },
        { op: 'devm_add_action', actions: [{ op: 'tsm_report_unregister' }] },
      ],
    },
  },
  init: [{ op: 'auxiliary_driver_register', driver: 'arm_cca_guest' }],
});

/** arm-cca-host: cca_link_tsm_probe (v2 04/12; host RFC v3/v4): -ENODEV without DA, else tsm_register with PCI ops */
const hostModule = (rev: Rev): ModuleDef => ({
  name: 'arm_cca_host', location: 'module', source: `drivers/virt/coco/arm-cca-host/arm-cca-host.c:cca_link_tsm_probe (${rev === 'v2' ? 'v2 04/12' : 'host RFC v4 01/14, 2026-04-27'})`,
  drivers: {
    arm_cca_host: {
      bus: 'auxiliary', idTable: ['arm_cca_host.arm-rmi-dev'],
      probe: [
        { op: 'if', when: '!rmi_da', then: [{ op: 'return', errno: 'ENODEV' }] },
        { op: 'tsm_register', pciOps: true },
        { op: 'devm_add_action', actions: [{ op: 'tsm_unregister' }] },
      ],
    },
  },
  init: [{ op: 'auxiliary_driver_register', driver: 'arm_cca_host' }],
});

/** v5 2/3: the TRNG driver on the auxiliary bus, id "arm_smccc_trng.smccc_trng", no version check */
const auxTrngModule: ModuleDef = {
  name: 'arm_smccc_trng', location: 'module', source: 'drivers/char/hw_random/arm_smccc_trng.c (v5 2/3 "hwrng: arm_smccc_trng: Register as an auxiliary device")',
  drivers: { smccc_trng: { bus: 'auxiliary', idTable: ['arm_smccc_trng.smccc_trng'], probe: [] } },
  init: [{ op: 'auxiliary_driver_register', driver: 'smccc_trng' }],
};

/** v5 3/3: arm-cca-dev goes; /sys/firmware/cca/realm_guest always, "%d\n" of is_realm_world() */
const realmGuest: ModuleDef = {
  name: 'rsi', location: 'builtin', initcall: 'device', source: 'arch/arm64/kernel/rsi.c:realm_sysfs_init (v5 3/3 "coco: guest: arm64: Replace dummy CCA device with sysfs ABI")',
  init: [{ op: 'if', when: 'realm', then: [{ op: 'firmware_file_create', path: 'cca/realm_guest', value: '1' }], else: [{ op: 'firmware_file_create', path: 'cca/realm_guest', value: '0' }] }],
};

const SOURCES: Record<Rev, string> = {
  v2: '"[PATCH RESEND v2 00/12] coco: tsm: Implement ->connect()/->disconnect() callbacks for ARM CCA IDE setup", Aneesh Kumar K.V, linux-coco, 2025-10-27: 02/12 "firmware: smccc: coco: Manage arm-smccc platform device and CCA auxiliary drivers", 03/12 "coco: guest: arm64: Drop dummy RSI platform device stub", 04/12 (register_rmi_device)',
  v4: '"[PATCH v4 0/2] Switch Arm CCA to use an auxiliary device instead of a platform device", Aneesh Kumar K.V, linux-arm-kernel, 2026-04-27',
  v5: '"[PATCH v5 0/3] Switch Arm CCA to use an auxiliary device instead of a platform device", Aneesh Kumar K.V, linux-arm-kernel, 2026-05-14 (Greg KH in review: "Do not make any more “fake” platform devices please"); host side from "[RFC PATCH v4 01/14]" host series, 2026-04-27',
};

function guest(rev: Rev): Scenario {
  const modules: ModuleDef[] = [smcccInit(rev)];
  if (rev === 'v5') modules.push(realmGuest, auxTrngModule);
  else modules.push(smcccTrngModule());
  modules.push(guestModule(rev));
  return {
    udev: { running: true },
    id: rev === 'v5' ? 'auxiliary' : `auxiliary-${rev}`,
    title: `Auxiliary ${rev}: arm_cca_guest.arm-rsi-dev.0 under the unbound platform device arm-smccc (Realm guest)`,
    description: `smccc_devices_init() registers platform device arm-smccc, which no driver binds, and creates the devm auxiliary device on it${rev === 'v5' ? ' (and arm_smccc_trng.smccc_trng.0)' : ''}; udev loads arm_cca_guest by its auxiliary: alias and its driver binds.${rev === 'v2' ? ' arm-cca-dev is dropped (03/12).' : ''}`,
    source: SOURCES[rev],
    design: 'auxiliary',
    revision: rev,
    side: 'guest',
    focusModule: 'arm_cca_guest',
    // v2 ran on the devsec/tsm tree that became 6.19; v4/v5 on 7.0-era trees
    kernel: { version: rev === 'v2' ? '6.19' : '7.0' },
    firmware: guestFirmware(),
    ...(rev === 'v4' ? { extrapolated: ['the v4 thread is not in the archives read: reconstructed from v5\'s change log ("Changes from v4: Add /sys/firmware/cca/realm_guest; Convert smccc-trng to auxiliary device"), with v5 1/3\'s smccc.c/rmm.c code and arm-cca-dev dropped as in v2 03/12'] } : {}),
    modules,
  };
}

function host(rev: 'v2' | 'v5'): Scenario {
  const g = guest(rev);
  return {
    ...g,
    id: `${g.id}-host`,
    title: `Auxiliary ${rev}: arm_cca_host.arm-rmi-dev.0 under the unbound platform device arm-smccc (KVM host)`,
    description: 'register_rmi_device() creates arm_cca_host.arm-rmi-dev.0 on arm-smccc when RMI_VERSION succeeds; udev loads arm_cca_host, whose probe returns -ENODEV unless the RMM reports DA, else registers tsm0 (with PCI ops).',
    side: 'host',
    focusModule: 'arm_cca_host',
    firmware: hostFirmware(),
    ...(rev === 'v5' ? { extrapolated: ['the v5 aux series has no host patch: the host device and driver are host RFC v4\'s (2026-04-27), which builds on the aux series'] } : {}),
    modules: [...g.modules.filter((m) => m.name !== 'arm_cca_guest'), hostModule(rev)],
  };
}

export const AUXILIARY_REVISIONS: Scenario[] = [guest('v5'), host('v5'), guest('v4'), guest('v2'), host('v2')];
