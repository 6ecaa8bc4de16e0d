/**
 * How fast this machine is this hour, as one fixed piece of work timed in the same process as the
 * boots (bench/engine.ts in Node, bench/engine-browser.ts in Chromium). The machine is shared: the
 * same engine code has measured 2.2 s and 3.1 s for the 100k boot hours apart. The work is
 * shaped like what the boot is bound by (PERFORMANCE.md): string keys new to a ~150k-entry Map,
 * small records kept (the collector copies them), and lookups in random order with the key
 * strings the records hold (as the engine looks devices up by a record's own devpath: a lookup
 * with a new string of the same text costs ~5x more, it compares the characters). A figure
 * divided by it compares across hours; the targets stay on the figures themselves. No Node or
 * DOM API.
 */
const N = 150_000;
const LOOKUPS = 600_000;

const pathOf = (i: number) => `/devices/platform/soc/ip${i % 997}.${i}`;

/**
 * One round of the work with n records and `lookups` lookups, in ms (the calibration: N and
 * LOOKUPS; bench/density.ts: the same at ten times the size)
 */
export function mapWorkRound(n = N, lookups = LOOKUPS): number {
  const t0 = performance.now();
  const table = new Map<string, { id: number; path: string; parent: string | null }>();
  const kept: { id: number; path: string; parent: string | null }[] = [];
  for (let i = 0; i < n; i++) {
    const path = pathOf(i);
    if (table.has(path)) throw new Error(`calibration: ${path} twice`);
    const rec = { id: i, path, parent: i ? kept[i - 1]!.path : null };
    table.set(path, rec);
    kept.push(rec);
  }
  let seed = 12345;
  let hits = 0;
  for (let j = 0; j < lookups; j++) {
    seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
    const i = seed % n;
    if (table.get(kept[i]!.path)?.id === i) hits++;
  }
  if (hits !== lookups || kept.length !== n) throw new Error(`calibration: ${hits} of ${lookups} lookups found their record`);
  return performance.now() - t0;
}
const round = () => mapWorkRound();

/**
 * The quickest of `rounds` rounds after one untimed (the JIT compiles on it), in ms: a round is
 * short (~0.2 s), so another process's burst or a full collection lands in some rounds and not
 * others (single rounds spread ±25% in one process); the least disturbed one is the machine's
 * speed. `between` runs before each round (Node: a full collection, so no round pays for the
 * garbage of the one before).
 */
export function calibrationMs(rounds = 5, between?: () => void): number {
  round();
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    between?.();
    best = Math.min(best, round());
  }
  return best;
}
