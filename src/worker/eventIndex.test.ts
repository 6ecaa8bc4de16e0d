import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO_ID, Simulation, getBuiltinScenario } from '../engine/index';
import { eventIndex, indexOf, nextOfKind } from './eventIndex';

describe('event index', () => {
  it('is what the whole trace says: each kind, and the depth-0 phase events with their text', () => {
    const sim = new Simulation(getBuiltinScenario(DEFAULT_SCENARIO_ID));
    const events = sim.summary().events;
    const index = eventIndex(sim.eventKinds(), (i) => {
      const e = sim.eventsBetween(i, i + 1)[0]!;
      return e.depth === 0 ? e.text : null;
    });
    expect(index.kinds.length).toBe(events.length);
    expect(events.every((e, i) => index.kindNames[index.kinds[i]!] === e.kind)).toBe(true);
    const stages = events.filter((e) => e.kind === 'phase' && e.depth === 0).map((e) => ({ step: e.index, text: e.text }));
    expect(stages.length).toBeGreaterThan(1);
    expect(index.stages).toEqual(stages);
    // the same from the built events (tests' and small runs' way)
    const again = indexOf(events);
    expect(again.stages).toEqual(stages);
    expect(events.every((e, i) => again.kindNames[again.kinds[i]!] === e.kind)).toBe(true);
  });

  it('what each event touched, read from the columns, is the built event\'s', () => {
    const sim = new Simulation(getBuiltinScenario(DEFAULT_SCENARIO_ID));
    const events = sim.summary().events;
    expect(events.every((e, i) => sim.eventTouchesAt(i) === e.touches)).toBe(true);
    expect(() => sim.eventTouchesAt(events.length)).toThrow(RangeError);
  });

  it('finds the next event of a kind after a step', () => {
    const index = indexOf(['phase', 'uevent', 'bind', 'uevent'].map((kind, i) => ({ kind, depth: 0, text: `t${i}` })));
    expect(nextOfKind(index, -1, 'uevent')).toBe(1);
    expect(nextOfKind(index, 1, 'uevent')).toBe(3);
    expect(nextOfKind(index, 3, 'uevent')).toBeNull();
    expect(nextOfKind(index, -1, 'module')).toBeNull();
    expect(index.stages).toEqual([{ step: 0, text: 't0' }]);
  });
});
