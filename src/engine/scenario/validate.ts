/**
 * Scenario validation: the zod schema first, then the checks a schema cannot express (unknown
 * bus, duplicate names, references to drivers or buses that do not exist, unknown facts/errnos).
 * Every problem names its JSON path.
 */
import type { ScenarioError } from '../api';
import { scenarioSchema, type KernelAction, type Scenario } from './schema';
import { FACT_NAMES } from '../firmware/facts';
import { ERRNO } from '../core/errno';
import { globProblem } from '../userspace/fnmatch';
import { ofIndex } from '../firmware/devicetree';
import { acceptedAs } from './zodAccepts';

const BUILTIN_BUSES = ['platform', 'auxiliary', 'faux'];

function zodPath(path: PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || '(root)';
}

/** limits on input, before any schema runs (docs/scenario-format.md "Limits") */
export const LIMITS = {
  depth: 64,
  // a real machine's worth: 100k devices and their drivers fit
  arrayLength: 200_000,
  stringLength: 10_000,
  keys: 100_000,
  nodes: 5_000_000,
  errors: 100,
} as const;

/**
 * The shape limits: nesting depth, array and string lengths, keys per object, total size, and no
 * "__proto__" key (a plain object built from it would silently lose the entry). The walk recurses,
 * but never deeper than `limits.depth` (64) levels, where it stops descending: no input can
 * overflow the stack.
 */
export function checkLimits(input: unknown, limits: { readonly [K in keyof typeof LIMITS]: number } = LIMITS): ScenarioError[] {
  // almost every input is within the limits: one walk that only says whether it is (no path kept,
  // no error made: the path bookkeeping was half of a large scenario's walk), the walk below only
  // for an input that is not, to say where and why. Both visit the same values in the same order
  // and test the same conditions, so the second finds a problem exactly when the first does.
  if (withinLimits(input, limits)) return [];
  const errors: ScenarioError[] = [];
  // the path to the value being visited, as keys and indexes: made into text only for an error
  // (a path string per value was a third of what validating a large scenario allocated)
  const path: (string | number)[] = [];
  const text = (last?: string): string => {
    let out = '';
    for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out ? `.${seg}` : seg;
    if (last !== undefined) out += out ? `.${last}` : last;
    return out;
  };
  let nodes = 0;
  let stop = false;
  // depth-first, children in order: values nest at most limits.depth levels before the walk stops descending
  const visit = (v: unknown, depth: number): void => {
    if (stop || errors.length > limits.errors) return;
    if (++nodes > limits.nodes) {
      errors.push({ path: '(root)', message: `more than ${limits.nodes} values: too large` });
      stop = true;
      return;
    }
    if (typeof v === 'string') {
      if (v.length > limits.stringLength) errors.push({ path: text() || '(root)', message: `a string of ${v.length} characters: the limit is ${limits.stringLength}` });
      return;
    }
    if (v === null || typeof v !== 'object') return;
    if (depth >= limits.depth) {
      errors.push({ path: text() || '(root)', message: `nested more than ${limits.depth} levels deep` });
      return;
    }
    if (Array.isArray(v)) {
      if (v.length > limits.arrayLength) {
        errors.push({ path: text() || '(root)', message: `an array of ${v.length} items: the limit is ${limits.arrayLength}` });
        return;
      }
      for (let i = 0; i < v.length; i++) {
        path.push(i);
        visit(v[i], depth + 1);
        path.pop();
      }
      return;
    }
    const keys = Object.keys(v);
    if (keys.length > limits.keys) {
      errors.push({ path: text() || '(root)', message: `an object with ${keys.length} keys: the limit is ${limits.keys}` });
      return;
    }
    // refused as the object is reached, before anything under its other keys
    if (keys.includes('__proto__')) errors.push({ path: text('__proto__'), message: 'the key "__proto__" is not allowed' });
    for (const key of keys) {
      if (stop || errors.length > limits.errors) return;
      if (key === '__proto__') continue;
      path.push(key);
      visit((v as Record<string, unknown>)[key], depth + 1);
      path.pop();
    }
  };
  visit(input, 0);
  return errors;
}

