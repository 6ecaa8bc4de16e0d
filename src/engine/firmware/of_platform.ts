/**
 * Platform devices from the device tree: of_platform_default_populate_init() at
 * arch_initcall_sync, of_platform_populate(), of_platform_bus_create(),
 * of_platform_device_create_pdata() and of_amba_device_create() (drivers/of/platform.c), plus the
 * early OF_DECLARE init that marks nodes OF_POPULATED before them (of_irq_init, of_clk_init).
 * Only the tree form (`firmware.devicetree`) is populated; the built-in designs' flat `firmware.dt`
 * lists never are.
 *
 * The walk is pure (ofPopulateWalk): the kernel side (ofPlatformDefaultPopulateInit) passes hooks
 * that add the devices; the importer's summary passes hooks that only record.
 */
import type { OfIndex, OfNode } from './devicetree';
import { ofDeviceIsAvailable, ofDeviceMakeBusId } from './devicetree';

const PLAT = 'drivers/of/platform.c';

/** of_default_bus_match_table (arm,amba-bus under CONFIG_ARM_AMBA, which arm64 selects) */
export const OF_DEFAULT_BUS_MATCH = ['simple-bus', 'simple-mfd', 'isa', 'arm,amba-bus'];
/** of_skipped_node_table */
const OF_SKIPPED = ['operating-points-v2'];
/** reserved_mem_matches (current drivers/of/platform.c) */
export const RESERVED_MEM_MATCHES = ['phram', 'qcom,rmtfs-mem', 'qcom,cmd-db', 'qcom,smem', 'ramoops', 'nvmem-rmem', 'google,open-dice'];

export type PopulateOutcome =
  | { kind: 'device'; path: string; name: string; parent: string | null }
  | { kind: 'amba'; path: string; name: string }
  | { kind: 'disabled'; path: string; status: string }
  | { kind: 'skipped'; path: string; why: string }
  | { kind: 'declared'; path: string; by: string };

export interface PopulateHooks {
  /** of_device_add(): returns the new device's devpath, or null when device_add failed */
  create(node: OfNode, name: string, parentDevpath: string | null): string | null;
  event(kind: 'firmware' | 'device_add', text: string, cite: string, path: string): void;
}

const compatibleWith = (n: OfNode, list: string[]) => n.compatible.some((c) => list.includes(c));

/** the OF_DECLARE tables built into the kernel claim their nodes first (of_irq_init, of_clk_init) */
export function ofEarlyDeclared(ix: OfIndex, hooks: Pick<PopulateHooks, 'event'>, out: PopulateOutcome[] = []): Set<string> {
  const populated = new Set<string>();
  for (const d of ix.tree?.ofDeclare ?? []) {
    for (const n of ix.all) {
      if (!n.compatible.includes(d.compatible) || populated.has(n.path)) continue;
      // of_irq_init(): only nodes with "interrupt-controller" that are available; of_clk_init(): available nodes
      if (!ofDeviceIsAvailable(n) || (d.kind === 'irqchip' && !n.interruptController)) continue;
      populated.add(n.path);
      const fn = d.kind === 'irqchip' ? 'drivers/of/irq.c:of_irq_init' : 'drivers/clk/clk.c:of_clk_init';
      const by = `${d.kind === 'irqchip' ? 'IRQCHIP_DECLARE' : 'CLK_OF_DECLARE'}(${d.compatible})${d.source ? ` in ${d.source}` : ''}`;
      hooks.event('firmware', `${fn.split(':')[1]}: ${n.path} is initialised early by ${by}: OF_POPULATED, so no platform device is created for it`, fn, n.path);
      out.push({ kind: 'declared', path: n.path, by });
    }
  }
  return populated;
}

