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
 *
 * The last step's state is the live run's own (its tables when the run ended): a seek that lands
 * nearer the end than any checkpoint loads them into the cursor (loadEnd) instead of walking the
 * whole journal, and keeps that as a checkpoint too. A first answer (the last step, the steps just
 * before the last removals: worker/union.ts layoutSteps) then costs the records at the end, not
 * every patch of the run; the checkpoints the forward walk would have made are made by `prepare`
 * (the worker calls it in slices once it has answered, the benchmark before it times jumps).
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

/** the tables loadEnd sets, every one but misc */
const LOADED_TABLES = ['buses', 'modules', 'drivers', 'devices', 'files'] as const;

export class Timeline {
  readonly cursor: Kernel;
  /** the cursor's state is the state after event `pos` (-1: before the first event) */
  pos = -1;

  private readonly storage = new CursorStorage();
  private readonly views: SnapshotViews;
  /** made by walking forward from the empty state, in step order */
  private readonly checkpoints: Checkpoint[] = [];
  /** the state after the last event, loaded from the live run's tables (loadEnd); null until a seek first wants it */
  private end: Checkpoint | null = null;
  /** the journal's keys are registered in the cursor's storage (registerKeys) */
  private keysRegistered = false;
  /** patches between checkpoints */
  private readonly spacing: number;

  /** whether a seek may load the last step's state (loadEnd); off, the cursor only walks (the reference the end load is tested against) */
  private readonly mayLoadEnd: boolean;

