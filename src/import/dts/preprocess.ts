/**
 * The C preprocessor subset that kernel .dts files use, applied to the token stream (so every
 * token keeps the file, line and column it came from): `#include <…>` / `"…"`, `#define` of
 * object-like and function-like macros, `#undef`, `#ifdef` / `#ifndef` / `#if` / `#elif` /
 * `#else` / `#endif`, `#error`; and dtc's own `/include/ "…"`. Macro names are expanded where a
 * C identifier stands on its own (a cell, or a whole node/property name), as cpp would.
 */
import type { IToken } from 'chevrotain';
import { lexer, Directive, IncludeDts, StringLit, Ident, Word, LParen, RParen, Comma, UnterminatedComment, UnterminatedString } from './lexer';
import type { DtsError, Pos } from './ast';

export type PTok = IToken & { pos: Pos };

export interface Macro {
  name: string;
  params: string[] | null;
  body: string;
  pos: Pos;
  /** the body lexed once per lexer mode */
  lexed?: Partial<Record<'top' | 'cells', PTok[]>>;
}

export interface SourceSet {
  /** the text of a file, by its path in the set, or undefined */
  read(path: string): string | undefined;
  /** -I directories, searched for <…> and, after the including file's own directory, for "…" */
  includeDirs: string[];
}

export interface Preprocessed {
  tokens: PTok[];
  errors: DtsError[];
  /** files read, in order */
  files: string[];
  /** <…> headers that were not in the set (their macros are unknown) */
  missingHeaders: { header: string; pos: Pos }[];
  macros: Map<string, Macro>;
}

const MAX_INCLUDE_DEPTH = 32;
const MAX_EXPANSION_DEPTH = 64;
/** all tokens after preprocessing: a macro that doubles at each level stops here, not in the heap */
export const MAX_TOKENS = 1_000_000;

export function normalizePath(p: string): string {
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length && out[out.length - 1] !== '..') out.pop();
      else out.push('..');
    } else out.push(part);
  }
  return (p.startsWith('/') ? '/' : '') + out.join('/');
}

function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

function join(dir: string, name: string): string {
  return normalizePath(dir ? `${dir}/${name}` : name);
}