/** of_platform_default_populate_init() with the flags OF_POPULATED / OF_POPULATED_BUS */
export function ofPopulateWalk(ix: OfIndex, populated: Set<string>, hooks: PopulateHooks): PopulateOutcome[] {
  const out: PopulateOutcome[] = [];
  const populatedBus = new Set<string>();
  const devpathOf = new Map<string, string>();

  /** of_platform_device_create_pdata() */
  const createPdata = (np: OfNode, parent: string | null): string | null => {
    if (!ofDeviceIsAvailable(np)) {
      hooks.event('firmware', `${np.path}: status = "${np.status}": not available (of_device_is_available), no device`, `${PLAT}:of_platform_device_create_pdata`, np.path);
      out.push({ kind: 'disabled', path: np.path, status: np.status ?? '' });
      return null;
    }
    if (populated.has(np.path)) {
      out.push({ kind: 'skipped', path: np.path, why: 'already populated (OF_POPULATED)' });
      return null;
    }
    populated.add(np.path);
    const name = ofDeviceMakeBusId(np);
    hooks.event('device_add', `of_device_alloc ${np.path}: platform device "${name}" (of_device_make_bus_id), parent ${parent ?? '/devices/platform'}`, `${PLAT}:of_device_alloc`, np.path);
    const devpath = hooks.create(np, name, parent);
    if (devpath === null) {
      populated.delete(np.path); // err_clear_flag
      out.push({ kind: 'skipped', path: np.path, why: `of_device_add failed for "${name}"` });
      return null;
    }
    devpathOf.set(np.path, devpath);
    out.push({ kind: 'device', path: np.path, name, parent });
    return devpath;
  };

  /** of_platform_bus_create() */
  const busCreate = (bus: OfNode, matches: string[] | null, parent: string | null, strict: boolean): void => {
    const cite = `${PLAT}:of_platform_bus_create`;
    if (strict && !bus.hasCompatible) {
      out.push({ kind: 'skipped', path: bus.path, why: 'no compatible property' });
      return;
    }
    if (compatibleWith(bus, OF_SKIPPED)) {
      hooks.event('firmware', `of_platform_bus_create: skipping ${bus.path} node (of_skipped_node_table)`, cite, bus.path);
      out.push({ kind: 'skipped', path: bus.path, why: 'of_skipped_node_table (operating-points-v2)' });
      return;
    }
    if (populatedBus.has(bus.path)) {
      hooks.event('firmware', `of_platform_bus_create: skipping ${bus.path}, already populated`, cite, bus.path);
      out.push({ kind: 'skipped', path: bus.path, why: 'already populated (OF_POPULATED_BUS)' });
      return;
    }
    if (bus.compatible.includes('arm,primecell')) {
      // of_amba_device_create(): same availability and OF_POPULATED checks, then amba_device_add()
      if (!ofDeviceIsAvailable(bus)) {
        hooks.event('firmware', `${bus.path}: status = "${bus.status}": not available, no AMBA device`, `${PLAT}:of_amba_device_create`, bus.path);
        out.push({ kind: 'disabled', path: bus.path, status: bus.status ?? '' });
        return;
      }
      if (populated.has(bus.path)) return;
      populated.add(bus.path);
      const name = ofDeviceMakeBusId(bus);
      hooks.event('firmware', `of_amba_device_create ${bus.path}: an AMBA (primecell) device "${name}" on the amba bus — the amba bus is not modelled, so no device is shown`, `${PLAT}:of_amba_device_create`, bus.path);
      out.push({ kind: 'amba', path: bus.path, name });
      return;
    }
    const dev = createPdata(bus, parent);
    if (!dev || !matches || !compatibleWith(bus, matches)) return;
    hooks.event('firmware', `${bus.path} matches of_default_bus_match_table (${bus.compatible.filter((c) => matches.includes(c)).join(', ')}): its children are populated`, cite, bus.path);
    for (const child of bus.children) busCreate(child, matches, dev, strict);
    populatedBus.add(bus.path);
  };

  /** of_platform_populate() */
  const populate = (root: OfNode, matches: string[] | null, parent: string | null) => {
    for (const child of root.children) busCreate(child, matches, parent, true);
    populatedBus.add(root.path);
  };

  const root = ix.byPath.get('/');
  if (!root) return out;
  // reserved_mem_matches: for_each_matching_node → of_platform_device_create(node, NULL, NULL)
  for (const n of ix.all) if (compatibleWith(n, RESERVED_MEM_MATCHES)) createPdata(n, null);
  const fwNode = ix.byPath.get('/firmware');
  if (fwNode) {
    hooks.event('firmware', 'of_platform_populate(/firmware): its children with a compatible become devices (no bus match table)', `${PLAT}:of_platform_default_populate_init`, '/firmware');
    populate(fwNode, null, null);
  }
  // of_get_compatible_child(of_chosen, "simple-framebuffer")
  const chosen = ix.byPath.get('/chosen') ?? ix.byPath.get('/chosen@0');
  const fb = chosen?.children.find((c) => c.compatible.includes('simple-framebuffer'));
  if (fb) {
    hooks.event('firmware', `${fb.path}: a simple-framebuffer under /chosen: sysfb_disable(), then of_platform_device_create()`, `${PLAT}:of_platform_default_populate_init`, fb.path);
    createPdata(fb, null);
  }
  populate(root, OF_DEFAULT_BUS_MATCH, null);
  return out;
}
