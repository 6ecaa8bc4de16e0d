/**
 * View state (zustand). The engine's results (RunSummary, Snapshot) are held as they
 * came from the worker; the store adds only what the view needs: which scenario, which
 * step, which node is selected, and a status line. No engine logic lives here.
 */
import { createContext, useContext } from 'react';
import { createStore, useStore } from 'zustand';
import type { BuiltinInfo, RunSummary, Snapshot } from '../engine/api';
import type { EngineClient } from './engineClient';

export type Status = 'idle' | 'loading' | 'ready' | 'error';

export interface ViewState {
  builtins: BuiltinInfo[];
  scenarioId: string | null;
  summary: RunSummary | null;
  /** index of the last applied event (-1 = before anything) */
  step: number;
  snapshot: Snapshot | null;
  /** React Flow node id of the selected node (see graph/toFlow.ts nodeId) */
  selected: string | null;
  status: Status;
  /** human-readable error or notice; shown whenever non-null */
  message: string | null;
}

export interface ViewActions {
  /** Lists built-ins and opens the default scenario at its last step. */
  init(): Promise<void>;
  /** Runs a built-in scenario and shows its last step. */
  openScenario(id: string): Promise<void>;
  /** Shows the state after event `step` of the current run. */
  goToStep(step: number): Promise<void>;
  select(nodeId: string | null): void;
}

export type ViewStore = ViewState & ViewActions;

export const initialViewState: ViewState = {
  builtins: [],
  scenarioId: null,
  summary: null,
  step: -1,
  snapshot: null,
  selected: null,
  status: 'idle',
  message: null,
};

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export function createViewStore(engine: EngineClient) {
  // Every request gets a ticket; a result arriving after a newer request is dropped.
  let ticket = 0;

  return createStore<ViewStore>()((set, get) => {
    const fail = (err: unknown) => set({ status: 'error', message: errorText(err) });

    return {
      ...initialViewState,

      async init() {
        const mine = ++ticket;
        set({ status: 'loading', message: null });
        try {
          const [builtins, id] = await Promise.all([engine.listBuiltins(), engine.defaultScenarioId()]);
          if (mine !== ticket) return;
          set({ builtins });
          await get().openScenario(id);
        } catch (err) {
          if (mine === ticket) fail(err);
        }
      },

      async openScenario(id) {
        const mine = ++ticket;
        set({ status: 'loading', message: null, scenarioId: id, selected: null });
        try {
          const scenario = await engine.getScenario(id);
          const summary = await engine.run(scenario);
          const step = summary.events.length - 1;
          const snapshot = await engine.snapshot(step);
          if (mine !== ticket) return;
          const message = summary.errors.length
            ? `Scenario "${id}" is invalid: ` + summary.errors.map((e) => `${e.path}: ${e.message}`).join('; ')
            : null;
          set({ summary, step, snapshot, status: message ? 'error' : 'ready', message });
        } catch (err) {
          if (mine === ticket) fail(err);
        }
      },

      async goToStep(step) {
        const { summary } = get();
        if (!summary) return;
        const clamped = Math.max(-1, Math.min(step, summary.events.length - 1));
        const mine = ++ticket;
        try {
          const snapshot = await engine.snapshot(clamped);
          if (mine === ticket) set({ step: clamped, snapshot });
        } catch (err) {
          if (mine === ticket) fail(err);
        }
      },

      select(nodeId) {
        set({ selected: nodeId });
      },
    };
  });
}

export type ViewStoreApi = ReturnType<typeof createViewStore>;

/** The app's store, provided once in main.tsx: `<ViewStoreContext value={store}>`. */
export const ViewStoreContext = createContext<ViewStoreApi | null>(null);

/** Reads (a slice of) the view state in a component under ViewStoreContext. */
export function useViewStore<T>(selector: (s: ViewStore) => T): T {
  const store = useContext(ViewStoreContext);
  if (!store) throw new Error('useViewStore used outside ViewStoreContext');
  return useStore(store, selector);
}
