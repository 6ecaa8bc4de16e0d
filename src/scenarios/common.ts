/** Pieces the built-in designs share: firmware descriptions and the unchanged kernel code. */
import type { FirmwareDef, ModuleDef } from '../engine/scenario/schema';
import { psciDtNode } from './variants';

/** DT firmware with PSCI 1.1 over SMC and SMCCC 1.2, offering the given call groups */
function smcccFirmware(services: FirmwareDef['services']): FirmwareDef {
  return { description: 'dt', dt: [psciDtNode('1.1', 'smc')], psciVersion: '1.1', smcccVersion: '1.2', services };
}

/** a Realm guest: RSI 1.0 and TRNG */
export const guestFirmware = (): FirmwareDef => smcccFirmware({ rsi: { version: '1.0' }, trng: { version: '1.0' } });

/** a KVM host on an RME-capable machine: RMI 1.0 with device assignment (DA), and TRNG */
export const hostFirmware = (): FirmwareDef => smcccFirmware({ rmi: { version: '1.0', da: true }, trng: { version: '1.0' } });

/** drivers/char/hw_random/arm_smccc_trng.c (module arm_smccc_trng): platform driver "smccc_trng" matched by name, MODULE_ALIAS("platform:smccc_trng") */
export function smcccTrngModule(): ModuleDef {
  return {
    name: 'arm_smccc_trng',
    location: 'module',
    source: 'drivers/char/hw_random/arm_smccc_trng.c',
    aliases: ['platform:smccc_trng'],
    drivers: { smccc_trng: { name: 'smccc_trng', bus: 'platform', probe: [] } },
    init: [{ op: 'platform_driver_register', driver: 'smccc_trng' }],
  };
}

/** drivers/firmware/smccc/smccc.c as in mainline: smccc_devices_init registers smccc_trng */
export function mainlineSmccc(): ModuleDef {
  return {
    name: 'smccc',
    location: 'builtin',
    initcall: 'device',
    source: 'drivers/firmware/smccc/smccc.c:smccc_devices_init',
    init: [{ op: 'if', when: 'trng', then: [{ op: 'platform_device_register_simple', name: 'smccc_trng', id: 'NONE', orReturn: 'ignore' }] }],
  };
}
