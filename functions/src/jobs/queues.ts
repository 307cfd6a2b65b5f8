// Every job type runs on its own Cloud Tasks queue (one `onTaskDispatched` function each), so retry and
// rate-limit settings fit the provider behind it. Tasks are enqueued with the job id as the task id: a
// repeated enqueue of the same job is refused by Cloud Tasks instead of running twice.
import type { JobType, TaskPayload } from '@reelforge/schema';
import { REGION } from '../config.js';
import { functionsAdmin } from '../firebase.js';

export const TASK_FUNCTION: Record<JobType, string> = {
  moods: 'runMoodsJob',
  storyboard: 'runStoryboardJob',
  render: 'runRenderJob',
  composition: 'runCompositionJob',
  image: 'runImageJob',
  video: 'runVideoJob',
  audio: 'runAudioJob',
  scene_text: 'runSceneTextJob',
};

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
  return functionsAdmin().taskQueue<TaskPayload>(`locations/${REGION}/functions/${TASK_FUNCTION[type]}`);
}

export async function enqueueJob(payload: TaskPayload, id: string): Promise<void> {
  // Cloud Tasks cuts a request at its dispatch deadline; jobs that wait on media generation need long ones.
  await queueFor(payload.type).enqueue(payload, { id, dispatchDeadlineSeconds: 1800 });
}

/** Best effort: a task that already ran or was never created is not an error here. */
export async function deleteTask(type: JobType, id: string): Promise<void> {
  try {
    await queueFor(type).delete(id);
  } catch {
    // Deleting is an optimisation (the task would find its job canceled and do nothing).
  }
}
