/**
 * The engine bench's boots alone, in its order (a 1k warm-up, three boots at 10k, then three at
 * 100k, each in a heap of its own: bench/boot.ts bootsInFreshHeaps; bench/engine.ts --mode boot
 * without time travel): for comparing two builds of the engine (docs/PERFORMANCE.md, fifteenth
 * session). A single 100k boot after a small warm-up runs a less warm JIT and overstates what a
 * change saves.
 *
 *   node_modules/.bin/esbuild bench/boot-order.ts --bundle --platform=node --format=esm --outfile=/tmp/a.mjs
 *   node --expose-gc --max-old-space-size=8192 /tmp/a.mjs
 */
import { bootBench, bootsInFreshHeaps } from './boot';
import { median } from './stats';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('bench/boot-order.ts needs node --expose-gc');
bootBench(1000);
const { boots, heapBefore } = await bootsInFreshHeaps([10_000, 100_000], 3, gc, () => process.memoryUsage().heapUsed);
const ms = boots[100_000]!.map(Math.round);
console.log(`100k boots ${ms.join(' / ')} ms, median ${median(ms).toFixed(0)} (heap before each boot, MB: ${heapBefore.join(' ')})`);
