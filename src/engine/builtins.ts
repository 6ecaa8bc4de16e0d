/**
 * The built-in designs (src/scenarios) as the engine lists and hands them out. A module of its
 * own so that the worker can load the designs' data when first asked (a chunk of its own).
 */
import type { BuiltinInfo } from './api';
import { cloneData } from './scenario/clone';
import type { Scenario } from './scenario/schema';
import { BUILTIN_SCENARIOS } from '../scenarios';

export function listBuiltins(): BuiltinInfo[] {
  return BUILTIN_SCENARIOS.map((s) => ({
    id: s.id, title: s.title, description: s.description ?? '', design: s.design ?? 'custom', side: s.side ?? 'guest',
    revision: s.revision ?? '', source: s.source ?? '', kernel: s.kernel.version, extrapolated: s.extrapolated ?? [],
  }));
}

export function getBuiltinScenario(id: string): Scenario {
  const s = BUILTIN_SCENARIOS.find((x) => x.id === id);
  if (!s) throw new Error(`unknown built-in scenario "${id}" (known: ${BUILTIN_SCENARIOS.map((x) => x.id).join(', ')})`);
  return cloneData(s);
}

