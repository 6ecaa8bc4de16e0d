/**
 * The scenario format: plain JSON data, validated with zod. A scenario never contains code:
 * module and driver behaviour is a list of kernel-API-like actions (see docs/scenario-format.md).
 */
import { z } from 'zod';
import { walkthroughSchema } from './walkthroughSchema';

const name = z.string().min(1, 'must be a non-empty string');
/** an errno as a number (-19) or a name ("ENODEV" / "-ENODEV") */
/** an errno as a number (-19) or a name ("ENODEV" / "-ENODEV"); MAX_ERRNO is 4095 (include/linux/err.h) */
const errno = z.union([z.number().int().min(-4095).max(4095), z.string().regex(/^-?E[A-Z_0-9]{1,30}$/, 'must be an errno name such as "ENODEV"')]);
/** IDA ids and platform ids are ints: ida_alloc_range() takes at most INT_MAX */
const INT_MAX = 2_147_483_647;
/** a fact expression: "realm", "!realm", "rmi_da" — see firmware/facts.ts */
const when = z.string().regex(/^!?[a-z_0-9.]+$/, 'must be a fact name, optionally prefixed by "!"');
/** a device reference: "$dev" (the device being probed), "$parent", or a device's sysfs name */
const devRef = name;
/** what the calling code does when the call fails: return this errno (default: the call's own error), or "ignore" */
const orReturn = z.union([errno, z.literal('ignore')]).optional();
/** what the calling code prints when the call fails: pr_err(orLog) with %d/%ld (the errno) and %pe ("-ENODEV") */
const orLog = z.string().max(300).optional();
/** in a probe: dev_err_probe(dev, err, orDevErrProbe), which prints "<drv> <dev>: error -EBUSY: <message>" */
const orDevErrProbe = z.string().max(300).optional();
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
  z.number().int().min(0).max(0xffffffff, 'must fit in 32 bits'),
  z.string().regex(/^0x[0-9a-fA-F]{1,8}$/, 'must be a number or a hex string such as "0xC4000190"'),
]);
/** the numeric identity of a device on a bus that matches by id (struct arm_smccc_device_id, struct pci_device_id) */
const idFields = z.record(z.string().regex(/^[a-z_][a-z0-9_]*$/, 'id field names are [a-z0-9_]'), idValue);

const actionList: z.ZodType<KernelAction[]> = z.lazy(() => z.array(kernelAction));

