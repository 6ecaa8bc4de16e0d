/**
 * The scenario format: plain JSON data, validated with zod. A scenario never contains code:
 * module and driver behaviour is a list of kernel-API-like actions (see docs/scenario-format.md).
 *
 * Written with zod/mini, whose schemas tree-shake (zod's classic API was ~40% of the engine
 * worker's chunk); zodMini.ts configures it as classic zod configures itself (the English
 * messages, the memoizer), so every problem keeps its path and its message.
 */
import { z } from './zodMini';
import { walkthroughSchema } from './walkthroughSchema';

const name = z.string().check(z.minLength(1, 'must be a non-empty string'));
/** an errno as a number (-19) or a name ("ENODEV" / "-ENODEV") */
/** an errno as a number (-19) or a name ("ENODEV" / "-ENODEV"); MAX_ERRNO is 4095 (include/linux/err.h) */
const errno = z.union([z.number().check(z.int(), z.gte(-4095), z.lte(4095)), z.string().check(z.regex(/^-?E[A-Z_0-9]{1,30}$/, 'must be an errno name such as "ENODEV"'))]);
/** IDA ids and platform ids are ints: ida_alloc_range() takes at most INT_MAX */
const INT_MAX = 2_147_483_647;
/** a fact expression: "realm", "!realm", "rmi_da" — see firmware/facts.ts */
const when = z.string().check(z.regex(/^!?[a-z_0-9.]+$/, 'must be a fact name, optionally prefixed by "!"'));
/** a device reference: "$dev" (the device being probed), "$parent", or a device's sysfs name */
const devRef = name;
/** what the calling code does when the call fails: return this errno (default: the call's own error), or "ignore" */
const orReturn = z.optional(z.union([errno, z.literal('ignore')]));
/** what the calling code prints when the call fails: pr_err(orLog) with %d/%ld (the errno) and %pe ("-ENODEV") */
const orLog = z.optional(z.string().check(z.maxLength(300)));
/** in a probe: dev_err_probe(dev, err, orDevErrProbe), which prints "<drv> <dev>: error -EBUSY: <message>" */
const orDevErrProbe = z.optional(z.string().check(z.maxLength(300)));
type OrReturn = { orReturn?: number | string; orLog?: string; orDevErrProbe?: string };

export type KernelAction =
  | { op: 'platform_device_register_simple'; name: string; id?: number | 'NONE' | 'AUTO'; parent?: string; ofNode?: string; acpiHid?: string } & OrReturn
  | { op: 'platform_device_unregister'; device: string }
  | { op: 'platform_driver_register'; driver: string } & OrReturn
  | { op: 'platform_driver_unregister'; driver: string }
  | { op: 'platform_driver_probe'; driver: string } & OrReturn
  | { op: 'faux_device_create'; name: string; parent?: string; probe?: KernelAction[]; remove?: KernelAction[] } & OrReturn
  | { op: 'faux_device_destroy'; device: string }
  | { op: 'auxiliary_device_create'; modname: string; name: string; id?: number; parent?: string; devm?: boolean } & OrReturn
  | { op: 'auxiliary_device_add'; modname?: string; name: string; id?: number; parent?: string; devm?: boolean } & OrReturn
  | { op: 'auxiliary_device_destroy'; device: string }
  | { op: 'auxiliary_driver_register'; driver: string } & OrReturn
  | { op: 'auxiliary_driver_unregister'; driver: string }
  | { op: 'driver_register'; driver: string } & OrReturn
  | { op: 'driver_unregister'; driver: string }
  | { op: 'bus_register'; bus: string } & OrReturn
  | { op: 'device_register'; bus?: string; name: string; ids?: Record<string, number | string>; modalias?: string; parent?: string; devm?: boolean } & OrReturn
  | { op: 'device_unregister'; device: string }
  | { op: 'tsm_report_register'; provider?: string } & OrReturn
  | { op: 'tsm_report_unregister'; provider?: string }
  | { op: 'tsm_register'; parent?: string; pciOps?: boolean } & OrReturn
  | { op: 'tsm_unregister'; parent?: string }
  | { op: 'return'; errno: number | string }
  | { op: 'defer_until'; device: string }
  | { op: 'if'; when?: string; device?: string; call?: number; then?: KernelAction[]; else?: KernelAction[] }
  | { op: 'device_attach'; device: string } & OrReturn
  | { op: 'device_driver_attach'; driver: string; device: string } & OrReturn
  | { op: 'msleep'; ms: number }
  | { op: 'dev_err_probe'; errno: number | string; message: string }
  | { op: 'log'; message: string }
  | { op: 'devm_add_action'; actions: KernelAction[] }
  | { op: 'firmware_file_create'; path: string; value: string }
  | { op: 'firmware_file_remove'; path: string };

