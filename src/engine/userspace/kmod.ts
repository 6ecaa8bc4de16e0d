/**
 * depmod and kmod: modules.alias is built from every on-disk module's device tables
 * (scripts/mod/file2alias.c) and MODULE_ALIAS() strings; `modprobe <modalias>` resolves a
 * MODALIAS against it with fnmatch() (libkmod: kmod_module_new_from_lookup).
 */
import type { Scenario } from '../scenario/schema';
import type { BusType } from '../buses/types';
import { platformBus } from '../buses/platform';
import { auxiliaryBus } from '../buses/auxiliary';
import { fauxBus } from '../buses/faux';
import { makeCustomBus } from '../buses/custom';
import { AliasSet } from './fnmatch';
import { flat } from '../core/kernel';
import { since } from '../core/versions';

export interface AliasEntry {
  pattern: string;
  module: string;
  /** where it came from: "MODULE_ALIAS", or the driver whose device table produced it */
  from: string;
}

/**
 * A list of aliases as columns: entry i is patterns[i], the module it loads, and where it came
 * from. An AliasEntry is made for an entry only when a lookup finds it: a large scenario's
 * modules.alias has ~90k entries, an object each when they were objects.
 */
export interface AliasTable {
  readonly patterns: string[];
  readonly modules: string[];
  readonly froms: string[];
}

const newTable = (): AliasTable => ({ patterns: [], modules: [], froms: [] });

function addAlias(t: AliasTable, pattern: string, module: string, from: string): void {
  t.patterns.push(pattern);
  t.modules.push(module);
  t.froms.push(from);
}

/** every entry of `from` at the end of `to` (the entries `keep` says yes to) */
function addAll(to: AliasTable, from: AliasTable, keep: (i: number) => boolean = () => true): void {
  for (let i = 0; i < from.patterns.length; i++) if (keep(i)) addAlias(to, from.patterns[i]!, from.modules[i]!, from.froms[i]!);
}

const entryAt = (t: AliasTable, i: number): AliasEntry => ({ pattern: t.patterns[i]!, module: t.modules[i]!, from: t.froms[i]! });

export function busTypeFor(scenario: Scenario, bus: string): BusType | undefined {
  if (bus === 'platform') return platformBus;
  if (bus === 'auxiliary') return auxiliaryBus;
  if (bus === 'faux') return fauxBus;
  const def = scenario.buses?.find((b) => b.name === bus);
  return def ? makeCustomBus(def) : undefined;
}

/** the aliases depmod records for one module (file2alias + MODULE_ALIAS); computed once per scenario and module */
export function moduleAliases(scenario: Scenario, name: string): AliasTable {
  let cache = moduleAliasCache.get(scenario);
  if (!cache) {
    // the scenario's modules by name, the first of a name as a walk of the list finds it (a list walk per module was quadratic in a large scenario)
    const defs = new Map<string, Scenario['modules'][number]>();
    for (const m of scenario.modules) if (!defs.has(m.name)) defs.set(m.name, m);
    moduleAliasCache.set(scenario, (cache = { defs, aliases: new Map() }));
  }
  let out = cache.aliases.get(name);
  if (!out) cache.aliases.set(name, (out = computeModuleAliases(scenario, cache.defs.get(name), name)));
  return out;
}

const moduleAliasCache = new WeakMap<Scenario, { defs: Map<string, Scenario['modules'][number]>; aliases: Map<string, AliasTable> }>();

function computeModuleAliases(scenario: Scenario, mod: Scenario['modules'][number] | undefined, name: string): AliasTable {
  const out = newTable();
  if (!mod) return out;
  for (const pattern of mod.aliases ?? []) addAlias(out, pattern, name, EXPLICIT_ALIAS);
  for (const [key, def] of Object.entries(mod.drivers ?? {})) {
    const bt = busTypeFor(scenario, def.bus);
    if (!bt) continue;
    const drvName = bt.driverName(def, name, key);
    // one string for every alias the driver's tables give
    const from = flat(`${def.bus} driver ${drvName}`);
    for (const pattern of bt.aliases(def, drvName)) addAlias(out, pattern, name, from);
  }
  return out;
}

/** where the scenario's own `aliases` of a module come from (AliasEntry.from) */
const EXPLICIT_ALIAS = 'MODULE_ALIAS / MODULE_DEVICE_TABLE';

/**
 * modules.alias for on-disk loadable modules; modules.builtin.modinfo for built-in ones. Before
 * 6.18 modules.builtin.modinfo held only what built-in code declares in .modinfo (MODULE_ALIAS):
 * modpost made no aliases from a built-in driver's MODULE_DEVICE_TABLE (the "Add generated
 * modalias to modules.builtin.modinfo" series, kbuild 6.18), so kmod found no built-in module for
 * such a MODALIAS.
 */
export function buildModulesAlias(scenario: Scenario): { alias: AliasTable; builtin: AliasTable } {
  // depmod runs once per scenario (the scenario never changes during a run): cache the tables,
  // udev looks them up for every uevent
  const cached = aliasCache.get(scenario);
  if (cached) return cached;
  const alias = newTable();
  const builtin = newTable();
  const tables = since(scenario.kernel.version, 'builtinDeviceTableAliases');
  for (const m of scenario.modules) {
    if (m.location === 'module') addAll(alias, moduleAliases(scenario, m.name));
    else if (m.location === 'builtin') {
      const own = moduleAliases(scenario, m.name);
      addAll(builtin, own, (i) => tables || own.froms[i] === EXPLICIT_ALIAS);
    }
  }
  const out = { alias, builtin };
  aliasCache.set(scenario, out);
  return out;
}

const aliasCache = new WeakMap<Scenario, { alias: AliasTable; builtin: AliasTable }>();

/** modprobe's lookup: every module whose alias pattern matches the MODALIAS */
export function resolveAlias(entries: AliasTable, modalias: string): AliasEntry[] {
  // libkmod reads modules.alias into an index (modules.alias.bin); here fnmatch.ts AliasSet, built
  // once: both sides through alias_normalize() (kmod_module_new_from_lookup, as depmod indexes every
  // alias), exact strings looked up, globs by their literal prefix or tail (no regular expressions);
  // hits in modules.alias order, first pattern per module, exactly as a linear fnmatch() walk would
  const hits = patternSet(entries).matches(modalias);
  // the common answers, one pattern or none, need no dedupe
  if (hits.length <= 1) return hits.length ? [entryAt(entries, hits[0]!)] : [];
  const seen = new Set<string>();
  const out: AliasEntry[] = [];
  for (const i of hits) {
    const module = entries.modules[i]!;
    if (!seen.has(module)) {
      seen.add(module);
      out.push(entryAt(entries, i));
    }
  }
  return out;
}

const patternSets = new WeakMap<AliasTable, { set: AliasSet; n: number }>();

function patternSet(entries: AliasTable): AliasSet {
  const kept = patternSets.get(entries);
  if (kept && kept.n === entries.patterns.length) return kept.set;
  const set = new AliasSet(entries.patterns);
  patternSets.set(entries, { set, n: entries.patterns.length });
  return set;
}
