// Runs one task delivery of a job: claim -> handler -> complete, or requeue/fail on error. Each state
// change is its own `mutateProject` write (an optimistic compare-and-set) guarded by the job id, so
// duplicate deliveries, superseded or canceled jobs and retries after success change nothing.
import { Timestamp } from 'firebase-admin/firestore';
import {
  renderedFilePaths,
  TaskPayloadSchema,
  type ActiveJobDoc,
  type ProductionDoc,
  type ProjectDoc,
  type TaskPayload,
} from '@reelforge/schema';
import { JobCanceled, NotFound, PermanentJobError } from '../errors.js';
import {
  DISCARD_WRITES,
  mutateProject,
  projectRef,
  parseProject,
  unchanged,
  type SideWrites,
} from '../projects/store.js';
import { deleteFiles } from '../storage/files.js';
import { takeNamedPaths } from '../projects/takes.js';
import { errorText, log } from '../log.js';
import { ProviderError } from '../providers/errors.js';
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
import { mutateHeldJob, type HeldOutcome } from './held.js';
import { deliverPart } from './part-runner.js';
import { fanInDue, fanOutParts } from './parts.js';
import { progressStepWorthIt } from './progress.js';
import { recordProgress } from './progress-write.js';
import { enqueueJob, partTaskId } from './queues.js';
import { abandonJob } from './stop.js';
import { JOB_LEASE_SECONDS, JOB_TIMEOUT_SECONDS, JOBS, STEP_NAMES } from './registry.js';
import { addActualCost, costMeter } from './cost-meter.js';
import { failureKind } from './retry.js';
import {
  dropHandOff,
  finishPlacement,
  placeNext,
  prepareHandOff,
  type Placed,
} from './production/advance.js';
import {
  completeJob,
  decideClaim,
  decideFailure,
  findJob,
  heldBy,
  isLiveJob,
  type ClaimDecision,
  type JobDecision,
  type JobLocation,
} from './state.js';
import type { JobConfig } from '../config.js';
import type { JobContext, JobResult } from './types.js';

export { JobBusy };

type ProductionStatus = ProductionDoc['status'];

/** Time kept back from a function's timeout for what follows a wait: persisting output, completing. */
const AFTER_WAIT_RESERVE_SECONDS = 90;

/** Until when an execution of this type may wait for a provider, claimed at `startedMs`. */
export function waitDeadline(type: TaskPayload['type'], startedMs: number): number {
  const timeout = JOB_TIMEOUT_SECONDS[type];
  return startedMs + Math.max(timeout / 2, timeout - AFTER_WAIT_RESERVE_SECONDS) * 1000;
}

/**
 * The task function's body: parses the payload and carries out each delivery's outcome. The only throw
 * is here, at the boundary, because a thrown error is how a task asks Cloud Tasks to deliver it again.
 */
export async function runTask(raw: unknown, config: JobConfig): Promise<void> {
  const parsed = TaskPayloadSchema.safeParse(raw);
  if (!parsed.success) {
    // A malformed task can never succeed: acknowledge it instead of letting Cloud Tasks retry it forever.
    log.jobSkipped('malformed payload', { issues: parsed.error.issues.length });
    return;
  }
  const payload = parsed.data;
  for (;;) {
    const delivery = payload.part
      ? await deliverPart({ ...payload, part: payload.part }, config)
      : await deliver(payload, config);
    if (delivery.kind === 'again') continue;
    if (delivery.kind === 'redeliver') throw delivery.error;
    return;
  }
}

/** Claim -> handler -> complete, or the failure's decision: one execution's go at the job. */
async function deliver(payload: TaskPayload, config: JobConfig): Promise<Delivery> {
  const ids = { project_id: payload.project_id, job_id: payload.job_id, type: payload.type };
  const startedMs = Date.now();
  const claim = await claimOrSkip(payload, config.providers);
  if (claim.kind !== 'run') return claim.delivery;
  const { project, job, resumed, lease } = claim;
  log.jobClaimed({ ...ids, attempt: job.attempt, resumed });

  const controller = new AbortController();
  const deadline = waitDeadline(payload.type, startedMs);
  const ctx = makeContext(payload, project, lease, config, controller.signal, deadline);
  const run: Execution = { payload, lease, uid: project.user_id, cost: ctx.cost };
  const watch = startWatch(
    payload,
    {
      touch: async () =>
        (
          await mutateHeldJob(payload.project_id, payload.job_id, lease, (own, _p, now) => {
            own.job.last_update = now;
          })
        ).held,
      holds: (p) => heldBy(findJob(p, payload.job_id), lease),
    },
    controller,
  );
  try {
    const result = await JOBS[payload.type].handler(ctx).finally(watch.stop);
    if ('waiting' in result) {
      if (!result.leaseReleased) await releaseLease(run);
      return (await result.finishedMeanwhile()) ? { kind: 'again' } : DONE;
    }
    await completeOrDiscard(run, result);
    return DONE;
  } catch (err) {
    // Stopped by the watch: whatever the handler threw on the abort (the SDK's abort error), it was a cancel.
    const reason: unknown = controller.signal.reason;
    controller.abort();
    return handleFailure(run, reason instanceof JobCanceled ? reason : err, config.providers);
  }
}

