/**
 * View state (zustand). The engine's results (RunInfo, Snapshot, MatchInfo) are held as
 * they came from the worker; the store adds only what the view needs: which design and
 * firmware, which step, what is selected/open, the editor's text, and a status line.
 * No engine logic lives here: every question goes to the worker.
 */
import { createContext, useContext } from 'react';
import { createStore, useStore } from 'zustand';
import type { BuiltinInfo, MatchInfo, ScenarioError, TraceEvent, UeventRecord, UserAction, Variant } from '../engine/index';
import type {
  DroppedFile, EventIndex, Finding, FirmwareVariant, LineList, MachineReport, RunHead, RunInfo, RunLayout, Slot, SysfsDir, UiSnapshot as Snapshot,
} from '../worker/protocol';
import { nextOfKind } from '../worker/eventIndex';
import { EngineRestartError, type EngineClient } from './engineClient';
import type { Span } from './editor/jsonSpans';
import { NO_PAGES, PAGE, missingPages, pageRuns, pagesFor, withPages, type Pages } from './pages';
import { openDirs, shownOf, DIR_MORE } from './views/sysfsView';
import { nodeId } from './graph/toFlow';
import { EMPTY_LINK, runKey, type DecodedLink, type LinkView } from './link';
import type { Walkthrough } from '../engine/scenario/walkthrough';

export type Status = 'idle' | 'loading' | 'ready' | 'error';
export type Mode = 'explore' | 'compare' | 'edit';
export type BottomTab = 'events' | 'uevents' | 'dmesg' | 'lsmod' | 'sysfs' | 'review' | 'machine';
/** what "play to the next …" stops at */
export type PlayTarget = 'uevent' | 'bind' | 'module';
export const PLAY_SPEEDS = [0.5, 1, 2, 4] as const;
/** ms per step at 1× */
export const PLAY_INTERVAL_MS = 700;

/**
 * The next step after `step` that "play to the next …" stops at: a uevent, a driver bound
 * to a device, or a module whose state changes (loaded, built in, failed: from the run's
 * module state changes). Null when none is left in the run.
 */
export function nextStop(
  index: EventIndex,
  step: number,
  target: PlayTarget,
  changes: { step: number; state: string }[] | null,
): number | null {
  if (target === 'module') {
    const c = (changes ?? []).filter((x) => x.step > step && x.state !== 'not-loaded' && x.state !== 'loading').map((x) => x.step);
    return c.length ? Math.min(...c) : null;
  }
  return nextOfKind(index, step, target);
}

/** the long lists the bottom panel pages (pages.ts): the trace's events, the monitor's and dmesg's lines */
export type PagedList = 'events' | LineList;
export interface ListPages {
  events: Pages<TraceEvent>;
  monitor: Pages<string>;
  dmesg: Pages<string>;
}
const NO_LIST_PAGES: ListPages = { events: NO_PAGES, monitor: NO_PAGES, dmesg: NO_PAGES };

/** rows a paged list has at the step on screen */
export function rowCount(list: PagedList, summary: RunHead, snapshot: Snapshot): number {
  if (list === 'events') return summary.eventCount;
  return list === 'monitor' ? snapshot.counts.monitorLines : snapshot.counts.log;
}

/** the sysfs directories the /sys browser has from the worker, for one step of one run (shown only at that step) */
export interface SysfsView {
  run: RunInfo;
  step: number;
  dirs: ReadonlyMap<string, SysfsDir>;
}

export interface EditorProblem extends ScenarioError {
  span: Span | null;
}

export interface EditorState {
  text: string;
  /** 'pending' while the debounce runs or the worker answers */
  state: 'idle' | 'pending' | 'valid' | 'invalid';
  problems: EditorProblem[];
}

export interface CompareState {
  designId: string | null;
  /** the firmware toggles the compare run was made with (the main run's, at the time) */
  variant: FirmwareVariant | null;
  run: RunInfo | null;
  step: number;
  snapshot: Snapshot | null;
  /** the event at `step` (null before the first) */
  event: TraceEvent | null;
  /** the review rules' findings at `step` (null until the worker answered) */
  findings: Finding[] | null;
}

/** How compare mode is laid out (view state only: nothing re-runs). */
export interface CompareView {
  /** the difference table is shown (default: it is the one-slide answer) */
  table: boolean;
  /** the graphs: each service's device, what hangs under it and its module; or the whole designs */
  graphs: 'services' | 'all';
  /** the table shows rows identical in A and B (default: folded into one line per service) */
  sameRows: boolean;
}

/** The event panel under the graph: open or folded to its tab bar, and its height (px). Kept in localStorage. */
export interface BottomPanelState {
  open: boolean;
  height: number;
}

export const BOTTOM_PANEL = { min: 64, max: 600, initial: 112 } as const;

