/**
 * The scale benchmark (issue #12): one command, every figure, each against its target.
 *
 *   npm run bench                 # full: engine at 10k and 100k devices (~6–9 min on 2 cores)
 *   npm run bench -- --quick      # reduced: engine at 1k and 10k, fewer repeats (< 1 min)
 *   npm run bench -- --json       # one JSON object on stdout (the table goes to stderr)
 *   npm run bench -- --markdown   # also a markdown table to paste into docs/PERFORMANCE.md
 *   npm run bench -- --only engine,cli   # some parts: bundle, cli, ui, engine
 *   npm run bench -- --only step --step-samples 60   # the UI's step figure alone (its split too)
 *
 * Parts:
 * - bundle: `vite build`, then the gzip size (zlib, default level) of the main chunk (the
 *   script index.html loads, with the chunks it preloads: what loads before the first render;
 *   `bundle.entry_gzip_kb` is the entry chunk alone) and of the engine worker's chunk (its own
 *   lazily loaded layout chunk not counted);
 * - graph: snapshotToFlow on the final snapshot of runs of 300 and 1,200 generated devices (bench/graph.ts):
 *   its growth over 4x the devices (the edge routing was once cubic);
 * - cli: wall time of `npm run sim -- auxiliary --json` (median of 5 after one warm-up);
 * - ui: bench/ui.ts (Playwright + system Chromium against `vite preview` on --port, 4191: 4190 is on the Fetch standard's list of blocked ports, which Chromium and Node's fetch refuse);
 * - engine: bench/engine.ts, bundled by esbuild as the engine ships (`--tsx`: through tsx), in
 *   child processes with --expose-gc (boot median of 3 after a warm-up, the ratio in one
 *   process, time travel), and one child per peak-heap figure read from --trace-gc (the heap
 *   used before each GC); then the same boots in headless Chromium (bench/engine-browser.ts),
 *   the runtime the sandbox's worker runs the engine in (`_chromium` figures, no target).
 * Sizes used are in the JSON (`meta`): with --quick the `_100k` keys hold the 10k figures and
 * the `_10k` keys the 1k ones, and a target set for the full size gets no verdict (`met: null`,
 * "(quick)" in the table).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import os from 'node:os';
import { median } from './stats';
import { launchChromium, measureUi, startPreview, stopPreview } from './ui';
import { measureGraph } from './graph';

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const opt = (name: string): string | undefined => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const quick = flag('quick');
const json = flag('json');
const only = new Set((opt('only') ?? 'bundle,graph,cli,ui,engine').split(','));
const port = Number(opt('port') ?? 4191);
const log = (line: string) => (json ? process.stderr : process.stdout).write(`${line}\n`);

const SIZES = quick ? { small: 1000, large: 10000 } : { small: 10000, large: 100000 };
const results: Record<string, number | string | null> = {};
const meta: Record<string, unknown> = {
  date: new Date().toISOString(),
  quick,
  nproc: os.cpus().length,
  memGB: +(os.totalmem() / 2 ** 30).toFixed(1),
  node: process.version,
  engine_sizes: SIZES,
};

function run(cmd: string, args: string[], what: string): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`${what} failed (${cmd} ${args.join(' ')}): ${r.stderr || r.stdout}`);
  return r.stdout;
}

function bundle(): void {
  log('bundle: vite build');
  run('npx', ['vite', 'build', '--logLevel', 'warn'], 'vite build');
  const html = readFileSync('dist/index.html', 'utf8');
  const main = /<script[^>]+src="\/?([^"]+\.js)"/.exec(html)?.[1];
  if (!main) throw new Error('dist/index.html loads no script');
  const assets = readdirSync('dist/assets');
  const worker = assets.find((f) => /^engine\.worker.*\.js$/.test(f));
  if (!worker) throw new Error(`no engine worker chunk in dist/assets (${assets.join(', ')})`);
  const kb = (path: string) => gzipSync(readFileSync(path)).length / 1000;
  // the first screen's script: the entry chunk and the chunks index.html preloads for it (what
  // the browser loads before anything renders); the lazily loaded chunks are not counted
  const preloads = [...html.matchAll(/<link rel="modulepreload"[^>]+href="\/?([^"]+\.js)"/g)].map((m) => m[1]!);
  const entry = kb(join('dist', main));
  results['bundle.main_gzip_kb'] = +(entry + preloads.reduce((sum, p) => sum + kb(join('dist', p)), 0)).toFixed(1);
  results['bundle.entry_gzip_kb'] = +entry.toFixed(1);
  // the worker's first chunk and the chunks it imports statically (shared ones the bundler split
  // out: what the worker loads before it can answer); its dynamic imports are loaded when first
  // needed, or (time travel's, engine/trace/timeTravel.ts) beside it from the start
  const workerChunks = staticImports('dist/assets', worker);
  results['bundle.worker_gzip_kb'] = +workerChunks.reduce((sum, f) => sum + kb(join('dist/assets', f)), 0).toFixed(1);
  const timeTravel = assets.find((f) => /^timeTravel.*\.js$/.test(f));
  if (timeTravel) results['bundle.worker_time_travel_gzip_kb'] = +kb(join('dist/assets', timeTravel)).toFixed(1);
  meta.bundle = { main, preloads, worker: workerChunks, timeTravel };
  log(`  main ${results['bundle.main_gzip_kb']} kB gzip (${main} ${entry.toFixed(1)} kB + ${preloads.join(', ')}), worker ${results['bundle.worker_gzip_kb']} kB gzip (${workerChunks.join(' + ')}; time travel's chunk ${results['bundle.worker_time_travel_gzip_kb'] ?? '-'} kB beside it)`);
}

/** a chunk and every chunk it imports statically (`import … from "./x.js"`, not `import("./x.js")`), each once */
function staticImports(dir: string, first: string): string[] {
  const out: string[] = [];
  const visit = (f: string) => {
    if (out.includes(f)) return;
    out.push(f);
    const code = readFileSync(join(dir, f), 'utf8');
    for (const m of code.matchAll(/(?:^|[;\s}])(?:import|export)\s*(?:[\w*{},\s$]*?\s*from\s*)?["']\.\/([^"']+\.js)["']/g)) visit(m[1]!);
  };
  visit(first);
  return out;
}