/** checkLimits' question alone: is every limit kept? (its walk, without the paths) */
function withinLimits(input: unknown, limits: { readonly [K in keyof typeof LIMITS]: number }): boolean {
  let nodes = 0;
  const within = (v: unknown, depth: number): boolean => {
    if (++nodes > limits.nodes) return false;
    if (typeof v === 'string') return v.length <= limits.stringLength;
    if (v === null || typeof v !== 'object') return true;
    if (depth >= limits.depth) return false;
    if (Array.isArray(v)) {
      if (v.length > limits.arrayLength) return false;
      for (let i = 0; i < v.length; i++) if (!within(v[i], depth + 1)) return false;
      return true;
    }
    const keys = Object.keys(v);
    if (keys.length > limits.keys) return false;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      if (key === '__proto__' || !within((v as Record<string, unknown>)[key], depth + 1)) return false;
    }
    return true;
  };
  return within(input, 0);
}

/** the first LIMITS.errors problems, then one line with how many more */
function capped(errors: ScenarioError[]): ScenarioError[] {
  if (errors.length <= LIMITS.errors) return errors;
  return [...errors.slice(0, LIMITS.errors), { path: '(root)', message: `… and ${errors.length - LIMITS.errors} more problems` }];
}

/** the path of item j of the list at `path` (made only for an error) */
const at = (path: () => string, j: number): string => `${path()}[${j}]`;
/** the path of a list inside item j, as a function: a closure only for the actions that hold lists */
const under = (path: () => string, j: number, field: string) => (): string => `${at(path, j)}.${field}`;

