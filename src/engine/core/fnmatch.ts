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
  /** per segment: its text when every token is a plain character (matched with the native string search), else null */
  literals: (string | null)[];
  /** the pattern started / ended with '*' */
  leadingStar: boolean;
  trailingStar: boolean;
}

export function hasWildcard(pattern: string): boolean {
  return /[*?[\\]/.test(pattern);
}

/**
 * Index keys, to look patterns up without trying each one. A string is keyed by its first and
 * its last K characters for every K in PREFIX_LENGTHS it is long enough for ("m:" and "s:"
 * keys). A pattern is keyed by the longest K that its literal prefix (up to the first '*', '?',
 * '[' or '\\') or its literal tail (after the last '*', when nothing follows it but plain
 * characters) covers, whichever is longer, or by "*" when both are shorter than the shortest K.
 * A string the pattern matches starts with the whole literal prefix and ends with the whole
 * literal tail, so it carries the pattern's key: a lookup by these keys skips only pairs that
 * cannot match. The tail matters for modules.alias: every OF alias is `of:N*T*C<compatible>`,
 * whose literal prefix "of:N" is shared by all of them.
 */
export const PREFIX_LENGTHS = [4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 28, 32, 40, 48];
export function indexKeys(s: string): string[] {
  const keys: string[] = [];
  for (const n of PREFIX_LENGTHS) {
    if (s.length < n) break;
    keys.push(`m:${s.slice(0, n)}`, `s:${s.slice(s.length - n)}`);
  }
  return keys;
}
export function patternIndexKey(p: string, parsed?: Glob): string {
  const lit = p.search(/[*?[\\]/);
  const len = lit < 0 ? p.length : lit;
  const longest = (l: number) => {
    let best = 0;
    for (const n of PREFIX_LENGTHS) if (n <= l) best = n;
    return best;
  };
  const pre = longest(len);
  let suf = 0;
  let tail = '';
  if (lit >= 0) {
    const g = parsed ?? parseGlob(p);
    const t = g.literals[g.literals.length - 1];
    if (!g.trailingStar && (g.segments.length > 1 || g.leadingStar) && t !== null && t !== undefined) {
      tail = t;
      suf = longest(t.length);
    }
  }
  if (suf > pre) return `s:${tail.slice(tail.length - suf)}`;
  return pre ? `m:${p.slice(0, pre)}` : '*';
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
      seg.push(charToken(pattern[++i]!));
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
    seg.push(charToken(c));
  }
  const literals = segments.map((seg) => (seg.every((t) => t.t === 'char') ? seg.map((t) => (t as { c: string }).c).join('') : null));
  return { segments, literals, leadingStar, trailingStar };
}

/**
 * The token of one plain character: one per ASCII character for every pattern (tokens are never
 * changed). A large modules.alias parses tens of thousands of OF globs, an object per character each.
 */
function charToken(c: string): Token {
  const code = c.charCodeAt(0);
  if (code >= ASCII_TOKENS.length) return { t: 'char', c };
  return (ASCII_TOKENS[code] ??= { t: 'char', c });
}
const ASCII_TOKENS: (Token | undefined)[] = new Array<Token | undefined>(128).fill(undefined);

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

function segmentAt(seg: Token[], s: string, at: number, literal: string | null = null): boolean {
  if (at + seg.length > s.length) return false;
  if (literal !== null) return s.startsWith(literal, at);
  for (let j = 0; j < seg.length; j++) if (!tokenMatches(seg[j]!, s[at + j]!)) return false;
  return true;
}

/** the leftmost place at or after `from` where segment k matches and ends by `end`, or -1 */
function findSegment(g: Glob, k: number, s: string, from: number, end: number): number {
  const seg = g.segments[k]!;
  const literal = g.literals[k]!;
  if (literal !== null) {
    // a plain-text segment: the native search finds the leftmost occurrence
    const at = s.indexOf(literal, from);
    return at >= 0 && at + literal.length <= end ? at : -1;
  }
  for (let at = from; at + seg.length <= end; at++) if (segmentAt(seg, s, at)) return at;
  return -1;
}

export function globMatch(g: Glob, s: string): boolean {
  const segs = g.segments;
  const lits = g.literals;
  if (segs.length === 1 && !g.leadingStar && !g.trailingStar) return segs[0]!.length === s.length && segmentAt(segs[0]!, s, 0, lits[0]);
  let pos = 0;
  let first = 0;
  let last = segs.length - 1;
  if (!g.leadingStar) {
    if (!segmentAt(segs[0]!, s, 0, lits[0])) return false;
    pos = segs[0]!.length;
    first = 1;
  }
  let end = s.length;
  if (!g.trailingStar && last >= first) {
    const tail = segs[last]!;
    if (end - tail.length < pos || !segmentAt(tail, s, end - tail.length, lits[last])) return false;
    end -= tail.length;
    last--;
  }
  for (let k = first; k <= last; k++) {
    const at = findSegment(g, k, s, pos, end);
    if (at < 0) return false;
    pos = at + segs[k]!.length;
  }
  return pos <= end;
}

/**
 * libkmod's alias_normalize() (shared/util.c): '-' becomes '_', but not inside a bracket
 * expression. modprobe normalizes the alias it looks up (kmod_module_new_from_lookup) and depmod
 * every alias it indexes, so a MODALIAS "platform:foo-bar" finds the alias "platform:foo_bar".
 */
export function aliasNormalize(s: string): string {
  if (!s.includes('-')) return s;
  let out = '';
  let inBracket = false;
  for (const c of s) {
    if (inBracket) {
      out += c;
      if (c === ']') inBracket = false;
    } else if (c === '[') {
      inBracket = true;
      out += c;
    } else out += c === '-' ? '_' : c;
  }
  return out;
}

/** whether kmod's lookup of `modalias` finds the alias `pattern`: both normalized (aliasNormalize), then fnmatch() */
export function aliasMatch(pattern: string, modalias: string): boolean {
  return fnmatch(aliasNormalize(pattern), aliasNormalize(modalias));
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

/** buckets of more patterns than this share a literal prefix or tail (every `of:N*T*C<compatible>C*` alias): indexed again by a 4-gram */
const GRAM_BUCKET = 16;
const GRAM = 4;

/**
 * A list of patterns indexed for lookups (modules.alias as libkmod reads it): `matches(s)` is
 * the indexes of the patterns fnmatch(pattern, s) accepts, ascending, exactly as a walk of the
 * whole list would find them. Plain strings are looked up whole; globs by their index key
 * (literal prefix or tail, `patternIndexKey`); a large bucket of globs with one key (OF aliases
 * ending in "C*" all start "of:N" and end in "*") by the rarest 4-character run of each glob's
 * longest literal segment, which every string the glob matches contains.
 */
export class PatternSet {
  /** plain patterns: the index of the one pattern that is this string, or of each, when the list has it more than once (an array per pattern was ~80k arrays for a large scenario's modules.alias) */
  private readonly exact = new Map<string, number | number[]>();
  /** the glob buckets by index key: "*", and by the literal prefix ("m:" keys) or tail ("s:" keys) itself, one map each (a lookup slices the string, with no key to build) */
  private readonly any: Bucket | undefined;
  private readonly byPrefix = new Map<string, Bucket>();
  private readonly bySuffix = new Map<string, Bucket>();
  /** the key lengths some bucket has: a lookup slices only those of a string's index keys */
  private readonly prefixLengths: number[] = [];
  private readonly suffixLengths: number[] = [];
  /**
   * Per key length (same order as the lengths): the character codes the keys of that length have
   * at their inner end (a prefix's last character, a tail's first). A string whose character
   * there is none of them has no key of that length: it is not sliced and looked up (most
   * strings a large modules.alias is asked about match one exact alias and no glob).
   */
  private readonly prefixEnds: Set<number>[] = [];
  private readonly suffixStarts: Set<number>[] = [];

  constructor(patterns: readonly string[]) {
    const keyed = new Map<string, [number, Glob][]>();
    patterns.forEach((p, i) => {
      if (!hasWildcard(p)) {
        const l = this.exact.get(p);
        if (l === undefined) this.exact.set(p, i);
        else if (typeof l === 'number') this.exact.set(p, [l, i]);
        else l.push(i);
        return;
      }
      const g = parseGlob(p);
      const key = patternIndexKey(p, g);
      const l = keyed.get(key);
      if (l) l.push([i, g]);
      else keyed.set(key, [[i, g]]);
    });
    for (const [key, all] of keyed) {
      const bucket = all.length > GRAM_BUCKET ? gramIndex(all) : { grams: null, rest: all };
      if (key === '*') {
        this.any = bucket;
        continue;
      }
      const prefix = key.startsWith('m:');
      const literal = key.slice(2);
      (prefix ? this.byPrefix : this.bySuffix).set(literal, bucket);
      const lengths = prefix ? this.prefixLengths : this.suffixLengths;
      const ends = prefix ? this.prefixEnds : this.suffixStarts;
      let at = lengths.indexOf(literal.length);
      if (at < 0) {
        at = lengths.push(literal.length) - 1;
        ends.push(new Set());
      }
      ends[at]!.add(literal.charCodeAt(prefix ? literal.length - 1 : 0));
    }
  }

  matches(s: string): number[] {
    const exact = this.exact.get(s);
    const hits: number[] = exact === undefined ? [] : typeof exact === 'number' ? [exact] : exact.slice();
    // a glob found under a 4-gram that s holds twice is found twice
    let repeats = false;
    if (this.any) repeats = visitBucket(this.any, s, hits) || repeats;
    for (let j = 0; j < this.prefixLengths.length; j++) {
      const n = this.prefixLengths[j]!;
      if (s.length < n || !this.prefixEnds[j]!.has(s.charCodeAt(n - 1))) continue;
      const b = this.byPrefix.get(s.slice(0, n));
      if (b) repeats = visitBucket(b, s, hits) || repeats;
    }
    for (let j = 0; j < this.suffixLengths.length; j++) {
      const n = this.suffixLengths[j]!;
      if (s.length < n || !this.suffixStarts[j]!.has(s.charCodeAt(s.length - n))) continue;
      const b = this.bySuffix.get(s.slice(s.length - n));
      if (b) repeats = visitBucket(b, s, hits) || repeats;
    }
    if (hits.length > 1) {
      hits.sort((a, b) => a - b);
      if (repeats) return hits.filter((x, j) => j === 0 || hits[j - 1] !== x);
    }
    return hits;
  }
}

/**
 * modules.alias as kmod looks a MODALIAS up in it (kmod_module_new_from_lookup): the aliases as
 * depmod indexes them and the MODALIAS asked for, both through aliasNormalize, then PatternSet's
 * fnmatch() index. Every lookup that stands for kmod's goes through here, so neither side can be
 * left unnormalized.
 */
export class AliasSet extends PatternSet {
  constructor(aliases: readonly string[]) {
    super(aliases.map(aliasNormalize));
  }
  override matches(modalias: string): number[] {
    return super.matches(aliasNormalize(modalias));
  }
}

interface Bucket {
  grams: Map<string, [number, Glob][]> | null;
  rest: [number, Glob][];
}

/** the bucket's globs that match s, into hits; true when its 4-gram index was walked (a glob may then be found twice) */
function visitBucket(b: Bucket, s: string, hits: number[]): boolean {
  for (const [i, g] of b.rest) if (globMatch(g, s)) hits.push(i);
  if (!b.grams) return false;
  for (let at = 0; at + GRAM <= s.length; at++) {
    const cands = b.grams.get(s.slice(at, at + GRAM));
    if (cands) for (const [i, g] of cands) if (globMatch(g, s)) hits.push(i);
  }
  return true;
}

/** a bucket's globs by the rarest 4-gram of their longest literal segment; globs without one stay in `rest` */
function gramIndex(all: [number, Glob][]): { grams: Map<string, [number, Glob][]>; rest: [number, Glob][] } {
  const longest = (g: Glob) => g.literals.reduce<string>((best, l) => (l !== null && l.length > best.length ? l : best), '');
  const count = new Map<string, number>();
  for (const [, g] of all) {
    const l = longest(g);
    for (let at = 0; at + GRAM <= l.length; at++) count.set(l.slice(at, at + GRAM), (count.get(l.slice(at, at + GRAM)) ?? 0) + 1);
  }
  const grams = new Map<string, [number, Glob][]>();
  const rest: [number, Glob][] = [];
  for (const entry of all) {
    const l = longest(entry[1]);
    let best: string | null = null;
    for (let at = 0; at + GRAM <= l.length; at++) {
      const gram = l.slice(at, at + GRAM);
      if (best === null || count.get(gram)! < count.get(best)!) best = gram;
    }
    if (best === null) rest.push(entry);
    else {
      const list = grams.get(best);
      if (list) list.push(entry);
      else grams.set(best, [entry]);
    }
  }
  return { grams, rest };
}
