// The job state machine, as pure functions on the project document. Every function here runs inside a
// `mutateProject` change (an optimistic compare-and-set write, rerun on fresh data when it loses a race);
// none performs I/O, so a rerun simply runs it again.
//
//   queued ──claim──▶ processing ──complete──▶ completed
//     ▲                   │  │
//     └──retryable error──┘  └──permanent error / last attempt──▶ failed
//   (any unfinished state) ──cancel──▶ canceled
//
// A task only acts on a job whose `job_id` it carries and which is not finished; anything else is a
// duplicate delivery, a superseded job or a canceled one, and is acknowledged without a change.
import { randomUUID } from 'node:crypto';
import { Timestamp } from 'firebase-admin/firestore';
import {
  isFinishedJobStatus,
  isUnfinished,
  type ActiveJobDoc,
  type JobLocation,
  type JobType,
} from '@reelforge/schema';
import { JOB_MAX_ATTEMPTS, JOB_TIMEOUT_SECONDS, STEP_NAMES } from './registry.js';
import type { FailureKind } from './retry.js';

// Where a job lives in the document is read the same way everywhere (the schema's), and spoken of here as
// part of the state machine's vocabulary.
export { findJob, type JobLocation } from '@reelforge/schema';

/** A queued job; `jobId` is given when the id was chosen beforehand (the slot admission took for it). */
export function newJob(
  type: JobType,
  now: Timestamp,
  sceneId?: string,
  jobId: string = randomUUID(),
): ActiveJobDoc {
  return {
    job_id: jobId,
    type,
    status: 'queued',
    progress: 0,
    started_at: now,
    last_update: now,
    attempt: 0,
    deliveries: 0,
    lease_until: null,
    ...(sceneId ? { scene_id: sceneId } : {}),
  };
}

export type ClaimOutcome =
  | { claimed: true; job: ActiveJobDoc; resumed: boolean }
  | { claimed: false; reason: 'missing' | 'finished' | 'running' | 'exhausted' | 'lost' };

/** A running execution touches its job's `last_update` at least this often (the runner's heartbeat). */
export const HEARTBEAT_SECONDS = 60;
/**
 * A held job whose `last_update` is older than this has lost its execution: three heartbeats missed means
 * the function was killed (out of memory, its timeout) or crashed, long before its lease runs out.
 */
export const HEARTBEAT_LOST_SECONDS = 3 * HEARTBEAT_SECONDS;

/** True while an execution is working on the job: it holds an unexpired lease and its heartbeat is fresh. */
export function leaseLive(job: Pick<ActiveJobDoc, 'lease_until' | 'last_update'>, nowMs: number): boolean {
  return (
    !!job.lease_until &&
    job.lease_until.toMillis() > nowMs &&
    nowMs - job.last_update.toMillis() < HEARTBEAT_LOST_SECONDS * 1000
  );
}

/**
 * Claimed and never handed back, and no longer live: the execution died without a word (every way a
 * running execution ends on its own clears the lease: complete, fail, requeue, waiting for a webhook).
 */
export function executionLost(job: ActiveJobDoc, nowMs: number): boolean {
  return job.status === 'processing' && !!job.lease_until && !leaseLive(job, nowMs);
}

/** Why a job whose executions kept dying failed, in words: the platform gives the function no last word. */
export function lostExecutionMessage(job: ActiveJobDoc): string {
  const tries = job.attempt === 1 ? '1 attempt' : `${job.attempt} attempts`;
  return (
    `the worker was stopped before it finished: it ran out of memory or reached its ` +
    `${JOB_TIMEOUT_SECONDS[job.type]} s time limit (${tries}).`
  );
}

/**
 * Takes the job for one task execution. A queued job starts a new attempt; a processing job whose lease
 * was handed back (waiting for a webhook) is resumed without counting an attempt; a processing job whose
 * execution died (see `executionLost`) starts a new attempt that resumes its provider work. A live lease
 * means another delivery is working on it right now: this one must come back later.
 */
export function claimJob(loc: JobLocation | undefined, now: Timestamp, leaseSeconds: number): ClaimOutcome {
  if (!loc) return { claimed: false, reason: 'missing' };
  const { job } = loc;
  const nowMs = now.toMillis();
  if (isFinishedJobStatus(job.status)) return { claimed: false, reason: 'finished' };
  if (leaseLive(job, nowMs)) return { claimed: false, reason: 'running' };
  const lost = executionLost(job, nowMs);
  const resumed = job.status === 'processing' && !lost;
  if (!resumed) {
    if (job.attempt >= JOB_MAX_ATTEMPTS[job.type])
      return { claimed: false, reason: lost ? 'lost' : 'exhausted' };
    job.attempt += 1;
  }
  job.status = 'processing';
  job.last_update = now;
  job.lease_until = Timestamp.fromMillis(nowMs + leaseSeconds * 1000);
  delete job.error_message;
  return { claimed: true, job, resumed };
}

/**
 * What a delivery does with the job, decided on the document: the runner carries it out and decides
 * nothing itself. `run`: this execution holds the job now. `skip`: acknowledge, nothing to do (gone,
 * finished, canceled). `hand-back`: leave the job unfinished without spending an attempt and have Cloud
 * Tasks deliver again later. `requeue`: a retryable failure with attempts left. `fail`: failed for good.
 */
