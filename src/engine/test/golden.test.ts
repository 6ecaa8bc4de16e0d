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
import { Simulation, type UeventRecord } from '../index';
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
