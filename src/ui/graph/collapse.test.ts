import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DeviceView, DriverView, ModuleView, Snapshot } from '../../engine/api';
import { COLLAPSE, SUMMARY_HEIGHT, changedDevices, collapseNeeds, collapseStep, collapsedBasis, planCollapse, summaryNodeId, type CollapseNeeds } from './collapse';
import { layoutPositions, nodeId, snapshotToFlow, type GraphNode } from './toFlow';

// Hand-written snapshots (not the engine's): a platform bus with many devices.

function device(name: string, devpath: string, parent: string | null, extra: Partial<DeviceView> = {}): DeviceView {
  return {
    name, bus: null, class: null, devpath, parent, driver: null, modalias: null, driverOverride: null, unbindable: false,
    ofNode: null, acpiHid: null, firmwareNode: null, deferred: false, devmParent: null, createdBy: null, ...extra,
  };
}

function snapshot(parts: Partial<Snapshot>): Snapshot {
  return {
    step: 0, devices: [], drivers: [], modules: [], uevents: [], sysfs: [], log: [], firmware: [], facts: {},
    tsm: { reportProvider: null, classDevices: [] }, udevRunning: true, files: {}, kernelVersion: '7.0', ...parts,
  };
}

const P = '/devices/platform';
const pad = (i: number) => String(i).padStart(2, '0');
/** 40 platform devices dev00..dev39: even ones bound to drv-a (i % 4 == 0) or drv-b, odd ones unbound; dev37 deferred; dev33 has an auxiliary child */
function big(step = 0, bound = (i: number) => i % 2 === 0): Snapshot {
  const devices: DeviceView[] = [device('platform', P, null)];
  for (let i = 0; i < 40; i++) {
    const path = `${P}/dev${pad(i)}`;
    devices.push(device(`dev${pad(i)}`, path, P, { bus: 'platform', driver: bound(i) ? (i % 4 === 0 ? 'drv-a' : 'drv-b') : null, deferred: i === 37 }));
    if (i === 33) devices.push(device('aux.0', `${path}/aux.0`, path, { bus: 'auxiliary' }));
  }
  devices.sort((a, b) => (a.devpath < b.devpath ? -1 : 1));
  const on = (name: string) => devices.filter((d) => d.driver === name).map((d) => d.devpath);
  const drivers: DriverView[] = [
    { id: 'platform/drv-a', name: 'drv-a', bus: 'platform', module: 'mod_a', bindAttrs: true, devices: on('drv-a') },
    { id: 'platform/drv-b', name: 'drv-b', bus: 'platform', module: null, bindAttrs: true, devices: on('drv-b') },
  ];
  const modules: ModuleView[] = [{ name: 'mod_a', state: 'loaded', loadedBy: null, location: 'module', aliases: [], drivers: ['platform/drv-a'], initRet: 0 }];
  return snapshot({ step, devices, drivers, modules });
}

const GROUP = `devices:${P}`;
const SUMMARY = nodeId.device(`${P}/+more`);

function laidOut(basis: Snapshot, expanded: string[] = []) {
  const plan = planCollapse(basis, expanded);
  const cb = collapsedBasis(basis, plan);
  return { plan, positions: layoutPositions(cb.snapshot, undefined, undefined, cb.heights) };
}

function flowOf(snap: Snapshot, basis: Snapshot, spot: Parameters<typeof collapseStep>[3] = {}, expanded: string[] = []) {
  const { plan, positions } = laidOut(basis, expanded);
  const view = collapseStep(snap, plan, positions, spot);
  return { view, flow: snapshotToFlow(view.snapshot, { positions: view.positions, summaries: view.summaries, heights: view.heights, aliasEdges: view.aliasEdges, touched: spot.touched }) };
}

const ids = (nodes: GraphNode[]) => nodes.map((n) => n.id);

