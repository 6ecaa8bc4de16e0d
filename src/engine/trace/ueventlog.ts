/**
 * The uevents the kernel sent (lib/kobject_uevent.c kobject_uevent_env), as columns: one row per
 * uevent — its SEQNUM, action, DEVPATH, SUBSYSTEM and where its own variables begin in two flat
 * columns of their keys and values (strings shared between uevents). A UeventRecord (env in kernel order: ACTION, DEVPATH,
 * SUBSYSTEM, the variables, SEQNUM) is built when one is read (`at`, `slice`, `all`). A 100k-device
 * run sends ~440k uevents; as objects (the record, its env array, its SEQNUM pair and string) they
 * were ~220 bytes each, a seventh of the run's heap, all of it for the collector to walk.
 */
import type { UeventRecord } from '../api';
import { ByteColumn, ChunkedList, IntColumn } from '../core/state';
import { sliceRows } from './eventlog';

type Action = UeventRecord['action'];
const ACTIONS: readonly Action[] = ['add', 'remove', 'change', 'bind', 'unbind', 'move', 'online', 'offline'];
const ACTION_ID = new Map<Action, number>(ACTIONS.map((a, i) => [a, i]));

/** what reading a list of uevents needs: an array is one too (tests, snapshots) */
export interface UeventList {
  readonly length: number;
  at(i: number): UeventRecord | undefined;
  slice(from?: number, to?: number): UeventRecord[];
  /** uevent i's env in order (ACTION, DEVPATH, SUBSYSTEM, its variables, SEQNUM) without building its record (UeventLog's columns) */
  eachEnv?(i: number, fn: (key: string, value: string, place: number) => void): void;
}

type Pair = readonly [string, string];
const asGiven = (v: Pair): Pair => v;

export class UeventLog implements UeventList {
  private readonly seq = new IntColumn(1024);
  private readonly action = new ByteColumn(1024);
  private readonly devpath = new ChunkedList<string>();
  private readonly subsystemId = new IntColumn(1024);
  private readonly subsystems: string[] = [];
  private readonly subsystemIds = new Map<string, number>();
  /** every uevent's own variables in a row, as keys and values (strings shared between uevents, no pair kept); varAt(i) is where uevent i's begin */
  private readonly varKey = new ChunkedList<string>();
  private readonly varValue = new ChunkedList<string>();
  private readonly varAt = new IntColumn(1024);

  get length(): number {
    return this.devpath.length;
  }

  /**
   * Record a uevent; `vars` are its variables between SUBSYSTEM and SEQNUM, their keys and values
   * kept as `share` returns them (Kernel.shareVar: the strings of the uevents that carry the same
   * variable; by default as given). No pair is kept. Returns the uevent's index.
   */
  push(seq: number, action: Action, devpath: string, subsystem: string, vars: readonly Pair[], share: (v: Pair, devpath: string) => Pair = asGiven): number {
    const a = ACTION_ID.get(action);
    if (a === undefined) throw new Error(`unknown uevent action ${action}`);
    let s = this.subsystemIds.get(subsystem);
    if (s === undefined) {
      s = this.subsystems.length;
      this.subsystems.push(subsystem);
      this.subsystemIds.set(subsystem, s);
    }
    this.seq.push(seq);
    this.action.push(a);
    this.devpath.push(devpath);
    this.subsystemId.push(s);
    this.varAt.push(this.varKey.length);
    for (let j = 0; j < vars.length; j++) {
      const v = share(vars[j]!, devpath);
      this.varKey.push(v[0]);
      this.varValue.push(v[1]);
    }
    return this.devpath.length - 1;
  }

  actionAt(i: number): Action {
    return ACTIONS[this.action.at(i)]!;
  }

  devpathAt(i: number): string {
    return this.devpath.at(i);
  }

  /** the value of the first variable `key` uevent i carries between SUBSYSTEM and SEQNUM, if any */
  varOf(i: number, key: string): string | undefined {
    const end = this.varEnd(i);
    for (let j = this.varAt.at(i); j < end; j++) if (this.varKey.at(j) === key) return this.varValue.at(j);
    return undefined;
  }

  private varEnd(i: number): number {
    return i + 1 < this.length ? this.varAt.at(i + 1) : this.varKey.length;
  }

  /** uevent i as a record (undefined outside the log, like an array's `at` past its end) */
  at(i: number): UeventRecord | undefined {
    if (!Number.isInteger(i) || i < 0 || i >= this.length) return undefined;
    const seq = this.seq.at(i);
    const action = this.actionAt(i);
    const devpath = this.devpath.at(i);
    const subsystem = this.subsystems[this.subsystemId.at(i)]!;
    const start = this.varAt.at(i);
    const end = this.varEnd(i);
    const env = new Array<[string, string]>(end - start + 4);
    env[0] = ['ACTION', action];
    env[1] = ['DEVPATH', devpath];
    env[2] = ['SUBSYSTEM', subsystem];
    for (let j = start; j < end; j++) env[j - start + 3] = [this.varKey.at(j), this.varValue.at(j)];
    env[env.length - 1] = ['SEQNUM', String(seq)];
    return { seq, action, devpath, subsystem, env };
  }

  /** `at(i).env`'s pairs in order, read from the columns (nothing built but SEQNUM's text), for 0 ≤ i < length */
  eachEnv(i: number, fn: (key: string, value: string, place: number) => void): void {
    const start = this.varAt.at(i);
    const end = this.varEnd(i);
    fn('ACTION', this.actionAt(i), 0);
    fn('DEVPATH', this.devpath.at(i), 1);
    fn('SUBSYSTEM', this.subsystems[this.subsystemId.at(i)]!, 2);
    for (let j = start; j < end; j++) fn(this.varKey.at(j), this.varValue.at(j), j - start + 3);
    fn('SEQNUM', String(this.seq.at(i)), end - start + 3);
  }

  /** uevents [from, to), the bounds read as Array.prototype.slice reads them */
  slice(from = 0, to: number = this.length): UeventRecord[] {
    return sliceRows(this.length, from, to, (i) => this.at(i)!);
  }

  /** every uevent, built now */
  all(): UeventRecord[] {
    return this.slice(0);
  }
}
