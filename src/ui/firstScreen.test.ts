import { describe, expect, it } from 'vitest';
import type { ModuleView, TraceEvent } from '../engine/api';
import { storyStep } from './firstScreen';

// Hand-written events in the shape of a run (not engine output).
const ev = (index: number, kind: TraceEvent['kind'], env?: [string, string][], action: 'add' | 'bind' = 'add'): TraceEvent => ({
  index, kind, text: '', cite: '', depth: 0, touches: {},
  ...(env ? { uevent: { seq: index, action, devpath: '/devices/x', subsystem: 'auxiliary', env } } : {}),
});
const mod = (aliases: string[]): ModuleView => ({ name: 'arm_cca_guest', state: 'loaded', loadedBy: null, location: 'module', aliases, drivers: [], initRet: null });

describe('storyStep', () => {
  const events = [
    ev(0, 'phase'),
    ev(1, 'uevent', [['ACTION', 'add'], ['MODALIAS', 'platform:smccc_trng']]),
    ev(2, 'uevent', [['ACTION', 'bind'], ['MODALIAS', 'auxiliary:arm_cca_guest.arm-rsi-dev']], 'bind'),
    ev(3, 'uevent', [['ACTION', 'add'], ['MODALIAS', 'auxiliary:arm_cca_guest.arm-rsi-dev']]),
    ev(4, 'uevent', [['ACTION', 'add'], ['MODALIAS', 'auxiliary:arm_cca_guest.arm-rsi-dev']]),
  ];
  it('finds the first add uevent whose MODALIAS matches an alias of the module (fnmatch)', () => {
    expect(storyStep(events, mod(['auxiliary:arm_cca_guest.arm-rsi-dev']))).toBe(3);
    expect(storyStep(events, mod(['auxiliary:arm_cca_guest.*']))).toBe(3);
  });
  it('has none when no uevent matches, or the module has no alias', () => {
    expect(storyStep(events, mod(['platform:arm-cca-dev']))).toBeNull();
    expect(storyStep(events, mod([]))).toBeNull();
    expect(storyStep(events, undefined)).toBeNull();
  });
});
