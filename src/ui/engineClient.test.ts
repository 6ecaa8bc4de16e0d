/** The supervised engine client with an in-process fake worker (a MessageChannel serving Comlink). */
import { describe, expect, it } from 'vitest';
import * as Comlink from 'comlink';
import { createEngineClient, EngineRestartError } from './engineClient';
import { diffSnapshot } from '../worker/delta';
import type { UiSnapshot as Snapshot } from '../worker/protocol';

const snap = (step: number): Snapshot => ({
  step, devices: [], drivers: [], modules: [], firmware: [], facts: {}, counts: { uevents: step, log: 2 * step, monitorLines: 3 * step }, overrideBuses: ['platform'],
  tsm: { reportProvider: null, classDevices: [] }, files: {}, kernelVersion: '6.18', udevRunning: true,
});
let ids = 1;
const BASIS_TOKEN = 'basis-token-1';
const BASIS_DEVICE = { name: 'b0', bus: 'platform', class: null, devpath: '/devices/platform/b0', parent: '/devices/platform', driver: null, modalias: 'platform:b0', driverOverride: null, unbindable: false, ofNode: null, acpiHid: null, firmwareNode: null, deferred: false, devmParent: null, createdBy: null, uevent: ['MODALIAS=platform:b0'] };

/** a fake worker: `run` of a scenario titled "hang" never answers; everything else answers at once */
function fakeWorkers() {
  const started: { runs: string[]; snapshotCalls: number[]; tokens: (string | null)[]; terminated: boolean }[] = [];
  const stepAt = (step: number) => ({ delta: diffSnapshot(null, null, snap(step), ids++), event: { index: step, kind: 'phase', text: `e${step}`, cite: '', depth: 0, touches: {} } });
  const spawn = () => {
    const { port1, port2 } = new MessageChannel();
    const me = { runs: [] as string[], snapshotCalls: [] as number[], tokens: [] as (string | null)[], terminated: false };
    started.push(me);
    Comlink.expose({
      run: (json: string) => {
        me.runs.push(json);
        const scenario = JSON.parse(json);
        if (scenario.title === 'hang') return new Promise(() => {});
        if (scenario.title === 'slow') return new Promise((resolve) => setTimeout(() => resolve({ info: { summary: { id: 'slow', title: 't', source: '', eventCount: 0, errors: [] }, scenario, variant: null, actionStarts: [], layoutBasis: null }, last: null }), 150));
        // a scenario's `events` say how many events its run has: the snapshot at its last step comes with the run
        const last = typeof scenario.events === 'number' ? { step: scenario.events - 1, ...stepAt(scenario.events - 1) } : null;
        // the worker's answer for a scenario kept as given: no copy of it on the wire
        const asSent = scenario.title === 'as-sent';
        // a run with a layout basis names it with a token (WireRun.basisToken)
        const withBasis = scenario.title === 'basis';
        const layoutBasis = withBasis ? { ...snap(0), devices: [BASIS_DEVICE] } : null;
        return { info: { summary: { id: 'x', title: 't', source: '', eventCount: scenario.events ?? 0, errors: [] }, scenario: asSent ? null : scenario, variant: null, actionStarts: [], layoutBasis }, last, scenarioAsSent: asSent, basisToken: withBasis ? BASIS_TOKEN : null };
      },
      snapshotDelta: (step: number, _slot: string, held: number[], token: string | null) => {
        me.snapshotCalls.push(step);
        me.tokens.push(token ?? null);
        // a run titled "basis" has a layout basis of one device: a delta names it by its place, against the snapshot held
        if (token === BASIS_TOKEN && held.length) {
          const { delta, event } = stepAt(step);
          return { event, delta: { ...delta, base: Math.max(...held), devices: [{ b: 1 }], fromBasis: { refs: { devices: Int32Array.from([0]) }, lengths: { devices: 1, drivers: 0, modules: 0, firmware: 0 } } } };
        }
        return stepAt(step);
      },
      listBuiltins: () => [],
      // the paged views' calls: what they were asked, back
      lines: async (list: string, from: number, to: number, step: number, slot: string) => [`${list} ${from}-${to} at ${step} in ${slot}`],
      sysfsDirs: async (step: number, dirs: [string, number][], slot: string) => dirs.map(([path, limit]) => ({ path, entries: [{ name: `${step} ${limit} ${slot}`, kind: 'file' }], total: 1 })),
    }, port2);
    port1.start();
    const worker = Object.assign(port1, { terminate: () => { me.terminated = true; port1.close(); port2.close(); } });
    return worker as unknown as Worker;
  };
  return { spawn, started };
}

