// What every task execution shares, a job's own (runner.ts) and a part's (part-runner.ts): how a delivery
// ends, the watch that keeps a claim alive and stops work that lost it, and the booking of what an execution
// spent after its job ended under it.
import type { ProjectDoc, TaskPayload } from '@reelforge/schema';
import { JobCanceled, NotFound, PermanentJobError } from '../errors.js';
import { mutateProject, NO_WRITE, projectRef, parseProject, unchanged } from '../projects/store.js';
import { bookStoppedExecution } from '../projects/usage/stopped.js';
import { log, errorText, logIncident } from '../log.js';
import { ProviderError } from '../providers/errors.js';
import { addActualCost, type CostMeter } from './cost-meter.js';
import { findJob, HEARTBEAT_SECONDS, isLiveJob, type JobLocation } from './state.js';

/**
 * Thrown for a delivery that meets a live lease: another execution is working on the job (or the part)
 * right now. It is not acknowledged, so Cloud Tasks delivers it again with backoff; if the holder was killed
 * meanwhile, a later delivery finds its lease lost and takes over (see state.ts's `claimJob`).
 */
export class JobBusy extends Error {
  constructor(jobId: string) {
    super(`job ${jobId} is held by a running execution; deliver again later`);
    this.name = 'JobBusy';
  }
}

/**
 * What one delivery came to. `done`: acknowledge it. `again`: run the job on at once in this execution (the
 * provider finished while the lease turned its webhook's delivery away). `redeliver`: have Cloud Tasks
 * deliver it again with backoff, which it does when the function throws `error`.
 */
export type Delivery = { kind: 'done' } | { kind: 'again' } | { kind: 'redeliver'; error: Error };
export const DONE: Delivery = { kind: 'done' };

/** One execution of a job (or of one of its parts): what its ending writes need. */
export interface Execution {
  payload: TaskPayload;
  /** The claim's lease (ms): the execution writes the job only while it still holds it. */
  lease: number;
  /** The job's owner, whose usage record keeps the slot of a job canceled under this execution. */
  uid: string;
  cost: CostMeter;
}

/**
 * How often a running execution looks whether its job is still its own. A job canceled or deleted during a
 * provider call is noticed within this time and the call aborted (the SDKs take the signal), so paid work
 * stops instead of running to its end. One document read each time: 0.5 reads/s per running execution.
 */
export const STOP_CHECK_SECONDS = 2;

/** How a running execution keeps its claim: its heartbeat write, and whether a document still holds it. */
export interface Claimed {
  /** Touches the claim's `last_update`; false when the execution no longer holds it. */
  touch(): Promise<boolean>;
  holds(project: ProjectDoc): boolean;
}

/**
 * While the handler runs: touches the claim every HEARTBEAT_SECONDS whatever its progress (a live execution
 * is never taken for a lost one, and a killed one is found out within a few minutes), and every
 * STOP_CHECK_SECONDS reads whether the execution still holds it, aborting `controller` with JobCanceled as
 * soon as it does not (canceled, superseded, swept, project or scene deleted).
 */
export function startWatch(
  payload: TaskPayload,
  claim: Claimed,
  controller: AbortController,
): { stop: () => void } {
  const stopIfNotHeld = (held: boolean) => {
    if (!held && !controller.signal.aborted)
      controller.abort(new JobCanceled('job is no longer held by this execution'));
  };
  const heartbeat = setInterval(() => {
    claim
      .touch()
      .then(stopIfNotHeld)
      .catch((err: unknown) =>
        log.warn('heartbeat write failed', { job_id: payload.job_id, error: errorText(err) }),
      );
  }, HEARTBEAT_SECONDS * 1000);
  const check = setInterval(() => {
    projectRef(payload.project_id)
      .get()
      .then((snap) => stopIfNotHeld(snap.exists && claim.holds(parseProject(snap.id, snap.data()))))
      .catch((err: unknown) =>
        log.warn('stop check failed', { job_id: payload.job_id, error: errorText(err) }),
      );
  }, STOP_CHECK_SECONDS * 1000);
  heartbeat.unref();
  check.unref();
  return {
    stop: () => {
      clearInterval(heartbeat);
      clearInterval(check);
    },
  };
}

/**
 * Books what an execution spent once it found its job no longer its own. A job that ended under it
 * (canceled, deleted) kept its slot until now (projects/usage/settle.ts): the booking frees it. A job
 * another execution took over is still running: the cost goes on the job, booked when it ends.
 */
export async function bookStopped(run: Execution): Promise<void> {
  const { payload } = run;
  const amount = run.cost.usd(true);
  let onLiveJob = false;
  try {
    const outcome = await mutateProject<'on-job'>(payload.project_id, { uid: null }, (p) => {
      const loc = findJob(p, payload.job_id);
      if (!isLiveJob(loc)) return NO_WRITE;
      if (amount === 0) return unchanged('on-job');
      addActualCost(loc.job, amount);
      return 'on-job';
    });
    onLiveJob = 'value' in outcome;
  } catch (err) {
    if (!(err instanceof NotFound)) throw err;
  }
  // Best effort, like every settle: should it fail, the reconciliation frees the slot when the lease ran out.
  if (!onLiveJob) {
    await bookStoppedExecution(run.uid, payload.job_id, amount).catch((err: unknown) =>
      log.warn('could not book a stopped execution; the sweep will', {
        job_id: payload.job_id,
        error: errorText(err),
      }),
    );
  }
  log.jobSkipped('stopped: its job ended under it', { job_id: payload.job_id, cost_usd: amount });
}

/**
 * The job only if the task describes it: a task naming the right job id but another type or scene is
 * malformed (it would run the wrong handler on the job) and is treated like one for a missing job.
 */
export function matchingJob(loc: JobLocation | undefined, payload: TaskPayload): JobLocation | undefined {
  if (!loc || loc.job.type !== payload.type || loc.scene?.id !== payload.scene_id) return undefined;
  return loc;
}

/**
 * Why an execution failed, in words a person reads: the provider's or our own where they are meant for
 * people; otherwise a reference to the logged incident (whose details may name buckets, queues or accounts).
 */
export function failureReason(payload: TaskPayload, err: unknown): string {
  if (err instanceof PermanentJobError || err instanceof ProviderError) return err.message;
  const reference = logIncident('job failed unexpectedly', err, {
    job_id: payload.job_id,
    type: payload.type,
    ...(payload.part ? { part: payload.part } : {}),
  });
  return `failed unexpectedly (reference ${reference}); please try again.`;
}
