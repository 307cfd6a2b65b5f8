// The scale simulation's core (bench/lib/sim/): events run in time order and, at one instant, in the order
// they were scheduled; the token bucket refills at its rate up to its capacity; Cloud Tasks' backoff follows
// Google's documented example; a provider limit refuses with 429s that the queue retries with backoff; and ten
// productions through the real planner, admission and retry rules, with and without the sizing model's rates.
import { describe, expect, it } from 'vitest';
import type { JobType } from '@reelforge/schema';
import { QUEUE_SIZING, type QueueSizing } from '../../functions/src/jobs/queue-sizing.js';
import { JOB_TYPES } from '../../functions/src/jobs/registry.js';
import { TYPICAL_LATENCY, providerLimits } from '../../functions/src/providers/capacity.js';
import { SimQueue, retryDelaySeconds, type TaskResult } from '../../bench/lib/sim/cloud-tasks.js';
import { Simulator, TokenBucket } from '../../bench/lib/sim/events.js';
import { ProviderPool } from '../../bench/lib/sim/providers.js';
import { rampAllowance } from '../../bench/lib/sim/firestore.js';
import { DEPLOYED } from '../../bench/lib/sim/platforms.js';
import { simulate, type SimConfig } from '../../bench/lib/sim/productions.js';

describe('simulator', () => {
  it('runs events by time, ties in scheduling order, and never in the past', () => {
    const sim = new Simulator();
    const seen: string[] = [];
    sim.at(2, () => seen.push('b@2'));
    sim.at(1, () => {
      seen.push('a@1');
      sim.at(0, () => seen.push('late@1'));
      sim.after(1, () => seen.push('d@2'));
    });
    sim.at(2, () => seen.push('c@2'));
    sim.run();
    expect(seen).toEqual(['a@1', 'late@1', 'b@2', 'c@2', 'd@2']);
    expect(sim.now).toBe(2);
  });

  it('stops at a horizon with the later events still pending', () => {
    const sim = new Simulator();
    sim.at(5, () => undefined);
    expect(sim.run(3)).toBe(3);
    expect(sim.pending).toBe(1);
  });
});

describe('token bucket', () => {
  it('starts full, refills at its rate, never above its capacity', () => {
    const bucket = new TokenBucket(2, 3);
    expect([1, 2, 3, 4].map(() => bucket.tryTake(0))).toEqual([true, true, true, false]);
    expect(bucket.readyAt(0)).toBeCloseTo(0.5);
    expect(bucket.tryTake(0.5)).toBe(true);
    expect(bucket.tryTake(0.6)).toBe(false);
    // A long quiet spell fills it to 3, not more.
    expect([1, 2, 3, 4].map(() => bucket.tryTake(100))).toEqual([true, true, true, false]);
    expect(bucket.readyAt(100, 4)).toBe(Infinity);
  });
});

const queueOf = (sim: Simulator, maxDispatchesPerSecond: number, concurrency: number) =>
  new SimQueue(sim, 'q', {
    maxDispatchesPerSecond,
    maxConcurrentDispatches: concurrency,
    maxInstances: concurrency,
    retry: { minBackoffSeconds: 5, maxBackoffSeconds: 300, maxDoublings: 4, maxAttempts: 5 },
  });

