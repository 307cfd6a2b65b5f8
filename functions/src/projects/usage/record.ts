// The user's usage record, `usage/{uid}`: the one document every admission of that user's jobs goes
// through. Writes are compare-and-set on its update time, like project writes (../store.ts says why): a
// refusal is decided on a plain read and writes nothing, so a burst of starts beyond the limit costs one
// read each and never queues behind a lock. Only admitted starts and job ends write here.
import { Timestamp, type DocumentReference, type WriteBatch } from 'firebase-admin/firestore';
import { UsageDocSchema, slotsHeld, type UsageDoc, type UsageSummary } from '@reelforge/schema';
import { dailyBudgetUsd, userMaxActiveJobs, userMaxProjects } from '../../config.js';
import { Contention, GRPC, hasCode } from '../../errors.js';
import { db } from '../../firebase.js';
import { usd } from '../../providers/prices.js';

export const USAGE = 'usage';
export const usageRef = (uid: string) => db().collection(USAGE).doc(uid);

/** Enough for the first `USER_MAX_ACTIVE_JOBS` of 200 simultaneous starts (bench/admission) to land. */
const WRITE_ATTEMPTS = 60;

export interface Limits {
  maxActiveJobs: number;
  maxProjects: number;
  dailyBudgetUsd: number;
}

export function currentLimits(): Limits {
  return {
    maxActiveJobs: userMaxActiveJobs(),
    maxProjects: userMaxProjects(),
    dailyBudgetUsd: dailyBudgetUsd(),
  };
}

/** The deployment's limits with this user's own (`usage.limits`, set by an operator) in their place. */
export function limitsFor(usage: UsageDoc, limits: Limits): Limits {
  const own = usage.limits;
  if (!own) return limits;
  return {
    ...limits,
    maxActiveJobs: own.max_active_jobs ?? limits.maxActiveJobs,
    dailyBudgetUsd: own.daily_budget_usd ?? limits.dailyBudgetUsd,
  };
}

/** The UTC day and month a spend at `now` belongs to. */
export function periodOf(now: Timestamp): { day: string; month: string } {
  const iso = now.toDate().toISOString();
  return { day: iso.slice(0, 10), month: iso.slice(0, 7) };
}

export function emptyUsage(uid: string, now: Timestamp): UsageDoc {
  const { day, month } = periodOf(now);
  return {
    user_id: uid,
    active: {},
    active_jobs: 0,
    day,
    spent_today_usd: 0,
    month,
    spent_month_usd: 0,
    updated_at: now,
  };
}

/** Starts a new day's (and month's) spend when `now` is past the stored one. */
export function rollOver(usage: UsageDoc, now: Timestamp): void {
  const { day, month } = periodOf(now);
  if (usage.day !== day) {
    usage.day = day;
    usage.spent_today_usd = 0;
  }
  // A production's hold is on a day's budget: a new day's budget starts with none.
  for (const [id, hold] of Object.entries(usage.held ?? {})) if (hold.day !== day) delete usage.held![id];
  if (usage.month !== month) {
    usage.month = month;
    usage.spent_month_usd = 0;
  }
}

/**
 * What is held against today's budget: the running jobs' estimates until they settle, and what running
 * productions hold for the steps they have not started yet.
 */
export function reservedUsd(usage: UsageDoc): number {
  const slots = Object.values(usage.active).reduce((sum, slot) => sum + slot.estimated_usd, 0);
  return usd(slots + Object.values(usage.held ?? {}).reduce((sum, hold) => sum + hold.usd, 0));
}

export function remainingTodayUsd(usage: UsageDoc, deployment: Limits): number {
  const limits = limitsFor(usage, deployment);
  return Math.max(0, usd(limits.dailyBudgetUsd - usage.spent_today_usd - reservedUsd(usage)));
}

