// Every job type runs on its own Cloud Tasks queue (one `onTaskDispatched` function each), so retry and
// rate-limit settings fit the provider behind it. Tasks are enqueued with the job id as the task id: a
// repeated enqueue of the same job is refused by Cloud Tasks instead of running twice.
import type { ActiveJobDoc, JobType, TaskPayload } from '@reelforge/schema';
import { REGION } from '../config.js';
import { functionsAdmin } from '../firebase.js';
import { taskFunctionName } from './registry.js';

export type Delivery = 'start' | 'resume' | 'sweep' | 'retry';

/**
 * Task ids are derived from the job id. The first delivery uses the job id itself; later deliveries of the
 * same job (webhook completion, stale sweep) add a suffix, because Cloud Tasks refuses an id for about an
 * hour after it ran.
 */
export function taskId(jobId: string, delivery: Delivery = 'start', n: number | string = 0): string {
  return delivery === 'start' ? jobId : `${jobId}-${delivery}-${n}`;
}

/**
 * The task that resumes a job once its prediction finished (enqueued by the webhook). Named after the
 * prediction, which the job records in provider_ref: a redelivered webhook cannot start a second task, and
 * a cancel can name, and delete, every resume task that may exist.
 */
export function resumeTaskId(jobId: string, predictionId: string): string {
  return taskId(jobId, 'resume', predictionId.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 100));
}

/**
 * The n-th task of one part of a job done in parts (jobs/parts.ts): on the job's own queue, named after the
 * job, the part and its count, so a cancel can name every one and a repeated enqueue is refused.
 */
export function partTaskId(jobId: string, part: string, n: number): string {
  return `${jobId}-part-${part.replace(/[^A-Za-z0-9]/g, 'x')}-${n}`;
}

function queueFor(type: JobType) {
  return functionsAdmin().taskQueue<TaskPayload>(`locations/${REGION}/functions/${taskFunctionName(type)}`);
}

/** The task body for a job: it only points at the job, whose truth lives in the project document. */
export function taskPayload(projectId: string, job: ActiveJobDoc, sceneId = job.scene_id): TaskPayload {
  return {
    project_id: projectId,
    job_id: job.job_id,
    type: job.type,
    ...(sceneId ? { scene_id: sceneId } : {}),
  };
}

/** Enqueues a delivery of `job` on its type's queue under task id `id`; with `part`, of that part only. */
export async function enqueueJob(
  projectId: string,
  job: ActiveJobDoc,
  sceneId: string | undefined,
  id: string,
  part?: TaskPayload['part'],
) {
  // Cloud Tasks cuts a request at its dispatch deadline; jobs that wait on media generation need long ones.
  await queueFor(job.type).enqueue(
    { ...taskPayload(projectId, job, sceneId), ...(part ? { part } : {}) },
    { id, dispatchDeadlineSeconds: 1800 },
  );
}

/** Best effort: a task that already ran or was never created is not an error here. */
export async function deleteTask(type: JobType, id: string): Promise<void> {
  try {
    await queueFor(type).delete(id);
  } catch {
    // Deleting is an optimisation (the task would find its job canceled and do nothing).
  }
}
