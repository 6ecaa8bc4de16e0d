/**
 * The DTS grammar (dtc's dtc-parser.y, as Chevrotain rules with embedded actions): headers
 * (`/dts-v1/;`, `/plugin/;`, `/memreserve/`), the root node, `&label { … }` and `&{/path} { … }`
 * overrides, `/delete-node/`, `/delete-property/`, `/omit-if-no-ref/`, labels on nodes,
 * properties and values, and property values (strings, `< cells >` with integer expressions and
 * phandle references, `[ bytes ]`, `/bits/ n`, `&label` path references).
 */
import { EmbeddedActionsParser, type IToken } from 'chevrotain';
import * as T from './lexer';
import type { Cell, DtsError, Entry, Pos, TopItem, Value } from './ast';
import { binaryOp, parseIntLiteral, type PTok } from './preprocess';

const MASK64 = (1n << 64n) - 1n;

function unescapeString(image: string): string {
  const s = image.slice(1, -1);
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const n = s[++i]!;
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '\\': '\\', '"': '"', "'": "'" };
    if (Object.hasOwn(simple, n)) out += simple[n];
    else if (n === 'x') {
      let h = '';
      while (h.length < 2 && /[0-9a-fA-F]/.test(s[i + 1] ?? '')) h += s[++i];
      out += String.fromCharCode(parseInt(h || '0', 16));
    } else if (/[0-7]/.test(n)) {
      let o = n;
      while (o.length < 3 && /[0-7]/.test(s[i + 1] ?? '')) o += s[++i];
      out += String.fromCharCode(parseInt(o, 8));
    } else out += n;
  }
  return out;
}

class DtsParser extends EmbeddedActionsParser {
  /** semantic errors found while parsing (bad numbers, unknown identifiers, ...) */
  semantic: DtsError[] = [];

  constructor() {
    super(T.allTokens, { recoveryEnabled: false, maxLookahead: 3, skipValidations: true });
    this.performSelfAnalysis();
  }

  private pos(t: IToken): Pos {
    return (t as PTok).pos ?? { file: '?', line: t.startLine ?? 1, col: t.startColumn ?? 1, chain: [] };
  }

  private fail(t: IToken, message: string): void {
    if (!this.RECORDING_PHASE) this.semantic.push({ ...this.pos(t), message });
  }

  public file = this.RULE('file', (): TopItem[] => {
    const items: TopItem[] = [];
    this.MANY(() => {
      const item = this.SUBRULE(this.topItem);
      if (item) items.push(item);
    });
    return items;
  });

  private topItem = this.RULE('topItem', (): TopItem | null => {
    return this.OR([
      { ALT: () => {
        const t = this.CONSUME(T.DtsV1);
        this.CONSUME(T.Semi);
        return { kind: 'dtsv1', pos: this.pos(t) } as TopItem;
      } },
      { ALT: () => {
        const t = this.CONSUME(T.Plugin);
        this.CONSUME2(T.Semi);
        return { kind: 'plugin', pos: this.pos(t) } as TopItem;
      } },
      { ALT: () => {
        const t = this.CONSUME(T.Memreserve);
        const a = this.SUBRULE(this.literal);
        const s = this.SUBRULE2(this.literal);
        this.CONSUME3(T.Semi);
        return { kind: 'memreserve', address: a, size: s, pos: this.pos(t) } as TopItem;
      } },
      { ALT: () => {
        const t = this.CONSUME(T.DeleteNode);
        const r = this.CONSUME(T.Ref);
        this.CONSUME4(T.Semi);
        return { kind: 'delnode-ref', ref: r.image.slice(1), pos: this.pos(t) } as TopItem;
      } },
      { ALT: () => {
        const t = this.CONSUME(T.OmitIfNoRef);
        const r = this.CONSUME2(T.Ref);
        this.CONSUME5(T.Semi);
        return { kind: 'omit-ref', ref: r.image.slice(1), pos: this.pos(t) } as TopItem;
      } },
      { ALT: () => {
        const labels = this.SUBRULE(this.labels);
        return this.OR2([
          { ALT: () => {
            const t = this.CONSUME(T.Slash);
            const body = this.SUBRULE(this.nodeBody);
            return { kind: 'root', labels, body, pos: this.pos(t) } as TopItem;
          } },
          { ALT: () => {
            const r = this.CONSUME3(T.Ref);
            const body = this.SUBRULE2(this.nodeBody);
            return { kind: 'refnode', labels, ref: r.image.slice(1), body, pos: this.pos(r) } as TopItem;
          } },
        ]);
      } },
    ]);
  });

