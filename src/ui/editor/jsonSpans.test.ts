import { describe, expect, it } from 'vitest';
import { lineCol, parseJson, spanOf } from './jsonSpans';

describe('parseJson', () => {
  it('parses like JSON.parse and records the span of every value by path', () => {
    const text = '{"id": "x", "modules": [{"name": "a", "init": [{"op": "log"}]}]}';
    const r = parseJson(text);
    if (!r.ok) throw new Error(r.message);
    expect(r.value).toEqual(JSON.parse(text));
    const op = r.spans.get('modules[0].init[0].op')!;
    expect(text.slice(op.from, op.to)).toBe('"log"');
    expect(text.slice(r.spans.get('id')!.from, r.spans.get('id')!.to)).toBe('"x"');
    expect(r.spans.get('')).toEqual({ from: 0, to: text.length });
  });

  it('handles escapes, numbers, literals and nesting', () => {
    const text = '[1, -2.5e3, true, false, null, "a\\n\\u0041", {"k": []}]';
    const r = parseJson(text);
    expect(r.ok && r.value).toEqual(JSON.parse(text));
  });

  it('reports syntax errors with an offset', () => {
    const bad = parseJson('{\n  "id": "x",\n}');
    expect(bad).toMatchObject({ ok: false, message: 'trailing comma before }' });
    if (!bad.ok) expect(lineCol('{\n  "id": "x",\n}', bad.at)).toEqual({ line: 3, col: 1 });
    expect(parseJson('{"a": 1').ok).toBe(false);
    expect(parseJson('{"a": tru}')).toMatchObject({ ok: false, message: "unexpected 't'" });
    expect(parseJson('[1] x')).toMatchObject({ ok: false, at: 4 });
    expect(parseJson('"abc')).toMatchObject({ ok: false, message: 'unterminated string', at: 0 });
  });
});

describe('spanOf', () => {
  it('falls back to the nearest existing ancestor for a missing key', () => {
    const r = parseJson('{"modules": [{"name": "a"}]}');
    if (!r.ok) throw new Error();
    expect(spanOf(r.spans, 'modules[0].name')).toEqual(r.spans.get('modules[0].name'));
    expect(spanOf(r.spans, 'modules[0].location')).toEqual(r.spans.get('modules[0]'));
    expect(spanOf(r.spans, 'kernel.version')).toEqual(r.spans.get(''));
  });
});
