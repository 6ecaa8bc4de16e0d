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
    expect(bad).toMatchObject({ ok: false, message: 'expected a property name in double quotes' });
    if (!bad.ok) expect(lineCol('{\n  "id": "x",\n}', bad.at)).toEqual({ line: 3, col: 1 });
    expect(parseJson('{"a": 1')).toMatchObject({ ok: false, message: "expected '}' but the text ended" });
    expect(parseJson('{"a": tru}')).toMatchObject({ ok: false, message: 'unexpected character', at: 6 });
    expect(parseJson('[1] x')).toMatchObject({ ok: false, at: 4 });
    expect(parseJson('"abc')).toMatchObject({ ok: false, message: 'unterminated string' });
    expect(parseJson('{ // no\n}')).toMatchObject({ ok: false, message: 'comments are not JSON' });
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

describe('parseJson agrees with the engine', () => {
  it('deep nesting is refused at its place without recursion (the engine\'s limit), not a stack overflow', () => {
    const deep = `{"a": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    expect(parseJson(deep)).toMatchObject({ ok: false, message: 'nested more than 64 levels deep', at: 6 + 63 });
  });
  it('a "__proto__" key stays an own property of the value, for the engine to refuse with its path', () => {
    const r = parseJson('{"drivers": {"__proto__": {"bus": "platform"}}}');
    if (!r.ok) throw new Error(r.message);
    expect(Object.keys((r.value as { drivers: object }).drivers)).toEqual(['__proto__']);
    expect(r.spans.has('drivers.__proto__')).toBe(true);
  });
  it('on the hostile corpus, the editor parses exactly the texts the CLI parses', async () => {
    const { CORPUS } = await import('../../../test/hostile/corpus');
    for (const c of CORPUS) {
      if (typeof c.input !== 'string' || c.input.length > 4 * 1024 * 1024) continue;
      let cli = true;
      try {
        JSON.parse(c.input);
      } catch {
        cli = false;
      }
      const ui = parseJson(c.input).ok;
      // the CLI's JSON.parse accepts deep nesting that validation then refuses; the editor refuses it at parse time
      if (cli && !ui) expect(parseJson(c.input), c.name).toMatchObject({ message: 'nested more than 64 levels deep' });
      else expect(ui, c.name).toBe(cli);
    }
  }, 30_000);
});
