import { describe, expect, it } from 'vitest';
import type { SysfsDir } from '../../worker/protocol';
import { AUTO_OPEN_MAX, DIR_SHOWN, openByDefault, openDirs } from './sysfsView';

const dir = (path: string, names: string[], total = names.length): [string, SysfsDir] => [path, { path, entries: names.map((name) => ({ name, kind: 'dir' as const })), total }];

describe('the /sys browser\'s open directories', () => {
  it('opens what it opened before paging, except under a directory too large to open every entry of', () => {
    for (const p of ['/sys', '/sys/devices', '/sys/devices/platform', '/sys/bus', '/sys/class']) expect(openByDefault(p, 100_000)).toBe(true);
    expect(openByDefault('/sys/devices/platform/arm-smccc', 12)).toBe(true);
    expect(openByDefault('/sys/bus/platform/drivers', 3)).toBe(true);
    expect(openByDefault('/sys/devices/platform/dev123', AUTO_OPEN_MAX + 1)).toBe(false);
    expect(openByDefault('/sys/module', 5)).toBe(false);
    expect(openByDefault('/sys/devices/virtual', 5)).toBe(false);
  });

  it('walks down through the answers held; what is open without an answer, or with too few entries, is missing', () => {
    const held = new Map([dir('/sys', ['devices', 'module']), dir('/sys/devices', ['platform', 'virtual']), dir('/sys/devices/platform', ['a', 'b'], 500)]);
    const r = openDirs(held, new Map(), new Map());
    expect(r.open).toEqual(['/sys', '/sys/devices', '/sys/devices/platform']);
    // platform holds 500 but shows 2 of the 200 it should: asked again; its entries are under a large directory: closed
    expect(r.missing).toEqual(['/sys/devices/platform']);
    expect(DIR_SHOWN).toBe(200);
    // the user's own choices win
    const mine = openDirs(held, new Map([['/sys/module', true], ['/sys/devices/platform', false], ['/sys/devices/platform/a', true]]), new Map());
    expect(mine.open).toEqual(['/sys', '/sys/devices', '/sys/module']);
    expect(mine.missing).toEqual(['/sys/module']);
    // an empty directory is not walked into
    const empty = new Map([['/sys', { path: '/sys', entries: [{ name: 'devices', kind: 'dir' as const, empty: true as const }], total: 1 }]]);
    expect(openDirs(empty, new Map(), new Map())).toEqual({ open: ['/sys'], missing: [] });
  });
});
