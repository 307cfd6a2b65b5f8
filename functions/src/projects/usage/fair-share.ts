// A user's fair share of each job queue. The per-user cap counts every type together, so without this one
// user's five renders (or ten moods jobs) could hold every dispatch of that queue while everyone else's
// jobs of the type wait behind them. Each queue's share is given by the caller (jobs/queue-shares.ts derives
// it from the registry's queue sizes); counted, like the cap, on the slots of the user's usage record.
import type { JobType, UsageDoc } from '@reelforge/schema';
import { LimitReached } from '../../errors.js';

export interface QueueShare {
  /** Unfinished jobs of the type one user may hold at once. */
  max: number;
  /** The job in words, for the refusal ("render"). */
  label: string;
}

export type QueueShares = Readonly<Record<JobType, QueueShare>>;

/** Throws LimitReached (resource-exhausted) when `jobs` would take the user past a queue's share. */
export function refuseBeyondQueueShare(
  usage: UsageDoc,
  jobs: readonly { type: JobType }[],
  shares: QueueShares,
): void {
  for (const type of new Set(jobs.map((job) => job.type))) {
    const { max, label } = shares[type];
    const running = Object.values(usage.active).filter((slot) => slot.type === type).length;
    const asked = jobs.filter((job) => job.type === type).length;
    if (running + asked <= max) continue;
    const step = asked === 1 ? '' : ` (this step asks for ${asked})`;
    throw new LimitReached(
      `You have ${running} ${label} jobs running and each user may run ${max} at a time, so that other ` +
        `users' ${label} jobs run too${step}; wait for one to finish or cancel it.`,
    );
  }
}
