import { describe, expect, it } from 'vitest';
import { Position } from '@xyflow/react';
import type { DeviceView, DriverView, FirmwareNodeView, ModuleView, Snapshot } from '../../engine/api';
import { DEVICE_LOWER_HANDLE, FONT, LAYOUT, MODULE_ALIAS_AT, MODULE_ALIAS_HANDLE, aliasMatches, breakPieces, fitKey, layoutPositions, lineCount, nodeHeight, nodeId, snapshotToFlow, type GraphEdge, type GraphNode, type TextMeasure } from './toFlow';

// Hand-written snapshot (not produced by the engine): a Realm guest where the
// arm-cca-dev platform device, created from the PSCI/SMCCC firmware node, is bound to
// the arm-cca-guest driver from the arm_cca_guest module, and has one auxiliary child.

function device(name: string, devpath: string, parent: string | null, extra: Partial<DeviceView> = {}): DeviceView {
  return {
    name,
    bus: null,
    class: null,
    devpath,
    parent,
    driver: null,
    modalias: null,
    driverOverride: null,
    unbindable: false,
    ofNode: null,
    acpiHid: null,
    firmwareNode: null,
    deferred: false,
    devmParent: null,
    createdBy: null,
    ...extra,
  };
}

function snapshot(parts: Partial<Snapshot>): Snapshot {
  return {
    step: 0,
    devices: [],
    drivers: [],
    modules: [],
    uevents: [],
    sysfs: [],
    log: [],
    firmware: [],
    facts: {},
    tsm: { reportProvider: null, classDevices: [] },
    udevRunning: true,
    files: {},
    kernelVersion: '7.0',
    ...parts,
  };
}

const devices: DeviceView[] = [
  device('platform', '/devices/platform', null),
  device('arm-cca-dev', '/devices/platform/arm-cca-dev', '/devices/platform', {
    bus: 'platform',
    driver: 'arm-cca-guest',
    firmwareNode: '/psci',
  }),
  device('arm_cca_guest.rsi.0', '/devices/platform/arm-cca-dev/arm_cca_guest.rsi.0', '/devices/platform/arm-cca-dev', {
    bus: 'auxiliary',
  }),
  device('serial8250', '/devices/platform/serial8250', '/devices/platform', { bus: 'platform' }),
];
const drivers: DriverView[] = [
  { id: 'platform/arm-cca-guest', name: 'arm-cca-guest', bus: 'platform', module: 'arm_cca_guest', bindAttrs: true, devices: ['/devices/platform/arm-cca-dev'] },
  { id: 'auxiliary/tsm-unused', name: 'tsm-unused', bus: 'auxiliary', module: null, bindAttrs: true, devices: [] },
];
const modules: ModuleView[] = [
  { name: 'arm_cca_guest', state: 'loaded', loadedBy: 'platform:arm-cca-dev', location: 'module', aliases: ['platform:arm-cca-dev'], drivers: ['platform/arm-cca-guest'], initRet: null },
  { name: 'unrelated', state: 'not-loaded', loadedBy: null, location: 'module', aliases: [], drivers: [], initRet: null },
];
const firmware: FirmwareNodeView[] = [
  { id: '/', kind: 'dt', label: '/', props: {}, parent: null, devices: [] },
  { id: '/psci', kind: 'psci', label: 'psci', props: { compatible: 'arm,psci-1.0' }, parent: '/', devices: ['/devices/platform/arm-cca-dev'] },
];

const full = snapshot({ devices, drivers, modules, firmware });

function byId(nodes: GraphNode[], id: string): GraphNode {
  const n = nodes.find((x) => x.id === id);
  if (!n) throw new Error(`no node ${id}; have ${nodes.map((x) => x.id).join(', ')}`);
  return n;
}

