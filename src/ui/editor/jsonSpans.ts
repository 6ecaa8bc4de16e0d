/**
 * Where each value of a JSON text sits, so validation errors ("modules[2].init[0].op") can be
 * drawn at their place in the editor, and syntax errors get an exact offset. The scanning is
 * jsonc-parser's (strict JSON: no comments, no trailing commas); the value is JSON.parse's, so
 * the editor and the engine see the same data (a "__proto__" key stays an own property, which
 * the engine's validation then refuses). No recursion: nesting deeper than the engine accepts
 * is reported before any parser runs. Pure; unit-tested in jsonSpans.test.ts.
 */
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';

export interface Span {
  from: number;
  to: number;
}

export type ParseResult =
  | { ok: true; value: unknown; spans: Map<string, Span> }
  | { ok: false; message: string; at: number };

/** the engine's nesting limit (src/engine/scenario/validate.ts LIMITS.depth) */
export const MAX_DEPTH = 64;

/** jsonc-parser's error codes by name (printParseErrorCode), in the editor's words */
const MESSAGES: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: "expected ':'",
  CommaExpected: "expected ','",
  CloseBraceExpected: "expected '}'",
  CloseBracketExpected: "expected ']'",
  EndOfFileExpected: 'unexpected text after the end of the JSON value',
  InvalidCommentToken: 'comments are not JSON',
  UnexpectedEndOfComment: 'comments are not JSON',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'invalid number',
  InvalidUnicode: 'invalid \\u escape',
  InvalidEscapeCharacter: 'invalid escape',
  InvalidCharacter: 'invalid character in a string',
};

/** the offset where nesting passes MAX_DEPTH, scanning brackets outside strings; -1 if it never does */
function tooDeepAt(text: string): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > MAX_DEPTH) return i;
    } else if (c === 125 || c === 93) depth--;
  }
  return -1;
}

export function parseJson(text: string): ParseResult {
  const deep = tooDeepAt(text);
  if (deep >= 0) return { ok: false, message: `nested more than ${MAX_DEPTH} levels deep`, at: deep };
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (first || !root) {
    const at = Math.min(first?.offset ?? text.length, text.length);
    const code = first ? printParseErrorCode(first.error) : 'ValueExpected';
    const base = Object.hasOwn(MESSAGES, code) ? MESSAGES[code]! : 'invalid JSON';
    return { ok: false, message: at >= text.length ? `${base} but the text ended` : base, at };
  }
  const spans = new Map<string, Span>();
  const stack: [Node, string][] = [[root, '']];
  while (stack.length > 0) {
    const [node, path] = stack.pop()!;
    spans.set(path, { from: node.offset, to: node.offset + node.length });
    if (node.type === 'object') {
      for (const prop of node.children ?? []) {
        const [key, val] = prop.children ?? [];
        if (key && val) stack.push([val, path ? `${path}.${String(key.value)}` : String(key.value)]);
      }
    } else if (node.type === 'array') {
      (node.children ?? []).forEach((child, i) => stack.push([child, `${path}[${i}]`]));
    }
  }
  return { ok: true, value: JSON.parse(text) as unknown, spans };
}

/**
 * The span of the value at a validation path, or of its nearest existing ancestor (a
 * missing key is reported on the object that lacks it). The root is "".
 */
export function spanOf(spans: Map<string, Span>, path: string): Span | null {
  let p = path;
  while (true) {
    const s = spans.get(p);
    if (s) return s;
    if (p === '') return null;
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
    p = cut > 0 ? p.slice(0, cut) : '';
  }
}

/** 1-based line and column of an offset, for messages */
export function lineCol(text: string, at: number): { line: number; col: number } {
  const before = text.slice(0, at).split('\n');
  return { line: before.length, col: before[before.length - 1]!.length + 1 };
}
