import { describe, expect, it, vi } from 'vitest';
import type { Scenario, TraceEvent } from '../engine/index';
import type { RunHead, RunInfo, SysfsDir, UiSnapshot as Snapshot } from '../worker/protocol';
import { indexOf } from '../worker/eventIndex';
import { resolveStop } from '../engine/scenario/walkthrough';
import type { EngineClient } from './engineClient';
import { BOTTOM_PANEL, EDITOR_STORAGE_KEY, LAYOUT_STORAGE_KEY, createViewStore, defaultCompareDesign, nextStop, variantBase, parseBottomPanel } from './store';

// A stand-in for the worker client (the store's only dependency); not an engine.
const VARIANT = { realm: true, firmware: 'dt', psci: '1.1', conduit: 'smc', module: 'module', udev: true } as const;

function fakeClient(overrides: Partial<EngineClient> = {}): EngineClient & { calls: string[]; asked: string[] } {
  const calls: string[] = [];
  const asked: string[] = [];
  const event = (index: number): TraceEvent => ({ index, kind: 'phase', text: `e${index}`, cite: '', depth: 0, touches: {} });
  const summary = (id: string, n: number): RunHead => ({ id, title: id, source: 'test', eventCount: n, errors: [] });
  // the long lists grow with the step: 10 lines of each text an event
  const snap = (step: number): Snapshot => ({
    step, devices: [], drivers: [], modules: [], firmware: [], facts: {}, counts: { uevents: step + 1, log: 10 * (step + 1), monitorLines: 10 * (step + 1) },
    overrideBuses: [], tsm: { reportProvider: null, classDevices: [] }, udevRunning: true, files: {}, kernelVersion: '7.0',
  });
  // a /sys whose /sys/devices/platform holds one device directory an event (step + 1 of them)
  const dir = (step: number, path: string, limit: number): SysfsDir => {
    const entries: SysfsDir['entries'] =
      path === '/sys' ? [{ name: 'bus', kind: 'dir' }, { name: 'devices', kind: 'dir' }]
      : path === '/sys/devices' ? [{ name: 'platform', kind: 'dir' }]
      : path === '/sys/devices/platform' ? Array.from({ length: step + 1 }, (_, i) => ({ name: `dev${i}`, kind: 'dir' as const }))
      : path.startsWith('/sys/devices/platform/dev') && Number(path.slice(25)) <= step ? [{ name: 'uevent', kind: 'file' }]
      : path === '/sys/bus' ? [{ name: 'empty', kind: 'dir', empty: true }]
      : [];
    return { path, entries: entries.slice(0, limit), total: entries.length };
  };
  const scenario = (id: string) => ({ id }) as unknown as Scenario;
  const info = (s: unknown, n: number): RunInfo => ({
    summary: summary((s as { id: string }).id, n),
    index: indexOf(Array.from({ length: n }, (_, i) => event(i))),
    storyStep: null,
    scenario: s as Scenario,
    variant: { ...VARIANT, ...(s as { v?: object }).v },
    actionStarts: (s as { actions?: unknown[] }).actions ? [n - 2] : [],
    layoutBasis: snap(n - 1),
    moduleChanges: [],
    layout: null,
  });
  return {
    calls,
    asked,
    cancel: () => calls.push('cancel'),
    onRestart: () => {},
    listBuiltins: async () => [{ id: 'a', title: 'A', description: '', design: 'mainline', side: 'guest', revision: '', source: '', kernel: '7.0', extrapolated: [] }],
    listDesigns: async () => [
      { id: 'a', title: 'A', description: '', design: 'mainline', side: 'guest', revision: '', source: '', kernel: '7.0', extrapolated: [] },
      { id: 'f', title: 'F', description: '', design: 'faux', side: 'guest', revision: '', source: '', kernel: '7.0', extrapolated: [] },
    ],
    defaultScenarioId: async () => 'a',
    getScenario: async (id) => (calls.push(`get ${id}`), scenario(id)),
    defaultVariant: async () => ({ ...VARIANT }),
    builtinWithVariant: async (id, v) => (calls.push(`variant ${id} ${JSON.stringify(v)}`), { ...scenario(id), v } as unknown as Scenario),
    validate: async (s) => (calls.push('validate'), (s as { id?: unknown }).id ? [] : [{ path: 'id', message: 'Required' }]),
    run: async (s, slot = 'main') => (calls.push(`run ${slot}`), info(s, 3)),
    snapshot: async (step, slot = 'main') => (calls.push(`snapshot ${step} ${slot}`), { snapshot: snap(step), event: step >= 0 ? event(step) : null }),
    // not in `calls`: pages, findings and stops are asked as the view needs them (pages and sysfs in `asked`)
    events: async (from, to) => Array.from({ length: Math.max(0, to - from) }, (_, i) => event(from + i)),
    lines: async (list, from, to, step) => (asked.push(`${list} ${from}-${to} @${step}`), Array.from({ length: Math.max(0, Math.min(to, 10 * (step + 1)) - from) }, (_, i) => `${list} ${from + i}`)),
    uevents: async (from, to, step) => (asked.push(`uevents ${from}-${to} @${step}`), []),
    latestUevent: async () => null,
    sysfsDirs: async (step, dirs) => (asked.push(`sysfs @${step}: ${dirs.map(([p]) => p).join(' ')}`), dirs.map(([p, limit]) => dir(step, p, limit))),
    findings: async () => [],
    // the walkthrough resolver over the fake run's events (every run here has 3)
    resolveStop: async (stop) => resolveStop(stop, Array.from({ length: 3 }, (_, i) => event(i))),
    explain: async (step, devpath) => (calls.push(`explain ${step} ${devpath}`), []),
    ueventFile: async (step, devpath) => (calls.push(`ueventFile ${step} ${devpath}`), [`DEVPATH=${devpath}`, `STEP=${step}`]),
    layout: async (expanded) => (calls.push(`layout ${expanded.join(',')}`), { places: [], ms: 0, expanded }),
    withAction: async (action, step) => (calls.push(`withAction ${action.op} ${step}`), { id: 'a', actions: [action] } as unknown as Scenario),
    importFiles: async () => null,
    machineReport: async () => null,
    dispose: () => {},
    ...overrides,
  };
}

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

