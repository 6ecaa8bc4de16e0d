/** The uevent columns (trace/ueventlog.ts): every uevent reads back as the record kobject_uevent_env would have built. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { UeventRecord } from '../api';
import { UeventLog } from '../trace/ueventlog';

const ACTIONS: UeventRecord['action'][] = ['add', 'remove', 'change', 'bind', 'unbind', 'move', 'online', 'offline'];
const row = fc.record({
  action: fc.constantFrom(...ACTIONS),
  devpath: fc.constantFrom('/devices/platform/a', '/devices/platform/a/b.0', '/bus/platform/drivers/d', '/module/m'),
  subsystem: fc.constantFrom('platform', 'auxiliary', 'drivers', 'module', ''),
  vars: fc.array(fc.tuple(fc.constantFrom('MODALIAS', 'DRIVER', 'OF_NAME', 'SYNTH_UUID'), fc.string({ maxLength: 8 })), { maxLength: 5 }),
});

describe('the uevent log', () => {
  it('reads back each uevent as its record (ACTION, DEVPATH, SUBSYSTEM, the variables, SEQNUM), slices as an array does, and finds a variable', () => {
    fc.assert(fc.property(fc.array(row, { maxLength: 30 }), fc.integer({ min: -40, max: 40 }), fc.integer({ min: -40, max: 40 }), (rows, from, to) => {
      const log = new UeventLog();
      const want: UeventRecord[] = rows.map((r, i) => {
        const seq = 10 + i * 3;
        expect(log.push(seq, r.action, r.devpath, r.subsystem, r.vars)).toBe(i);
        return { seq, action: r.action, devpath: r.devpath, subsystem: r.subsystem, env: [['ACTION', r.action], ['DEVPATH', r.devpath], ['SUBSYSTEM', r.subsystem], ...r.vars, ['SEQNUM', String(seq)]] };
      });
      expect(log.length).toBe(rows.length);
      expect(log.all()).toEqual(want);
      expect(log.slice(from, to)).toEqual(want.slice(from, to));
      expect(log.at(rows.length)).toBeUndefined();
      rows.forEach((r, i) => {
        expect(log.at(i)).toEqual(want[i]);
        expect(log.actionAt(i)).toBe(r.action);
        expect(log.devpathAt(i)).toBe(r.devpath);
        expect(log.varOf(i, 'MODALIAS')).toBe(r.vars.find(([k]) => k === 'MODALIAS')?.[1]);
      });
    }), { numRuns: 300 });
  });

  it('keeps the pairs `share` returns, and hands out copies a reader cannot change the log through', () => {
    const log = new UeventLog();
    const kept = ['MODALIAS', 'platform:x'] as const;
    log.push(1, 'add', '/devices/platform/x', 'platform', [['MODALIAS', 'platform:x']], () => kept);
    const u = log.at(0)!;
    u.env[3]![1] = 'changed';
    expect(log.at(0)!.env[3]).toEqual(['MODALIAS', 'platform:x']);
    expect(() => log.push(2, 'explode' as UeventRecord['action'], '/x', 'platform', [])).toThrow(/unknown uevent action/);
  });
});
