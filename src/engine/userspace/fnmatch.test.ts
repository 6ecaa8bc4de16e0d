/** fnmatch(3) as libkmod uses it (no flags), against glibc's documented behaviour, and its cost. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PatternSet, fnmatch, globProblem, indexKeys, patternIndexKey } from './fnmatch';

describe('fnmatch (no flags)', () => {
  it.each([
    ['platform:arm-cca-dev', 'platform:arm-cca-dev', true],
    ['platform:arm-cca-de', 'platform:arm-cca-dev', false],
    ['of:N*T*Carm,psci-1.0*', 'of:NpsciT(null)Carm,psci-1.0Carm,psci-0.2', true],
    ['pci:v00008086d00001593sv*sd*bc*sc*i*', 'pci:v00008086d00001593sv00008086sd00000002bc02sc00i00', true],
    ['pci:v00008086d00001594sv*sd*bc*sc*i*', 'pci:v00008086d00001593sv00008086sd00000002bc02sc00i00', false],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['[abc]x', 'bx', true],
    ['[!abc]x', 'bx', false],
    ['[^abc]x', 'dx', true],
    ['[a-c]', 'b', true],
    ['[z-a]', 'm', false], // a reversed range matches nothing
    ['[]]', ']', true], // "]" first is literal
    ['[!]]', 'a', true],
    ['[ab', '[ab', true], // no closing "]": a literal "["
    ['a\\*b', 'a*b', true],
    ['a\\*b', 'axb', false],
    ['*', '', true],
    ['a*', 'a', true],
    ['*a*b*c*', 'xaybzc', true],
    ['*a*b*c*', 'xaybz', false],
    ['a*b*a', 'aba', true],
    ['a*b*a', 'ab', false],
    ['*ab', 'aab', true],
    ['ab*ba', 'aba', false],
  ])('fnmatch(%j, %j) is %s', (p, s, want) => expect(fnmatch(p, s)).toBe(want));

  it('agrees with a reference backtracking matcher on random patterns over a small alphabet', () => {
    // the textbook recursive definition (exponential, fine for tiny inputs)
    const ref = (p: string, s: string): boolean => {
      if (p === '') return s === '';
      if (p[0] === '*') return ref(p.slice(1), s) || (s !== '' && ref(p, s.slice(1)));
      if (s === '') return false;
      if (p[0] === '?' || p[0] === s[0]) return ref(p.slice(1), s.slice(1));
      return false;
    };
    fc.assert(fc.property(fc.stringMatching(/^[ab*?]{0,8}$/), fc.stringMatching(/^[ab]{0,10}$/), (p, s) => fnmatch(p, s) === ref(p, s)), { numRuns: 3000 });
  });

  it('a string a pattern matches carries the pattern\'s index key (literal prefix or tail), so an indexed lookup misses no match', () => {
    // long literal runs, so both prefix and tail keys (4+ characters) come into play
    const piece = fc.constantFrom('a', 'b', '*', '?', 'abab', 'bbbb', 'aaaa', '[ab]', 'ba');
    const pattern = fc.array(piece, { maxLength: 8 }).map((xs) => xs.join(''));
    const str = fc.array(fc.constantFrom('a', 'b', 'abab', 'bbbb', 'aaaa'), { maxLength: 10 }).map((xs) => xs.join(''));
    fc.assert(fc.property(pattern, str, (p, s) => {
      if (!fnmatch(p, s)) return true;
      const key = patternIndexKey(p);
      return key === '*' || indexKeys(s).includes(key);
    }), { numRuns: 5000 });
  });

  it('a PatternSet finds exactly the patterns a walk of the whole list finds, in list order, large shared buckets included', () => {
    // many globs with one literal prefix ("of:N"), as OF aliases ending in C* are: the 4-gram index is used
    const compat = fc.array(fc.constantFrom('a', 'b', 'ab', 'ba', 'bbbb', 'abab', ',', '-'), { minLength: 1, maxLength: 5 }).map((xs) => xs.join(''));
    const pattern = fc.oneof(
      compat.map((c) => `of:N*T*C${c}C*`),
      compat.map((c) => `of:N*T*C${c}`),
      compat.map((c) => `of:N${c}T*`),
      fc.array(fc.constantFrom('a', 'b', '*', '?', 'abab', '[ab]'), { maxLength: 5 }).map((xs) => xs.join('')),
    );
    const str = fc.tuple(compat, compat, fc.boolean()).map(([a, b, two]) => `of:N${a}T(null)C${b}${two ? `C${a}` : ''}`);
    fc.assert(fc.property(fc.array(pattern, { minLength: 0, maxLength: 60 }), fc.array(str, { minLength: 1, maxLength: 8 }), (patterns, strings) => {
      const set = new PatternSet(patterns);
      for (const s of strings) {
        const want = patterns.flatMap((p, i) => (fnmatch(p, s) ? [i] : []));
        expect(set.matches(s)).toEqual(want);
      }
    }), { numRuns: 400 });
  });

  it('a plain pattern listed more than once is found at each place, in list order, among the globs', () => {
    const set = new PatternSet(['platform:a', 'platform:*', 'platform:a', 'platform:b', 'platform:a']);
    expect(set.matches('platform:a')).toEqual([0, 1, 2, 4]);
    expect(set.matches('platform:b')).toEqual([1, 3]);
    expect(set.matches('platform:c')).toEqual([1]);
    expect(new PatternSet(['x', 'x']).matches('x')).toEqual([0, 1]);
    expect(new PatternSet(['x']).matches('x')).toEqual([0]);
  });

  it('an OF alias is keyed by its compatible (its tail), not by the "of:N" every OF alias starts with', () => {
    expect(patternIndexKey('of:N*T*Carm,psci-1.0')).toBe('s:arm,psci-1.0');
    expect(patternIndexKey('of:N*T*Carm,psci-1.0C*')).toBe('m:of:N');
    expect(patternIndexKey('platform:arm-cca-dev')).toBe('m:platform:arm-cca-dev');
  });

  it('a pathological alias costs a polynomial walk, not a regex backtrack: *a*a*a…*b against 20k "a"s', () => {
    const pattern = `${'*a'.repeat(40)}*b`;
    const s = 'a'.repeat(20_000);
    // a backtracking regular expression takes minutes here, past the test timeout
    expect(fnmatch(pattern, s)).toBe(false);
    expect(fnmatch(pattern, `${s}b`)).toBe(true);
  });

  it('globProblem names what fnmatch will make of a suspicious pattern', () => {
    expect(globProblem('pci:v[z-a]*')).toMatch(/range z-a is reversed/);
    expect(globProblem('acpi:[ABC')).toMatch(/no closing "\]"/);
    expect(globProblem('platform:x*')).toBeNull();
  });
});