type Claim =
  | { kind: 'run'; project: ProjectDoc; job: ActiveJobDoc; resumed: boolean; lease: number }
  | { kind: 'not-run'; delivery: Delivery };

/** A claim's decision, with the job as it failed when the claim failed it for good. */
type ClaimDecided = { decision: ClaimDecision; failedJob?: ActiveJobDoc };

/** Carries out the claim's decision (state.ts's `decideClaim`): run, acknowledge, or hand back for later. */
async function claimOrSkip(payload: TaskPayload, providers: JobConfig['providers']): Promise<Claim> {
  const ids = { project_id: payload.project_id, job_id: payload.job_id };
  let claimed: { project: ProjectDoc; value: ClaimDecided };
  try {
    claimed = await mutateProject<ClaimDecided>(payload.project_id, { uid: null }, (p, { now }) => {
      const loc = matchingJob(findJob(p, payload.job_id), payload);
      const decision = decideClaim(loc, now, JOB_LEASE_SECONDS[payload.type]);
      // Failed for good just now (attempts spent, or its worker killed): written, and its work stopped below.
      if (decision.action === 'fail' && loc) return { decision, failedJob: { ...loc.job } };
      return decision.action === 'run' ? { decision } : unchanged({ decision });
    });
  } catch (err) {
    if (!(err instanceof NotFound)) throw err;
    log.jobSkipped('project deleted', ids);
    return { kind: 'not-run', delivery: DONE };
  }
  const { decision, failedJob } = claimed.value;
  switch (decision.action) {
    case 'run': {
      const lease = decision.job.lease_until?.toMillis();
      if (lease === undefined) throw new Error('a claimed job must hold a lease');
      return { kind: 'run', project: claimed.project, job: decision.job, resumed: decision.resumed, lease };
    }
    case 'hand-back':
      log.jobSkipped(decision.reason, ids);
      return { kind: 'not-run', delivery: { kind: 'redeliver', error: new JobBusy(payload.job_id) } };
    case 'fail':
      log.jobSkipped(decision.reason, ids);
      if (failedJob) await abandonJob(payload.project_id, failedJob, providers);
      return { kind: 'not-run', delivery: DONE };
    case 'skip':
      log.jobSkipped(decision.reason, ids);
      return { kind: 'not-run', delivery: DONE };
  }
}

