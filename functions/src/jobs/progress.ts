// Progress throttling: a write budget per project. The project document is one hot document shared by every
// job of the project, and Firestore sustains about one write per second per document. Status changes are
// always written at once; progress writes share what is left:
//  - per job: a progress value is written only when it moved by a real step, and no sooner than an interval
//    that grows with the number of the project's active jobs (each job gets its turn of the shared rate;
//    a job's first progress comes after the shortest interval, so every bar starts moving early);
//  - per project: only when the document has been quiet for a while, so however many jobs report, progress
//    adds at most 1 / PROJECT_QUIET_MS writes a second, and never piles onto a burst of status changes.
// Both rules read only what is stored in the document (the job's last write, the project's last write and
// its count of active jobs), so tasks and the webhook endpoint (different instances) apply the same budget.
// Worst case per job: 100 / PROGRESS_MIN_STEP progress writes, whatever the job's duration.
import type { ActiveJobDoc, ProjectDoc } from '@reelforge/schema';

export const PROGRESS_MIN_STEP = 15;
/** The shortest interval between two progress writes of one job (a project with a single active job). */
export const PROGRESS_MIN_INTERVAL_MS = 3_000;
/**
 * Progress writes of the whole project at most every 2.5 s (0.4/s): with the status changes of jobs that run
 * about a minute, the document stays near its 1 write/s.
 */
export const PROJECT_QUIET_MS = 2_500;

type JobProgress = Pick<ActiveJobDoc, 'progress' | 'last_update'>;
type ProjectActivity = {
  updated_at: ProjectDoc['updated_at'];
  stats: Pick<ProjectDoc['stats'], 'active_jobs'>;
};

/** How long one job waits between progress writes when `activeJobs` jobs share the project's budget. */
export function progressIntervalMs(activeJobs: number): number {
  return Math.max(PROGRESS_MIN_INTERVAL_MS, Math.max(1, activeJobs) * PROJECT_QUIET_MS);
}

/** Whether `next` is a step worth showing at all (independent of time). */
export function progressStepWorthIt(job: Pick<ActiveJobDoc, 'progress'>, next: number): boolean {
  return next >= job.progress + PROGRESS_MIN_STEP && next < 100;
}

export type ProgressDecision = { write: true } | { write: false; notBeforeMs: number };

/**
 * Whether `next` may be written now for `job` of `project`, and if not, the earliest moment worth asking
 * again (a caller may skip reports until then without reading the document).
 */
export function progressDecision(
  job: JobProgress,
  project: ProjectActivity,
  next: number,
  nowMs: number,
): ProgressDecision {
  // A job that has shown no progress yet goes first (after the shortest interval): with every job's turn
  // spaced by the whole round, jobs started together would otherwise all wait for the same moment, and the
  // project's quiet rule would let only a few of them through before they end.
  const interval =
    job.progress === 0 ? PROGRESS_MIN_INTERVAL_MS : progressIntervalMs(project.stats.active_jobs);
  const jobDue = job.last_update.toMillis() + interval;
  const projectDue = project.updated_at.toMillis() + PROJECT_QUIET_MS;
  const notBeforeMs = Math.max(jobDue, projectDue);
  if (!progressStepWorthIt(job, next)) return { write: false, notBeforeMs: nowMs };
  return nowMs >= notBeforeMs ? { write: true } : { write: false, notBeforeMs };
}

/** Maps a sub-step's 0..100 onto a slice [from, to] of the job's overall progress. */
export const slice = (from: number, to: number) => (p: number) =>
  from + ((to - from) * Math.max(0, Math.min(100, p))) / 100;