export const kernelAction: z.ZodType<KernelAction> = z.lazy(() =>
  z.discriminatedUnion('op', [
    z.object({
      op: z.literal('platform_device_register_simple'),
      name,
      id: z.union([z.number().int().min(-2).max(INT_MAX), z.literal('NONE'), z.literal('AUTO')]).optional(),
      parent: devRef.optional(),
      ofNode: z.string().optional(),
      acpiHid: z.string().optional(),
     orReturn, orLog, orDevErrProbe }).strict(),
    z.object({ op: z.literal('platform_device_unregister'), device: devRef }).strict(),
    z.object({ op: z.literal('platform_driver_register'), driver: name , orReturn, orLog, orDevErrProbe }).strict(),
    z.object({ op: z.literal('platform_driver_unregister'), driver: name }).strict(),
    z.object({ op: z.literal('platform_driver_probe'), driver: name , orReturn, orLog, orDevErrProbe }).strict(),
    z.object({ op: z.literal('faux_device_create'), name, parent: devRef.optional(), probe: actionList.optional(), remove: actionList.optional() , orReturn, orLog, orDevErrProbe }).strict(),
    z.object({ op: z.literal('faux_device_destroy'), device: devRef }).strict(),
    z.object({ op: z.literal('auxiliary_device_create'), modname: name, name, id: z.number().int().min(0).max(INT_MAX).optional(), parent: devRef.optional(), devm: z.boolean().optional() , orReturn, orLog, orDevErrProbe }).strict(),
    /** auxiliary_device_init() + auxiliary_device_add() by hand (any kernel); modname defaults to KBUILD_MODNAME */
    z.object({ op: z.literal('auxiliary_device_add'), modname: name.optional(), name, id: z.number().int().min(0).max(INT_MAX).optional(), parent: devRef.optional(), devm: z.boolean().optional() , orReturn, orLog, orDevErrProbe }).strict(),
    z.object({ op: z.literal('auxiliary_device_destroy'), device: devRef }).strict(),
    z.object({ op: z.literal('auxiliary_driver_register'), driver: name , orReturn, orLog, orDevErrProbe }).strict(),
    z.object({ op: z.literal('auxiliary_driver_unregister'), driver: name }).strict(),
    z.object({ op: z.literal('driver_register'), driver: name , orReturn, orLog, orDevErrProbe }).strict(),
    z.object({ op: z.literal('driver_unregister'), driver: name }).strict(),
    z.object({ op: z.literal('bus_register'), bus: name , orReturn, orLog, orDevErrProbe }).strict(),
    /** without `bus`: a bare struct device (no bus, no class: no uevent), as root_device_register() or a PCI host bridge;
     *  `modalias`: the device's MODALIAS verbatim, on a bus with `match: "modalias"` */
    z.object({ op: z.literal('device_register'), bus: name.optional(), name, ids: idFields.optional(), modalias: z.string().max(2000).optional(), parent: devRef.optional(), devm: z.boolean().optional() , orReturn, orLog, orDevErrProbe }).strict(),
    z.object({ op: z.literal('device_unregister'), device: devRef }).strict(),
    z.object({ op: z.literal('tsm_report_register'), provider: name.optional() , orReturn, orLog, orDevErrProbe }).strict(),
    z.object({ op: z.literal('tsm_report_unregister'), provider: name.optional() }).strict(),
    z.object({ op: z.literal('tsm_register'), parent: devRef.optional(), pciOps: z.boolean().optional(), orReturn, orLog, orDevErrProbe }).strict(),
    z.object({ op: z.literal('tsm_unregister'), parent: devRef.optional() }).strict(),
    z.object({ op: z.literal('return'), errno }).strict(),
    z.object({ op: z.literal('defer_until'), device: devRef }).strict(),
    /** every condition given must hold: a fact, the probed device's name, the Nth call of this callback for this device */
    z.object({ op: z.literal('if'), when: when.optional(), device: name.optional(), call: z.number().int().min(1).max(1_000_000).optional(), then: actionList.optional(), else: actionList.optional() }).strict()
      .refine((a) => a.when !== undefined || a.device !== undefined || a.call !== undefined, { message: '"if" needs "when", "device" or "call"' }),
    z.object({ op: z.literal('device_attach'), device: devRef, orReturn, orLog, orDevErrProbe }).strict(),
    z.object({ op: z.literal('device_driver_attach'), driver: name, device: devRef, orReturn, orLog, orDevErrProbe }).strict(),
    /** msleep() in module code: the deferred-probe work and udev run meanwhile */
    z.object({ op: z.literal('msleep'), ms: z.number().int().min(0).max(600_000) }).strict(),
    /** return dev_err_probe(dev, err, message): logs (or, for -EPROBE_DEFER, records the reason) and returns err */
    z.object({ op: z.literal('dev_err_probe'), errno, message: z.string().max(300) }).strict(),
    z.object({ op: z.literal('log'), message: z.string() }).strict(),
    z.object({ op: z.literal('devm_add_action'), actions: actionList }).strict(),
    z.object({ op: z.literal('firmware_file_create'), path: z.string().regex(/^[a-z0-9_-]+(\/[a-z0-9_-]+)+$/, 'a path under /sys/firmware such as "cca/realm_guest"'), value: z.string() }).strict(),
    z.object({ op: z.literal('firmware_file_remove'), path: z.string() }).strict(),
  ]),
);

