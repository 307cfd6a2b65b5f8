// Deleting a project finishes even when the callable that began it dies halfway. The callable deletes the
// document first (every task of the project then finds nothing and stops) and enqueues this task, which
// stops the project's jobs (predictions canceled, pending tasks deleted), deletes the project's takes (their
// documents, which Firestore does not delete with the project's) and every file under the project's prefix
// (the takes' files among them); a failure throws, so Cloud Tasks retries it until the prefix is empty. Should even the
// enqueue fail, the storage reconciliation (sweep/orphans.ts) deletes the prefix of a project that no
// longer exists.
import { onTaskDispatched } from 'firebase-functions/v2/tasks';
import { z } from 'zod';
import { IdSchema, JobTypeSchema, LIMITS } from '@reelforge/schema';
import { PROVIDER_SECRETS, REGION, readProviderConfig, type ProviderConfig } from '../config.js';
import { functionsAdmin } from '../firebase.js';
import { log } from '../log.js';
import { deleteProjectFiles } from '../storage/files.js';
import { deleteAllTakeDocs } from '../projects/takes.js';
import { stopJobWork } from './stop.js';

/** The deployed name of the task function, which is also its queue's name. */
export const PROJECT_DELETION_FUNCTION = 'projectDeletion';

/** The deleted project and its unfinished jobs, as they were when the document went. */
const DeletionPayloadSchema = z.strictObject({
  project_id: IdSchema,
  jobs: z
    .array(
      z.strictObject({
        job_id: IdSchema,
        type: JobTypeSchema,
        provider_ref: z.string().max(LIMITS.DESCRIPTION_MAX).optional(),
        deliveries: z.number().int().min(0).optional(),
      }),
    )
    .max(LIMITS.MAX_SCENES + 1),
});
export type DeletionPayload = z.infer<typeof DeletionPayloadSchema>;

export async function enqueueProjectDeletion(payload: DeletionPayload): Promise<void> {
  await functionsAdmin()
    .taskQueue<DeletionPayload>(`locations/${REGION}/functions/${PROJECT_DELETION_FUNCTION}`)
    .enqueue(payload, { id: `delete-${payload.project_id}` });
}

/** Stops the jobs (best effort, as for a cancel) and deletes the files; throws until the files are gone. */
export async function finishProjectDeletion(raw: unknown, providers: ProviderConfig): Promise<void> {
  const parsed = DeletionPayloadSchema.safeParse(raw);
  if (!parsed.success) {
    log.warn('malformed project deletion task', { issues: parsed.error.issues.length });
    return;
  }
  const { project_id, jobs } = parsed.data;
  await Promise.all(jobs.map((job) => stopJobWork(job, providers)));
  await deleteAllTakeDocs(project_id);
  await deleteProjectFiles(project_id);
  log.cleanup('project files deleted', { project_id });
}

export const projectDeletion = onTaskDispatched(
  {
    region: REGION,
    // Stopping the jobs cancels their predictions: without the keys they would keep running and billing.
    secrets: [...PROVIDER_SECRETS],
    retryConfig: { maxAttempts: 20, minBackoffSeconds: 10, maxBackoffSeconds: 600, maxDoublings: 5 },
    rateLimits: { maxConcurrentDispatches: 10 },
  },
  (request) => finishProjectDeletion(request.data, readProviderConfig()),
);
