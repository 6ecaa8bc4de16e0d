/**
 * Conformance against a real kernel: replays the golden traces of test/golden (Debian
 * 6.1.0-56-amd64, the `bsgold` test module) through the engine and requires the same uevent
 * sequence (action, devpath, subsystem, DRIVER, MODALIAS, extra variables such as SYNTH_UUID, in
 * order) and the same result for every sysfs command (success or the errno, and what the shell
 * printed). The BSGOLD_MARK `change` events on /module/bsgold are the test module's own markers,
 * not driver-core behaviour, and are skipped. SEQNUMs are compared by order, not value.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Simulation, type Snapshot, type UeventRecord } from '../index';
import { strerror } from '../core/errno';
import goldenUevents from '../../../test/golden/uevents.json';
import { GOLDEN_IDS, goldenCase, shellToActions, type GoldenId } from './golden-scenarios';

interface GoldenUevent {
  seqnum: number;
  action: string;
  devpath: string;
  subsystem: string;
  driver: string | null;
  modalias: string | null;
  extra?: Record<string, string>;
}

interface Comparable {
  action: string;
  devpath: string;
  subsystem: string;
  driver: string | null;
  modalias: string | null;
  extra: Record<string, string>;
}

const isMarker = (e: GoldenUevent) => e.devpath === '/module/bsgold' && e.action === 'change' && !!e.extra?.BSGOLD_MARK;

function fromGolden(e: GoldenUevent): Comparable {
  return { action: e.action, devpath: e.devpath, subsystem: e.subsystem, driver: e.driver, modalias: e.modalias, extra: { ...(e.extra ?? {}) } };
}

const CORE_KEYS = new Set(['ACTION', 'DEVPATH', 'SUBSYSTEM', 'SEQNUM', 'DRIVER', 'MODALIAS']);

function fromEngine(u: UeventRecord): Comparable {
  const get = (key: string) => u.env.find(([k]) => k === key)?.[1] ?? null;
  const extra: Record<string, string> = {};
  for (const [k, v] of u.env) if (!CORE_KEYS.has(k)) extra[k] = v;
  return { action: u.action, devpath: u.devpath, subsystem: u.subsystem, driver: get('DRIVER'), modalias: get('MODALIAS'), extra };
}

/** the errno a failing `sh` write reports, from its "sh: write error: <strerror>" line */
function goldenErrno(output: string[]): number | null {
  const line = output.find((l) => l.startsWith('sh: write error: '));
  if (!line) return null;
  const text = line.slice('sh: write error: '.length);
  for (let n = 1; n < 600; n++) if (strerror(n) === text) return -n;
  throw new Error(`unknown strerror text "${text}"`);
}

/**
 * The console (GN.txt) prints the uevents each step caused under "---- uevents (<step>) ----":
 * the insmod, every sysfs command line, the rmmod. Returns the SEQNUMs per step, in order.
 */
function consoleSections(id: GoldenId): { name: string; seqnums: number[] }[] {
  const text = readFileSync(new URL(`../../../test/golden/${id}.txt`, import.meta.url), 'utf8');
  const out: { name: string; seqnums: number[] }[] = [];
  let cur: { name: string; seqnums: number[] } | null = null;
  for (const line of text.split('\n')) {
    if (line.startsWith('---- ALL UEVENTS')) break;
    const m = /^---- uevents \((.*)\) ----$/.exec(line);
    if (m) {
      cur = { name: m[1]!, seqnums: [] };
      if (m[1] !== 'pre-insmod baseline') out.push(cur);
      continue;
    }
    if (line.startsWith('----')) cur = null;
    const seq = /^UEVENT SEQNUM=(\d+) /.exec(line);
    if (seq && cur) cur.seqnums.push(Number(seq[1]));
  }
  return out;
}

/** what one "==== SYSFS DUMP ====" block of the console shows, normalised for comparison */
interface SysfsDump {
  /** `find /sys/devices/platform /sys/bus/platform/drivers/bsg* /sys/bus/auxiliary -maxdepth 3 | grep -i bsg` */
  find: string[];
  /** `ls -l /sys/bus/platform/devices | grep bsg`, `ls -l /sys/bus/auxiliary/devices`: "name -> target" */
  platformDevices: string[];
  auxiliaryDevices: string[];
  auxiliaryDrivers: string[];
  /** per "## DEVICE <dir>": its entries, the driver and subsystem links, the uevent file, modalias, driver_override */
  devices: Record<string, { entries: string[]; driver: string; subsystem: string; uevent: string[]; modalias: string; driverOverride?: string }>;
  /** per "## DRIVER <dir>": `ls -l` of the driver's directory ("name" or "name -> target") */
  drivers: Record<string, string[]>;
}

