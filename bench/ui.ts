/**
 * The browser part of the benchmark (bench/run.ts calls it): the production build served by
 * `vite preview` on a port of its own, headless system Chromium through Playwright, 1280×720.
 *
 * - first graph: from navigation start to the first animation frame where the status says
 *   ready and graph nodes are on screen (visible, laid out), for the default design and for
 *   the generated scenario (`?bench=N`, bench/scenario.ts) sized to ~2,000 graph nodes;
 * - layout: the `bindscope:layout` measures the page records (main thread, DeviceGraph.tsx)
 *   and the worker's own layout time (RunInfo.layoutMs) when the layout runs there;
 * - pan/zoom: requestAnimationFrame timestamps in the page while the mouse drags the graph
 *   and the wheel zooms it: the frame intervals' p95;
 * - step (`?bench=N` at 10k devices): from the store request (stepBy) to the store holding
 *   the new snapshot (a store subscription sees it). Each sample jumps to a random place, lets
 *   the jump settle (two frames and an idle period: its render, effects and the event pages it
 *   asks for), then takes STEP_RUN steps back to back in one direction, each asked for when the
 *   one before reached the store (a presenter holding an arrow key: each step waits for the
 *   render of the one before). Also, apart: the step asked for the moment the jump reached the
 *   store (`afterJump`: it waits for the jump's own render and page fetches), and the jumps.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chromium, type Browser, type Page } from '@playwright/test';
import { quantile, median } from './stats';

export interface UiOptions {
  port: number;
  /** devices of the ~2,000-node scenario */
  graphN: number;
  /** devices of the step measurement */
  stepN: number;
  /** devices of the large first graph (`?bench=N`, a median of BIG_FIRST_GRAPHS loads: a machine's worth of devices, run to its end); 0: not measured */
  bigN: number;
  stepSamples: number;
  repeats: number;
  /** only the step measurement (`npm run bench -- --only step`): the other figures are NaN */
  stepsOnly?: boolean;
  log: (line: string) => void;
}

export interface UiResult {
  firstGraphDefault: number;
  firstGraphBench: number;
  /** navigation → first graph at `?bench=bigN` (NaN when not measured), and how many events that run recorded */
  firstGraphBig: number;
  bigEvents: number;
  /** on that page: steps back to back from settled random places (p95), and the jumps to those places (p95, median); NaN when not measured */
  bigStepP95: number;
  bigJumpP95: number;
  bigJumpMedian: number;
  graphNodes: number;
  layoutMs: number;
  layoutWhere: 'main' | 'worker' | 'none';
  layoutMainMs: number;
  longestMainTaskMs: number;
  panFrameP95: number;
  panFrameMedian: number;
  panFrames: number;
  stepP95: number;
  stepMedian: number;
  /** the step asked for the moment a jump reached the store (it waits for the jump's render) */
  afterJumpP95: number;
  afterJumpMedian: number;
  jumpP95: number;
  stepSamples: number;
  stepDevices: number;
  /** the step samples split into the worker's and the UI thread's parts (null: the page reported none) */
  stepSplit: StepSplit | null;
}

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** the system Chromium, headless, as every bench part that needs a browser launches it */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'] });
}

async function waitForServer(url: string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`vite preview did not answer at ${url} within ${ms / 1000} s`);
}

