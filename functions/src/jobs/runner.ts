// Runs one task delivery of a job: claim -> handler -> complete, or requeue/fail on error. Each state
// change is its own `mutateProject` transaction guarded by the job id, so duplicate deliveries, superseded
// or canceled jobs and retries after success change nothing.
import { TaskPayloadSchema, type ProjectDoc, type TaskPayload } from '@reelforge/schema';
import { JobCanceled, NotFound, PermanentJobError } from '../errors.js';
import { mutateProject, NO_WRITE } from '../projects/store.js';
import { bucket } from '../firebase.js';
import { log, errorText } from '../log.js';
import { ProviderError } from '../providers/errors.js';
import { addActualCost, costMeter, type CostMeter } from './cost-meter.js';
import { progressWorthWriting } from './progress.js';
import { JOB_MAX_ATTEMPTS, JOBS, STEP_NAMES } from './registry.js';
import { isRetryable } from './retry.js';
import {
  attemptsLeft,
  claimJob,
  completeJob,
  failJob,
  findJob,
  heldBy,
  requeueJob,
  setProgress,
  type ClaimOutcome,
  type JobLocation,
} from './state.js';
import type { JobContext, JobResult } from './types.js';

/** How long a claimed execution holds the job before another delivery may take it over. */
export const LEASE_SECONDS = 30 * 60;

export async function runTask(raw: unknown): Promise<void> {
  const parsed = TaskPayloadSchema.safeParse(raw);
  if (!parsed.success) {
    // A malformed task can never succeed: acknowledge it instead of letting Cloud Tasks retry it forever.
    log.jobSkipped('malformed payload', { issues: parsed.error.issues.length });
    return;
  }
  const payload = parsed.data;
  const ids = { project_id: payload.project_id, job_id: payload.job_id, type: payload.type };

  const claim = await claimOrSkip(payload);
  if (!claim) return;
  const { project, outcome, lease } = claim;
  log.jobClaimed({ ...ids, attempt: outcome.job.attempt, resumed: outcome.resumed });

  const controller = new AbortController();
  const ctx = makeContext(payload, project, lease, controller.signal);
  try {
    const result = await JOBS[payload.type].handler(ctx);
    if ('waiting' in result) {
      if (!result.leaseReleased) await releaseLease(payload, lease, ctx.cost);
      // Run on at once if the provider finished while the lease turned its webhook's delivery away.
      if (await result.finishedMeanwhile()) await runTask(raw);
      return;
    }
    await completeOrDiscard(payload, lease, result, ctx.cost);
  } catch (err) {
    controller.abort();
    await handleFailure(payload, lease, err, ctx.cost);
  }
}

async function claimOrSkip(payload: TaskPayload) {
  const ids = { project_id: payload.project_id, job_id: payload.job_id };
  try {
    const seen: { outcome: ClaimOutcome } = { outcome: { claimed: false, reason: 'missing' } };
    const { project } = await mutateProject(payload.project_id, { uid: null }, (p, { now }) => {
      const loc = matchingJob(findJob(p, payload.job_id), payload);
      seen.outcome = claimJob(loc, now, LEASE_SECONDS);
      if (seen.outcome.claimed) return true;
      if (seen.outcome.reason === 'exhausted' && loc) {
        failJob(loc.job, `Gave up after ${JOB_MAX_ATTEMPTS[loc.job.type]} attempts.`, now);
        return true;
      }
      return NO_WRITE;
    });
    const { outcome } = seen;
    if (!outcome.claimed) {
      log.jobSkipped(outcome.reason, ids);
      return undefined;
    }
    const lease = outcome.job.lease_until?.toMillis();
    if (lease === undefined) throw new Error('a claimed job must hold a lease');
    return { project, outcome, lease };
  } catch (err) {
    if (err instanceof NotFound) {
      log.jobSkipped('project deleted', ids);
      return undefined;
    }
    throw err;
  }
}

/**
 * The job only if the task describes it: a task naming the right job id but another type or scene is
 * malformed (it would run the wrong handler on the job) and is treated like one for a missing job.
 */
function matchingJob(loc: JobLocation | undefined, payload: TaskPayload): JobLocation | undefined {
  if (!loc || loc.job.type !== payload.type || loc.scene?.id !== payload.scene_id) return undefined;
  return loc;
}

