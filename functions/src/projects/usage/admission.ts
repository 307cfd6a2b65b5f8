// Admission: a job takes a slot on its user's usage record before it is written into its project, so
// the per-user limit and the daily budget hold whatever the number of simultaneous starts. A start whose
// project write then fails gives its slots back (`releaseSlots`); a crash in between leaves a slot that
// the sweep's reconciliation (reconcile.ts) frees.
import type { JobType } from '@reelforge/schema';
import { LimitReached } from '../../errors.js';
import { usd } from '../../providers/prices.js';
import { globalCeiling } from './global-ceiling.js';
import {
  NO_CHANGE,
  currentLimits,
  mutateUsage,
  mutateUsageWith,
  remainingTodayUsd,
  type Limits,
} from './record.js';

export interface SlotRequest {
  job_id: string;
  project_id: string;
  type: JobType;
  estimated_usd: number;
}

const dollars = (value: number) => `$${value.toFixed(value < 1 ? 4 : 2)}`;

/** Takes one slot per job, all or none; throws LimitReached (resource-exhausted) naming the limit it hit. */
export async function admitJobs(uid: string, jobs: SlotRequest[], limits: Limits = currentLimits()) {
  const estimate = usd(jobs.reduce((sum, job) => sum + job.estimated_usd, 0));
  await mutateUsageWith(globalCeiling(estimate))(uid, (usage, now) => {
    const running = Object.keys(usage.active).length;
    if (running + jobs.length > limits.maxActiveJobs) {
      const asked = jobs.length === 1 ? '' : ` (this step asks for ${jobs.length})`;
      throw new LimitReached(
        `You have ${running} jobs running and the limit is ${limits.maxActiveJobs} at a time${asked}; ` +
          'wait for some to finish or cancel them.',
      );
    }
    const remaining = remainingTodayUsd(usage, limits);
    if (estimate > remaining) {
      throw new LimitReached(
        `This step is estimated at ${dollars(estimate)}, and ${dollars(remaining)} of your daily budget of ` +
          `${dollars(limits.dailyBudgetUsd)} remains (running jobs included); it resets at midnight UTC.`,
      );
    }
    for (const job of jobs) {
      usage.active[job.job_id] = {
        project_id: job.project_id,
        type: job.type,
        estimated_usd: job.estimated_usd,
        admitted_at: now,
      };
    }
    return true;
  });
}

/** Gives back slots of jobs that were never written into their project (a start refused after admission). */
export async function releaseSlots(uid: string, jobIds: string[]): Promise<void> {
  await mutateUsage(uid, (usage) => {
    const held = jobIds.filter((id) => id in usage.active);
    if (held.length === 0) return NO_CHANGE;
    for (const id of held) delete usage.active[id];
    return true;
  });
}
