/**
 * fnmatch(3) without flags ('*', '?', '[...]', '\' quoting): how libkmod matches a MODALIAS
 * against the patterns in modules.alias. No regular expression is built from the pattern: the
 * pattern is cut at its '*'s into segments that match one character per token, the first
 * anchored at the start, the last at the end, the middle ones leftmost in between — which is
 * exact for fnmatch without FNM_PATHNAME, and never backtracks (O(|pattern| · |string|)).
 * No imports: the UI uses it too, to draw MODALIAS → alias edges.
 */

type Token =
  | { t: 'char'; c: string }
  | { t: 'any' }
  | { t: 'class'; negate: boolean; singles: string; ranges: [string, string][] };

/** a parsed pattern: segments of one-character tokens between '*'s */
export interface Glob {
  segments: Token[][];
  /** the pattern started / ended with '*' */
  leadingStar: boolean;
  trailingStar: boolean;
}

export function hasWildcard(pattern: string): boolean {
  return /[*?[\\]/.test(pattern);
}

/**
 * Prefix keys, to look patterns up without trying each one: a string is keyed by its first K
 * characters for every K in PREFIX_LENGTHS it is long enough for; a pattern by the longest K its
 * literal prefix (up to the first '*', '?', '[' or '\\') covers, or "*" when that is shorter than
 * the shortest K. A string a pattern matches starts with the pattern's whole literal prefix, so it
 * carries the pattern's key: a lookup by these keys skips only pairs that cannot match.
 */
export const PREFIX_LENGTHS = [4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 28, 32, 40, 48];
export function prefixKeys(s: string): string[] {
  const keys: string[] = [];
  for (const n of PREFIX_LENGTHS) if (s.length >= n) keys.push(`m:${s.slice(0, n)}`);
  return keys;
}
export function patternPrefixKey(p: string): string {
  const lit = p.search(/[*?[\\]/);
  const len = lit < 0 ? p.length : lit;
  let best = 0;
  for (const n of PREFIX_LENGTHS) if (n <= len) best = n;
  return best ? `m:${p.slice(0, best)}` : '*';
}

/** parse as glibc's fnmatch does: '[' without a closing ']' is a literal '['; "[]...]" and "[!]...]" hold a ']' */
export function parseGlob(pattern: string): Glob {
  const segments: Token[][] = [[]];
  let leadingStar = false;
  let trailingStar = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    const seg = segments[segments.length - 1]!;
    if (c === '*') {
      if (i === 0) leadingStar = true;
      while (pattern[i + 1] === '*') i++;
      if (i === pattern.length - 1) trailingStar = true;
      else segments.push([]);
      continue;
    }
    if (c === '?') {
      seg.push({ t: 'any' });
      continue;
    }
    if (c === '\\' && i + 1 < pattern.length) {
      seg.push({ t: 'char', c: pattern[++i]! });
      continue;
    }
    if (c === '[') {
      const cls = parseClass(pattern, i);
      if (cls) {
        seg.push(cls.token);
        i = cls.end;
        continue;
      }
    }
    seg.push({ t: 'char', c });
  }
  return { segments, leadingStar, trailingStar };
}

function parseClass(p: string, open: number): { token: Token; end: number } | null {
  let i = open + 1;
  let negate = false;
  if (p[i] === '!' || p[i] === '^') {
    negate = true;
    i++;
  }
  let singles = '';
  const ranges: [string, string][] = [];
  let first = true;
  for (; i < p.length; i++) {
    let c = p[i]!;
    if (c === ']' && !first) return { token: { t: 'class', negate, singles, ranges }, end: i };
    first = false;
    if (c === '\\' && i + 1 < p.length) c = p[++i]!;
    if (p[i + 1] === '-' && p[i + 2] !== undefined && p[i + 2] !== ']') {
      let hi = p[i + 2]!;
      i += 2;
      if (hi === '\\' && i + 1 < p.length) hi = p[++i]!;
      ranges.push([c, hi]);
    } else singles += c;
  }
  return null; // no closing ']': the '[' is an ordinary character
}

function tokenMatches(tok: Token, ch: string): boolean {
  switch (tok.t) {
    case 'char': return tok.c === ch;
    case 'any': return true;
    case 'class': {
      // a reversed range such as z-a matches nothing, as in glibc
      const hit = tok.singles.includes(ch) || tok.ranges.some(([lo, hi]) => lo <= ch && ch <= hi);
      return hit !== tok.negate;
    }
  }
}

function segmentAt(seg: Token[], s: string, at: number): boolean {
  if (at + seg.length > s.length) return false;
  for (let j = 0; j < seg.length; j++) if (!tokenMatches(seg[j]!, s[at + j]!)) return false;
  return true;
}

export function globMatch(g: Glob, s: string): boolean {
  const segs = g.segments;
  if (segs.length === 1 && !g.leadingStar && !g.trailingStar) return segs[0]!.length === s.length && segmentAt(segs[0]!, s, 0);
  let pos = 0;
  let first = 0;
  let last = segs.length - 1;
  if (!g.leadingStar) {
    if (!segmentAt(segs[0]!, s, 0)) return false;
    pos = segs[0]!.length;
    first = 1;
  }
  let end = s.length;
  if (!g.trailingStar && last >= first) {
    const tail = segs[last]!;
    if (end - tail.length < pos || !segmentAt(tail, s, end - tail.length)) return false;
    end -= tail.length;
    last--;
  }
  for (let k = first; k <= last; k++) {
    const seg = segs[k]!;
    let at = pos;
    while (at + seg.length <= end && !segmentAt(seg, s, at)) at++;
    if (at + seg.length > end) return false;
    pos = at + seg.length;
  }
  return pos <= end;
}

export function fnmatch(pattern: string, s: string): boolean {
  if (!hasWildcard(pattern)) return pattern === s;
  return globMatch(parseGlob(pattern), s);
}

/** what fnmatch will make of a pattern that looks wrong: null if fine, else why (for validation) */
export function globProblem(pattern: string): string | null {
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] === '\\') {
      i++;
      continue;
    }
    if (pattern[i] !== '[') continue;
    const cls = parseClass(pattern, i);
    if (!cls) return `"[" at ${i} has no closing "]": fnmatch takes it as a literal "["`;
    if (cls.token.t === 'class') {
      const bad = cls.token.ranges.find(([lo, hi]) => lo > hi);
      if (bad) return `the range ${bad[0]}-${bad[1]} is reversed: it matches nothing`;
    }
    i = cls.end;
  }
  return null;
}
