/**
 * The scenario's device tree as the kernel reads it (drivers/of/base.c, address.c): both the flat
 * list form (`firmware.dt`, used by the built-in designs for PSCI discovery) and the tree form
 * (`firmware.devicetree`, an imported .dts) are seen through one index of nodes by full path,
 * in DT order (of_find_matching_node walks the tree depth-first).
 */
import type { DevicetreeDef, DtTreeNode, FirmwareDef } from '../scenario/schema';

export interface OfNode {
  path: string;
  /** the full name, with unit address ("serial@90000"); "" for the root */
  fullName: string;
  /** %pOFn: the name without the unit address */
  name: string;
  parent: OfNode | null;
  children: OfNode[];
  /** empty when the node has no compatible property */
  compatible: string[];
  hasCompatible: boolean;
  status?: string;
  deviceType?: string;
  method?: string;
  reg?: number[];
  addressCells?: number;
  sizeCells?: number;
  ranges?: 'empty' | number[];
  mask?: number;
  interruptController: boolean;
}

export interface OfIndex {
  /** every node in DT order (pre-order), root first */
  all: OfNode[];
  byPath: Map<string, OfNode>;
  /** the tree form, when the scenario has one */
  tree: DevicetreeDef | null;
}

const cache = new WeakMap<FirmwareDef, OfIndex>();

function fromTree(dt: DevicetreeDef): OfIndex {
  const all: OfNode[] = [];
  const byPath = new Map<string, OfNode>();
  const visit = (n: DtTreeNode, parent: OfNode | null) => {
    const fullName = parent ? n.name : '';
    const path = !parent ? '/' : parent.path === '/' ? `/${fullName}` : `${parent.path}/${fullName}`;
    const node: OfNode = {
      path, fullName, name: fullName.split('@')[0] ?? fullName, parent, children: [],
      compatible: n.compatible ?? [], hasCompatible: n.compatible !== undefined,
      ...(n.status !== undefined ? { status: n.status } : {}),
      ...(n.deviceType !== undefined ? { deviceType: n.deviceType } : {}),
      ...(n.method !== undefined ? { method: n.method } : {}),
      ...(n.reg ? { reg: n.reg } : {}),
      ...(n.addressCells !== undefined ? { addressCells: n.addressCells } : {}),
      ...(n.sizeCells !== undefined ? { sizeCells: n.sizeCells } : {}),
      ...(n.ranges !== undefined ? { ranges: n.ranges } : {}),
      ...(n.mask !== undefined ? { mask: n.mask } : {}),
      interruptController: n.interruptController === true,
    };
    all.push(node);
    byPath.set(path, node);
    parent?.children.push(node);
    for (const c of n.children ?? []) visit(c, node);
  };
  visit(dt.root, null);
  return { all, byPath, tree: dt };
}

function fromList(fw: FirmwareDef): OfIndex {
  const all: OfNode[] = [];
  const byPath = new Map<string, OfNode>();
  for (const n of fw.dt ?? []) {
    const fullName = n.path.split('/').pop() ?? '';
    const node: OfNode = {
      path: n.path, fullName, name: fullName.split('@')[0] ?? fullName, parent: null, children: [],
      compatible: n.compatible, hasCompatible: true,
      ...(n.status !== undefined ? { status: n.status } : {}),
      ...(n.deviceType !== undefined ? { deviceType: n.deviceType } : {}),
      ...(n.method !== undefined ? { method: n.method } : {}),
      interruptController: false,
    };
    all.push(node);
    if (!byPath.has(n.path)) byPath.set(n.path, node);
  }
  return { all, byPath, tree: null };
}

export function ofIndex(fw: FirmwareDef): OfIndex {
  let ix = cache.get(fw);
  if (!ix) {
    ix = fw.devicetree ? fromTree(fw.devicetree) : fromList(fw);
    cache.set(fw, ix);
  }
  return ix;
}

export function ofNode(fw: FirmwareDef, path: string | null): OfNode | undefined {
  return path ? ofIndex(fw).byPath.get(path) : undefined;
}

/** of_device_is_available(): no status, "okay" or "ok" */
export function ofDeviceIsAvailable(n: OfNode): boolean {
  return n.status === undefined || n.status === 'okay' || n.status === 'ok';
}