function makeContext(
  payload: TaskPayload,
  project: ProjectDoc,
  lease: number,
  config: JobConfig,
  signal: AbortSignal,
  deadline: number,
): JobContext {
  const loc = findJob(project, payload.job_id);
  if (!loc) throw new Error('claimed job vanished from its own snapshot');
  // What this execution knows of the budget without reading: the job's stored progress, and the moment
  // before which no report can be written (from the document as last seen).
  let shown = loc.job.progress;
  let notBeforeMs = 0;
  return {
    cost: costMeter(),
    payload,
    project,
    scene: loc.scene,
    job: loc.job,
    config,
    signal,
    deadline,
    outputId: `${payload.job_id}-${lease.toString(36)}`,
    async progress(value) {
      if (!progressStepWorthIt({ progress: shown }, value) || Date.now() < notBeforeMs) return;
      const outcome = await recordProgress(payload.project_id, value, (p) => {
        const own = findJob(p, payload.job_id);
        return heldBy(own, lease) ? own.job : undefined;
      });
      if (!outcome.held) throw new JobCanceled('job is no longer held by this execution');
      shown = outcome.progress;
      notBeforeMs = outcome.notBeforeMs;
      if (outcome.written) log.jobProgress({ job_id: payload.job_id, progress: shown });
    },
    async fanOut(names, reset) {
      const outcome = await mutateHeldJob(payload.project_id, payload.job_id, lease, (own, _p, now) =>
        fanOutParts(own.job, names, reset, now),
      );
      if (!outcome.held) throw new JobCanceled('job is no longer held by this execution');
      const { enqueue, dropped } = outcome.value;
      await deleteFiles(dropped.flatMap((part) => renderedFilePaths(part.pack)));
      const job = findJob(outcome.project, payload.job_id)!.job;
      await Promise.all(
        enqueue.map(({ name, n }) =>
          enqueueJob(payload.project_id, job, undefined, partTaskId(job.job_id, name, n), name),
        ),
      );
      log.jobFannedOut({ job_id: payload.job_id, parts: names.length, enqueued: enqueue.length });
      return {
        waiting: true,
        // A part that ended the fan-out while this execution held the job had its wake-up handed back.
        async finishedMeanwhile() {
          const snap = await projectRef(payload.project_id).get();
          if (!snap.exists) return false;
          const own = findJob(parseProject(snap.id, snap.data()), payload.job_id);
          return isLiveJob(own) && fanInDue(own.job);
        },
      };
    },
    async setProviderRef(ref, options = {}) {
      const outcome = await mutateHeldJob(payload.project_id, payload.job_id, lease, (own, _p, now) => {
        if (ref) own.job.provider_ref = ref;
        else delete own.job.provider_ref;
        if (options.releaseLease) own.job.lease_until = null;
        own.job.last_update = now;
      });
      if (!outcome.held) throw new JobCanceled('job is no longer active');
    },
  };
}

/** Hands the job back unfinished; what this execution spent that a resume cannot reuse is booked. */
async function releaseLease(run: Execution) {
  const { payload, lease, cost } = run;
  const outcome = await mutateHeldJob(payload.project_id, payload.job_id, lease, (own) => {
    own.job.lease_until = null;
    addActualCost(own.job, cost.usd(false));
  });
  if (!outcome.held) await bookStopped(run);
}

/**
 * Records the result if this execution still holds the job, and deletes what must not stay: the files the
 * result replaced when it was recorded, or this execution's own files when it was not (canceled,
 * superseded, project deleted, or refused by `apply`). Which of the two is decided by the write that won.
 * The same write places the production's next steps (production/advance.ts's hand-off), whose slots are
 * taken before it and given back when it does not place them.
 */
async function completeOrDiscard(run: Execution, result: JobResult) {
  const { payload, lease, cost } = run;
  const end = (p: ProjectDoc, own: JobLocation, now: Timestamp, also: SideWrites) => {
    const replaced = result.apply(p, own.scene, now, also);
    completeJob(own.job, now);
    return replaced;
  };
  const handOff = await prepareHandOff(payload.project_id, payload.job_id, (copy) => {
    const own = findJob(copy, payload.job_id);
    if (own) end(copy, own, Timestamp.now(), DISCARD_WRITES);
  }).catch((err: unknown) => {
    // Only a missed shortcut: the follow-up advance after the ending write places the next steps instead.
    log.warn('could not prepare the production hand-off', { job_id: payload.job_id, error: errorText(err) });
    return null;
  });
  type Ended = { replaced: string[]; next: (Placed & { statusBefore: ProductionStatus | null }) | null };
  let outcome: HeldOutcome<Ended> | undefined;
  try {
    outcome = await mutateHeldJob(payload.project_id, payload.job_id, lease, (own, p, now, ctx) => {
      // The cost first: a scene asset's take records what its job cost (projects/takes.ts).
      addActualCost(own.job, cost.usd(true));
      const replaced = end(p, own, now, ctx.also);
      // Ended as completed, with its cost, before the next step may take its place in its scene.
      ctx.markEnds();
      const statusBefore = p.production?.status ?? null;
      const next = handOff ? placeNext(p, handOff, now).value : null;
      return { replaced, next: next && { ...next, statusBefore } };
    });
  } catch (err) {
    await dropHandOff(handOff);
    if (!(err instanceof NotFound)) {
      // The result could not be recorded (refused by `apply`, or Firestore failed): its files must not stay.
      await deleteFiles(result.files);
      throw err;
    }
  }
  if (outcome?.held) {
    const { replaced, next } = outcome.value;
    if (handOff && next) await finishPlacement(payload.project_id, handOff, next, next.statusBefore);
    await deleteReplaced(
      payload.project_id,
      replaced.filter((path) => !result.files.includes(path)),
    );
    log.jobCompleted({ project_id: payload.project_id, job_id: payload.job_id, files: result.files.length });
  } else {
    await dropHandOff(handOff);
    await deleteFiles(result.files);
    log.jobSkipped('canceled or superseded before completion', { job_id: payload.job_id });
    await bookStopped(run);
  }
}