describe('engine client supervision', () => {
  it('a call with no answer within the timeout rejects, the worker is replaced and the last good run replayed', async () => {
    const { spawn, started } = fakeWorkers();
    const reasons: string[] = [];
    const engine = createEngineClient({ spawn, timeoutMs: 100, runBudgetMs: 50 });
    engine.onRestart((r) => reasons.push(r));
    await engine.run({ id: 'good', title: 'ok' });
    await expect(engine.run({ id: 'bad', title: 'hang' })).rejects.toBeInstanceOf(EngineRestartError);
    // a run may take the engine's own budget on top of the timeout
    expect(reasons).toEqual([expect.stringContaining('did not answer within 0.15 s')]);
    expect(started).toHaveLength(2);
    expect(started[0]!.terminated).toBe(true);
    // the next request waits for the replay of the last good run on the new worker, then answers
    expect(await engine.snapshot(3)).toEqual({ snapshot: snap(3), event: expect.objectContaining({ index: 3, text: 'e3' }) });
    expect(started[1]!.runs.map((j) => JSON.parse(j).id)).toEqual(['good']);
    engine.dispose();
  });
  it('a run may take the engine\'s own wall-time budget on top of the timeout; other calls may not', async () => {
    const { spawn, started } = fakeWorkers();
    const reasons: string[] = [];
    const engine = createEngineClient({ spawn, timeoutMs: 60, runBudgetMs: 400 });
    engine.onRestart((r) => reasons.push(r));
    expect((await engine.run({ id: 'slow', title: 'slow' })).summary.id).toBe('slow');
    expect(reasons).toEqual([]);
    expect(started).toHaveLength(1);
    engine.dispose();
  });
  it('cancel() stops a run in flight the same way, and later calls never queue behind it', async () => {
    const { spawn, started } = fakeWorkers();
    const engine = createEngineClient({ spawn, timeoutMs: 60_000 });
    const hung = engine.run({ id: 'bad', title: 'hang' });
    engine.cancel();
    await expect(hung).rejects.toThrow(/cancelled/);
    expect(await engine.listBuiltins()).toEqual([]);
    expect(started).toHaveLength(2);
    engine.dispose();
  });
  it('the paged views\' requests reach the worker with their step and slot', async () => {
    const { spawn } = fakeWorkers();
    const engine = createEngineClient({ spawn });
    expect(await engine.lines('dmesg', 128, 256, 7, 'main')).toEqual(['dmesg 128-256 at 7 in main']);
    expect(await engine.sysfsDirs(9, [['/sys/bus', 200]], 'compare')).toEqual([{ path: '/sys/bus', entries: [{ name: '9 200 compare', kind: 'file' }], total: 1 }]);
    // the counts arrive with the snapshot; the lists do not
    const { snapshot } = await engine.snapshot(4);
    expect(snapshot.counts).toEqual({ uevents: 4, log: 8, monitorLines: 12 });
    expect(Object.keys(snapshot)).not.toContain('sysfs');
    engine.dispose();
  });
  it("the snapshot at the run's last step comes with the run: the first request for that step is answered without the worker, any other by it", async () => {
    const { spawn, started } = fakeWorkers();
    const engine = createEngineClient({ spawn });
    await engine.run({ id: 'a', title: 'ok', events: 10 });
    expect(await engine.snapshot(9)).toEqual({ snapshot: snap(9), event: expect.objectContaining({ index: 9 }) });
    expect(started[0]!.snapshotCalls).toEqual([]);
    // once only: the next request for it, and a request for another step, reach the worker
    expect((await engine.snapshot(9)).snapshot).toEqual(snap(9));
    expect((await engine.snapshot(4)).snapshot).toEqual(snap(4));
    expect(started[0]!.snapshotCalls).toEqual([9, 4]);
    // a run whose first request is for another step: the worker answers it (the run's last snapshot is dropped)
    await engine.run({ id: 'b', title: 'ok', events: 20 });
    expect((await engine.snapshot(3)).snapshot).toEqual(snap(3));
    expect((await engine.snapshot(19)).snapshot).toEqual(snap(19));
    expect(started[0]!.snapshotCalls).toEqual([9, 4, 3, 19]);
    engine.dispose();
  });
  it('a scenario the worker kept as given is not sent back: the run info holds the parsed text that was sent', async () => {
    const { spawn } = fakeWorkers();
    const engine = createEngineClient({ spawn });
    const mine = { id: 's', title: 'as-sent', nested: { list: [1, 2] }, dropped: undefined };
    const info = await engine.run(mine);
    // what the worker validated: the JSON text (an undefined key is not in it), not the caller's object
    expect(info.scenario).toEqual({ id: 's', title: 'as-sent', nested: { list: [1, 2] } });
    expect(Object.keys(info.scenario!)).not.toContain('dropped');
    expect(info.scenario).not.toBe(mine);
    expect((info.scenario as unknown as typeof mine).nested).not.toBe(mine.nested);
    // any other answer keeps the scenario the worker sent
    expect((await engine.run({ id: 't', title: 'ok' })).scenario).toEqual({ id: 't', title: 'ok' });
    engine.dispose();
  });
  it("gives the run's basis token back with each snapshot request, and makes the records a delta names by place from the basis it holds", async () => {
    const { spawn, started } = fakeWorkers();
    const engine = createEngineClient({ spawn });
    const info = await engine.run({ id: 'b', title: 'basis', events: 10 });
    expect(info.layoutBasis?.devices).toEqual([BASIS_DEVICE]);
    // the client holds the snapshot that came with the run: the worker answers with a delta against it, naming basis device 0
    const { snapshot } = await engine.snapshot(4);
    expect(started[0]!.tokens).toEqual([BASIS_TOKEN]);
    expect(snapshot.devices).toEqual([BASIS_DEVICE]);
    // the very record the client holds in the basis, not a copy
    expect(snapshot.devices[0]).toBe(info.layoutBasis!.devices[0]);
    // a run without a basis: no token goes back, so the worker names no basis record
    await engine.run({ id: 'n', title: 'ok', events: 5 });
    await engine.snapshot(2);
    expect(started[0]!.tokens.at(-1)).toBeNull();
    engine.dispose();
  });
  it('scenarios cross as JSON text, so nesting structured clone would choke on survives the post', async () => {
    const { spawn, started } = fakeWorkers();
    const engine = createEngineClient({ spawn });
    let deep: unknown = { leaf: true };
    for (let i = 0; i < 500; i++) deep = { a: [deep] };
    await engine.run({ id: 'deep', title: 'ok', deep });
    expect(typeof started[0]!.runs[0]).toBe('string');
    engine.dispose();
  });
});
