/**
 * UI-side handle on the engine worker. Every call returns a promise; a worker that
 * fails to load or crashes rejects all pending and future calls instead of hanging.
 */
import * as Comlink from 'comlink';
import type { EngineApi } from '../worker/protocol';

type Promised<T> = { [K in keyof T]: T[K] extends (...a: infer A) => infer R ? (...a: A) => Promise<Awaited<R>> : never };

export type EngineClient = Promised<EngineApi> & { dispose(): void };

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
    listDesigns: () => call(() => remote.listDesigns()),
    validate: (scenario) => call(() => remote.validate(scenario)),
    getScenario: (id) => call(() => remote.getScenario(id)),
    defaultVariant: (id) => call(() => remote.defaultVariant(id)),
    builtinWithVariant: (id, v) => call(() => remote.builtinWithVariant(id, v)),
    run: (scenario, slot) => call(() => remote.run(scenario, slot)),
    snapshot: (step, slot) => call(() => remote.snapshot(step, slot)),
    explain: (step, devpath, slot) => call(() => remote.explain(step, devpath, slot)),
    withAction: (action, step, slot) => call(() => remote.withAction(action, step, slot)),
    dispose() {
      remote[Comlink.releaseProxy]();
      worker.terminate();
      fail(new Error('engine worker was disposed'));
    },
  };
}
