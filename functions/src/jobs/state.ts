// The job state machine, as pure functions on the project document. Every function here runs inside a
// `mutateProject` transaction; none performs I/O, so a transaction retry simply runs it again.
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
  type ActiveJobDoc,
  type JobType,
  type ProjectDoc,
  type SceneDoc,
} from '@reelforge/schema';
import { JOB_MAX_ATTEMPTS } from './registry.js';

export interface JobLocation {
  job: ActiveJobDoc;
  /** The scene that holds the job; absent for project-level jobs. */
  scene?: SceneDoc;
}

/** A queued job; `jobId` is given when the id was chosen beforehand (the slot admission took for it). */
export function newJob(type: JobType, now: Timestamp, sceneId?: string, jobId = randomUUID()): ActiveJobDoc {
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

/** Finds a job by id wherever it lives in the project. */
export function findJob(project: ProjectDoc, jobId: string): JobLocation | undefined {
  if (project.active_job?.job_id === jobId) return { job: project.active_job };
  for (const scene of project.scenes) {
    if (scene.active_job?.job_id === jobId) return { job: scene.active_job, scene };
  }
  return undefined;
}

export type ClaimOutcome =
  | { claimed: true; job: ActiveJobDoc; resumed: boolean }
  | { claimed: false; reason: 'missing' | 'finished' | 'running' | 'exhausted' };

/**
 * Takes the job for one task execution. A queued job starts a new attempt; a processing job without a
 * live lease (waiting for a webhook, or handed back by the sweep) is resumed without counting an attempt.
 * A live lease means another delivery is working on it right now: this one is a duplicate.
 */
export function claimJob(loc: JobLocation | undefined, now: Timestamp, leaseSeconds: number): ClaimOutcome {
  if (!loc) return { claimed: false, reason: 'missing' };
  const { job } = loc;
  if (isFinishedJobStatus(job.status)) return { claimed: false, reason: 'finished' };
  if (job.lease_until && job.lease_until.toMillis() > now.toMillis())
    return { claimed: false, reason: 'running' };
  const resumed = job.status === 'processing';
  if (!resumed) {
    if (job.attempt >= JOB_MAX_ATTEMPTS[job.type]) return { claimed: false, reason: 'exhausted' };
    job.attempt += 1;
  }
  job.status = 'processing';
  job.last_update = now;
  job.lease_until = Timestamp.fromMillis(now.toMillis() + leaseSeconds * 1000);
  delete job.error_message;
  return { claimed: true, job, resumed };
}

export function isOwnLiveJob(loc: JobLocation | undefined): loc is JobLocation {
  return !!loc && !isFinishedJobStatus(loc.job.status);
}

/**
 * True while the job is live and still held by the execution that claimed it with `lease` (the claim's
 * `lease_until`, in ms). An execution that lost its claim (swept, canceled, taken over) must not write.
 */
export function heldBy(loc: JobLocation | undefined, lease: number): loc is JobLocation {
  return isOwnLiveJob(loc) && loc.job.lease_until?.toMillis() === lease;
}

export function setProgress(job: ActiveJobDoc, progress: number, now: Timestamp): void {
  job.progress = Math.max(job.progress, Math.min(99, Math.round(progress)));
  job.last_update = now;
}

export function completeJob(job: ActiveJobDoc, now: Timestamp): void {
  job.status = 'completed';
  job.progress = 100;
  job.last_update = now;
  job.lease_until = null;
  delete job.error_message;
}

export function failJob(job: ActiveJobDoc, message: string, now: Timestamp): void {
  job.status = 'failed';
  job.error_message = message.slice(0, 1000);
  job.last_update = now;
  job.lease_until = null;
}

/** Hands a job back to the queue after a retryable error; the provider reference is kept so a retry can resume. */
export function requeueJob(job: ActiveJobDoc, message: string, now: Timestamp): void {
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
