/**
 * Time travel: a cursor kernel that moves between steps by applying the recorded patches forward
 * or backward, so scrubbing costs the distance moved, never a replay from scratch.
 *
 * Long jumps go through checkpoints. The cursor's state and its snapshot views live in
 * copy-on-write storage (trace/cow.ts): the first time the cursor moves forward through the trace
 * it freezes them every `spacing` patches, which keeps the chunks written since the last
 * checkpoint; a jump thaws the checkpoint nearest the target (its cost: the number of chunks and
 * the device list, not how much differs) and walks the patches left. Nothing is taken during the
 * run itself.
 */
import { Kernel } from '../core/kernel';
import { JournaledState, type Misc } from '../core/state';
import type { Snapshot } from '../api';
import type { Discovery } from '../firmware/discovery';
import { CursorStorage, type FrozenStore } from './cow';
import { SnapshotViews } from './views';

interface Checkpoint {
  /** the state after event `pos` (-1: the empty state before the first event) */
  pos: number;
  frozen: FrozenStore;
  misc: Misc;
}

/** checkpoints per trace at most (each keeps the chunks written since the one before) */
const MAX_CHECKPOINTS = 512;
/** no checkpoints closer than this many patches: walking that far is about as cheap as a restore */
const MIN_SPACING = 2048;

export class Timeline {
  readonly cursor: Kernel;
  /** the cursor's state is the state after event `pos` (-1: before the first event) */
  pos = -1;

  private readonly storage = new CursorStorage();
  private readonly views: SnapshotViews;
  private readonly checkpoints: Checkpoint[] = [];
  /** patches between checkpoints */
  private readonly spacing: number;

  constructor(readonly live: Kernel, private readonly discovery: Discovery, opts: { spacing?: number } = {}) {
    this.cursor = new Kernel(live.scenario, live.facts, new JournaledState(this.storage));
    for (const [name, bt] of live.busTypes) this.cursor.busTypes.set(name, bt);
    // share the append-only logs; snapshots slice them by count
    (this.cursor as { uevents: unknown }).uevents = live.uevents;
    (this.cursor as { log: unknown }).log = live.log;
    // the cursor records no events: its trace is the live one (whose rows point into live.log)
    (this.cursor as { events: unknown }).events = live.events;
    this.spacing = opts.spacing ?? Math.max(MIN_SPACING, Math.ceil(live.state.journal.length / MAX_CHECKPOINTS));
    this.views = new SnapshotViews(this.cursor, discovery, this.storage);
    this.save(-1);
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
      if (ck.pos !== this.pos && this.restoreCost() + this.distance(ck.pos, target) < this.distance(this.pos, target)) this.restore(ck);
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
      const last = this.checkpoints[this.checkpoints.length - 1]!;
      if (i > last.pos && end - this.patchesTo(last.pos) >= this.spacing) this.save(i);
    }
    if (this.pos > target) {
      // the patches of events target+1 .. pos, undone last first
      const start = log.start(target + 1);
      for (let j = log.end(this.pos) - 1; j >= start; j--) log.apply(state, j, false);
      this.pos = target;
    }
  }

  /** patches up to and including event p's */
  private patchesTo(p: number): number {
    return p < 0 ? 0 : this.live.state.journal.end(p);
  }

  /** patches between two positions */
  private distance(a: number, b: number): number {
    return Math.abs(this.patchesTo(a) - this.patchesTo(b));
  }

  /** a checkpoint: the views brought up to date (not their sorted lists, which a restore makes again), then everything frozen together */
  private save(pos: number): void {
    this.views.settle(false);
    this.checkpoints.push({ pos, frozen: this.storage.store.freeze(), misc: { ...this.cursor.state.misc } });
  }

  private nearestCheckpoint(target: number): Checkpoint {
    let best = this.checkpoints[0]!;
    for (const c of this.checkpoints) if (this.distance(c.pos, target) < this.distance(best.pos, target)) best = c;
    return best;
  }

  /** what a restore costs, in patches walked: the views put the device list back in order */
  private restoreCost(): number {
    const r = this.storage.registries;
    return (r.devices.keys.length + r.drivers.keys.length) / 32;
  }

  /** make the cursor's state and views the checkpoint's */
  private restore(ck: Checkpoint): void {
    this.storage.store.thaw(ck.frozen);
    this.cursor.state.forgetLast();
    this.cursor.state.misc = { ...ck.misc };
    this.views.restored();
    this.pos = ck.pos;
    this.restores++;
  }

  /** the state after event `step`, kept up to date incrementally (trace/views.ts) */
  snapshot(step: number): Snapshot {
    this.seek(step);
    const c = this.counts(this.pos);
    const at = this.pos;
    return this.views.snapshot(at, c.uevents, c.log, () => this.snapshot(at).sysfs);
  }

  counts(step: number): { uevents: number; log: number } {
    return this.live.events.countsAfter(step);
  }
}
