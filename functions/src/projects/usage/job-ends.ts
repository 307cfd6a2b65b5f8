// Which jobs a project write ended. `mutateProject` takes a snapshot of the unfinished jobs before its
// change and compares after it: a job that is now completed, failed or canceled, or that is gone with its
// scene or its project, has ended. This one comparison covers every way a job ends, whichever code path
// ended it, so the slot and the cost of each are settled exactly where the job's own state changed.
import type { Timestamp } from 'firebase-admin/firestore';
import { isFinishedJobStatus, jobsOf, type ActiveJobDoc, type ProjectDoc } from '@reelforge/schema';
import { usd } from '../../providers/prices.js';
import { unfinishedJobs } from '../stats.js';

export interface EndedJob {
  /** The job as it ended (a copy), or as it last was when it went with its scene or project. */
  job: ActiveJobDoc;
  ended_at: Timestamp;
}

/** Shallow copies of the project's unfinished jobs, by id. */
export function unfinishedSnapshot(project: ProjectDoc): Map<string, ActiveJobDoc> {
  return new Map(unfinishedJobs(project).map((job) => [job.job_id, { ...job }]));
}

function jobsById(project: ProjectDoc): Map<string, ActiveJobDoc> {
  return new Map(jobsOf(project).map((j) => [j.job_id, j]));
}

/** The jobs of `before` that `after` (null: the project was deleted) no longer has unfinished. */
export function endedJobs(
  before: Map<string, ActiveJobDoc>,
  after: ProjectDoc | null,
  now: Timestamp,
): EndedJob[] {
  const current = after ? jobsById(after) : new Map<string, ActiveJobDoc>();
  const ended: EndedJob[] = [];
  for (const [id, old] of before) {
    const job: ActiveJobDoc | undefined = current.get(id);
    if (job === undefined) {
      // A job that vanished without finishing (its project or scene deleted) ended as canceled.
      ended.push({ job: { ...old, status: 'canceled' }, ended_at: now });
    } else if (isFinishedJobStatus(job.status)) {
      ended.push({ job: { ...job }, ended_at: now });
    }
  }
  return ended;
}

/** The cost a job ended at: what its executions measured, zero if none recorded a figure. */
export function actualUsd(job: ActiveJobDoc): number {
  return usd(job.cost?.actual_usd ?? 0);
}

/** Adds the ended jobs' actual costs to the project's settled spend, in the same write that ended them. */
export function addToProjectSpend(project: ProjectDoc, ended: EndedJob[]): void {
  if (ended.length === 0) return;
  const spend = project.spend ?? { cost_usd: 0, jobs: 0 };
  project.spend = {
    cost_usd: usd(spend.cost_usd + ended.reduce((sum, e) => sum + actualUsd(e.job), 0)),
    jobs: spend.jobs + ended.length,
  };
}