/** of_n_addr_cells() / of_n_size_cells(): the parent's #address-cells/#size-cells, inherited up the tree, root default 1 */
function nCells(n: OfNode, which: 'addressCells' | 'sizeCells'): number {
  let np: OfNode | null = n;
  do {
    if (np.parent) np = np.parent;
    const v = np[which];
    if (v !== undefined) return v;
  } while (np.parent);
  return 1; // OF_ROOT_NODE_ADDR_CELLS_DEFAULT / OF_ROOT_NODE_SIZE_CELLS_DEFAULT
}

function readNumber(cells: number[], from: number, count: number): bigint {
  let v = 0n;
  for (let i = 0; i < count; i++) v = (v << 32n) | BigInt(cells[from + i] ?? 0);
  return v;
}

/**
 * of_translate_address() for the default bus (drivers/of/address.c __of_translate_address,
 * of_translate_one, of_bus_default_map): the first `reg` address, carried up through each parent's
 * `ranges`; no `ranges` on a bus on the way means it cannot be translated (OF_BAD_ADDR → null).
 * PCI and ISA bus translation are not modelled (such parents make the address untranslatable here).
 */
export function ofTranslateAddress(n: OfNode): bigint | null {
  if (!n.reg || !n.parent) return null;
  let na = nCells(n, 'addressCells');
  let ns = nCells(n, 'sizeCells');
  if (na < 1 || na > 4 || ns < 0 || ns > 4 || n.reg.length < na) return null; // OF_CHECK_COUNTS / short reg
  let addr = readNumber(n.reg, 0, na);
  let dev: OfNode = n.parent;
  for (;;) {
    const parent = dev.parent;
    if (!parent) return addr; // reached the root
    if (dev.deviceType === 'pci' || parent.deviceType === 'pci') return null;
    const pna = nCells(dev, 'addressCells');
    const pns = nCells(dev, 'sizeCells');
    if (pna < 1 || pna > 4 || pns < 0 || pns > 4) return null;
    const ranges = dev.ranges;
    if (ranges === undefined) return null; // "no ranges; cannot translate"
    if (ranges === 'empty' || ranges.length === 0) {
      // empty ranges: 1:1 translation
    } else {
      const rone = na + pna + ns;
      let hit: bigint | null = null;
      for (let i = 0; i + rone <= ranges.length; i += rone) {
        const cp = readNumber(ranges, i, na);
        const pa = readNumber(ranges, i + na, pna);
        const s = readNumber(ranges, i + na + pna, ns);
        if (addr >= cp && addr < cp + s) {
          hit = pa + (addr - cp);
          break;
        }
      }
      if (hit === null) return null; // "not found !"
      addr = hit;
    }
    na = pna;
    ns = pns;
    dev = parent;
  }
}

/** ffs(mask) - 1 */
function ffsMinus1(mask: number): number {
  if (mask === 0) return -1;
  let i = 0;
  while (((mask >>> i) & 1) === 0) i++;
  return i;
}

/**
 * of_device_make_bus_id(): "<translated reg address in hex>.<node name>", prefixed by parent
 * names (joined with ":") until a node with a translatable address, or the root, is reached.
 * A `mask` property adds ".<ffs(mask)-1>" (the form in current drivers/of/device.c).
 */
export function ofDeviceMakeBusId(n: OfNode): string {
  let name: string | null = null;
  let node: OfNode = n;
  while (node.parent) {
    const addr = ofTranslateAddress(node);
    if (addr !== null) {
      const head = node.mask !== undefined ? `${addr.toString(16)}.${(ffsMinus1(node.mask) >>> 0).toString(16)}.${node.name}` : `${addr.toString(16)}.${node.name}`;
      return name === null ? head : `${head}:${name}`;
    }
    name = name === null ? node.fullName : `${node.fullName}:${name}`;
    node = node.parent;
  }
  return name ?? '';
}

/** of_alias_scan(): /aliases entries whose name ends in a number; OF_ALIAS_n lists those of a node */
export function ofAliasesOf(fw: FirmwareDef, path: string): string[] {
  const aliases = fw.devicetree?.aliases;
  if (!aliases) return [];
  const out: string[] = [];
  for (const [name, target] of Object.entries(aliases)) {
    if (!/[0-9]$/.test(name)) continue;
    if (target === path) out.push(name);
  }
  return out;
}
