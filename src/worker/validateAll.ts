/**
 * All of a scenario's problems at once. validateScenario (the engine) checks the shape
 * first and, only when the shape is right, the references (unknown bus, undeclared
 * driver, missing module, ...). An editor user wants both lists together: here each shape
 * problem's value is set aside (replaced by a placeholder of the expected shape) and the
 * references of the rest are checked too. Problems at a set-aside path, or naming a
 * placeholder, are not reported: only what is wrong in the text as written.
 */
import type { ScenarioError } from '../engine/api';
import { validateScenario } from '../engine/scenario/validate';
import { scenarioSchema } from '../engine/scenario/schema';

/** a string no scenario contains: problems that name it come from a placeholder */
const TOKEN = '\u2063set-aside\u2063';

type Issue = { code: string; path: PropertyKey[]; expected?: string; values?: unknown[]; keys?: string[] };

function placeholder(issue: Issue): { ok: true; value: unknown } | { ok: false } {
  if (issue.code === 'invalid_value' && issue.values?.length) return { ok: true, value: issue.values[0] };
  if (issue.code !== 'invalid_type') return { ok: false };
  switch (issue.expected) {
    case 'string': return { ok: true, value: TOKEN };
    case 'number': return { ok: true, value: 0 };
    case 'boolean': return { ok: true, value: false };
    case 'array': return { ok: true, value: [] };
    case 'object': return { ok: true, value: {} };
    default: return { ok: false };
  }
}

/** sets (or, for unknown keys, deletes) the value at an issue's path; false when it cannot */
function setAside(root: unknown, issue: Issue): boolean {
  if (!issue.path.length) return false;
  let at: unknown = root;
  for (const k of issue.path.slice(0, -1)) {
    if (at === null || typeof at !== 'object') return false;
    at = (at as Record<PropertyKey, unknown>)[k];
  }
  if (at === null || typeof at !== 'object') return false;
  const obj = at as Record<PropertyKey, unknown>;
  const last = issue.path[issue.path.length - 1]!;
  if (issue.code === 'unrecognized_keys') {
    const target = obj[last] as Record<string, unknown> | undefined;
    if (!target || typeof target !== 'object') return false;
    for (const k of issue.keys ?? []) delete target[k];
    return true;
  }
  const p = placeholder(issue);
  if (!p.ok) return false;
  obj[last] = p.value;
  return true;
}

const pathText = (path: PropertyKey[]) => {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || '(root)';
};

export function validateAll(input: unknown): ScenarioError[] {
  const first = validateScenario(input);
  if (first.ok) return [];
  if (scenarioSchema.safeParse(input).success) return first.errors; // references only
  let copy: unknown;
  try {
    copy = structuredClone(input);
  } catch {
    return first.errors;
  }
  const asideAt: string[] = [];
  for (let round = 0; round < 5; round++) {
    const r = scenarioSchema.safeParse(copy);
    if (r.success) break;
    let progress = false;
    for (const issue of r.error.issues as unknown as Issue[]) {
      if (setAside(copy, issue)) {
        progress = true;
        asideAt.push(pathText(issue.path));
      }
    }
    if (!progress) return first.errors;
  }
  const second = validateScenario(copy);
  if (second.ok) return first.errors;
  const shown = new Set(first.errors.map((e) => e.path));
  const under = (p: string, q: string) => p === q || p.startsWith(`${q}.`) || p.startsWith(`${q}[`);
  const more = second.errors.filter(
    (e) => !shown.has(e.path) && !asideAt.some((q) => under(e.path, q)) && !e.message.includes(TOKEN),
  );
  return [...first.errors, ...more];
}