describe('snapshotToFlow', () => {
  it('maps an empty snapshot to an empty graph', () => {
    expect(snapshotToFlow(snapshot({}))).toEqual({ nodes: [], edges: [] });
  });

  it('makes one node per device, driver, module and firmware node, with unique ids', () => {
    const { nodes } = snapshotToFlow(full);
    expect(nodes).toHaveLength(devices.length + drivers.length + modules.length + firmware.length);
    expect(new Set(nodes.map((n) => n.id)).size).toBe(nodes.length);
    const dev = byId(nodes, nodeId.device('/devices/platform/arm-cca-dev'));
    expect(dev.data.kind).toBe('device');
    expect(dev.data.label).toBe('arm-cca-dev');
    expect(dev.data.testId).toBe('node-device-arm-cca-dev');
    expect(dev.data.view).toBe(devices[1]);
    expect(byId(nodes, nodeId.driver('platform/arm-cca-guest')).data.testId).toBe('node-driver-arm-cca-guest');
    expect(byId(nodes, nodeId.module('arm_cca_guest')).data.kind).toBe('module');
    expect(byId(nodes, nodeId.firmware('/psci')).data.kind).toBe('firmware');
  });

  it('draws parent->child, bound-to, module-provides-driver and firmware edges (firmware hierarchy is indentation)', () => {
    const { edges } = snapshotToFlow(full);
    const list = edges.map((e) => `${e.data!.kind} ${e.source} ${e.target}`).sort();
    expect(list).toEqual(
      [
        'bound-to device:/devices/platform/arm-cca-dev driver:platform/arm-cca-guest',
        'firmware-device firmware:/psci device:/devices/platform/arm-cca-dev',
        'module-provides-driver driver:platform/arm-cca-guest module:arm_cca_guest',
        'parent-child device:/devices/platform device:/devices/platform/arm-cca-dev',
        'parent-child device:/devices/platform device:/devices/platform/serial8250',
        'parent-child device:/devices/platform/arm-cca-dev device:/devices/platform/arm-cca-dev/arm_cca_guest.rsi.0',
      ].sort(),
    );
    expect(new Set(edges.map((e) => e.id)).size).toBe(edges.length);
  });

  it('lays out left to right: firmware list, device tree by depth, drivers, modules', () => {
    const { nodes } = snapshotToFlow(full);
    const x = (id: string) => byId(nodes, id).position.x;
    const fwRoot = x(nodeId.firmware('/'));
    const psci = x(nodeId.firmware('/psci'));
    const platform = x(nodeId.device('/devices/platform'));
    const cca = x(nodeId.device('/devices/platform/arm-cca-dev'));
    const serial = x(nodeId.device('/devices/platform/serial8250'));
    const aux = x(nodeId.device('/devices/platform/arm-cca-dev/arm_cca_guest.rsi.0'));
    const drv = x(nodeId.driver('platform/arm-cca-guest'));
    const drv2 = x(nodeId.driver('auxiliary/tsm-unused'));
    const mod = x(nodeId.module('arm_cca_guest'));

    expect(fwRoot).toBe(0);
    expect(psci).toBe(LAYOUT.fwIndent); // indented under its parent, same column
    const fwRootNode = byId(nodes, nodeId.firmware('/'));
    expect(byId(nodes, nodeId.firmware('/psci')).position.y).toBe(fwRootNode.position.y + fwRootNode.height! + LAYOUT.listGap);
    expect(platform).toBe(LAYOUT.fwIndent + LAYOUT.columnGap); // after the firmware column
    expect(cca).toBe(platform + LAYOUT.columnGap);
    expect(serial).toBe(cca); // siblings share a column
    expect(aux).toBe(cca + LAYOUT.columnGap);
    expect(drv).toBe(aux + LAYOUT.columnGap); // drivers right of the deepest device
    expect(drv2).toBe(drv);
    expect(mod).toBe(drv + LAYOUT.columnGap);
    for (const n of nodes) {
      expect(n.sourcePosition).toBe(Position.Right);
      expect(n.targetPosition).toBe(Position.Left);
      expect(n.type).toBe('bindscope');
    }
  });

  it('never overlaps nodes in a column and puts a bound driver level with its device', () => {
    const { nodes } = snapshotToFlow(full);
    const columns = new Map<number, GraphNode[]>();
    // the firmware list is one column whatever its indentation
    const col = (n: GraphNode) => (n.data.kind === 'firmware' ? -1 : n.position.x);
    for (const n of nodes) columns.set(col(n), [...(columns.get(col(n)) ?? []), n]);
    for (const ns of columns.values()) {
      const sorted = [...ns].sort((a, b) => a.position.y - b.position.y);
      for (let i = 1; i < sorted.length; i++) {
        const gap = sorted[i]!.data.kind === 'device' ? LAYOUT.rowGap : LAYOUT.listGap;
        expect(sorted[i]!.position.y - sorted[i - 1]!.position.y).toBeGreaterThanOrEqual(sorted[i - 1]!.height! + gap);
      }
    }
    // level: the centre lines meet (nodes differ in height when their text wraps)
    const y = (id: string) => byId(nodes, id).position.y + byId(nodes, id).height! / 2;
    expect(Math.abs(y(nodeId.driver('platform/arm-cca-guest')) - y(nodeId.device('/devices/platform/arm-cca-dev')))).toBeLessThanOrEqual(1);
    expect(Math.abs(y(nodeId.module('arm_cca_guest')) - y(nodeId.driver('platform/arm-cca-guest')))).toBeLessThanOrEqual(1);
    // unbound driver goes below the bound one
    expect(y(nodeId.driver('auxiliary/tsm-unused'))).toBeGreaterThan(y(nodeId.driver('platform/arm-cca-guest')));
    for (const n of nodes) expect(Number.isFinite(n.position.y) && n.position.y >= 0).toBe(true);
  });

  it('starts devices at x=0 without firmware and treats unknown parents as top level', () => {
    const orphan = device('orphan', '/devices/virtual/misc/orphan', '/devices/virtual/misc');
    const { nodes, edges } = snapshotToFlow(snapshot({ devices: [devices[0]!, orphan] }));
    expect(nodes.map((n) => n.position.x)).toEqual([0, 0]);
    expect(edges).toEqual([]);
  });

  it('survives a parent cycle and duplicate entries', () => {
    const a = device('a', '/devices/a', '/devices/b');
    const b = device('b', '/devices/b', '/devices/a');
    const drv: DriverView = { id: 'x/d', name: 'd', bus: 'x', module: null, bindAttrs: true, devices: ['/devices/a', '/devices/a', '/devices/gone'] };
    const { nodes, edges } = snapshotToFlow(snapshot({ devices: [a, b, a], drivers: [drv] }));
    expect(nodes.map((n) => n.id).sort()).toEqual(['device:/devices/a', 'device:/devices/b', 'driver:x/d']);
    expect(edges.filter((e) => e.data!.kind === 'bound-to')).toHaveLength(1);
  });

  it('is pure: same input, same output; input untouched', () => {
    const before = JSON.stringify(full);
    expect(snapshotToFlow(full)).toEqual(snapshotToFlow(full));
    expect(JSON.stringify(full)).toBe(before);
  });

  it('gives each node a visual state: bound/unbound/faux-bound/class devices, module states, drivers without bind files', () => {
    const faux = device('arm-cca-dev', '/devices/faux/arm-cca-dev', null, { bus: 'faux', driver: 'faux_driver' });
    const tsm = device('tsm0', '/devices/x/tsm/tsm0', null, { class: 'tsm' });
    const custom = device('arm-rsi-dev-2', '/devices/arm-rsi-dev-2', null, { bus: 'arm_smccc', deferred: true });
    const { nodes } = snapshotToFlow(snapshot({
      devices: [...devices, faux, tsm, custom],
      drivers: [{ id: 'faux/faux_driver', name: 'faux_driver', bus: 'faux', module: null, bindAttrs: false, devices: [faux.devpath] }],
      modules: [
        { name: 'b', state: 'builtin', loadedBy: null, location: 'builtin', aliases: [], drivers: [], initRet: null },
        { name: 'gone', state: 'not-loaded', loadedBy: null, location: 'absent', aliases: [], drivers: [], initRet: null },
        ...modules,
      ],
    }));
    const st = (id: string) => [byId(nodes, id).data.state, byId(nodes, id).data.tone];
    expect(st(nodeId.device('/devices/platform/arm-cca-dev'))).toEqual(['bound', 'platform']);
    expect(st(nodeId.device('/devices/platform/serial8250'))).toEqual(['unbound', 'platform']);
    expect(st(nodeId.device('/devices/platform'))).toEqual(['container', 'none']);
    expect(st(nodeId.device(faux.devpath))).toEqual(['faux-bound', 'faux']);
    expect(st(nodeId.device(tsm.devpath))).toEqual(['class', 'class']);
    expect(st(nodeId.device(custom.devpath))).toEqual(['deferred', 'bus']);
    expect(byId(nodes, nodeId.driver('faux/faux_driver')).data.state).toBe('no-bind-attrs');
    expect(byId(nodes, nodeId.module('b')).data.state).toBe('builtin');
    expect(byId(nodes, nodeId.module('gone')).data.state).toBe('absent');
    expect(byId(nodes, nodeId.module('arm_cca_guest')).data.detail).toBe('loaded by alias platform:arm-cca-dev');
    expect(byId(nodes, nodeId.module('unrelated')).data.state).toBe('not-loaded');
  });

  it('draws MODALIAS -> alias -> module for a module udev loaded', () => {
    const withAlias = devices.map((d) => (d.name === 'arm-cca-dev' ? { ...d, modalias: 'platform:arm-cca-dev' } : d));
    const { edges } = snapshotToFlow(snapshot({ devices: withAlias, drivers, modules }));
    const alias = edges.filter((e) => e.data!.kind === 'alias-loaded');
    expect(alias.map((e) => [e.source, e.target])).toEqual([[nodeId.device('/devices/platform/arm-cca-dev'), nodeId.module('arm_cca_guest')]]);
    // from under the device into the module from below: not along the bound-to edge through the driver
    expect(alias[0]).toMatchObject({ sourceHandle: DEVICE_LOWER_HANDLE, targetHandle: MODULE_ALIAS_HANDLE });
    // before the load the same MODALIAS -> alias tie is drawn as pending
    const pending = snapshotToFlow(snapshot({ devices: withAlias, drivers, modules: modules.map((m) => ({ ...m, state: 'not-loaded' as const, loadedBy: null })) }));
    expect(pending.edges.filter((e) => e.data!.kind === 'alias-pending').map((e) => [e.source, e.target])).toEqual([
      [nodeId.device('/devices/platform/arm-cca-dev'), nodeId.module('arm_cca_guest')],
    ]);
    expect(pending.edges.filter((e) => e.data!.kind === 'alias-loaded')).toEqual([]);
    expect(aliasMatches('of:N*T*Carm,psci*', 'of:NpsciT(null)Carm,psci-1.0')).toBe(true);
    expect(aliasMatches('platform:a.b', 'platform:aXb')).toBe(false);
    // kmod normalizes '-' to '_' on both sides (alias_normalize): the edge is drawn for an alias written with '_'
    expect(aliasMatches('platform:arm_cca_dev', 'platform:arm-cca-dev')).toBe(true);
    const underscored = modules.map((m) => (m.name === 'arm_cca_guest' ? { ...m, state: 'not-loaded' as const, loadedBy: null, aliases: ['platform:arm_cca_dev'] } : { ...m, state: 'not-loaded' as const, loadedBy: null }));
    expect(snapshotToFlow(snapshot({ devices: withAlias, drivers, modules: underscored })).edges.filter((e) => e.data!.kind === 'alias-pending').map((e) => e.target)).toEqual([nodeId.module('arm_cca_guest')]);
  });

  it('marks what the current event touched', () => {
    const { nodes } = snapshotToFlow(full, { touched: { devices: ['/devices/platform/arm-cca-dev'], modules: ['arm_cca_guest'] } });
    expect(nodes.filter((n) => n.data.touched).map((n) => n.id).sort()).toEqual(
      [nodeId.device('/devices/platform/arm-cca-dev'), nodeId.module('arm_cca_guest')].sort(),
    );
  });

  it('keeps nodes in place across steps when given the layout of the whole run', () => {
    // early step: only the platform root and serial8250 exist; the run adds arm-cca-dev later
    const early = snapshot({ devices: [devices[0]!, devices[3]!] });
    const positions = layoutPositions(full);
    const pinned = snapshotToFlow(early, { positions });
    for (const n of pinned.nodes) expect(n.position).toEqual({ x: positions.get(n.id)!.x, y: positions.get(n.id)!.y });
    // without the run's layout the same node would sit elsewhere
    const alone = snapshotToFlow(early).nodes.find((n) => n.id === nodeId.device('/devices/platform/serial8250'))!;
    const at = positions.get(nodeId.device('/devices/platform/serial8250'))!;
    expect(alone.position).not.toEqual({ x: at.x, y: at.y });
  });
});