export async function startPreview(port: number): Promise<ChildProcess> {
  const child = spawn('npx', ['vite', 'preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let err = '';
  child.stderr!.on('data', (d) => (err += String(d)));
  try {
    await waitForServer(`http://127.0.0.1:${port}/`, 30_000);
  } catch (e) {
    stopPreview(child);
    throw new Error(`${(e as Error).message}\n${err}`);
  }
  return child;
}

export function stopPreview(child: ChildProcess): void {
  try {
    if (child.pid) process.kill(-child.pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

/** installed before any page script: records when the graph first shows, and long tasks */
const PAGE_PROBE = () => {
  const w = window as unknown as { __bench: { firstGraph: number | null; longTasks: number[] } };
  w.__bench = { firstGraph: null, longTasks: [] };
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__bench.longTasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // no long task API
  }
  const poll = () => {
    const status = document.querySelector('[data-testid="status"]')?.textContent;
    const node = document.querySelector('.react-flow__node');
    if (status === 'ready' && node && getComputedStyle(node).visibility !== 'hidden' && node.getBoundingClientRect().width > 0) {
      // the frame after: the nodes have been painted
      requestAnimationFrame(() => (w.__bench.firstGraph = performance.now()));
      return;
    }
    requestAnimationFrame(poll);
  };
  requestAnimationFrame(poll);
};

const pageErrors: string[] = [];

async function open(browser: Browser, url: string, timeoutMs: number): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  page.on('pageerror', (e) => pageErrors.push(`${url}: ${e.message}`));
  // tsx compiles this file with esbuild's keepNames: functions sent to the page call __name
  await page.addInitScript('globalThis.__name = (f) => f;');
  await page.addInitScript(PAGE_PROBE);
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { __bench: { firstGraph: number | null } }).__bench.firstGraph !== null, null, { timeout: timeoutMs, polling: 50 });
  return page;
}

const firstGraph = (page: Page) => page.evaluate(() => (window as unknown as { __bench: { firstGraph: number } }).__bench.firstGraph);

async function layoutOf(page: Page): Promise<{ main: number; worker: number | null; nodes: number; longest: number }> {
  return page.evaluate(() => {
    const w = window as unknown as { __bench: { longTasks: number[] }; __bindscope?: { store: { getState(): { run: { layout?: { ms: number; places: unknown[] } | null } | null } } } };
    const m = performance.getEntriesByName('bindscope:layout') as PerformanceMeasure[];
    const main = m.length ? Math.max(...m.map((e) => e.duration)) : 0;
    const nodes = m.length ? Math.max(...m.map((e) => (e.detail as { nodes: number }).nodes)) : 0;
    const run = w.__bindscope?.store.getState().run;
    const worker = run?.layout && !m.length ? run.layout : null;
    return { main, worker: worker?.ms ?? null, nodes: worker?.places.length ?? nodes, longest: Math.max(0, ...w.__bench.longTasks) };
  });
}

/** drags the pane and turns the wheel over it while the page records frame timestamps */
async function panZoom(page: Page): Promise<number[]> {
  const box = (await page.locator('.react-flow__pane').boundingBox())!;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __framesOn: boolean };
    w.__frames = [];
    w.__framesOn = true;
    const tick = (t: number) => {
      w.__frames.push(t);
      if (w.__framesOn) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  for (let round = 0; round < 2; round++) {
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    for (let i = 1; i <= 40; i++) {
      await page.mouse.move(cx + Math.sin(i / 6) * 200, cy + Math.cos(i / 6) * 120);
      await page.waitForTimeout(16);
    }
    await page.mouse.up();
    for (let i = 0; i < 12; i++) {
      await page.mouse.wheel(0, i < 6 ? -120 : 120);
      await page.waitForTimeout(30);
    }
  }
  return page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __framesOn: boolean };
    w.__framesOn = false;
    return w.__frames.slice(1).map((t, i) => t - w.__frames[i]!);
  });
}

/** what one step cost, split (each field a median and a p95 over the step samples, ms; bytes: the delta's JSON) */
export interface StepSplit {
  /** the engine's stateAt in the worker */
  stateMs: [number, number];
  /** the worker's diff against the snapshot the UI holds */
  diffMs: [number, number];
  /** stateAt + diff: the worker's whole part */
  workerMs: [number, number];
  /** the call's round trip minus the worker's part: the messages both ways (structured clone), and waiting for the UI thread */
  messageMs: [number, number];
  /** the delta applied to the held snapshot (engineClient.ts) */
  applyMs: [number, number];
  /** from the snapshot built to the store holding it (the store update and what reacts to it synchronously) */
  storeMs: [number, number];
  /** the UI thread's part: everything but the worker's */
  uiMs: [number, number];
  bytes: number;
  records: number;
}

