/**
 * `npm run sim -- import machine <bundle> [--out scenario.json] [--json]`: import a machine captured
 * with scripts/capture-machine.sh, replay its binding from boot, and print device by device whether
 * the replay matches what the machine reported (docs/machine-import.md).
 * Exit 0 when it ran, 2 on bad input (file:line:col: why), 3 when the run was stopped by its budget.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { replayMachine, type MachineReport } from '../import/machine/index';
import { escapeControl } from '../engine/trace/format';

export const MAX_BUNDLE_BYTES = 64 * 1024 * 1024;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

const USAGE = 'usage: npm run sim -- import machine <bundle | bundle.gz> [--out scenario.json] [--json]';

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

export function formatReport(r: MachineReport, ms?: { import: number; run: number; compare: number }): string {
  const t = r.totals;
  const lines = [
    `# machine ${escapeControl(r.host ?? '?')}, Linux ${escapeControl(r.kernel ?? '?')} (${r.forms.join(' + ')})`,
    `# ${t.devices} devices: ${t.onBus} on ${t.buses} buses, ${t.classDevices} class devices (not modelled); ${t.bare} bare devices imported`,
    `# ${t.boundDevices} devices bound to ${t.boundDrivers} drivers on the machine; ${t.boundMatched} bound alike in the replay (${pct(r.boundMatchRate)})`,
    `# matched ${t.matched}, mismatched ${t.mismatched}, not modelled ${t.notModelled}; match rate ${pct(r.matchRate)} of the devices on a bus`,
    ...(ms ? [`# import ${ms.import} ms, run ${ms.run} ms, compare ${ms.compare} ms`] : []),
    ...r.notes.map((n) => `# note: ${escapeControl(n)}`),
    '',
  ];
  const order = { mismatched: 0, 'not modelled': 1, matched: 2 } as const;
  const rows = [...r.devices].sort((a, b) => order[a.verdict] - order[b.verdict] || (a.devpath < b.devpath ? -1 : 1));
  for (const d of rows) lines.push(`${d.verdict.padEnd(12)} ${escapeControl(d.devpath)}${d.subsystem ? ` [${escapeControl(d.subsystem)}]` : ''}: ${escapeControl(d.reason)}`);
  return lines.join('\n') + '\n';
}

/** argv after "import machine" */
export function runImportMachine(argv: string[]): CliResult {
  const out: string[] = [];
  const err: string[] = [];
  const fail = (msg: string): CliResult => ({ code: 2, stdout: '', stderr: `bindscope sim import machine: ${msg}\n` });
  const args = [...argv];
  const json = args.includes('--json');
  let outFile: string | null = null;
  const oi = args.indexOf('--out');
  if (oi >= 0) {
    outFile = args[oi + 1] ?? null;
    if (!outFile || outFile.startsWith('--')) return fail(`--out needs a file name\n${USAGE}`);
    args.splice(oi, 2);
  }
  const unknown = args.filter((a) => a.startsWith('--') && a !== '--json');
  if (unknown.length) return fail(`unknown option ${unknown.join(' ')}\n${USAGE}`);
  const files = args.filter((a) => !a.startsWith('--'));
  if (files.length !== 1) return fail(`${files.length ? 'one bundle at a time' : 'no bundle given'}\n${USAGE}`);
  const file = files[0]!;
  let text: string;
  try {
    const st = statSync(file);
    if (!st.isFile()) return fail(`${escapeControl(file)} is not a regular file`);
    if (st.size > MAX_BUNDLE_BYTES) return fail(`${escapeControl(file)} is ${st.size} bytes: bundles are limited to ${MAX_BUNDLE_BYTES} bytes`);
    let buf = readFileSync(file);
    if (buf[0] === 0x1f && buf[1] === 0x8b) buf = gunzipSync(buf, { maxOutputLength: MAX_BUNDLE_BYTES * 4 });
    text = buf.toString('utf8');
  } catch (e) {
    return fail(`cannot read ${escapeControl(file)}: ${escapeControl((e as Error).message)}`);
  }
  const r = replayMachine(text);
  if (!r.ok) {
    return { code: 2, stdout: '', stderr: r.errors.map((e) => `${escapeControl(file)}:${e.line}:${e.col}: ${escapeControl(e.message)}\n`).join('') };
  }
  if (r.errors.length) {
    // the import built a scenario the engine refuses: a bug of the importer, said as such
    return { code: 2, stdout: '', stderr: r.errors.slice(0, 20).map((e) => `${escapeControl(file)}: the imported scenario is invalid at ${escapeControl(e.path)}: ${escapeControl(e.message)}\n`).join('') };
  }
  if (outFile) {
    try {
      writeFileSync(outFile, JSON.stringify(r.scenario, null, 1) + '\n');
    } catch (e) {
      return fail(`cannot write ${escapeControl(outFile)}: ${escapeControl((e as Error).message)}`);
    }
    err.push(`wrote ${escapeControl(outFile)} (${r.summary.scenarioDevices} devices, ${r.summary.scenarioDrivers} drivers, ${r.summary.scenarioModules} modules)\n`);
  }
  if (json) out.push(JSON.stringify({ summary: r.summary, report: r.report, stopped: r.stopped, ms: r.ms }, null, 1) + '\n');
  else out.push(formatReport(r.report, r.ms));
  if (r.stopped) {
    err.push(`bindscope sim import machine: the replay was stopped: ${escapeControl(r.stopped)}\n`);
    return { code: 3, stdout: out.join(''), stderr: err.join('') };
  }
  return { code: 0, stdout: out.join(''), stderr: err.join('') };
}