  /** `spacing`: patches between checkpoints; `loadEnd` false: reach the last step by walking, like any other */
  constructor(readonly live: Kernel, private readonly discovery: Discovery, opts: { spacing?: number; loadEnd?: boolean } = {}) {
    this.mayLoadEnd = opts.loadEnd ?? true;
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

  /** the last step's state was loaded from the live run (loadEnd) rather than walked to */
  get endLoaded(): boolean {
    return this.end !== null;
  }

  /** checkpoints kept so far, the end's included (for the benchmark and tests) */
  get checkpointCount(): number {
    return this.checkpoints.length + (this.end ? 1 : 0);
  }

  get length(): number {
    return this.live.events.length;
  }

  /** move the cursor to the state after event `step` */
  seek(step: number): Kernel {
    const target = Math.max(-1, Math.min(step, this.length - 1));
    if (target !== this.pos) {
      const ck = this.nearestCheckpoint(target);
      const here = this.distance(this.pos, target);
      const viaCheckpoint = ck.pos !== this.pos ? this.restoreCost() + this.distance(ck.pos, target) : Infinity;
      const viaEnd = this.end || !this.mayLoadEnd ? Infinity : this.loadCost() + this.distance(this.length - 1, target);
      if (viaEnd < Math.min(here, viaCheckpoint)) this.loadEnd();
      else if (viaCheckpoint < here) this.restore(ck);
      this.walk(target);
    }
    // the deferred active list is not journaled: it is empty at every boundary; show pending ones only
    this.cursor.deferredActive = [];
    return this.cursor;
  }

  /**
   * apply the patches between pos and target, one event at a time, keeping checkpoints going
   * forward: from the furthest checkpoint on, each a spacing after the one before (a walk forward
   * that starts further on, from the end's state, makes none: the checkpoints stay the ones a walk
   * from the empty state makes, which `prepare` continues)
   */
  private walk(target: number): void {
    const log = this.live.state.journal;
    const state = this.cursor.state;
    while (this.pos < target) {
      const i = ++this.pos;
      const end = log.end(i);
      for (let j = log.start(i); j < end; j++) log.apply(state, j, true);
      const last = this.furthest();
      const from = this.patchesTo(last.pos);
      if (i > last.pos && end - from >= this.spacing && this.patchesTo(i - 1) - from < this.spacing) this.save(i);
    }
    if (this.pos > target) {
      // the patches of events target+1 .. pos, undone last first
      const start = log.start(target + 1);
      for (let j = log.end(this.pos) - 1; j >= start; j--) log.apply(state, j, false);
      this.pos = target;
    }
  }

  /**
   * Make the checkpoints a walk forward to the end makes, walking about `maxPatches` patches (all
   * of them when not given; at least to the next checkpoint); true when there are none left to make. The cursor is
   * put back where it was, its views settled there: the next seek near it (the user's next step,
   * between two slices the worker runs) costs what it would have without this.
   */
  prepare(maxPatches = Infinity): boolean {
    if (this.prepared()) return true;
    const lastEvent = this.length - 1;
    const last = this.furthest();
    const from = this.patchesTo(last.pos);
    const back = this.pos;
    // from the furthest checkpoint, or from the cursor if it is less than a spacing past it
    if (this.pos < last.pos || this.patchesTo(this.pos) - from >= this.spacing) this.restore(last);
    // at least to the next checkpoint: a slice that made none would be walked again by the next
    const stop = Math.max(this.patchesTo(this.pos) + maxPatches, from + this.spacing);
    while (this.pos < lastEvent && this.patchesTo(this.pos) < stop) this.walk(this.pos + 1);
    if (this.pos !== back) {
      this.seek(back);
      this.views.settle();
    }
    return this.prepared();
  }

  /** the checkpoint furthest on of those a forward walk makes */
  private furthest(): Checkpoint {
    return this.checkpoints[this.checkpoints.length - 1]!;
  }

  /** no checkpoint is left to make: the furthest is less than a spacing before the last event */
  private prepared(): boolean {
    return this.patchesTo(this.length - 1) - this.patchesTo(this.furthest().pos) < this.spacing;
  }

  /** what loading the live run's last state costs, in patches walked: a patch per record, about */
  private loadCost(): number {
    const s = this.live.state;
    return s.devices.size + s.drivers.size + s.modules.size + s.buses.size + s.files.size;
  }

  /**
   * The cursor at the last event, from the live run's tables: from the empty state, every record
   * of the end set once (the views made afterwards from the tables, views.ts rebuild), then kept
   * as a checkpoint. The storage's ids are the ones a forward walk gives (registerKeys), so the
   * tables iterate as a walked cursor's do and the snapshot is the same (src/engine/test/end-load.test.ts).
   */
  private loadEnd(): void {
    this.registerKeys();
    this.restore(this.checkpoints[0]!, false);
    const live = this.live.state;
    const state = this.cursor.state;
    // the views are made from the tables once they are set, not record by record
    this.views.unbuilt();
    for (const t of LOADED_TABLES) for (const [key, v] of live[t] as Map<string, unknown>) state.loadRecord(t, key, v);
    state.misc = { ...live.misc };
    state.forgetLast();
    this.pos = this.length - 1;
    this.views.settle(false);
    this.end = { pos: this.pos, frozen: this.storage.store.freeze(), misc: { ...state.misc } };
  }

  /** give every key the journal names its id, in journal order: the order a forward walk first sees them in */
  private registerKeys(): void {
    if (this.keysRegistered) return;
    this.keysRegistered = true;
    const r = this.storage.registries;
    this.live.state.journal.forEachPatch((t, key, before, after) => {
      if (t === 'misc') return;
      // a key first appears where its record is created: no lookup for the patches that change one
      if (before === undefined) r[t].id(key);
      this.views.seeKey(t, after);
    });
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
    let best = this.end ?? this.checkpoints[0]!;
    for (const c of this.checkpoints) if (this.distance(c.pos, target) < this.distance(best.pos, target)) best = c;
    return best;
  }

  /** what a restore costs, in patches walked: the views put the device list back in order */
  private restoreCost(): number {
    const r = this.storage.registries;
    return (r.devices.keys.length + r.drivers.keys.length) / 32;
  }

  /** make the cursor's state and views the checkpoint's */
  private restore(ck: Checkpoint, counted = true): void {
    this.storage.store.thaw(ck.frozen);
    this.cursor.state.forgetLast();
    this.cursor.state.misc = { ...ck.misc };
    this.views.restored();
    this.pos = ck.pos;
    if (counted) this.restores++;
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