describe('snapshotToFlow without the firmware or drivers column', () => {
  const compact = snapshotToFlow(full, { columns: { firmware: false, drivers: false } });

  it('draws no firmware or driver node; devices start at x=0 and modules take the drivers column', () => {
    const kinds = new Set(compact.nodes.map((n) => n.data.kind));
    expect([...kinds].sort()).toEqual(['device', 'module']);
    const x = (id: string) => byId(compact.nodes, id).position.x;
    expect(x(nodeId.device('/devices/platform'))).toBe(0);
    const aux = x(nodeId.device('/devices/platform/arm-cca-dev/arm_cca_guest.rsi.0'));
    expect(x(nodeId.module('arm_cca_guest'))).toBe(aux + LAYOUT.columnGap);
    expect(x(nodeId.module('unrelated'))).toBe(aux + LAYOUT.columnGap);
  });

  it('runs a bound device to the module of its driver, level with the device', () => {
    const list = compact.edges.map((e) => `${e.data!.kind} ${e.source} ${e.target}`).sort();
    expect(list).toEqual(
      [
        'bound-to device:/devices/platform/arm-cca-dev module:arm_cca_guest',
        'parent-child device:/devices/platform device:/devices/platform/arm-cca-dev',
        'parent-child device:/devices/platform device:/devices/platform/serial8250',
        'parent-child device:/devices/platform/arm-cca-dev device:/devices/platform/arm-cca-dev/arm_cca_guest.rsi.0',
      ].sort(),
    );
    const y = (id: string) => byId(compact.nodes, id).position.y;
    expect(y(nodeId.module('arm_cca_guest'))).toBe(y(nodeId.device('/devices/platform/arm-cca-dev')));
    expect(y(nodeId.module('unrelated'))).toBeGreaterThan(y(nodeId.module('arm_cca_guest'))); // no tie: below
  });

  it('pins nodes to a layout computed with the same columns', () => {
    const positions = layoutPositions(full, { firmware: false, drivers: false });
    const pinned = snapshotToFlow(snapshot({ devices: [devices[0]!, devices[3]!], modules }), {
      positions,
      columns: { firmware: false, drivers: false },
    });
    for (const n of pinned.nodes) expect(n.position).toEqual({ x: positions.get(n.id)!.x, y: positions.get(n.id)!.y });
  });
});

