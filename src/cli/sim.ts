/**
 * bindscope's command-line runner: run a built-in design or a scenario file in Node and print
 * what the kernel would show.
 *
 *   npm run sim -- <built-in id | scenario.json> [--json] [--step N]
 *   npm run sim -- --list
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Simulation, errnoName, getBuiltinScenario, listBuiltins, strerror } from '../engine/index';
import type { ActionResult, Snapshot } from '../engine/api';
import type { UserAction } from '../engine/scenario/schema';
import { formatDeviceTree, formatDmesg, formatLsmod, formatUeventLog } from '../engine/trace/format';
import { formatMail } from '../ui/views/mail';

function usage(): string {
  return 'usage: npm run sim -- <built-in id | scenario.json> [--json | --format mail] [--compare <built-in id>] [--step N]\n       npm run sim -- --list';
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
export function toCliJson(s: Snapshot | null, errors: { path: string; message: string }[], run?: { actions: UserAction[]; results: (ActionResult | null)[]; starts: number[] }) {
  return {
    kernel: s?.kernelVersion ?? null,
    step: s?.step ?? null,
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

function main(argv: string[]): void {
  const print = (t: string) => out.push(t);
  const args = [...argv];
  const json = args.includes('--json');
  const list = args.includes('--list');
  let step: number | null = null;
  const si = args.indexOf('--step');
  if (si >= 0) {
    const v = args[si + 1];
    if (v === undefined || !/^-?\d+$/.test(v)) fail(`--step needs an integer, got ${v === undefined ? 'nothing' : JSON.stringify(v)}\n${usage()}`);
    step = Number(v);
    args.splice(si, 2);
  }
  let format: 'text' | 'mail' = 'text';
  const fi = args.indexOf('--format');
  if (fi >= 0) {
    const v = args[fi + 1];
    if (v !== 'mail' && v !== 'text') fail(`--format takes "mail" or "text", got ${v === undefined ? 'nothing' : JSON.stringify(v)}\n${usage()}`);
    format = v;
    args.splice(fi, 2);
  }
  let compareId: string | null = null;
  const ci = args.indexOf('--compare');
  if (ci >= 0) {
    const v = args[ci + 1];
    if (v === undefined || v.startsWith('--')) fail(`--compare needs a built-in id\n${usage()}`);
    compareId = v;
    args.splice(ci, 2);
  }
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
    let text: string;
    try {
      text = readFileSync(target, 'utf8');
    } catch (e) {
      fail(`cannot read ${target}: ${(e as Error).message}`);
    }
    try {
      input = JSON.parse(text);
    } catch (e) {
      fail(`${target} is not valid JSON: ${(e as Error).message}`);
    }
  } else {
    try {
      input = getBuiltinScenario(target);
    } catch (e) {
      fail(`unknown built-in scenario "${target}": run 'npm run sim -- --list' for the list`);
    }
  }
  const sim = new Simulation(input);
  if (sim.errors.length) {
    if (json) print(JSON.stringify(toCliJson(null, sim.errors), null, 2) + '\n');
    else for (const e of sim.errors) err.push(`${target}: ${e.path}: ${e.message}\n`);
    throw new CliExit(2);
  }
  const snap = sim.stateAt(step ?? sim.lastStep);
  if (json) {
    print(JSON.stringify(toCliJson(snap, [], { actions: sim.scenario?.actions ?? [], results: sim.actionResults, starts: sim.actionStarts }), null, 2) + '\n');
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
      compare = { id: os.id, title: os.title, snapshot: other.stateAt(other.lastStep), lastStep: other.lastStep, focusModule: other.scenario?.focusModule };
    }
    print(formatMail({ id: sum.id, title: sum.title, snapshot: snap, lastStep: sim.lastStep, focusModule: sim.scenario?.focusModule, compare }));
    return;
  }
  const lines: string[] = [];
  lines.push(`# ${sum.title}`, `# source: ${sum.source}`, `# step ${snap.step} of ${sim.lastStep}`, '');
  lines.push(formatDeviceTree(snap), '');
  lines.push('# udevadm monitor --kernel --property', formatUeventLog(snap.uevents), '');
  lines.push('# dmesg', formatDmesg(snap.log), '');
  lines.push('# lsmod', formatLsmod(snap), '');
  lines.push(`# TSM report provider: ${snap.tsm.reportProvider ?? '(none)'}${snap.tsm.classDevices.length ? `; /sys/class/tsm: ${snap.tsm.classDevices.join(', ')}` : ''}`);
  print(lines.join('\n') + '\n');
}

/** run the CLI in-process (tests use this; the script entry below prints and exits) */
export function runCli(argv: string[]): CliResult {
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

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = runCli(process.argv.slice(2));
  process.stdout.on('error', (e: NodeJS.ErrnoException) => process.exit(e.code === 'EPIPE' ? 0 : 1));
  process.stderr.write(r.stderr);
  process.stdout.write(r.stdout, () => process.exit(r.code));
}
