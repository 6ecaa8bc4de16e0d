/**
 * Web Worker entry: exposes the (pure) engine to the UI thread through Comlink.
 * Holds one Simulation per slot; errors thrown here reach the caller as rejected
 * promises (Comlink serialises Error objects).
 */
import * as Comlink from 'comlink';
// not the engine's index: it also exports the built-in designs, whose data is a chunk of its own
// here, and time travel's code, which is another (loaded from the start, beside this one)
import { DEFAULT_SCENARIO_ID, SimulationCore as Simulation } from '../engine/simulationCore';
import { validateScenario } from '../engine/scenario/validate';
import type { EngineWire, RunHead, RunInfo, Slot, SnapshotCore, SysfsDir, UiSnapshot, WireRun, WireStep } from './protocol';
import type { UiSnapshots } from './uiSnapshot';
import { EMPTY_INDEX, eventIndex } from './eventIndex';
import type { TraceEvent } from '../engine/index';
import type { BasisIndex } from './delta';
import { BackgroundWork } from './backgroundWork';

const sims = new Map<Slot, Simulation>();
/** time travel's code (engine/trace/timeTravel.ts): a chunk of its own, asked for as the worker starts (its first chunk has a budget) */
const timeTravel = import('../engine/trace/timeTravel');
/** each slot's last layout basis (a new layout when the user expands or collapses a group) */
const bases = new Map<Slot, SnapshotCore | null>();
/**
 * each slot's whole trace as event objects, built only when something reads it whole (the
 * review's event rules, a walkthrough stop's matcher); the UI itself gets pages (`events`)
 */
const allEvents = new Map<Slot, TraceEvent[]>();
/** the review rules and their evaluator, loaded on the first review (a chunk of their own) */
let reviewer: Promise<[typeof import('../engine/review/review'), typeof import('../scenarios/review-rules')]> | null = null;

function eventsOf(slot: Slot): TraceEvent[] {
  const sim = simulation(slot);
  let events = allEvents.get(slot);
  if (!events) allEvents.set(slot, (events = sim.eventsBetween(0, sim.eventCount)));
  return events;
}

/** what the events touched, each distinct touches once with a number for its device (the collapsed groups' reserved rows: layout.ts), without building the events */
const touchesOf = (sim: Simulation) => sim.distinctTouchRows();

/** the run's events of one kind, built one at a time */
function* eventsOfKind(sim: Simulation, kinds: { ids: Uint8Array; names: readonly string[] }, kind: string): Generator<TraceEvent> {
  const id = kinds.names.indexOf(kind);
  if (id < 0) return;
  for (let i = 0; i < kinds.ids.length; i++) if (kinds.ids[i] === id) yield sim.eventsBetween(i, i + 1)[0]!;
}

/** Simulation.summary() without its events (which it would build, every one) */
function head(sim: Simulation): RunHead {
  const s = sim.scenario;
  return { id: s?.id ?? '(invalid)', title: s?.title ?? '(invalid scenario)', source: s?.source ?? '', errors: sim.errors, eventCount: sim.eventCount };
}

const invalidInfo = (summary: RunHead): RunInfo => ({
  summary, index: EMPTY_INDEX, storyStep: null, scenario: null, variant: null, actionStarts: [], layoutBasis: null, moduleChanges: null, layout: null,
});
/** the import chunk, once a first import asked for it */
let importer: Promise<typeof import('./importFiles')> | null = null;

/** the paged views' code (worker/lists.ts): a chunk of its own, loaded when a tab first asks */
let listsCode: Promise<typeof import('./lists')['calls']> | null = null;
const lists = () => (listsCode ??= import('./lists').then((m) => m.calls));
/** per slot: the run's snapshots as the UI gets them (uiSnapshot.ts), and the sysfs listing last read, with its step */
const views = new Map<Slot, UiSnapshots>();
const listings = new Map<Slot, { step: number; listing: string[] }>();

/** the snapshots' code (uiSnapshot.ts and its line index): a chunk of its own, loaded with the first run's layout code (the worker's first chunk has a budget) */
let snapshotsCode: Promise<typeof import('./uiSnapshot')> | null = null;
const snapshots = () => (snapshotsCode ??= import('./uiSnapshot'));