export function summarize(usage: UsageDoc, deployment: Limits, now: Timestamp): UsageSummary {
  const limits = limitsFor(usage, deployment);
  return {
    active_jobs: usage.active_jobs,
    max_active_jobs: limits.maxActiveJobs,
    max_projects: limits.maxProjects,
    daily_budget_usd: limits.dailyBudgetUsd,
    reserved_usd: reservedUsd(usage),
    spent_today_usd: usd(usage.spent_today_usd),
    spent_month_usd: usd(usage.spent_month_usd),
    remaining_today_usd: remainingTodayUsd(usage, deployment),
    day: usage.day,
    month: usage.month,
    as_of: now.toDate().toISOString(),
  };
}

/** The user's usage as of now (a missing record is an empty one; a past day's spend reads as zero). */
export async function readUsage(uid: string): Promise<UsageDoc> {
  const now = Timestamp.now();
  const snap = await usageRef(uid).get();
  const usage = snap.exists ? UsageDocSchema.parse(snap.data()) : emptyUsage(uid, now);
  rollOver(usage, now);
  return usage;
}

export const NO_CHANGE = Symbol('no-change');

/**
 * Another document whose check and write commit with the usage write or not at all (the global ceiling,
 * global-ceiling.ts). `prepare` runs on each attempt once `change` has decided to write: it reads its
 * document fresh, throws to refuse, or returns the write (conditional on what it read) to add to the batch.
 */
export interface UsageCoWrite {
  prepare(now: Timestamp): Promise<(batch: WriteBatch) => void>;
}

/**
 * Read, change, write back only if nobody wrote in between; else redo on the fresh record. `change` may
 * run several times and returns what it decided (or NO_CHANGE to write nothing); it may add other
 * writes to the same atomic batch with `also` (ledger entries), and `coWrite` another conditional write.
 */
export async function mutateUsage<T>(
  uid: string,
  change: (usage: UsageDoc, now: Timestamp) => T | typeof NO_CHANGE,
  also?: (batch: WriteBatch, decided: T) => void,
  coWrite?: UsageCoWrite,
): Promise<T | typeof NO_CHANGE> {
  const ref = usageRef(uid);
  for (let attempt = 1; ; attempt++) {
    const snap = await ref.get();
    const now = Timestamp.now();
    const usage = snap.exists ? UsageDocSchema.parse(snap.data()) : emptyUsage(uid, now);
    rollOver(usage, now);
    const decided = change(usage, now);
    if (decided === NO_CHANGE) return decided;
    const writeAlongside = await coWrite?.prepare(now);
    usage.active_jobs = slotsHeld(usage.active);
    usage.updated_at = now;
    const batch = db().batch();
    writeUsage(batch, ref, usage, snap.exists ? snap.updateTime : undefined);
    also?.(batch, decided);
    writeAlongside?.(batch);
    try {
      await batch.commit();
      return decided;
    } catch (err) {
      // Lost the race: the record (or the co-written document) changed or was created since this attempt read it.
      if (!hasCode(err, GRPC.FAILED_PRECONDITION) && !hasCode(err, GRPC.ALREADY_EXISTS)) throw err;
      if (attempt >= WRITE_ATTEMPTS) throw new Contention(`usage of ${uid}`, WRITE_ATTEMPTS);
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(100, 5 * attempt)));
    }
  }
}

/** `mutateUsage` with `coWrite` committed alongside each write it makes. */
export const mutateUsageWith =
  (coWrite: UsageCoWrite) =>
  <T>(uid: string, change: (usage: UsageDoc, now: Timestamp) => T | typeof NO_CHANGE) =>
    mutateUsage(uid, change, undefined, coWrite);

function writeUsage(
  batch: WriteBatch,
  ref: DocumentReference,
  usage: UsageDoc,
  updateTime: Timestamp | undefined,
): void {
  if (!updateTime) {
    batch.create(ref, usage);
    return;
  }
  // Top-level fields are replaced whole by update(): `active` is written as a map, so a released slot goes.
  batch.update(ref, { ...usage }, { lastUpdateTime: updateTime });
}
