// Runs one task delivery of one part of a job done in parts (parts.ts): claim the part -> its handler ->
// record it, or requeue / fail it on error, each write guarded by the part's lease as a job's are by its
// own (runner.ts). The write that leaves the fan-in due (every part finished, or one failed for good) wakes
// the job's own task, which completes the job from its parts or fails it.
import type { ProjectDoc, RenderKey, TaskPayload } from '@reelforge/schema';
import { NotFound } from '../errors.js';
import { mutateProject, unchanged } from '../projects/store.js';
import { deleteFiles } from '../storage/files.js';
import { errorText, log } from '../log.js';
import type { JobConfig } from '../config.js';
import { addActualCost, costMeter } from './cost-meter.js';
import {
  bookStopped,
  DONE,
  failureReason,
  JobBusy,
  matchingJob,
  startWatch,
  type Delivery,
  type Execution,
} from './execution.js';
import { mutateHeldPart } from './held.js';
import {
  claimPart,
  completePart,
  failPart,
  fanInDue,
  partHeldBy,
  progressFromParts,
  requeuePart,
  type PartClaim,
} from './parts.js';
import { progressStepWorthIt } from './progress.js';
import { recordProgress } from './progress-write.js';
import { enqueueJob, taskId } from './queues.js';
import { JOB_LEASE_SECONDS, JOB_MAX_ATTEMPTS, JOBS } from './registry.js';
import { failureKind } from './retry.js';
import { findJob, lostExecutionMessage, nextDelivery } from './state.js';
import type { PartContext, PartResult } from './types.js';

type PartPayload = TaskPayload & { part: RenderKey };

/** One delivery of a part's task. */
export async function deliverPart(payload: PartPayload, config: JobConfig): Promise<Delivery> {
  const definition = JOBS[payload.type];
  const ids = { project_id: payload.project_id, job_id: payload.job_id, part: payload.part };
  if (!definition.parts) {
    log.jobSkipped('malformed payload: the job type has no parts', ids);
    return DONE;
  }
  const name = payload.part;
  let claimed;
  try {
    claimed = await mutateProject<{ claim: PartClaim; wake: number | null }>(
      payload.project_id,
      { uid: null },
      (p, { now }) => {
        const loc = matchingJob(findJob(p, payload.job_id), payload);
        const message = loc
          ? `the worker was stopped before it finished: ${lostExecutionMessage(loc.job)}`
          : '';
        const claim = claimPart(
          loc,
          name,
          now,
          JOB_LEASE_SECONDS[payload.type],
          JOB_MAX_ATTEMPTS[payload.type],
          message,
        );
        if (claim.action === 'run') return { claim, wake: null };
        if (claim.action === 'fail' && loc)
          return { claim, wake: fanInDue(loc.job) ? nextDelivery(loc.job) : null };
        return unchanged({ claim, wake: null });
      },
    );
  } catch (err) {
    if (!(err instanceof NotFound)) throw err;
    log.jobSkipped('project deleted', ids);
    return DONE;
  }
  const { claim, wake } = claimed.value;
  if (claim.action === 'skip') {
    log.jobSkipped(`part ${claim.reason}`, ids);
    return DONE;
  }
  if (claim.action === 'hand-back') {
    log.jobSkipped('part running', ids);
    return { kind: 'redeliver', error: new JobBusy(payload.job_id) };
  }
  if (claim.action === 'fail') {
    log.partEnded('failed', { ...ids, reason: claim.message });
    await wakeJob(payload, claimed.project, wake);
    return DONE;
  }
  const lease = claim.part.lease_until!.toMillis();
  const job = findJob(claimed.project, payload.job_id)!.job;
  log.partClaimed({ ...ids, attempt: claim.part.attempt });

  const controller = new AbortController();
  let shown = claim.part.progress;
  let notBeforeMs = 0;
  const ctx: PartContext = {
    payload,
    part: name,
    project: claimed.project,
    job,
    config,
    signal: controller.signal,
    outputId: `${payload.job_id}-${lease.toString(36)}`,
    cost: costMeter(),
    async progress(value) {
      if (!progressStepWorthIt({ progress: shown }, value) || Date.now() < notBeforeMs) return;
      const outcome = await recordProgress(
        payload.project_id,
        value,
        (p) => {
          const own = findJob(p, payload.job_id);
          return partHeldBy(own, name, lease) ? own!.job.parts![name] : undefined;
        },
        (p) => {
          const own = findJob(p, payload.job_id)!;
          own.job.progress = progressFromParts(own.job);
          own.job.last_update = own.job.parts![name]!.last_update;
        },
      );
      if (!outcome.held) controller.abort(new Error('the part is no longer held by this execution'));
      else {
        shown = outcome.progress;
        notBeforeMs = outcome.notBeforeMs;
      }
    },
  };
  const run: Execution = { payload, lease, uid: claimed.project.user_id, cost: ctx.cost };
  const watch = startWatch(
    payload,
    {
      touch: async () =>
        (
          await mutateHeldPart(payload.project_id, payload.job_id, name, lease, (own, part, now) => {
            part.last_update = now;
            own.job.last_update = now;
          })
        ).held,
      holds: (p) => partHeldBy(findJob(p, payload.job_id), name, lease),
    },
    controller,
  );
  let result: PartResult;
  try {
    result = await definition.parts.handler(ctx).finally(watch.stop);
  } catch (err) {
    controller.abort();
    return partFailed(run, name, err);
  }
  return recordPart(run, name, result);
}