export function preprocess(src: SourceSet, mainFile: string): Preprocessed {
  const errors: DtsError[] = [];
  const files: string[] = [];
  const missingHeaders: Preprocessed['missingHeaders'] = [];
  const macros = new Map<string, Macro>();
  const out: PTok[] = [];
  const err = (pos: Pos, message: string) => errors.push({ ...pos, message });

  const posOf = (t: IToken, file: string, chain: Pos['chain']): Pos => ({ file, line: t.startLine ?? 1, col: t.startColumn ?? 1, chain });

  function lexText(text: string, file: string, chain: Pos['chain'], mode?: string): PTok[] {
    const r = mode ? lexer.tokenize(text, mode) : lexer.tokenize(text);
    for (const e of r.errors) err({ file, line: e.line ?? 1, col: e.column ?? 1, chain }, `unexpected character ${JSON.stringify(text.slice(e.offset, e.offset + 1))}`);
    const toks = r.tokens as PTok[];
    for (const t of toks) {
      t.pos = posOf(t, file, chain);
      if (t.tokenType === UnterminatedComment) err(t.pos, 'unterminated comment');
      if (t.tokenType === UnterminatedString) err(t.pos, 'unterminated string');
    }
    return toks.filter((t) => t.tokenType !== UnterminatedComment && t.tokenType !== UnterminatedString);
  }

  function resolveInclude(name: string, angle: boolean, from: string): string | null {
    const cands = [...(angle ? [] : [join(dirname(from), name)]), ...src.includeDirs.map((d) => join(d, name))];
    for (const c of cands) if (src.read(c) !== undefined) return c;
    return null;
  }

  /** cond stack entry: taking = this branch is live; taken = some branch of this #if was live; parentLive */
  type Cond = { live: boolean; taken: boolean; parentLive: boolean; pos: Pos; sawElse: boolean };

  function processFile(file: string, chain: Pos['chain'], depth: number): void {
    const text = src.read(file)!;
    files.push(file);
    const toks = lexText(text, file, chain);
    const conds: Cond[] = [];
    const live = () => conds.every((c) => c.live);
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i]!;
      if (t.tokenType === Directive) {
        directive(t, file, chain, depth, conds, live());
        continue;
      }
      if (!live()) continue;
      if (t.tokenType === IncludeDts) {
        const name = toks[i + 1];
        if (!name || name.tokenType !== StringLit) {
          err(t.pos, '/include/ needs a file name in double quotes');
          continue;
        }
        i++;
        include(JSON.parse(name.image) as string, false, t, file, chain, depth, true);
        continue;
      }
      i = expandInto(toks, i, out, [], 0);
    }
    for (const c of conds) err(c.pos, 'unterminated conditional (#if/#ifdef without #endif)');
  }

  function include(name: string, angle: boolean, t: PTok, file: string, chain: Pos['chain'], depth: number, dtsInclude: boolean): void {
    const found = resolveInclude(name, angle, file);
    if (!found) {
      if (angle) {
        missingHeaders.push({ header: name, pos: t.pos });
        return;
      }
      err(t.pos, `${dtsInclude ? '/include/' : '#include'} "${name}": file not found (searched ${[dirname(file) || '.', ...src.includeDirs].join(', ')})`);
      return;
    }
    if (depth >= MAX_INCLUDE_DEPTH) {
      err(t.pos, `include nested more than ${MAX_INCLUDE_DEPTH} deep (an include cycle?) at "${name}"`);
      return;
    }
    processFile(found, [{ file, line: t.pos.line, col: t.pos.col }, ...chain], depth + 1);
  }

  function directive(t: PTok, file: string, chain: Pos['chain'], depth: number, conds: Cond[], isLive: boolean): void {
    const text = t.image.replace(/\\\r?\n/g, ' ').replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/.*$/, '');
    const m = /^#\s*([a-z]+)\s*([\s\S]*)$/.exec(text)!;
    const kw = m[1]!;
    const rest = m[2]!.trim();
    const top = conds[conds.length - 1];
    switch (kw) {
      case 'ifdef':
      case 'ifndef': {
        const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest)?.[0];
        if (!name) err(t.pos, `#${kw} needs a macro name`);
        const v = name ? macros.has(name) === (kw === 'ifdef') : false;
        conds.push({ live: isLive && v, taken: v, parentLive: isLive, pos: t.pos, sawElse: false });
        return;
      }
      case 'if': {
        const v = isLive ? evalCondition(rest, t, file, chain) : false;
        conds.push({ live: isLive && v, taken: v, parentLive: isLive, pos: t.pos, sawElse: false });
        return;
      }
      case 'elif':
      case 'else': {
        if (!top) return void err(t.pos, `#${kw} without #if`);
        if (top.sawElse) return void err(t.pos, `#${kw} after #else`);
        if (kw === 'else') {
          top.sawElse = true;
          top.live = top.parentLive && !top.taken;
          top.taken = true;
        } else {
          const v = top.parentLive && !top.taken ? evalCondition(rest, t, file, chain) : false;
          top.live = top.parentLive && !top.taken && v;
          top.taken = top.taken || v;
        }
        return;
      }
      case 'endif':
        if (!top) return void err(t.pos, '#endif without #if');
        conds.pop();
        return;
    }
    if (!isLive) return;
    switch (kw) {
      case 'include': {
        const inc = /^(<([^>]+)>|"([^"]+)")/.exec(rest);
        if (!inc) return void err(t.pos, '#include needs <file> or "file"');
        include(inc[2] ?? inc[3]!, inc[2] !== undefined, t, file, chain, depth, false);
        return;
      }
      case 'define': {
        const dm = /^([A-Za-z_][A-Za-z0-9_]*)(\(([^)]*)\))?\s*([\s\S]*)$/.exec(rest);
        if (!dm) return void err(t.pos, '#define needs a macro name');
        const params = dm[2] !== undefined ? dm[3]!.split(',').map((p) => p.trim()).filter(Boolean) : null;
        macros.set(dm[1]!, { name: dm[1]!, params, body: dm[4]!.trim(), pos: t.pos });
        return;
      }
      case 'undef':
        macros.delete(rest.split(/\s/)[0] ?? '');
        return;
      case 'error':
        err(t.pos, `#error ${rest}`);
        return;
      default:
        return; // #warning, #line, #pragma: no effect on the tree
    }
  }

  /** #if: defined(X) / defined X, macros expanded, then the integer expression (unknown names are 0, as in cpp) */
  function evalCondition(expr: string, t: PTok, file: string, chain: Pos['chain']): boolean {
    const toks = lexText(expr.replace(/\bdefined\s*\(\s*([A-Za-z_]\w*)\s*\)|\bdefined\s+([A-Za-z_]\w*)/g, (_m, a: string | undefined, b: string | undefined) => (macros.has((a ?? b)!) ? '1' : '0')), file, chain, 'cells');
    for (const x of toks) x.pos = t.pos;
    const expanded: PTok[] = [];
    for (let i = 0; i < toks.length; i++) i = expandInto(toks, i, expanded, [], 0);
    const { value, error } = evalIntExpr(expanded.map((x) => (x.tokenType === Ident ? '0' : x.image)));
    if (error) {
      err(t.pos, `#if: ${error}`);
      return false;
    }
    return value !== 0n;
  }

  /** push toks[i] (expanded if it names a macro) to dst; returns the index of the last token consumed */
  let overflow = false;
  function expandInto(toks: PTok[], i: number, dst: PTok[], active: string[], level: number): number {
    const t = toks[i]!;
    if (dst.length >= MAX_TOKENS) {
      if (!overflow) err(t.pos, `more than ${MAX_TOKENS} tokens after macro expansion (a macro that expands exponentially?)`);
      overflow = true;
      return toks.length - 1;
    }
    const isName = t.tokenType === Ident || (t.tokenType === Word && /^[A-Za-z_][A-Za-z0-9_]*$/.test(t.image));
    const mac = isName ? macros.get(t.image) : undefined;
    if (!mac || active.includes(mac.name)) {
      dst.push(t);
      return i;
    }
    if (level > MAX_EXPANSION_DEPTH) {
      err(t.pos, `macro ${mac.name} expands more than ${MAX_EXPANSION_DEPTH} levels deep`);
      return i;
    }
    const mode = t.tokenType === Ident ? 'cells' : 'top';
    mac.lexed ??= {};
    const lexedBody = (mac.lexed[mode] ??= lexText(mac.body, mac.pos.file, mac.pos.chain, mode));
    let body: PTok[];
    let last = i;
    if (mac.params) {
      if (toks[i + 1]?.tokenType !== LParen) {
        dst.push(t); // a function-like macro name without ( is not expanded
        return i;
      }
      const args: PTok[][] = [[]];
      let depth = 0;
      let j = i + 2;
      for (; j < toks.length; j++) {
        const a = toks[j]!;
        if (a.tokenType === LParen) depth++;
        if (a.tokenType === RParen) {
          if (depth === 0) break;
          depth--;
        }
        if (a.tokenType === Comma && depth === 0) args.push([]);
        else args[args.length - 1]!.push(a);
      }
      if (j >= toks.length) {
        err(t.pos, `unterminated argument list of macro ${mac.name}`);
        return toks.length - 1;
      }
      last = j;
      const nargs = args.length === 1 && args[0]!.length === 0 ? 0 : args.length;
      if (nargs !== mac.params.length) {
        err(t.pos, `macro ${mac.name} takes ${mac.params.length} argument(s), given ${nargs}`);
        return last;
      }
      // arguments are fully expanded before substitution (cpp's prescan)
      const expandedArgs = args.map((a) => {
        const e: PTok[] = [];
        for (let k = 0; k < a.length; k++) k = expandInto(a, k, e, active, level + 1);
        return e;
      });
      body = [];
      for (const b of lexedBody) {
        const p = b.tokenType === Ident || b.tokenType === Word ? mac.params.indexOf(b.image) : -1;
        if (p >= 0) body.push(...expandedArgs[p]!);
        else body.push(b);
      }
    } else {
      body = lexedBody;
    }
    // the expansion's tokens stand where the macro was used
    const placed = body.map((b) => {
      const p = Object.create(b) as PTok;
      p.pos = t.pos;
      p.startLine = t.startLine;
      p.startColumn = t.startColumn;
      return p;
    });
    // the macro is not expanded again inside its own expansion (the stack is shared: expansion is depth-first)
    active.push(mac.name);
    for (let k = 0; k < placed.length; k++) k = expandInto(placed, k, dst, active, level + 1);
    active.pop();
    return last;
  }

  const text = src.read(mainFile);
  if (text === undefined) {
    errors.push({ file: mainFile, line: 1, col: 1, chain: [], message: 'file not found' });
  } else processFile(mainFile, [], 0);
  return { tokens: out, errors, files, missingHeaders, macros };
}