/** a 32-bit id (an SMCCC function ID, a PCI vendor): a number, or a hex string such as "0xC4000190" */
export const idValue = z.union([
  z.number().check(z.int(), z.gte(0), z.lte(0xffffffff, 'must fit in 32 bits')),
  z.string().check(z.regex(/^0x[0-9a-fA-F]{1,8}$/, 'must be a number or a hex string such as "0xC4000190"')),
]);
/** the numeric identity of a device on a bus that matches by id (struct arm_smccc_device_id, struct pci_device_id) */
const idFields = z.record(z.string().check(z.regex(/^[a-z_][a-z0-9_]*$/, 'id field names are [a-z0-9_]')), idValue);

const actionList: z.ZodMiniType<KernelAction[]> = z.lazy(() => z.array(kernelAction));

export const kernelAction: z.ZodMiniType<KernelAction> = z.lazy(() =>
  z.discriminatedUnion('op', [
    z.strictObject({
      op: z.literal('platform_device_register_simple'),
      name,
      id: z.optional(z.union([z.number().check(z.int(), z.gte(-2), z.lte(INT_MAX)), z.literal('NONE'), z.literal('AUTO')])),
      parent: z.optional(devRef),
      ofNode: z.optional(z.string()),
      acpiHid: z.optional(z.string()),
     orReturn, orLog, orDevErrProbe }),
    z.strictObject({ op: z.literal('platform_device_unregister'), device: devRef }),
    z.strictObject({ op: z.literal('platform_driver_register'), driver: name , orReturn, orLog, orDevErrProbe }),
    z.strictObject({ op: z.literal('platform_driver_unregister'), driver: name }),
    z.strictObject({ op: z.literal('platform_driver_probe'), driver: name , orReturn, orLog, orDevErrProbe }),
    z.strictObject({ op: z.literal('faux_device_create'), name, parent: z.optional(devRef), probe: z.optional(actionList), remove: z.optional(actionList) , orReturn, orLog, orDevErrProbe }),
    z.strictObject({ op: z.literal('faux_device_destroy'), device: devRef }),
    z.strictObject({ op: z.literal('auxiliary_device_create'), modname: name, name, id: z.optional(z.number().check(z.int(), z.gte(0), z.lte(INT_MAX))), parent: z.optional(devRef), devm: z.optional(z.boolean()) , orReturn, orLog, orDevErrProbe }),
    /** auxiliary_device_init() + auxiliary_device_add() by hand (any kernel); modname defaults to KBUILD_MODNAME */
    z.strictObject({ op: z.literal('auxiliary_device_add'), modname: z.optional(name), name, id: z.optional(z.number().check(z.int(), z.gte(0), z.lte(INT_MAX))), parent: z.optional(devRef), devm: z.optional(z.boolean()) , orReturn, orLog, orDevErrProbe }),
    z.strictObject({ op: z.literal('auxiliary_device_destroy'), device: devRef }),
    z.strictObject({ op: z.literal('auxiliary_driver_register'), driver: name , orReturn, orLog, orDevErrProbe }),
    z.strictObject({ op: z.literal('auxiliary_driver_unregister'), driver: name }),
    z.strictObject({ op: z.literal('driver_register'), driver: name , orReturn, orLog, orDevErrProbe }),
    z.strictObject({ op: z.literal('driver_unregister'), driver: name }),
    z.strictObject({ op: z.literal('bus_register'), bus: name , orReturn, orLog, orDevErrProbe }),
    /** without `bus`: a bare struct device (no bus, no class: no uevent), as root_device_register() or a PCI host bridge;
     *  `modalias`: the device's MODALIAS verbatim, on a bus with `match: "modalias"` */
    z.strictObject({ op: z.literal('device_register'), bus: z.optional(name), name, ids: z.optional(idFields), modalias: z.optional(z.string().check(z.maxLength(2000))), parent: z.optional(devRef), devm: z.optional(z.boolean()) , orReturn, orLog, orDevErrProbe }),
    z.strictObject({ op: z.literal('device_unregister'), device: devRef }),
    z.strictObject({ op: z.literal('tsm_report_register'), provider: z.optional(name) , orReturn, orLog, orDevErrProbe }),
    z.strictObject({ op: z.literal('tsm_report_unregister'), provider: z.optional(name) }),
    z.strictObject({ op: z.literal('tsm_register'), parent: z.optional(devRef), pciOps: z.optional(z.boolean()), orReturn, orLog, orDevErrProbe }),
    z.strictObject({ op: z.literal('tsm_unregister'), parent: z.optional(devRef) }),
    z.strictObject({ op: z.literal('return'), errno }),
    z.strictObject({ op: z.literal('defer_until'), device: devRef }),
    /** every condition given must hold: a fact, the probed device's name, the Nth call of this callback for this device */
    z.strictObject({ op: z.literal('if'), when: z.optional(when), device: z.optional(name), call: z.optional(z.number().check(z.int(), z.gte(1), z.lte(1_000_000))), then: z.optional(actionList), else: z.optional(actionList) })
      .check(z.refine((a) => a.when !== undefined || a.device !== undefined || a.call !== undefined, { message: '"if" needs "when", "device" or "call"' })),
    z.strictObject({ op: z.literal('device_attach'), device: devRef, orReturn, orLog, orDevErrProbe }),
    z.strictObject({ op: z.literal('device_driver_attach'), driver: name, device: devRef, orReturn, orLog, orDevErrProbe }),
    /** msleep() in module code: the deferred-probe work and udev run meanwhile */
    z.strictObject({ op: z.literal('msleep'), ms: z.number().check(z.int(), z.gte(0), z.lte(600_000)) }),
    /** return dev_err_probe(dev, err, message): logs (or, for -EPROBE_DEFER, records the reason) and returns err */
    z.strictObject({ op: z.literal('dev_err_probe'), errno, message: z.string().check(z.maxLength(300)) }),
    z.strictObject({ op: z.literal('log'), message: z.string() }),
    z.strictObject({ op: z.literal('devm_add_action'), actions: actionList }),
    z.strictObject({ op: z.literal('firmware_file_create'), path: z.string().check(z.regex(/^[a-z0-9_-]+(\/[a-z0-9_-]+)+$/, 'a path under /sys/firmware such as "cca/realm_guest"')), value: z.string() }),
    z.strictObject({ op: z.literal('firmware_file_remove'), path: z.string() }),
  ]),
);

