/** checkLimits (scenario/validate.ts) reports what the walk with a path string per value reported, in the same order. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ScenarioError } from '../api';
import { checkLimits } from '../scenario/validate';

// the walk as it was (an explicit stack of [value, path, depth]), the reference
function oldCheckLimits(input: unknown, LIMITS: Record<'depth' | 'arrayLength' | 'stringLength' | 'keys' | 'nodes' | 'errors', number>): ScenarioError[] {
  const errors: ScenarioError[] = [];
  const stack: [unknown, string, number][] = [[input, '', 0]];
  let nodes = 0;
  while (stack.length > 0 && errors.length <= LIMITS.errors) {
    const [v, path, depth] = stack.pop()!;
    const where = path || '(root)';
    if (++nodes > LIMITS.nodes) {
      errors.push({ path: '(root)', message: `more than ${LIMITS.nodes} values: too large` });
      break;
    }
    if (typeof v === 'string') {
      if (v.length > LIMITS.stringLength) errors.push({ path: where, message: `a string of ${v.length} characters: the limit is ${LIMITS.stringLength}` });
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth >= LIMITS.depth) {
      errors.push({ path: where, message: `nested more than ${LIMITS.depth} levels deep` });
      continue;
    }
    if (Array.isArray(v)) {
      if (v.length > LIMITS.arrayLength) {
        errors.push({ path: where, message: `an array of ${v.length} items: the limit is ${LIMITS.arrayLength}` });
        continue;
      }
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${path}[${i}]`, depth + 1]);
      continue;
    }
    const keys = Object.keys(v);
    if (keys.length > LIMITS.keys) {
      errors.push({ path: where, message: `an object with ${keys.length} keys: the limit is ${LIMITS.keys}` });
      continue;
    }
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i]!;
      const kp = path ? `${path}.${key}` : key;
      if (key === '__proto__') {
        errors.push({ path: kp, message: 'the key "__proto__" is not allowed' });
        continue;
      }
      stack.push([(v as Record<string, unknown>)[key], kp, depth + 1]);
    }
  }
  return errors;
}


const limits = fc.record({
  depth: fc.integer({ min: 1, max: 6 }), arrayLength: fc.integer({ min: 0, max: 5 }), stringLength: fc.integer({ min: 0, max: 6 }),
  keys: fc.integer({ min: 0, max: 5 }), nodes: fc.integer({ min: 1, max: 60 }), errors: fc.integer({ min: 0, max: 6 }),
});
const key = fc.constantFrom('a', 'b', '', '__proto__', 'x.y', '0');
const value = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, fc.string({ maxLength: 8 }), fc.integer(), fc.constant(null), fc.boolean(), fc.array(tie('v'), { maxLength: 7 }), tie('o')),
  // JSON.parse makes "__proto__" an own key, as a scenario file would
  o: fc.array(fc.tuple(key, tie('v')), { maxLength: 7 }).map((kv) => JSON.parse(`{${kv.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`) as unknown),
}));

describe('the scenario limits walk', () => {
  it('finds the same problems at the same paths, in the same order, as the reference walk', () => {
    fc.assert(fc.property(value.v, limits, (v, l) => {
      expect(checkLimits(v, l)).toEqual(oldCheckLimits(v, l));
    }), { numRuns: 3000 });
  });
});