describe('fitKey', () => {
  it('changes with the scenario or its firmware toggles, not with steps or actions', () => {
    expect(fitKey('auxiliary', { realm: true })).toBe(fitKey('auxiliary', { realm: true }));
    expect(fitKey('auxiliary', { realm: true })).not.toBe(fitKey('faux', { realm: true }));
    expect(fitKey('auxiliary', { realm: true })).not.toBe(fitKey('auxiliary', { realm: false }));
  });
});

describe('node text wrapping and heights', () => {
  // a fixed-width measure: 8 px per character
  const mono: TextMeasure = (t) => t.length * 8;

  it('cuts names only after . - : _ / = , and spaces', () => {
    expect(breakPieces('arm_cca_guest.arm-rsi-dev.0')).toEqual(['arm_', 'cca_', 'guest.', 'arm-', 'rsi-', 'dev.', '0']);
    expect(breakPieces('MODALIAS=auxiliary:arm_cca_guest')).toEqual(['MODALIAS=', 'auxiliary:', 'arm_', 'cca_', 'guest']);
    expect(breakPieces('loaded by alias')).toEqual(['loaded ', 'by ', 'alias']);
    expect(breakPieces('').length).toBe(0);
  });

  it('counts the lines a text wraps to, never splitting a piece that fits', () => {
    expect(lineCount('arm-smccc', 100, 'label', mono)).toBe(1); // 72 px
    // 27 chars = 216 px in 120 px: "arm_cca_guest." (112) / "arm-rsi-dev.0" (104)
    expect(lineCount('arm_cca_guest.arm-rsi-dev.0', 120, 'label', mono)).toBe(2);
    // one piece wider than the box wraps inside it
    expect(lineCount('abcdefghijklmnopqrstuvwxyz', 80, 'label', mono)).toBe(3); // 208 px
    expect(lineCount('', 80, 'label', mono)).toBe(0);
  });

  it('makes a node as tall as its wrapped text, and reserves the slot height given by the layout', () => {
    const short = nodeHeight('faux', 'no bus', mono);
    const long = nodeHeight('arm_cca_guest.arm-rsi-dev.0', 'loaded by alias auxiliary:arm_cca_guest.arm-rsi-dev', mono);
    expect(short).toBe(LAYOUT.nodeHeight);
    expect(long).toBeGreaterThan(short + FONT.detail);
    const snap = snapshot({ devices: [device('platform', '/devices/platform', null)] });
    const positions = new Map([[nodeId.device('/devices/platform'), { x: 0, y: 0, height: 120 }]]);
    expect(snapshotToFlow(snap, { positions, measure: mono }).nodes[0]!.height).toBe(120);
    expect(snapshotToFlow(snap, { measure: mono }).nodes[0]!.height).toBe(LAYOUT.nodeHeight);
  });
});

