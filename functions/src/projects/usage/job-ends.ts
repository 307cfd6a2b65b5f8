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
  /**
   * Set when the job ended canceled (or gone) while an execution held it: that execution is still running
   * (it may be in a paid call) until it notices, at the latest until its lease runs out. Its slot stays held
   * until then (settle.ts).
   */
  execution_until?: Timestamp;
}

/**
 * The lease of a job an execution held when it was canceled or went with its scene or project, if it is
 * still running. The execution itself never ends its job as canceled, and every way it ends its job
 * clears the lease in the same write, so a live lease on a canceled job means someone else ended it.
 */
function runningExecution(old: ActiveJobDoc, now: Timestamp): Timestamp | undefined {
  // Stored jobs hold Firestore Timestamps; the schema types them structurally.
  const lease = old.lease_until;
  return lease && lease.toMillis() > now.toMillis() ? (lease as Timestamp) : undefined;
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
      ended.push(withExecution({ job: { ...old, status: 'canceled' }, ended_at: now }, old, now));
    } else if (isFinishedJobStatus(job.status)) {
      const end = { job: { ...job }, ended_at: now };
      ended.push(job.status === 'canceled' ? withExecution(end, old, now) : end);
    }
  }
  return ended;
}

function withExecution(end: EndedJob, old: ActiveJobDoc, now: Timestamp): EndedJob {
  const until = runningExecution(old, now);
  return until ? { ...end, execution_until: until } : end;
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
  // The production's own spend, in the same write: the jobs it started that this write ended.
  const production = project.production;
  if (!production) return;
  const own = ended.filter((e) => e.job.production_id === production.production_id);
  if (own.length > 0) {
    production.spent_usd = usd(production.spent_usd + own.reduce((sum, e) => sum + actualUsd(e.job), 0));
  }
}
