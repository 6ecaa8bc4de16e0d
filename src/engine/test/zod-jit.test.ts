/**
 * The scenario schema's objects are zod's JIT objects (scenario/zodMini.ts): each compiles a
 * parser for its shape. They must parse exactly as zod's generic object walk does (the
 * `jitless` parse of the same schema): the same success, the same output (values and key order)
 * and the same issues, for valid scenarios and for broken ones.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { scenarioSchema } from '../scenario/schema';
import { z } from '../scenario/zodMini';
import { getBuiltinScenario, listBuiltins } from '../index';
import { generated, mutatedBuiltin } from './arbitraries';
import { edit, editArb, paths, type Json } from './json-edits';

/** what a parse gave, in a form toEqual compares completely (JSON keeps the key order) */
function outcome(r: ReturnType<typeof scenarioSchema.safeParse>): { ok: boolean; data?: string; issues?: { code: string; path: PropertyKey[]; message: string }[] } {
  if (r.success) return { ok: true, data: JSON.stringify(r.data) };
  return { ok: false, issues: r.error.issues.map((i) => ({ code: i.code, path: i.path, message: i.message })) };
}

function both(input: unknown) {
  return { jit: outcome(scenarioSchema.safeParse(input)), generic: outcome(scenarioSchema.safeParse(input, { jitless: true })) };
}

describe('the JIT objects parse as zod’s generic objects', () => {
  it('the schema’s objects are JIT objects', () => {
    const o = z.strictObject({ a: z.string() }) as unknown as { _zod: { traits: Set<string> } };
    expect(o._zod.traits.has('$ZodObjectJIT')).toBe(true);
    expect(o._zod.traits.has('ZodMiniObject')).toBe(true);
  });

  it('every built-in design', () => {
    for (const b of listBuiltins()) {
      const r = both(getBuiltinScenario(b.id));
      expect(r.jit.ok, b.id).toBe(true);
      expect(r.jit).toEqual(r.generic);
    }
  });

  it('generated and mutated scenarios', () => {
    fc.assert(fc.property(fc.oneof(generated, mutatedBuiltin), (s) => {
      const r = both(s);
      expect(r.jit).toEqual(r.generic);
    }), { numRuns: 150 });
  });

  it('scenarios broken at a random place (a value replaced, deleted, or a key added)', () => {
    fc.assert(fc.property(fc.oneof(generated, mutatedBuiltin), fc.nat(), editArb, (s, at, how) => {
      const json = JSON.parse(JSON.stringify(s)) as Json;
      const all = paths(json);
      const broken = edit(json, all[at % all.length]!, how);
      const r = both(broken);
      expect(r.jit).toEqual(r.generic);
    }), { numRuns: 400 });
  });

  it('a break the JIT parser must report (a mutation check of the comparison itself)', () => {
    const s = JSON.parse(JSON.stringify(getBuiltinScenario(listBuiltins()[0]!.id))) as { modules: { name: unknown; extra?: unknown }[] };
    s.modules[0]!.name = 7;
    s.modules[0]!.extra = true;
    const r = both(s);
    expect(r.jit.ok).toBe(false);
    expect(r.jit.issues!.map((i) => i.path.join('.'))).toEqual(expect.arrayContaining(['modules.0.name']));
    expect(r.jit).toEqual(r.generic);
  });
});
