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

export interface AliasEntry {
  pattern: string;
  module: string;
  /** where it came from: "MODULE_ALIAS", or the driver whose device table produced it */
  from: string;
}

export function busTypeFor(scenario: Scenario, bus: string): BusType | undefined {
  if (bus === 'platform') return platformBus;
  if (bus === 'auxiliary') return auxiliaryBus;
  if (bus === 'faux') return fauxBus;
  const def = scenario.buses?.find((b) => b.name === bus);
  return def ? makeCustomBus(def) : undefined;
}

/** the aliases depmod records for one module (file2alias + MODULE_ALIAS) */
export function moduleAliases(scenario: Scenario, name: string): AliasEntry[] {
  const mod = scenario.modules.find((m) => m.name === name);
  if (!mod) return [];
  const out: AliasEntry[] = (mod.aliases ?? []).map((pattern) => ({ pattern, module: name, from: 'MODULE_ALIAS / MODULE_DEVICE_TABLE' }));
  for (const [key, def] of Object.entries(mod.drivers ?? {})) {
    const bt = busTypeFor(scenario, def.bus);
    if (!bt) continue;
    const drvName = bt.driverName(def, name, key);
    for (const pattern of bt.aliases(def, drvName)) out.push({ pattern, module: name, from: `${def.bus} driver ${drvName}` });
  }
  return out;
}

/** modules.alias for on-disk loadable modules; modules.builtin.modinfo for built-in ones */
export function buildModulesAlias(scenario: Scenario): { alias: AliasEntry[]; builtin: AliasEntry[] } {
  const alias: AliasEntry[] = [];
  const builtin: AliasEntry[] = [];
  for (const m of scenario.modules) {
    if (m.location === 'module') alias.push(...moduleAliases(scenario, m.name));
    else if (m.location === 'builtin') builtin.push(...moduleAliases(scenario, m.name));
  }
  return { alias, builtin };
}

/** fnmatch(3) without flags: '*', '?', '[...]' */
export function fnmatch(pattern: string, s: string): boolean {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        let body = pattern.slice(i + 1, end);
        if (body.startsWith('!')) body = '^' + body.slice(1);
        re += '[' + body.replace(/\\/g, '\\\\') + ']';
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(re + '$').test(s);
}

/** modprobe's lookup: every module whose alias pattern matches the MODALIAS */
export function resolveAlias(entries: AliasEntry[], modalias: string): AliasEntry[] {
  const seen = new Set<string>();
  const out: AliasEntry[] = [];
  for (const e of entries) {
    if (!seen.has(e.module) && fnmatch(e.pattern, modalias)) {
      seen.add(e.module);
      out.push(e);
    }
  }
  return out;
}