/**
 * runtime-PM attributes under power/ are not modelled (the engine has the power/ directory only),
 * so paths below a power/ directory are left out on both sides
 */
const notPowerAttr = (p: string) => !/\/power\//.test(p);

function lsName(line: string): string {
  const m = /^\s*[-dl][rwx-]{9}\s+\d+\s+\S+\s+\S+\s+\d+\s+\w{3}\s+\d+\s+[\d:]+\s+(.*)$/.exec(line);
  if (!m) throw new Error(`not an ls -l line: "${line}"`);
  return m[1]!;
}

/** the dumps in GN.txt, each with the index of the console step it follows (0 = insmod) */
function consoleDumps(id: GoldenId): { name: string; afterStep: number; dump: SysfsDump }[] {
  const lines = readFileSync(new URL(`../../../test/golden/${id}.txt`, import.meta.url), 'utf8').split('\n');
  const out: { name: string; afterStep: number; dump: SysfsDump }[] = [];
  let step = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('---- ALL UEVENTS')) break;
    const sec = /^---- uevents \((.*)\) ----$/.exec(line);
    if (sec && sec[1] !== 'pre-insmod baseline') step++;
    const start = /^==== SYSFS DUMP: (.*) ====$/.exec(line);
    if (!start) continue;
    const dump: SysfsDump = { find: [], platformDevices: [], auxiliaryDevices: [], auxiliaryDrivers: [], devices: {}, drivers: {} };
    let section = '';
    let device = '';
    let driver = '';
    let inUevent = false;
    for (i++; i < lines.length && !lines[i]!.startsWith('==== END SYSFS DUMP'); i++) {
      const l = lines[i]!;
      if (l.startsWith('## ')) {
        section = l;
        inUevent = false;
        const d = /^## DEVICE (\S+)$/.exec(l);
        if (d) dump.devices[(device = d[1]!)] = { entries: [], driver: '', subsystem: '', uevent: [], modalias: '' };
        const r = /^## DRIVER (\S+)$/.exec(l);
        if (r) dump.drivers[(driver = r[1]!)] = [];
        continue;
      }
      if (section.startsWith('## find')) { if (notPowerAttr(l)) dump.find.push(l); continue; }
      if (section.startsWith('## ls -l /sys/bus/platform/devices')) { dump.platformDevices.push(lsName(l)); continue; }
      if (section.startsWith('## ls -l /sys/bus/auxiliary/devices')) { if (!l.startsWith('total')) dump.auxiliaryDevices.push(lsName(l)); continue; }
      if (section.startsWith('## ls /sys/bus/auxiliary/drivers')) { dump.auxiliaryDrivers.push(...l.split(/\s+/).filter(Boolean)); continue; }
      if (section.startsWith('## DEVICE')) {
        const dv = dump.devices[device]!;
        let m: RegExpExecArray | null;
        if ((m = /^ {3}entries: (.*)$/.exec(l))) { dv.entries = m[1]!.trim().split(/\s+/); inUevent = false; }
        else if ((m = /^ {3}driver -> (.*)$/.exec(l))) dv.driver = m[1]!;
        else if ((m = /^ {3}subsystem -> (.*)$/.exec(l))) dv.subsystem = m[1]!;
        else if (l === '   uevent file:') inUevent = true;
        else if (inUevent && /^ {6}\S/.test(l)) dv.uevent.push(l.trim());
        else if ((m = /^ {3}modalias: (.*)$/.exec(l))) { dv.modalias = m[1]!; inUevent = false; }
        else if ((m = /^ {3}driver_override: (.*)$/.exec(l))) dv.driverOverride = m[1]!;
        else throw new Error(`unexpected DEVICE line: "${l}"`);
        continue;
      }
      if (section.startsWith('## DRIVER')) {
        if (/^ {3}[-dl][rwx-]{9}/.test(l)) dump.drivers[driver]!.push(lsName(l));
        continue; // "has X" / "NO X" / "module ->" restate the ls -l listing
      }
      throw new Error(`unexpected dump line in section "${section}": "${l}"`);
    }
    for (const k of ['find', 'platformDevices', 'auxiliaryDevices', 'auxiliaryDrivers'] as const) dump[k].sort();
    for (const k of Object.keys(dump.drivers)) dump.drivers[k]!.sort();
    out.push({ name: start[1]!, afterStep: step, dump });
  }
  return out;
}