export const driverDef = z.strictObject({
  /** the name in struct device_driver; for auxiliary drivers the optional .name (final name is modname[.name]) */
  name: z.optional(z.string()),
  bus: name,
  /** id_table entries (platform_device_id / auxiliary_device_id / a custom bus's table) */
  idTable: z.optional(z.array(name)),
  /** id_table entries of a bus that matches numeric ids (`match: "ids"`): e.g. [{ "func_id": "0xC4000190" }];
   *  a field left out (or equal to the bus's anyId) matches any value, as PCI_ANY_ID does */
  ids: z.optional(z.array(idFields)),
  /** of_match_table compatibles */
  ofMatch: z.optional(z.array(name)),
  /** acpi_match_table HIDs */
  acpiMatch: z.optional(z.array(name)),
  probe: z.optional(actionList),
  remove: z.optional(actionList),
  suppressBindAttrs: z.optional(z.boolean()),
  /** MODULE_DEVICE_TABLE for this driver's tables (default true): feeds modules.alias */
  deviceTable: z.optional(z.boolean()),
});

export const moduleDef = z.strictObject({
  name: name.check(z.regex(/^[A-Za-z0-9_-]+$/, 'module names are [A-Za-z0-9_-]')),
  /** builtin (=y), module (=m, on disk), absent (=m but missing from the initramfs/rootfs, or =n) */
  location: z.enum(['builtin', 'module', 'absent']),
  /** for built-in code: the initcall level it runs at */
  initcall: z.optional(z.enum(['core', 'arch', 'subsys', 'fs', 'device', 'late'])),
  /** the kernel source file this stands for */
  source: z.optional(z.string()),
  /** MODULE_ALIAS() strings and device tables that are not a driver's (e.g. arm_cca_guest's platform table) */
  aliases: z.optional(z.array(name)),
  drivers: z.optional(z.record(z.string(), driverDef)),
  init: z.optional(actionList),
  /** module_exit; when absent, the engine undoes init's registrations in reverse (module_driver() style);
   *  null: the module has no module_exit, so delete_module refuses to unload it (-EBUSY) */
  exit: z.optional(z.nullable(actionList)),
});