describe('column placement', () => {
  it('puts nodes connected to nothing in free room from the top, not below everything', () => {
    // three devices; only the last is bound: its driver sits low, leaving room above it
    const snap = snapshot({
      devices: [
        device('platform', '/devices/platform', null),
        device('x1', '/devices/platform/x1', '/devices/platform', { bus: 'platform' }),
        device('x2', '/devices/platform/x2', '/devices/platform', { bus: 'platform' }),
        device('x3', '/devices/platform/x3', '/devices/platform', { bus: 'platform', driver: 'c' }),
      ],
      drivers: [
        { id: 'platform/c', name: 'c', bus: 'platform', module: null, devices: ['/devices/platform/x3'], bindAttrs: true },
        { id: 'platform/lonely', name: 'lonely', bus: 'platform', module: null, devices: [], bindAttrs: true },
      ] as DriverView[],
    });
    const { nodes } = snapshotToFlow(snap);
    const c = byId(nodes, nodeId.driver('platform/c'));
    const lonely = byId(nodes, nodeId.driver('platform/lonely'));
    expect(c.position.y).toBeGreaterThan(lonely.height! + LAYOUT.listGap);
    expect(lonely.position.y).toBe(0); // above c, not below it
  });

  it('never breaks inside a number', () => {
    expect(breakPieces('version 1.0')).toEqual(['version ', '1.0']);
    expect(breakPieces('dev.0')).toEqual(['dev.', '0']);
    // a thousands separator (a summary's counts) is not a boundary; a comma in a name is
    expect(breakPieces('bound to 16,400 drivers')).toEqual(['bound ', 'to ', '16,400 ', 'drivers']);
    expect(breakPieces('bench,of12')).toEqual(['bench,', 'of12']);
    expect(breakPieces('a,b')).toEqual(['a,', 'b']);
  });
});