describe('view store', () => {
  it('init opens the default design at its last step', async () => {
    const client = fakeClient();
    const store = createViewStore(client);
    await store.getState().init();
    const s = store.getState();
    expect(s.status).toBe('ready');
    expect(s.designId).toBe('a');
    expect(s.scenarioId).toBe('a');
    expect(s.designs.map((b) => b.id)).toEqual(['a', 'f']);
    expect(s.step).toBe(2);
    expect(s.snapshot?.step).toBe(2);
    expect(s.variant).toEqual(VARIANT);
    expect(client.calls).toEqual(['get a', 'run main', 'snapshot 2 main']);
  });

  it('turns worker failures into a visible message', async () => {
    const store = createViewStore(fakeClient({ run: async () => { throw new Error('boom'); } }));
    await store.getState().init();
    expect(store.getState().status).toBe('error');
    expect(store.getState().message).toBe('boom');
  });

  it('reports an invalid run and keeps the previous one on screen', async () => {
    let bad = false;
    const client = fakeClient();
    const good = client.run;
    client.run = async (s, slot) => {
      const r = await good(s, slot);
      return bad ? { ...r, scenario: null, summary: { ...r.summary, eventCount: 0, errors: [{ path: 'modules[0]', message: 'name missing' }] } } : r;
    };
    const store = createViewStore(client);
    await store.getState().init();
    bad = true;
    await store.getState().openDesign('f');
    expect(store.getState().status).toBe('error');
    expect(store.getState().message).toContain('modules[0]: name missing');
    expect(store.getState().designId).toBe('a');
    expect(store.getState().snapshot?.step).toBe(2);
  });

  it('keeps firmware toggles when switching designs', async () => {
    const client = fakeClient();
    const store = createViewStore(client);
    await store.getState().init();
    await store.getState().setVariant({ firmware: 'acpi' });
    expect(client.calls).toContain(`variant a ${JSON.stringify({ ...VARIANT, firmware: 'acpi' })}`);
    await store.getState().openDesign('f');
    expect(client.calls.at(-3)).toMatch(/^variant f /);
    expect(store.getState().designId).toBe('f');
  });

  it('clamps steps, asks for explanations of a selected device, stops playing at the end', async () => {
    const client = fakeClient();
    const store = createViewStore(client);
    await store.getState().init();
    await store.getState().goToStep(99);
    expect(store.getState().step).toBe(2);
    await store.getState().goToStep(-5);
    expect(store.getState().step).toBe(-1);
    store.getState().setPlaying(true);
    expect(store.getState().playing).toBe(true);
    await store.getState().goToStep(2);
    expect(store.getState().playing).toBe(false);
    await store.getState().select('driver:platform/x');
    expect(store.getState().selected).toBe('driver:platform/x');
    expect(client.calls.some((c) => c.startsWith('explain'))).toBe(false);
  });

  it('a selected device\'s uevent file comes from the worker at the step, fetched again when the step moves', async () => {
    const base = fakeClient();
    const dev = { name: 'dev0', bus: 'platform', class: null, devpath: '/devices/platform/dev0', parent: null, driver: null, modalias: 'platform:dev0', driverOverride: null, unbindable: false, ofNode: null, acpiHid: null, firmwareNode: null, deferred: false, devmParent: null, createdBy: null };
    const client: typeof base = { ...base, snapshot: async (step, slot) => { const v = await base.snapshot(step, slot); return { ...v, snapshot: { ...v.snapshot, devices: [dev] } }; } };
    const store = createViewStore(client);
    await store.getState().init();
    expect(store.getState().selectedUevent).toBeNull();
    await store.getState().select('device:/devices/platform/dev0');
    expect(base.calls).toContain('ueventFile 2 /devices/platform/dev0');
    expect(store.getState().selectedUevent).toEqual(['DEVPATH=/devices/platform/dev0', 'STEP=2']);
    await store.getState().goToStep(1);
    expect(store.getState().selectedUevent).toEqual(['DEVPATH=/devices/platform/dev0', 'STEP=1']);
    await store.getState().select(null);
    expect(store.getState().selectedUevent).toBeNull();
  });

  it('applies a user action at the current step and jumps to it', async () => {
    const client = fakeClient();
    const store = createViewStore(client);
    await store.getState().init();
    await store.getState().goToStep(1);
    await store.getState().applyAction({ op: 'unbind', device: 'arm-smccc' });
    expect(client.calls).toContain('withAction unbind 1');
    expect(store.getState().userActions).toEqual([{ op: 'unbind', device: 'arm-smccc' }]);
    expect(store.getState().step).toBe(1); // actionStarts[last] = n - 2
  });

  it('compare mode runs the other design in its own slot at the aligned step', async () => {
    const client = fakeClient();
    const store = createViewStore(client);
    await store.getState().init();
    await store.getState().setMode('compare');
    expect(store.getState().compare.designId).toBe('f');
    expect(client.calls).toContain('run compare');
    expect(store.getState().compare.snapshot?.step).toBe(2);
    await store.getState().goToStep(-1);
    expect(store.getState().compare.step).toBe(-1);
  });

  it('compare view: the table shows by default with identical rows folded; switching the view re-runs nothing', async () => {
    const client = fakeClient();
    const store = createViewStore(client);
    await store.getState().init();
    await store.getState().setMode('compare');
    expect(store.getState().compareView).toEqual({ table: true, graphs: 'services', sameRows: false });
    const calls = client.calls.length;
    store.getState().setCompareView({ table: false });
    store.getState().setCompareView({ graphs: 'all' });
    expect(store.getState().compareView).toEqual({ table: false, graphs: 'all', sameRows: false });
    expect(client.calls).toHaveLength(calls); // no worker call
    await store.getState().setCompareDesign('a');
    expect(store.getState().compareView.graphs).toBe('all'); // kept across designs
  });

  it('compare runs once even when the other design reads its toggles differently', async () => {
    const client = fakeClient();
    const run = client.run;
    // e.g. a design without a TSM module: its variant says module "module" whatever was asked
    client.run = async (sc, slot) => ({ ...(await run(sc, slot)), ...(slot === 'compare' ? { variant: { ...VARIANT, module: 'builtin' as const } } : {}) });
    const store = createViewStore(client);
    await store.getState().init();
    await store.getState().setMode('compare');
    await store.getState().goToStep(1);
    expect(client.calls.filter((c) => c === 'run compare')).toHaveLength(1);
    await store.getState().setVariant({ udev: false });
    expect(client.calls.filter((c) => c === 'run compare')).toHaveLength(2);
  });

  it('editor: keeps the text, debounces, reports problems, runs valid text', async () => {
    const saved = new Map<string, string>([[EDITOR_STORAGE_KEY, '{"id":"kept"}']]);
    const storage = { getItem: (k: string) => saved.get(k) ?? null, setItem: (k: string, v: string) => void saved.set(k, v) };
    const client = fakeClient();
    const store = createViewStore(client, { debounceMs: 5, storage });
    expect(store.getState().editor.text).toBe('{"id":"kept"}');
    await store.getState().init();

    store.getState().setEditorText('{"id": ');
    store.getState().setEditorText('{"id": "x",}');
    expect(saved.get(EDITOR_STORAGE_KEY)).toBe('{"id": "x",}');
    expect(store.getState().editor.state).toBe('pending');
    // the check runs after the debounce and loads the JSON span code on first use: wait for it, not for a fixed time
    await vi.waitFor(() => expect(store.getState().editor.state).toBe('invalid'));
    expect(store.getState().editor.problems[0]!.message).toContain('JSON syntax');
    expect(client.calls.filter((c) => c === 'validate')).toHaveLength(0);

    store.getState().setEditorText('{"title": "no id"}');
    await vi.waitFor(() => expect(store.getState().editor.state).not.toBe('pending'));
    expect(store.getState().editor.problems).toEqual([{ path: 'id', message: 'Required', span: { from: 0, to: 18 } }]);
    expect(store.getState().scenarioId).toBe('a'); // the last valid run stays

    store.getState().setEditorText('{"id": "mine"}');
    await vi.waitFor(() => expect(store.getState().editor.state).toBe('valid'));
    expect(store.getState().scenarioId).toBe('mine');
    expect(store.getState().designId).toBeNull();
  });

  it('picks faux vs auxiliary as the default comparison', () => {
    const d = (id: string, design: string, side: 'guest' | 'host' = 'guest') => ({ id, title: id, description: '', design, side, revision: '', source: '', kernel: '7.0', extrapolated: [] });
    const designs = [d('mainline', 'mainline'), d('faux', 'faux'), d('auxiliary', 'auxiliary'), d('auxiliary-host', 'auxiliary', 'host')];
    expect(defaultCompareDesign('auxiliary', designs)).toBe('faux');
    expect(defaultCompareDesign('faux', designs)).toBe('auxiliary');
    expect(defaultCompareDesign('auxiliary-host', designs)).toBe('mainline');
  });
});