// --- integer expressions (dtc's integer_expr grammar, 64-bit unsigned arithmetic) ---

const MASK64 = (1n << 64n) - 1n;
const BINARY: Record<string, [number, (a: bigint, b: bigint) => bigint]> = {
  '||': [1, (a, b) => (a !== 0n || b !== 0n ? 1n : 0n)],
  '&&': [2, (a, b) => (a !== 0n && b !== 0n ? 1n : 0n)],
  '|': [3, (a, b) => a | b],
  '^': [4, (a, b) => a ^ b],
  '&': [5, (a, b) => a & b],
  '==': [6, (a, b) => (a === b ? 1n : 0n)],
  '!=': [6, (a, b) => (a !== b ? 1n : 0n)],
  '<': [7, (a, b) => (a < b ? 1n : 0n)],
  '>': [7, (a, b) => (a > b ? 1n : 0n)],
  '<=': [7, (a, b) => (a <= b ? 1n : 0n)],
  '>=': [7, (a, b) => (a >= b ? 1n : 0n)],
  '<<': [8, (a, b) => (b >= 64n ? 0n : (a << b) & MASK64)],
  '>>': [8, (a, b) => (b >= 64n ? 0n : a >> b)],
  '+': [9, (a, b) => (a + b) & MASK64],
  '-': [9, (a, b) => (a - b) & MASK64],
  '*': [10, (a, b) => (a * b) & MASK64],
  '/': [10, (a, b) => a / b],
  '%': [10, (a, b) => a % b],
};

