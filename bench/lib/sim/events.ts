// The core of the scale simulation (bench/scale.ts): simulated time, an event queue ordered by time and then
// by the order events were scheduled (so a run is repeatable and two events at one instant keep their causal
// order), and the token bucket that both Cloud Tasks' dispatch rate and the providers' rate limits are made of.

interface Timed {
  at: number;
  seq: number;
}

interface Event extends Timed {
  run: () => void;
}

/** A binary min-heap by (at, seq): the earliest first, and of two at one instant the one pushed first. */
export class Heap<T extends Timed> {
  private readonly items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(event: T): void {
    const a = this.items;
    a.push(event);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(a[i]!, a[parent]!)) break;
      [a[i], a[parent]] = [a[parent]!, a[i]!];
      i = parent;
    }
  }

  pop(): T | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && before(a[l]!, a[m]!)) m = l;
        if (r < a.length && before(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}

const before = (x: Timed, y: Timed) => x.at < y.at || (x.at === y.at && x.seq < y.seq);

/** Simulated time in seconds from 0; callbacks run in (time, scheduling order). */
export class Simulator {
  private readonly heap = new Heap<Event>();
  private seq = 0;
  now = 0;
  /** Events run so far. */
  executed = 0;

  /** Runs `run` at `at` (never before now: an event in the past runs now, after those already due). */
  at(at: number, run: () => void): void {
    this.heap.push({ at: Math.max(at, this.now), seq: this.seq++, run });
  }

  after(delay: number, run: () => void): void {
    this.at(this.now + delay, run);
  }

  /** Runs events until none is left or the next is past `until`; returns the time reached. */
  run(until = Infinity): number {
    for (;;) {
      const next = this.heap.pop();
      if (!next) break;
      if (next.at > until) {
        this.heap.push(next);
        this.now = until;
        break;
      }
      this.now = next.at;
      this.executed += 1;
      next.run();
    }
    return this.now;
  }

  get pending(): number {
    return this.heap.size;
  }
}

/**
 * A token bucket: up to `capacity` tokens, refilled continuously at `ratePerSecond`; a take of `n` succeeds
 * when the bucket holds n. Starts full, as Cloud Tasks' queues and the providers' limiters do after a quiet spell.
 */
export class TokenBucket {
  private tokens: number;
  private last = 0;

  constructor(
    readonly ratePerSecond: number,
    readonly capacity: number,
  ) {
    if (!(ratePerSecond > 0) || !(capacity > 0))
      throw new Error('a token bucket needs a rate and a capacity > 0');
    this.tokens = capacity;
  }

  private refill(now: number): void {
    if (now > this.last) {
      this.tokens = Math.min(this.capacity, this.tokens + (now - this.last) * this.ratePerSecond);
      this.last = now;
    }
  }

  /** Takes `n` tokens at `now` if the bucket holds them. */
  tryTake(now: number, n = 1): boolean {
    this.refill(now);
    // A hair of tolerance: the refill time computed by `readyAt` must be enough, whatever the float rounding.
    if (this.tokens + 1e-9 < n) return false;
    this.tokens -= n;
    return true;
  }

  /** The earliest time at or after `now` when `n` tokens will be there (n above the capacity: never). */
  readyAt(now: number, n = 1): number {
    if (n > this.capacity) return Infinity;
    this.refill(now);
    return this.tokens >= n ? now : now + (n - this.tokens) / this.ratePerSecond;
  }
}
