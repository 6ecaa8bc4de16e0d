/**
 * The calibration's work (bench/calibrate.ts mapWorkRound: records in a Map keyed by
 * devpath-like strings, then lookups in random order) at its own size and at ten times it, where
 * its tables are ~10x the L3 cache: bench/density.ts runs it in Node and in headless Chromium,
 * whose V8 keeps heap pointers in 32 bits (Node 20's builds: 64). It times; it has no target
 * (docs/PERFORMANCE.md, twenty-fourth session). No Node or DOM API: both runtimes load it.
 */
import { mapWorkRound } from './calibrate';
import { median } from './stats';

/** a warm-up, then the median of three rounds of n records and `lookups` lookups, in ms */
export function densityMs(n: number, lookups: number): number {
  mapWorkRound(n, lookups);
  return median([0, 1, 2].map(() => mapWorkRound(n, lookups)));
}

(globalThis as { bindscopeDensity?: unknown }).bindscopeDensity = { densityMs };
