/**
 * The DTS lexer (Chevrotain), with the start conditions dtc's dtc-lexer.l uses: outside a value
 * (node and property names, `[a-zA-Z0-9,._+*#?@-]+`), inside `< … >` (cells: numbers, C
 * identifiers, operators, `&refs`), inside `[ … ]` (hex bytes). C preprocessor lines (`#include`,
 * `#define`, …) are one token each, recognised only at the start of a line, as cpp does.
 */
import { createToken, Lexer, type IToken, type TokenType } from 'chevrotain';

const ws = createToken({ name: 'WS', pattern: /[ \t\r\n\f\v]+/, group: Lexer.SKIPPED, line_breaks: true });
const lineComment = createToken({ name: 'LineComment', pattern: /\/\/[^\n]*/, group: Lexer.SKIPPED });
const blockComment = createToken({ name: 'BlockComment', pattern: /\/\*[\s\S]*?\*\//, group: Lexer.SKIPPED, line_breaks: true });
/** an unterminated comment is an error at its start, not a lexer skip of one character */
export const UnterminatedComment = createToken({ name: 'UnterminatedComment', pattern: /\/\*[\s\S]*/, line_breaks: true });

const DIRECTIVE = /#[ \t]*(include|define|undef|ifdef|ifndef|if|elif|else|endif|error|warning|line|pragma)\b(?:[^\n\\]|\\[\s\S])*/y;
/** `#directive …` at the start of a line (continuation lines joined by backslash-newline) */
export const Directive = createToken({
  name: 'Directive',
  line_breaks: true,
  start_chars_hint: ['#'],
  pattern: {
    exec(text: string, offset: number) {
      if (text.charCodeAt(offset) !== 35) return null; // '#'
      for (let i = offset - 1; i >= 0 && text[i] !== '\n'; i--) if (text[i] !== ' ' && text[i] !== '\t') return null;
      DIRECTIVE.lastIndex = offset;
      const m = DIRECTIVE.exec(text);
      return m ? [m[0]] as unknown as RegExpExecArray : null;
    },
  },
});

export const DtsV1 = createToken({ name: 'DtsV1', pattern: /\/dts-v1\// });
export const Plugin = createToken({ name: 'Plugin', pattern: /\/plugin\// });
export const Memreserve = createToken({ name: 'Memreserve', pattern: /\/memreserve\// });
export const IncludeDts = createToken({ name: 'IncludeDts', pattern: /\/include\// });
export const DeleteNode = createToken({ name: 'DeleteNode', pattern: /\/delete-node\// });
export const DeleteProp = createToken({ name: 'DeleteProp', pattern: /\/delete-property\// });
export const OmitIfNoRef = createToken({ name: 'OmitIfNoRef', pattern: /\/omit-if-no-ref\// });
export const Bits = createToken({ name: 'Bits', pattern: /\/bits\// });
export const StringLit = createToken({ name: 'StringLit', pattern: /"(?:[^"\\\n]|\\[\s\S])*"/ });
export const UnterminatedString = createToken({ name: 'UnterminatedString', pattern: /"(?:[^"\\\n]|\\[\s\S])*/ });
export const Label = createToken({ name: 'Label', pattern: /[a-zA-Z_][a-zA-Z0-9_]*:/ });
/** &label, or &{/path/to/node} */
export const Ref = createToken({ name: 'Ref', pattern: /&(?:\{[^}\n]*\}|[a-zA-Z_][a-zA-Z0-9_]*)/ });
export const LCurly = createToken({ name: 'LCurly', pattern: /\{/ });
export const RCurly = createToken({ name: 'RCurly', pattern: /\}/ });
export const Semi = createToken({ name: 'Semi', pattern: /;/ });
export const Equals = createToken({ name: 'Equals', pattern: /=/ });
export const Comma = createToken({ name: 'Comma', pattern: /,/ });
export const Slash = createToken({ name: 'Slash', pattern: /\// });
export const LAngle = createToken({ name: 'LAngle', pattern: /</, push_mode: 'cells' });
export const LSquare = createToken({ name: 'LSquare', pattern: /\[/, push_mode: 'bytes' });
/** a node or property name, or a number outside a cell list (memreserve, /bits/ n) */
export const Word = createToken({ name: 'Word', pattern: /[a-zA-Z0-9,._+*#?@-]+/ });

// cells mode
export const Number = createToken({ name: 'Number', pattern: /(?:0[xX][0-9a-fA-F]+|[0-9]+)(?:[uU]?[lL]{0,2}|[lL]{1,2}[uU]?)(?![a-zA-Z0-9_])/ });
export const CharLit = createToken({ name: 'CharLit', pattern: /'(?:[^'\\\n]|\\[^\n]+?)'/ });
export const Ident = createToken({ name: 'Ident', pattern: /[a-zA-Z_][a-zA-Z0-9_]*/ });
export const LParen = createToken({ name: 'LParen', pattern: /\(/ });
export const RParen = createToken({ name: 'RParen', pattern: /\)/ });

/** `>` closes the cell list only outside parentheses; inside them it is the comparison */
function parenDepth(tokens: IToken[]): number {
  let depth = 0;
  for (let i = tokens.length - 1; i >= 0; i--) {
    const t = tokens[i]!.tokenType;
    if (t === LAngle) return depth;
    if (t === RParen) depth--;
    else if (t === LParen) depth++;
  }
  return depth;
}
export const RAngle = createToken({
  name: 'RAngle', pop_mode: true, line_breaks: false, start_chars_hint: ['>'],
  pattern: { exec: (text: string, offset: number, tokens: IToken[]) => (text[offset] === '>' && text[offset + 1] !== '>' && text[offset + 1] !== '=' && parenDepth(tokens) <= 0 ? ['>'] as unknown as RegExpExecArray : null) },
});
export const Op = createToken({ name: 'Op', pattern: /<<|>>|<=|>=|==|!=|&&|\|\||[+\-*/%&|^~!?:<>]/ });

// bytes mode
export const HexByte = createToken({ name: 'HexByte', pattern: /[0-9a-fA-F]{2}/ });
export const RSquare = createToken({ name: 'RSquare', pattern: /\]/, pop_mode: true });

const skip = [ws, lineComment, blockComment, UnterminatedComment];

export const lexer = new Lexer({
  defaultMode: 'top',
  modes: {
    top: [...skip, Directive, DtsV1, Plugin, Memreserve, IncludeDts, DeleteNode, DeleteProp, OmitIfNoRef, Bits, StringLit, UnterminatedString, Label, Ref, LCurly, RCurly, Semi, Equals, Comma, LAngle, LSquare, Word, Slash],
    cells: [...skip, Directive, Label, Number, CharLit, Ref, Ident, LParen, RParen, RAngle, Op],
    bytes: [...skip, Label, HexByte, RSquare],
  },
}, { positionTracking: 'full', ensureOptimizations: false, skipValidations: true });

export const allTokens: TokenType[] = [Directive, DtsV1, Plugin, Memreserve, IncludeDts, DeleteNode, DeleteProp, OmitIfNoRef, Bits, StringLit, UnterminatedString, UnterminatedComment, Label, Ref, LCurly, RCurly, Semi, Equals, Comma, LAngle, LSquare, Word, Slash, Number, CharLit, Ident, LParen, RParen, RAngle, Op, HexByte, RSquare];
