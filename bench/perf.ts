/**
 * Where a Node 100k boot's main-thread time goes, builtins and the collector included: Linux
 * `perf` samples the engine bundled as it ships (bench/boot-order.ts's order), with
 * `--perf-basic-prof` naming the JS frames. V8's own profiler charges a builtin (a Map lookup, a
 * megamorphic load) to the JS function that called it, and the collector's helper threads to
 * nobody; perf sees both. Prints the main thread's self time by symbol, the hash-table builtins
 * (Map and Set lookups, string hashing) by the JS frame that called them, and every sample by its
 * nearest JS frame with the collector apart (docs/PERFORMANCE.md, twenty-fifth session).
 *
 *   npx tsx bench/perf.ts            (needs `perf`: Debian's linux-perf; not part of npm run bench)
 *
 * The three 10k and 100k boots are all in the samples: the figures are shares of the process's
 * main thread, whose time is mostly the 100k boots'.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const TOP = 30;
/** the builtins and runtime functions of JS Maps and Sets, and of hashing the strings they are keyed by */
const HASH = /FindOrderedHash|MapPrototype|SetPrototype|OrderedHashTable|StringEqual|ComputeAndSetRawHash/;
/** the collector, on any thread */
const GC = /Scavenger|MarkCompact|ConcurrentMarking|Heap::|Sweeper|MarkingVisitor|IteratePointers|GCTracer|Evacuat/;

function run(cmd: string, args: string[], opts: { cwd?: string } = {}): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 30, ...opts });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}${cmd === 'perf' ? ' (install Debian\'s linux-perf)' : ''}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(-2000)}`);
  return r.stdout;
}

interface Sample { tid: string; frames: string[] }

function samples(script: string): Sample[] {
  const out: Sample[] = [];
  let cur: Sample | null = null;
  for (const line of script.split('\n')) {
    if (!line.startsWith('\t') && line.trim()) out.push((cur = { tid: line.trim().split(/\s+/)[0]!, frames: [] }));
    else if (cur && line.startsWith('\t')) cur.frames.push(line.trim().replace(/^\S+\s+/, ''));
  }
  return out;
}

const short = (f: string) => f.replace(/file:\/\/\S+?:(\d+):\d+/, '@$1').slice(0, 90);

function table(title: string, counts: Map<string, number>, total: number): void {
  console.log(`\n${title}`);
  for (const [k, c] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, TOP)) console.log(`${((100 * c) / total).toFixed(2).padStart(6)}%  ${k}`);
}

function bump(m: Map<string, number>, k: string): void {
  m.set(k, (m.get(k) ?? 0) + 1);
}

const dir = mkdtempSync(join(tmpdir(), 'bindscope-perf-'));
const started = Date.now();
try {
  const bundle = join(dir, 'boot-order.mjs');
  run('node_modules/.bin/esbuild', ['bench/boot-order.ts', '--bundle', '--platform=node', '--format=esm', '--target=node20', `--outfile=${bundle}`, '--log-level=warning']);
  const data = join(dir, 'perf.data');
  // in the temporary directory: V8 writes its code-event log (isolate-*.log) where it runs
  console.log(run('perf', ['record', '-F', '2000', '-g', '-o', data, 'node', '--perf-basic-prof', '--expose-gc', '--max-old-space-size=8192', bundle], { cwd: dir }).trim());
  const all = samples(run('perf', ['script', '-i', data, '-F', 'tid,ip,sym']));
  // the main thread is the one with the most samples
  const byTid = new Map<string, number>();
  for (const s of all) bump(byTid, s.tid);
  const main = [...byTid].sort((a, b) => b[1] - a[1])[0]![0];
  const ms = all.filter((s) => s.tid === main);
  console.log(`${ms.length} of ${all.length} samples on the main thread (${main})`);
  const self = new Map<string, number>();
  const hash = new Map<string, number>();
  const near = new Map<string, number>();
  let hashN = 0;
  let gcN = 0;
  for (const s of ms) {
    const top = s.frames[0] ?? '?';
    const js = short(s.frames.find((f) => f.startsWith('JS:')) ?? `(no JS frame) ${top}`);
    bump(self, short(top));
    if (HASH.test(top)) {
      hashN++;
      bump(hash, js);
    }
    if (s.frames.some((f) => GC.test(f))) gcN++;
    else bump(near, js);
  }
  table('main thread, self time by symbol', self, ms.length);
  table(`hash-table builtins (${((100 * hashN) / ms.length).toFixed(1)}% of the main thread), by the JS frame that called them`, hash, ms.length);
  table(`every sample by its nearest JS frame (the collector, ${((100 * gcN) / ms.length).toFixed(1)}% of the main thread, apart)`, near, ms.length);
} finally {
  rmSync(dir, { recursive: true, force: true });
  // --perf-basic-prof wrote /tmp/perf-<pid>.map for the boots' process: perf script has read it
  for (const f of readdirSync('/tmp')) if (/^perf-\d+\.map$/.test(f) && statSync(join('/tmp', f)).mtimeMs >= started - 1000) rmSync(join('/tmp', f), { force: true });
}
