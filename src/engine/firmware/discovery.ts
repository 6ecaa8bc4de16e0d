/**
 * Arm firmware discovery at boot (setup_arch): DT or ACPI → PSCI → SMCCC version and conduit →
 * call groups (RSI, RMI, TRNG). Models drivers/firmware/psci/psci.c, drivers/firmware/smccc/smccc.c
 * and arch/arm64/kernel/rsi.c. PSCI itself creates no struct device.
 */
import type { EventKind, FirmwareNodeView } from '../api';
import type { FirmwareDef } from '../scenario/schema';
import { versionAtLeast, type Facts } from './facts';
import { since } from '../core/versions';
import { ofDeviceIsAvailable, ofIndex, type OfNode } from './devicetree';
import { ofEarlyDeclared, ofPopulateWalk } from './of_platform';

export interface FirmwareStep {
  kind: EventKind;
  text: string;
  cite: string;
  log?: string;
  errno?: number;
}

export interface Discovery {
  facts: Facts;
  steps: FirmwareStep[];
  nodes: FirmwareNodeView[];
}

/** psci_of_match[]: compatible → init function (drivers/firmware/psci/psci.c) */
const PSCI_OF_MATCH: Record<string, '0.1' | '0.2' | '1.0'> = {
  'arm,psci': '0.1',
  'arm,psci-0.2': '0.2',
  'arm,psci-1.0': '1.0',
};

const PSCI = 'drivers/firmware/psci/psci.c';
const SMCCC = 'drivers/firmware/smccc/smccc.c';

function ver(v: string): [number, number] {
  const [a = 0, b = 0] = v.split('.').map(Number);
  return [a, b];
}

/** the DT nodes of_platform_default_populate_init() turns into platform devices */
function populatedPaths(ix: ReturnType<typeof ofIndex>): Set<string> {
  if (ix.tree?.populate === false) return new Set();
  const early = ofEarlyDeclared(ix, { event: () => {} });
  const names = new Set<string>();
  const out = ofPopulateWalk(ix, early, {
    event: () => {},
    create: (_n, name, parent) => {
      if (names.has(name)) return null; // bus_add_device: one name per bus
      names.add(name);
      return `${parent ?? '/devices/platform'}/${name}`;
    },
  });
  return new Set(out.flatMap((o) => (o.kind === 'device' ? [o.path] : [])));
}