function cli(): void {
  log('cli: npm run sim -- auxiliary --json');
  const once = () => {
    const t0 = performance.now();
    run('npm', ['run', '--silent', 'sim', '--', 'auxiliary', '--json'], 'npm run sim');
    return performance.now() - t0;
  };
  once();
  const times = Array.from({ length: quick ? 3 : 5 }, once);
  results['cli.sim_ms'] = +median(times).toFixed(0);
  log(`  ${times.map((t) => t.toFixed(0)).join(', ')} ms`);
}

function graph(): void {
  log('graph: snapshotToFlow, 300 and 1,200 generated devices');
  const g = measureGraph();
  results['graph.ratio_1200_300'] = +g.ratio.toFixed(2);
  log(`  ${g.smallMs.toFixed(1)} ms and ${g.largeMs.toFixed(1)} ms: ${g.ratio.toFixed(2)}x for 4x the devices`);
}

async function ui(): Promise<void> {
  log(`ui: vite preview on port ${port}, headless Chromium`);
  if (!only.has('bundle')) run('npx', ['vite', 'build', '--logLevel', 'warn'], 'vite build');
  const preview = await startPreview(port);
  try {
    const graphN = Number(opt('graph-n') ?? 1200);
    const stepN = quick ? 2000 : 10000;
    const stepsOnly = !only.has('ui');
    // a machine's worth of devices in the app, run to its end: a median of three loads (~40 s), not in --quick
    const bigN = quick ? 0 : Number(opt('big-n') ?? 100000);
    const r = await measureUi({ port, graphN, stepN, bigN, stepSamples: Number(opt('step-samples') ?? (quick ? 10 : 30)), repeats: quick ? 1 : 3, stepsOnly, log });
    if (!stepsOnly) {
    results['ui.first_graph_ms_default'] = +r.firstGraphDefault.toFixed(0);
    results['ui.first_graph_ms_2000'] = +r.firstGraphBench.toFixed(0);
    if (bigN) {
      results['ui.first_graph_ms_100k'] = +r.firstGraphBig.toFixed(0);
      results['ui.events_100k'] = r.bigEvents;
      results['worker.step_p95_ms_100k'] = +r.bigStepP95.toFixed(1);
      results['worker.jump_p95_ms_100k'] = +r.bigJumpP95.toFixed(0);
      results['worker.jump_median_ms_100k'] = +r.bigJumpMedian.toFixed(0);
    }
    results['ui.pan_frame_p95_ms_2000'] = +r.panFrameP95.toFixed(1);
    results['ui.layout_ms_2000'] = +r.layoutMs.toFixed(0);
    results['ui.layout_where'] = r.layoutWhere;
    results['ui.layout_main_thread_ms_2000'] = +r.layoutMainMs.toFixed(0);
    results['ui.longest_main_task_ms_2000'] = +r.longestMainTaskMs.toFixed(0);
    }
    results['worker.step_p95_ms_10k'] = +r.stepP95.toFixed(1);
    results['worker.step_median_ms_10k'] = +r.stepMedian.toFixed(1);
    results['worker.jump_p95_ms_10k'] = +r.jumpP95.toFixed(1);
    results['worker.step_after_jump_p95_ms_10k'] = +r.afterJumpP95.toFixed(1);
    results['worker.step_after_jump_median_ms_10k'] = +r.afterJumpMedian.toFixed(1);
    const sp = r.stepSplit;
    if (sp) {
      // medians and p95s of the step samples' parts (bench/ui.ts StepSplit)
      results['worker.step_worker_ms_10k'] = +sp.workerMs[0].toFixed(1);
      results['worker.step_worker_p95_ms_10k'] = +sp.workerMs[1].toFixed(1);
      results['worker.step_engine_ms_10k'] = +sp.stateMs[0].toFixed(1);
      results['worker.step_diff_ms_10k'] = +sp.diffMs[0].toFixed(1);
      results['worker.step_diff_p95_ms_10k'] = +sp.diffMs[1].toFixed(1);
      results['worker.step_ui_ms_10k'] = +sp.uiMs[0].toFixed(1);
      results['worker.step_ui_p95_ms_10k'] = +sp.uiMs[1].toFixed(1);
      results['worker.step_bytes_10k'] = sp.bytes;
    }
    meta.ui = { graphN, graphNodes: r.graphNodes, stepN, stepDevices: r.stepDevices, stepSamples: r.stepSamples, panFrames: r.panFrames, panFrameMedian: r.panFrameMedian };
  } finally {
    stopPreview(preview);
  }
}