export function binaryOp(op: string): [number, (a: bigint, b: bigint) => bigint] | undefined {
  return Object.hasOwn(BINARY, op) ? BINARY[op] : undefined;
}

export function parseIntLiteral(image: string): bigint | null {
  const s = image.replace(/[uUlL]+$/, '');
  if (/^0[xX][0-9a-fA-F]+$/.test(s)) return BigInt(s);
  if (/^0[0-7]*$/.test(s)) return s.length > 1 ? BigInt('0o' + s.slice(1)) : 0n;
  if (/^[1-9][0-9]*$/.test(s)) return BigInt(s);
  return null;
}

/** a small precedence-climbing evaluator over already-lexed images, for #if */
function evalIntExpr(images: string[]): { value: bigint; error?: string } {
  let i = 0;
  const fail = (m: string): never => {
    throw new Error(m);
  };
  const primary = (): bigint => {
    const t = images[i++];
    if (t === undefined) return fail('expression ends early');
    if (t === '(') {
      const v = ternary();
      if (images[i++] !== ')') fail('missing )');
      return v;
    }
    if (t === '-') return (-primary()) & MASK64;
    if (t === '~') return ~primary() & MASK64;
    if (t === '!') return primary() === 0n ? 1n : 0n;
    if (t === '+') return primary();
    const n = parseIntLiteral(t);
    if (n === null) fail(`unexpected "${t}"`);
    return n!;
  };
  const binary = (minPrec: number): bigint => {
    let lhs = primary();
    for (;;) {
      const op = images[i];
      const b = op !== undefined ? binaryOp(op) : undefined;
      if (!b || b[0] < minPrec) return lhs;
      i++;
      const rhs = binary(b[0] + 1);
      if ((op === '/' || op === '%') && rhs === 0n) fail('division by zero');
      lhs = b[1](lhs, rhs);
    }
  };
  const ternary = (): bigint => {
    const c = binary(1);
    if (images[i] !== '?') return c;
    i++;
    const a = ternary();
    if (images[i++] !== ':') fail('missing : in ?:');
    const b = ternary();
    return c !== 0n ? a : b;
  };
  try {
    const v = ternary();
    if (i < images.length) fail(`unexpected "${images[i]}"`);
    return { value: v };
  } catch (e) {
    return { value: 0n, error: (e as Error).message };
  }
}
