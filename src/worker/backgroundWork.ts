/**
 * Work the worker does when nobody is asking it anything: a run's time-travel checkpoints, made in
 * slices (engine.worker.ts). A slice runs only once the worker has had no request for `quietMs`:
 * the worker is one thread, so a step that arrives during a slice waits for it, and a user stepping
 * through a run sends one request after another. While requests keep coming the work waits; the
 * first request after a pause waits for one slice at most.
 */
export interface BackgroundClock {
  now(): number;
  later(fn: () => void, ms: number): void;
}

const REAL_CLOCK: BackgroundClock = {
  now: () => performance.now(),
  later: (fn, ms) => void setTimeout(fn, ms),
};

export class BackgroundWork {
  /** when the last request began or ended (-Infinity: none yet) */
  private lastRequest = -Infinity;
  /** requests begun and not yet answered: no slice runs while one is open (an async one awaits a chunk) */
  private open = 0;

  constructor(
    readonly quietMs: number,
    private readonly clock: BackgroundClock = REAL_CLOCK,
  ) {}

  /**
   * Run `slice` after `delayMs`, then again and again while it returns false, each time only
   * once the worker has been quiet for `quietMs`; stops as soon as `alive()` is false (a later
   * run replaced the simulation) or a slice returns true (nothing left to do).
   */
  start(slice: () => boolean, alive: () => boolean, delayMs: number): void {
    const next = (): void => {
      if (!alive()) return;
      const quiet = this.clock.now() - this.lastRequest;
      if (this.open > 0 || quiet < this.quietMs) {
        this.clock.later(next, this.open > 0 ? this.quietMs : this.quietMs - quiet);
        return;
      }
      if (!slice()) this.clock.later(next, 0);
    };
    this.clock.later(next, delayMs);
  }

  /** each of `api`'s functions, noting when a request begins and when it is answered */
  watch<T extends object>(api: T): T {
    const out: Record<string, unknown> = {};
    for (const [name, f] of Object.entries(api)) {
      out[name] = typeof f !== 'function' ? f : (...args: unknown[]) => {
        this.begin();
        let r: unknown;
        try {
          r = (f as (...a: unknown[]) => unknown).apply(api, args);
        } catch (e) {
          this.end();
          throw e;
        }
        if (r instanceof Promise) return r.finally(() => this.end());
        this.end();
        return r;
      };
    }
    return out as T;
  }

  private begin(): void {
    this.open++;
    this.lastRequest = this.clock.now();
  }

  private end(): void {
    this.open--;
    this.lastRequest = this.clock.now();
  }
}