describe('edge routing', () => {
  /** the polyline an edge is drawn along (its handles and its route points) */
  function polyline(g: ReturnType<typeof snapshotToFlow>, e: GraphEdge): [number, number][] {
    const s = byId(g.nodes, e.source);
    const t = byId(g.nodes, e.target);
    const start: [number, number] =
      e.sourceHandle === DEVICE_LOWER_HANDLE
        ? [s.position.x + LAYOUT.nodeWidth / 2, s.position.y + s.height!]
        : [s.position.x + LAYOUT.nodeWidth, s.position.y + s.height! / 2];
    const end: [number, number] = [t.position.x, t.position.y + t.height! * (e.targetHandle === MODULE_ALIAS_HANDLE ? MODULE_ALIAS_AT : 0.5)];
    return [start, ...(e.data?.route?.points ?? []), end];
  }
  /** nodes an axis-parallel segment passes through (their inside, 1 px in from the border) */
  function crossed(g: ReturnType<typeof snapshotToFlow>, a: [number, number], b: [number, number], except: string[]): string[] {
    const [x0, x1] = [Math.min(a[0], b[0]), Math.max(a[0], b[0])];
    const [y0, y1] = [Math.min(a[1], b[1]), Math.max(a[1], b[1])];
    return g.nodes
      .filter((n) => !except.includes(n.id))
      .filter((n) => x1 > n.position.x + 1 && x0 < n.position.x + LAYOUT.nodeWidth - 1 && y1 > n.position.y + 1 && y0 < n.position.y + n.height! - 1)
      .map((n) => n.id);
  }

  it('routes firmware, bound-to and MODALIAS edges around every node they do not connect', () => {
    for (const columns of [undefined, { firmware: false, drivers: false }]) {
      const g = snapshotToFlow(full, { columns });
      const lanes = g.edges.filter((e) => e.type === 'lane');
      expect(lanes.length).toBeGreaterThan(0);
      for (const e of lanes) {
        const pts = polyline(g, e);
        for (let i = 1; i < pts.length; i++) {
          const [a, b] = [pts[i - 1]!, pts[i]!];
          expect(a[0] === b[0] || a[1] === b[1], `${e.id}: segment ${i} is axis-parallel`).toBe(true);
          expect(crossed(g, a, b, [e.source, e.target]), `${e.id}: segment ${i}`).toEqual([]);
        }
      }
    }
  });

  it('orders sibling devices as the firmware nodes that gave rise to them', () => {
    const fwNode = (id: string, devs: string[]): FirmwareNodeView =>
      ({ id, label: id, kind: 'smccc-service', parent: null, props: {}, devices: devs }) as unknown as FirmwareNodeView;
    const snap = snapshot({
      devices: [
        device('platform', '/devices/platform', null),
        device('second', '/devices/platform/second', '/devices/platform', { bus: 'platform' }),
        device('first', '/devices/platform/first', '/devices/platform', { bus: 'platform' }),
      ],
      firmware: [fwNode('A', ['/devices/platform/first']), fwNode('B', ['/devices/platform/second'])],
    });
    const { nodes } = snapshotToFlow(snap);
    const y = (p: string) => byId(nodes, nodeId.device(p)).position.y;
    expect(y('/devices/platform/first')).toBeLessThan(y('/devices/platform/second'));
    // without firmware the snapshot's order stays
    const plain = snapshotToFlow(snap, { columns: { firmware: false } }).nodes;
    expect(byId(plain, nodeId.device('/devices/platform/second')).position.y).toBeLessThan(byId(plain, nodeId.device('/devices/platform/first')).position.y);
  });
});

describe('large graphs', () => {
  it('a layout for every node gives the graph its own layout would (the tidy-tree pass skipped)', async () => {
    const { Simulation } = await import('../../engine/index');
    const { benchScenario } = await import('../../../bench/scenario');
    const sim = new Simulation(benchScenario(300), { maxEvents: 1e9, maxMillis: 600_000, maxDevices: 1e7 });
    for (const step of [Math.floor(sim.lastStep / 3), sim.lastStep]) {
      const snap = sim.stateAt(step);
      const own = snapshotToFlow(snap);
      const pinned = snapshotToFlow(snap, { positions: layoutPositions(snap) });
      expect(pinned).toEqual(own);
      if (step === sim.lastStep) expect(own.edges.some((e) => e.data?.kind === 'alias-loaded')).toBe(true);
    }
    // its growth with size is a figure of `npm run bench` (bench/graph.ts), not a timed test
  }, 60_000);
});
