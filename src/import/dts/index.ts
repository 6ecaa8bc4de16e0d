/**
 * Import a .dts (with the .dtsi files and dt-bindings headers it includes) as a scenario's
 * firmware: preprocess (preprocess.ts), parse (parser.ts, Chevrotain), resolve the tree the way
 * dtc does (tree.ts), then convert it to `firmware.devicetree` and summarise what
 * of_platform_default_populate_init() will make of it (engine/firmware/of_platform.ts).
 * Pure ECMAScript: the UI's worker and the CLI both call importDts().
 */
import type { DevicetreeDef, DtTreeNode, Scenario } from '../../engine/scenario/schema';
import { validateScenario } from '../../engine/scenario/validate';
import { ofIndex } from '../../engine/firmware/devicetree';
import { ofEarlyDeclared, ofPopulateWalk, type PopulateOutcome } from '../../engine/firmware/of_platform';
import { formatError, type DtsError } from './ast';
import { preprocess, normalizePath } from './preprocess';
import { parseTokens } from './parser';
import { buildTree, pathOf, prop, stringList, u32Cells, walk, type DtNode, type DtTree } from './tree';

export { formatError, type DtsError } from './ast';

/**
 * OF_DECLARE tables an arm64 defconfig kernel builds in: their nodes are claimed before
 * of_platform_default_populate_init() and get no platform device.
 */
export const DEFAULT_OF_DECLARE: NonNullable<DevicetreeDef['ofDeclare']> = [
  { compatible: 'arm,gic-v3', kind: 'irqchip', source: 'drivers/irqchip/irq-gic-v3.c' },
  { compatible: 'arm,gic-400', kind: 'irqchip', source: 'drivers/irqchip/irq-gic.c' },
  { compatible: 'arm,cortex-a15-gic', kind: 'irqchip', source: 'drivers/irqchip/irq-gic.c' },
  { compatible: 'fixed-clock', kind: 'clk', source: 'drivers/clk/clk-fixed-rate.c' },
  { compatible: 'fixed-factor-clock', kind: 'clk', source: 'drivers/clk/clk-fixed-factor.c' },
];

export interface ImportOptions {
  /** -I directories inside the file set (for <…> includes, and "…" after the file's own directory) */
  includeDirs?: string[];
  kernelVersion?: string;
  psciVersion?: string;
  smcccVersion?: string;
  id?: string;
  ofDeclare?: DevicetreeDef['ofDeclare'];
}

export interface ImportSummary {
  files: string[];
  missingHeaders: string[];
  nodes: number;
  devices: { name: string; path: string; modalias: string; parent: string | null }[];
  amba: { name: string; path: string }[];
  disabled: { path: string; status: string }[];
  skipped: { path: string; why: string }[];
  declared: { path: string; by: string }[];
}

/** plain data (no cycles, no bigint): safe to structured-clone from the worker or to JSON.stringify */
export type ImportResult = { ok: true; scenario: Scenario; summary: ImportSummary } | { ok: false; errors: DtsError[] };

function convert(n: DtNode, tree: DtTree, errors: DtsError[], isRoot: boolean): DtTreeNode {
  const strings = (name: string): string[] | undefined => {
    const p = prop(n, name);
    const v = stringList(p, tree.root);
    if (p && p.value && !v) errors.push({ ...p.pos, message: `${name} must be a string or a list of strings` });
    return v;
  };
  const cell = (name: string): number | undefined => {
    const p = prop(n, name);
    const v = u32Cells(p);
    if (p && (!v || v.length !== 1)) {
      errors.push({ ...p.pos, message: `${name} must be one 32-bit cell, e.g. <2>` });
      return undefined;
    }
    return v?.[0];
  };
  const out: DtTreeNode = { name: isRoot ? '/' : n.name };
  const compatible = strings('compatible');
  if (compatible) out.compatible = compatible;
  const status = strings('status');
  if (status) out.status = status[0] ?? '';
  const deviceType = strings('device_type');
  if (deviceType) out.deviceType = deviceType[0] ?? '';
  const method = strings('method');
  if (method) out.method = method[0] ?? '';
  const reg = u32Cells(prop(n, 'reg'));
  if (reg && reg.length) out.reg = reg;
  const ac = cell('#address-cells');
  if (ac !== undefined) {
    if (ac > 4) errors.push({ ...prop(n, '#address-cells')!.pos, message: `#address-cells = <${ac}>: at most 4 (OF_MAX_ADDR_CELLS)` });
    else out.addressCells = ac;
  }
  const sc = cell('#size-cells');
  if (sc !== undefined) {
    if (sc > 4) errors.push({ ...prop(n, '#size-cells')!.pos, message: `#size-cells = <${sc}>: at most 4` });
    else out.sizeCells = sc;
  }
  const ranges = prop(n, 'ranges');
  if (ranges) {
    const r = u32Cells(ranges);
    if (r === undefined) errors.push({ ...ranges.pos, message: 'ranges must be empty or 32-bit cells' });
    else out.ranges = r.length === 0 ? 'empty' : r;
  }
  const mask = cell('mask');
  if (mask !== undefined) out.mask = mask;
  if (prop(n, 'interrupt-controller')) out.interruptController = true;
  if (n.children.length) out.children = n.children.map((c) => convert(c, tree, errors, false));
  return out;
}

/** a parsed and resolved tree, or the errors (each with file, line, column and include chain) */
/** the sources: a file set (path → text, as the UI has them), or a reader (the CLI reads the disk) */
export type DtsSources = Record<string, string> | { read(path: string): string | undefined };