export interface ViewState {
  builtins: BuiltinInfo[];
  /** designs in their default form: what the design switcher lists */
  designs: BuiltinInfo[];
  /** the built-in design shown (null: a scenario from the editor) */
  designId: string | null;
  /** id of the scenario that ran (the design's, or the editor's) */
  scenarioId: string | null;
  /** firmware toggles of the run (applied to the design on the next switch too) */
  variant: FirmwareVariant | null;
  /** the shown design's own toggles, as it ships: the toolbar marks what differs from them */
  designVariant: FirmwareVariant | null;
  run: RunInfo | null;
  /** the run's summary: the events stay in the worker (pages.events holds the few shown) */
  summary: RunHead | null;
  /** user actions added on top of the design (each forks the timeline) */
  userActions: UserAction[];
  /** index of the last applied event (-1 = before anything) */
  step: number;
  snapshot: Snapshot | null;
  /** the event at `step`, with its snapshot (null before the first event) */
  event: TraceEvent | null;
  /** pages of the run's long lists the bottom panel shows (pages.ts), fetched by loadRows */
  pages: ListPages;
  /** the /sys browser's directories at a step (fetched while the tab is open: the worker builds the listing only then) */
  sysfsView: SysfsView | null;
  /** the /sys directories the user opened (true) or closed (false), over views/sysfsView.ts's defaults */
  sysfsToggles: ReadonlyMap<string, boolean>;
  /** directories the user asked to show more entries of: how many */
  sysfsLimits: ReadonlyMap<string, number>;
  /** the review rules' findings at `step`, fetched while the Review tab or compare mode shows them (null until then) */
  findings: Finding[] | null;
  /** React Flow node id of the selected node (see graph/toFlow.ts nodeId) */
  selected: string | null;
  /**
   * The collapsed groups of the graph the user expanded (keys of graph/collapse.ts groups);
   * view state only, kept while the same design re-runs
   */
  expandedGroups: string[];
  /** the worker's layout for expandedGroups (null: the run's own, RunInfo.layout); the graph uses the groups it was made for */
  groupLayout: RunLayout | null;
  /** the worker's match decisions for the selected device at the current step */
  explain: MatchInfo[] | null;
  /** the selected device's uevent file at the current step (null: not fetched yet, or none selected) */
  selectedUevent: string[] | null;
  status: Status;
  /** human-readable error or notice; shown whenever non-null */
  message: string | null;
  mode: Mode;
  bottomTab: BottomTab;
  bottomPanel: BottomPanelState;
  playing: boolean;
  /** steps per 700 ms while playing */
  playSpeed: number;
  /** playing stops at this step (play to the next uevent, bind, module load) */
  playStop: number | null;
  /** the graph pans to what the current event touched */
  follow: boolean;
  compare: CompareState;
  compareView: CompareView;
  editor: EditorState;
  /** presentation mode: the walkthrough played and its stop (null: not presenting) */
  presentation: PresentationState | null;
  /** the built-in walkthroughs (scenarios/walkthroughs.ts), loaded while the engine starts: empty until then */
  walkthroughs: readonly Walkthrough[];
  /** the run of an imported machine against what the machine reported (null: the run is not of an import) */
  machineReport: MachineReport | null;
}

export interface PresentationState {
  walk: Walkthrough;
  /** the stop shown (0-based); set at once on a key press, the run follows */
  stop: number;
  /** the stop's run and step are on screen */
  ready: boolean;
  /** why the stop could not be shown where it asked (no matching event) */
  problem: string | null;
}

export interface ViewActions {
  /**
   * Lists built-ins and opens what a link names, or the default design where its story is told:
   * the uevent whose MODALIAS matches the TSM module's alias (firstScreen.ts), or its last step.
   */
  init(link?: DecodedLink): Promise<void>;
  /**
   * Opens the view a link describes (see link.ts). What the link names but cannot be used
   * (an unknown design, an invalid scenario, a damaged hash) is said in the message, and the
   * default design opens in its place: never a blank page.
   */
  openLink(link: DecodedLink): Promise<void>;
  /** Runs a built-in design (with the current firmware toggles) and shows its last step (or `at`'s). */
  openDesign(id: string, at?: (info: RunInfo) => number | null): Promise<void>;
  /** Changes firmware toggles and re-runs the design (user actions are dropped). */
  setVariant(change: Variant): Promise<void>;
  /** Puts every firmware toggle back to the design's own (designVariant) and re-runs. */
  resetVariant(): Promise<void>;
  /** Shows the state after event `step` of the current run. */
  goToStep(step: number): Promise<void>;
  stepBy(delta: number): Promise<void>;
  /** Fetches the pages of rows [from, to) of a long list that are not held yet (a bottom panel view's window). */
  loadRows(list: PagedList, from: number, to: number): Promise<void>;
  /** The uevents sent by the slot's step, all of them (one user action's fetch: the mail text). */
  uevents(slot: Slot): Promise<UeventRecord[]>;
  /** The latest uevent by the current step of one of `devpaths`, else of any device (presenting). */
  latestUevent(devpaths: string[]): Promise<{ step: number; uevent: UeventRecord | null }>;
  /** Opens or closes a directory of the /sys browser (and fetches what it shows). */
  toggleSysfsDir(path: string, open: boolean): void;
  /** Shows DIR_MORE more entries of a /sys directory. */
  showMoreSysfs(path: string): void;
  /** Expands a collapsed group of the graph, or collapses it again (a new layout from the worker). */
  toggleGroup(key: string): Promise<void>;
  setPlaying(playing: boolean): void;
  setPlaySpeed(speed: number): void;
  /** Plays on to the next uevent, bind or module load, and stops there. */
  playTo(target: PlayTarget): void;
  setFollow(follow: boolean): void;
  select(nodeId: string | null): Promise<void>;
  /** Inserts a user action after the current step, re-runs, and jumps to the action. */
  applyAction(action: UserAction): Promise<void>;
  /** Drops the user actions: the design as it was. */
  resetActions(): Promise<void>;
  setMode(mode: Mode): Promise<void>;
  setBottomTab(tab: BottomTab): void;
  /** Folds, opens or resizes the event panel (remembered across reloads). */
  setBottomPanel(change: Partial<BottomPanelState>): void;
  setCompareDesign(id: string): Promise<void>;
  setCompareView(change: Partial<CompareView>): void;
  /** Editor text changed: stored at once, checked and run after a short pause. */
  setEditorText(text: string): void;
  /** Puts the current scenario's JSON into the editor. */
  loadScenarioIntoEditor(): Promise<void>;
  dismissMessage(): void;
  /** Stops the run in progress (the worker is restarted; the last good view stays). */
  cancelRun(): void;
  /**
   * Loads a scenario file's text: run as a custom scenario (and put in the editor) when valid;
   * refused with its JSON syntax or validation errors (each with its path) otherwise, the
   * current run kept. Resolves true when it was loaded.
   */
  importScenario(text: string, name: string): Promise<boolean>;
  /**
   * Files dropped or picked: a .dts with its .dtsi and headers, or a machine capture, become a
   * scenario in the worker and run (a machine's run is then compared with the machine); any
   * other file is a scenario .json (importScenario).
   */
  importFiles(files: DroppedFile[]): Promise<boolean>;
  /**
   * Presents a walkthrough from `stop`: a built-in's id, or the running scenario's own
   * walkthrough; null: the design on screen's (else "the question").
   */
  present(walkId: string | null, stop?: number): Promise<void>;
  /** Moves to a stop of the walkthrough played; quick calls coalesce on the latest. */
  presentStop(stop: number): Promise<void>;
  /** Next / previous stop: N quick presses move N stops. */
  presentBy(delta: number): Promise<void>;
  leavePresentation(): void;
}