describe('variantBase', () => {
  it("names the design a standard variant's id extends, the longest one", () => {
    const d = (id: string) => ({ id, title: id, description: '', design: 'auxiliary', side: 'guest' as const, revision: '', source: '', kernel: '7.0', extrapolated: [] });
    const designs = [d('auxiliary'), d('auxiliary-host'), d('auxiliary-v2'), d('auxiliary-v2-host')];
    expect(variantBase('auxiliary-noudev', designs)).toBe('auxiliary');
    expect(variantBase('auxiliary-v2-host-acpi', designs)).toBe('auxiliary-v2-host');
    expect(variantBase('auxiliary-v2', designs)).toBeNull(); // a design itself
    expect(variantBase('faux-acpi', designs)).toBeNull();
  });
});

describe('event panel layout', () => {
  it('reads a stored panel state, clamped, and falls back to the default on junk', () => {
    expect(parseBottomPanel(null)).toEqual({ open: true, height: BOTTOM_PANEL.initial });
    expect(parseBottomPanel('not json')).toEqual({ open: true, height: BOTTOM_PANEL.initial });
    expect(parseBottomPanel(JSON.stringify({ bottom: { open: false, height: 240 } }))).toEqual({ open: false, height: 240 });
    expect(parseBottomPanel(JSON.stringify({ bottom: { open: true, height: 5 } }))).toEqual({ open: true, height: BOTTOM_PANEL.min });
    expect(parseBottomPanel(JSON.stringify({ bottom: { height: 'x' } }))).toEqual({ open: true, height: BOTTOM_PANEL.initial });
  });

  it('keeps the panel state in storage and starts from it', () => {
    const data = new Map<string, string>();
    const storage = { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v) };
    const a = createViewStore(fakeClient(), { storage });
    a.getState().setBottomPanel({ height: 300 });
    a.getState().setBottomPanel({ open: false });
    expect(JSON.parse(data.get(LAYOUT_STORAGE_KEY)!)).toEqual({ bottom: { open: false, height: 300 } });
    const b = createViewStore(fakeClient(), { storage });
    expect(b.getState().bottomPanel).toEqual({ open: false, height: 300 });
  });
});

