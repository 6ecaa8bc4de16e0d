/**
 * The machine importer's figures: import + run + compare for the real fixtures and for synthetic
 * captures of 1,000 / 5,000 / 10,000 devices (`npm run bench:machine`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { replayMachine } from '../src/import/machine/index';
import { syntheticBundle } from '../src/import/machine/synthetic';

const DIR = join(import.meta.dirname, '../test/fixtures/machines');
const inputs: [string, string][] = [
  ['debian-firecracker.bundle', readFileSync(join(DIR, 'debian-firecracker.bundle'), 'utf8')],
  ['qemu-guest.bundle', readFileSync(join(DIR, 'qemu-guest.bundle'), 'utf8')],
  ['qemu-arm64-guest.bundle', readFileSync(join(DIR, 'qemu-arm64-guest.bundle'), 'utf8')],
  ...[1000, 5000, 10000].map((n) => [`synthetic ${n}`, syntheticBundle(n).text] as [string, string]),
];
console.log('input                      devices  import   run      compare  total    match rate');
for (const [name, text] of inputs) {
  const t0 = performance.now();
  const r = replayMachine(text, () => performance.now());
  const total = performance.now() - t0;
  if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.errors.slice(0, 3))}`);
  const ms = (x: number) => `${x.toFixed(0)} ms`.padEnd(9);
  console.log(`${name.padEnd(26)} ${String(r.report.totals.devices).padEnd(8)} ${ms(r.ms.import)}${ms(r.ms.run)}${ms(r.ms.compare)}${ms(total)}${(r.report.matchRate * 100).toFixed(1)}%${r.stopped ? ` STOPPED ${r.stopped}` : ''}`);
}