/** steps through the store; each sample from the request to the store holding that step's snapshot */
async function steps(page: Page, samples: number): Promise<{ step: number[]; afterJump: number[]; jump: number[]; devices: number; split: StepSplit | null }> {
  return page.evaluate(async ({ samples, run }) => {
    type S = { step: number; snapshot: { step: number; devices: unknown[] } | null; summary: { eventCount: number }; goToStep(n: number): Promise<void>; stepBy(n: number): Promise<void> };
    type Stat = { stateMs: number; diffMs: number; records: number; roundTripMs: number; applyMs: number; delta: { step: number } };
    const w = window as unknown as { __bindscope: { store: { getState(): S; subscribe(f: (s: S) => void): () => void } }; __bindscopeStepStats?: Stat[] };
    const store = w.__bindscope.store;
    // engineClient.ts pushes each step's costs here while it exists
    const stats: Stat[] = (w.__bindscopeStepStats = []);
    const last = store.getState().summary.eventCount - 1;
    let seed = 4242;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff) / 0x7fffffff);
    const timed = async (go: () => Promise<void>, want: number) => {
      let at = 0;
      const from = stats.length;
      const t0 = performance.now();
      const off = store.subscribe((s) => {
        if (!at && s.step === want && s.snapshot?.step === want) at = performance.now();
      });
      await go();
      off();
      if (!at) throw new Error(`the store never held step ${want}`);
      const stat = stats.slice(from).find((x) => x.delta.step === want) ?? null;
      return { ms: at - t0, stat };
    };
    // the page has rendered what it was given and done what that asked for
    const settled = () => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => requestIdleCallback(() => r(), { timeout: 1000 }))));
    const step: number[] = [];
    const afterJump: number[] = [];
    const jump: number[] = [];
    const split: { total: number; stat: Stat }[] = [];
    for (let i = 0; i < samples; i++) {
      const d = i % 2 ? -1 : 1;
      let p = run + 1 + Math.floor(rnd() * (last - 2 * run - 2));
      jump.push((await timed(() => store.getState().goToStep(p), p)).ms);
      afterJump.push((await timed(() => store.getState().stepBy(d), (p += d))).ms);
      await settled();
      for (let k = 0; k < run; k++) {
        const s = await timed(() => store.getState().stepBy(d), (p += d));
        step.push(s.ms);
        if (s.stat) split.push({ total: s.ms, stat: s.stat });
      }
    }
    w.__bindscopeStepStats = undefined;
    const q = (xs: number[], p: number) => {
      const s = [...xs].sort((a, b) => a - b);
      return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!;
    };
    const both = (xs: number[]): [number, number] => [q(xs, 0.5), q(xs, 0.95)];
    const worker = (x: Stat) => x.stateMs + x.diffMs;
    return {
      step,
      afterJump,
      jump,
      devices: store.getState().snapshot?.devices.length ?? 0,
      split: split.length
        ? {
            stateMs: both(split.map((x) => x.stat.stateMs)),
            diffMs: both(split.map((x) => x.stat.diffMs)),
            workerMs: both(split.map((x) => worker(x.stat))),
            messageMs: both(split.map((x) => x.stat.roundTripMs - worker(x.stat))),
            applyMs: both(split.map((x) => x.stat.applyMs)),
            storeMs: both(split.map((x) => x.total - x.stat.roundTripMs - x.stat.applyMs)),
            uiMs: both(split.map((x) => x.total - worker(x.stat))),
            // sized after the timing (a JSON.stringify inside a step would be timed)
            bytes: q(split.map((x) => JSON.stringify(x.stat.delta).length), 0.5),
            records: q(split.map((x) => x.stat.records), 0.5),
          }
        : null,
    };
  }, { samples, run: STEP_RUN });
}

/** steps taken back to back after each jump has settled */
const STEP_RUN = 4;
/** random places (jumps) stepped from on the large first graph's page (each jump there moves tens of thousands of records) */
const BIG_STEP_SAMPLES = 10;
/** loads of the large first graph, their median the figure */
const BIG_FIRST_GRAPHS = 3;