describe('play to the next …', () => {
  const events = indexOf(['phase', 'uevent', 'match', 'bind', 'uevent', 'module'].map((kind, index) => ({ index, kind, depth: 0, text: '' })));
  it('finds the next uevent or bind after the step, and the next module state change', () => {
    expect(nextStop(events, -1, 'uevent', null)).toBe(1);
    expect(nextStop(events, 1, 'uevent', null)).toBe(4);
    expect(nextStop(events, 4, 'uevent', null)).toBeNull();
    expect(nextStop(events, 0, 'bind', null)).toBe(3);
    const changes = [{ step: 2, state: 'builtin' }, { step: 5, state: 'loaded' }, { step: 6, state: 'not-loaded' }];
    expect(nextStop(events, -1, 'module', changes)).toBe(2);
    expect(nextStop(events, 2, 'module', changes)).toBe(5);
    expect(nextStop(events, 5, 'module', changes)).toBeNull(); // an rmmod is not a load
    expect(nextStop(events, 0, 'module', null)).toBeNull();
  });
});

describe('view store: links and fast keys', () => {
  it('N quick steps move N steps even when the worker answers slowly', async () => {
    const client = fakeClient();
    const slow = client.snapshot;
    client.snapshot = async (step, slot) => (await tick(5), slow(step, slot));
    client.run = async (s, slot = 'main') => ({ ...(await fakeClient().run(s, slot)), summary: { id: 'a', title: 'a', source: '', errors: [], eventCount: 30 } });
    const store = createViewStore(client);
    await store.getState().init();
    await store.getState().goToStep(-1);
    const presses = Array.from({ length: 20 }, () => store.getState().stepBy(1));
    await Promise.all(presses);
    expect(store.getState().step).toBe(19);
  });

  it('openLink: an unknown design opens the default and says so', async () => {
    const client = fakeClient();
    const store = createViewStore(client);
    await store.getState().init({ view: { ...(await import('./link')).EMPTY_LINK, design: 'nope', step: 1 }, problems: [], given: true });
    expect(store.getState().designId).toBe('a');
    expect(store.getState().status).toBe('ready');
    expect(store.getState().message).toMatch(/no built-in design "nope"/);
  });

  it('openLink: a built-in with actions runs them and counts the user\'s', async () => {
    const client = fakeClient();
    const runs: unknown[] = [];
    const run = client.run;
    client.run = async (s, slot) => (runs.push(s), run(s, slot));
    const store = createViewStore(client);
    const { EMPTY_LINK } = await import('./link');
    await store.getState().init({ view: { ...EMPTY_LINK, design: 'a', actions: [{ op: 'unbind', device: 'x', at: 1 }], userActions: 1, step: 0, selected: 'device:/x' }, problems: [], given: true });
    expect(store.getState().designId).toBe('a');
    expect(runs.at(-1)).toMatchObject({ id: 'a', actions: [{ op: 'unbind', device: 'x', at: 1 }] });
    expect(store.getState().userActions).toEqual([{ op: 'unbind', device: 'x' }]);
    expect(store.getState().step).toBe(0);
    expect(store.getState().selected).toBe('device:/x');
    expect(store.getState().message).toBeNull();
  });
});