export type ViewStore = ViewState & ViewActions;

export interface StoreOptions {
  /** editor debounce in ms */
  debounceMs?: number;
  /** where the editor text survives a reload (localStorage in the browser) */
  storage?: Pick<Storage, 'getItem' | 'setItem'> | null;
}

export const EDITOR_STORAGE_KEY = 'bindscope.editor.text';
export const LAYOUT_STORAGE_KEY = 'bindscope.layout';

/** a stored panel state, or the default when there is none or it is not one */
export function parseBottomPanel(text: string | null | undefined): BottomPanelState {
  const fallback = { open: true, height: BOTTOM_PANEL.initial };
  if (!text) return fallback;
  try {
    const v = JSON.parse(text) as { bottom?: Partial<BottomPanelState> };
    const b = v?.bottom;
    if (!b || typeof b !== 'object') return fallback;
    return {
      open: typeof b.open === 'boolean' ? b.open : true,
      height: typeof b.height === 'number' && Number.isFinite(b.height) ? clampPanel(b.height) : BOTTOM_PANEL.initial,
    };
  } catch {
    return fallback;
  }
}

export const clampPanel = (h: number) => Math.round(Math.max(BOTTOM_PANEL.min, Math.min(BOTTOM_PANEL.max, h)));

export const initialViewState: ViewState = {
  builtins: [],
  designs: [],
  designId: null,
  scenarioId: null,
  variant: null,
  designVariant: null,
  run: null,
  summary: null,
  userActions: [],
  step: -1,
  snapshot: null,
  event: null,
  pages: NO_LIST_PAGES,
  sysfsView: null,
  sysfsToggles: new Map(),
  sysfsLimits: new Map(),
  findings: null,
  selected: null,
  expandedGroups: [],
  groupLayout: null,
  explain: null,
  selectedUevent: null,
  status: 'idle',
  message: null,
  mode: 'explore',
  bottomTab: 'events',
  bottomPanel: { open: true, height: BOTTOM_PANEL.initial },
  playing: false,
  playSpeed: 1,
  playStop: null,
  follow: true,
  compare: { designId: null, variant: null, run: null, step: -1, snapshot: null, event: null, findings: null },
  compareView: { table: true, graphs: 'services', sameRows: false },
  editor: { text: '', state: 'idle', problems: [] },
  presentation: null,
  walkthroughs: [],
  machineReport: null,
};

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** the design shown beside `id` by default in compare mode: faux vs auxiliary, the debate's core */
/**
 * The design a built-in that is not in the switcher is a standard variant of: the longest design
 * id it extends ("auxiliary-v2-noudev" → "auxiliary-v2"); null for a design itself.
 */
export function variantBase(id: string, designs: readonly BuiltinInfo[]): string | null {
  if (designs.some((d) => d.id === id)) return null;
  let best: string | null = null;
  for (const d of designs) if (id.startsWith(d.id + '-') && d.id.length > (best?.length ?? 0)) best = d.id;
  return best;
}

export function defaultCompareDesign(id: string | null, designs: BuiltinInfo[]): string | null {
  const me = designs.find((d) => d.id === id);
  const side = me?.side ?? 'guest';
  const want = me?.design === 'faux' ? 'auxiliary' : 'faux';
  return (
    designs.find((d) => d.design === want && d.side === side)?.id ??
    designs.find((d) => d.id !== id && d.side === side)?.id ??
    designs.find((d) => d.id !== id)?.id ??
    null
  );
}

