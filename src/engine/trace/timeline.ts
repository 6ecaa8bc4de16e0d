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
    const ev = this.live.events;
    while (this.pos < target) {
      this.pos++;
      for (const p of ev[this.pos]!.patches) this.cursor.state.applyPatch(p, true);
    }
    while (this.pos > target) {
      const patches = ev[this.pos]!.patches;
      for (let i = patches.length - 1; i >= 0; i--) this.cursor.state.applyPatch(patches[i]!, false);
      this.pos--;
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
    const ev = this.live.events[Math.min(step, this.length - 1)]!;
    return { uevents: ev.ueventCount, log: ev.logCount };
  }
}
