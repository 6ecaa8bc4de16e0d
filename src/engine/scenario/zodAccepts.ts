/**
 * Does zod accept this value unchanged? A check-only walk over a zod schema's own definitions
 * (`_zod.def`), for the common case of a valid scenario: `accepts(schema, v)` true means
 * `schema.safeParse(v)` succeeds and its data is a deep copy of v (strict objects, no defaults or
 * transforms), so the caller can keep v and skip the copy. False means "not sure": the caller
 * runs zod, whose issues are the error messages (validate.ts). zod stays the authority.
 *
 * Why: zod builds its output as it checks, two objects per field (`{ value, issues: [] }`) and a
 * new object per object; a 100k-device scenario spent ~0.3 s and ~340 MB of garbage there
 * (docs/PERFORMANCE.md, thirteenth session). This walk allocates nothing for a valid value.
 *
 * Exactness: the leaves' type tests are zod's own ones (a string, a finite number, a boolean, a
 * member of a literal's or an enum's values), and every check of every schema (`z.int()`, `gte`,
 * `maxLength`, `regex`, a refine) runs zod's own `_zod.check` on one reused payload; the
 * containers (object, array, record, union, optional, nullable, lazy) are walked here, each as
 * zod's parse walks it. Anything else (a default, a transform, a pipe, a non-strict object with a
 * key it would strip) answers false. test/zod-accepts.test.ts checks that every value it accepts
 * zod accepts with an equal output.
 *
 * Bounded: the walk recurses as deep as the value nests; validate.ts runs it only after
 * checkLimits has refused anything nested deeper than 64 levels.
 */

/** the parts of a zod schema instance this walk reads (zod/v4/core $ZodType) */
interface ZodInst {
  _zod: {
    def: ZodDef;
    check?: (payload: Payload) => unknown;
    innerType?: ZodInst;
    optin?: 'optional' | 'defaulted';
    optout?: 'optional';
    propValues?: Record<string, Set<unknown>>;
    traits?: Set<string>;
  };
}
interface ZodDef {
  type: string;
  checks?: ZodInst[];
  shape?: Record<string, ZodInst>;
  catchall?: ZodInst;
  element?: ZodInst;
  options?: ZodInst[];
  discriminator?: string;
  innerType?: ZodInst;
  keyType?: ZodInst;
  valueType?: ZodInst;
  when?: (payload: Payload) => boolean;
}
interface Payload {
  value: unknown;
  issues: unknown[];
}

/** a compiled check: true when zod accepts v and its output equals v, false when not sure */
type Checker = (v: unknown) => boolean;

/** one payload for every check: emptied before each use, never kept by zod when it passes */
const payload: Payload = { value: undefined, issues: [] };

/** zod's own check `ch` on v (no output, nothing allocated when it passes) */
function checkPasses(ch: ZodInst, v: unknown): boolean {
  payload.value = v;
  // emptied only when a check before failed: setting an array's length is a call into the
  // runtime, not a store (~15 ms of validating a 100k-device scenario)
  if (payload.issues.length !== 0) payload.issues.length = 0;
  const when = ch._zod.def.when;
  if (when && !when(payload)) return true;
  const check = ch._zod.check;
  if (!check) return false;
  return !(check(payload) instanceof Promise) && payload.issues.length === 0;
}

/** the checks zod's runChecks runs for schema s (a check used as a schema, z.int(), checks itself too) */
function checksOf(s: ZodInst): ZodInst[] {
  const own = s._zod.def.checks ?? [];
  return s._zod.traits?.has('$ZodCheck') ? [s, ...own] : own;
}

/** t, then every check of s (on a value t accepted): each schema's checker is built wrapped in them */
function withChecks(s: ZodInst, t: Checker): Checker {
  const checks = checksOf(s);
  if (!checks.length) return t;
  return (v) => {
    if (!t(v)) return false;
    for (let i = 0; i < checks.length; i++) if (!checkPasses(checks[i]!, v)) return false;
    return true;
  };
}

/** a plain object (JSON's kind): no inherited keys for zod's `key in input` to find */
function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

const never: Checker = () => false;
const compiled = new WeakMap<ZodInst, Checker>();

/**
 * The checker for schema s, built once. Schemas recurse (through a lazy, or a getter in a shape:
 * a DT node's children are DT nodes): while s is being built, a schema inside it that reaches s
 * again gets a forwarder to s's checker.
 */
