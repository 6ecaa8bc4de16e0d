import { describe, expect, it } from 'vitest';
import { BackgroundWork, type BackgroundClock } from './backgroundWork';

/** a clock the test moves by hand: `later` callbacks run when the time reaches them */
class ManualClock implements BackgroundClock {
  t = 0;
  private queue: { at: number; fn: () => void; seq: number }[] = [];
  private seq = 0;
  now(): number {
    return this.t;
  }
  later(fn: () => void, ms: number): void {
    this.queue.push({ at: this.t + ms, fn, seq: this.seq++ });
  }
  /** move to `to`, running every callback due on the way, in time order */
  advance(to: number): void {
    for (;;) {
      this.queue.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const first = this.queue[0];
      if (!first || first.at > to) break;
      this.queue.shift();
      this.t = Math.max(this.t, first.at);
      first.fn();
    }
    this.t = to;
  }
}

describe('background work (the worker\'s checkpoint slices)', () => {
  it('starts after the delay and runs slice after slice until one says it is done', () => {
    const clock = new ManualClock();
    const work = new BackgroundWork(300, clock);
    const ran: number[] = [];
    work.start(() => (ran.push(clock.now()), ran.length === 3), () => true, 1500);
    clock.advance(1499);
    expect(ran).toEqual([]);
    clock.advance(5000);
    expect(ran).toEqual([1500, 1500, 1500]);
  });

  it('runs no slice while requests keep coming, nor while one is unanswered, and goes on once the worker is quiet', async () => {
    const clock = new ManualClock();
    const work = new BackgroundWork(300, clock);
    let answer: (v: number) => void = () => {};
    const api = work.watch({
      step: (n: number) => n + 1,
      slow: () => new Promise<number>((r) => (answer = r)),
      fails: () => { throw new Error('no such step'); },
    });
    const ran: number[] = [];
    work.start(() => (ran.push(clock.now()), false), () => ran.length < 2, 1000);
    // a request every 200 ms from t=900 to t=2100: always less than 300 ms of quiet
    for (let t = 900; t <= 2100; t += 200) {
      clock.advance(t);
      expect(api.step(t)).toBe(t + 1);
    }
    expect(ran).toEqual([]);
    // a request that takes long: nothing runs until it is answered, then 300 ms after that
    const slow = api.slow();
    clock.advance(3000);
    expect(ran).toEqual([]);
    answer(7);
    await expect(slow).resolves.toBe(7);
    clock.advance(3299);
    expect(ran).toEqual([]);
    // a request that throws still counts as answered
    expect(() => api.fails()).toThrow('no such step');
    clock.advance(3500);
    expect(ran).toEqual([]);
    clock.advance(4000);
    expect(ran).toEqual([3599, 3599]);
  });

  it('stops when the work is no longer wanted (a later run replaced the simulation)', () => {
    const clock = new ManualClock();
    const work = new BackgroundWork(300, clock);
    let alive = true;
    let slices = 0;
    // the third slice is the last one wanted: the run it prepares is replaced while it runs
    work.start(() => (++slices === 3 && (alive = false), false), () => alive, 0);
    clock.advance(10_000);
    expect(slices).toBe(3);
  });
});
