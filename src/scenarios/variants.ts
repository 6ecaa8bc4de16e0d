/**
 * Firmware and configuration variants of a scenario, as a pure transform of its data: what the
 * UI's toggles (Realm, DT/ACPI, PSCI version, SMC/HVC, module built-in/loadable/missing, udev)
 * change. Built-in variant ids are generated with the same function.
 */
import type { FirmwareDef, Scenario } from '../engine/scenario/schema';
import { cloneData } from '../engine/scenario/clone';

export interface Variant {
  realm?: boolean;
  firmware?: 'dt' | 'acpi';
  psci?: '1.1' | '1.0' | '0.2';
  conduit?: 'smc' | 'hvc';
  module?: 'builtin' | 'module' | 'absent';
  udev?: boolean;
}

export function psciDtNode(psci: string, conduit: 'smc' | 'hvc'): NonNullable<FirmwareDef['dt']>[number] {
  const compatible = psci.startsWith('1') ? ['arm,psci-1.0', 'arm,psci-0.2', 'arm,psci'] : ['arm,psci-0.2', 'arm,psci'];
  return { path: '/psci', compatible, method: conduit };
}

/** the firmware variant currently described by a scenario (for the UI's toggles) */
export function currentVariant(s: Scenario): Required<Variant> {
  const fw = s.firmware;
  const psciNode = fw.dt?.find((n) => n.compatible.some((c) => c.startsWith('arm,psci')));
  const conduit = fw.description === 'acpi' ? (fw.acpi?.psciUseHvc ? 'hvc' : 'smc') : psciNode?.method === 'hvc' ? 'hvc' : 'smc';
  const focus = s.focusModule ? s.modules.find((m) => m.name === s.focusModule) : undefined;
  return {
    realm: s.side === 'host' ? fw.services.rmi !== undefined : fw.services.rsi !== undefined,
    firmware: fw.description,
    psci: (['1.1', '1.0', '0.2'].includes(fw.psciVersion) ? fw.psciVersion : '1.1') as '1.1',
    conduit,
    module: focus?.location ?? 'module',
    udev: s.udev.running,
  };
}

export function applyVariant(base: Scenario, v: Variant): Scenario {
  const s: Scenario = cloneData(base);
  const fw = s.firmware;
  if (v.realm !== undefined) {
    if (s.side === 'host') {
      if (v.realm) fw.services.rmi = { version: '1.0', da: true };
      else delete fw.services.rmi;
    } else if (v.realm) fw.services.rsi = { version: '1.0' };
    else delete fw.services.rsi;
  }
  const cur = currentVariant(base);
  const psci = v.psci ?? cur.psci;
  const conduit = v.conduit ?? cur.conduit;
  const description = v.firmware ?? cur.firmware;
  fw.psciVersion = psci;
  fw.description = description;
  if (description === 'dt') {
    const others = (fw.dt ?? []).filter((n) => !n.compatible.some((c) => c.startsWith('arm,psci')));
    fw.dt = [psciDtNode(psci, conduit), ...others];
    delete fw.acpi;
  } else {
    fw.acpi = { psciCompliant: true, psciUseHvc: conduit === 'hvc' };
    fw.dt = (fw.dt ?? []).filter((n) => !n.compatible.some((c) => c.startsWith('arm,psci')));
    if (fw.dt.length === 0) delete fw.dt;
  }
  if (v.module && s.focusModule) {
    const m = s.modules.find((x) => x.name === s.focusModule);
    if (m) m.location = v.module;
  }
  if (v.udev !== undefined) s.udev.running = v.udev;
  return s;
}

/** the standard variants every design ships with, as [id suffix, title suffix, variant] */
export const STANDARD_VARIANTS: [string, string, Variant][] = [
  ['nonrealm', 'not a Realm (RSI absent)', { realm: false }],
  ['acpi', 'ACPI firmware', { firmware: 'acpi' }],
  ['psci02', 'PSCI 0.2 firmware (no SMCCC discovery)', { psci: '0.2' }],
  ['hvc', 'HVC conduit', { conduit: 'hvc' }],
  ['builtin', 'TSM module built in (=y)', { module: 'builtin' }],
  ['missing', 'TSM module missing from the initramfs', { module: 'absent' }],
  ['noudev', 'udev not running', { udev: false }],
];