export const busDef = z.strictObject({
  /** [a-z0-9_-]: real buses have dashes too (serial-base) */
  name: name.check(z.regex(/^[a-z0-9_-]+$/, 'bus names are [a-z0-9_-]')),
  /** how a device matches a driver; "ids": the device's numeric ids against the driver's `ids` table;
   *  "modalias": the device's literal MODALIAS (device_register `modalias`) against the driver's idTable read as
   *  modules.alias patterns (fnmatch): a real machine's id tables as file2alias wrote them (src/import/machine) */
  match: z.enum(['id_table', 'name', 'id_table_or_name', 'always', 'ids', 'modalias']),
  /** MODALIAS prefix, e.g. "arm_smccc:"; null = the bus has no uevent callback (no MODALIAS) */
  modaliasPrefix: z.nullable(z.string()),
  /** for `match: "ids"`: the id fields every device has, in struct order (e.g. ["func_id"], or PCI's vendor, device, ...) */
  idFields: z.optional(z.array(z.string().check(z.regex(/^[a-z_][a-z0-9_]*$/, 'id field names are [a-z0-9_]'))).check(z.minLength(1))),
  /** the "match any" value of an id field (PCI_ANY_ID = 0xffffffff); a field absent from an entry also matches any */
  anyId: z.optional(idValue),
  /** MODALIAS (and the `modalias` attribute, and file2alias's aliases) from a format: "{name}" or "{field:08X}"
   *  (printf-style width and x/X/d), e.g. "arm_smccc:f{func_id:08X}"; a field an id-table entry leaves open becomes "*" */
  modaliasFormat: z.optional(z.string().check(z.regex(/^[^{}]*(\{[a-z_][a-z0-9_]*(:0?\d*[xXd])?\}[^{}]*)*$/, 'a format such as "arm_smccc:f{func_id:08X}"'))),
  /** file2alias appends "*" to every alias (as it does for pci: and most buses) */
  aliasWildcard: z.optional(z.boolean()),
  /** the bus's driver-register helper refuses a driver without these (-EINVAL), e.g. arm_smccc_driver_register() */
  requireDriverFields: z.optional(z.array(z.enum(['probe', 'idTable']))),
  /** a `modalias` sysfs attribute on devices */
  modaliasAttr: z.optional(z.boolean()),
  /** device naming: "{name}" or "{name}-{n}" (n from an IDA starting at idaStart) */
  deviceName: z.optional(z.string()),
  idaStart: z.optional(z.number().check(z.int(), z.gte(0), z.lte(INT_MAX))),
  /** a root device /sys/devices/<rootDevice> registered with the bus, used as parent when none is given */
  rootDevice: z.optional(z.string()),
  /** the bus's driver_register helper sets driver.mod_name (as auxiliary does): built-in drivers get /sys/module links */
  setsModName: z.optional(z.boolean()),
  source: z.optional(z.string()),
});

