/**
 * bindscope's command-line runner: run a built-in design or a scenario file in Node and print
 * what the kernel would show.
 *
 *   npm run sim -- <built-in id | scenario.json> [--json] [--step N] [--kernel X.Y]
 *   npm run sim -- --list
 *   npm run sim -- import dts <file.dts> [-I <dir>]... [--out scenario.json]   (src/cli/import-dts.ts)
 */
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import { pathToFileURL } from 'node:url';
import { Simulation, errnoName, getBuiltinScenario, listBuiltins, strerror } from '../engine/index';
import type { ActionResult, Snapshot } from '../engine/api';
import type { RunStop } from '../engine/index';
import { review, type Finding, type ReviewRule } from '../engine/review/review';
import { reviewRules } from '../engine/review/schema';
import { REVIEW_RULES } from '../scenarios/review-rules';
import type { UserAction } from '../engine/scenario/schema';
import { escapeControl, escapeStrings, formatDeviceTree, formatDmesg, formatLsmod, formatUeventLog } from '../engine/trace/format';
import { formatMail } from '../ui/views/mail';
import { runImportDts } from './import-dts';
import { runImportMachine } from './import-machine';

/** the largest scenario file the CLI reads (docs/scenario-format.md "Limits") */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

/** "line:column" of the first JSON syntax error (jsonc-parser's scanner, strict JSON: no comments, no trailing commas) */
export function jsonErrorPlace(text: string): string {
  const errors: ParseError[] = [];
  parseJsonc(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const pos = Math.min(errors[0]?.offset ?? text.length, text.length);
  let line = 1;
  let col = 1;
  for (let i = 0; i < pos; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      col = 1;
    } else col++;
  }
  return `${line}:${col}`;
}