  private labels = this.RULE('labels', (): string[] => {
    const out: string[] = [];
    this.MANY(() => {
      out.push(this.CONSUME(T.Label).image.slice(0, -1));
    });
    return out;
  });

  /** `{ entries };` */
  private nodeBody = this.RULE('nodeBody', (): Entry[] => {
    this.CONSUME(T.LCurly);
    const entries: Entry[] = [];
    this.MANY(() => {
      entries.push(this.SUBRULE(this.entry));
    });
    this.CONSUME(T.RCurly);
    this.CONSUME(T.Semi);
    return entries;
  });

  private entry = this.RULE('entry', (): Entry => {
    return this.OR([
      { ALT: () => {
        const t = this.CONSUME(T.DeleteNode);
        const n = this.SUBRULE(this.name);
        this.CONSUME(T.Semi);
        return { kind: 'delnode', name: n.image, pos: this.pos(t) } as Entry;
      } },
      { ALT: () => {
        const t = this.CONSUME(T.DeleteProp);
        const n = this.SUBRULE2(this.name);
        this.CONSUME2(T.Semi);
        return { kind: 'delprop', name: n.image, pos: this.pos(t) } as Entry;
      } },
      { ALT: () => {
        this.CONSUME(T.OmitIfNoRef);
        const labels = this.SUBRULE(this.labels);
        const n = this.SUBRULE3(this.name);
        const body = this.SUBRULE(this.nodeBody);
        return { kind: 'node', labels, name: n.image, body, omitIfNoRef: true, pos: this.pos(n) } as Entry;
      } },
      { ALT: () => {
        const labels = this.SUBRULE2(this.labels);
        const n = this.SUBRULE4(this.name);
        return this.OR2([
          { ALT: () => {
            const body = this.SUBRULE2(this.nodeBody);
            return { kind: 'node', labels, name: n.image, body, omitIfNoRef: false, pos: this.pos(n) } as Entry;
          } },
          { ALT: () => {
            this.CONSUME(T.Equals);
            const value = this.SUBRULE(this.propValues);
            this.CONSUME3(T.Semi);
            return { kind: 'prop', labels, name: n.image, value, pos: this.pos(n) } as Entry;
          } },
          { ALT: () => {
            this.CONSUME4(T.Semi);
            return { kind: 'prop', labels, name: n.image, value: null, pos: this.pos(n) } as Entry;
          } },
        ]);
      } },
    ]);
  });

  /** a node or property name; the lexer gives a plain word, or an identifier-like word */
  private name = this.RULE('name', (): IToken => this.CONSUME(T.Word));

  private propValues = this.RULE('propValues', (): Value[] => {
    const out: Value[] = [];
    this.AT_LEAST_ONE_SEP({
      SEP: T.Comma,
      DEF: () => {
        this.SUBRULE(this.labels);
        out.push(this.SUBRULE(this.propValue));
        this.SUBRULE2(this.labels);
      },
    });
    return out;
  });

  private propValue = this.RULE('propValue', (): Value => {
    return this.OR([
      { ALT: () => {
        const t = this.CONSUME(T.StringLit);
        return { kind: 'string', value: unescapeString(t.image), pos: this.pos(t) } as Value;
      } },
      { ALT: () => {
        const t = this.CONSUME(T.Ref);
        return { kind: 'pathref', ref: t.image.slice(1), pos: this.pos(t) } as Value;
      } },
      { ALT: () => {
        let bits: 8 | 16 | 32 | 64 = 32;
        this.OPTION(() => {
          const b = this.CONSUME(T.Bits);
          const n = this.CONSUME(T.Word);
          const v = parseIntLiteral(n.image);
          if (v === 8n || v === 16n || v === 32n || v === 64n) bits = Number(v) as 8 | 16 | 32 | 64;
          else this.fail(n, `/bits/ must be 8, 16, 32 or 64, not "${n.image}"`);
          void b;
        });
        const t = this.CONSUME(T.LAngle);
        const cells: Cell[] = [];
        this.MANY(() => {
          this.SUBRULE3(this.labels);
          cells.push(this.SUBRULE(this.cell, { ARGS: [bits] }));
        });
        this.SUBRULE4(this.labels);
        this.CONSUME(T.RAngle);
        return { kind: 'cells', bits, cells, pos: this.pos(t) } as Value;
      } },
      { ALT: () => {
        const t = this.CONSUME(T.LSquare);
        const bytes: number[] = [];
        this.MANY2(() => {
          this.SUBRULE5(this.labels);
          bytes.push(parseInt(this.CONSUME(T.HexByte).image, 16));
        });
        this.SUBRULE6(this.labels);
        this.CONSUME(T.RSquare);
        return { kind: 'bytes', bytes, pos: this.pos(t) } as Value;
      } },
    ]);
  });