export const driverDef = z.object({
  /** the name in struct device_driver; for auxiliary drivers the optional .name (final name is modname[.name]) */
  name: z.string().optional(),
  bus: name,
  /** id_table entries (platform_device_id / auxiliary_device_id / a custom bus's table) */
  idTable: z.array(name).optional(),
  /** id_table entries of a bus that matches numeric ids (`match: "ids"`): e.g. [{ "func_id": "0xC4000190" }];
   *  a field left out (or equal to the bus's anyId) matches any value, as PCI_ANY_ID does */
  ids: z.array(idFields).optional(),
  /** of_match_table compatibles */
  ofMatch: z.array(name).optional(),
  /** acpi_match_table HIDs */
  acpiMatch: z.array(name).optional(),
  probe: actionList.optional(),
  remove: actionList.optional(),
  suppressBindAttrs: z.boolean().optional(),
  /** MODULE_DEVICE_TABLE for this driver's tables (default true): feeds modules.alias */
  deviceTable: z.boolean().optional(),
}).strict();

export const moduleDef = z.object({
  name: name.regex(/^[A-Za-z0-9_-]+$/, 'module names are [A-Za-z0-9_-]'),
  /** builtin (=y), module (=m, on disk), absent (=m but missing from the initramfs/rootfs, or =n) */
  location: z.enum(['builtin', 'module', 'absent']),
  /** for built-in code: the initcall level it runs at */
  initcall: z.enum(['core', 'arch', 'subsys', 'fs', 'device', 'late']).optional(),
  /** the kernel source file this stands for */
  source: z.string().optional(),
  /** MODULE_ALIAS() strings and device tables that are not a driver's (e.g. arm_cca_guest's platform table) */
  aliases: z.array(name).optional(),
  drivers: z.record(z.string(), driverDef).optional(),
  init: actionList.optional(),
  /** module_exit; when absent, the engine undoes init's registrations in reverse (module_driver() style);
   *  null: the module has no module_exit, so delete_module refuses to unload it (-EBUSY) */
  exit: actionList.nullable().optional(),
}).strict();

export const busDef = z.object({
  /** [a-z0-9_-]: real buses have dashes too (serial-base) */
  name: name.regex(/^[a-z0-9_-]+$/, 'bus names are [a-z0-9_-]'),
  /** how a device matches a driver; "ids": the device's numeric ids against the driver's `ids` table;
   *  "modalias": the device's literal MODALIAS (device_register `modalias`) against the driver's idTable read as
   *  modules.alias patterns (fnmatch): a real machine's id tables as file2alias wrote them (src/import/machine) */
  match: z.enum(['id_table', 'name', 'id_table_or_name', 'always', 'ids', 'modalias']),
  /** MODALIAS prefix, e.g. "arm_smccc:"; null = the bus has no uevent callback (no MODALIAS) */
  modaliasPrefix: z.string().nullable(),
  /** for `match: "ids"`: the id fields every device has, in struct order (e.g. ["func_id"], or PCI's vendor, device, ...) */
  idFields: z.array(z.string().regex(/^[a-z_][a-z0-9_]*$/, 'id field names are [a-z0-9_]')).min(1).optional(),
  /** the "match any" value of an id field (PCI_ANY_ID = 0xffffffff); a field absent from an entry also matches any */
  anyId: idValue.optional(),
  /** MODALIAS (and the `modalias` attribute, and file2alias's aliases) from a format: "{name}" or "{field:08X}"
   *  (printf-style width and x/X/d), e.g. "arm_smccc:f{func_id:08X}"; a field an id-table entry leaves open becomes "*" */
  modaliasFormat: z.string().regex(/^[^{}]*(\{[a-z_][a-z0-9_]*(:0?\d*[xXd])?\}[^{}]*)*$/, 'a format such as "arm_smccc:f{func_id:08X}"').optional(),
  /** file2alias appends "*" to every alias (as it does for pci: and most buses) */
  aliasWildcard: z.boolean().optional(),
  /** the bus's driver-register helper refuses a driver without these (-EINVAL), e.g. arm_smccc_driver_register() */
  requireDriverFields: z.array(z.enum(['probe', 'idTable'])).optional(),
  /** a `modalias` sysfs attribute on devices */
  modaliasAttr: z.boolean().optional(),
  /** device naming: "{name}" or "{name}-{n}" (n from an IDA starting at idaStart) */
  deviceName: z.string().optional(),
  idaStart: z.number().int().min(0).max(INT_MAX).optional(),
  /** a root device /sys/devices/<rootDevice> registered with the bus, used as parent when none is given */
  rootDevice: z.string().optional(),
  /** the bus's driver_register helper sets driver.mod_name (as auxiliary does): built-in drivers get /sys/module links */
  setsModName: z.boolean().optional(),
  source: z.string().optional(),
}).strict();

