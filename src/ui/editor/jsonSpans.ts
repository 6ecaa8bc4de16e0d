/**
 * A small JSON parser that remembers where each value sits in the text, so validation
 * errors ("modules[2].init[0].op") can be drawn at their place in the editor, and syntax
 * errors get an exact offset. Pure; unit-tested in jsonSpans.test.ts.
 */

export interface Span {
  from: number;
  to: number;
}

export type ParseResult =
  | { ok: true; value: unknown; spans: Map<string, Span> }
  | { ok: false; message: string; at: number };

class JsonError extends Error {
  constructor(message: string, readonly at: number) {
    super(message);
  }
}

export function parseJson(text: string): ParseResult {
  const spans = new Map<string, Span>();
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const fail = (msg: string): never => {
    throw new JsonError(msg, i);
  };
  const expect = (ch: string) => {
    if (text[i] !== ch) fail(i >= text.length ? `expected '${ch}' but the text ended` : `expected '${ch}' but found '${text[i]}'`);
    i++;
  };
  const str = (): string => {
    const start = i;
    expect('"');
    let out = '';
    while (true) {
      if (i >= text.length) { i = start; fail('unterminated string'); }
      const c = text[i]!;
      if (c === '"') { i++; return out; }
      if (c === '\n') fail('line break inside a string');
      if (c === '\\') {
        const e = text[i + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e && e in simple) { out += simple[e]; i += 2; continue; }
        if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) { out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16)); i += 6; continue; }
        fail('bad escape in string');
      }
      out += c;
      i++;
    }
  };
  const value = (path: string): unknown => {
    ws();
    const from = i;
    let v: unknown;
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: Record<string, unknown> = {};
      ws();
      if (text[i] === '}') i++;
      else {
        while (true) {
          ws();
          if (text[i] !== '"') fail(text[i] === '}' ? 'trailing comma before }' : i >= text.length ? 'expected a "key" but the text ended' : 'expected a "key"');
          const k = str();
          ws();
          expect(':');
          obj[k] = value(path ? `${path}.${k}` : k);
          ws();
          if (text[i] === ',') { i++; continue; }
          if (text[i] === '}') { i++; break; }
          fail(i >= text.length ? "expected ',' or '}' but the text ended" : `expected ',' or '}' but found '${text[i]}'`);
        }
      }
      v = obj;
    } else if (c === '[') {
      i++;
      const arr: unknown[] = [];
      ws();
      if (text[i] === ']') i++;
      else {
        while (true) {
          if (text[i] === ']' && arr.length) fail('trailing comma before ]');
          arr.push(value(`${path}[${arr.length}]`));
          ws();
          if (text[i] === ',') { i++; ws(); continue; }
          if (text[i] === ']') { i++; break; }
          fail(i >= text.length ? "expected ',' or ']' but the text ended" : `expected ',' or ']' but found '${text[i]}'`);
        }
      }
      v = arr;
    } else if (c === '"') v = str();
    else {
      const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
      if (m) { v = Number(m[0]); i += m[0].length; }
      else if (text.startsWith('true', i)) { v = true; i += 4; }
      else if (text.startsWith('false', i)) { v = false; i += 5; }
      else if (text.startsWith('null', i)) { v = null; i += 4; }
      else fail(i >= text.length ? 'expected a value but the text ended' : `unexpected '${c}'`);
    }
    spans.set(path, { from, to: i });
    return v;
  };
  try {
    const v = value('');
    ws();
    if (i < text.length) fail('unexpected text after the end of the JSON value');
    return { ok: true, value: v, spans };
  } catch (err) {
    if (err instanceof JsonError) return { ok: false, message: err.message, at: Math.min(err.at, text.length) };
    throw err;
  }
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