export function validateScenario(input: unknown): { ok: true; scenario: Scenario } | { ok: false; errors: ScenarioError[] } {
  const shape = checkLimits(input);
  if (shape.length) return { ok: false, errors: capped(shape) };
  // a valid scenario is kept as given (zod's output would be an equal copy); zod runs, and names
  // the problems, whenever the check-only walk is not sure (zodAccepts.ts)
  const parsed = acceptedAs(scenarioSchema, input) ? { success: true as const, data: input } : scenarioSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      errors: capped(parsed.error.issues.map((i) => ({
        path: zodPath(i.path),
        message: /received undefined$/.test(i.message) ? `required ${i.message.replace(/^Invalid input: expected (\w+), received undefined$/, '$1')} is missing` : i.message,
      }))),
    };
  }
  const s = parsed.data;
  const errors: ScenarioError[] = [];
  const err = (path: string, message: string) => errors.push({ path, message });

  const busNames = new Set(BUILTIN_BUSES);
  (s.buses ?? []).forEach((b, i) => {
    if (busNames.has(b.name)) err(`buses[${i}].name`, `duplicate bus name "${b.name}"${BUILTIN_BUSES.includes(b.name) ? ' (a kernel bus has that name)' : ''}`);
    busNames.add(b.name);
  });
  const busDefs = new Map((s.buses ?? []).map((b) => [b.name, b]));
  (s.buses ?? []).forEach((b, i) => {
    const fields = new Set(b.idFields ?? []);
    if (b.match === 'ids' && !b.idFields) err(`buses[${i}].idFields`, `a bus that matches by ids needs "idFields" (e.g. ["func_id"])`);
    if (b.match !== 'ids' && b.idFields) err(`buses[${i}].idFields`, `"idFields" is only for "match": "ids"`);
    for (const m of (b.modaliasFormat ?? '').matchAll(/\{([a-z0-9_]+)/g)) {
      if (m[1] !== 'name' && !fields.has(m[1]!)) err(`buses[${i}].modaliasFormat`, `"{${m[1]}}" is neither "name" nor one of idFields (${[...fields].join(', ') || 'none'})`);
    }
  });
  /** ids given to a device or an id-table entry must be the bus's fields */
  const checkIds = (ids: Record<string, unknown> | undefined, bus: string, path: string, required: boolean) => {
    const b = busDefs.get(bus);
    if (!b) return;
    if (b.match !== 'ids') {
      if (ids) err(path, `bus "${bus}" does not match by ids ("match": "${b.match}")`);
      return;
    }
    const fields = b.idFields ?? [];
    if (!ids) {
      if (required) err(path, `bus "${bus}" matches by ids: give the device's ${fields.join(', ')}`);
      return;
    }
    for (const f of Object.keys(ids)) if (!fields.includes(f)) err(`${path}.${f}`, `bus "${bus}" has no id field "${f}" (idFields: ${fields.join(', ')})`);
  };
  /** an errno given by name must be one the kernel has (core/errno.ts); a number is any errno */
  const checkErrno = (v: unknown, path: () => string, j: number, field: string) => {
    if (typeof v === 'string' && !Object.hasOwn(ERRNO, v.replace(/^-/, ''))) err(`${at(path, j)}.${field}`, `unknown errno "${v}"`);
  };
  const modNames = new Set<string>();
  s.modules.forEach((m, i) => {
    if (modNames.has(m.name)) err(`modules[${i}].name`, `duplicate module name "${m.name}"`);
    modNames.add(m.name);
    for (const [key, d] of Object.entries(m.drivers ?? {})) {
      if (!busNames.has(d.bus)) err(`modules[${i}].drivers.${key}.bus`, `unknown bus "${d.bus}" (known: ${[...busNames].join(', ')})`);
      // drivers/base/faux.c: faux_bus_type is static and not exported; faux_driver is the bus's only driver
      else if (d.bus === 'faux') err(`modules[${i}].drivers.${key}.bus`, 'no module can register a driver on the faux bus: faux_bus_type is static in drivers/base/faux.c (not exported), and the core\'s faux_driver binds every faux device');
      (d.ids ?? []).forEach((e, j) => checkIds(e, d.bus, `modules[${i}].drivers.${key}.ids[${j}]`, false));
      if (d.ids && !busDefs.has(d.bus)) err(`modules[${i}].drivers.${key}.ids`, `bus "${d.bus}" does not match by ids (use idTable)`);
      if (d.idTable && busDefs.get(d.bus)?.match === 'ids') err(`modules[${i}].drivers.${key}.idTable`, `bus "${d.bus}" matches by ids: use "ids" (e.g. [{ "func_id": "0xC4000190" }])`);
    }
    (m.aliases ?? []).forEach((a, j) => {
      const why = globProblem(a);
      if (why) err(`modules[${i}].aliases[${j}]`, `alias pattern ${JSON.stringify(a)}: ${why}`);
    });
    for (const [key, d] of Object.entries(m.drivers ?? {})) {
      (d.idTable ?? []).forEach((id, j) => {
        const why = globProblem(id);
        if (why) err(`modules[${i}].drivers.${key}.idTable[${j}]`, `id ${JSON.stringify(id)} becomes an alias pattern: ${why}`);
      });
    }
    const drivers = new Set(Object.keys(m.drivers ?? {}));
    // the path of an action is made into text only for an error (a string per action was most of
    // what this walk allocated for a large scenario): `path()` gives the list's path, at() an item's
    const walk = (list: KernelAction[] | undefined, path: () => string) => {
      if (!list) return;
      for (let j = 0; j < list.length; j++) {
        const a = list[j]!;
        if ('driver' in a && !drivers.has(a.driver)) err(`${at(path, j)}.driver`, `module "${m.name}" declares no driver "${a.driver}" (declared: ${[...drivers].join(', ') || 'none'})`);
        // device_register without a bus: a bare device (no bus, no class)
        if ((a.op === 'bus_register' || (a.op === 'device_register' && a.bus !== undefined)) && !busDefs.has(a.bus!)) err(`${at(path, j)}.bus`, `the scenario defines no bus "${a.bus}" in "buses"`);
        if (a.op === 'device_register' && a.bus !== undefined) checkIds(a.ids, a.bus, `${at(path, j)}.ids`, true);
        if (a.op === 'device_register' && a.bus === undefined && a.ids) err(`${at(path, j)}.ids`, 'a device without a bus has no ids');
        if (a.op === 'device_register' && a.modalias !== undefined && busDefs.get(a.bus ?? '')?.match !== 'modalias') err(`${at(path, j)}.modalias`, `a literal MODALIAS needs a bus with "match": "modalias"${a.bus === undefined ? ' (the device has no bus)' : ` (bus "${a.bus}" matches by ${busDefs.get(a.bus)?.match ?? '?'})`}`);
        if (a.op === 'if') {
          const f = (a.when ?? '').replace(/^!/, '');
          if (a.when !== undefined && !(FACT_NAMES as readonly string[]).includes(f)) err(`${at(path, j)}.when`, `unknown fact "${f}" (known: ${FACT_NAMES.join(', ')})`);
          walk(a.then, under(path, j, 'then'));
          walk(a.else, under(path, j, 'else'));
        }
        if (a.op === 'return' || a.op === 'dev_err_probe') checkErrno(a.errno, path, j, 'errno');
        if ('orReturn' in a && a.orReturn !== undefined && a.orReturn !== 'ignore') checkErrno(a.orReturn, path, j, 'orReturn');
        if (a.op === 'platform_device_register_simple' && a.ofNode && !ofIndex(s.firmware).byPath.has(a.ofNode)) err(`${at(path, j)}.ofNode`, `no DT node "${a.ofNode}" in ${s.firmware.devicetree ? 'firmware.devicetree' : 'firmware.dt'}`);
        if (a.op === 'devm_add_action') walk(a.actions, under(path, j, 'actions'));
        if (a.op === 'faux_device_create') {
          walk(a.probe, under(path, j, 'probe'));
          walk(a.remove, under(path, j, 'remove'));
        }
      }
    };
    walk(m.init, () => `modules[${i}].init`);
    walk(m.exit ?? undefined, () => `modules[${i}].exit`);
    for (const [key, d] of Object.entries(m.drivers ?? {})) {
      walk(d.probe, () => `modules[${i}].drivers.${key}.probe`);
      walk(d.remove, () => `modules[${i}].drivers.${key}.remove`);
    }
  });
  const paths = new Set<string>();
  (s.firmware.dt ?? []).forEach((n, i) => {
    if (paths.has(n.path)) err(`firmware.dt[${i}].path`, `duplicate DT node "${n.path}"`);
    paths.add(n.path);
  });
  const dt = s.firmware.devicetree;
  if (dt) {
    if (s.firmware.dt) err('firmware.devicetree', 'give the device tree once: either firmware.dt (a list of nodes) or firmware.devicetree (the tree), not both');
    if (s.firmware.description !== 'dt') err('firmware.devicetree', 'a device tree needs firmware.description "dt"');
    if (dt.root.name !== '/') err('firmware.devicetree.root.name', `the root node is named "/", not "${dt.root.name}"`);
    // sibling names are unique (a node defined twice is one node, merged by dtc)
    const dup = (n: NonNullable<typeof dt>['root'], p: string) => {
      const seen = new Set<string>();
      (n.children ?? []).forEach((c, i) => {
        if (seen.has(c.name)) err(`${p}.children[${i}].name`, `duplicate node name "${c.name}"`);
        seen.add(c.name);
        dup(c, `${p}.children[${i}]`);
      });
    };
    dup(dt.root, 'firmware.devicetree.root');
    const ix = ofIndex(s.firmware);
    for (const [alias, target] of Object.entries(dt.aliases ?? {})) if (!ix.byPath.has(target)) err(`firmware.devicetree.aliases.${alias}`, `no node "${target}" in the tree`);
  }
  if (s.firmware.description === 'acpi' && !s.firmware.acpi) err('firmware.acpi', 'ACPI firmware needs the FADT PSCI flags (firmware.acpi)');
  (s.actions ?? []).forEach((a, i) => {
    if ((a.op === 'modprobe' || a.op === 'rmmod') && !modNames.has(a.module)) err(`actions[${i}].module`, `no module "${a.module}" in modules`);
  });
  return errors.length ? { ok: false, errors: capped(errors) } : { ok: true, scenario: s };
}
