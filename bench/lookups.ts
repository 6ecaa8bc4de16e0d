/**
 * The big-table lookup census (docs/PERFORMANCE.md, fifteenth session): every get/set/has/delete
 * on a Map, and add/has/delete on a Set, holding more than 1,000 entries during one boot of the
 * n-device bench scenario, counted by call site (the two frames above the call), per device.
 * Slow (a stack trace per counted call): for 10k devices, not 100k.
 *
 *   npx tsx bench/lookups.ts 10000
 */
import { bootBench } from './boot';

const BIG = 1000;
const counts = new Map<string, number>();
let counting = false;

/** the two frames above the wrapped call, shortened to function and file */
function site(): string {
  const frames = (new Error().stack ?? '').split('\n').slice(3, 5);
  return frames.map((l) => l.trim().replace(/^at /, '').replace(/\(.*\/(src|bench)\//, '($1/').replace(/:\d+\)$/, ')')).join(' < ');
}

function count(proto: object, method: string, label: string): void {
  const p = proto as Record<string, (...a: unknown[]) => unknown>;
  const original = p[method]!;
  p[method] = function (this: Map<unknown, unknown> | Set<unknown>, ...a: unknown[]) {
    if (counting && this.size > BIG) {
      counting = false;
      const key = `${label}.${method} ${site()}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      counting = true;
    }
    return original.apply(this, a);
  };
}

const n = Number(process.argv[2] ?? 10000);
bootBench(500); // the scenario's and the engine's own warm-up, not counted
for (const m of ['get', 'set', 'has', 'delete']) count(Map.prototype, m, 'Map');
for (const m of ['add', 'has', 'delete']) count(Set.prototype, m, 'Set');
counting = true;
bootBench(n);
counting = false;
let total = 0;
for (const v of counts.values()) total += v;
console.log(`lookups in tables of more than ${BIG} entries: ${total} (${(total / n).toFixed(1)} per generated device)`);
for (const [k, v] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log((v / n).toFixed(2).padStart(6), k);