describe('view store: presenting', () => {
  const walkthrough = {
    id: 'w',
    title: 'W',
    stops: [
      { at: { kind: 'phase', textIncludes: 'e1' }, caption: 'one' },
      { at: 'end', caption: 'two' },
      { at: 'start', caption: 'three' },
      { at: { textIncludes: 'nothing' }, caption: 'four' },
    ],
  };

  it('plays a scenario\'s own walkthrough: stops by event, quick presses coalesce, unmatched stops explained', async () => {
    const client = fakeClient();
    const store = createViewStore(client);
    await store.getState().init();
    expect(await store.getState().importScenario(JSON.stringify({ id: 'mine', walkthrough }), 'mine.json')).toBe(true);
    await store.getState().present('w');
    let p = store.getState().presentation!;
    expect(p.walk.id).toBe('w');
    expect(p.stop).toBe(0);
    expect(p.ready).toBe(true);
    expect(store.getState().step).toBe(1); // the event whose text has "e1"
    // two presses before anything lands: both count
    const a = store.getState().presentBy(1);
    const b = store.getState().presentBy(1);
    expect(store.getState().presentation!.stop).toBe(2);
    await Promise.all([a, b]);
    expect(store.getState().step).toBe(-1); // "start"
    await store.getState().presentBy(5); // clamped to the last stop
    p = store.getState().presentation!;
    expect(p.stop).toBe(3);
    expect(p.problem).toMatch(/stop 4: no event matches "nothing" in mine/);
    expect(store.getState().step).toBe(2); // the last step instead
    store.getState().leavePresentation();
    expect(store.getState().presentation).toBeNull();
  });

  it('an unknown walkthrough is a message, not a blank screen', async () => {
    const store = createViewStore(fakeClient());
    await store.getState().init();
    await store.getState().present('nope');
    expect(store.getState().presentation).toBeNull();
    expect(store.getState().message).toMatch(/no walkthrough "nope"/);
  });
});