async function viewsOf(slot: Slot): Promise<UiSnapshots> {
  const { UiSnapshots } = await snapshots();
  const sim = simulation(slot);
  let v = views.get(slot);
  if (!v || v.sim !== sim) views.set(slot, (v = new UiSnapshots(sim)));
  return v;
}

/** the step's sorted sysfs listing: built by the engine when read (only the /sys browser reads it), kept for the next directory asked at the same step */
function listingAt(slot: Slot, step: number): string[] {
  const sim = simulation(slot);
  const at = Math.max(-1, Math.min(step, sim.lastStep));
  const kept = listings.get(slot);
  if (kept && kept.step === at) return kept.listing;
  const listing = sim.stateAt(at).sysfs;
  listings.set(slot, { step: at, listing });
  return listing;
}

/** the uevent file of each device directory among `dirs` (at the step the listing is of), on its `uevent` entry: the /sys browser's `cat` */
function withUeventFiles(dirs: SysfsDir[], step: number, slot: Slot): SysfsDir[] {
  const sim = simulation(slot);
  for (const d of dirs) {
    const file = d.entries.find((e) => e.name === 'uevent' && e.kind === 'file');
    if (!file || !d.path.startsWith('/sys/devices/')) continue;
    const lines = sim.ueventFile(step, d.path.slice('/sys'.length));
    if (lines) file.content = lines.join('\n');
  }
  return dirs;
}

/** the last snapshots sent per slot, by id (the UI holds as many: engineClient.ts HELD) */
const SENT_KEPT = 4;
const sent = new Map<Slot, Map<number, UiSnapshot>>();
let nextId = 1;

/** the snapshot differ (delta.ts): a chunk of its own, loaded with the first run's layout code (the worker's first chunk has a budget) */
let deltaCode: Promise<typeof import('./delta')> | null = null;
const deltas = () => (deltaCode ??= import('./delta'));

/** the token naming each slot's layout basis (`bases`) as the last run's answer sent it, and the basis's index for the differ (made on first use) */
const sentBasis = new Map<Slot, { token: string; index: BasisIndex | null }>();
let basisTokens = 0;

async function snapshotDelta(step: number, slot: Slot, held: number[], basisToken: string | null = null): Promise<WireStep> {
  const { basisIndex, deltaRecords, diffSnapshot } = await deltas();
  const slotViews = await viewsOf(slot);
  const t0 = performance.now();
  const sim = simulation(slot);
  const snap = slotViews.of(sim.stateAt(step));
  const t1 = performance.now();
  const mine = sent.get(slot) ?? new Map<number, UiSnapshot>();
  sent.set(slot, mine);
  const base = held.filter((id) => mine.has(id)).sort((a, b) => b - a)[0] ?? null;
  const id = nextId++;
  const b = sentBasis.get(slot);
  const lists = bases.get(slot);
  const basis = b && lists && basisToken === b.token ? { lists, index: (b.index ??= basisIndex(lists)) } : null;
  const delta = diffSnapshot(base === null ? null : mine.get(base)!, base, snap, id, basis);
  mine.set(id, snap);
  for (const old of [...mine.keys()].sort((a, b) => a - b).slice(0, Math.max(0, mine.size - SENT_KEPT))) mine.delete(old);
  delta.stats = { stateMs: t1 - t0, diffMs: performance.now() - t1, records: deltaRecords(delta) };
  return { delta, event: step >= 0 ? (sim.eventsBetween(step, step + 1)[0] ?? null) : null };
}

function simulation(slot: Slot): Simulation {
  const sim = sims.get(slot);
  if (!sim) throw new Error(`no scenario has been run yet (${slot})`);
  return sim;
}

