// The stale sweep. A job whose `last_update` is older than its type's limit has lost its worker (a crash,
// a dropped webhook, a lost task): while attempts remain it is re-queued and its task enqueued again (the
// recorded prediction is resumed, not paid for twice); after the last attempt it fails with a message that
// says how long nothing happened. Candidates come from an indexed range query on
// `stats.oldest_active_update`, never a scan of every project.
import { Timestamp } from 'firebase-admin/firestore';
import { onSchedule } from 'firebase-functions/v2/scheduler';
import type { ActiveJobDoc, ProjectDoc } from '@reelforge/schema';
import { REGION, secrets } from '../config.js';
import { errorText, log } from '../log.js';
import { mutateProject, NO_WRITE, projectsCol } from '../projects/store.js';
import { unfinishedJobs } from '../projects/stats.js';
import { reconcileAllUsage, type ReconcileResult } from '../projects/usage/reconcile.js';
import { enqueueJob, taskId } from '../jobs/queues.js';
import { JOB_STALE_MINUTES } from '../jobs/registry.js';
import { attemptsLeft, failJob, findJob, nextDelivery, requeueJob } from '../jobs/state.js';
import { taskInspector } from './task-inspector.js';

const SHORTEST_LIMIT_MINUTES = Math.min(...Object.values(JOB_STALE_MINUTES));
const PAGE = 100;

export interface SweepResult {
  projects: number;
  requeued: number;
  failed: number;
  left: number;
  /** Usage slots repaired (reconcile.ts): starts that never reached their project, ends never settled. */
  usage: ReconcileResult;
}

function isStale(job: ActiveJobDoc, nowMs: number): boolean {
  return nowMs - job.last_update.toMillis() > JOB_STALE_MINUTES[job.type] * 60_000;
}

export async function sweepStaleJobs(now: Date = new Date()): Promise<SweepResult> {
  const nowMs = now.getTime();
  const cutoff = Timestamp.fromMillis(nowMs - SHORTEST_LIMIT_MINUTES * 60_000);
  const result: SweepResult = {
    projects: 0,
    requeued: 0,
    failed: 0,
    left: 0,
    usage: { freed: 0, settled: 0 },
  };
  let query = projectsCol()
    .where('stats.oldest_active_update', '<=', cutoff)
    .orderBy('stats.oldest_active_update')
    .limit(PAGE);
  for (;;) {
    const page = await query.get();
    for (const doc of page.docs) {
      result.projects += 1;
      await sweepProject(doc.id, nowMs, result).catch((err: unknown) =>
        log.warn('sweep of a project failed', { project_id: doc.id, error: errorText(err) }),
      );
    }
    if (page.size < PAGE) break;
    query = query.startAfter(page.docs[page.docs.length - 1]!);
  }
  // After the projects: jobs the sweep just failed have settled their slots, so what is left is drift.
  result.usage = await reconcileAllUsage(now).catch((err: unknown) => {
    log.warn('usage reconciliation failed', { error: errorText(err) });
    return { freed: 0, settled: 0 };
  });
  log.sweep({ ...result });
  return result;
}

async function sweepProject(projectId: string, nowMs: number, result: SweepResult) {
  // Which stale jobs still have a task waiting in their queue: those are slow, not lost.
  const snapshot = await projectsCol().doc(projectId).get();
  const pending = new Set<string>();
  for (const job of unfinishedJobs(snapshot.data() as ProjectDoc)) {
    if (!isStale(job, nowMs) || job.status !== 'queued') continue;
    const id = job.deliveries ? taskId(job.job_id, 'sweep', job.deliveries) : taskId(job.job_id);
    if ((await taskInspector().presence(job.type, id)) === 'pending') pending.add(job.job_id);
  }

  const toEnqueue: { job: ActiveJobDoc; sceneId?: string; n: number }[] = [];
  await mutateProject(projectId, { uid: null }, (p, { now }) => {
    toEnqueue.length = 0;
    let changed = false;
    for (const job of unfinishedJobs(p)) {
      if (!isStale(job, nowMs)) continue;
      if (pending.has(job.job_id)) {
        result.left += 1;
        continue;
      }
      const minutes = JOB_STALE_MINUTES[job.type];
      if (attemptsLeft(job)) {
        requeueJob(job, `no progress for ${minutes} minutes`, now);
        const loc = findJob(p, job.job_id);
        toEnqueue.push({
          job: { ...job },
          ...(loc?.scene ? { sceneId: loc.scene.id } : {}),
          n: nextDelivery(job),
        });
      } else {
        failJob(job, `No progress for ${minutes} minutes; gave up after ${job.attempt} attempts.`, now);
        result.failed += 1;
      }
      changed = true;
    }
    return changed ? true : NO_WRITE;
  });
  for (const { job, sceneId, n } of toEnqueue) {
    await enqueueJob(projectId, job, sceneId, taskId(job.job_id, 'sweep', n));
    result.requeued += 1;
  }
}

export const sweepStaleJobsScheduled = onSchedule(
  {
    schedule: 'every 5 minutes',
    region: REGION,
    secrets: [secrets.replicateApiToken],
    timeoutSeconds: 300,
    // One sweep at a time: two would race to re-queue the same jobs.
    maxInstances: 1,
  },
  async () => {
    await sweepStaleJobs();
  },
);
