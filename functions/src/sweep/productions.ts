// The sweep's part for productions: every production still running or waiting is let go on
// (advance.ts decides from its document alone), which heals whatever a crash left: a job end whose
// continuation never ran, a slot freed elsewhere that nobody told it of, a budget that reset at midnight.
// And a job a production wrote as queued whose task was never enqueued (the worker died between that write
// and its enqueue) is enqueued again under its own task id: Cloud Tasks refuses the id while the task
// exists (or ran in the last hour), and a second delivery of a job is answered by the job-id guard, so
// enqueueing a job that already has its task costs nothing and runs nothing twice.
import { FieldPath } from 'firebase-admin/firestore';
import { isUnfinished, jobLocations, type ProjectDoc } from '@reelforge/schema';
import { errorText, log } from '../log.js';
import { projectsCol } from '../projects/store.js';
import { advanceProduction } from '../jobs/production/advance.js';
import { enqueueJob, taskId } from '../jobs/queues.js';

/** Productions looked at per run; the rest are reached by the next runs (the cursor is the document id). */
const PAGE = 200;
/**
 * A queued job younger than this may be a start whose enqueue is still on its way; older, and it is enqueued
 * again. Short: the duplicate id makes the re-enqueue harmless, and a production must not stall for long.
 */
export const ENQUEUE_GRACE_MS = 10_000;

export interface ProductionSweep {
  productions: number;
  reenqueued: number;
  started: number;
}

function alreadyExists(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && code.endsWith('task-already-exists');
}

export async function sweepProductions(nowMs: number): Promise<ProductionSweep> {
  const result: ProductionSweep = { productions: 0, reenqueued: 0, started: 0 };
  const page = await projectsCol()
    .where('production.status', 'in', ['running', 'waiting'])
    .orderBy(FieldPath.documentId())
    .limit(PAGE)
    .get();
  for (const doc of page.docs) {
    result.productions += 1;
    try {
      result.reenqueued += await enqueueLostStarts(doc.id, doc.data() as ProjectDoc, nowMs);
      result.started += (await advanceProduction(doc.id)).started.length;
    } catch (err) {
      log.warn('sweep could not continue a production', { project_id: doc.id, error: errorText(err) });
    }
  }
  return result;
}

/** Enqueues, again, the first delivery of the production's queued jobs past the grace; returns how many. */
async function enqueueLostStarts(projectId: string, project: ProjectDoc, nowMs: number): Promise<number> {
  const productionId = project.production?.production_id;
  let enqueued = 0;
  for (const { job, scene } of jobLocations(project)) {
    if (!isUnfinished(job) || job.status !== 'queued' || job.production_id !== productionId) continue;
    // A job the stale sweep re-delivered has its own later task ids: that part of the sweep owns it.
    if ((job.deliveries ?? 0) > 0 || job.attempt > 0) continue;
    if (nowMs - job.last_update.toMillis() < ENQUEUE_GRACE_MS) continue;
    try {
      await enqueueJob(projectId, job, scene?.id, taskId(job.job_id));
      enqueued += 1;
      log.production('lost start enqueued', { project_id: projectId, job_id: job.job_id });
    } catch (err) {
      if (!alreadyExists(err)) throw err;
    }
  }
  return enqueued;
}
