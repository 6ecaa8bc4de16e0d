/** Random edits of a JSON value, for the schema tests (zod-jit, zod-accepts): every path in it, and a value replaced, deleted, or a key added there. */
import fc from 'fast-check';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** every path to a value inside v (objects' keys, arrays' indexes) */
export function paths(v: Json, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v !== null && typeof v === 'object') for (const k of Object.keys(v)) paths(v[k]!, [...at, k], out);
  return out;
}

/** v with the value at `path` replaced (`undefined`: deleted), or with a key added there */
export function edit(v: Json, path: (string | number)[], how: { kind: 'set'; value: Json } | { kind: 'delete' } | { kind: 'add'; key: string; value: Json }): Json {
  const copy = JSON.parse(JSON.stringify(v)) as Json;
  if (path.length === 0) return how.kind === 'set' ? how.value : copy;
  let parent = copy as Record<string | number, Json>;
  for (const p of path.slice(0, -1)) parent = parent[p] as Record<string | number, Json>;
  const last = path[path.length - 1]!;
  if (how.kind === 'set') parent[last] = how.value;
  else if (how.kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else {
    const target = parent[last];
    if (target !== null && typeof target === 'object' && !Array.isArray(target)) (target as Record<string, Json>)[how.key] = how.value;
  }
  return copy;
}

export const editArb = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), value: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json> }),
  fc.constant({ kind: 'delete' as const }),
  fc.record({ kind: fc.constant('add' as const), key: fc.constantFrom('op', 'name', 'bus', 'extra', 'probe', 'driver', 'id'), value: fc.jsonValue({ maxDepth: 1 }) as fc.Arbitrary<Json> }),
);