function compile(s: ZodInst): Checker {
  const known = compiled.get(s);
  if (known !== undefined) return known;
  let built: Checker | null = null;
  compiled.set(s, (v) => built!(v));
  built = withChecks(s, build(s));
  compiled.set(s, built);
  return built;
}

function build(s: ZodInst): Checker {
  const def = s._zod.def;
  // coercion changes the value: zod's output would differ from the input
  if ((def as { coerce?: boolean }).coerce) return never;
  switch (def.type) {
    case 'string':
      return (v) => typeof v === 'string';
    case 'number':
      // $ZodNumber: a finite number (not NaN, not ±Infinity)
      return (v) => typeof v === 'number' && Number.isFinite(v);
    case 'boolean':
      return (v) => typeof v === 'boolean';
    case 'literal':
    case 'enum': {
      // $ZodLiteral / $ZodEnum: membership of the values zod keeps
      const values = (s._zod as { values?: Set<unknown> }).values;
      if (!values) return never;
      return (v) => values.has(v);
    }
    case 'optional': {
      const inner = compile(def.innerType!);
      return (v) => v === undefined || inner(v);
    }
    case 'nullable': {
      const inner = compile(def.innerType!);
      return (v) => v === null || inner(v);
    }
    case 'lazy': {
      let inner: Checker | null = null;
      return (v) => (inner ??= compile(s._zod.innerType!))(v);
    }
    case 'object': {
      // only a strict object keeps every key (a plain one strips unknown keys: its output differs)
      if (def.catchall?._zod.def.type !== 'never') return never;
      const shape = def.shape!;
      const keys = Object.keys(shape);
      const fields = keys.map((k) => compile(shape[k]!));
      // absent is fine only where zod lets the key be left out and adds nothing for it
      const mayBeAbsent = keys.map((k) => shape[k]!._zod.optin === 'optional' && shape[k]!._zod.optout === 'optional');
      return (v) => {
        if (!isPlainObject(v)) return false;
        let present = 0;
        for (let i = 0; i < keys.length; i++) {
          const k = keys[i]!;
          const x = v[k];
          if (x === undefined && !Object.hasOwn(v, k)) {
            if (!mayBeAbsent[i]) return false;
            continue;
          }
          present++;
          if (!fields[i]!(x)) return false;
        }
        // no key outside the shape (strict: zod would refuse it). An inherited enumerable key (a
        // polluted Object.prototype) would count too, and only make the answer "not sure"
        let count = 0;
        for (const _ in v) count++;
        return count === present;
      };
    }
    case 'array': {
      const el = compile(def.element!);
      return (v) => {
        if (!Array.isArray(v)) return false;
        for (let i = 0; i < v.length; i++) if (!el(v[i])) return false;
        return true;
      };
    }
    case 'record': {
      // a record over an enum's keys is exhaustive in zod, and a number key type converts: not walked here
      if (def.keyType!._zod.def.type !== 'string') return never;
      const key = compile(def.keyType!);
      const value = compile(def.valueType!);
      return (v) => {
        if (!isPlainObject(v)) return false;
        for (const k in v) if (!key(k) || !value(v[k])) return false;
        return true;
      };
    }
    case 'union': {
      const options = def.options!;
      if (def.discriminator !== undefined) {
        const disc = def.discriminator;
        // discriminator value → its option, as zod's discriminatorMap; no map (a value twice, an option without one): not sure
        const map = new Map<unknown, ZodInst>();
        for (const o of options) {
          const values = o._zod.propValues?.[disc];
          if (!values) return never;
          for (const x of values) {
            if (map.has(x)) return never;
            map.set(x, o);
          }
        }
        const byValue = new Map([...map].map(([x, o]) => [x, compile(o)] as const));
        return (v) => {
          if (!isPlainObject(v)) return false;
          const option = byValue.get(v[disc]);
          return option !== undefined && option(v);
        };
      }
      const cs = options.map(compile);
      return (v) => {
        for (let i = 0; i < cs.length; i++) if (cs[i]!(v)) return true;
        return false;
      };
    }
    default:
      // a default, a transform, a pipe, anything else: not walked, zod decides
      return never;
  }
}

/** true: zod accepts v and its output equals v; false: not sure (run zod) */
export function accepts(s: ZodInst, v: unknown): boolean {
  return compile(s)(v);
}

/** accepts(), typed for a schema of T: true means v is a T exactly as zod would output it */
export function acceptedAs<T>(schema: { _zod: { output: T } }, v: unknown): v is T {
  return accepts(schema as unknown as ZodInst, v);
}