describe('editor after a reload', () => {
  const kept = (text: string) => {
    const data = new Map([[EDITOR_STORAGE_KEY, text]]);
    return { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v) };
  };

  it('checks and runs the kept text as soon as the editor opens, without a keystroke', async () => {
    const client = fakeClient();
    const store = createViewStore(client, { storage: kept('{"id": "mine"}'), debounceMs: 10_000 });
    await store.getState().init();
    expect(store.getState().editor.state).toBe('pending');
    await store.getState().setMode('edit');
    expect(store.getState().editor.state).toBe('valid');
    expect(store.getState().scenarioId).toBe('mine');
    expect(store.getState().designId).toBeNull();
  });

  it('shows a syntax error in kept text at once', async () => {
    const store = createViewStore(fakeClient(), { storage: kept('{ "id": '), debounceMs: 10_000 });
    await store.getState().init();
    await store.getState().setMode('edit');
    expect(store.getState().editor.state).toBe('invalid');
    expect(store.getState().editor.problems[0]!.message).toMatch(/^JSON syntax/);
    expect(store.getState().scenarioId).toBe('a'); // the design stays on screen
  });
});

describe('quick key presses', () => {
  it('steps from the step last asked for, not from one still on its way', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const client = fakeClient();
    const store = createViewStore(client);
    await store.getState().init(); // at step 2 of 3
    await store.getState().goToStep(-1); // Home, landed
    const slow = fakeClient().snapshot;
    client.snapshot = async (step, slot) => {
      await gate;
      return slow(step, slot);
    };
    const b = store.getState().goToStep(2); // End, on its way
    const c = store.getState().stepBy(-1); // ← from End: 1
    const d = store.getState().stepBy(1); // → from there: 2 (from the landed Home it would be 0)
    release();
    await Promise.all([b, c, d]);
    expect(store.getState().step).toBe(2);
  });
});