/**
 * Deletes what a completed result stopped naming, but for the files a kept take still names: an asset an edit
 * or a new scene text cleared stays among its scene's takes (projects/takes.ts).
 */
async function deleteReplaced(projectId: string, paths: string[]): Promise<void> {
  if (paths.length === 0) return;
  // Should the lookup fail, nothing is deleted: the hourly reconciliation removes what no take names.
  const kept = await takeNamedPaths(projectId, paths).catch((err: unknown) => {
    log.warn('could not tell which replaced files takes keep; leaving them', {
      project_id: projectId,
      error: errorText(err),
    });
    return new Set(paths);
  });
  await deleteFiles(paths.filter((path) => !kept.has(path)));
}

/**
 * A failed execution: writes what state.ts's `decideFailure` decided for the job it still holds (hand it
 * back, requeue, or fail it for good) with the cost spent, and says whether Cloud Tasks delivers again.
 */
async function handleFailure(
  run: Execution,
  err: unknown,
  providers: JobConfig['providers'],
): Promise<Delivery> {
  const { payload, lease, cost } = run;
  const ids = { project_id: payload.project_id, job_id: payload.job_id, type: payload.type };
  const kind = failureKind(err);
  if (kind === 'canceled') {
    log.jobSkipped('canceled while running', ids);
    await bookStopped(run);
    return DONE;
  }
  // Worded before the write (it may log an incident, which a rerun of the change must not repeat).
  const message = kind === 'still-running' ? '' : humanMessage(payload, err);
  const thrown = err instanceof Error ? err : new Error(message);
  let outcome: HeldOutcome<{
    decision: JobDecision;
    providerRef: string | undefined;
    parts: ActiveJobDoc['parts'];
  }>;
  try {
    outcome = await mutateHeldJob(payload.project_id, payload.job_id, lease, (own, _p, now) => {
      const decision = decideFailure(own.job, kind, message, now);
      addActualCost(own.job, cost.usd(decision.action === 'fail'));
      return { decision, providerRef: own.job.provider_ref, parts: own.job.parts };
    });
  } catch (writeErr) {
    // The project is gone: nothing is left to retry. Otherwise the failure could not even be recorded
    // (Firestore unavailable): let Cloud Tasks deliver again.
    if (writeErr instanceof NotFound) {
      await bookStopped(run);
      return kind === 'still-running' ? { kind: 'redeliver', error: writeErr } : DONE;
    }
    return {
      kind: 'redeliver',
      error: writeErr instanceof Error ? writeErr : new Error(errorText(writeErr)),
    };
  }
  if (!outcome.held) {
    await bookStopped(run);
    // Handed back all the same: the next delivery finds the job finished or taken over and acknowledges.
    if (kind === 'still-running') return { kind: 'redeliver', error: thrown };
    log.jobSkipped('lost its claim before failing', { ...ids, error: errorText(err) });
    return DONE;
  }
  const { decision, providerRef, parts } = outcome.value;
  if (decision.action === 'hand-back' || decision.action === 'requeue') {
    log.jobRetrying(err, ids);
    return { kind: 'redeliver', error: thrown };
  }
  log.jobFailed(message, ids);
  // A job that failed for good wants none of its predictions any more (e.g. the moods still running), nor
  // the files it kept for retries.
  await abandonJob(
    payload.project_id,
    { job_id: payload.job_id, type: payload.type, provider_ref: providerRef, parts },
    providers,
  );
  return DONE;
}

/** A message a person understands: which step failed and why, in the provider's words where it gave some. */
export function humanMessage(payload: TaskPayload, err: unknown): string {
  const step = STEP_NAMES[payload.type];
  const reason = failureReason(payload, err);
  return err instanceof PermanentJobError || err instanceof ProviderError
    ? `${step} failed: ${reason}`
    : `${step} ${reason}`;
}