  private cell = this.RULE('cell', (bits: number): Cell => {
    return this.OR([
      { ALT: () => {
        const r = this.CONSUME(T.Ref);
        if (bits !== 32) this.fail(r, `a phandle reference (${r.image}) needs 32-bit cells, not /bits/ ${bits}`);
        return { kind: 'ref', ref: r.image.slice(1), pos: this.pos(r) } as Cell;
      } },
      { ALT: () => {
        const first = this.LA(1);
        const v = this.SUBRULE(this.primary);
        if (!this.RECORDING_PHASE && bits < 64 && v > (1n << BigInt(bits)) - 1n && v <= MASK64) {
          // dtc: a literal wider than the cell is an error; an expression is truncated with a warning
          if (first.tokenType === T.Number) this.fail(first, `integer ${first.image} does not fit in a ${bits}-bit cell`);
        }
        return { kind: 'num', value: bits < 64 ? v & ((1n << BigInt(bits)) - 1n) : v, pos: this.pos(first) } as Cell;
      } },
    ]);
  });

  private literal = this.RULE('literal', (): bigint => {
    const t = this.CONSUME(T.Word);
    const v = parseIntLiteral(t.image);
    if (v === null) {
      this.fail(t, `expected an integer, found "${t.image}"`);
      return 0n;
    }
    return v;
  });

  /** integer_prim: a literal, a character literal, or ( expression ) */
  private primary = this.RULE('primary', (): bigint => {
    return this.OR([
      { ALT: () => {
        const t = this.CONSUME(T.Number);
        const v = parseIntLiteral(t.image);
        if (v === null) {
          this.fail(t, `bad integer "${t.image}"`);
          return 0n;
        }
        if (v > MASK64) this.fail(t, `integer ${t.image} does not fit in 64 bits`);
        return v & MASK64;
      } },
      { ALT: () => {
        const t = this.CONSUME(T.CharLit);
        const s = unescapeString(t.image);
        if (s.length !== 1) this.fail(t, `character literal ${t.image} must be one character`);
        return BigInt(s.charCodeAt(0) & 0xff);
      } },
      { ALT: () => {
        const t = this.CONSUME(T.Ident);
        this.fail(t, `unknown identifier "${t.image}" in a cell list (a macro from a header that was not provided?)`);
        return 0n;
      } },
      { ALT: () => {
        this.CONSUME(T.LParen);
        const v = this.SUBRULE(this.ternary);
        this.CONSUME(T.RParen);
        return v;
      } },
    ]);
  });

  private ternary = this.RULE('ternary', (): bigint => {
    const c = this.SUBRULE(this.binary);
    let out = c;
    this.OPTION({
      GATE: () => this.LA(1).image === '?',
      DEF: () => {
        this.CONSUME(T.Op);
        const a = this.SUBRULE(this.ternary);
        const colon = this.CONSUME2(T.Op);
        if (colon.image !== ':') this.fail(colon, `expected ":" in ?:, found "${colon.image}"`);
        const b = this.SUBRULE2(this.ternary);
        out = c !== 0n ? a : b;
      },
    });
    return out;
  });

