// Stopping a job's outside work once its state says canceled (or its project is deleted): cancel the
// provider's predictions and delete the job's pending tasks. Best effort by design: the state change is
// what matters, and a task that still runs finds its job canceled and discards its output.
import { renderedFilePaths, type ActiveJobDoc } from '@reelforge/schema';
import { errorText, log } from '../log.js';
import { deleteTask, partTaskId, resumeTaskId, taskId } from './queues.js';
import { partsOf } from './parts.js';
import type { ProviderConfig } from '../config.js';
import { mediaProvider } from './provider-clients.js';
import { deleteFiles, deletePrefixes } from '../storage/files.js';
import { jobMoodImagesPrefix, jobScratchPrefix } from '../storage/paths.js';

/** `providers` is read by the calling function, which must bind PROVIDER_SECRETS (config.ts). */
export async function stopJobWork(
  job: Pick<ActiveJobDoc, 'job_id' | 'type' | 'deliveries' | 'provider_ref' | 'parts'>,
  providers: ProviderConfig,
): Promise<void> {
  const tasks = [taskId(job.job_id)];
  for (let n = 1; n <= (job.deliveries ?? 0); n++)
    tasks.push(taskId(job.job_id, 'resume', n), taskId(job.job_id, 'sweep', n));
  for (const [name, part] of partsOf(job))
    for (let n = 1; n <= part.deliveries; n++) tasks.push(partTaskId(job.job_id, name, n));
  // The webhook's resume tasks are named after the predictions the job recorded.
  for (const prediction of (job.provider_ref ?? '').split(',').filter(Boolean))
    tasks.push(resumeTaskId(job.job_id, prediction));
  await Promise.all([
    cancelPredictions(job, providers),
    deleteFiles(partFiles(job)),
    ...tasks.map((id) => deleteTask(job.type, id)),
  ]);
}

/** What the finished parts of a job that will not complete made: nothing will ever name them. */
function partFiles(job: Pick<ActiveJobDoc, 'parts'>): string[] {
  return partsOf(job).flatMap(([, part]) => renderedFilePaths(part.pack));
}

/**
 * A job failed for good: stop its predictions and delete what it kept for retries that will not come (the
 * moods job's proposals file) and what a killed execution of it may have stored (a moods job's partial
 * images: the job never saved its moods, so nothing names them). The hourly reconciliation is the backstop.
 */
export async function abandonJob(
  projectId: string,
  job: Pick<ActiveJobDoc, 'job_id' | 'type' | 'provider_ref' | 'parts'>,
  providers: ProviderConfig,
): Promise<void> {
  const prefixes = [jobScratchPrefix(projectId, job.job_id)];
  if (job.type === 'moods') prefixes.push(jobMoodImagesPrefix(projectId, job.job_id));
  await Promise.all([
    cancelPredictions(job, providers),
    deletePrefixes(prefixes),
    deleteFiles(partFiles(job)),
  ]);
}

/**
 * Cancels every prediction the job has recorded: for a job that will not use them any more (canceled,
 * failed for good), a prediction left running is paid for and thrown away.
 */
export async function cancelPredictions(
  job: Pick<ActiveJobDoc, 'job_id' | 'provider_ref'>,
  providers: ProviderConfig,
): Promise<void> {
  const predictions = (job.provider_ref ?? '').split(',').filter(Boolean);
  await Promise.all(
    predictions.map(async (id) => {
      try {
        await mediaProvider(providers).cancel(id);
      } catch (err) {
        log.warn('could not cancel a prediction', {
          job_id: job.job_id,
          prediction: id,
          error: errorText(err),
        });
      }
    }),
  );
}