describe('collapsing large sibling groups', () => {
  it('leaves a graph with no group over the threshold as it is (the same objects)', () => {
    const small = snapshot({ devices: [device('platform', P, null), ...Array.from({ length: COLLAPSE.threshold }, (_, i) => device(`d${i}`, `${P}/d${pad(i)}`, P, { bus: 'platform' }))] });
    const plan = planCollapse(small);
    expect(plan.groups).toEqual([]);
    const positions = layoutPositions(small);
    const view = collapseStep(small, plan, positions, { touched: { devices: [`${P}/d03`] } });
    expect(view.snapshot).toBe(small);
    expect(view.positions).toBe(positions);
    expect(view.summaries.size).toBe(0);
    expect(collapsedBasis(small, plan).snapshot).toBe(small);
  });

  it('draws the head of a large group and one summary with counts by driver and state', () => {
    const basis = big();
    const { flow, view } = flowOf(basis, basis);
    const devices = flow.nodes.filter((n) => n.data.kind === 'device');
    expect(ids(devices)).toEqual([nodeId.device(P), ...[0, 1, 2, 3].map((i) => nodeId.device(`${P}/dev${pad(i)}`)), SUMMARY]);
    const s = flow.nodes.find((n) => n.id === SUMMARY)!;
    expect(s.data.group).toBe(GROUP);
    expect(s.data.state).toBe('summary');
    expect(s.height).toBe(SUMMARY_HEIGHT);
    // dev04..dev39: 18 even (bound: drv-a 9, drv-b 9), 18 odd (dev37 deferred), and aux.0 below dev33
    expect(s.data.label).toBe('+ 36 more platform devices');
    expect(s.data.detail).toBe('18 bound to 2 drivers (drv-a 9, drv-b 9) · 17 unbound · 1 probe deferred · + 1 device below them');
    expect(view.summaries.get(SUMMARY)!.hidden).toBe(36);
  });

  it('aggregates edges to the summary: one per parent, driver and firmware node', () => {
    const basis = big();
    const { flow } = flowOf(basis, basis);
    const toSummary = flow.edges.filter((e) => e.source === SUMMARY || e.target === SUMMARY).map((e) => e.id).sort();
    expect(toSummary).toEqual([
      `bound-to:${SUMMARY}->driver:platform/drv-a`,
      `bound-to:${SUMMARY}->driver:platform/drv-b`,
      `parent-child:device:${P}->${SUMMARY}`,
    ]);
    // the head's own edges are untouched: dev00 and dev02 are bound
    expect(flow.edges.map((e) => e.id)).toContain(`bound-to:device:${P}/dev00->driver:platform/drv-a`);
    expect(flow.edges.map((e) => e.id)).toContain(`bound-to:device:${P}/dev02->driver:platform/drv-b`);
  });

  it("draws a module's MODALIAS edge from the summary when the devices whose MODALIAS matched are hidden, and from the device once it is drawn", () => {
    const withAliases = (snap: Snapshot): Snapshot => ({
      ...snap,
      devices: snap.devices.map((d) => (d.bus === 'platform' ? { ...d, modalias: `platform:${d.name}` } : d)),
      modules: [
        ...snap.modules,
        // loaded by udev for dev30's uevent; and one udev would load for any of dev30..dev39 (not loaded yet)
        { name: 'mod_x', state: 'loaded', loadedBy: 'platform:dev30', location: 'module', aliases: ['platform:dev30'], drivers: [], initRet: 0 },
        { name: 'mod_y', state: 'not-loaded', loadedBy: null, location: 'module', aliases: ['platform:dev3*'], drivers: [], initRet: null },
      ],
    });
    const basis = withAliases(big());
    const aliasEdges = (f: ReturnType<typeof flowOf>['flow']) => f.edges.filter((e) => e.id.startsWith('alias-')).map((e) => e.id).sort();
    expect(aliasEdges(flowOf(basis, basis).flow)).toEqual([
      `alias-loaded:${SUMMARY}->module:mod_x`,
      `alias-pending:${SUMMARY}->module:mod_y`,
    ]);
    // dev30 drawn in a reserved row: mod_x's edge comes from it; mod_y still has hidden matches (dev31..dev39)
    const touched = flowOf(basis, basis, { touched: { devices: [`${P}/dev30`] } }).flow;
    expect(aliasEdges(touched)).toEqual([
      `alias-loaded:device:${P}/dev30->module:mod_x`,
      `alias-pending:${SUMMARY}->module:mod_y`,
      `alias-pending:device:${P}/dev30->module:mod_y`,
    ].sort());
    // a hidden device that does not exist at this step gives no edge
    const before = { ...basis, devices: basis.devices.filter((d) => !d.name.startsWith('dev3')) };
    expect(aliasEdges(flowOf(before, basis).flow)).toEqual([]);
  });

  it("draws the MODALIAS edges of hidden modules to the modules' summary, from drawn devices and from a device summary", () => {
    const snap = big();
    const filler: ModuleView[] = Array.from({ length: 30 }, (_, i) => ({ name: `m${pad(i)}`, state: 'builtin', loadedBy: null, location: 'builtin', aliases: [], drivers: [], initRet: 0 }));
    const byAlias = (name: string, alias: string): ModuleView => ({ name, state: 'loaded', loadedBy: alias, location: 'module', aliases: [alias], drivers: [], initRet: 0 });
    const basis: Snapshot = {
      ...snap,
      devices: snap.devices.map((d) => (d.bus === 'platform' ? { ...d, modalias: `platform:${d.name}` } : d)),
      modules: [...filler, ...snap.modules, byAlias('mod_dev00', 'platform:dev00'), byAlias('mod_dev35', 'platform:dev35')],
    };
    const { flow } = flowOf(basis, basis);
    const moduleSummary = nodeId.module('+more');
    expect(flow.nodes.map((n) => n.id)).toContain(moduleSummary);
    expect(flow.nodes.map((n) => n.id)).toContain(nodeId.device(`${P}/dev00`));
    expect(flow.edges.filter((e) => e.id.startsWith('alias-')).map((e) => e.id).sort()).toEqual([
      `alias-loaded:${SUMMARY}->${moduleSummary}`,
      `alias-loaded:device:${P}/dev00->${moduleSummary}`,
    ]);
  });

  it('draws a touched hidden device (with its child) in the reserved rows, moving no other node', () => {
    const basis = big();
    const quiet = flowOf(basis, basis).flow;
    const touched = `${P}/dev33`;
    const { flow, view } = flowOf(basis, basis, { touched: { devices: [touched] } });
    const t = flow.nodes.find((n) => n.id === nodeId.device(touched))!;
    expect(t.data.touched).toBe(true);
    const child = flow.nodes.find((n) => n.id === nodeId.device(`${touched}/aux.0`))!;
    expect(child.position.y).toBe(t.position.y);
    expect(child.position.x).toBeGreaterThan(t.position.x);
    // in the group's first reserved row, below the summary
    const summary = flow.nodes.find((n) => n.id === SUMMARY)!;
    expect(t.position.x).toBe(summary.position.x);
    expect(t.position.y).toBeGreaterThan(summary.position.y);
    // every node drawn both times keeps its place
    for (const n of quiet.nodes) expect(flow.nodes.find((m) => m.id === n.id)?.position, n.id).toEqual(n.position);
    expect(view.summaries.get(SUMMARY)!.label).toBe('+ 35 more platform devices');
    expect(flow.edges.map((e) => e.id)).toContain(`parent-child:device:${P}->device:${touched}`);
  });

  it('changed devices of long lists: a walk in devpath order gives what a match by devpath gives', () => {
    const dev = (path: string, v = 0): DeviceView => ({ ...big().devices[0]!, devpath: path, name: `${path}#${v}` });
    const byPath = (a: DeviceView[], b: DeviceView[]) => {
      const before = new Map(a.map((d) => [d.devpath, d]));
      const out: string[] = [];
      for (const d of b) {
        if (before.get(d.devpath) !== d) out.push(d.devpath);
        before.delete(d.devpath);
      }
      return [...out, ...before.keys()];
    };
    const edit = fc.record({ at: fc.nat(), what: fc.constantFrom('change', 'remove', 'add', 'swap') });
    fc.assert(
      fc.property(fc.array(edit, { maxLength: 8 }), (edits) => {
        const prev = Array.from({ length: 2500 }, (_, i) => dev(`/devices/platform/d${String(i * 2).padStart(5, '0')}`));
        const next = prev.slice();
        for (const e of edits) {
          const i = e.at % next.length;
          if (e.what === 'change') next[i] = dev(next[i]!.devpath, 1);
          else if (e.what === 'remove') next.splice(i, 1);
          else if (e.what === 'add' && !next.some((d) => d.devpath === `${next[i]!.devpath}a`)) next.splice(i + 1, 0, dev(`${next[i]!.devpath}a`));
          // out of devpath order: the walk must notice and still be right
          else if (e.what === 'swap' && i + 1 < next.length) [next[i], next[i + 1]] = [next[i + 1]!, next[i]!];
        }
        const a = { ...big(), step: 4, devices: prev };
        const b = { ...big(), step: 5, devices: next };
        expect(changedDevices(a, b)).toEqual(byPath(prev, next));
        expect(changedDevices(b, a)).toEqual(byPath(next, prev));
      }),
      { numRuns: 40 },
    );
  });

  it('keeps the selected device and devices that changed at this step drawn', () => {
    const basis = big();
    const next = big(1, (i) => i % 2 === 0 || i === 21);
    const changed = changedDevices({ ...basis, devices: basis.devices }, { ...next, devices: next.devices.map((d) => (d.name === 'dev21' ? d : basis.devices.find((b) => b.devpath === d.devpath)!)) });
    expect(changed).toEqual([`${P}/dev21`]);
    // not one step apart, or the same snapshot: nothing is "changed"
    expect(changedDevices({ ...basis, step: 5 }, next)).toEqual([]);
    const { flow } = flowOf(next, basis, { selected: nodeId.device(`${P}/dev30`), changed });
    const drawn = ids(flow.nodes);
    expect(drawn).toContain(nodeId.device(`${P}/dev30`));
    expect(drawn).toContain(nodeId.device(`${P}/dev21`));
    expect(drawn).not.toContain(nodeId.device(`${P}/dev22`));
    const y30 = flow.nodes.find((n) => n.id === nodeId.device(`${P}/dev30`))!.position.y;
    const y21 = flow.nodes.find((n) => n.id === nodeId.device(`${P}/dev21`))!.position.y;
    // the selection takes the first row, the change the next
    expect(y21).toBeGreaterThan(y30);
  });

  it('draws every member of an expanded group, and a summary that collapses it again', () => {
    const basis = big();
    const { flow, view } = flowOf(basis, basis, {}, [GROUP]);
    expect(flow.nodes.filter((n) => n.data.kind === 'device' && !n.data.group)).toHaveLength(42);
    const s = view.summaries.get(SUMMARY)!;
    expect(s.expanded).toBe(true);
    expect(s.label).toBe('− collapse 40 devices');
    // no two device nodes overlap
    const boxes = flow.nodes.filter((n) => n.data.kind === 'device').map((n) => [n.position.x, n.position.y, n.position.y + n.height!] as const);
    for (const a of boxes) for (const b of boxes) if (a !== b && a[0] === b[0]) expect(a[2] <= b[1] || b[2] <= a[1]).toBe(true);
  });

  it('collapses the drivers column and keeps a touched driver drawn', () => {
    const base = big();
    const drivers: DriverView[] = Array.from({ length: 30 }, (_, i) => ({ id: `platform/x${pad(i)}`, name: `x${pad(i)}`, bus: 'platform', module: null, bindAttrs: true, devices: [] }));
    const basis = { ...base, drivers: [...base.drivers, ...drivers] };
    const plan = planCollapse(basis);
    expect(plan.driverGroup?.size).toBe(32);
    // drv-a and drv-b are bound to drawn devices: drawn; x00, x01 are the rest of the head
    expect([...plan.visibleDrivers].sort()).toEqual(['platform/drv-a', 'platform/drv-b', 'platform/x00', 'platform/x01']);
    const { flow } = flowOf(basis, basis, { touched: { drivers: ['platform/x20'] } });
    const drawn = ids(flow.nodes.filter((n) => n.data.kind === 'driver'));
    expect(drawn).toContain('driver:platform/x20');
    expect(drawn).not.toContain('driver:platform/x21');
    const s = flow.nodes.find((n) => n.id === summaryNodeId(plan.driverGroup!))!;
    expect(s.data.label).toBe('+ 27 more drivers');
    expect(s.data.detail).toBe('platform 27 · 27 built in · 0 devices bound · 27 with none');
  });

  it("counts a hidden device's columns up its chain to the group's member, and keeps devices whose parent is missing or themselves at the top level", () => {
    const basis = big();
    const member = `${P}/dev20`;
    const deep = `${member}/child/grandchild`;
    basis.devices.push(
      device('child', `${member}/child`, member),
      device('grandchild', deep, `${member}/child`),
      device('leaf', `${deep}/leaf`, deep),
      device('orphan', '/devices/orphan', '/devices/gone'),
      device('self', '/devices/self', '/devices/self'),
    );
    const plan = planCollapse(basis);
    expect(plan.basisRep.get(member)).toMatchObject({ group: { key: GROUP }, member: true });
    expect(plan.basisRep.get(deep)).toMatchObject({ group: { key: GROUP }, member: false });
    expect(plan.deviceGroup.get(deep)).toBeUndefined();
    expect(plan.deviceGroup.get(member)?.key).toBe(GROUP);
    // not hidden: drawn at the top level, like the platform device
    for (const p of ['/devices/orphan', '/devices/self', P]) {
      expect(plan.basisRep.get(p)).toBeUndefined();
      expect(plan.visibleDevices.has(p)).toBe(true);
    }
    // grandchild → child → dev20 (the member): two columns, one more for the leaf it brings along
    const needs = collapseNeeds(plan, [{ touches: { devices: [deep] } }, { touches: { devices: ['/devices/orphan', '/devices/self', '/nowhere'] } }]);
    expect(needs.depth[GROUP]).toBe(3);
    expect(needs.rows[GROUP]).toBe(1);
    expect(collapseNeeds(plan, [{ touches: { devices: [`${member}/child`] } }]).depth[GROUP]).toBe(2);
  });

  it('reserves the rows the run needs, and draws nothing past them (the summary, marked touched, stands for it)', () => {
    const basis = big();
    const three = { touches: { devices: [`${P}/dev10`, `${P}/dev11`, `${P}/dev33`] } };
    const needs = collapseNeeds(planCollapse(basis), [{ touches: {} }, three, { touches: { devices: [`${P}/dev33/aux.0`] } }]);
    expect(needs.rows[GROUP]).toBe(3);
    expect(needs.depth[GROUP]).toBe(1);
    const drawnWith = (n: CollapseNeeds) => {
      const plan = planCollapse(basis, [], n);
      const cb = collapsedBasis(basis, plan);
      const positions = layoutPositions(cb.snapshot, undefined, undefined, cb.heights, true);
      const view = collapseStep(basis, plan, positions, { touched: three.touches });
      return { plan, flow: snapshotToFlow(view.snapshot, { positions: view.positions, summaries: view.summaries, heights: view.heights, touched: three.touches }) };
    };
    const fits = drawnWith(needs);
    expect(fits.plan.byKey.get(GROUP)!.slots).toHaveLength(3);
    for (const p of three.touches.devices) expect(ids(fits.flow.nodes)).toContain(nodeId.device(p));
    expect(fits.flow.nodes.find((n) => n.id === SUMMARY)!.data.touched).toBe(false);
    // one row only: the first touched device is drawn, the others stay in the summary
    const tight = drawnWith({ rows: { [GROUP]: 1 }, depth: {} });
    const devices = tight.flow.nodes.filter((n) => n.data.kind === 'device');
    expect(ids(devices)).toContain(nodeId.device(`${P}/dev10`));
    expect(ids(devices)).not.toContain(nodeId.device(`${P}/dev11`));
    expect(tight.flow.nodes.find((n) => n.id === SUMMARY)!.data.touched).toBe(true);
    for (const a of devices) for (const b of devices) if (a !== b && a.position.x === b.position.x) expect(a.position.y + a.height! <= b.position.y || b.position.y + b.height! <= a.position.y, `${a.id} × ${b.id}`).toBe(true);
  });
});