describe('view store: the paged views', () => {
  it('the monitor and dmesg lines are fetched as far as the step has them; a later step with more fetches the short page again, an earlier one nothing', async () => {
    const client = fakeClient();
    const store = createViewStore(client);
    await store.getState().init();
    await store.getState().goToStep(0);
    await store.getState().loadRows('dmesg', 0, 50);
    expect(client.asked).toEqual(['dmesg 0-10 @0']);
    expect(store.getState().pages.dmesg.pages.get(0)).toHaveLength(10);
    await store.getState().goToStep(2);
    await store.getState().loadRows('dmesg', 0, 50);
    expect(client.asked.at(-1)).toBe('dmesg 0-30 @2');
    expect(store.getState().pages.dmesg.pages.get(0)).toHaveLength(30);
    const n = client.asked.length;
    await store.getState().goToStep(1);
    await store.getState().loadRows('dmesg', 0, 50);
    // the 20 lines of step 1 are the first 20 held
    expect(client.asked).toHaveLength(n);
    // the lists are pages of their own
    await store.getState().loadRows('monitor', 0, 50);
    expect(client.asked.at(-1)).toBe('monitor 0-20 @1');
    expect(store.getState().pages.monitor.pages.get(0)?.[19]).toBe('monitor 19');
  });

  it('the mail text\'s uevents: all of them at the step, fetched once for the action', async () => {
    const client = fakeClient();
    const store = createViewStore(client);
    await store.getState().init();
    await store.getState().goToStep(1);
    await store.getState().uevents('main');
    expect(client.asked).toEqual(['uevents 0-2 @1']);
  });

  it('the /sys tab fetches its open directories at the step, and each step brings them with its snapshot', async () => {
    const client = fakeClient();
    const store = createViewStore(client);
    await store.getState().init();
    await store.getState().goToStep(1);
    // no /sys tab, no listing asked for
    expect(client.asked.filter((a) => a.startsWith('sysfs'))).toEqual([]);
    store.getState().setBottomTab('sysfs');
    await tick(5);
    let v = store.getState().sysfsView!;
    expect(v.step).toBe(1);
    // open by default down the tree, one round a level: /sys, then devices and bus, then platform, then its devices
    expect([...v.dirs.keys()].sort()).toEqual(['/sys', '/sys/bus', '/sys/devices', '/sys/devices/platform', '/sys/devices/platform/dev0', '/sys/devices/platform/dev1']);
    expect(client.asked.filter((a) => a.startsWith('sysfs'))).toHaveLength(4);
    // a step: the open directories at the new step come in the same state change as its snapshot
    const seen: [number, number | undefined][] = [];
    const off = store.subscribe((s) => seen.push([s.step, s.sysfsView?.step]));
    client.asked.length = 0;
    await store.getState().goToStep(2);
    await tick(5);
    off();
    expect(seen.filter(([step]) => step === 2).every(([, at]) => at === 2)).toBe(true);
    expect(client.asked[0]).toBe('sysfs @2: /sys /sys/bus /sys/devices /sys/devices/platform /sys/devices/platform/dev0 /sys/devices/platform/dev1');
    // the device directory new at step 2 opens by default, in a round of its own
    expect(client.asked[1]).toBe('sysfs @2: /sys/devices/platform/dev2');
    v = store.getState().sysfsView!;
    expect(v.dirs.get('/sys/devices/platform')!.entries).toHaveLength(3);
    // a directory closed: nothing under it is asked for again
    store.getState().toggleSysfsDir('/sys/devices', false);
    client.asked.length = 0;
    await store.getState().goToStep(0);
    expect(client.asked).toEqual(['sysfs @0: /sys /sys/bus']);
    // another tab: steps ask for no directory
    store.getState().setBottomTab('events');
    client.asked.length = 0;
    await store.getState().goToStep(1);
    expect(client.asked).toEqual([]);
  });

  it('a directory shows its first 200 entries; "more" asks for 500 more', async () => {
    const client = fakeClient();
    const store = createViewStore(client);
    await store.getState().init();
    store.getState().setBottomTab('sysfs');
    await tick(5);
    client.asked.length = 0;
    store.getState().showMoreSysfs('/sys/devices/platform');
    await tick(5);
    // the directory held shows all it has (3 < 200): nothing to fetch
    expect(client.asked).toEqual([]);
    expect(store.getState().sysfsLimits.get('/sys/devices/platform')).toBe(700);
  });
});