async function runInfo(sim: Simulation, slot: Slot): Promise<RunInfo> {
  const summary = head(sim);
  bases.set(slot, null);
  sentBasis.delete(slot);
  allEvents.delete(slot);
  views.delete(slot);
  listings.delete(slot);
  if (!sim.scenario) return invalidInfo(summary);
  // the layout's code (the union of the steps, the layout) and the variants are chunks of their
  // own, loaded on the first run (the worker's first chunk has a budget)
  const [{ layoutSteps, moduleChanges, unionSnapshot }, { computeLayout }, { currentVariant }, { storyStep }] = await Promise.all([import('./union'), import('./layout'), variants(), import('../ui/firstScreen'), deltas(), snapshots()]);
  const kinds = sim.eventKinds();
  const steps = layoutSteps((i) => kinds.names[kinds.ids[i]!]!, sim.lastStep);
  const snaps = steps.map((i) => sim.stateAt(i));
  // records only (unionSnapshot reads no long list: no sysfs listing is built for the layout)
  const layoutBasis = unionSnapshot(snaps);
  bases.set(slot, layoutBasis);
  const focus = sim.scenario.focusModule;
  const story = focus ? storyStep(eventsOfKind(sim, kinds, 'uevent'), layoutBasis?.modules.find((m) => m.name === focus)) : null;
  // the boot stages: depth-0 phase events (few)
  const index = eventIndex(kinds, (i) => sim.topLevelText(i));
  const info: RunInfo = {
    summary,
    index,
    storyStep: story,
    scenario: sim.scenario,
    variant: currentVariant(sim.scenario),
    actionStarts: sim.actionStarts,
    layoutBasis,
    layout: layoutBasis ? computeLayout(layoutBasis, [], touchesOf(sim), true) : null,
    // exact only when every step was looked at
    moduleChanges: steps.length === sim.lastStep + 1 ? moduleChanges(snaps, steps) : null,
  };
  return info;
}

/** patches walked per slice of a run's checkpoints (~10 ms at 100k devices): a request waits for one slice at most */
const PREPARE_SLICE = 4096;
/**
 * how long after answering a run the slices start: the UI thread is taking the answer in then
 * (at 100k devices ~2 s of deserializing, collecting and drawing), and on a 2-CPU machine a
 * worker walking beside it made that ~0.4 s slower; a jump before the slices start makes the
 * checkpoints it walks past itself
 */
const PREPARE_DELAY_MS = 1500;
/**
 * how long the worker must have had no request before a slice runs: a user stepping through a
 * run (a key held down, clicks) asks again within this, so no slice makes a step wait
 */
const QUIET_MS = 300;
const background = new BackgroundWork(QUIET_MS);

/**
 * The run's time-travel checkpoints (Simulation.prepareTimeTravel), made in slices while the
 * worker is quiet, once the run has answered: its answer needed only the last steps (loaded from
 * the run, not walked to), and a jump far back before they exist would walk from the nearest one
 * there is. Stops when a later run replaces the simulation; starts PREPARE_DELAY_MS after the answer.
 */
function prepareInBackground(sim: Simulation): void {
  background.start(() => sim.prepareTimeTravel(PREPARE_SLICE), () => [...sims.values()].includes(sim), PREPARE_DELAY_MS);
}

/** scenarios arrive as JSON text (any nesting survives the post) */
function parse(json: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(json) as unknown };
  } catch (e) {
    return { ok: false, message: `the scenario is not JSON: ${(e as Error).message.slice(0, 200)}` };
  }
}

/** the built-in designs' data, loaded on the first request for it (a chunk of its own) */
let builtinsCode: Promise<typeof import('../engine/builtins')> | null = null;
const builtins = () => (builtinsCode ??= import('../engine/builtins'));
/** the firmware toggles' transform (the designs' data uses it too: it loads with them, not in the worker's first chunk) */
let variantsCode: Promise<typeof import('../scenarios/variants')> | null = null;
const variants = () => (variantsCode ??= import('../scenarios/variants'));

