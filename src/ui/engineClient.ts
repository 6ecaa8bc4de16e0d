/**
 * UI-side handle on the engine worker. Every call returns a promise; a worker that
 * fails to load or crashes rejects all pending and future calls instead of hanging.
 */
import * as Comlink from 'comlink';
import type { BuiltinInfo, MatchInfo, RunSummary, Snapshot } from '../engine/api';
import type { EngineApi } from '../worker/protocol';

export interface EngineClient {
  listBuiltins(): Promise<BuiltinInfo[]>;
  defaultScenarioId(): Promise<string>;
  getScenario(id: string): Promise<unknown>;
  run(scenario: unknown): Promise<RunSummary>;
  snapshot(step: number): Promise<Snapshot>;
  explain(step: number, devpath: string): Promise<MatchInfo[]>;
  dispose(): void;
}

export function createEngineClient(): EngineClient {
  const worker = new Worker(new URL('../worker/engine.worker.ts', import.meta.url), {
    type: 'module',
    name: 'bindscope-engine',
  });
  const remote = Comlink.wrap<EngineApi>(worker);

  let crashed: Error | null = null;
  let rejectAll: (err: Error) => void = () => {};
  const crash = new Promise<never>((_, reject) => {
    rejectAll = reject;
  });
  crash.catch(() => {}); // observed through race() below
  const fail = (err: Error) => {
    if (crashed) return;
    crashed = err;
    rejectAll(err);
  };
  worker.addEventListener('error', (ev: ErrorEvent) => {
    ev.preventDefault();
    fail(new Error(`engine worker failed: ${ev.message || 'could not load the worker script'}`));
  });
  worker.addEventListener('messageerror', () => fail(new Error('engine worker sent a message that could not be read')));

  const call = <T>(fn: () => Promise<T>): Promise<T> =>
    crashed ? Promise.reject(crashed) : Promise.race([fn(), crash]);

  return {
    listBuiltins: () => call(() => remote.listBuiltins()),
    defaultScenarioId: () => call(() => remote.defaultScenarioId()),
    getScenario: (id) => call(() => remote.getScenario(id)),
    run: (scenario) => call(() => remote.run(scenario)),
    snapshot: (step) => call(() => remote.snapshot(step)),
    explain: (step, devpath) => call(() => remote.explain(step, devpath)),
    dispose() {
      remote[Comlink.releaseProxy]();
      worker.terminate();
      fail(new Error('engine worker was disposed'));
    },
  };
}
