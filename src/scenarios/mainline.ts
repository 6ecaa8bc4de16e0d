/** (1) Mainline since 6.13: arch code registers an unbound platform device only to autoload the module. */
import type { Scenario } from '../engine/scenario/schema';
import { guestFirmware, mainlineSmccc, smcccTrngModule } from './common';

export const mainline: Scenario = {
  udev: { running: true },
  id: 'mainline',
  title: 'Mainline: platform device arm-cca-dev (Realm guest)',
  description: 'arch/arm64/kernel/rsi.c registers platform device arm-cca-dev; arm_cca_guest is not a driver, its platform device table only makes udev load it.',
  source: 'Linux 6.13–7.3: arch/arm64/kernel/rsi.c (arm64_create_dummy_rsi_dev), drivers/virt/coco/arm-cca-guest/arm-cca-guest.c',
  design: 'mainline',
  revision: '6.13+',
  side: 'guest',
  focusModule: 'arm_cca_guest',
  kernel: { version: '6.18' },
  firmware: guestFirmware(),
  modules: [
    {
      name: 'rsi', location: 'builtin', initcall: 'arch', source: 'arch/arm64/kernel/rsi.c:arm64_create_dummy_rsi_dev',
      init: [{ op: 'if', when: 'realm', then: [{ op: 'platform_device_register_simple', name: 'arm-cca-dev', id: 'NONE', orReturn: 'ignore', orLog: 'failed to register rsi platform device' }] }],
    },
    mainlineSmccc(),
    smcccTrngModule(),
    {
      name: 'arm_cca_guest', location: 'module', source: 'drivers/virt/coco/arm-cca-guest/arm-cca-guest.c:arm_cca_guest_init',
      // MODULE_DEVICE_TABLE(platform, arm_cca_match) with { "arm-cca-dev" }: an alias, not a driver
      aliases: ['platform:arm-cca-dev'],
      init: [
        { op: 'if', when: '!realm', then: [{ op: 'return', errno: 'ENODEV' }] },
        { op: 'tsm_report_register', orLog: 'Error %d registering with TSM' },
      ],
      exit: [{ op: 'tsm_report_unregister' }],
    },
  ],
};
