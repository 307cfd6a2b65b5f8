// Each user's fair share of a job queue: a third of its concurrent dispatches (at least one), counted on
// the user's slots of that type only, refused with a message naming the share; and the render's price, its
// function's compute (providers/prices.ts).
import { Timestamp } from 'firebase-admin/firestore';
import { describe, expect, it, vi } from 'vitest';
import type { JobType, UsageDoc } from '@reelforge/schema';

vi.mock('../../functions/src/firebase.js', () => ({ functionsAdmin: () => ({}), db: () => ({}) }));

const { refuseBeyondQueueShare } = await import('../../functions/src/projects/usage/fair-share.js');
const { QUEUE_SHARES, queueShare, queueShares } = await import('../../functions/src/jobs/queue-shares.js');
const { JOBS } = await import('../../functions/src/jobs/registry.js');
const { emptyUsage } = await import('../../functions/src/projects/usage/record.js');
const { computeCost } = await import('../../functions/src/providers/prices.js');
const { costMeter } = await import('../../functions/src/jobs/cost-meter.js');
const { LimitReached } = await import('../../functions/src/errors.js');

const now = Timestamp.fromDate(new Date('2026-11-25T10:00:00Z'));

function usageWith(types: JobType[]): UsageDoc {
  const usage = emptyUsage('u', now);
  types.forEach((type, i) => {
    usage.active[`job-${i}`] = { project_id: `p-${i}`, type, estimated_usd: 0.01, admitted_at: now };
  });
  return usage;
}

const ask = (type: JobType, n = 1) => Array.from({ length: n }, () => ({ type }));

describe('fair share of a queue', () => {
  it('gives each user a third of every queue, rounded up, never less than one', () => {
    expect(QUEUE_SHARES.render.max).toBe(2);
    expect(QUEUE_SHARES.moods.max).toBe(4);
    expect(QUEUE_SHARES.video.max).toBe(7);
    expect(QUEUE_SHARES.image.max).toBe(10);
    for (const [type, share] of Object.entries(QUEUE_SHARES)) {
      expect(share.max, type).toBe(Math.ceil(JOBS[type as JobType].queue.maxConcurrentDispatches / 3));
    }
    expect(queueShare(1)).toBe(1);
  });

  it("refuses a user's render beyond their share, naming it, and admits other types and other users", () => {
    const busy = usageWith(['render', 'render', 'composition']);
    let thrown: unknown;
    try {
      refuseBeyondQueueShare(busy, ask('render'), QUEUE_SHARES);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(LimitReached);
    expect((thrown as Error).message).toBe(
      "You have 2 render jobs running and each user may run 2 at a time, so that other users' render jobs " +
        'run too; wait for one to finish or cancel it.',
    );
    // Another queue is not this one's share.
    expect(() => refuseBeyondQueueShare(busy, ask('composition', 6), QUEUE_SHARES)).not.toThrow();
    // Another user's record holds no render.
    expect(() => refuseBeyondQueueShare(usageWith([]), ask('render'), QUEUE_SHARES)).not.toThrow();
  });

  it('counts a many-scene step whole: the default six scenes fit, eight videos do not', () => {
    expect(() => refuseBeyondQueueShare(usageWith([]), ask('video', 6), QUEUE_SHARES)).not.toThrow();
    expect(() => refuseBeyondQueueShare(usageWith(['video']), ask('video', 7), QUEUE_SHARES)).toThrow(
      /You have 1 video jobs running and each user may run 7 at a time.*\(this step asks for 7\)/,
    );
  });
});

describe('render price', () => {
  it('prices a function by vCPU-seconds and GiB-seconds, and books what the render ran', () => {
    // Cloud Run tier 1: $0.000024 per vCPU-second, $0.0000025 per GiB-second.
    expect(computeCost({ vcpu: 2, memoryGiB: 2, seconds: 100 })).toBe(0.0053);
    expect(computeCost({ vcpu: 1, memoryGiB: 0.5, seconds: 0 })).toBe(0);
    const meter = costMeter();
    meter.compute({ vcpu: 2, memoryGiB: 2, seconds: 60 });
    // Booked on every execution, like an answer: the time was spent whatever comes next.
    expect(meter.usd(false)).toBe(0.0032);
  });
});

describe('the share divisor param', () => {
  it('sets each queue share: 1 lets one user fill a queue, the default keeps a third', () => {
    expect(queueShares(1).image.max).toBe(30);
    expect(queueShares(1).render.max).toBe(5);
    expect(queueShares(3)).toEqual(QUEUE_SHARES);
  });
});