export function discoverFirmware(fw: FirmwareDef, kernelVersion: string): Discovery {
  const steps: FirmwareStep[] = [];
  const info = (text: string, cite: string, log?: string, errno?: number) =>
    steps.push({ kind: 'firmware', text, cite, ...(log ? { log } : {}), ...(errno ? { errno } : {}) });
  let conduit: 'SMC' | 'HVC' | 'NONE' = 'NONE';
  let psciOk = false;
  let psciVersion: string | null = null;
  let psciFunctions: '0.1' | '0.2' | null = null;
  let smcccVersion = '1.0';
  const nodes: FirmwareNodeView[] = [];
  let psciParent: string | null = null;

  /** psci_probe(): PSCI_VERSION, then SMCCC discovery when the reported major >= 1 */
  const psciProbe = (): boolean => {
    const [maj, min] = ver(fw.psciVersion);
    psciVersion = fw.psciVersion;
    info(`PSCI_VERSION returns ${maj}.${min}`, `${PSCI}:psci_probe`, `psci: PSCIv${maj}.${min} detected in firmware.`);
    if (maj === 0 && min < 2) {
      info('firmware reports PSCI < 0.2 on the 0.2+ path: -EINVAL', `${PSCI}:psci_probe`, 'psci: Conflicting PSCI version detected.', -22);
      return false;
    }
    psciFunctions = '0.2';
    info('standard PSCI 0.2 function IDs', `${PSCI}:psci_0_2_set_functions`, 'psci: Using standard PSCI v0.2 function IDs');
    if (maj >= 1) {
      // psci_init_smccc(): PSCI_FEATURES(SMCCC_VERSION), then SMCCC_VERSION >= 1.1 → arm_smccc_version_init()
      const [smaj, smin] = ver(fw.smcccVersion);
      if (versionAtLeast(fw.smcccVersion, '1.1')) {
        smcccVersion = fw.smcccVersion;
        info(`SMCCC_VERSION returns ${smaj}.${smin}: arm_smccc_version_init() records version and conduit`, `${SMCCC}:arm_smccc_version_init`);
      } else {
        info('SMCCC_VERSION not supported: SMCCC stays at v1.0, conduit NONE', `${PSCI}:psci_init_smccc`);
      }
      const [rmaj, rmin] = ver(smcccVersion);
      info(`SMC Calling Convention v${rmaj}.${rmin}`, `${PSCI}:psci_init_smccc`, `psci: SMC Calling Convention v${rmaj}.${rmin}`);
    } else {
      info(`PSCI ${maj}.${min} < 1.0: SMCCC discovery is skipped (psci_init_smccc runs only for major >= 1)`, `${PSCI}:psci_probe`);
    }
    return true;
  };

  if (fw.description === 'dt') {
    nodes.push({ id: 'dt:/', kind: 'dt', label: 'DT /', props: {}, parent: null, devices: [] });
    const ix = ofIndex(fw);
    // the tree form shows the nodes that become platform devices (the same walk boot runs) and
    // the PSCI node, each under its nearest shown ancestor; the flat list shows every node
    const wanted = ix.tree ? populatedPaths(ix) : null;
    const shown = new Set<string>();
    for (const n of ix.all) {
      if (n.path === '/' || !n.hasCompatible) continue;
      if (wanted && !wanted.has(n.path) && !n.compatible.some((c) => Object.hasOwn(PSCI_OF_MATCH, c))) continue;
      let up = n.parent;
      while (up && !shown.has(up.path)) up = up.parent;
      shown.add(n.path);
      nodes.push({
        id: `dt:${n.path}`, kind: 'dt', label: n.path, parent: up && up.path !== '/' ? `dt:${up.path}` : 'dt:/', devices: [],
        props: { compatible: n.compatible.join(', '), ...(n.method ? { method: n.method } : {}), status: n.status ?? 'okay' },
      });
    }
    // of_find_matching_node_and_match(): first node in DT order that matches; of_match_node()
    // prefers the earliest compatible string in the node's own list
    let found: { node: OfNode; init: '0.1' | '0.2' | '1.0' } | null = null;
    for (const n of ix.all) {
      const compat = n.compatible.find((c) => Object.hasOwn(PSCI_OF_MATCH, c));
      if (compat) {
        found = { node: n, init: PSCI_OF_MATCH[compat]! };
        break;
      }
    }
    if (!found || !ofDeviceIsAvailable(found.node)) {
      info(found ? `PSCI node ${found.node.path} is disabled: -ENODEV` : 'no arm,psci* node in the DT: -ENODEV', `${PSCI}:psci_dt_init`, undefined, -19);
    } else {
      psciParent = `dt:${found.node.path}`;
      info(`DT node ${found.node.path} matches psci_of_match (${found.init === '0.1' ? 'psci_0_1_init' : found.init === '0.2' ? 'psci_0_2_init' : 'psci_1_0_init'})`, `${PSCI}:psci_dt_init`);
      // get_set_conduit_method()
      info('probing for conduit method from DT', `${PSCI}:get_set_conduit_method`, 'psci: probing for conduit method from DT.');
      const m = found.node.method;
      if (m === undefined) {
        info('missing "method" property: -ENXIO', `${PSCI}:get_set_conduit_method`, 'psci: missing "method" property', -6);
      } else if (m !== 'smc' && m !== 'hvc') {
        info(`invalid "method" property "${m}": -EINVAL`, `${PSCI}:get_set_conduit_method`, `psci: invalid "method" property: ${m}`, -22);
      } else {
        conduit = m === 'smc' ? 'SMC' : 'HVC';
        if (found.init === '0.1') {
          psciOk = true;
          psciFunctions = '0.1';
          info('PSCI 0.1: function IDs from DT; no PSCI_VERSION call and no SMCCC discovery', `${PSCI}:psci_0_1_init`, 'psci: Using PSCI v0.1 Function IDs from DT');
        } else {
          psciOk = psciProbe();
        }
      }
    }
  } else {
    const acpi = fw.acpi ?? { psciCompliant: false, psciUseHvc: false };
    nodes.push({
      id: 'acpi:FADT', kind: 'acpi', label: 'ACPI FADT', parent: null, devices: [],
      props: { PSCI_COMPLIANT: String(acpi.psciCompliant), PSCI_USE_HVC: String(acpi.psciUseHvc) },
    });
    if (!acpi.psciCompliant) {
      info('FADT says PSCI is not implemented: -EOPNOTSUPP', `${PSCI}:psci_acpi_init`, 'psci: is not implemented in ACPI.', -95);
    } else {
      psciParent = 'acpi:FADT';
      info('probing for conduit method from ACPI', `${PSCI}:psci_acpi_init`, 'psci: probing for conduit method from ACPI.');
      conduit = acpi.psciUseHvc ? 'HVC' : 'SMC';
      psciOk = psciProbe();
    }
  }
  if (!psciOk) conduit = 'NONE';

  const smccc11 = psciOk && versionAtLeast(smcccVersion, '1.1');
  // arm_smccc_1_1_get_conduit(): NONE below SMCCC 1.1
  const smcccConduit = smccc11 ? conduit : 'NONE';
  const svc = fw.services;
  // smccc_probe_trng(): TRNG_VERSION answers, and with at least v1.0 (ARM_SMCCC_TRNG_MIN_VERSION)
  const trngCall = smccc11 && smcccConduit !== 'NONE' && svc.trng !== undefined;
  const trng = trngCall && versionAtLeast(svc.trng!.version, '1.0');
  if (smccc11) info(trng ? `TRNG_VERSION answers ${svc.trng!.version}: smccc_trng_available` : trngCall ? `TRNG_VERSION answers ${svc.trng!.version}, below 1.0: smccc_trng_available stays false` : 'TRNG call group absent', 'arch/arm64/include/asm/archrandom.h:smccc_probe_trng');

  // arm64_rsi_init() (arch/arm64/kernel/rsi.c; drivers/firmware/arm_rmm/rsi.c from 7.4): conduit must
  // be SMC, then rsi_version_matches(): the RMM's range must include the kernel's RSI ABI 1.0
  const RSI = since(kernelVersion, 'rsiInDriversFirmware') ? 'drivers/firmware/arm_rmm/rsi.c' : 'arch/arm64/kernel/rsi.c';
  const hasRsiCode = versionAtLeast(kernelVersion, '6.13');
  let rsi = false;
  if (!hasRsiCode) {
    if (svc.rsi) info(`Linux ${kernelVersion} has no RSI support (arch/arm64/kernel/rsi.c arrived in 6.13)`, 'arch/arm64/kernel/rsi.c');
  } else if (smcccConduit !== 'SMC') {
    info(`RSI not probed: arm_smccc_1_1_get_conduit() is ${smcccConduit}, not SMC`, `${RSI}:arm64_rsi_init`);
  } else if (!svc.rsi) {
    info('RSI_VERSION not supported: not a Realm', `${RSI}:rsi_version_matches`);
  } else if (ver(svc.rsi.version)[0] !== 1) {
    const [a, b] = ver(svc.rsi.version);
    // pr_err(... RSI_ABI_VERSION_MAJOR, RSI_ABI_VERSION_MINOR, lower, higher): the RMM offers only its own version
    info(`RMM's RSI version ${svc.rsi.version} does not include the kernel's 1.0: not a Realm`, `${RSI}:rsi_version_matches`, `RME: RMM doesn't support RSI version 1.0. Supported range: ${a}.${b}-${a}.${b}`);
  } else {
    rsi = true;
    // RSI_VERSION(1.0): "lower" is the revision the RMM will use for the kernel's request, 1.0
    info(`RSI_VERSION(1.0) succeeds (the RMM implements ${svc.rsi.version})`, `${RSI}:rsi_version_matches`, 'RME: Using RSI version 1.0');
    info(`RSI ${svc.rsi.version} present: running in a Realm (rsi_present enabled)`, `${RSI}:arm64_rsi_init`);
  }
  const rmi = smcccConduit === 'SMC' && svc.rmi !== undefined;
  if (svc.rmi) info(rmi ? `RMI ${svc.rmi.version} answers over SMC${svc.rmi.da ? ' and reports DA support' : ''}` : 'RMI not reachable: conduit is not SMC', 'arch/arm64/kvm/rme.c (host RFC):kvm_init_rme');

  if (psciParent) {
    nodes.push({ id: 'psci', kind: 'psci', label: 'PSCI', parent: psciParent, devices: [], props: { version: psciVersion ?? '0.1 (DT IDs)', conduit } });
    nodes.push({ id: 'smccc', kind: 'smccc', label: 'SMCCC', parent: 'psci', devices: [], props: { version: smcccVersion, conduit: smcccConduit } });
    const services: [string, string, boolean, string | undefined][] = [
      ['smccc:RSI', 'RSI (Realm guest)', rsi, svc.rsi?.version],
      ['smccc:RMI', 'RMI (KVM host)', rmi, svc.rmi?.version],
      ['smccc:TRNG', 'TRNG', trng, svc.trng?.version],
    ];
    for (const [id, label, present, v] of services) {
      if (v === undefined) continue;
      nodes.push({ id, kind: 'smccc', label, parent: 'smccc', devices: [], props: { present: String(present), version: v } });
    }
  }

  const facts: Facts = {
    kernel: kernelVersion,
    firmware: fw.description,
    psci: psciOk,
    psciVersion,
    psciFunctions,
    conduit: smcccConduit,
    smcccVersion,
    smccc_1_1: smccc11,
    rsi,
    realm: rsi,
    rsi_da: rsi && svc.rsi?.da === true,
    rsi_call: smcccConduit === 'SMC' && svc.rsi !== undefined,
    rmi,
    rmi_da: rmi && svc.rmi?.da === true,
    trng,
    trng_call: trngCall,
    faux_bus: versionAtLeast(kernelVersion, '6.14'),
    tsm_class: versionAtLeast(kernelVersion, '6.19'),
    auxiliary_device_create: versionAtLeast(kernelVersion, '6.16'),
  };
  return { facts, steps, nodes };
}

/** the firmware node a fact stands for, so devices created under `if <fact>` link to it in the graph */
export function factNode(fact: string): string | null {
  const f = fact.replace(/^!/, '');
  if (fact.startsWith('!')) return null;
  if (f === 'rsi' || f === 'realm' || f === 'rsi_call' || f === 'rsi_da') return 'smccc:RSI';
  if (f === 'rmi' || f === 'rmi_da') return 'smccc:RMI';
  if (f === 'trng' || f === 'trng_call') return 'smccc:TRNG';
  if (f === 'smccc_1_1') return 'smccc';
  if (f === 'psci') return 'psci';
  return null;
}
