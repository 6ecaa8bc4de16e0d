/**
 * The calibration's kind of work (bench/calibrate.ts: records in a Map keyed by devpath-like
 * strings, then lookups in random order) at two sizes, in Node and in headless Chromium: where the
 * tables fit in the cache, and at ten times that. The runtimes are alike until the heap outgrows
 * the cache; then Chromium, whose V8 keeps heap pointers in 32 bits (Node 20's builds: 64), is
 * ~1.4x quicker. That is the gap between the engine's 100k boot in Node and in the worker
 * (docs/PERFORMANCE.md, twenty-fourth session). It times; it has no target. This file is the
 * work alone (no Node or DOM API: both runtimes load it); bench/density.ts runs it.
 */
import { median } from './stats';

type Rec = { id: number; path: string; parent: string | null; a: unknown; b: unknown };

/** n records made and kept, then `lookups` random lookups by their own path strings; ms */
export function densityRound(n: number, lookups: number): number {
  const pathOf = (i: number) => `/devices/platform/soc/ip${i % 997}.${i}`;
  const t0 = performance.now();
  const table = new Map<string, Rec>();
  const kept: Rec[] = [];
  for (let i = 0; i < n; i++) {
    const rec: Rec = { id: i, path: pathOf(i), parent: i ? kept[i - 1]!.path : null, a: null, b: null };
    table.set(rec.path, rec);
    kept.push(rec);
  }
  let seed = 12345;
  let hits = 0;
  for (let j = 0; j < lookups; j++) {
    seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
    const i = seed % n;
    if (table.get(kept[i]!.path)?.id === i) hits++;
  }
  if (hits !== lookups) throw new Error(`density: ${hits} of ${lookups} lookups found their record`);
  return performance.now() - t0;
}

/** a warm-up, then the median of three rounds */
export function densityMs(n: number, lookups: number): number {
  densityRound(n, lookups);
  return median([0, 1, 2].map(() => densityRound(n, lookups)));
}

(globalThis as { bindscopeDensity?: unknown }).bindscopeDensity = { densityMs };