export function createViewStore(engine: EngineClient, options: StoreOptions = {}) {
  const debounceMs = options.debounceMs ?? 350;
  const storage = options.storage ?? null;
  // Every request gets a ticket; a result arriving after a newer request is dropped.
  let ticket = 0;
  let compareTicket = 0;
  let editorTicket = 0;
  let editorTimer: ReturnType<typeof setTimeout> | null = null;
  /**
   * The step the last goToStep asked for, until its snapshot lands: stepBy counts from it, so
   * N quick presses move N steps even when the worker answers slower than the keys arrive.
   */
  let pendingStep: number | null = null;
  let presentTicket = 0;
  let layoutTicket = 0;

  let savedText = '';
  try {
    savedText = storage?.getItem(EDITOR_STORAGE_KEY) ?? '';
  } catch {
    savedText = '';
  }

  let savedLayout: BottomPanelState = { open: true, height: BOTTOM_PANEL.initial };
  try {
    savedLayout = parseBottomPanel(storage?.getItem(LAYOUT_STORAGE_KEY));
  } catch {
    // blocked storage: defaults
  }

  const persist = (text: string) => {
    try {
      storage?.setItem(EDITOR_STORAGE_KEY, text);
    } catch {
      // storage full or blocked: the text still lives in the store
    }
  };

  let defaultId = 'auxiliary';

  // loaded when first needed, not with the first screen: the JSON spans (jsonc-parser) for the
  // editor and imported files, the step alignment for the compare view
  let compareModule: typeof import('./compare') | null = null;
  const loadCompare = async () => (compareModule ??= await import('./compare'));
  const loadJsonSpans = () => import('./editor/jsonSpans');
  // the walkthroughs and their resolver, for presentation mode and the walkthrough list
  let walkModule: [typeof import('../scenarios/walkthroughs'), typeof import('../engine/scenario/walkthrough')] | null = null;
  const loadWalkthroughs = async () => (walkModule ??= await Promise.all([import('../scenarios/walkthroughs'), import('../engine/scenario/walkthrough')]));

  return createStore<ViewStore>()((set, get) => {
    // a worker restart (crash, timeout, cancel) rejects the request in flight; the view keeps
    // its last good state and says what happened
    engine.onRestart((reason) => {
      ticket++;
      compareTicket++;
      set({ status: get().snapshot ? 'ready' : 'error', message: reason, playing: false });
    });
    const fail = (err: unknown) => {
      // a restart already said what happened and kept the last good view
      if (err instanceof EngineRestartError) return;
      set({ status: 'error', message: errorText(err), playing: false });
    };

    /** runs a scenario in the main slot and shows `step` of it (default: the last step) */
    /** true when the run replaced what is on screen */
    const show = async (scenario: unknown, mine: number, extra: Partial<ViewState>, pickStep?: (info: RunInfo) => number): Promise<boolean> => {
      pendingStep = null; // a step asked of the run being replaced means nothing now
      const run = await engine.run(scenario, 'main');
      if (mine !== ticket) return false;
      if (run.summary.errors.length) {
        // keep what is on screen; say why the new run did not replace it
        set({
          status: 'error',
          message: `Scenario "${run.summary.id}" is invalid: ` + run.summary.errors.map((e) => `${e.path}: ${e.message}`).join('; '),
        });
        return false;
      }
      const step = pickStep ? pickStep(run) : run.summary.eventCount - 1;
      const { snapshot, event } = await engine.snapshot(step, 'main');
      if (mine !== ticket) return false;
      pendingStep = null;
      // expanded groups stay open while the same design re-runs (a user action); another design starts collapsed
      const keepGroups = get().summary?.id === run.summary.id ? get().expandedGroups : [];
      const groupLayout = keepGroups.length ? await engine.layout(keepGroups, 'main') : null;
      if (mine !== ticket) return false;
      layoutTicket++;
      set({
        ...extra,
        expandedGroups: groupLayout ? keepGroups : [],
        groupLayout,
        run,
        summary: run.summary,
        scenarioId: run.summary.id,
        variant: run.variant,
        step,
        snapshot,
        event,
        pages: NO_LIST_PAGES,
        sysfsView: null,
        findings: null,
        explain: null,
        selectedUevent: null,
        status: 'ready',
        message: null,
      });
      for (const asked of Object.values(pagesAsked)) asked.clear();
      void loadSysfs().catch(fail);
      await refreshExplain(mine);
      await refreshFindings(mine);
      // a run of an imported machine (or of it with user actions) is compared with the machine
      const machineReport = await engine.machineReport();
      if (mine === ticket && (machineReport || get().machineReport)) set({ machineReport, ...(machineReport === null && get().bottomTab === 'machine' ? { bottomTab: 'events' as const } : {}) });
      if (get().mode === 'compare') await syncCompare();
      return true;
    };

    const refreshExplain = async (mine: number) => {
      const { selected, snapshot, step } = get();
      const dev = selected && snapshot?.devices.find((d) => nodeId.device(d.devpath) === selected);
      if (!dev) {
        if (get().explain !== null || get().selectedUevent !== null) set({ explain: null, selectedUevent: null });
        return;
      }
      const [explain, selectedUevent] = await Promise.all([engine.explain(step, dev.devpath, 'main'), engine.ueventFile(step, dev.devpath, 'main')]);
      if (mine === ticket) set({ explain, selectedUevent });
    };

    /** the findings at the step, while the Review tab or the compare table shows them */
    const refreshFindings = async (mine: number) => {
      const { bottomTab, mode, step, run } = get();
      if (!run || (bottomTab !== 'review' && mode !== 'compare')) return;
      const findings = await engine.findings(step, 'main');
      if (mine === ticket && get().step === step && get().run === run) set({ findings });
    };

    /** pages asked of the worker for the run on screen, per list (cleared with a new run) */
    const pagesAsked: Record<PagedList, Set<number>> = { events: new Set(), monitor: new Set(), dmesg: new Set() };

    /** the /sys browser is on screen */
    const sysfsShown = () => get().bottomTab === 'sysfs' && get().bottomPanel.open && !!get().run;
    const limitsOf = (paths: string[]): [string, number][] => paths.map((p) => [p, shownOf(p, get().sysfsLimits)]);
    /** the directories held for the run and step on screen */
    const heldDirs = (): ReadonlyMap<string, SysfsDir> => {
      const v = get().sysfsView;
      return v && v.run === get().run && v.step === get().step ? v.dirs : new Map();
    };
    let sysfsLoading: Promise<void> | null = null;
    let sysfsAgain = false;
    /**
     * Fetches the open /sys directories not held for the step on screen, then those their
     * entries open in turn (a few rounds when the tab opens; none on most steps, which fetch the
     * open ones with the snapshot: goToStep). One load at a time; a call while one runs repeats it.
     */
    const loadSysfs = async (): Promise<void> => {
      if (sysfsLoading) {
        sysfsAgain = true;
        return sysfsLoading;
      }
      const load = async () => {
        do {
          sysfsAgain = false;
          for (let round = 0; round < 32 && sysfsShown(); round++) {
            const { run, step } = get();
            const { missing } = openDirs(heldDirs(), get().sysfsToggles, get().sysfsLimits);
            if (!missing.length) break;
            const answers = await engine.sysfsDirs(step, limitsOf(missing), 'main');
            if (get().run !== run || get().step !== step) {
              sysfsAgain = true;
              break;
            }
            set({ sysfsView: { run: run!, step, dirs: new Map([...heldDirs(), ...answers.map((d): [string, SysfsDir] => [d.path, d])]) } });
          }
        } while (sysfsAgain && sysfsShown());
      };
      // cleared once settled (a finally inside `load` could run before this assignment)
      sysfsLoading = load().finally(() => {
        sysfsLoading = null;
      });
      return sysfsLoading;
    };

    /** re-runs the compare design on the main run's firmware and aligns its step */
    const runCompare = async () => {
      const { compare, variant } = get();
      if (!compare.designId) return;
      const mine = ++compareTicket;
      // the step alignment (compare.ts) is loaded with the first compare run: syncCompare,
      // which needs it, runs only once a compare run is in the store
      const [scenario] = await Promise.all([engine.builtinWithVariant(compare.designId, variant ?? {}), loadCompare()]);
      const run = await engine.run(scenario, 'compare');
      if (mine !== compareTicket) return;
      set({ compare: { ...get().compare, run, variant } });
      await syncCompare();
    };

    const syncCompare = async () => {
      const { compare, summary, step } = get();
      if (!compare.run || !summary) return;
      if (JSON.stringify(compare.variant) !== JSON.stringify(get().variant)) {
        await runCompare();
        return;
      }
      const mine = ++compareTicket;
      const target = compareModule!.alignStep(get().run!.index, step, compare.run.index);
      const [{ snapshot, event }, findings] = await Promise.all([engine.snapshot(target, 'compare'), engine.findings(target, 'compare')]);
      if (mine === compareTicket) set({ compare: { ...get().compare, step: target, snapshot, event, findings } });
    };

    const checkEditor = async () => {
      const mine = ++editorTicket;
      const { parseJson, lineCol, spanOf } = await loadJsonSpans();
      if (mine !== editorTicket) return;
      const { text } = get().editor;
      const parsed = parseJson(text);
      if (!parsed.ok) {
        const { line, col } = lineCol(text, parsed.at);
        set({
          editor: {
            text,
            state: 'invalid',
            problems: [{ path: `line ${line}, column ${col}`, message: `JSON syntax: ${parsed.message}`, span: { from: parsed.at, to: parsed.at } }],
          },
        });
        return;
      }
      try {
        const errors = await engine.validate(parsed.value);
        if (mine !== editorTicket) return;
        if (errors.length) {
          set({
            editor: {
              text,
              state: 'invalid',
              problems: errors.map((e) => ({ ...e, path: e.path || '(root)', span: spanOf(parsed.spans, e.path) })),
            },
          });
          return;
        }
        set({ editor: { text, state: 'valid', problems: [] } });
        const runTicket = ++ticket;
        set({ status: 'loading' });
        await show(parsed.value, runTicket, { designId: null, designVariant: null, userActions: [], selected: null, playing: false });
      } catch (err) {
        if (mine === editorTicket) fail(err);
      }
    };

    return {
      ...initialViewState,
      // text kept from an earlier visit is checked (and run) as soon as the editor opens
      editor: { ...initialViewState.editor, text: savedText, state: savedText.trim() ? 'pending' : 'idle' },
      bottomPanel: savedLayout,

      async init(link) {
        const mine = ++ticket;
        set({ status: 'loading', message: null });
        if (get().walkthroughs.length === 0) {
          void loadWalkthroughs().then(
            ([w]) => set({ walkthroughs: w.BUILTIN_WALKTHROUGHS }),
            () => {}, // presenting loads it again, and says so if it cannot
          );
        }
        try {
          const [builtins, designs, id] = await Promise.all([engine.listBuiltins(), engine.listDesigns(), engine.defaultScenarioId()]);
          if (mine !== ticket) return;
          defaultId = id;
          set({ builtins, designs });
          if (link?.given) await get().openLink(link);
          else
            await get().openDesign(id, (info) => info.storyStep);
        } catch (err) {
          if (mine === ticket) fail(err);
        }
      },

      async openLink({ view, problems: given }) {
        const problems = [...given];
        const say = () => {
          if (problems.length) set({ message: `This link could not be opened as it was: ${problems.join('; ')}.` });
        };
        const { builtins } = get();
        const known = (id: string | null) => !!id && builtins.some((b) => b.id === id);
        if (view.design && !known(view.design)) problems.push(`there is no built-in design "${view.design}"; the default design is shown`);
        const fallback = !view.custom && !known(view.design);
        let link: LinkView = fallback
          ? { ...EMPTY_LINK, variant: view.variant, mode: view.mode, compare: view.compare, walk: view.walk, stop: view.stop }
          : view;
        // a standard variant's id (auxiliary-noudev) opens as its design with that firmware, so the
        // switcher names the design and the toggles show the variant
        const base = !link.custom && link.design ? variantBase(link.design, get().designs) : null;
        if (base) {
          try {
            link = { ...link, design: base, variant: { ...(await engine.defaultVariant(link.design!)), ...(link.variant ?? {}) } };
          } catch (err) {
            problems.push(errorText(err));
          }
        }
        const current = linkFromState(get());
        const sameRun = get().run !== null && runKey({ ...link, design: link.design ?? (link.custom ? null : defaultId) }) === runKey(current);
        if (!sameRun) {
          const mine = ++ticket;
          set({ status: 'loading', message: null, playing: false });
          try {
            let scenario: unknown;
            let designVariant: FirmwareVariant | null = null;
            const designId = link.custom ? null : (link.design ?? defaultId);
            if (link.custom) scenario = link.custom;
            else {
              // the design's own firmware beside its scenario, as openDesign asks for both
              const [base, own] = await Promise.all([
                link.variant ? engine.builtinWithVariant(designId!, link.variant) : engine.getScenario(designId!),
                engine.defaultVariant(designId!),
              ]);
              scenario = link.actions ? { ...base, actions: link.actions } : base;
              designVariant = own;
            }
            if (mine !== ticket) return;
            const acts = ((scenario as { actions?: UserAction[] }).actions ?? []);
            const userActions = link.userActions > 0 ? acts.slice(-link.userActions).map(({ at: _at, ...a }) => a as UserAction) : [];
            const ok = await show(scenario, mine, { designId, userActions, selected: link.selected, designVariant }, (info) =>
              link.step === null ? info.summary.eventCount - 1 : Math.max(-1, Math.min(link.step, info.summary.eventCount - 1)),
            );
            if (mine !== ticket) return;
            if (!ok) {
              // an invalid scenario in the link: say why, and open the default design
              problems.push(get().message ?? 'its scenario did not run');
              await get().openDesign(defaultId);
              say();
              return;
            }
          } catch (err) {
            if (mine !== ticket) return;
            problems.push(errorText(err));
            await get().openDesign(defaultId);
            say();
            return;
          }
        } else {
          const last = (get().summary?.eventCount ?? 0) - 1;
          await get().goToStep(link.step ?? last);
          if (get().selected !== link.selected) await get().select(link.selected);
        }
        if (link.mode === 'compare') {
          // the comparison runs with the main view's firmware toggles: a standard variant's id compares its design
          const other = link.compare && known(link.compare) ? (variantBase(link.compare, get().designs) ?? link.compare) : link.compare;
          if (other && !known(other)) problems.push(`there is no built-in design "${other}" to compare with`);
          else if (other && other !== get().compare.designId) set({ compare: { designId: other, variant: null, run: null, step: -1, snapshot: null, event: null, findings: null } });
        }
        if (get().mode !== link.mode) await get().setMode(link.mode);
        else if (link.mode === 'compare' && get().compare.run?.summary.id !== get().compare.designId) await get().setMode('compare');
        if (link.walk) await get().present(link.walk, link.stop ?? 0);
        else if (get().presentation) get().leavePresentation();
        say();
      },

      async openDesign(id, at) {
        const mine = ++ticket;
        // the switcher shows the choice at once (toggles act on it); the run confirms it
        const shown = get().designId;
        set({ status: 'loading', message: null, playing: false, designId: id });
        try {
          const v = get().variant;
          const [scenario, designVariant] = await Promise.all([
            v ? engine.builtinWithVariant(id, v) : engine.getScenario(id),
            engine.defaultVariant(id),
          ]);
          if (mine !== ticket) return;
          const ok = await show(
            scenario,
            mine,
            { designId: id, userActions: [], selected: null, designVariant },
            at && ((info) => at(info) ?? info.summary.eventCount - 1),
          );
          if (!ok && mine === ticket) set({ designId: shown });
        } catch (err) {
          if (mine === ticket) {
            set({ designId: shown });
            fail(err);
          }
        }
      },

      async setVariant(change) {
        const { designId, variant } = get();
        if (!designId) return;
        const mine = ++ticket;
        const next = { ...(variant ?? {}), ...change } as FirmwareVariant;
        // the toggles show the new choice at once; the run that follows confirms it
        set({ status: 'loading', message: null, playing: false, variant: next });
        try {
          // firmware changes re-run the design from boot: user actions (tied to steps) are dropped
          const scenario = await engine.builtinWithVariant(designId, next);
          if (mine !== ticket) return;
          await show(scenario, mine, { userActions: [] });
          if (mine === ticket && get().run?.variant) set({ variant: get().run!.variant });
        } catch (err) {
          if (mine === ticket) {
            set({ variant });
            fail(err);
          }
        }
      },

      async resetVariant() {
        const { designVariant } = get();
        if (designVariant) await get().setVariant(designVariant);
      },

      async goToStep(step) {
        const { summary, run } = get();
        if (!summary) return;
        const clamped = Math.max(-1, Math.min(step, summary.eventCount - 1));
        const mine = ++ticket;
        pendingStep = clamped;
        try {
          // the /sys browser's open directories at the new step come with its snapshot: the
          // tab shows the step's entries in the same render as the rest of the step
          const dirs = sysfsShown() ? openDirs(heldDirs(), get().sysfsToggles, get().sysfsLimits).open : [];
          const [{ snapshot, event }, sys] = await Promise.all([
            engine.snapshot(clamped, 'main'),
            dirs.length ? engine.sysfsDirs(clamped, limitsOf(dirs), 'main') : null,
          ]);
          if (mine !== ticket) return;
          pendingStep = null;
          set({
            step: clamped, snapshot, event,
            ...(sys && run === get().run ? { sysfsView: { run: run!, step: clamped, dirs: new Map(sys.map((d): [string, SysfsDir] => [d.path, d])) } } : {}),
          });
          if (sysfsShown()) void loadSysfs().catch(fail);
          const stop = get().playStop;
          if (get().playing && (clamped >= summary.eventCount - 1 || (stop !== null && clamped >= stop))) set({ playing: false, playStop: null });
          await refreshExplain(mine);
          await refreshFindings(mine);
          if (get().mode === 'compare') await syncCompare();
        } catch (err) {
          if (mine === ticket) fail(err);
        }
      },

      stepBy(delta) {
        return get().goToStep((pendingStep ?? get().step) + delta);
      },

      async loadRows(list, from, to) {
        const { run, summary, snapshot, step } = get();
        if (!run || !summary || !snapshot) return;
        const count = rowCount(list, summary, snapshot);
        const asked = pagesAsked[list];
        // half a page more on each side: stepping or scrolling on rarely waits for a page
        const want = pagesFor(from - PAGE / 2, to + PAGE / 2, count);
        const missing = missingPages(get().pages[list] as Pages<unknown>, from - PAGE / 2, to + PAGE / 2, count).filter((p) => !asked.has(p));
        if (!missing.length) return;
        for (const p of missing) asked.add(p);
        try {
          const added: [number, readonly unknown[]][] = [];
          for (const [a, b] of pageRuns(missing)) {
            const end = Math.min(count, (b + 1) * PAGE);
            // the monitor's and dmesg's lines as far as the step has them (a later step's are the same, and more)
            const rows: readonly unknown[] = list === 'events' ? await engine.events(a * PAGE, end, 'main') : await engine.lines(list, a * PAGE, end, step, 'main');
            for (let p = a; p <= b; p++) added.push([p, rows.slice((p - a) * PAGE, (p - a + 1) * PAGE)]);
          }
          if (get().run !== run) return;
          const held = get().pages[list] as Pages<unknown>;
          // only what is new or longer changes the pages (a view asks again when they change)
          const more = added.filter(([p, rows]) => rows.length > (held.pages.get(p)?.length ?? -1));
          if (more.length) set({ pages: { ...get().pages, [list]: withPages(held, more, want) } });
        } catch (err) {
          fail(err);
        } finally {
          if (get().run === run) for (const p of missing) asked.delete(p);
        }
      },

      async uevents(slot) {
        const { snapshot, step } = slot === 'main' ? get() : get().compare;
        if (!snapshot) return [];
        return engine.uevents(0, snapshot.counts.uevents, step, slot);
      },

      async latestUevent(devpaths) {
        const step = get().step;
        return { step, uevent: await engine.latestUevent(step, devpaths, 'main') };
      },

      toggleSysfsDir(path, open) {
        if (get().sysfsToggles.get(path) === open) return;
        set({ sysfsToggles: new Map(get().sysfsToggles).set(path, open) });
        if (open) void loadSysfs().catch(fail);
      },

      showMoreSysfs(path) {
        set({ sysfsLimits: new Map(get().sysfsLimits).set(path, shownOf(path, get().sysfsLimits) + DIR_MORE) });
        void loadSysfs().catch(fail);
      },

      async toggleGroup(key) {
        const now = get().expandedGroups;
        const expandedGroups = now.includes(key) ? now.filter((k) => k !== key) : [...now, key];
        const run = get().run;
        const mine = ++layoutTicket;
        set({ expandedGroups });
        try {
          const groupLayout = expandedGroups.length ? await engine.layout(expandedGroups, 'main') : null;
          if (mine === layoutTicket && get().run === run) set({ groupLayout });
        } catch (err) {
          fail(err);
        }
      },

      setPlaying(playing) {
        const { summary, step } = get();
        if (playing && summary && step >= summary.eventCount - 1) {
          // play from the start when at the end
          set({ playing: true, playStop: null });
          void get().goToStep(-1);
          return;
        }
        set({ playing, playStop: null });
      },

      setPlaySpeed(speed) {
        set({ playSpeed: speed > 0 ? speed : 1 });
      },

      playTo(target) {
        const { summary, step, run } = get();
        if (!summary) return;
        const stop = run ? nextStop(run.index, step, target, run.moduleChanges ?? null) : null;
        const what = target === 'module' ? 'module load' : target;
        if (stop === null) {
          set({ playing: false, playStop: null, message: `No ${what} after step ${step + 1} in this run.` });
          return;
        }
        set({ playing: true, playStop: stop, message: null });
      },

      setFollow(follow) {
        set({ follow });
      },

      async select(id) {
        set({ selected: id, explain: null, selectedUevent: null });
        try {
          await refreshExplain(ticket);
        } catch (err) {
          fail(err);
        }
      },

      async applyAction(action) {
        const { step, run } = get();
        if (!run?.scenario) return;
        const mine = ++ticket;
        set({ status: 'loading', message: null, playing: false });
        try {
          const scenario = await engine.withAction(action, step, 'main');
          if (mine !== ticket) return;
          await show(
            scenario,
            mine,
            { userActions: [...get().userActions.filter((_, i) => (run.actionStarts[i] ?? Infinity) <= step), action] },
            // jump to the action's first event
            (info) => info.actionStarts[info.actionStarts.length - 1] ?? info.summary.eventCount - 1,
          );
        } catch (err) {
          if (mine === ticket) fail(err);
        }
      },

      async resetActions() {
        const { designId } = get();
        if (designId) await get().openDesign(designId);
      },

      async setMode(mode) {
        set({ mode });
        if (mode === 'compare') {
          void refreshFindings(ticket).catch(fail);
          const { compare, designId, designs } = get();
          if (!compare.designId) set({ compare: { ...compare, designId: defaultCompareDesign(designId, designs) } });
          try {
            await runCompare();
          } catch (err) {
            fail(err);
          }
        }
        if (mode === 'edit' && !get().editor.text.trim()) await get().loadScenarioIntoEditor();
        else if (mode === 'edit' && get().editor.state === 'pending' && !editorTimer) {
          // kept text (a reload): validate and run it now, syntax errors included, not on the next keystroke
          await checkEditor();
        }
      },

      setBottomTab(tab) {
        set({ bottomTab: tab });
        if (tab === 'review') void refreshFindings(ticket).catch(fail);
        if (tab === 'sysfs') void loadSysfs().catch(fail);
      },

      setBottomPanel(change) {
        const next = { ...get().bottomPanel, ...change };
        next.height = clampPanel(next.height);
        set({ bottomPanel: next });
        if (next.open && get().bottomTab === 'sysfs') void loadSysfs().catch(fail);
        try {
          storage?.setItem(LAYOUT_STORAGE_KEY, JSON.stringify({ bottom: next }));
        } catch {
          // storage full or blocked: the size lives in the store
        }
      },

      async setCompareDesign(id) {
        set({ compare: { designId: id, variant: null, run: null, step: -1, snapshot: null, event: null, findings: null } });
        try {
          await runCompare();
        } catch (err) {
          fail(err);
        }
      },

      setCompareView(change) {
        set({ compareView: { ...get().compareView, ...change } });
      },

      setEditorText(text) {
        set({ editor: { ...get().editor, text, state: 'pending' } });
        persist(text);
        if (editorTimer) clearTimeout(editorTimer);
        editorTimer = setTimeout(() => {
          editorTimer = null;
          void checkEditor();
        }, debounceMs);
      },

      async loadScenarioIntoEditor() {
        // the text of what already runs: nothing to re-run until the user edits it
        const scenario = get().run?.scenario;
        if (!scenario) return;
        const text = JSON.stringify(scenario, null, 2);
        if (editorTimer) clearTimeout(editorTimer);
        editorTicket++;
        set({ editor: { text, state: 'idle', problems: [] } });
        persist(text);
      },

      async importScenario(text, name) {
        const refuse = (why: string[]) => {
          set({ message: `${name} was not loaded; the current design is kept.\n${why.join('\n')}` });
          return false;
        };
        const { parseJson, lineCol } = await loadJsonSpans();
        const parsed = parseJson(text);
        if (!parsed.ok) {
          const { line, col } = lineCol(text, parsed.at);
          return refuse([`line ${line}, column ${col}: JSON syntax: ${parsed.message}`]);
        }
        try {
          const errors = await engine.validate(parsed.value);
          if (errors.length) return refuse(errors.map((e) => `${e.path || '(root)'}: ${e.message}`));
          const mine = ++ticket;
          set({ status: 'loading', message: null, playing: false });
          const ok = await show(parsed.value, mine, { designId: null, userActions: [], selected: null });
          if (ok) {
            if (editorTimer) clearTimeout(editorTimer);
            editorTicket++;
            set({ editor: { text, state: 'valid', problems: [] } });
            persist(text);
          }
          return ok;
        } catch (err) {
          fail(err);
          return false;
        }
      },

      async importFiles(files) {
        if (files.length === 0) return false;
        const names = files.map((f) => f.name).join(', ');
        let outcome: Awaited<ReturnType<typeof engine.importFiles>>;
        try {
          outcome = await engine.importFiles(files);
        } catch (err) {
          fail(err);
          return false;
        }
        if (outcome === null) return get().importScenario(files[0]!.text, files[0]!.name);
        if (!outcome.ok) {
          const shown = outcome.errors.slice(0, 12);
          set({ message: `${names} ${files.length === 1 ? 'was' : 'were'} not imported; the current design is kept.\n${shown.join('\n')}${outcome.errors.length > shown.length ? `\n… and ${outcome.errors.length - shown.length} more` : ''}` });
          return false;
        }
        const ok = await get().importScenario(outcome.scenarioJson, outcome.name);
        if (!ok) return false;
        const report = get().machineReport;
        const rate = report ? [`replayed: ${report.totals.matched} of ${report.totals.onBus} devices on a bus match the machine (${(report.matchRate * 100).toFixed(1)}%), ${report.totals.mismatched} differ, ${report.totals.notModelled} not modelled: see the Machine tab`] : [];
        set({ message: `Imported ${outcome.kind === 'dts' ? 'a device tree' : 'a machine'}:\n${[...outcome.summary, ...rate].join('\n')}`, ...(report ? { bottomTab: 'machine' as const } : {}) });
        return true;
      },

      async present(walkId, stop = 0) {
        let walkthroughs: Awaited<ReturnType<typeof loadWalkthroughs>>[0];
        try {
          [walkthroughs] = await loadWalkthroughs();
        } catch (err) {
          fail(err);
          return;
        }
        const { BUILTIN_WALKTHROUGHS, walkthroughFor } = walkthroughs;
        const s = get();
        const own = s.run?.scenario?.walkthrough as Walkthrough | undefined;
        // by id: the running scenario's own first, then the built-ins; no id: the design's, else the scenario's, else "the question"
        const byId = (id: string) => (own?.id === id ? own : BUILTIN_WALKTHROUGHS.find((w) => w.id === id));
        const walk = walkId ? byId(walkId) : ((s.designId ? walkthroughFor(s.designId) : undefined) ?? own ?? BUILTIN_WALKTHROUGHS[0]);
        if (!walk) {
          set({ message: `There is no walkthrough "${walkId}" (built in: ${BUILTIN_WALKTHROUGHS.map((w) => w.id).join(', ')}${own ? `; this scenario's: ${own.id}` : ''}).` });
          return;
        }
        set({ presentation: { walk, stop: 0, ready: false, problem: null }, playing: false });
        await get().presentStop(stop);
      },

      async presentStop(index) {
        // loaded by present(), which set the presentation: no wait here but in a test's setState
        const { describeMatcher, stopDesign } = (walkModule ?? (await loadWalkthroughs()))[1];
        const p = get().presentation;
        if (!p) return;
        const i = Math.max(0, Math.min(index, p.walk.stops.length - 1));
        const mine = ++presentTicket;
        set({ presentation: { ...p, stop: i, ready: false, problem: null } });
        const stop = p.walk.stops[i]!;
        try {
          const design = stopDesign(p.walk, stop);
          // a built-in walkthrough shows each design as posted: default firmware
          if (design && (design !== get().designId || get().userActions.length)) {
            set({ variant: null });
            await get().openDesign(design);
            if (mine !== presentTicket) return;
          }
          const summary = get().summary;
          if (!summary) return;
          const step = await engine.resolveStop(stop, 'main');
          if (mine !== presentTicket) return;
          const problem = step === null ? `stop ${i + 1}: no event matches ${describeMatcher(stop.at)} in ${summary.id}; showing the last step` : null;
          const wantMode: Mode = stop.panel === 'compare' && stop.compare ? 'compare' : 'explore';
          if (wantMode === 'compare' && get().compare.designId !== stop.compare) {
            set({ compare: { designId: stop.compare!, variant: null, run: null, step: -1, snapshot: null, event: null, findings: null } });
          }
          if (get().selected) set({ selected: null, explain: null, selectedUevent: null });
          await get().goToStep(step ?? summary.eventCount - 1);
          if (mine !== presentTicket) return;
          if (get().mode !== wantMode || (wantMode === 'compare' && get().compare.run?.summary.id !== stop.compare)) await get().setMode(wantMode);
          if (mine !== presentTicket) return;
          const now = get().presentation;
          if (now) set({ presentation: { ...now, ready: true, problem } });
        } catch (err) {
          if (mine === presentTicket) fail(err);
        }
      },

      presentBy(delta) {
        const p = get().presentation;
        if (!p) return Promise.resolve();
        return get().presentStop(p.stop + delta);
      },

      leavePresentation() {
        presentTicket++;
        set({ presentation: null });
      },

      dismissMessage() {
        set({ message: null, status: get().snapshot ? 'ready' : get().status });
      },
      cancelRun() {
        engine.cancel();
      },
    };
  });
}

export type ViewStoreApi = ReturnType<typeof createViewStore>;

/** The link of what is on screen (see link.ts). */
export function linkFromState(s: ViewState): LinkView {
  const last = (s.summary?.eventCount ?? 0) - 1;
  const custom = s.designId ? null : (s.run?.scenario ?? null);
  return {
    ...EMPTY_LINK,
    design: s.designId,
    custom,
    variant: s.designId ? s.variant : null,
    actions: s.designId && s.userActions.length ? (s.run?.scenario?.actions ?? null) : null,
    userActions: s.userActions.length,
    step: s.step >= last ? null : s.step,
    selected: s.selected,
    mode: s.mode,
    compare: s.mode === 'compare' ? s.compare.designId : null,
    walk: s.presentation?.walk.id ?? null,
    stop: s.presentation ? s.presentation.stop : null,
  };
}

/** The app's store, provided once in main.tsx: `<ViewStoreContext value={store}>`. */
export const ViewStoreContext = createContext<ViewStoreApi | null>(null);

/** Reads (a slice of) the view state in a component under ViewStoreContext. */
export function useViewStore<T>(selector: (s: ViewStore) => T): T {
  const store = useContext(ViewStoreContext);
  if (!store) throw new Error('useViewStore used outside ViewStoreContext');
  return useStore(store, selector);
}

export type { Slot };

/** The store itself, for event handlers that read the latest state (keyboard shortcuts). */
export function useViewStoreApi(): ViewStoreApi {
  const store = useContext(ViewStoreContext);
  if (!store) throw new Error('useViewStoreApi used outside ViewStoreContext');
  return store;
}
