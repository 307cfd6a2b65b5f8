// The stale sweep. A job whose `last_update` is older than its type's limit has lost its worker (a crash,
// a dropped webhook, a lost task): while attempts remain it is re-queued and its task enqueued again (the
// recorded prediction is resumed, not paid for twice); after the last attempt it fails with a message that
// says how long nothing happened. Candidates come from an indexed range query on `stats.stale_at` (when the
// project's first unfinished job goes stale by its own type's limit), never a scan of every project, and
// never a project whose jobs are merely quieter than the shortest limit of any type.
import { FieldPath, Timestamp } from 'firebase-admin/firestore';
import { onSchedule } from 'firebase-functions/v2/scheduler';
import { JOB_STALE_MINUTES, type ActiveJobDoc, type ProjectDoc } from '@reelforge/schema';
import { PROVIDER_SECRETS, REGION, readProviderConfig, type ProviderConfig } from '../config.js';
import { db } from '../firebase.js';
import { errorText, log } from '../log.js';
import { mutateProject, projectsCol, unchanged } from '../projects/store.js';
import { unfinishedJobs } from '../projects/stats.js';
import { reconcileAllUsage, type ReconcileAllResult } from '../projects/usage/reconcile.js';
import { enqueueJob, taskId } from '../jobs/queues.js';
import { STEP_NAMES } from '../jobs/registry.js';
import {
  attemptsLeft,
  executionLost,
  failJob,
  findJob,
  leaseLive,
  lostExecutionMessage,
  nextDelivery,
  requeueJob,
} from '../jobs/state.js';
import { abandonJob } from '../jobs/stop.js';
import { taskInspector } from './task-inspector.js';
import { sweepProductions, type ProductionSweep } from './productions.js';
import { drainFollowUps } from '../projects/follow-ups.js';

const PAGE = 100;
/** Projects swept at once: enough to keep up, few enough not to crowd the hot documents or the queues. */
const CONCURRENCY = 4;
/** The scheduled run has 300 s; past this it stops and the next run goes on from where it stopped. */
const RUN_BUDGET_MS = 240_000;
/** Where a run that stopped early leaves its place in the candidate order. */
const CURSOR = { collection: 'sweep_state', doc: 'stale' } as const;

export interface SweepResult {
  projects: number;
  requeued: number;
  failed: number;
  left: number;
  /** Usage slots repaired (reconcile.ts): starts that never reached their project, ends never settled;
   * and how many usage records this run's slice looked at. */
  usage: ReconcileAllResult;
  /** Jobs re-queued whose task could not be enqueued; the next run finds them stale again. */
  enqueueFailed: number;
  /** True when the run stopped at its budget and saved a cursor for the next run. */
  stoppedEarly: boolean;
  /** Productions let go on (productions.ts): how many, lost starts enqueued again, jobs they started. */
  productions: ProductionSweep;
}

export interface SweepOptions {
  /** Read at the function boundary: the sweep cancels the predictions of the jobs it fails for good. */
  providers: ProviderConfig;
  /** Stop after this many projects (tests; production stops at the time budget). */
  maxProjects?: number;
  budgetMs?: number;
  /** Which scheduled run this is, for the summary line. */
  run?: SweepRun;
}

function isStale(job: ActiveJobDoc, nowMs: number): boolean {
  return nowMs - job.last_update.toMillis() > JOB_STALE_MINUTES[job.type] * 60_000;
}

/** Which scheduler run this is (Cloud Scheduler's headers), carried into the summary line. */
export interface SweepRun {
  schedule_time?: string;
  job_name?: string;
}

const cursorRef = () => db().collection(CURSOR.collection).doc(CURSOR.doc);

/**
 * Candidates come in `stats.stale_at` order (then id). A run that stops early saves the last
 * project it reached, so projects that stay stale (a pending task, a failing write) cannot hold back the
 * ones behind them run after run; a run that reaches the end clears it.
 */