/** Records what the part made if this execution still holds it; its files are deleted when it does not. */
async function recordPart(run: Execution, name: RenderKey, result: PartResult): Promise<Delivery> {
  const { payload, lease, cost } = run;
  let outcome;
  try {
    outcome = await mutateHeldPart(payload.project_id, payload.job_id, name, lease, (own, part, now) => {
      result.record(part);
      completePart(part, now);
      addActualCost(own.job, cost.usd(true));
      own.job.progress = progressFromParts(own.job);
      own.job.last_update = now;
      return fanInDue(own.job) ? nextDelivery(own.job) : null;
    });
  } catch (err) {
    await deleteFiles(result.files);
    if (err instanceof NotFound) return DONE;
    throw err;
  }
  if (!outcome.held) {
    await deleteFiles(result.files);
    await bookStopped(run);
    return DONE;
  }
  log.partEnded('completed', { job_id: payload.job_id, part: name, files: result.files.length });
  await wakeJob(payload, outcome.project, outcome.value);
  return DONE;
}

/** A failed part: requeued for its task's next delivery while attempts remain, failed for good otherwise. */
async function partFailed(run: Execution, name: RenderKey, err: unknown): Promise<Delivery> {
  const { payload, lease, cost } = run;
  const kind = failureKind(err);
  if (kind === 'canceled') {
    await bookStopped(run);
    return DONE;
  }
  const reason = failureReason(payload, err);
  const outcome = await mutateHeldPart(payload.project_id, payload.job_id, name, lease, (own, part, now) => {
    addActualCost(own.job, cost.usd(true));
    own.job.last_update = now;
    if (kind !== 'permanent' && part.attempt < JOB_MAX_ATTEMPTS[payload.type]) {
      requeuePart(part, reason, now);
      return { again: true, wake: null };
    }
    failPart(part, reason, now);
    return { again: false, wake: nextDelivery(own.job) };
  });
  if (!outcome.held) {
    await bookStopped(run);
    return DONE;
  }
  const ids = { job_id: payload.job_id, part: name };
  if (outcome.value.again) {
    log.jobRetrying(err, ids);
    return { kind: 'redeliver', error: err instanceof Error ? err : new Error(reason) };
  }
  log.partEnded('failed', { ...ids, reason });
  await wakeJob(payload, outcome.project, outcome.value.wake);
  return DONE;
}

/**
 * The fan-in: the job's own task, delivered again to complete or fail the job. Should the enqueue fail, the
 * job waits with its parts done until the stale sweep delivers it instead.
 */
async function wakeJob(payload: TaskPayload, project: ProjectDoc, n: number | null): Promise<void> {
  const own = findJob(project, payload.job_id);
  if (n === null || !own) return;
  await enqueueJob(payload.project_id, own.job, undefined, taskId(payload.job_id, 'resume', n)).catch(
    (err: unknown) =>
      log.warn('could not wake a job whose parts are done; the sweep will', {
        job_id: payload.job_id,
        error: errorText(err),
      }),
  );
}
