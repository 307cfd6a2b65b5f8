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

/** Enqueues a delivery of `job` on its type's queue under task id `id`. */
export async function enqueueJob(
  projectId: string,
  job: ActiveJobDoc,
  sceneId: string | undefined,
  id: string,
) {
  // Cloud Tasks cuts a request at its dispatch deadline; jobs that wait on media generation need long ones.
  await queueFor(job.type).enqueue(taskPayload(projectId, job, sceneId), {
    id,
    dispatchDeadlineSeconds: 1800,
  });
}

/** Best effort: a task that already ran or was never created is not an error here. */
export async function deleteTask(type: JobType, id: string): Promise<void> {
  try {
    await queueFor(type).delete(id);
  } catch {
    // Deleting is an optimisation (the task would find its job canceled and do nothing).
  }
}