export const userAction = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('write'), path: z.string().check(z.startsWith('/sys/')), value: z.string(), at: z.optional(z.number().check(z.int(), z.gte(0), z.lte(100_000_000))) }),
  z.strictObject({ op: z.literal('read'), path: z.string().check(z.startsWith('/sys/')), at: z.optional(z.number().check(z.int(), z.gte(0), z.lte(100_000_000))) }),
  z.strictObject({ op: z.literal('bind'), device: name, driver: name, bus: z.optional(name), at: z.optional(z.number().check(z.int(), z.gte(0), z.lte(100_000_000))) }),
  z.strictObject({ op: z.literal('unbind'), device: name, bus: z.optional(name), at: z.optional(z.number().check(z.int(), z.gte(0), z.lte(100_000_000))) }),
  z.strictObject({ op: z.literal('driver_override'), device: name, value: z.string(), at: z.optional(z.number().check(z.int(), z.gte(0), z.lte(100_000_000))) }),
  z.strictObject({ op: z.literal('modprobe'), module: name, at: z.optional(z.number().check(z.int(), z.gte(0), z.lte(100_000_000))) }),
  z.strictObject({ op: z.literal('rmmod'), module: name, at: z.optional(z.number().check(z.int(), z.gte(0), z.lte(100_000_000))) }),
  z.strictObject({ op: z.literal('udev_start'), at: z.optional(z.number().check(z.int(), z.gte(0), z.lte(100_000_000))) }),
  z.strictObject({ op: z.literal('udev_stop'), at: z.optional(z.number().check(z.int(), z.gte(0), z.lte(100_000_000))) }),
  /** kernel-side hot-unplug of a device (device_unregister / faux_device_destroy) */
  z.strictObject({ op: z.literal('remove_device'), device: name, at: z.optional(z.number().check(z.int(), z.gte(0), z.lte(100_000_000))) }),
]);

const dtNode = z.strictObject({
  path: z.string().check(z.startsWith('/')),
  compatible: z.array(name).check(z.minLength(1)),
  status: z.optional(z.enum(['okay', 'disabled'])),
  method: z.optional(z.string()),
  deviceType: z.optional(z.string()),
});

const version = z.string().check(z.regex(/^\d{1,3}\.\d{1,3}$/, 'must be "MAJOR.MINOR"'));

const u32 = z.number().check(z.int(), z.gte(0), z.lte(0xffffffff));

/** a device tree node in the tree form (firmware.devicetree): what of_platform_populate and the OF
 *  uevent read. `reg`/`ranges` are 32-bit cells; `ranges: "empty"` is `ranges;` (1:1 translation). */
export const dtTreeNode = z.strictObject({
  /** node name with unit address, e.g. "serial@90000"; the root is "/" */
  name: z.string().check(z.minLength(1), z.maxLength(256), z.regex(/^(\/|[^/]+)$/, 'a node name such as "serial@90000" (no "/"), or "/" for the root')),
  /** absent: no compatible property (of_platform_populate skips the node) */
  compatible: z.optional(z.array(z.string().check(z.maxLength(256)))),
  /** absent: available; "okay"/"ok" available; anything else is not (of_device_is_available) */
  status: z.optional(z.string().check(z.maxLength(64))),
  deviceType: z.optional(z.string().check(z.maxLength(64))),
  method: z.optional(z.string().check(z.maxLength(64))),
  reg: z.optional(z.array(u32).check(z.maxLength(4096))),
  addressCells: z.optional(z.number().check(z.int(), z.gte(0), z.lte(4))),
  sizeCells: z.optional(z.number().check(z.int(), z.gte(0), z.lte(4))),
  ranges: z.optional(z.union([z.literal('empty'), z.array(u32).check(z.maxLength(4096))])),
  /** the "mask" property (of_device_make_bus_id adds ffs(mask)-1 to the name) */
  mask: z.optional(u32),
  /** the "interrupt-controller" property (of_irq_init only initialises nodes that have it) */
  interruptController: z.optional(z.boolean()),
  get children() {
    return z.optional(z.array(dtTreeNode).check(z.maxLength(100_000)));
  },
});
export type DtTreeNode = z.infer<typeof dtTreeNode>;

