/**
 * What firmware discovery established, as named facts that scenario actions can test with
 * `{ "op": "if", "when": "realm" }`. Computed by firmware/discovery.ts from the scenario's firmware.
 */
export interface Facts {
  kernel: string; // "6.18"
  firmware: 'dt' | 'acpi';
  psci: boolean; // a PSCI conduit was set up
  psciVersion: string | null; // as reported by the firmware, when probed
  psciFunctions: '0.1' | '0.2' | null;
  conduit: 'SMC' | 'HVC' | 'NONE'; // arm_smccc_1_1_get_conduit()
  smcccVersion: string; // arm_smccc_get_version(): "1.0" unless SMCCC_VERSION >= 1.1 was found
  smccc_1_1: boolean;
  rsi: boolean; // rsi_present: is_realm_world()
  realm: boolean; // alias of rsi
  rsi_da: boolean; // rsi_has_da_feature(): the RSI feature register reports device assignment (guest DA series)
  rsi_call: boolean; // the RSI_ABI_VERSION call answers over SMC, whatever the version (arm_smccc bus series)
  rmi: boolean; // RMI call group answered over SMC (host side)
  rmi_da: boolean; // RMI reports device-assignment (DA) support
  trng: boolean; // smccc_trng_available: smccc_probe_trng(), TRNG_VERSION >= 1.0
  trng_call: boolean; // the TRNG_VERSION call answers (anything but NOT_SUPPORTED) over a conduit (queued arm_smccc bus: smccc_probe_smccc_device)
  faux_bus: boolean; // drivers/base/faux.c exists (6.14+)
  tsm_class: boolean; // drivers/virt/coco/tsm-core.c class "tsm" (6.19+)
  auxiliary_device_create: boolean; // auxiliary_device_create() exists (6.16+)
}

export const FACT_NAMES = [
  'psci', 'smccc_1_1', 'rsi', 'realm', 'rsi_da', 'rsi_call', 'rmi', 'rmi_da', 'trng', 'trng_call', 'faux_bus', 'tsm_class',
  'auxiliary_device_create', 'dt', 'acpi', 'conduit_smc', 'conduit_hvc',
] as const;

/** evaluate "realm" / "!realm"; unknown names are rejected by validation, so they throw here */
export function evalFact(facts: Facts, expr: string): boolean {
  const neg = expr.startsWith('!');
  const name = neg ? expr.slice(1) : expr;
  let v: boolean;
  switch (name) {
    case 'dt': v = facts.firmware === 'dt'; break;
    case 'acpi': v = facts.firmware === 'acpi'; break;
    case 'conduit_smc': v = facts.conduit === 'SMC'; break;
    case 'conduit_hvc': v = facts.conduit === 'HVC'; break;
    case 'psci': case 'smccc_1_1': case 'rsi': case 'realm': case 'rsi_da': case 'rsi_call': case 'rmi': case 'rmi_da': case 'trng': case 'trng_call':
    case 'faux_bus': case 'tsm_class': case 'auxiliary_device_create':
      v = facts[name];
      break;
    default:
      throw new Error(`unknown fact "${name}"`);
  }
  return neg ? !v : v;
}

/** "6.18" >= "6.14" */
export function versionAtLeast(v: string, min: string): boolean {
  const [a1 = 0, a2 = 0] = v.split('.').map(Number);
  const [b1 = 0, b2 = 0] = min.split('.').map(Number);
  return a1 > b1 || (a1 === b1 && a2 >= b2);
}
