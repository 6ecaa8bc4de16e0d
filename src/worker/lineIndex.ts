/**
 * Where each uevent's lines start in the udevadm monitor text (engine/trace/format.ts
 * formatUeventLog): the monitor tab is windowed and paged by line, and a step's snapshot says
 * how many lines the text has then (protocol.ts ListCounts.monitorLines). The uevent log only
 * grows, so the index is built once per run, as far as a step has needed it. Counting needs no
 * formatting (this is in the worker's main chunk, on the step path); the lines themselves are
 * made by lists.ts, loaded when the tab first asks for them. Pure; tested in lists.test.ts.
 */
import type { UeventRecord } from '../engine/api';
import type { UeventList } from '../engine/trace/ueventlog';

/** lines of the header formatUeventLog puts before the first uevent (lists.ts MONITOR_HEAD) */
export const HEAD_LINES = 3;

/** newlines in a string (a name from input may hold one: it is one more line of the text) */
function newlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/** lines of one uevent in the monitor: its head, one per variable, and the blank line after it */
export function ueventLines(u: UeventRecord): number {
  let n = 2 + u.env.length + newlines(u.devpath) + newlines(u.subsystem);
  for (const [k, v] of u.env) n += newlines(k) + newlines(v);
  return n;
}

/**
 * ueventLines of uevent i of `all`, from its columns when it has them (no record built: the line
 * count at a run's last step reads every uevent, ~440k at 100k devices). The head line shows the
 * devpath and subsystem, the env's second and third values.
 */
export function ueventLinesAt(all: UeventList, i: number): number {
  if (!all.eachEnv) return ueventLines(all.at(i)!);
  let n = 2;
  all.eachEnv(i, (k, v, place) => {
    const nl = newlines(v);
    n += 1 + newlines(k) + (place === 1 || place === 2 ? 2 * nl : nl);
  });
  return n;
}

export class MonitorIndex {
  /** starts[i]: the line (after the header) where uevent i begins; starts[length - 1] is where the last indexed one ends */
  private starts = new Float64Array(1024);
  private indexed = 0;

  constructor(private readonly all: UeventList) {}

  /** line (after the header) where uevent i begins, i ≤ the number of uevents */
  start(i: number): number {
    if (i > this.indexed) this.extend(i);
    return this.starts[i]!;
  }

  /** lines of the monitor text once `n` uevents were sent (0: none; the tab says so itself) */
  lineCount(n: number): number {
    return n > 0 ? HEAD_LINES + this.start(n) : 0;
  }

  private extend(to: number): void {
    if (to >= this.starts.length) {
      const grown = new Float64Array(Math.max(to + 1, this.starts.length * 2));
      grown.set(this.starts);
      this.starts = grown;
    }
    for (let i = this.indexed; i < to; i++) this.starts[i + 1] = this.starts[i]! + ueventLinesAt(this.all, i);
    this.indexed = to;
  }
}