describe('Cloud Tasks queue', () => {
  it("retries with Google's backoff: 10 s min, 300 s max, 3 doublings", () => {
    const r = { minBackoffSeconds: 10, maxBackoffSeconds: 300, maxDoublings: 3, maxAttempts: 10 };
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => retryDelaySeconds(n, r))).toEqual([
      10, 20, 40, 80, 160, 240, 300, 300,
    ]);
  });

  it('dispatches at its rate and concurrency; a 429 from a provider limit is retried after backoff', () => {
    const sim = new Simulator();
    const queue = queueOf(sim, 100, 50);
    // A provider allowing 60 requests a minute with a 10 s burst: 10 at once, then one a second.
    const provider = new ProviderPool('replicate_create', { rpm: 60, burstSeconds: 10, source: 'test' });
    const accepted: number[] = [];
    for (let i = 0; i < 20; i++) {
      queue.enqueue({
        run(done: (r: TaskResult) => void) {
          sim.after(0.1, () => {
            if (provider.request(sim.now)) {
              accepted.push(sim.now);
              done('ack');
            } else done('retry');
          });
        },
      });
    }
    sim.run();
    expect(accepted).toHaveLength(20);
    expect(provider.refused).toBeGreaterThan(0);
    expect(queue.stats.retried).toBe(provider.refused);
    // The first ten fit the burst; the others came back after the 5 s backoff (and the refill).
    expect(accepted.filter((t) => t < 1)).toHaveLength(10);
    expect(Math.min(...accepted.filter((t) => t >= 1))).toBeGreaterThanOrEqual(5);
  });

  it('holds no more tasks running than its concurrency, and no faster than its rate', () => {
    const sim = new Simulator();
    const queue = queueOf(sim, 2, 3);
    const starts: number[] = [];
    for (let i = 0; i < 10; i++)
      queue.enqueue({
        run(done) {
          starts.push(sim.now);
          sim.after(0.01, () => done('ack'));
        },
      });
    sim.run();
    expect(queue.stats.peakRunning).toBeLessThanOrEqual(3);
    // A bucket of max(rate, 1.1) = 2 tokens: two at once, then one every half second.
    expect(starts.at(-1)).toBeCloseTo(4, 5);
  });
});

describe("Firestore's 500/50/5 ramp", () => {
  it('allows 500/s, then 50% more every 5 minutes', () => {
    expect(rampAllowance(0)).toBe(500);
    expect(rampAllowance(299)).toBe(500);
    expect(rampAllowance(300)).toBe(750);
    expect(rampAllowance(600)).toBe(1125);
  });
});

describe('productions through the real planner, admission and retry rules', () => {
  const base = (queues: Record<JobType, QueueSizing>): SimConfig => ({
    users: 10,
    startWindowSeconds: 60,
    scenes: 6,
    queues,
    limits: providerLimits(1),
    latencies: TYPICAL_LATENCY,
    platform: DEPLOYED,
    userLimits: { maxActiveJobs: 10, maxProjects: 100, dailyBudgetUsd: 20 },
    globalDailyBudgetUsd: 1e9,
    seed: 1,
    horizonSeconds: 86_400,
  });
  // Queues that only bound concurrency (main's before the sizing model): nothing keeps them under the limits.
  const unthrottled = Object.fromEntries(
    JOB_TYPES.map((t) => [t, { maxDispatchesPerSecond: 500, maxConcurrentDispatches: 20, maxInstances: 20 }]),
  ) as Record<JobType, QueueSizing>;

  it('a provider limit answers 429s; jobs are retried with backoff and fail after their attempts', () => {
    const r = simulate(base(unthrottled));
    expect(r.provider.openai_chat!.refused).toBeGreaterThan(0);
    expect(r.retries).toBeGreaterThan(0);
    // Three attempts per job (the registry's): a job refused three times fails and blocks its production.
    expect(r.jobsFailed).toBeGreaterThan(0);
    expect(r.failed).toBeGreaterThan(0);
    expect(r.completed + r.failed).toBe(10);
  });

  it("the registry's settings (the sizing model's) keep every provider under its limit and finish every ad", () => {
    const r = simulate(base(QUEUE_SIZING));
    expect(Object.values(r.provider).every((p) => p.refused === 0)).toBe(true);
    expect(r.completed).toBe(10);
    // 28 steps each: moods, storyboard, 6 x (composition, image, video, voiceover), the bed, the render.
    expect(r.timesToAd.every((t) => t > 60)).toBe(true);
    expect(r.writesPerStep).toBeGreaterThan(3);
  });
});
