// Admission: a job takes a slot on its user's usage record before it is written into its project, so
// the per-user limit and the daily budget hold whatever the number of simultaneous starts. A start whose
// project write then fails gives its slots back (`releaseSlots`); a crash in between leaves a slot that
// the sweep's reconciliation (reconcile.ts) frees.
import type { Timestamp } from 'firebase-admin/firestore';
import { slotsHeld, type JobType, type UsageDoc } from '@reelforge/schema';
import { LimitReached } from '../../errors.js';
import { usd } from '../../providers/prices.js';
import { globalCeiling } from './global-ceiling.js';
import {
  NO_CHANGE,
  currentLimits,
  limitsFor,
  mutateUsage,
  mutateUsageWith,
  readUsage,
  remainingTodayUsd,
  type Limits,
} from './record.js';
import { refuseBeyondQueueShare, type QueueShares } from './fair-share.js';

export interface SlotRequest {
  job_id: string;
  project_id: string;
  type: JobType;
  estimated_usd: number;
  /** The production that starts the job: its estimate is drawn from that production's hold first. */
  production_id?: string;
}

/** What each job of `jobs` draws from its production's hold, in order, by job id (holds.ts holds them). */
function drawsFromHolds(usage: UsageDoc, jobs: readonly SlotRequest[]): Map<string, number> {
  const left = new Map(Object.entries(usage.held ?? {}).map(([id, hold]) => [id, hold.usd]));
  const draws = new Map<string, number>();
  for (const job of jobs) {
    const hold = job.production_id ? (left.get(job.production_id) ?? 0) : 0;
    const draw = Math.min(hold, job.estimated_usd);
    if (draw > 0) {
      draws.set(job.job_id, draw);
      left.set(job.production_id!, usd(hold - draw));
    }
  }
  return draws;
}

const dollars = (value: number) => `$${value.toFixed(value < 1 ? 4 : 2)}`;

/** Why the user's record cannot take `jobs` now: the cap or a queue's share (`slots`), or the budget. */
export interface Refusal {
  kind: 'slots' | 'budget';
  message: string;
}

/**
 * The usage record as the count limits see it once the write that ends `freeing` has settled: those jobs'
 * slots are not counted. The budget still counts them (their actual cost is not in the spend yet).
 */
function countingView(usage: UsageDoc, freeing: readonly string[]): UsageDoc {
  if (freeing.length === 0) return usage;
  const active = { ...usage.active };
  for (const id of freeing) delete active[id];
  return { ...usage, active };
}

/**
 * The first limit `jobs` would take the user past, or null when they all fit. Pure. `freeing`: jobs the
 * very write that will hold `jobs` ends (a production's hand-off, advance.ts), whose slots it gives over.
 */
export function admissionRefusal(
  usage: UsageDoc,
  jobs: readonly SlotRequest[],
  deployment: Limits,
  shares?: QueueShares,
  freeing: readonly string[] = [],
): Refusal | null {
  const limits = limitsFor(usage, deployment);
  const counted = countingView(usage, freeing);
  const running = slotsHeld(counted.active);
  if (running + jobs.length > limits.maxActiveJobs) {
    const asked = jobs.length === 1 ? '' : ` (this step asks for ${jobs.length})`;
    return {
      kind: 'slots',
      message:
        `You have ${running} jobs running and the limit is ${limits.maxActiveJobs} at a time${asked}; ` +
        'wait for some to finish or cancel them.',
    };
  }
  if (shares) {
    try {
      refuseBeyondQueueShare(counted, jobs, shares);
    } catch (err) {
      if (err instanceof LimitReached) return { kind: 'slots', message: err.message };
      throw err;
    }
  }
  const estimate = usd(jobs.reduce((sum, job) => sum + job.estimated_usd, 0));
  // What the jobs' productions hold for them is theirs already; only the rest must fit what remains.
  const drawn = [...drawsFromHolds(usage, jobs).values()].reduce((sum, d) => sum + d, 0);
  const remaining = remainingTodayUsd(usage, deployment);
  if (usd(estimate - drawn) > remaining) {
    return {
      kind: 'budget',
      message:
        `This step is estimated at ${dollars(estimate)}, and ${dollars(remaining)} of your daily budget of ` +
        `${dollars(limits.dailyBudgetUsd)} remains (running jobs included); it resets at midnight UTC.`,
    };
  }
  return null;
}

/**
 * Takes the slots. With `freeing` (a hand-off), the first job rides on the first freed job's slot
 * (`replaces`) unless another already does (a successor a crashed hand-off left, which the reconciliation
 * frees): the record then counts what the write that ends the one and places the other will leave.
 */