/**
 * bench/engine.ts as the engine ships: bundled by esbuild (as the CLI is, and as Vite builds the
 * worker), once per bench run. Under tsx every function the engine creates at run time goes
 * through esbuild's keep-names helper (`__name`, an Object.defineProperty per closure), which
 * the shipped bundles do not have: ~10% of a 100k boot. `--tsx` measures through tsx instead.
 */
let engineBundle: string | null = null;
function engineEntry(): string[] {
  if (flag('tsx')) return ['--import', 'tsx', 'bench/engine.ts'];
  if (!engineBundle) {
    const dir = mkdtempSync(join(tmpdir(), 'bindscope-bench-engine-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    engineBundle = join(dir, 'engine.mjs');
    const r = spawnSync('node_modules/.bin/esbuild', ['bench/engine.ts', '--bundle', '--platform=node', '--format=esm', '--target=node20', '--main-fields=module,main', `--outfile=${engineBundle}`, '--log-level=warning'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`bundling bench/engine.ts failed: ${r.stderr}`);
  }
  return [engineBundle];
}

/** runs bench/engine.ts in a child process; with trace, also the peak heap from --trace-gc */
function engineChild(args: string[], trace: boolean): Promise<{ result: Record<string, unknown>; peakMB: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'bindscope-bench-'));
  const out = join(dir, 'result.json');
  const node = ['--expose-gc', '--max-old-space-size=8192', ...(trace ? ['--trace-gc'] : []), ...engineEntry(), ...args, '--out', out];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, node, { stdio: ['ignore', 'pipe', 'pipe'] });
    let peak = 0;
    let rest = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      const lines = (rest + d.toString()).split('\n');
      rest = lines.pop()!;
      for (const l of lines) {
        const m = /: (?:Scavenge|Mark-Compact|Mark-sweep|Minor Mark-Compact|Minor Mark-Sweep)[^\d]*([\d.]+) \(([\d.]+)\) -> ([\d.]+)/.exec(l);
        if (m) peak = Math.max(peak, Number(m[1]));
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => {
      try {
        if (code !== 0) throw new Error(`bench/engine.ts ${args.join(' ')} exited ${code}: ${err.slice(-2000)}`);
        const result = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>;
        resolve({ result, peakMB: Math.max(peak, Number(result.heapBeforeMB ?? 0), Number(result.heapAfterMB ?? 0)) });
      } catch (e) {
        reject(e as Error);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

async function engine(): Promise<void> {
  const { small, large } = SIZES;
  log(`engine: boot at ${small} and ${large} devices (median of ${quick ? 2 : 3} after a warm-up), time travel at ${large}`);
  const t0 = performance.now();
  const { result: r } = await engineChild(['--mode', 'boot', '--sizes', `${small},${large}`, '--runs', quick ? '2' : '3', '--tt-budget', quick ? '8000' : '60000'], false);
  const med = r.bootMedian as Record<string, number>;
  const tt = r.timetravel as Record<string, number>;
  results['engine.boot_ms_10k'] = +med[small]!.toFixed(0);
  results['engine.boot_ms_100k'] = +med[large]!.toFixed(0);
  results['engine.scaling_ratio_100k_10k'] = +(r.ratio as number).toFixed(2);
  results['machine.calibration_ms'] = +(r.calibrationMs as number).toFixed(0);
  results['engine.boot_100k_in_calibrations'] = +(med[large]! / (r.calibrationMs as number)).toFixed(2);
  const heapBeforeBoot = Math.max(...(r.heapBefore as number[]));
  results['engine.heap_before_boot_mb'] = heapBeforeBoot;
  results['engine.heap_held_mb_100k'] = +(r.heldMB as number).toFixed(1);
  results['timetravel.p95_ms_100k'] = +tt.seekP95!.toFixed(1);
  results['timetravel.step_ms_100k'] = +tt.stepP95!.toFixed(2);
  results['timetravel.step_median_ms_100k'] = +tt.stepMedian!.toFixed(2);
  results['timetravel.heap_mb_100k'] = +tt.heapMB!.toFixed(0);
  results['timetravel.first_walk_ms_100k'] = +tt.warmMs!.toFixed(0);
  results['timetravel.checkpoints_ms_100k'] = +tt.checkpointsMs!.toFixed(0);
  meta.engine = { runner: flag('tsx') ? 'tsx' : 'esbuild bundle', boots: r.boots, events: r.events, devices: r.devices, timetravel: tt };
  log(`  this hour's machine (bench/calibrate.ts): ${results['machine.calibration_ms']} ms; the ${large} boot is ${results['engine.boot_100k_in_calibrations']} of it`);
  log(`  the heap before a boot, less the heap before the first: at most ${heapBeforeBoot} MB${heapBeforeBoot >= HEAP_KEPT_MB ? ' — an earlier run is still alive: these boots ran in a heap it grew' : ''}`);
  log(`  boots ${JSON.stringify(r.boots, (_k, v: unknown) => (typeof v === 'number' ? Math.round(v) : v))} ms; ${r.events} events at ${large}`);
  log(`  stateAt: ${tt.seekSamples} random steps, p95 ${tt.seekP95!.toFixed(0)} ms (time travel holds ${tt.heapMB!.toFixed(0)} MB; the first stateAt at the end ${tt.warmMs!.toFixed(0)} ms, the checkpoints after it ${tt.checkpointsMs!.toFixed(0)} ms); one step: ${tt.stepSamples}×2, median ${tt.stepMedian!.toFixed(1)} ms, p95 ${tt.stepP95!.toFixed(1)} ms`);
  const { result: p, peakMB } = await engineChild(['--mode', 'peak', '--sizes', String(large)], true);
  results['engine.peak_heap_mb_100k'] = +peakMB.toFixed(0);
  results['engine.bytes_per_event'] = +((((p.heapAfterMB as number) - (p.heapBeforeMB as number)) * 2 ** 20) / (p.events as number)).toFixed(0);
  log(`  peak heap ${peakMB.toFixed(0)} MB, held after the run ${((p.heapAfterMB as number) - (p.heapBeforeMB as number)).toFixed(0)} MB (${results['engine.bytes_per_event']} B/event); engine part ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}

/**
 * The same boots in headless Chromium (bench/engine-browser.ts, bundled for the browser, in a
 * blank page whose CSP allows no eval, as the app's): the runtime the sandbox's worker runs the
 * engine in, whose V8 is newer than Node 20's. Its figures have no target of their own.
 */
async function engineBrowser(): Promise<void> {
  const { small, large } = SIZES;
  const dir = mkdtempSync(join(tmpdir(), 'bindscope-bench-browser-'));
  try {
    const bundle = join(dir, 'engine-browser.js');
    const r = spawnSync('node_modules/.bin/esbuild', ['bench/engine-browser.ts', '--bundle', '--platform=browser', '--format=iife', '--main-fields=module,main', `--outfile=${bundle}`, '--log-level=warning'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`bundling bench/engine-browser.ts failed: ${r.stderr}`);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.setContent(`<!doctype html><meta http-equiv="Content-Security-Policy" content="script-src 'unsafe-inline'"><title>engine</title>`);
      await page.addScriptTag({ content: readFileSync(bundle, 'utf8') });
      type Bench = { bindscopeEngineBench: { boots(s: number[], r: number): Record<number, number[]>; calibrationMs(): number; heldBoot(n: number): number } };
      const calibration = await page.evaluate(() => (globalThis as unknown as Bench).bindscopeEngineBench.calibrationMs());
      const boots = await page.evaluate(([sizes, runs]) => (globalThis as unknown as Bench).bindscopeEngineBench.boots(sizes, runs), [[small, large], quick ? 2 : 3] as [number[], number]);
      // the heap the large run holds once it is done, as the Node part measures it after its boots
      // (bench/engine.ts heldMB: a full collection before and after a boot whose run stays
      // reachable): Chromium's V8 keeps its heap pointers in 32 bits (pointer compression), Node
      // 20's builds in 64
      const cdp = await page.context().newCDPSession(page);
      const heldBoot = (n: number) => page.evaluate((m) => (globalThis as unknown as Bench).bindscopeEngineBench.heldBoot(m), n);
      const usedMB = async () => {
        await cdp.send('HeapProfiler.collectGarbage');
        return (await cdp.send('Runtime.getHeapUsage')).usedSize / 2 ** 20;
      };
      await cdp.send('HeapProfiler.enable');
      // the boots' last run is still reachable for a moment after they return (a compile job on a
      // background thread holds handles to its closures: the eighteenth session): a task later it
      // is not, and the heap before is the page's own few MB
      await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 500)));
      await usedMB();
      const heapBefore = await usedMB();
      await heldBoot(large);
      const heldMB = (await usedMB()) - heapBefore;
      await heldBoot(0);
      // a figure the measurement got wrong (a run still reachable before, or gone after) is no figure
      const plausible = heldMB > 1;
      if (!plausible) log(`  the held heap in Chromium measured ${heldMB.toFixed(1)} MB (before ${heapBefore.toFixed(0)} MB): not reported`);
      results['engine.heap_held_mb_100k_chromium'] = plausible ? +heldMB.toFixed(1) : null;
      const nodeHeld = results['engine.heap_held_mb_100k'];
      if (typeof nodeHeld === 'number' && plausible) results['engine.heap_held_node_over_chromium'] = +(nodeHeld / heldMB).toFixed(2);
      results['engine.boot_ms_10k_chromium'] = +median(boots[small]!).toFixed(0);
      results['engine.boot_ms_100k_chromium'] = +median(boots[large]!).toFixed(0);
      results['machine.calibration_ms_chromium'] = +calibration.toFixed(0);
      results['engine.boot_100k_in_calibrations_chromium'] = +(median(boots[large]!) / calibration).toFixed(2);
      meta.engineChromium = { version: browser.version(), boots };
      log(`  in Chromium ${browser.version()} (the worker's runtime): boots ${JSON.stringify(boots, (_k, v: unknown) => (typeof v === 'number' ? Math.round(v) : v))} ms${plausible ? `; the large run holds ${heldMB.toFixed(0)} MB of its heap` : ''}`);
    } finally {
      await browser.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** the heap before a boot (above the first's) that says an earlier run was still alive: a 10k run holds ~30 MB */
const HEAP_KEPT_MB = 32;

/** `sized`: the target is for the size the key names (100k devices, 10k for the worker's step): --quick measures a smaller run, which says nothing about it */
interface Target { key: string; what: string; ok: (v: number) => boolean; target: string; sized?: boolean }
const ratioLimit = () => (SIZES.large / SIZES.small) * 1.1;
const TARGETS: Target[] = [
  { key: 'engine.boot_ms_100k', what: 'boot, large run', ok: (v) => v < 2000, target: '< 2000 ms', sized: true },
  { key: 'engine.scaling_ratio_100k_10k', what: 'T(large)/T(small)', ok: (v) => v <= ratioLimit(), target: `≤ ${ratioLimit().toFixed(0)}` },
  { key: 'engine.peak_heap_mb_100k', what: 'peak heap, large run', ok: (v) => v < 600, target: '< 600 MB', sized: true },
  { key: 'engine.bytes_per_event', what: 'heap held per event', ok: () => true, target: '(no target)' },
  { key: 'engine.boot_ms_10k', what: 'boot, small run', ok: () => true, target: '(no target)' },
  { key: 'engine.heap_held_mb_100k', what: 'heap the last large boot\'s run holds when done, code warm (Node 20: 64-bit heap pointers)', ok: () => true, target: '(no target)' },
  { key: 'engine.heap_held_mb_100k_chromium', what: 'the same in Chromium (pointer compression: 32-bit heap pointers)', ok: () => true, target: '(no target)' },
  { key: 'engine.heap_held_node_over_chromium', what: 'the two as a ratio: how much less memory the worker\'s runtime walks for the same run', ok: () => true, target: '(no target)' },
  { key: 'engine.boot_ms_100k_chromium', what: 'boot, large run, in Chromium (the worker\'s runtime)', ok: () => true, target: '(no target)' },
  { key: 'engine.boot_ms_10k_chromium', what: 'boot, small run, in Chromium', ok: () => true, target: '(no target)' },
  { key: 'machine.calibration_ms', what: 'this hour\'s machine: a fixed Map-and-records workload in the engine\'s Node process (bench/calibrate.ts)', ok: () => true, target: '(no target)' },
  { key: 'engine.boot_100k_in_calibrations', what: 'the large boot as a multiple of it: compares across hours', ok: () => true, target: '(no target)' },
  { key: 'machine.calibration_ms_chromium', what: 'the same workload in Chromium', ok: () => true, target: '(no target)' },
  { key: 'engine.boot_100k_in_calibrations_chromium', what: 'the large Chromium boot as a multiple of it', ok: () => true, target: '(no target)' },
  { key: 'engine.heap_before_boot_mb', what: 'heap before a boot, after a full collection, above the heap before the first (an earlier run kept alive shows here)', ok: (v) => v < HEAP_KEPT_MB, target: `< ${HEAP_KEPT_MB} MB (no run kept alive)` },
  { key: 'timetravel.p95_ms_100k', what: 'stateAt, random step, p95', ok: (v) => v < 20, target: '< 20 ms', sized: true },
  { key: 'timetravel.step_ms_100k', what: 'one step forward/back, p95', ok: (v) => v < 2, target: '< 2 ms' },
  { key: 'timetravel.heap_mb_100k', what: 'heap time travel holds on top of the run', ok: () => true, target: '(no target)' },
  { key: 'timetravel.first_walk_ms_100k', what: 'first stateAt at the last step (the run\'s last state loaded, its views made)', ok: () => true, target: '(no target)' },
  { key: 'timetravel.checkpoints_ms_100k', what: 'the checkpoints after it (Simulation.prepareTimeTravel: the worker makes them in slices after answering)', ok: () => true, target: '(no target)' },
  { key: 'worker.step_p95_ms_10k', what: 'step reaches the store, p95 (steps back to back, from settled random places)', ok: (v) => v < 16, target: '< 16 ms', sized: true },
  { key: 'worker.step_p95_ms_100k', what: 'step reaches the store, p95, 100k devices (the large first graph\'s page; 40 steps)', ok: () => true, target: '(no target)' },
  { key: 'worker.jump_p95_ms_100k', what: 'a jump to a random step reaches the store, p95, 100k devices (10 jumps)', ok: () => true, target: '(no target)' },
  { key: 'worker.step_after_jump_p95_ms_10k', what: 'a step asked for the moment a jump reached the store, p95 (waits for the jump\'s render)', ok: () => true, target: '(no target)' },
  { key: 'ui.first_graph_ms_default', what: 'first graph, default design', ok: (v) => v < 1000, target: '< 1000 ms' },
  { key: 'ui.first_graph_ms_2000', what: 'first graph, ~2,000 nodes', ok: (v) => v < 1500, target: '< 1500 ms' },
  { key: 'ui.first_graph_ms_100k', what: 'first graph, 100k devices run to their end (median of 3 loads)', ok: () => true, target: '(no target)' },
  { key: 'ui.pan_frame_p95_ms_2000', what: 'pan/zoom frame p95, ~2,000 nodes', ok: (v) => v < 33, target: '< 33 ms' },
  { key: 'ui.layout_ms_2000', what: 'layout, ~2,000 nodes, off the main thread', ok: (v) => v < 300 && results['ui.layout_where'] === 'worker', target: '< 300 ms, in the worker' },
  { key: 'graph.ratio_1200_300', what: 'graph mapping, 4x the devices', ok: (v) => v < 10, target: '< 10x (linear-ish)' },
  { key: 'cli.sim_ms', what: 'npm run sim -- auxiliary --json', ok: (v) => v < 400, target: '< 400 ms' },
  { key: 'bundle.main_gzip_kb', what: 'main chunk gzip', ok: (v) => v <= 150, target: '≤ 150 kB' },
  { key: 'bundle.worker_gzip_kb', what: 'worker first chunk and its static imports, gzip', ok: (v) => v <= 60, target: '≤ 60 kB' },
];

async function main(): Promise<void> {
  const started = performance.now();
  if (only.has('bundle')) bundle();
  if (only.has('graph')) graph();
  if (only.has('cli')) cli();
  if (only.has('ui') || only.has('step')) await ui();
  if (only.has('engine')) {
    await engine();
    await engineBrowser();
  }
  meta.seconds = Math.round((performance.now() - started) / 1000);
  const rows = TARGETS.filter((t) => results[t.key] !== undefined).map((t) => {
    const v = results[t.key] as number;
    // a reduced run cannot meet or miss a target set for the full size: no verdict
    return { ...t, value: v, met: quick && t.sized ? null : t.ok(v) };
  });
  const verdict = (met: boolean | null, no: string) => (met === null ? '(quick)' : met ? 'yes' : no);
  const pad = (s: string, n: number) => s.padEnd(n);
  log('');
  log(`${pad('figure', 34)} ${pad('value', 10)} ${pad('target', 24)} met`);
  for (const r of rows) log(`${pad(r.key, 34)} ${pad(String(r.value), 10)} ${pad(r.target, 24)} ${verdict(r.met, 'NO')}`);
  const sizes = `engine ${SIZES.small.toLocaleString('en')}/${SIZES.large.toLocaleString('en')} devices`;
  log(`(${quick ? 'quick: ' : ''}${sizes}; ${meta.nproc} CPUs, ${meta.memGB} GB; ${meta.seconds} s)`);
  if (flag('markdown')) {
    log('');
    log(`| figure | what | value | target | met |`);
    log(`|---|---|---|---|---|`);
    for (const r of rows) log(`| \`${r.key}\` | ${r.what} | ${r.value} | ${r.target} | ${verdict(r.met, '**no**')} |`);
  }
  if (json) {
    const targets = Object.fromEntries(rows.map((r) => [r.key, { target: r.target, met: r.met }]));
    process.stdout.write(`${JSON.stringify({ ...results, meta, targets })}\n`);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
