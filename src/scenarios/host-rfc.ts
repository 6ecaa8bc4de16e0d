/**
 * (2) "[RFC PATCH v1 00/38] ARM CCA Device Assignment support", Aneesh Kumar K.V, 2025-07-28:
 * platform devices arm-rsi-dev (guest, 23/38 + 24/38) and arm-rmi-dev (host, 11/38 + 12/38), each
 * bound by a real platform driver. docs/research/posted-series.md §A.
 */
import type { Scenario } from '../engine/scenario/schema';
import { guestFirmware, hostFirmware, mainlineSmccc, smcccTrngModule } from './common';

const RFC = '"[RFC PATCH v1 00/38] ARM CCA Device Assignment support", Aneesh Kumar K.V, linux-coco / linux-arm-kernel, 2025-07-28';
const TSM_ERA = 'the RFC ran on the devsec/tsm tree\'s tsm_register(parent, NULL, pci_ops); it is modelled with the 6.19 tsm class, without the KOBJ_CHANGE of later tsm-core.c (not verified in that tree)';

export const hostRfcGuest: Scenario = {
  udev: { running: true },
  id: 'host-rfc',
  title: 'Host RFC v1: platform device arm-rsi-dev bound by arm-cca-guest (Realm guest)',
  description: '23/38 renames the guest device arm-rsi-dev and makes arm-cca-guest a platform driver that binds it; 24/38 registers it from a device_initcall and adds a tsm device when the RMM reports DA.',
  source: `${RFC}: 23/38 "coco: guest: arm64: Update arm CCA guest driver", 24/38 "arm64: CCA: Register guest tsm callback"`,
  design: 'host-rfc',
  revision: 'rfc-v1',
  side: 'guest',
  focusModule: 'arm_cca_guest',
  kernel: { version: '6.19' },
  extrapolated: [TSM_ERA],
  firmware: guestFirmware(),
  modules: [
    {
      // 24/38: arm64_create_cca_guest_dev() is a device_initcall
      name: 'rsi', location: 'builtin', initcall: 'device', source: 'arch/arm64/kernel/rsi.c:arm64_create_cca_guest_dev (RFC 23/38, 24/38)',
      init: [{ op: 'if', when: 'realm', then: [
        { op: 'platform_device_register_simple', name: 'arm-rsi-dev', id: 'NONE' },
        { op: 'log', message: 'CCA guest platform device registered.' },
      ] }],
    },
    mainlineSmccc(),
    smcccTrngModule(),
    {
      name: 'arm_cca_guest', location: 'module', source: 'drivers/virt/coco/arm-cca-guest/arm-cca.c:cca_guest_probe (RFC 23/38, 24/38)',
      drivers: {
        arm_cca_guest: {
          name: 'arm-cca-guest', bus: 'platform', idTable: ['arm-rsi-dev'],
          probe: [
            { op: 'if', when: '!realm', then: [{ op: 'return', errno: 'ENODEV' }] },
            // as posted: the error is logged, then ret is overwritten by the devm call
            { op: 'tsm_report_register', orLog: 'Error %d registering with TSM', orReturn: 'ignore' },
            { op: 'devm_add_action', actions: [{ op: 'tsm_report_unregister' }] },
            { op: 'if', when: 'rsi_da', then: [{ op: 'tsm_register' }, { op: 'devm_add_action', actions: [{ op: 'tsm_unregister' }] }] },
          ],
        },
      },
      init: [{ op: 'platform_driver_register', driver: 'arm_cca_guest' }],
    },
  ],
};

export const hostRfcHost: Scenario = {
  ...hostRfcGuest,
  id: 'host-rfc-host',
  title: 'Host RFC v1: platform device arm-rmi-dev bound by cca_tsm (KVM host)',
  description: 'KVM registers platform device arm-rmi-dev only when the RMM reports device assignment; the cca_tsm platform driver of arm_cca_host binds it and registers a tsm device.',
  source: `${RFC}: 11/38 "KVM: arm64: CCA: register host tsm platform device", 12/38 "coco: host: arm64: CCA host platform device driver"`,
  side: 'host',
  focusModule: 'arm_cca_host',
  firmware: hostFirmware(),
  modules: [
    {
      // kvm_init_rme(): if (rme_has_feature(RMI_FEATURE_REGISTER_0_DA)) rmm_tsm_init();
      name: 'kvm_rmi', location: 'builtin', initcall: 'device', source: 'arch/arm64/kvm/rme.c:rmm_tsm_init (RFC 11/38)',
      init: [{ op: 'if', when: 'rmi_da', then: [
        { op: 'platform_device_register_simple', name: 'arm-rmi-dev', id: 'NONE' },
        { op: 'log', message: 'CCA host DA platform device initialized.' },
      ] }],
    },
    mainlineSmccc(),
    smcccTrngModule(),
    {
      name: 'arm_cca_host', location: 'module', source: 'drivers/virt/coco/arm-cca-host/arm-cca-host.c:cca_tsm_probe (RFC 12/38)',
      drivers: {
        cca_tsm: {
          // no DA check in the probe: the device only exists with DA
          name: 'cca_tsm', bus: 'platform', idTable: ['arm-rmi-dev'],
          probe: [{ op: 'tsm_register' }, { op: 'devm_add_action', actions: [{ op: 'tsm_unregister' }] }],
        },
      },
      init: [{ op: 'platform_driver_register', driver: 'cca_tsm' }],
    },
  ],
};

export const HOST_RFC_REVISIONS: Scenario[] = [hostRfcGuest, hostRfcHost];
