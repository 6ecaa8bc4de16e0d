/**
 * validate.ts keeps a valid scenario as given when the check-only walk (scenario/zodAccepts.ts)
 * accepts it, instead of zod's copy. The walk must be sound: whatever it accepts, zod accepts,
 * with output equal to the input. It must also answer yes for the scenarios people run (or the
 * fast path is never taken), and the engine must not change the scenario it was given (it is now
 * the caller's object, not a copy).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { scenarioSchema } from '../scenario/schema';
import { accepts } from '../scenario/zodAccepts';
import { validateScenario } from '../scenario/validate';
import { z } from '../scenario/zodMini';
import { getBuiltinScenario, listBuiltins, Simulation } from '../index';
import { BUDGET, generated, mutatedBuiltin } from './arbitraries';
import { edit, editArb, paths, type Json } from './json-edits';
import { benchScenario } from '../../../bench/scenario';

const acceptsScenario = (v: unknown) => accepts(scenarioSchema as never, v);

/** accepted ⇒ zod accepts it and outputs an equal value */
function soundOn(v: unknown): boolean {
  const ok = acceptsScenario(v);
  if (ok) {
    const r = scenarioSchema.safeParse(v);
    expect(r.success).toBe(true);
    expect(r.data).toEqual(v);
  }
  return ok;
}

describe('the check-only walk over the zod schema', () => {
  it('accepts every built-in design and the benchmark scenario, and validation then keeps the input itself', () => {
    for (const b of listBuiltins()) {
      const s = getBuiltinScenario(b.id);
      expect(soundOn(s), b.id).toBe(true);
      const v = validateScenario(s);
      expect(v.ok && v.scenario === s, b.id).toBe(true);
    }
    expect(soundOn(benchScenario(2000))).toBe(true);
  });

  it('generated and mutated scenarios: accepted, as zod accepts them', () => {
    fc.assert(fc.property(fc.oneof(generated, mutatedBuiltin), (s) => {
      expect(soundOn(s)).toBe(true);
    }), { numRuns: 150 });
  });

  it('scenarios broken at a random place: never accepted where zod refuses or would output something else', () => {
    let accepted = 0;
    let refused = 0;
    fc.assert(fc.property(fc.oneof(generated, mutatedBuiltin), fc.nat(), editArb, (s, at, how) => {
      const json = JSON.parse(JSON.stringify(s)) as Json;
      const all = paths(json);
      if (soundOn(edit(json, all[at % all.length]!, how))) accepted++;
      else refused++;
    }), { numRuns: 500 });
    // both answers were exercised (an edit often keeps a scenario valid: a name changed)
    expect(accepted).toBeGreaterThan(20);
    expect(refused).toBeGreaterThan(20);
  });

  it('answers "not sure" for what zod refuses or would change', () => {
    const o = z.strictObject({ n: z.number().check(z.int(), z.gte(0), z.lte(10)), s: z.optional(z.string().check(z.maxLength(3), z.regex(/^[a-z]+$/))), l: z.optional(z.array(z.literal('x')).check(z.maxLength(2))) });
    const yes = (v: unknown) => accepts(o as never, v);
    expect(yes({ n: 3 })).toBe(true);
    expect(yes({ n: 3, s: 'abc', l: ['x', 'x'] })).toBe(true);
    expect(yes({})).toBe(false); // a required key absent
    expect(yes({ n: 3.5 })).toBe(false); // z.int()
    expect(yes({ n: 11 })).toBe(false); // z.lte
    expect(yes({ n: -1 })).toBe(false); // z.gte
    expect(yes({ n: NaN })).toBe(false);
    expect(yes({ n: Infinity })).toBe(false);
    expect(yes({ n: '3' })).toBe(false);
    expect(yes({ n: 3, s: 'abcd' })).toBe(false); // maxLength
    expect(yes({ n: 3, s: 'A' })).toBe(false); // regex
    expect(yes({ n: 3, l: ['x', 'x', 'x'] })).toBe(false); // an array's maxLength
    expect(yes({ n: 3, l: ['y'] })).toBe(false); // literal
    expect(yes({ n: 3, extra: 1 })).toBe(false); // strict: an unknown key
    expect(yes(new (class { n = 3; })())).toBe(false); // not a plain object
    expect(yes([3])).toBe(false);
    // a plain (non-strict) object strips unknown keys: its output is not the input
    expect(accepts(z.object({ a: z.string() }) as never, { a: 'x' })).toBe(false);
    // a refine on an object ("if" needs when, device or call), and a discriminator nobody has
    const action = (v: unknown) => acceptsScenario({ ...getBuiltinScenario(listBuiltins()[0]!.id), actions: [], modules: [{ name: 'm', location: 'builtin', init: [v] }] });
    expect(action({ op: 'log', message: 'hi' })).toBe(true);
    expect(action({ op: 'if', device: 'x', then: [] })).toBe(true);
    expect(action({ op: 'if', then: [] })).toBe(false);
    expect(action({ op: 'no_such_op' })).toBe(false);
    expect(scenarioSchema.safeParse({ ...getBuiltinScenario(listBuiltins()[0]!.id), modules: [{ name: 'm', location: 'builtin', init: [{ op: 'if', then: [] }] }] }).success).toBe(false);
  });

  it('the engine does not change the scenario it runs (validation no longer copies it)', () => {
    for (const b of listBuiltins()) {
      const s = getBuiltinScenario(b.id);
      const before = JSON.stringify(s);
      const sim = new Simulation(s, BUDGET);
      expect(sim.errors, b.id).toEqual([]);
      sim.stateAt(0);
      sim.stateAt(sim.lastStep);
      expect(JSON.stringify(s), b.id).toBe(before);
    }
  });

  it('the scenario a run keeps is frozen: a later change throws instead of going unseen by the caches keyed on it', () => {
    const s = getBuiltinScenario(listBuiltins()[0]!.id);
    new Simulation(s, BUDGET);
    expect(() => { s.modules.push(s.modules[0]!); }).toThrow(TypeError);
    expect(() => { (s.firmware as { description: string }).description = 'acpi'; }).toThrow(TypeError);
    // a refused scenario is left as it was
    const copied = { ...getBuiltinScenario(listBuiltins()[0]!.id), title: 7 } as unknown;
    new Simulation(copied, BUDGET);
    expect(Object.isFrozen(copied)).toBe(false);
  });
});

describe('the app’s deferred walk (zodAcceptsDeferred.ts)', () => {
  it('answers as the walk once its chunk has loaded', async () => {
    const deferred = await import('../scenario/zodAcceptsDeferred');
    await import('../scenario/zodAccepts');
    await new Promise((r) => setTimeout(r, 0));
    const s = getBuiltinScenario(listBuiltins()[0]!.id);
    expect(deferred.acceptedAs(scenarioSchema, s)).toBe(true);
    expect(deferred.acceptedAs(scenarioSchema, { ...s, extra: 1 })).toBe(false);
  });
});