export const userAction = z.discriminatedUnion('op', [
  z.object({ op: z.literal('write'), path: z.string().startsWith('/sys/'), value: z.string(), at: z.number().int().min(0).max(100_000_000).optional() }).strict(),
  z.object({ op: z.literal('read'), path: z.string().startsWith('/sys/'), at: z.number().int().min(0).max(100_000_000).optional() }).strict(),
  z.object({ op: z.literal('bind'), device: name, driver: name, bus: name.optional(), at: z.number().int().min(0).max(100_000_000).optional() }).strict(),
  z.object({ op: z.literal('unbind'), device: name, bus: name.optional(), at: z.number().int().min(0).max(100_000_000).optional() }).strict(),
  z.object({ op: z.literal('driver_override'), device: name, value: z.string(), at: z.number().int().min(0).max(100_000_000).optional() }).strict(),
  z.object({ op: z.literal('modprobe'), module: name, at: z.number().int().min(0).max(100_000_000).optional() }).strict(),
  z.object({ op: z.literal('rmmod'), module: name, at: z.number().int().min(0).max(100_000_000).optional() }).strict(),
  z.object({ op: z.literal('udev_start'), at: z.number().int().min(0).max(100_000_000).optional() }).strict(),
  z.object({ op: z.literal('udev_stop'), at: z.number().int().min(0).max(100_000_000).optional() }).strict(),
  /** kernel-side hot-unplug of a device (device_unregister / faux_device_destroy) */
  z.object({ op: z.literal('remove_device'), device: name, at: z.number().int().min(0).max(100_000_000).optional() }).strict(),
]);

const dtNode = z.object({
  path: z.string().startsWith('/'),
  compatible: z.array(name).min(1),
  status: z.enum(['okay', 'disabled']).optional(),
  method: z.string().optional(),
  deviceType: z.string().optional(),
}).strict();

const version = z.string().regex(/^\d{1,3}\.\d{1,3}$/, 'must be "MAJOR.MINOR"');

const u32 = z.number().int().min(0).max(0xffffffff);

/** a device tree node in the tree form (firmware.devicetree): what of_platform_populate and the OF
 *  uevent read. `reg`/`ranges` are 32-bit cells; `ranges: "empty"` is `ranges;` (1:1 translation). */
export const dtTreeNode = z.object({
  /** node name with unit address, e.g. "serial@90000"; the root is "/" */
  name: z.string().min(1).max(256).regex(/^(\/|[^/]+)$/, 'a node name such as "serial@90000" (no "/"), or "/" for the root'),
  /** absent: no compatible property (of_platform_populate skips the node) */
  compatible: z.array(z.string().max(256)).optional(),
  /** absent: available; "okay"/"ok" available; anything else is not (of_device_is_available) */
  status: z.string().max(64).optional(),
  deviceType: z.string().max(64).optional(),
  method: z.string().max(64).optional(),
  reg: z.array(u32).max(4096).optional(),
  addressCells: z.number().int().min(0).max(4).optional(),
  sizeCells: z.number().int().min(0).max(4).optional(),
  ranges: z.union([z.literal('empty'), z.array(u32).max(4096)]).optional(),
  /** the "mask" property (of_device_make_bus_id adds ffs(mask)-1 to the name) */
  mask: u32.optional(),
  /** the "interrupt-controller" property (of_irq_init only initialises nodes that have it) */
  interruptController: z.boolean().optional(),
  get children() {
    return z.array(dtTreeNode).max(100_000).optional();
  },
}).strict();
export type DtTreeNode = z.infer<typeof dtTreeNode>;