export async function measureUi(o: UiOptions): Promise<UiResult> {
  const base = `http://127.0.0.1:${o.port}/`;
  const browser = await launchChromium();
  try {
    const defaults: number[] = [];
    for (let r = 0; r < (o.stepsOnly ? 0 : o.repeats); r++) {
      const page = await open(browser, base, 30_000);
      defaults.push(await firstGraph(page));
      await page.close();
    }
    if (!o.stepsOnly) o.log(`  first graph (default design): ${defaults.map((x) => x.toFixed(0)).join(', ')} ms`);
    const benchTimes: number[] = [];
    let lay = { main: 0, worker: null as number | null, nodes: 0, longest: 0 };
    let frames: number[] = [];
    for (let r = 0; r < (o.stepsOnly ? 0 : o.repeats); r++) {
      const page = await open(browser, `${base}?bench=${o.graphN}`, 120_000);
      benchTimes.push(await firstGraph(page));
      if (r === o.repeats - 1) {
        lay = await layoutOf(page);
        await page.waitForTimeout(500);
        frames = await panZoom(page);
      }
      await page.close();
    }
    if (!o.stepsOnly) o.log(`  first graph (?bench=${o.graphN}, ${lay.nodes} nodes): ${benchTimes.map((x) => x.toFixed(0)).join(', ')} ms; layout main ${lay.main.toFixed(0)} ms, worker ${lay.worker?.toFixed(0) ?? '-'} ms`);
    let firstGraphBig = NaN;
    let bigEvents = 0;
    let bigSteps: Awaited<ReturnType<typeof steps>> | null = null;
    if (!o.stepsOnly && o.bigN > 0) {
      // a median of BIG_FIRST_GRAPHS loads: one moved by ±15% with the hour (twenty-second session); the last page is stepped through
      const bigTimes: number[] = [];
      let big: Page | null = null;
      for (let r = 0; r < BIG_FIRST_GRAPHS; r++) {
        await big?.close();
        big = await open(browser, `${base}?bench=${o.bigN}`, 300_000);
        bigTimes.push(await firstGraph(big));
      }
      firstGraphBig = median(bigTimes);
      // the timeline's position reads "last/last" at the end of the run: a run stopped by its budget is short of the scenario
      bigEvents = await big!.evaluate(() => Number(document.querySelector('[data-testid="step-label"]')?.textContent?.split('/')[1] ?? 0));
      o.log(`  first graph (?bench=${o.bigN}, ${bigEvents.toLocaleString('en')} events): ${bigTimes.map((x) => x.toFixed(0)).join(', ')} ms`);
      // the same steps and jumps as at stepN, fewer of them: a machine's worth of devices, stepped through
      bigSteps = await steps(big!, BIG_STEP_SAMPLES);
      await big!.close();
      o.log(`  steps at ${bigSteps.devices} devices (${bigSteps.step.length}, from ${bigSteps.jump.length} random places): median ${median(bigSteps.step).toFixed(1)} ms, p95 ${quantile(bigSteps.step, 0.95).toFixed(1)} ms; jumps median ${median(bigSteps.jump).toFixed(0)} ms, p95 ${quantile(bigSteps.jump, 0.95).toFixed(0)} ms`);
    }
    const page = await open(browser, `${base}?bench=${o.stepN}`, 300_000);
    const st = await steps(page, o.stepSamples);
    await page.close();
    o.log(`  steps at ${st.devices} devices (${st.step.length}, ${STEP_RUN} back to back from each of ${st.jump.length} random places): median ${median(st.step).toFixed(1)} ms, p95 ${quantile(st.step, 0.95).toFixed(1)} ms; a step the moment a jump reached the store: median ${median(st.afterJump).toFixed(1)} ms, p95 ${quantile(st.afterJump, 0.95).toFixed(1)} ms; jumps p95 ${quantile(st.jump, 0.95).toFixed(1)} ms`);
    const sp = st.split;
    if (sp) {
      const f = ([m, p]: [number, number]) => `${m.toFixed(1)}/${p.toFixed(1)}`;
      o.log(`    split (median/p95 ms): worker ${f(sp.workerMs)} (stateAt ${f(sp.stateMs)}, diff ${f(sp.diffMs)}); UI thread ${f(sp.uiMs)} (messages ${f(sp.messageMs)}, apply ${f(sp.applyMs)}, store ${f(sp.storeMs)}); delta ${sp.bytes} bytes, ${sp.records} records`);
    }
    return {
      firstGraphDefault: median(defaults),
      firstGraphBench: median(benchTimes),
      firstGraphBig,
      bigEvents,
      bigStepP95: bigSteps ? quantile(bigSteps.step, 0.95) : NaN,
      bigJumpP95: bigSteps ? quantile(bigSteps.jump, 0.95) : NaN,
      bigJumpMedian: bigSteps ? median(bigSteps.jump) : NaN,
      graphNodes: lay.nodes,
      layoutMs: lay.worker ?? lay.main,
      layoutWhere: lay.worker !== null ? 'worker' : lay.main ? 'main' : 'none',
      layoutMainMs: lay.main,
      longestMainTaskMs: lay.longest,
      panFrameP95: quantile(frames, 0.95),
      panFrameMedian: median(frames),
      panFrames: frames.length,
      stepP95: quantile(st.step, 0.95),
      stepMedian: median(st.step),
      afterJumpP95: quantile(st.afterJump, 0.95),
      afterJumpMedian: median(st.afterJump),
      jumpP95: quantile(st.jump, 0.95),
      stepSamples: st.step.length,
      stepDevices: st.devices,
      stepSplit: st.split,
    };
  } finally {
    await browser.close();
    if (pageErrors.length) throw new Error(`errors in the page: ${pageErrors.join('; ')}`);
  }
}
