/**
 * `npm run sim -- import dts <file.dts> [-I <dir>]... [--out scenario.json] [--kernel X.Y] [--json]`:
 * a scenario whose firmware is the .dts (src/import/dts), written to --out or printed, and a
 * summary of what of_platform_default_populate_init() makes of it. Bad input exits 2 with
 * file:line:col (and the include chain).
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { importDts, formatError, type ImportSummary } from '../import/dts/index';

const MAX_SOURCE_BYTES = 4 * 1024 * 1024;
const MAX_FILES = 2000;

export interface ImportCliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function usage(): string {
  return 'usage: npm run sim -- import dts <file.dts> [-I <dir>]... [--out scenario.json] [--kernel X.Y] [--json]';
}

export function summaryText(file: string, s: ImportSummary): string {
  const lines: string[] = [];
  lines.push(`${file}: ${s.nodes} nodes from ${s.files.length} file${s.files.length === 1 ? '' : 's'}${s.missingHeaders.length ? ` (not provided: ${s.missingHeaders.map((h) => `<${h}>`).join(', ')})` : ''}`);
  lines.push(`of_platform_default_populate_init: ${s.devices.length} platform device${s.devices.length === 1 ? '' : 's'}, ${s.amba.length} AMBA (not modelled), ${s.disabled.length} disabled, ${s.declared.length} claimed early by OF_DECLARE, ${s.skipped.length} skipped`);
  for (const d of s.devices) lines.push(`  device    ${d.parent ?? '/devices/platform'}/${d.name}  ${d.modalias}`);
  for (const a of s.amba) lines.push(`  amba      ${a.name}  ${a.path} (the amba bus is not modelled)`);
  for (const d of s.disabled) lines.push(`  disabled  ${d.path}  status = "${d.status}"`);
  for (const d of s.declared) lines.push(`  early     ${d.path}  ${d.by}`);
  for (const d of s.skipped) lines.push(`  skipped   ${d.path}  ${d.why}`);
  return lines.join('\n') + '\n';
}

export function runImportDts(argv: string[]): ImportCliResult {
  const args = [...argv];
  const includeDirs: string[] = [];
  let outFile: string | null = null;
  let kernel: string | undefined;
  let json = false;
  const positional: string[] = [];
  const bad = (msg: string): ImportCliResult => ({ code: 2, stdout: '', stderr: `bindscope import dts: ${msg}\n${usage()}\n` });
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = () => {
      const v = args[++i];
      return v === undefined || v.startsWith('--') ? null : v;
    };
    if (a === '-I' || a === '--include') {
      const v = value();
      if (v === null) return bad(`${a} needs a directory`);
      includeDirs.push(v);
    } else if (a.startsWith('-I') && a.length > 2) includeDirs.push(a.slice(2));
    else if (a === '--out' || a === '-o') {
      const v = value();
      if (v === null) return bad(`${a} needs a file name`);
      outFile = v;
    } else if (a === '--kernel') {
      const v = value();
      if (v === null || !/^\d+\.\d+$/.test(v)) return bad('--kernel needs a version such as 6.18');
      kernel = v;
    } else if (a === '--json') json = true;
    else if (a.startsWith('-')) return bad(`unknown option ${a}`);
    else positional.push(a);
  }
  if (positional.length !== 1) return bad(positional.length ? `one .dts file, not ${positional.length}` : 'which .dts file?');
  const main = positional[0]!;
  let count = 0;
  const read = (path: string): string | undefined => {
    try {
      const st = statSync(path);
      if (!st.isFile()) return undefined;
      if (st.size > MAX_SOURCE_BYTES) throw new Error(`${path} is ${st.size} bytes: sources are limited to ${MAX_SOURCE_BYTES} bytes`);
      if (++count > MAX_FILES) throw new Error(`more than ${MAX_FILES} files read: an include loop?`);
      return readFileSync(path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
      throw e;
    }
  };
  let r;
  try {
    r = importDts({ read }, main, { includeDirs, ...(kernel ? { kernelVersion: kernel } : {}) });
  } catch (e) {
    return { code: 2, stdout: '', stderr: `bindscope import dts: ${(e as Error).message}\n` };
  }
  if (!r.ok) return { code: 2, stdout: '', stderr: r.errors.slice(0, 50).map((e) => formatError(e) + '\n').join('') + (r.errors.length > 50 ? `… and ${r.errors.length - 50} more\n` : '') };
  const text = JSON.stringify(r.scenario, null, 2) + '\n';
  const summary = json ? JSON.stringify(r.summary, null, 2) + '\n' : summaryText(main, r.summary);
  if (outFile) {
    try {
      writeFileSync(outFile, text);
    } catch (e) {
      return { code: 2, stdout: '', stderr: `bindscope import dts: cannot write ${outFile}: ${(e as Error).message}\n` };
    }
    return { code: 0, stdout: summary + (json ? '' : `wrote ${outFile}: run it with npm run sim -- ${outFile}\n`), stderr: '' };
  }
  return { code: 0, stdout: text, stderr: summary };
}