function makeContext(
  payload: TaskPayload,
  project: ProjectDoc,
  lease: number,
  signal: AbortSignal,
): JobContext {
  const loc = findJob(project, payload.job_id);
  if (!loc) throw new Error('claimed job vanished from its own snapshot');
  let stored = { progress: loc.job.progress, last_update: loc.job.last_update };
  return {
    cost: costMeter(),
    payload,
    project,
    scene: loc.scene,
    job: loc.job,
    signal,
    async progress(value) {
      if (!progressWorthWriting(stored, value, Date.now())) return;
      const { project: fresh } = await mutateProject(payload.project_id, { uid: null }, (p, { now }) => {
        const own = findJob(p, payload.job_id);
        if (!heldBy(own, lease)) return NO_WRITE;
        setProgress(own.job, value, now);
        return true;
      });
      const own = findJob(fresh, payload.job_id);
      if (!heldBy(own, lease)) throw new JobCanceled('job is no longer held by this execution');
      stored = { progress: own.job.progress, last_update: own.job.last_update };
      log.jobProgress({ job_id: payload.job_id, progress: own.job.progress });
    },
    async setProviderRef(ref, options = {}) {
      const { result } = await mutateProject(payload.project_id, { uid: null }, (p, { now }) => {
        const own = findJob(p, payload.job_id);
        if (!heldBy(own, lease)) return NO_WRITE;
        if (ref) own.job.provider_ref = ref;
        else delete own.job.provider_ref;
        if (options.releaseLease) own.job.lease_until = null;
        own.job.last_update = now;
        return true;
      });
      if (result === NO_WRITE) throw new JobCanceled('job is no longer active');
    },
  };
}

async function releaseLease(payload: TaskPayload, lease: number, cost: CostMeter) {
  await mutateProject(payload.project_id, { uid: null }, (p) => {
    const own = findJob(p, payload.job_id);
    if (!heldBy(own, lease)) return NO_WRITE;
    own.job.lease_until = null;
    addActualCost(own.job, cost.usd(false));
    return true;
  });
}

async function completeOrDiscard(payload: TaskPayload, lease: number, result: JobResult, cost: CostMeter) {
  let replaced: string[] = [];
  let completed = false;
  try {
    await mutateProject(payload.project_id, { uid: null }, (p, { now }) => {
      const own = findJob(p, payload.job_id);
      if (!heldBy(own, lease)) return NO_WRITE;
      replaced = result.apply(p, own.scene, now);
      completeJob(own.job, now);
      addActualCost(own.job, cost.usd(true));
      completed = true;
      return true;
    });
  } catch (err) {
    if (!(err instanceof NotFound)) {
      // The result could not be recorded (refused by `apply`, or Firestore failed): its files must not stay.
      await deleteQuietly(result.files);
      throw err;
    }
  }
  // Files of a job that was canceled or superseded meanwhile must not linger; nor must the files that a
  // completed job's result replaced.
  await deleteQuietly(completed ? replaced.filter((p) => !result.files.includes(p)) : result.files);
  if (completed)
    log.jobCompleted({ project_id: payload.project_id, job_id: payload.job_id, files: result.files.length });
  else log.jobSkipped('canceled or superseded before completion', { job_id: payload.job_id });
}

async function handleFailure(payload: TaskPayload, lease: number, err: unknown, cost: CostMeter) {
  const ids = { project_id: payload.project_id, job_id: payload.job_id, type: payload.type };
  if (err instanceof JobCanceled) {
    log.jobSkipped('canceled while running', ids);
    return;
  }
  const retryable = isRetryable(err);
  const message = humanMessage(payload, err);
  const outcome: { held: boolean; willRetry: boolean } = { held: false, willRetry: false };
  try {
    await mutateProject(payload.project_id, { uid: null }, (p, { now }) => {
      const own = findJob(p, payload.job_id);
      if (!heldBy(own, lease)) return NO_WRITE;
      outcome.held = true;
      outcome.willRetry = retryable && attemptsLeft(own.job);
      if (outcome.willRetry) requeueJob(own.job, message, now);
      else failJob(own.job, message, now);
      addActualCost(own.job, cost.usd(!outcome.willRetry));
      return true;
    });
  } catch (txErr) {
    if (txErr instanceof NotFound) return;
    // Could not even record the failure (Firestore unavailable): let Cloud Tasks deliver again.
    throw txErr;
  }
  if (!outcome.held) {
    log.jobSkipped('lost its claim before failing', { ...ids, error: errorText(err) });
    return;
  }
  if (outcome.willRetry) {
    log.jobRetrying(err, ids);
    // Thrown so that Cloud Tasks retries with its backoff.
    throw err instanceof Error ? err : new Error(message);
  }
  log.jobFailed(message, ids);
}

/** A message a person understands: which step failed and why, in the provider's words where it gave some. */
export function humanMessage(payload: TaskPayload, err: unknown): string {
  const step = STEP_NAMES[payload.type];
  if (err instanceof PermanentJobError) return `${step} failed: ${err.message}`;
  if (err instanceof ProviderError) return `${step} failed: ${err.message}`;
  return `${step} failed unexpectedly: ${errorText(err)}`;
}

export async function deleteQuietly(paths: string[]): Promise<void> {
  await Promise.all(
    paths.map((path) =>
      bucket()
        .file(path)
        .delete({ ignoreNotFound: true })
        .catch((err: unknown) => log.warn('could not delete a file', { path, error: errorText(err) })),
    ),
  );
}
