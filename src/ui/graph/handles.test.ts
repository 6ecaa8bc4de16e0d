import { describe, expect, it } from 'vitest';
import { Simulation, getBuiltinScenario } from '../../engine/index';
import { nodeHandles } from './DeviceGraph';
import { DEVICE_LOWER_HANDLE, LAYOUT, MODULE_ALIAS_AT, MODULE_ALIAS_HANDLE, snapshotToFlow } from './toFlow';

describe('node handles given to React Flow', () => {
  // where React Flow measures BindscopeNode's handles (its style.css: 6 px, centred on the side;
  // checked in the page at every kind of node), in DOM order: an edge without a handle id takes the first
  it('sit where React Flow would measure them, in the order it would find them', () => {
    const snap = new Simulation(getBuiltinScenario('auxiliary')).stateAt(1e9);
    const { nodes } = snapshotToFlow(snap, {});
    const kinds = new Set<string>();
    for (const n of nodes) {
      const w = n.width ?? LAYOUT.nodeWidth;
      const h = n.height ?? LAYOUT.nodeHeight;
      const hs = nodeHandles(n).map((x) => [x.type, x.id, x.position, x.x, x.y, x.width, x.height]);
      const want: unknown[] = [
        ['target', null, 'left', -3, h / 2 - 3, 6, 6],
        ['source', null, 'right', w - 3, h / 2 - 3, 6, 6],
      ];
      if (n.data.kind === 'device') want.push(['source', DEVICE_LOWER_HANDLE, 'bottom', w / 2 - 3, h - 3, 6, 6]);
      if (n.data.kind === 'module') want.push(['target', MODULE_ALIAS_HANDLE, 'left', -3, h * MODULE_ALIAS_AT - 3, 6, 6]);
      expect(hs, n.id).toEqual(want);
      kinds.add(n.data.kind);
    }
    expect([...kinds].sort()).toEqual(expect.arrayContaining(['device', 'driver', 'module']));
  });
});
