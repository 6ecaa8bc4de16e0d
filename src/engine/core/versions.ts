/**
 * What changed between the kernel versions bindscope offers (6.1 for the real-kernel traces, 6.18,
 * 7.0, 7.4): each gate names the first release with the new behaviour, what changed, and where
 * that was checked (docs/research/version-gates.md). The engine asks `since(k, gate)`; a
 * citation can say which side of a gate a behaviour comes from with `gateNote`.
 */
import { versionAtLeast } from '../firmware/facts';

/**
 * Each gate: the first release with the new behaviour. What changed and where that was checked
 * are comments, not strings: nothing reads them at run time, and the worker's chunk has a size
 * budget.
 */
export const GATES = {
  /** lib/kobject.c gains pr_fmt "kobject: " (its errors were unprefixed) (checked: 984063339e9e, driver-core-6.4-rc1) */
  kobjectPrefix: '6.4',
  /** call_driver_probe() logs dev_err "probe with driver %s failed with error %d" (was pr_warn "%s: probe of %s failed with error %d") (checked: 32de4b4f9dfa / 448af2d28899, driver-core-6.9-rc1) */
  probeErrDevErr: '6.9',
  /** drivers/base/faux.c: the faux bus (checked: faux.c in 6.14+ trees) */
  fauxBus: '6.14',
  /** faux_device_create_with_groups() tears the device down and returns NULL when its probe did not bind it (before: the device stayed, unbound, and was returned) (checked: 21b0dc55bed6, 6.15-rc1 (AUTOSEL-backported to 6.14.y)) */
  fauxProbeTeardown: '6.15',
  /** faux_driver sets .suppress_bind_attrs = true: no bind/unbind files under /sys/bus/faux/drivers/faux_driver (checked: c393befa14ab, 6.16-rc2) */
  fauxSuppressBindAttrs: '6.16',
  /** the teardown of a faux device whose probe failed logs at dev_dbg (was dev_err "probe did not succeed, tearing down the device") (checked: ff53a6e24728, 6.16-rc2) */
  fauxQuietProbeFailure: '6.16',
  /** auxiliary_device_create() and __devm_auxiliary_device_create() (checked: eaa0d30216c1 (version inferred)) */
  auxiliaryDeviceCreate: '6.16',
  /** modules.builtin.modinfo gains the aliases modpost makes from built-in drivers' MODULE_DEVICE_TABLE (before: MODULE_ALIAS only) (checked: "Add generated modalias to modules.builtin.modinfo", Alexey Gladkov, merged c7d3dd9163e6 for kbuild 6.18) */
  builtinDeviceTableAliases: '6.18',
  /** faux_device_create_with_groups() calls device_set_pm_not_required(): no power/ directory (checked: 1ad926459970 (6.18-rc1; backported to 6.16.y)) */
  fauxPmNotRequired: '6.18',
  /** drivers/virt/coco/tsm-core.c: class "tsm", tsm_register(parent, pci_ops), KOBJ_CHANGE after pci_tsm_register() (checked: tsm-for-6.19 pull, merged 2025-12-06) */
  tsmClass: '6.19',
  /** driver_override becomes driver-core code (bus_type.driver_override, device_match_driver_override); platform keeps the same sysfs behaviour (checked: cb3d1049f4ea + 2b38efc05bf7) */
  genericDriverOverride: '7.0',
  /** RSI support moves from arch/arm64/kernel/rsi.c to drivers/firmware/arm_rmm/rsi.c (checked: 4cd84902 (arm64 for-next/smccc-bus)) */
  rsiInDriversFirmware: '7.4',
} satisfies Record<string, string>;

export type GateName = keyof typeof GATES;

export function since(kernel: string, gate: GateName): boolean {
  return versionAtLeast(kernel, GATES[gate]);
}

/** " [6.9+: ...]" or " [before 6.9: ...]": appended to a citation that a gate decided */
export function gateNote(kernel: string, gate: GateName): string {
  const first = GATES[gate];
  return since(kernel, gate) ? ` [Linux ${first}+]` : ` [before Linux ${first}]`;
}