const api: EngineWire = {
  listBuiltins: async () => (await builtins()).listBuiltins(),
  defaultScenarioId: () => DEFAULT_SCENARIO_ID,
  listDesigns: async () => {
    const suffixes = (await variants()).STANDARD_VARIANTS.map(([suffix]) => `-${suffix}`);
    return (await builtins()).listBuiltins().filter((b) => !suffixes.some((x) => b.id.endsWith(x)));
  },
  getScenario: async (id) => (await builtins()).getBuiltinScenario(id),
  defaultVariant: async (id) => (await variants()).currentVariant((await builtins()).getBuiltinScenario(id)),
  builtinWithVariant: async (id, variant) => (await variants()).applyVariant((await builtins()).getBuiltinScenario(id), variant),
  async run(json, slot = 'main') {
    const p = parse(json);
    if (!p.ok) return { info: invalidInfo({ id: '(invalid)', title: '(invalid scenario)', source: '', errors: [{ path: '(root)', message: p.message }], eventCount: 0 }), last: null, scenarioAsSent: false, basisToken: null };
    const sim = new Simulation(p.value, {}, await timeTravel);
    sims.set(slot, sim);
    const info = await runInfo(sim, slot);
    if (!sim.scenario) return { info, last: null, scenarioAsSent: false, basisToken: null };
    const last = { step: sim.lastStep, ...(await snapshotDelta(sim.lastStep, slot, [])) };
    const asSent = sim.scenario === p.value;
    // a token no other worker gives (one restarted replays the run: its basis is its own)
    const basisToken = info.layoutBasis ? `${Date.now().toString(36)}.${Math.random().toString(36).slice(2)}.${++basisTokens}` : null;
    if (basisToken) sentBasis.set(slot, { token: basisToken, index: null });
    prepareInBackground(sim);
    const answer: WireRun = { info: asSent ? { ...info, scenario: null } : info, last, scenarioAsSent: asSent, basisToken };
    // the kind column moves to the UI thread rather than being copied (an invalid run's is the shared empty one)
    return Comlink.transfer(answer, [info.index.kinds.buffer]);
  },
  async layout(expanded, slot = 'main') {
    const basis = bases.get(slot);
    if (!basis) return null;
    const { computeLayout } = await import('./layout');
    return computeLayout(basis, expanded, touchesOf(simulation(slot)), true);
  },
  // shape and reference problems together (validateAll.ts); the scenario arrives as JSON text
  // the editor's check: its code is a chunk of its own, loaded by the first check
  validate: async (json) => {
    const p = parse(json);
    if (!p.ok) return [{ path: '(root)', message: p.message }];
    return (await import('./validateAll')).validateAll(p.value);
  },
  snapshotDelta,
  events: (from, to, slot = 'main') => simulation(slot).eventsBetween(from, to),
  // the long lists' calls: their code is a chunk of its own (lists.ts), loaded on first use
  lines: async (list, from, to, step, slot = 'main') => (await lists()).lines(await viewsOf(slot), list, from, to, step),
  uevents: async (from, to, step, slot = 'main') => (await lists()).uevents(await viewsOf(slot), from, to, step),
  latestUevent: async (step, devpaths, slot = 'main') => (await lists()).latestUevent(await viewsOf(slot), step, devpaths),
  sysfsDirs: async (step, dirs, slot = 'main') => withUeventFiles((await lists()).sysfsDirs(listingAt(slot, step), dirs), step, slot),
  async findings(step, slot = 'main') {
    const [{ review }, { REVIEW_RULES }] = await (reviewer ??= Promise.all([import('../engine/review/review'), import('../scenarios/review-rules')]));
    const sim = simulation(slot);
    if (!sim.scenario) return [];
    return review(sim.stateAt(step), eventsOf(slot), REVIEW_RULES, step + 1);
  },
  // presenting only: the stop resolver is a chunk of its own, loaded by the first stop
  resolveStop: async (stop, slot = 'main') => (await import('../engine/scenario/walkthrough')).resolveStop(stop, eventsOf(slot)),
  explain: (step, devpath, slot = 'main') => simulation(slot).explain(step, devpath),
  ueventFile: (step, devpath, slot = 'main') => simulation(slot).ueventFile(step, devpath),
  withAction: (action, step, slot = 'main') => simulation(slot).withAction(action, step),
  // the importers (a DTS parser, the machine capture readers) load on the first import: their
  // own chunk; until then no run is of an imported machine, so the report needs no loading
  importFiles: async (files) => (await (importer ??= import('./importFiles'))).importFiles(files),
  machineReport: async () => (importer ? (await importer).machineReport(sims.get('main')) : null),
};

// every request is watched: the background slices wait while requests keep coming
Comlink.expose(background.watch(api));
