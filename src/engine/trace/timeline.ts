/**
 * Time travel: a cursor kernel that moves between steps by applying the recorded patches forward
 * or backward, so scrubbing costs the distance moved, never a replay from scratch.
 *
 * Long jumps go through checkpoints: the first time the cursor moves forward through the trace it
 * keeps, every `spacing` patches, a copy of its tables (references to the immutable records, not
 * the records). A jump restores the checkpoint nearest the target when that is cheaper than
 * walking, by applying only the records that differ (so the snapshot index sees a normal move),
 * then walks the patches left. Nothing is taken during the run itself.
 */
import { Kernel } from '../core/kernel';
import type { JournaledState, Misc } from '../core/state';
import type { Snapshot } from '../api';
import type { Discovery } from '../firmware/discovery';
import { SnapshotViews } from './views';

type Tables = Pick<JournaledState, 'devices' | 'drivers' | 'modules' | 'buses' | 'files'>;
const TABLE_NAMES = ['devices', 'drivers', 'modules', 'buses', 'files'] as const;

interface Checkpoint {
  /** the state after event `pos` */
  pos: number;
  tables: { [T in keyof Tables]: Map<string, unknown> };
  misc: Misc;
}

/** checkpoints per trace at most (their memory: references to the records of the state, each) */
const MAX_CHECKPOINTS = 48;
/** no checkpoints closer than this many patches: walking that far is cheaper than a restore */
const MIN_SPACING = 8192;

export class Timeline {
  readonly cursor: Kernel;
  /** the cursor's state is the state after event `pos` (-1: before the first event) */
  pos = -1;

  private views: SnapshotViews | null = null;
  private readonly checkpoints: Checkpoint[] = [];
  /** patches between checkpoints */
  private readonly spacing: number;

  constructor(readonly live: Kernel, private readonly discovery: Discovery, opts: { spacing?: number } = {}) {
    this.cursor = new Kernel(live.scenario, live.facts);
    for (const [name, bt] of live.busTypes) this.cursor.busTypes.set(name, bt);
    // share the append-only logs; snapshots slice them by count
    (this.cursor as { uevents: unknown }).uevents = live.uevents;
    (this.cursor as { log: unknown }).log = live.log;
    // the cursor records no events: its trace is the live one (whose rows point into live.log)
    (this.cursor as { events: unknown }).events = live.events;
    this.spacing = opts.spacing ?? Math.max(MIN_SPACING, Math.ceil(live.state.journal.length / MAX_CHECKPOINTS));
  }

  /** jumps that went through a checkpoint (for the benchmark and tests) */
  restores = 0;

  /** checkpoints kept so far (for the benchmark and tests) */
  get checkpointCount(): number {
    return this.checkpoints.length;
  }

  get length(): number {
    return this.live.events.length;
  }

  /** move the cursor to the state after event `step` */
  seek(step: number): Kernel {
    const target = Math.max(-1, Math.min(step, this.length - 1));
    if (target !== this.pos) {
      const ck = this.nearestCheckpoint(target);
      if (ck && this.restoreCost(ck) + this.distance(ck.pos, target) < this.distance(this.pos, target)) this.restore(ck);
      this.walk(target);
    }
    // the deferred active list is not journaled: it is empty at every boundary; show pending ones only
    this.cursor.deferredActive = [];
    return this.cursor;
  }

  /** apply the patches between pos and target, one event at a time, keeping checkpoints going forward */
  private walk(target: number): void {
    const log = this.live.state.journal;
    const state = this.cursor.state;
    while (this.pos < target) {
      const i = ++this.pos;
      const end = log.end(i);
      for (let j = log.start(i); j < end; j++) log.apply(state, j, true);
      const last = this.checkpoints[this.checkpoints.length - 1];
      if (end - (last ? log.end(last.pos) : 0) >= this.spacing && (!last || i > last.pos)) this.save(i);
    }
    if (this.pos > target) {
      // the patches of events target+1 .. pos, undone last first
      const start = log.start(target + 1);
      for (let j = log.end(this.pos) - 1; j >= start; j--) log.apply(state, j, false);
      this.pos = target;
    }
  }

  /** patches between two positions */
  private distance(a: number, b: number): number {
    const log = this.live.state.journal;
    const at = (p: number) => (p < 0 ? 0 : log.end(p));
    return Math.abs(at(a) - at(b));
  }

  private save(pos: number): void {
    const st = this.cursor.state;
    const tables = {} as Checkpoint['tables'];
    for (const t of TABLE_NAMES) tables[t] = new Map(st[t] as Map<string, unknown>);
    this.checkpoints.push({ pos, tables, misc: { ...st.misc } });
  }

  private nearestCheckpoint(target: number): Checkpoint | null {
    let best: Checkpoint | null = null;
    for (const c of this.checkpoints) if (!best || this.distance(c.pos, target) < this.distance(best.pos, target)) best = c;
    return best;
  }

  /** a restore compares every record of both states */
  private restoreCost(ck: Checkpoint): number {
    let n = 0;
    for (const t of TABLE_NAMES) n += ck.tables[t].size + (this.cursor.state[t] as Map<string, unknown>).size;
    return n / 4;
  }

  /** make the cursor's state the checkpoint's, changing only the records that differ */
  private restore(ck: Checkpoint): void {
    const st = this.cursor.state;
    for (const t of TABLE_NAMES) {
      const cur = st[t] as Map<string, unknown>;
      const want = ck.tables[t];
      const gone: string[] = [];
      for (const key of cur.keys()) if (!want.has(key)) gone.push(key);
      for (const key of gone) st.applyChange(t, key, undefined);
      for (const [key, v] of want) if (cur.get(key) !== v) st.applyChange(t, key, v);
    }
    for (const [key, v] of Object.entries(ck.misc)) st.applyChange('misc', key, v);
    this.pos = ck.pos;
    this.restores++;
  }

  /** the state after event `step`, kept up to date incrementally (trace/views.ts) */
  snapshot(step: number): Snapshot {
    const k = this.seek(step);
    if (!this.views) this.views = new SnapshotViews(k, this.discovery);
    const c = this.counts(this.pos);
    const at = this.pos;
    return this.views.snapshot(at, c.uevents, c.log, () => this.snapshot(at).sysfs);
  }

  counts(step: number): { uevents: number; log: number } {
    if (step < 0) return { uevents: 0, log: 0 };
    const i = Math.min(step, this.length - 1);
    return { uevents: this.live.ueventCounts.at(i), log: this.live.logCounts.at(i) };
  }
}