/** the same dump, computed from an engine snapshot; devices and drivers are the ones the console dumped */
/** `ueventFile`: a device's uevent file at the snapshot's step (Simulation.ueventFile) */
function engineDump(snap: Snapshot, ueventFile: (devpath: string) => string[] | null, deviceDirs: string[], driverDirs: string[]): SysfsDump {
  const entries = snap.sysfs.map((e) => {
    const [path, target] = e.split(' -> ');
    return { path: path!, target: target ?? null };
  });
  const byPath = new Map(entries.map((e) => [e.path, e]));
  const children = (dir: string) => entries.filter((e) => e.path.startsWith(dir + '/') && !e.path.slice(dir.length + 1).includes('/'));
  const within = (root: string, p: string) => p === root || (p.startsWith(root + '/') && p.slice(root.length + 1).split('/').length <= 3);
  const roots = ['/sys/devices/platform', '/sys/bus/auxiliary', ...entries.map((e) => e.path).filter((p) => /^\/sys\/bus\/platform\/drivers\/bsg[^/]*$/.test(p))];
  const find = [...new Set(entries.map((e) => e.path).filter((p) => roots.some((r) => within(r, p)) && /bsg/i.test(p) && notPowerAttr(p)))].sort();
  const links = (dir: string, filter: (n: string) => boolean) =>
    children(dir).filter((e) => filter(e.path.slice(dir.length + 1))).map((e) => `${e.path.slice(dir.length + 1)}${e.target ? ` -> ${e.target}` : ''}`).sort();
  const devices: SysfsDump['devices'] = {};
  for (const dir of deviceDirs) {
    const view = snap.devices.find((d) => `/sys${d.devpath}` === dir);
    if (!view) continue;
    const names = children(dir).map((e) => e.path.slice(dir.length + 1)).sort();
    devices[dir] = {
      entries: names,
      driver: byPath.get(`${dir}/driver`)?.target ?? '(no driver link)',
      subsystem: byPath.get(`${dir}/subsystem`)?.target ?? '(no subsystem link)',
      uevent: ueventFile(view.devpath) ?? [],
      modalias: names.includes('modalias') ? view.modalias ?? '' : '(absent)',
      ...(names.includes('driver_override') ? { driverOverride: `'${view.driverOverride ?? '(null)'}'` } : {}),
    };
  }
  const drivers: SysfsDump['drivers'] = {};
  for (const dir of driverDirs) if (byPath.has(dir)) drivers[dir] = links(dir, () => true);
  return {
    find,
    platformDevices: links('/sys/bus/platform/devices', (n) => /bsg/.test(n)),
    auxiliaryDevices: links('/sys/bus/auxiliary/devices', () => true),
    auxiliaryDrivers: children('/sys/bus/auxiliary/drivers').map((e) => e.path.slice('/sys/bus/auxiliary/drivers/'.length)).sort(),
    devices,
    drivers,
  };
}

function run(id: GoldenId) {
  const c = goldenCase(id);
  const sim = new Simulation(c.scenario);
  return { c, sim };
}

