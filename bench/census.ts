/**
 * A census of the operations on large Maps and Sets during one boot of the bench's scenario, by
 * the functions that make them (docs/PERFORMANCE.md, twenty-third session). A lookup in a Map of
 * ~140k string keys costs 0.2-0.4 µs on this machine, and a 100k-device boot makes ~2 M of them:
 * the figure a state by integer id would have to remove. Not part of `npm run bench`: wrapping
 * the collections' methods makes the boot several times slower, so it counts and does not time.
 *
 *   npx tsx bench/census.ts [devices=100000] [min entries=20000]
 */
import { bootBench } from './boot';

const devices = Number(process.argv[2] ?? 100_000);
const big = Number(process.argv[3] ?? 20_000);
/** one call in SAMPLE has its callers read from a stack trace (the count is of every call) */
const SAMPLE = 64;

bootBench(2000); // compiled before the methods are wrapped

const byCaller = new Map<string, number>();
let total = 0;
const frame = (line: string | undefined) => (line ?? '').trim().replace(/^at /, '').replace(/ \(.*$/, '').replace(/^(file|node):.*$/, '?');

function count<T extends object>(proto: T, methods: (keyof T & string)[], kind: string): void {
  for (const m of methods) {
    const orig = proto[m] as unknown as (...args: unknown[]) => unknown;
    (proto as Record<string, unknown>)[m] = function (this: { size: number }, ...args: unknown[]) {
      if (this.size > big && ++total % SAMPLE === 0) {
        const stack = (new Error().stack ?? '').split('\n');
        const k = `${kind}.${m} ${frame(stack[2])} < ${frame(stack[3])} < ${frame(stack[4])}`;
        byCaller.set(k, (byCaller.get(k) ?? 0) + SAMPLE);
      }
      return orig.apply(this, args);
    };
  }
}
count(Map.prototype, ['get', 'set', 'has', 'delete'], 'Map');
count(Set.prototype, ['add', 'has', 'delete'], 'Set');

const { sim } = bootBench(devices);
console.log(`${total.toLocaleString('en')} operations on Maps and Sets of more than ${big.toLocaleString('en')} entries, ${(sim.lastStep + 1).toLocaleString('en')} events, ${devices.toLocaleString('en')} devices (callers: one call in ${SAMPLE})`);
for (const [k, v] of [...byCaller].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(String(v).padStart(9), k);