function reader(files: DtsSources): (path: string) => string | undefined {
  if (typeof files.read === 'function') return (files as { read(path: string): string | undefined }).read;
  const table = new Map(Object.entries(files as Record<string, string>).map(([k, v]) => [normalizePath(k), v]));
  return (p) => table.get(normalizePath(p));
}

export function parseDts(files: DtsSources, mainFile: string, opts: Pick<ImportOptions, 'includeDirs'> = {}): { ok: true; tree: DtTree; files: string[]; missingHeaders: string[] } | { ok: false; errors: DtsError[] } {
  const pre = preprocess({ read: reader(files), includeDirs: (opts.includeDirs ?? []).map(normalizePath) }, normalizePath(mainFile));
  if (pre.errors.length) return { ok: false, errors: pre.errors };
  const parsed = parseTokens(pre.tokens);
  // an unknown identifier is the usual sign of a header that was not provided: say which
  const missing = pre.missingHeaders.map((m) => m.header);
  const errors = parsed.errors.map((e) => (missing.length && /unknown identifier/.test(e.message) ? { ...e, message: `${e.message}; not provided: ${missing.map((h) => `<${h}>`).join(', ')}` } : e));
  if (errors.length) return { ok: false, errors };
  const built = buildTree(parsed.items);
  for (const e of built.errors) if (!e.file) e.file = normalizePath(mainFile);
  if (built.errors.length) return { ok: false, errors: built.errors };
  return { ok: true, tree: built.tree, files: pre.files, missingHeaders: missing };
}

function slug(s: string): string {
  return (s.split('/').pop() ?? s).replace(/\.dtsi?$/, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'imported-dts';
}

/** the UI's and the CLI's entry point: a scenario whose firmware is the .dts, and a summary of what it populates */
export function importDts(files: DtsSources, mainFile: string, opts: ImportOptions = {}): ImportResult {
  const parsed = parseDts(files, mainFile, opts);
  if (!parsed.ok) return parsed;
  const { tree } = parsed;
  const errors: DtsError[] = [];
  const root = convert(tree.root, tree, errors, true);
  const aliasesNode = tree.root.children.find((c) => c.name === 'aliases');
  const aliases: Record<string, string> = {};
  for (const p of aliasesNode?.props ?? []) {
    const v = stringList(p, tree.root);
    if (v && v.length === 1 && v[0]!.startsWith('/')) aliases[p.name] = v[0]!;
  }
  if (errors.length) return { ok: false, errors };
  const model = stringList(prop(tree.root, 'model'), tree.root)?.[0];
  const devicetree: DevicetreeDef = {
    root,
    ...(Object.keys(aliases).length ? { aliases } : {}),
    ofDeclare: opts.ofDeclare ?? DEFAULT_OF_DECLARE,
    source: normalizePath(mainFile),
  };
  const candidate = {
    id: opts.id ?? slug(mainFile),
    title: model ? `${model} (${normalizePath(mainFile).split('/').pop()})` : normalizePath(mainFile),
    description: `Imported from ${normalizePath(mainFile)} (${parsed.files.length} file${parsed.files.length === 1 ? '' : 's'}): of_platform_default_populate_init() creates its platform devices at arch_initcall_sync.`,
    source: normalizePath(mainFile),
    kernel: { version: opts.kernelVersion ?? '6.18' },
    firmware: { description: 'dt', devicetree, psciVersion: opts.psciVersion ?? '1.1', smcccVersion: opts.smcccVersion ?? '1.2', services: {} },
    udev: { running: true },
    modules: [],
  };
  const v = validateScenario(candidate);
  if (!v.ok) return { ok: false, errors: v.errors.map((e) => ({ file: normalizePath(mainFile), line: 1, col: 1, chain: [], message: `the imported scenario is invalid at ${e.path}: ${e.message}` })) };
  return { ok: true, scenario: v.scenario, summary: summarize(v.scenario, parsed.files, parsed.missingHeaders, tree) };
}

/** what of_platform_default_populate_init() makes of the tree (the same walk the engine runs) */
export function summarize(s: Scenario, files: string[], missingHeaders: string[], tree: DtTree): ImportSummary {
  const ix = ofIndex(s.firmware);
  const outcomes: PopulateOutcome[] = [];
  const populated = ofEarlyDeclared(ix, { event: () => {} }, outcomes);
  const taken = new Set<string>();
  outcomes.push(...ofPopulateWalk(ix, populated, {
    event: () => {},
    create: (_node, name, parent) => {
      const devpath = `${parent ?? '/devices/platform'}/${name}`;
      if (taken.has(devpath) || taken.has(`bus:${name}`)) return null;
      taken.add(devpath);
      taken.add(`bus:${name}`);
      return devpath;
    },
  }));
  const modalias = (path: string) => {
    const n = ix.byPath.get(path)!;
    return `of:N${n.name}T${n.deviceType ?? '(null)'}${n.compatible.map((c) => 'C' + c.replace(/ /g, '_')).join('')}`;
  };
  let nodes = 0;
  for (const _ of walk(tree.root)) nodes++;
  return {
    files,
    missingHeaders,
    nodes,
    devices: outcomes.flatMap((o) => (o.kind === 'device' ? [{ name: o.name, path: o.path, modalias: modalias(o.path), parent: o.parent }] : [])),
    amba: outcomes.flatMap((o) => (o.kind === 'amba' ? [{ name: o.name, path: o.path }] : [])),
    disabled: outcomes.flatMap((o) => (o.kind === 'disabled' ? [{ path: o.path, status: o.status }] : [])),
    skipped: outcomes.flatMap((o) => (o.kind === 'skipped' ? [{ path: o.path, why: o.why }] : [])),
    declared: outcomes.flatMap((o) => (o.kind === 'declared' ? [{ path: o.path, by: o.by }] : [])),
  };
}

export { pathOf };