export const devicetreeDef = z.strictObject({
  /** the root node, name "/" */
  root: dtTreeNode,
  /** /aliases: alias name → node path (OF_ALIAS_n) */
  aliases: z.optional(z.record(z.string().check(z.maxLength(256)), z.string().check(z.startsWith('/')))),
  /** compatibles that built-in early init code claims before of_platform_default_populate_init
   *  (IRQCHIP_DECLARE → of_irq_init, CLK_OF_DECLARE → of_clk_init): their nodes are OF_POPULATED */
  ofDeclare: z.optional(z.array(z.strictObject({ compatible: z.string(), kind: z.enum(['irqchip', 'clk']), source: z.optional(z.string()) })).check(z.maxLength(1000))),
  /** of_platform_default_populate_init() runs (default true) */
  populate: z.optional(z.boolean()),
  /** where the tree came from (the .dts file) */
  source: z.optional(z.string().check(z.maxLength(1000))),
});
export type DevicetreeDef = z.infer<typeof devicetreeDef>;

export const firmwareDef = z.strictObject({
  description: z.enum(['dt', 'acpi']),
  dt: z.optional(z.array(dtNode)),
  /** the tree form (an imported .dts): discovery reads it in DT order and, at arch_initcall_sync,
   *  of_platform_default_populate_init() creates platform devices from it */
  devicetree: z.optional(devicetreeDef),
  acpi: z.optional(z.strictObject({ psciCompliant: z.boolean(), psciUseHvc: z.boolean() })),
  /** the PSCI version the firmware reports (PSCI_VERSION) */
  psciVersion: version,
  /** the SMCCC version the firmware reports (SMCCC_VERSION); "1.0" = the call is not supported */
  smcccVersion: version,
  /** SMCCC call groups the firmware implements */
  services: z.strictObject({
    /** da: the RSI feature register reports device assignment (rsi_has_da_feature) */
    rsi: z.optional(z.strictObject({ version, da: z.optional(z.boolean()) })),
    rmi: z.optional(z.strictObject({ version, da: z.optional(z.boolean()) })),
    trng: z.optional(z.strictObject({ version })),
  }),
});

export const scenarioSchema = z.strictObject({
  id: name.check(z.regex(/^[a-z0-9][a-z0-9-]*$/, 'ids are lower-case words joined by "-"')),
  title: z.string(),
  description: z.optional(z.string()),
  source: z.optional(z.string()),
  design: z.optional(z.string()),
  /** which posting of the design this is ("v5", "queued", "rfc-v1"); the UI lists a design's revisions */
  revision: z.optional(z.string().check(z.maxLength(40))),
  /** behaviour this scenario shows that is not in the posted code it cites (labelled in the UI) */
  extrapolated: z.optional(z.array(z.string().check(z.maxLength(400))).check(z.maxLength(20))),
  side: z.optional(z.enum(['guest', 'host'])),
  /** the module the UI's built-in / loadable / missing toggle changes (the TSM module) */
  focusModule: z.optional(z.string()),
  kernel: z.strictObject({ version: version }),
  firmware: firmwareDef,
  udev: z.strictObject({ running: z.boolean() }),
  buses: z.optional(z.array(busDef)),
  modules: z.array(moduleDef),
  actions: z.optional(z.array(userAction)),
  /** the scenario told stop by stop (walkthrough.ts): presentation mode plays it */
  walkthrough: z.optional(walkthroughSchema),
});

export type Scenario = z.infer<typeof scenarioSchema>;
export type ModuleDef = z.infer<typeof moduleDef>;
export type DriverDef = z.infer<typeof driverDef>;
export type BusDef = z.infer<typeof busDef>;
export type UserAction = z.infer<typeof userAction>;
export type FirmwareDef = z.infer<typeof firmwareDef>;