export type JobDecision =
  | { action: 'run'; job: ActiveJobDoc; resumed: boolean }
  | { action: 'skip'; reason: 'missing' | 'finished' | 'canceled' }
  | { action: 'hand-back'; reason: 'running' | 'provider-still-running' }
  | { action: 'requeue' }
  | { action: 'fail'; reason: 'exhausted' | 'lost' | 'permanent' | 'last-attempt'; message?: string };

/** What a claim can decide: every action but a requeue, which only a failed execution asks for. */
export type ClaimDecision = Exclude<JobDecision, { action: 'requeue' }>;

/**
 * A delivery's claim as a decision (`claimJob` on `loc`, the job failed in place when it cannot run again).
 * A live lease hands the delivery back: another execution is on it, and if it was killed meanwhile a later
 * delivery finds its lease lost and takes it over.
 */
export function decideClaim(
  loc: JobLocation | undefined,
  now: Timestamp,
  leaseSeconds: number,
): ClaimDecision {
  const claim = claimJob(loc, now, leaseSeconds);
  if (claim.claimed) return { action: 'run', job: claim.job, resumed: claim.resumed };
  if (claim.reason === 'running') return { action: 'hand-back', reason: 'running' };
  if (claim.reason === 'finished') return { action: 'skip', reason: 'finished' };
  if (claim.reason === 'missing' || !loc) return { action: 'skip', reason: 'missing' };
  const message =
    claim.reason === 'exhausted'
      ? `Gave up after ${JOB_MAX_ATTEMPTS[loc.job.type]} attempts.`
      : `${STEP_NAMES[loc.job.type]} failed: ${lostExecutionMessage(loc.job)}`;
  failJob(loc.job, message, now);
  return { action: 'fail', reason: claim.reason, message };
}

/**
 * What a failed execution does with the job it still holds, from the failure's kind (retry.ts's
 * `failureKind`) and the attempts left. Only `requeue` and `fail` change the job's status here; the
 * runner writes the lease release and the cost for every action but `skip`.
 */
export function decideFailure(
  job: ActiveJobDoc,
  kind: FailureKind,
  message: string,
  now: Timestamp,
): JobDecision {
  switch (kind) {
    case 'canceled':
      return { action: 'skip', reason: 'canceled' };
    case 'still-running':
      // The provider outlives this function: no attempt spent; the next delivery resumes its prediction.
      job.lease_until = null;
      return { action: 'hand-back', reason: 'provider-still-running' };
    case 'retryable':
      if (attemptsLeft(job)) {
        requeueJob(job, message, now);
        return { action: 'requeue' };
      }
      failJob(job, message, now);
      return { action: 'fail', reason: 'last-attempt' };
    case 'permanent':
      failJob(job, message, now);
      return { action: 'fail', reason: 'permanent' };
  }
}

/**
 * Deliveries Cloud Tasks may make per job attempt: the run itself, plus the backed-off deliveries that meet
 * a dead holder's live-looking lease and are handed back until its heartbeat is HEARTBEAT_LOST_SECONDS old
 * (with a 5 s minimum backoff doubling 4 times: 5+10+20+40+80+160 s passes 180 s on the 7th), plus one
 * spare. test/unit/job-state.test.ts checks the sum against every queue's backoff.
 */
export const DELIVERIES_PER_ATTEMPT = 8;

/** True when the job exists and is still queued or processing (not completed, failed or canceled). */
export function isLiveJob(loc: JobLocation | undefined): loc is JobLocation {
  return !!loc && isUnfinished(loc.job);
}

/**
 * True while the job is live and still held by the execution that claimed it with `lease` (the claim's
 * `lease_until`, in ms). An execution that lost its claim (swept, canceled, taken over) must not write.
 */
export function heldBy(loc: JobLocation | undefined, lease: number): loc is JobLocation {
  return isLiveJob(loc) && loc.job.lease_until?.toMillis() === lease;
}

export function setProgress(
  job: Pick<ActiveJobDoc, 'progress' | 'last_update'>,
  progress: number,
  now: Timestamp,
): void {
  job.progress = Math.max(job.progress, Math.min(99, Math.round(progress)));
  job.last_update = now;
}

/** What a job and a part of one (parts.ts) share: the fields their status changes write. */
type Claimable = Pick<ActiveJobDoc, 'status' | 'progress' | 'last_update' | 'lease_until' | 'error_message'>;

export function completeJob(job: Claimable, now: Timestamp): void {
  job.status = 'completed';
  job.progress = 100;
  job.last_update = now;
  job.lease_until = null;
  delete job.error_message;
}

export function failJob(job: Claimable, message: string, now: Timestamp): void {
  job.status = 'failed';
  job.error_message = message.slice(0, 1000);
  job.last_update = now;
  job.lease_until = null;
}

/** Hands a job back to the queue after a retryable error; the provider reference is kept so a retry can resume. */
export function requeueJob(job: Claimable, message: string, now: Timestamp): void {
  job.status = 'queued';
  job.error_message = `Retrying after: ${message}`.slice(0, 1000);
  job.last_update = now;
  job.lease_until = null;
}

export function cancelJobState(job: ActiveJobDoc, now: Timestamp): void {
  job.status = 'canceled';
  job.last_update = now;
  job.lease_until = null;
}

export function attemptsLeft(job: ActiveJobDoc): boolean {
  return job.attempt < JOB_MAX_ATTEMPTS[job.type];
}

/** The next task id suffix for a re-delivery of this job (Cloud Tasks refuses a used id for about an hour). */
export function nextDelivery(job: ActiveJobDoc): number {
  job.deliveries = (job.deliveries ?? 0) + 1;
  return job.deliveries;
}
