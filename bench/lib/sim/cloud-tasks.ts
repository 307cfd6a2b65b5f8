// A Cloud Tasks queue in simulated time, as Google documents its dispatch (cloud.google.com/tasks/docs, the
// v2 RateLimits and RetryConfig reference; read 2026-12-03 in the tool library):
//  - a token bucket refilled at maxDispatchesPerSecond holds at most max_burst_size tokens, one taken per
//    dispatch, first attempts and retries alike. Google picks max_burst_size from the rate without saying how;
//    the firebase-tools tasks emulator uses max(rate, 1.1) (lib/emulator/taskQueue.js), and so does this model;
//  - at most maxConcurrentDispatches tasks run at once (and no more than the function's maxInstances, each
//    instance serving one request: a task function below 1 vCPU takes one at a time);
//  - a failed attempt is retried after min_backoff, doubled max_doublings times, then growing linearly by
//    2^max_doublings x min_backoff, capped at max_backoff ("10s, 20s, 40s, 80s, 160s, 240s, 300s, 300s" for
//    10 s / 300 s / 3 doublings), until max_attempts.
import { Heap, TokenBucket, type Simulator } from './events.js';

export interface RetrySettings {
  minBackoffSeconds: number;
  maxBackoffSeconds: number;
  maxDoublings: number;
  maxAttempts: number;
}

export interface QueueSettings {
  maxDispatchesPerSecond: number;
  maxConcurrentDispatches: number;
  maxInstances: number;
  retry: RetrySettings;
}

/** Seconds before retry number `retry` (1 = the first retry) under Cloud Tasks' backoff rule. */
export function retryDelaySeconds(retry: number, r: RetrySettings): number {
  const k = Math.max(1, retry) - 1;
  const doubled = r.minBackoffSeconds * 2 ** Math.min(k, r.maxDoublings);
  const linear = Math.max(0, k - r.maxDoublings) * r.minBackoffSeconds * 2 ** r.maxDoublings;
  return Math.min(r.maxBackoffSeconds, doubled + linear);
}

/** What a dispatched task reports when its handler is done: acknowledged, or failed (retry with backoff). */
export type TaskResult = 'ack' | 'retry';

export interface SimTask {
  /** Runs the handler; it must call `done` exactly once, at the simulated time the handler returns. */
  run(done: (result: TaskResult) => void, attempt: number): void;
}

interface Waiting extends Record<'at' | 'seq', number> {
  task: SimTask;
  attempt: number;
  enqueuedAt: number;
}

export interface QueueStats {
  dispatched: number;
  retried: number;
  /** Tasks dropped after max_attempts. */
  dropped: number;
  peakRunning: number;
  /** Seconds tasks waited from due to dispatched (their own backoff not counted). */
  waits: number[];
  /** First simulated time a due task waited for a token, or for a free dispatch slot. */
  firstRateWait?: number;
  firstConcurrencyWait?: number;
}

export class SimQueue {
  private readonly bucket: TokenBucket;
  private readonly waiting = new Heap<Waiting>();
  private seq = 0;
  private running = 0;
  private pumpAt = Infinity;
  readonly stats: QueueStats = { dispatched: 0, retried: 0, dropped: 0, peakRunning: 0, waits: [] };
  readonly slots: number;

  constructor(
    private readonly sim: Simulator,
    readonly name: string,
    readonly settings: QueueSettings,
  ) {
    this.bucket = new TokenBucket(
      settings.maxDispatchesPerSecond,
      Math.max(settings.maxDispatchesPerSecond, 1.1),
    );
    this.slots = Math.min(settings.maxConcurrentDispatches, settings.maxInstances);
  }

  get backlog(): number {
    return this.waiting.size;
  }

  enqueue(task: SimTask, delaySeconds = 0): void {
    this.add(task, 1, this.sim.now + delaySeconds);
  }

  private add(task: SimTask, attempt: number, at: number): void {
    this.waiting.push({ at, seq: this.seq++, task, attempt, enqueuedAt: at });
    this.schedulePump(at);
  }

  private schedulePump(at: number): void {
    const when = Math.max(at, this.sim.now);
    if (when >= this.pumpAt) return;
    this.pumpAt = when;
    this.sim.at(when, () => {
      if (this.pumpAt !== when) return;
      this.pumpAt = Infinity;
      this.pump();
    });
  }

  private pump(): void {
    const now = this.sim.now;
    for (;;) {
      const next = this.waiting.peek();
      if (!next) return;
      if (next.at > now) return this.schedulePump(next.at);
      if (this.running >= this.slots) {
        this.stats.firstConcurrencyWait ??= now;
        return; // a finishing task pumps again
      }
      if (!this.bucket.tryTake(now)) {
        this.stats.firstRateWait ??= now;
        return this.schedulePump(this.bucket.readyAt(now));
      }
      this.waiting.pop();
      this.dispatch(next);
    }
  }

  private dispatch(w: Waiting): void {
    this.running += 1;
    this.stats.dispatched += 1;
    this.stats.peakRunning = Math.max(this.stats.peakRunning, this.running);
    this.stats.waits.push(this.sim.now - w.at);
    let finished = false;
    w.task.run((result) => {
      if (finished) throw new Error(`task of ${this.name} finished twice`);
      finished = true;
      this.running -= 1;
      if (result === 'retry') {
        if (w.attempt >= this.settings.retry.maxAttempts) this.stats.dropped += 1;
        else {
          this.stats.retried += 1;
          this.add(w.task, w.attempt + 1, this.sim.now + retryDelaySeconds(w.attempt, this.settings.retry));
        }
      }
      this.schedulePump(this.sim.now);
    }, w.attempt);
  }
}