/** a bounded regular file of JSON, or a one-line failure naming the file (and line:column) */
function readJsonFile(target: string): unknown {
  let text: string;
  try {
    // a regular file of bounded size: not /dev/zero, a FIFO or a directory
    const st = statSync(target);
    if (!st.isFile()) fail(`${escapeControl(target)} is not a regular file`);
    if (st.size > MAX_FILE_BYTES) fail(`${escapeControl(target)} is ${st.size} bytes: scenarios are limited to ${MAX_FILE_BYTES} bytes`);
    text = readFileSync(target, 'utf8');
  } catch (e) {
    if (e instanceof CliExit) throw e;
    fail(`cannot read ${escapeControl(target)}: ${escapeControl((e as Error).message)}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    fail(`${escapeControl(target)}:${jsonErrorPlace(text)}: not valid JSON: ${escapeControl((e as Error).message.slice(0, 200))}`);
  }
}

function usage(): string {
  return 'usage: npm run sim -- <built-in id | scenario.json> [--json | --format mail] [--compare <built-in id>] [--step N] [--kernel X.Y]\n       npm run sim -- review <built-in id | scenario.json> [--json] [--rules rules.json]\n       npm run sim -- import machine <bundle> [--out scenario.json] [--json]\n       npm run sim -- --list';
}

class CliExit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

let out: string[] = [];
let err: string[] = [];

function fail(msg: string): never {
  err.push(`bindscope sim: ${msg}\n`);
  throw new CliExit(2);
}

/** the review as a reviewer reads it: one block per finding, the quote where the thread argued it */
export function formatFindings(title: string, findings: Finding[]): string {
  const lines = [`# review: ${escapeControl(title)}`, `# ${findings.length} finding(s)`, ''];
  for (const f of findings) {
    lines.push(`${f.severity.toUpperCase()} ${f.rule}: ${f.title}`, `  ${escapeControl(f.where)}: ${escapeControl(f.message)}`, `  rests on: ${f.cite}`);
    if (f.quote) lines.push(`  "${f.quote.text}" (${f.quote.author}, ${f.quote.date}, ${f.quote.list})`);
    lines.push('');
  }
  return lines.join('\n');
}

/** an errno as the JSON shows it: null for success, else { errno: -19, name: "ENODEV", message: "No such device" } */
function errnoJson(rc: number | null) {
  if (rc === null || rc === 0) return null;
  return { errno: rc, name: errnoName(rc).replace(/^-/, ''), message: strerror(rc) };
}

/** one userspace action and what it returned (sysfs writes/reads: rc and output; others: null) */
function actionJson(a: UserAction, r: ActionResult | null | undefined, ran: boolean) {
  const { at: _at, ...rest } = a;
  return { ...rest, ran, rc: r ? r.rc : null, error: errnoJson(r ? r.rc : null), output: r ? r.output : null };
}

/** the CLI's JSON contract (docs/cli-json.md) */
export function toCliJson(s: Snapshot | null, errors: { path: string; message: string }[], run?: { actions: UserAction[]; results: (ActionResult | null)[]; starts: number[]; stopped: RunStop | null }) {
  return {
    kernel: s?.kernelVersion ?? null,
    step: s?.step ?? null,
    stopped: run?.stopped ?? null,
    devices: (s?.devices ?? []).map((d) => ({ name: d.name, bus: d.bus, class: d.class, devpath: d.devpath, parent: d.parent, driver: d.driver, modalias: d.modalias, unbindable: d.unbindable })),
    drivers: (s?.drivers ?? []).map((d) => ({ name: d.name, bus: d.bus, module: d.module, bindAttrs: d.bindAttrs })),
    modules: (s?.modules ?? []).map((m) => ({ name: m.name, state: m.state, loadedBy: m.loadedBy, initRet: m.initRet, initError: errnoJson(m.initRet) })),
    uevents: (s?.uevents ?? []).map((u) => ({ seq: u.seq, action: u.action, devpath: u.devpath, subsystem: u.subsystem, env: Object.fromEntries(u.env) })),
    sysfs: s?.sysfs ?? [],
    files: s?.files ?? {},
    tsm: s?.tsm ?? { reportProvider: null, classDevices: [] },
    actions: (run?.actions ?? []).map((a, i) => actionJson(a, run!.results[i], (run!.starts[i] ?? Infinity) <= (s?.step ?? -1))),
    log: s?.log ?? [],
    errors,
  };
}

/** removes "name value" from args and returns the value (null when absent); a missing or bad value fails with `why` */
function takeOption(args: string[], name: string, ok: (v: string) => boolean, why: (got: string) => string): string | null {
  const i = args.indexOf(name);
  if (i < 0) return null;
  const v = args[i + 1];
  if (v === undefined || !ok(v)) fail(`${why(v === undefined ? 'nothing' : JSON.stringify(v))}\n${usage()}`);
  args.splice(i, 2);
  return v;
}

function main(argv: string[]): void {
  const print = (t: string) => out.push(t);
  const args = [...argv];
  const json = args.includes('--json');
  const list = args.includes('--list');
  const stepArg = takeOption(args, '--step', (v) => /^-?\d+$/.test(v), (got) => `--step needs an integer, got ${got}`);
  const step = stepArg === null ? null : Number(stepArg);
  const kernel = takeOption(args, '--kernel', (v) => /^\d+\.\d+$/.test(v), (got) => `--kernel needs a version such as 6.1 or 7.4, got ${got}`);
  const rulesFile = takeOption(args, '--rules', () => true, () => '--rules needs a file');
  const reviewMode = args[0] === 'review';
  if (reviewMode) args.shift();
  const format = (takeOption(args, '--format', (v) => v === 'mail' || v === 'text', (got) => `--format takes "mail" or "text", got ${got}`) ?? 'text') as 'text' | 'mail';
  const compareId = takeOption(args, '--compare', (v) => !v.startsWith('--'), () => '--compare needs a built-in id');
  const unknown = args.filter((a) => a.startsWith('--') && a !== '--json' && a !== '--list');
  if (unknown.length) fail(`unknown option ${unknown.join(' ')}\n${usage()}`);
  if (list) {
    const items = listBuiltins();
    const w = Math.max(...items.map((b) => b.id.length));
    for (const b of items) print(`${b.id.padEnd(w)}  ${b.title}\n`);
    return;
  }
  const target = args.find((a) => !a.startsWith('--'));
  if (!target) fail(`no scenario given\n${usage()}`);
  let input: unknown;
  if (target.endsWith('.json') || target.includes('/')) {
    input = readJsonFile(target);  } else {
    try {
      input = getBuiltinScenario(target);
    } catch (e) {
      fail(`unknown built-in scenario "${target}": run 'npm run sim -- --list' for the list`);
    }
  }
  // --kernel: the same design on another release; the engine gates what changed
  if (kernel && input && typeof input === 'object' && !Array.isArray(input)) input = { ...(input as Record<string, unknown>), kernel: { version: kernel } };
  const sim = new Simulation(input);
  if (sim.errors.length) {
    if (json) print(JSON.stringify(toCliJson(null, sim.errors), null, 2) + '\n');
    else for (const e of sim.errors) err.push(`${escapeControl(target)}: ${escapeControl(e.path)}: ${escapeControl(e.message)}\n`);
    throw new CliExit(2);
  }
  const snap = sim.stateAt(step ?? sim.lastStep);
  const stopped = sim.stopped;
  if (reviewMode) {
    let rules: ReviewRule[] = REVIEW_RULES;
    if (rulesFile) {
      const parsed = reviewRules.safeParse(readJsonFile(rulesFile));
      if (!parsed.success) fail(`${escapeControl(rulesFile)}: ${parsed.error.issues.slice(0, 10).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
      rules = [...REVIEW_RULES, ...parsed.data];
    }
    const findings = review(snap, sim.summary().events, rules);
    if (json) print(JSON.stringify({ findings }, null, 2) + '\n');
    else print(formatFindings(sim.summary().title, findings) + '\n');
    return;
  }
  if (json) {
    print(JSON.stringify(toCliJson(snap, [], { actions: sim.scenario?.actions ?? [], results: sim.actionResults, starts: sim.actionStarts, stopped }), null, 2) + '\n');
    if (stopped) throw new CliExit(3);
    return;
  }
  const sum = sim.summary();
  if (format === 'mail' || compareId) {
    let compare;
    if (compareId) {
      let other;
      try {
        other = new Simulation(getBuiltinScenario(compareId));
      } catch {
        fail(`unknown built-in scenario "${compareId}" for --compare: run 'npm run sim -- --list' for the list`);
      }
      const os = other.summary();
      compare = { id: os.id, title: escapeControl(os.title), snapshot: escapeStrings(other.stateAt(other.lastStep)), lastStep: other.lastStep, focusModule: other.scenario?.focusModule };
    }
    print(formatMail({ id: sum.id, title: escapeControl(sum.title), snapshot: escapeStrings(snap), lastStep: sim.lastStep, focusModule: sim.scenario?.focusModule, compare }));
    return;
  }
  const lines: string[] = [];
  // text for a terminal: control characters from the input are shown escaped, never sent raw
  const snapText = escapeStrings(snap);
  lines.push(`# ${escapeControl(sum.title)}`, `# source: ${escapeControl(sum.source)}`, `# step ${snap.step} of ${sim.lastStep}`, '');
  if (stopped) lines.push(`# STOPPED at event ${stopped.step} (${stopped.budget} budget): ${escapeControl(stopped.message)}`, ...(stopped.running ? [`# last running: ${escapeControl(stopped.running)}`] : []), '');
  lines.push(formatDeviceTree(snapText), '');
  lines.push('# udevadm monitor --kernel --property', formatUeventLog(snapText.uevents), '');
  lines.push('# dmesg', formatDmesg(snapText.log), '');
  lines.push('# lsmod', formatLsmod(snapText), '');
  lines.push(`# TSM report provider: ${snapText.tsm.reportProvider ?? '(none)'}${snapText.tsm.classDevices.length ? `; /sys/class/tsm: ${snapText.tsm.classDevices.join(', ')}` : ''}`);
  print(lines.join('\n') + '\n');
  if (stopped) {
    err.push(`bindscope sim: the run was stopped at event ${stopped.step}: ${stopped.budget} budget\n`);
    throw new CliExit(3);
  }
}

/** run the CLI in-process (tests use this; the script entry below prints and exits) */
export function runCli(argv: string[]): CliResult {
  if (argv[0] === 'import' && argv[1] === 'dts') return runImportDts(argv.slice(2));
  if (argv[0] === 'import' && argv[1] === 'machine') return runImportMachine(argv.slice(2));
  out = [];
  err = [];
  let code = 0;
  try {
    main(argv);
  } catch (e) {
    if (!(e instanceof CliExit)) throw e;
    code = e.code;
  }
  return { code, stdout: out.join(''), stderr: err.join('') };
}

// run as a script (tsx, or the bundled bin through its node_modules/.bin symlink), not when imported by tests
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  const r = runCli(process.argv.slice(2));
  process.stdout.on('error', (e: NodeJS.ErrnoException) => process.exit(e.code === 'EPIPE' ? 0 : 1));
  process.stderr.write(r.stderr);
  process.stdout.write(r.stdout, () => process.exit(r.code));
}
