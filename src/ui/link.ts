/**
 * The whole view as a link: what runs (a built-in id, or a custom scenario), its firmware
 * toggles and the user actions taken, the timeline step, the selection, the mode, the
 * compare pair and the presentation stop.
 *
 *   ?design=auxiliary&realm=1&fw=dt&psci=1.1&conduit=smc&tsm=module&udev=1
 *    &step=12&sel=device:/devices/...&mode=compare&cmp=faux&walk=auxiliary&stop=2
 *   #s=<custom scenario>&a=<actions>      (lz-string compressToEncodedURIComponent of JSON)
 *
 * `step` is left out at the last step (a link to "the end" stays the end if the engine
 * adds events). Pure: no DOM, unit-tested in link.test.ts; urlSync.ts puts it in history.
 */
import { compressToEncodedURIComponent, decompressFromEncodedURIComponent } from 'lz-string';
import type { UserAction } from '../engine/index';
import type { FirmwareVariant } from '../worker/protocol';

export type LinkMode = 'explore' | 'compare' | 'edit';

export interface LinkView {
  /** built-in id (null with a custom scenario, or when the link names none: the default) */
  design: string | null;
  /** a custom scenario's JSON (validated by the engine when opened) */
  custom: unknown;
  variant: Partial<FirmwareVariant> | null;
  /** the scenario actions of the run (user actions pinned with `at`), for a built-in design */
  actions: UserAction[] | null;
  /** how many of the run's actions (the last ones) are the user's */
  userActions: number;
  /** null: the last step */
  step: number | null;
  selected: string | null;
  mode: LinkMode;
  compare: string | null;
  /** presentation mode: the walkthrough and the stop (0-based) */
  walk: string | null;
  stop: number | null;
}

export const EMPTY_LINK: LinkView = {
  design: null, custom: null, variant: null, actions: null, userActions: 0, step: null, selected: null,
  mode: 'explore', compare: null, walk: null, stop: null,
};

/** a link longer than this is refused (browsers and mail clients cut long URLs anyway) */
export const MAX_LINK_CHARS = 64_000;
/** a decompressed scenario larger than this is refused */
const MAX_JSON_CHARS = 1_000_000;

const VARIANT_KEYS: [keyof FirmwareVariant, string, readonly string[]][] = [
  ['realm', 'realm', ['0', '1']],
  ['firmware', 'fw', ['dt', 'acpi']],
  ['psci', 'psci', ['1.1', '1.0', '0.2']],
  ['conduit', 'conduit', ['smc', 'hvc']],
  ['module', 'tsm', ['builtin', 'module', 'absent']],
  ['udev', 'udev', ['0', '1']],
];
const BOOL_KEYS = new Set(['realm', 'udev']);
const MODES: readonly LinkMode[] = ['explore', 'compare', 'edit'];

/** compressing a scenario costs milliseconds: the link is rebuilt on every step, the scenario rarely changes */
const packed = new WeakMap<object, string>();
const pack = (value: unknown) => {
  if (value && typeof value === 'object' && packed.has(value)) return packed.get(value)!;
  const text = compressToEncodedURIComponent(JSON.stringify(value));
  if (value && typeof value === 'object') packed.set(value, text);
  return text;
};

/** The search and hash part of a link ("?..." and "#..." or ""). */
export function encodeLink(v: LinkView): { search: string; hash: string } {
  const q = new URLSearchParams();
  if (v.design) q.set('design', v.design);
  if (v.variant) {
    for (const [key, param] of VARIANT_KEYS) {
      const val = v.variant[key];
      if (val === undefined) continue;
      q.set(param, typeof val === 'boolean' ? (val ? '1' : '0') : String(val));
    }
  }
  if (v.step !== null) q.set('step', String(v.step));
  if (v.selected) q.set('sel', v.selected);
  if (v.mode !== 'explore') q.set('mode', v.mode);
  if (v.compare && v.mode === 'compare') q.set('cmp', v.compare);
  if (v.walk) {
    q.set('walk', v.walk);
    q.set('stop', String(v.stop ?? 0));
  }
  const h = new URLSearchParams();
  if (v.custom) h.set('s', pack(v.custom));
  if (v.userActions > 0) h.set('a', compressToEncodedURIComponent(JSON.stringify({ n: v.userActions, actions: v.custom ? undefined : v.actions })));
  // URLSearchParams would turn lz-string's "+" into "%2B": the alphabet is URL-safe already
  const hash = [...h.entries()].map(([k, val]) => `${k}=${val}`).join('&');
  const search = q.toString();
  return { search: search ? `?${search}` : '', hash: hash ? `#${hash}` : '' };
}

export interface DecodedLink {
  view: LinkView;
  /** what in the link could not be used, one sentence each (empty: all of it) */
  problems: string[];
  /** the link asked for anything at all (an empty link opens the default quietly) */
  given: boolean;
}

