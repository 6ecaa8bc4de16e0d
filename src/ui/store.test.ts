import { describe, expect, it } from 'vitest';
import type { RunSummary, Snapshot } from '../engine/api';
import type { EngineClient } from './engineClient';
import { createViewStore } from './store';

// A stand-in for the worker client (the store's only dependency); not an engine.
function fakeClient(overrides: Partial<EngineClient> = {}): EngineClient & { calls: string[] } {
  const calls: string[] = [];
  const summary = (id: string, n: number): RunSummary => ({
    id,
    title: id,
    source: 'test',
    events: Array.from({ length: n }, (_, index) => ({ index, kind: 'phase' as const, text: `e${index}`, cite: '', depth: 0, touches: {} })),
    errors: [],
  });
  const snap = (step: number): Snapshot => ({
    step, devices: [], drivers: [], modules: [], uevents: [], sysfs: [], log: [], firmware: [], facts: {},
    tsm: { reportProvider: null, classDevices: [] }, udevRunning: true,
  });
  return {
    calls,
    listBuiltins: async () => [{ id: 'a', title: 'A', description: '', design: 'mainline', side: 'guest' }],
    defaultScenarioId: async () => 'a',
    getScenario: async (id) => (calls.push(`get ${id}`), { id }),
    run: async (s) => (calls.push('run'), summary((s as { id: string }).id, 3)),
    snapshot: async (step) => (calls.push(`snapshot ${step}`), snap(step)),
    explain: async () => [],
    dispose: () => {},
    ...overrides,
  };
}

describe('view store', () => {
  it('init opens the default scenario at its last step', async () => {
    const client = fakeClient();
    const store = createViewStore(client);
    await store.getState().init();
    const s = store.getState();
    expect(s.status).toBe('ready');
    expect(s.scenarioId).toBe('a');
    expect(s.builtins.map((b) => b.id)).toEqual(['a']);
    expect(s.step).toBe(2);
    expect(s.snapshot?.step).toBe(2);
    expect(client.calls).toEqual(['get a', 'run', 'snapshot 2']);
  });

  it('turns worker failures into a visible message', async () => {
    const store = createViewStore(fakeClient({ run: async () => { throw new Error('boom'); } }));
    await store.getState().init();
    expect(store.getState().status).toBe('error');
    expect(store.getState().message).toBe('boom');
  });

  it('reports scenario validation errors', async () => {
    const bad: RunSummary = { id: 'a', title: 'A', source: '', events: [], errors: [{ path: 'devices[0]', message: 'name missing' }] };
    const store = createViewStore(fakeClient({ run: async () => bad }));
    await store.getState().init();
    expect(store.getState().status).toBe('error');
    expect(store.getState().message).toContain('devices[0]: name missing');
    expect(store.getState().step).toBe(-1);
  });

  it('clamps steps and keeps selection separate', async () => {
    const store = createViewStore(fakeClient());
    await store.getState().init();
    await store.getState().goToStep(99);
    expect(store.getState().step).toBe(2);
    await store.getState().goToStep(-5);
    expect(store.getState().step).toBe(-1);
    store.getState().select('device:/devices/platform');
    expect(store.getState().selected).toBe('device:/devices/platform');
  });
});
