/**
 * (3) Faux: the patch posted on 2025-10-08 (the module creates its own faux device), and the form
 * Greg Kroah-Hartman suggested in review (rsi.c creates arm-cca-dev as a faux device).
 */
import type { Scenario } from '../engine/scenario/schema';
import { mainlineSmccc, smcccTrngModule } from './common';
import { mainline } from './mainline';

/** "[PATCH] coco: guest: arm64: Update ARM CCA guest driver", 2025-10-08: faux_device_create() in module_init */
export const fauxPosted: Scenario = {
  ...mainline,
  id: 'faux',
  title: 'Faux, as posted: arm_cca_guest creates faux device arm-rsi-dev in module_init (Realm guest)',
  description: 'The module creates its own faux device and has no device table, so nothing loads it; loaded by hand outside a Realm, its faux probe fails, the device is torn down and init returns -ENOMEM.',
  source: '"[PATCH] coco: guest: arm64: Update ARM CCA guest driver", Aneesh Kumar K.V, linux-coco, 2025-10-08 (Aneesh: "this will break autoloading of the driver"; Jeremy Linton 2025-10-10: no faux_device_id, breaks systemd detection)',
  design: 'faux',
  revision: '2025-10-08',
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

/** the form suggested in review: the same arm-cca-dev, created with faux_device_create() in rsi.c */
export const fauxSuggestion: Scenario = {
  ...mainline,
  id: 'faux-suggestion',
  title: 'Faux, as suggested in review: faux device arm-cca-dev from rsi.c (Realm guest)',
  description: 'rsi.c creates arm-cca-dev with faux_device_create(); faux_driver binds it at once, the faux bus sends no MODALIAS, so arm_cca_guest never autoloads.',
  source: 'Greg Kroah-Hartman on linux-coco, 2025-07-30 and 2025-08-01 ("use a faux device"); Jeremy Linton, 2025-10-10 (no faux_device_id / file2alias)',
  design: 'faux',
  revision: 'review',
  extrapolated: ['no patch posted this form: it is the review suggestion applied to mainline\'s rsi.c (arm64_create_dummy_rsi_dev with faux_device_create)'],
  modules: [
    {
      name: 'rsi', location: 'builtin', initcall: 'arch', source: 'arch/arm64/kernel/rsi.c (faux_device_create instead of platform_device_register; suggestion)',
      init: [{ op: 'if', when: 'realm', then: [{ op: 'faux_device_create', name: 'arm-cca-dev', orReturn: 'ignore' }] }],
    },
    ...mainline.modules.slice(1),
  ],
};

export const FAUX_REVISIONS: Scenario[] = [fauxPosted, fauxSuggestion];
