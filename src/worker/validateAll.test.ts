import { describe, expect, it } from 'vitest';
import { getBuiltinScenario, validateScenario } from '../engine/index';
import { validateAll } from './validateAll';

describe('validateAll: shape and reference problems together', () => {
  it('reports an unknown bus next to a bad enum value, where the engine reports the shape problem alone', () => {
    const s = structuredClone(getBuiltinScenario('auxiliary')) as unknown as {
      modules: { location: string; drivers: Record<string, { bus: string }> }[];
    };
    s.modules[0]!.location = 'sideways';
    const key = 'arm_cca_guest';
    s.modules[3]!.drivers[key]!.bus = 'nope';
    const engine = validateScenario(s);
    expect(engine.ok).toBe(false);
    expect(!engine.ok && engine.errors.map((e) => e.path)).toEqual(['modules[0].location']);
    const all = validateAll(s);
    expect(all.map((e) => e.path)).toEqual(['modules[0].location', `modules[3].drivers.${key}.bus`]);
    expect(all[1]!.message).toContain('unknown bus "nope"');
  });

  it('adds nothing for a valid scenario or one with reference problems only', () => {
    expect(validateAll(getBuiltinScenario('faux'))).toEqual([]);
    const s = structuredClone(getBuiltinScenario('faux')) as unknown as { actions?: { op: string; module?: string }[] };
    s.actions = [...(s.actions ?? []), { op: 'modprobe', module: 'ghost' }];
    const errors = validateAll(s);
    expect(errors.some((e) => e.message.includes('no module "ghost"'))).toBe(true);
  });

  it('never reports a problem of its own placeholders', () => {
    const s = structuredClone(getBuiltinScenario('auxiliary')) as unknown as { modules: { name?: string }[] };
    delete s.modules[0]!.name;
    const errors = validateAll(s);
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) expect(e.message).not.toContain('set-aside');
  });
});