function takeSlots(
  usage: UsageDoc,
  jobs: readonly SlotRequest[],
  now: Timestamp,
  freeing: readonly string[] = [],
): void {
  // The slot holds the job's estimate from now on: what it drew leaves its production's hold.
  for (const [jobId, draw] of drawsFromHolds(usage, jobs)) {
    const productionId = jobs.find((job) => job.job_id === jobId)!.production_id!;
    const hold = usage.held![productionId]!;
    hold.usd = usd(Math.max(0, hold.usd - draw));
  }
  const ridden = new Set(Object.values(usage.active).map((slot) => slot.replaces));
  const replaces = freeing.find((id) => id in usage.active && !ridden.has(id));
  for (const [index, job] of jobs.entries()) {
    usage.active[job.job_id] = {
      project_id: job.project_id,
      type: job.type,
      estimated_usd: job.estimated_usd,
      admitted_at: now,
      ...(index === 0 && replaces ? { replaces } : {}),
    };
  }
}

/**
 * Takes one slot per job, all or none; throws LimitReached (resource-exhausted) naming the limit it hit.
 * `shares`: each queue's per-user share (fair-share.ts), checked after the cap.
 */
export async function admitJobs(
  uid: string,
  jobs: SlotRequest[],
  limits: Limits = currentLimits(),
  shares?: QueueShares,
) {
  const estimate = usd(jobs.reduce((sum, job) => sum + job.estimated_usd, 0));
  await mutateUsageWith(globalCeiling(estimate))(uid, (usage, now) => {
    const refusal = admissionRefusal(usage, jobs, limits, shares);
    if (refusal) throw new LimitReached(refusal.message);
    takeSlots(usage, jobs, now);
    return true;
  });
}

/**
 * The decision of `admitAsMany` on one read of the record: takes slots on `usage` for the longest prefix of
 * `jobs` that fits (`freeing` counted as free) and says why the next did not, or NO_CHANGE when none fits
 * (nothing to write). Pure apart from changing `usage`; bench/scale.ts drives it on records held in memory.
 */
export function admitPrefix(
  usage: UsageDoc,
  jobs: readonly SlotRequest[],
  limits: Limits,
  shares: QueueShares | undefined,
  now: Timestamp,
  freeing: readonly string[] = [],
): PartialAdmission | typeof NO_CHANGE {
  let fit = 0;
  let refusal: Refusal | null = null;
  // Grows the prefix while it fits: the cap, the queue shares and the budget all count the whole prefix.
  while (fit < jobs.length) {
    refusal = admissionRefusal(usage, jobs.slice(0, fit + 1), limits, shares, freeing);
    if (refusal) break;
    fit += 1;
  }
  if (fit === 0) return NO_CHANGE;
  const admitted = jobs.slice(0, fit);
  takeSlots(usage, admitted, now, freeing);
  return { admitted: admitted.map((job) => job.job_id), refusal };
}

export interface PartialAdmission {
  /** The job ids that hold a slot now, a prefix of the requests in their order. */
  admitted: string[];
  /** Why the next request did not fit (null when all did). */
  refusal: Refusal | null;
}

/**
 * Takes slots for as many of `jobs`, in their order, as the user's limits allow now, and says why the rest
 * did not fit: a production starts what it can and waits for the rest (jobs/production/advance.ts). The
 * global ceiling is checked on the estimate of all of them (a refusal there refuses every one).
 * `freeing`: the jobs whose ending write will place these (their slots count as free; see admissionRefusal).
 * Until that write's settle the record holds both, which only makes other admissions meanwhile stricter.
 */
export async function admitAsMany(
  uid: string,
  jobs: SlotRequest[],
  limits: Limits = currentLimits(),
  shares?: QueueShares,
  freeing: readonly string[] = [],
): Promise<PartialAdmission> {
  if (jobs.length === 0) return { admitted: [], refusal: null };
  const estimate = usd(jobs.reduce((sum, job) => sum + job.estimated_usd, 0));
  const decided = await mutateUsageWith(globalCeiling(estimate))(uid, (usage, now) =>
    admitPrefix(usage, jobs, limits, shares, now, freeing),
  );
  if (decided !== NO_CHANGE) return decided;
  // Nothing fit, so nothing was written: say why from a fresh read (the change's own read is gone with it).
  const usage = await readUsage(uid);
  const refusal = admissionRefusal(usage, jobs.slice(0, 1), limits, shares, freeing);
  return {
    admitted: [],
    refusal: refusal ?? { kind: 'slots', message: 'Your running jobs hold every slot.' },
  };
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
