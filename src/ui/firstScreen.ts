/**
 * Where the first screen opens: the step that makes the point of the debate, the uevent
 * whose MODALIAS matches an alias of the design's TSM module (focusModule) — the moment a
 * design either gives udev something to load the module by, or does not. Pure; unit-tested; run in the engine worker (RunInfo.storyStep).
 */
import type { ModuleView, TraceEvent } from '../engine/api';
// toFlow.ts aliasMatches is this same matcher; imported directly so the worker, which runs this, does not load the graph code
import { aliasMatch as aliasMatches } from '../engine/userspace/fnmatch';

/**
 * the first "add" uevent carrying a MODALIAS that one of the module's aliases matches, or null;
 * `events` in step order (the engine worker passes the run's uevent events only)
 */
export function storyStep(events: Iterable<TraceEvent>, module: ModuleView | undefined): number | null {
  if (!module || !module.aliases.length) return null;
  for (const e of events) {
    const u = e.uevent;
    if (e.kind !== 'uevent' || !u || u.action !== 'add') continue;
    const modalias = u.env.find(([k]) => k === 'MODALIAS')?.[1];
    if (modalias && module.aliases.some((a) => aliasMatches(a, modalias))) return e.index;
  }
  return null;
}
