/**
 * Time travel: a cursor kernel that moves between steps by applying the recorded patches forward
 * or backward, so scrubbing costs the distance moved, never a replay from scratch.
 */
import { Kernel } from '../core/kernel';
import type { Snapshot } from '../api';
import type { Discovery } from '../firmware/discovery';
import { SnapshotViews } from './views';

export class Timeline {
  readonly cursor: Kernel;
  /** the cursor's state is the state after event `pos` (-1: before the first event) */
  pos = -1;

  private views: SnapshotViews | null = null;

  constructor(readonly live: Kernel, private readonly discovery: Discovery) {
    this.cursor = new Kernel(live.scenario, live.facts);
    for (const [name, bt] of live.busTypes) this.cursor.busTypes.set(name, bt);
    // share the append-only logs; snapshots slice them by count
    (this.cursor as { uevents: unknown }).uevents = live.uevents;
    (this.cursor as { log: unknown }).log = live.log;
  }

  get length(): number {
    return this.live.events.length;
  }

  /** move the cursor to the state after event `step` */
  seek(step: number): Kernel {
    const target = Math.max(-1, Math.min(step, this.length - 1));
    const log = this.live.state.journal;
    const state = this.cursor.state;
    if (this.pos < target) {
      // the patches of events pos+1 .. target, in order
      const end = log.end(target);
      for (let j = log.start(this.pos + 1); j < end; j++) log.apply(state, j, true);
      this.pos = target;
    } else if (this.pos > target) {
      // the patches of events target+1 .. pos, undone last first
      const start = log.start(target + 1);
      for (let j = log.end(this.pos) - 1; j >= start; j--) log.apply(state, j, false);
      this.pos = target;
    }
    // the deferred active list is not journaled: it is empty at every boundary; show pending ones only
    this.cursor.deferredActive = [];
    return this.cursor;
  }

  /** the state after event `step`, kept up to date incrementally (trace/views.ts) */
  snapshot(step: number): Snapshot {
    const k = this.seek(step);
    if (!this.views) this.views = new SnapshotViews(k, this.discovery);
    const c = this.counts(this.pos);
    return this.views.snapshot(this.pos, c.uevents, c.log);
  }

  counts(step: number): { uevents: number; log: number } {
    if (step < 0) return { uevents: 0, log: 0 };
    const i = Math.min(step, this.length - 1);
    return { uevents: this.live.ueventCounts.at(i), log: this.live.logCounts.at(i) };
  }
}