describe('golden traces from Linux 6.1 (test/golden)', () => {
  it('translates every recorded shell command', () => {
    for (const id of GOLDEN_IDS) for (const w of goldenCase(id).steps) expect(() => shellToActions(w.write.cmd)).not.toThrow();
    expect(shellToActions('echo > /sys/x')).toEqual([{ action: { op: 'write', path: '/sys/x', value: '\n' } }]);
    expect(shellToActions('printf a > /sys/x')).toEqual([{ action: { op: 'write', path: '/sys/x', value: 'a' } }]);
  });

  for (const id of GOLDEN_IDS) {
    describe(id, () => {
      const { c, sim } = run(id);

      it('is a valid scenario on kernel 6.1', () => {
        expect(sim.errors).toEqual([]);
        expect(c.scenario.kernel.version).toBe('6.1');
      });

      it('emits the same uevents in the same order', () => {
        const golden = (goldenUevents as Record<string, GoldenUevent[]>)[id]!;
        const seqs = golden.map((e) => e.seqnum);
        expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
        const expected = golden.filter((e) => !isMarker(e)).map(fromGolden);

        const start = sim.actionStarts[c.modprobeAction]!;
        const before = sim.stateAt(start - 1).uevents.length;
        const engine = sim.stateAt(sim.lastStep).uevents.slice(before);
        const engineSeqs = engine.map((u) => u.seq);
        for (let i = 1; i < engineSeqs.length; i++) expect(engineSeqs[i]!).toBeGreaterThan(engineSeqs[i - 1]!);
        for (const u of engine) expect(u.env.at(-1)).toEqual(['SEQNUM', String(u.seq)]);
        expect(engine.map(fromEngine)).toEqual(expected);
      });

      it('emits each uevent during the same step (insmod, each sysfs command, rmmod)', () => {
        const golden = (goldenUevents as Record<string, GoldenUevent[]>)[id]!;
        const bySeq = new Map(golden.map((e) => [e.seqnum, e]));
        const sections = consoleSections(id);
        const names = ['insmod', ...c.steps.map((st) => st.write.action), 'rmmod'];
        expect(sections.map((x, i) => (i === 0 ? x.name.replace(/ scenario=\d+$/, '') : x.name))).toEqual(names);
        const want = sections.map((x, i) => ({
          step: names[i],
          uevents: x.seqnums.map((n) => bySeq.get(n)!).filter((e) => !isMarker(e)).map(fromGolden),
        }));

        // engine: which scenario action was running when each uevent was sent
        const starts = sim.actionStarts;
        const actionToStep = new Map<number, number>([[c.modprobeAction, 0]]);
        c.steps.forEach((st, i) => st.parts.forEach((p) => actionToStep.set(p.action, i + 1)));
        actionToStep.set(starts.length - 1, names.length - 1);
        const got = names.map((step) => ({ step, uevents: [] as Comparable[] }));
        for (const ev of sim.summary().events) {
          if (!ev.uevent || ev.index < starts[c.modprobeAction]!) continue;
          let action = -1;
          starts.forEach((s, i) => { if (s <= ev.index) action = i; });
          got[actionToStep.get(action)!]!.uevents.push(fromEngine(ev.uevent));
        }
        expect(got).toEqual(want);
      });


      it('logs the same driver-core messages (dmesg lines other than the bsgold module\'s own)', () => {
        const text = readFileSync(new URL(`../../../test/golden/${id}.txt`, import.meta.url), 'utf8');
        const want: string[] = [];
        let inDmesg = false;
        for (const line of text.split('\n')) {
          if (line.startsWith('---- ALL UEVENTS')) break;
          if (/^---- dmesg \((?!pre-insmod)/.test(line)) { inDmesg = true; continue; }
          if (line.startsWith('---- ')) { inDmesg = false; continue; }
          const m = /^\[\s*[\d.]+\] (.*)$/.exec(line);
          if (inDmesg && m && !m[1]!.startsWith('bsgold: ')) want.push(m[1]!);
        }
        const before = sim.stateAt(sim.actionStarts[c.modprobeAction]! - 1).log.length;
        expect(sim.stateAt(sim.lastStep).log.slice(before)).toEqual(want);
      });

      it('shows the same sysfs at every dump point (devices, links, uevent files, driver directories)', () => {
        const dumps = consoleDumps(id);
        expect(dumps.length).toBeGreaterThan(1);
        // the state after console step n: insmod = 0, the sysfs command lines, rmmod = last
        const stepActions = [[c.modprobeAction], ...c.steps.map((st) => st.parts.map((p) => p.action)), [sim.actionStarts.length - 1]];
        for (const d of dumps) {
          const lastAction = stepActions[d.afterStep]!.at(-1)!;
          const end = lastAction + 1 < sim.actionStarts.length ? sim.actionStarts[lastAction + 1]! - 1 : sim.lastStep;
          const got = engineDump(sim.stateAt(end), (p) => sim.ueventFile(end, p), Object.keys(d.dump.devices), Object.keys(d.dump.drivers));
          expect({ at: d.name, ...got }).toEqual({ at: d.name, ...d.dump });
        }
      });

      if (c.steps.length > 0) {
        it('gives the same result for every sysfs command', () => {
          const results = sim.actionResults;
          const got = c.steps.map((st) => {
            const parts = st.parts.map((p) => ({ ...p, res: results[p.action]! }));
            // the shell ran `|| b` only when `a` failed; the kernel's `a` succeeded, so must ours
            for (const p of parts) if (p.orElse) expect(p.res.rc, `${st.write.cmd}: "${p.orElse}" would have run`).toBe(0);
            const last = parts.at(-1)!.res;
            return {
              action: st.write.action,
              failed: last.rc !== 0,
              errno: last.rc === 0 ? null : last.rc,
              output: parts.flatMap((p) => p.res.output),
            };
          });
          const want = c.steps.map((st) => ({
            action: st.write.action,
            failed: st.write.rc !== 0,
            errno: st.write.rc === 0 ? null : goldenErrno(st.write.output),
            output: st.write.output,
          }));
          expect(got).toEqual(want);
        });
      }
    });
  }
});