export const devicetreeDef = z.object({
  /** the root node, name "/" */
  root: dtTreeNode,
  /** /aliases: alias name → node path (OF_ALIAS_n) */
  aliases: z.record(z.string().max(256), z.string().startsWith('/')).optional(),
  /** compatibles that built-in early init code claims before of_platform_default_populate_init
   *  (IRQCHIP_DECLARE → of_irq_init, CLK_OF_DECLARE → of_clk_init): their nodes are OF_POPULATED */
  ofDeclare: z.array(z.object({ compatible: z.string(), kind: z.enum(['irqchip', 'clk']), source: z.string().optional() }).strict()).max(1000).optional(),
  /** of_platform_default_populate_init() runs (default true) */
  populate: z.boolean().optional(),
  /** where the tree came from (the .dts file) */
  source: z.string().max(1000).optional(),
}).strict();
export type DevicetreeDef = z.infer<typeof devicetreeDef>;

export const firmwareDef = z.object({
  description: z.enum(['dt', 'acpi']),
  dt: z.array(dtNode).optional(),
  /** the tree form (an imported .dts): discovery reads it in DT order and, at arch_initcall_sync,
   *  of_platform_default_populate_init() creates platform devices from it */
  devicetree: devicetreeDef.optional(),
  acpi: z.object({ psciCompliant: z.boolean(), psciUseHvc: z.boolean() }).strict().optional(),
  /** the PSCI version the firmware reports (PSCI_VERSION) */
  psciVersion: version,
  /** the SMCCC version the firmware reports (SMCCC_VERSION); "1.0" = the call is not supported */
  smcccVersion: version,
  /** SMCCC call groups the firmware implements */
  services: z.object({
    /** da: the RSI feature register reports device assignment (rsi_has_da_feature) */
    rsi: z.object({ version, da: z.boolean().optional() }).strict().optional(),
    rmi: z.object({ version, da: z.boolean().optional() }).strict().optional(),
    trng: z.object({ version }).strict().optional(),
  }).strict(),
}).strict();

export const scenarioSchema = z.object({
  id: name.regex(/^[a-z0-9][a-z0-9-]*$/, 'ids are lower-case words joined by "-"'),
  title: z.string(),
  description: z.string().optional(),
  source: z.string().optional(),
  design: z.string().optional(),
  /** which posting of the design this is ("v5", "queued", "rfc-v1"); the UI lists a design's revisions */
  revision: z.string().max(40).optional(),
  /** behaviour this scenario shows that is not in the posted code it cites (labelled in the UI) */
  extrapolated: z.array(z.string().max(400)).max(20).optional(),
  side: z.enum(['guest', 'host']).optional(),
  /** the module the UI's built-in / loadable / missing toggle changes (the TSM module) */
  focusModule: z.string().optional(),
  kernel: z.object({ version: version }).strict(),
  firmware: firmwareDef,
  udev: z.object({ running: z.boolean() }).strict(),
  buses: z.array(busDef).optional(),
  modules: z.array(moduleDef),
  actions: z.array(userAction).optional(),
  /** the scenario told stop by stop (walkthrough.ts): presentation mode plays it */
  walkthrough: walkthroughSchema.optional(),
}).strict();

export type Scenario = z.infer<typeof scenarioSchema>;
export type ModuleDef = z.infer<typeof moduleDef>;
export type DriverDef = z.infer<typeof driverDef>;
export type BusDef = z.infer<typeof busDef>;
export type UserAction = z.infer<typeof userAction>;
export type FirmwareDef = z.infer<typeof firmwareDef>;