  /** binary operators by dtc's precedence, left-associative; evaluated with a precedence climb */
  private binary = this.RULE('binary', (): bigint => {
    const operands: bigint[] = [this.SUBRULE(this.unary)];
    const ops: IToken[] = [];
    this.MANY({
      GATE: () => {
        const t = this.LA(1);
        return t.tokenType === T.Op && binaryOp(t.image) !== undefined;
      },
      DEF: () => {
        ops.push(this.CONSUME(T.Op));
        operands.push(this.SUBRULE2(this.unary));
      },
    });
    if (this.RECORDING_PHASE) return 0n;
    // shunting-yard over the flat list
    const vals: bigint[] = [operands[0]!];
    const stack: IToken[] = [];
    const apply = () => {
      const op = stack.pop()!;
      const b = vals.pop()!;
      const a = vals.pop()!;
      if ((op.image === '/' || op.image === '%') && b === 0n) {
        this.fail(op, 'division by zero');
        vals.push(0n);
        return;
      }
      vals.push(binaryOp(op.image)![1](a, b));
    };
    ops.forEach((op, i) => {
      const p = binaryOp(op.image)![0];
      while (stack.length && binaryOp(stack[stack.length - 1]!.image)![0] >= p) apply();
      stack.push(op);
      vals.push(operands[i + 1]!);
    });
    while (stack.length) apply();
    return vals[0]!;
  });

  private unary = this.RULE('unary', (): bigint => {
    return this.OR([
      { GATE: () => ['-', '~', '!', '+'].includes(this.LA(1).image) && this.LA(1).tokenType === T.Op, ALT: () => {
        const op = this.CONSUME(T.Op);
        const v = this.SUBRULE(this.unary);
        return op.image === '-' ? (-v) & MASK64 : op.image === '~' ? ~v & MASK64 : op.image === '!' ? (v === 0n ? 1n : 0n) : v;
      } },
      { ALT: () => this.SUBRULE(this.primary) },
    ]);
  });
}

let shared: DtsParser | null = null;

/** parse preprocessed tokens into top-level items; syntax errors carry the offending token's place */
/** deeper nodes would not fit the scenario's 64-level JSON nesting limit (two levels per node) */
export const MAX_NODE_DEPTH = 28;
const MAX_PAREN_DEPTH = 64;

/** nesting is checked on the tokens first, so no input can recurse the parser off the stack */
function nestingError(tokens: PTok[]): DtsError | null {
  let braces = 0;
  let parens = 0;
  for (const t of tokens) {
    if (t.tokenType === T.LCurly && ++braces > MAX_NODE_DEPTH + 1) return { ...t.pos, message: `nodes nested deeper than ${MAX_NODE_DEPTH} levels (bindscope's limit)` };
    if (t.tokenType === T.RCurly) braces = Math.max(0, braces - 1);
    if (t.tokenType === T.LParen && ++parens > MAX_PAREN_DEPTH) return { ...t.pos, message: `parentheses nested deeper than ${MAX_PAREN_DEPTH} levels` };
    if (t.tokenType === T.RParen) parens = Math.max(0, parens - 1);
    if (t.tokenType === T.RAngle) parens = 0;
  }
  return null;
}

export function parseTokens(tokens: PTok[]): { items: TopItem[]; errors: DtsError[] } {
  const deep = nestingError(tokens);
  if (deep) return { items: [], errors: [deep] };
  shared ??= new DtsParser();
  const p = shared;
  p.semantic = [];
  p.input = tokens;
  const items = p.file();
  const errors: DtsError[] = [...p.semantic];
  for (const e of p.errors) {
    const t = e.token as PTok;
    const at = t.pos ?? (tokens.length ? tokens[tokens.length - 1]!.pos : { file: '?', line: 1, col: 1, chain: [] });
    const found = t.tokenType?.name === 'EOF' ? 'end of input' : JSON.stringify(t.image);
    errors.push({ ...at, message: `syntax error at ${found}${hint(e.message)}` });
  }
  return { items, errors };
}

function hint(msg: string): string {
  const m = /Expecting (?:token of type )?-*-?>?\s*([A-Za-z]+)\s*<?-*-?/.exec(msg);
  const names: Record<string, string> = { Semi: '";"', RCurly: '"}"', LCurly: '"{"', RAngle: '">"', Equals: '"="', Word: 'a name', RSquare: '"]"', RParen: '")"', Ref: 'a &reference' };
  if (m && names[m[1]!]) return `: expected ${names[m[1]!]}`;
  return '';
}