export async function sweepStaleJobs(now: Date, options: SweepOptions): Promise<SweepResult> {
  const started = Date.now();
  const nowMs = now.getTime();
  const cutoff = Timestamp.fromMillis(nowMs);
  const result: SweepResult = {
    projects: 0,
    requeued: 0,
    failed: 0,
    left: 0,
    usage: { freed: 0, settled: 0, users: 0, cursor: null },
    enqueueFailed: 0,
    stoppedEarly: false,
    productions: { productions: 0, reenqueued: 0, started: 0 },
  };
  const saved = (await cursorRef().get()).data() as { at?: Timestamp; id?: string } | undefined;
  const base = projectsCol()
    .where('stats.stale_at', '<=', cutoff)
    .orderBy('stats.stale_at')
    .orderBy(FieldPath.documentId())
    .limit(PAGE);
  let query =
    saved?.at && saved.id && saved.at.toMillis() <= cutoff.toMillis()
      ? base.startAfter(saved.at, saved.id)
      : base;
  const budget = options.budgetMs ?? RUN_BUDGET_MS;
  let last: { at: Timestamp; id: string } | undefined;
  for (;;) {
    const page = await query.get();
    const room = (options.maxProjects ?? Infinity) - result.projects;
    const docs = page.docs.slice(0, room);
    await eachLimited(docs, CONCURRENCY, async (doc) => {
      result.projects += 1;
      await sweepProject(doc.id, nowMs, result, options.providers).catch((err: unknown) =>
        log.warn('sweep of a project failed', { project_id: doc.id, error: errorText(err) }),
      );
    });
    const tail = docs[docs.length - 1];
    if (tail) last = { at: tail.get('stats.stale_at') as Timestamp, id: tail.id };
    const cut = docs.length < page.size;
    if (!cut && page.size < PAGE) break;
    if (cut || Date.now() - started > budget) {
      result.stoppedEarly = !!last;
      break;
    }
    query = query.startAfter(page.docs[page.docs.length - 1]!);
  }
  if (result.stoppedEarly && last) await cursorRef().set(last);
  else await cursorRef().delete();
  // Productions go on from what the jobs above became (a job failed for good blocks its step).
  result.productions = await sweepProductions(nowMs).catch((err: unknown) => {
    log.warn('production sweep failed', { error: errorText(err) });
    return { productions: 0, reenqueued: 0, started: 0 };
  });
  // After the projects: jobs the sweep just failed have settled their slots, so what is left is drift.
  result.usage = await reconcileAllUsage(now).catch((err: unknown) => {
    log.warn('usage reconciliation failed', { error: errorText(err) });
    return { freed: 0, settled: 0, users: 0, cursor: null };
  });
  // One summary line per run: what it looked at and did, and which scheduled run it was.
  log.sweep({ ...options.run, ...result, took_ms: Date.now() - started });
  return result;
}

/** Runs `work` on every item, at most `limit` at a time. */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next]!;
      next += 1;
      await work(item);
    }
  });
  await Promise.all(workers);
}

async function sweepProject(projectId: string, nowMs: number, sweep: SweepResult, providers: ProviderConfig) {
  // Which stale jobs still have a task waiting in their queue: those are slow, not lost.
  const snapshot = await projectsCol().doc(projectId).get();
  const pending = new Set<string>();
  for (const job of unfinishedJobs(snapshot.data() as ProjectDoc)) {
    if (!isStale(job, nowMs) || job.status !== 'queued') continue;
    const id = job.deliveries ? taskId(job.job_id, 'sweep', job.deliveries) : taskId(job.job_id);
    if ((await taskInspector().presence(job.type, id)) === 'pending') pending.add(job.job_id);
  }

  // The callback's result is what the write that won decided to re-enqueue.
  const { value: result } = await mutateProject(projectId, { uid: null }, (p, { now }) => {
    const toEnqueue: { job: ActiveJobDoc; sceneId?: string; n: number }[] = [];
    const givenUp: ActiveJobDoc[] = [];
    let failed = 0;
    let left = 0;
    for (const job of unfinishedJobs(p)) {
      // A live lease means a worker is on it right now, whatever its progress says.
      if (!isStale(job, nowMs) || leaseLive(job, nowMs)) continue;
      if (pending.has(job.job_id)) {
        left += 1;
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
        // A job whose worker died holding it failed because the platform killed the worker: say so.
        const message = executionLost(job, nowMs)
          ? `${STEP_NAMES[job.type]} failed: ${lostExecutionMessage(job)}`
          : `No progress for ${minutes} minutes; gave up after ${job.attempt} attempts.`;
        failJob(job, message, now);
        givenUp.push({ ...job });
        failed += 1;
      }
    }
    const decided = { toEnqueue, givenUp, failed, left };
    return toEnqueue.length + failed > 0 ? decided : unchanged(decided);
  });
  const { toEnqueue } = result;
  sweep.failed += result.failed;
  sweep.left += result.left;
  for (const { job, sceneId, n } of toEnqueue) {
    try {
      await enqueueJob(projectId, job, sceneId, taskId(job.job_id, 'sweep', n));
      sweep.requeued += 1;
    } catch (err) {
      // The job stays queued with a fresh last_update: the sweep after its stale limit tries again.
      sweep.enqueueFailed += 1;
      log.warn('sweep could not enqueue a job', {
        project_id: projectId,
        job_id: job.job_id,
        error: errorText(err),
      });
    }
  }
  // A job failed for good wants none of its predictions (stop them rather than pay for them) nor its files.
  await Promise.all(result.givenUp.map((job) => abandonJob(projectId, job, providers)));
}

export const sweepStaleJobsScheduled = onSchedule(
  // The provider keys: a job failed for good has its predictions canceled.
  {
    schedule: 'every 5 minutes',
    region: REGION,
    timeoutSeconds: 300,
    secrets: [...PROVIDER_SECRETS],
    // One sweep at a time: two would race to re-queue the same jobs.
    maxInstances: 1,
  },
  async (event) => {
    await sweepStaleJobs(new Date(), {
      providers: readProviderConfig(),
      run: { schedule_time: event.scheduleTime, ...(event.jobName ? { job_name: event.jobName } : {}) },
    });
    await drainFollowUps();
  },
);