function unpack(text: string, what: string, problems: string[]): unknown {
  let json: string | null = null;
  try {
    json = decompressFromEncodedURIComponent(text);
  } catch {
    json = null;
  }
  if (!json) {
    problems.push(`the link's ${what} could not be read (the link is damaged or cut short)`);
    return undefined;
  }
  if (json.length > MAX_JSON_CHARS) {
    problems.push(`the link's ${what} is too large (${json.length} characters; at most ${MAX_JSON_CHARS})`);
    return undefined;
  }
  try {
    return JSON.parse(json);
  } catch {
    problems.push(`the link's ${what} is not valid JSON (the link is damaged or cut short)`);
    return undefined;
  }
}

const intParam = (q: URLSearchParams, key: string, min: number, problems: string[]): number | null => {
  const raw = q.get(key);
  if (raw === null) return null;
  if (!/^-?\d{1,7}$/.test(raw) || Number(raw) < min) {
    problems.push(`"${key}=${raw}" is not a valid ${key} (an integer from ${min})`);
    return null;
  }
  return Number(raw);
};

/** Reads a link's search and hash. Never throws: what cannot be used is named in `problems`. */
export function decodeLink(search: string, hash: string): DecodedLink {
  const problems: string[] = [];
  const view: LinkView = { ...EMPTY_LINK };
  if (search.length + hash.length > MAX_LINK_CHARS) {
    return { view, problems: [`the link is too long (${search.length + hash.length} characters; at most ${MAX_LINK_CHARS})`], given: true };
  }
  const q = new URLSearchParams(search.replace(/^\?/, ''));
  const h = new URLSearchParams(hash.replace(/^#/, '').replace(/\+/g, '%2B'));
  const given = [...q.keys()].length + [...h.keys()].length > 0;

  const design = q.get('design');
  if (design !== null) {
    if (/^[a-z0-9][a-z0-9-]{0,80}$/.test(design)) view.design = design;
    else problems.push(`"design=${design}" is not a design id`);
  }
  const variant: Partial<FirmwareVariant> = {};
  for (const [key, param, allowed] of VARIANT_KEYS) {
    const raw = q.get(param);
    if (raw === null) continue;
    if (!allowed.includes(raw)) {
      problems.push(`"${param}=${raw}" is not one of ${allowed.join(', ')}`);
      continue;
    }
    (variant as Record<string, unknown>)[key] = BOOL_KEYS.has(key) ? raw === '1' : raw;
  }
  if (Object.keys(variant).length) view.variant = variant;
  view.step = intParam(q, 'step', -1, problems);
  view.selected = q.get('sel');
  const mode = q.get('mode');
  if (mode !== null) {
    if ((MODES as readonly string[]).includes(mode)) view.mode = mode as LinkMode;
    else problems.push(`"mode=${mode}" is not one of ${MODES.join(', ')}`);
  }
  view.compare = q.get('cmp');
  view.walk = q.get('walk');
  if (view.walk) view.stop = intParam(q, 'stop', 0, problems) ?? 0;

  const s = h.get('s');
  if (s !== null) {
    const custom = unpack(s, 'scenario', problems);
    if (custom !== undefined) {
      if (custom && typeof custom === 'object' && !Array.isArray(custom)) {
        view.custom = custom;
        view.design = null;
      } else problems.push(`the link's scenario is not a JSON object`);
    }
  }
  const a = h.get('a');
  if (a !== null) {
    const acts = unpack(a, 'user actions', problems) as { n?: unknown; actions?: unknown } | undefined;
    if (acts !== undefined) {
      const n = typeof acts?.n === 'number' && Number.isInteger(acts.n) && acts.n > 0 ? acts.n : 0;
      const list = acts?.actions;
      if (!n || (list !== undefined && !Array.isArray(list))) problems.push(`the link's user actions are not a list`);
      else {
        view.userActions = n;
        if (Array.isArray(list)) view.actions = list as UserAction[];
      }
    }
  }
  return { view, problems, given };
}

/**
 * What distinguishes one history entry from the next: the run (design, firmware, actions,
 * custom scenario), the mode, the compare pair and the walkthrough. A change of any of these
 * pushes a new entry; a step, a selection or a stop replaces the current one.
 */
export function historyKey(v: LinkView): string {
  // presenting is one entry: its stops (and the designs they show) replace it
  if (v.walk) return JSON.stringify(['walk', v.walk]);
  return JSON.stringify([v.design, v.custom, v.variant, v.actions, v.userActions, v.mode, v.mode === 'compare' ? v.compare : null, v.walk]);
}

/** the part of a link that decides what runs: two links with the same key need no new run */
export function runKey(v: LinkView): string {
  return JSON.stringify([v.design, v.custom, v.variant, v.actions, v.userActions]);
}
