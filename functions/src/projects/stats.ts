// Project stats are derived, never incremented: recomputed from the document on every write, so they
// cannot drift whatever sequence of calls, retries and duplicate deliveries happened.
import { Timestamp } from 'firebase-admin/firestore';
import {
  JOB_STALE_MINUTES,
  isUnfinished,
  jobsOf,
  sceneIsComplete,
  type ActiveJobDoc,
  type ProjectDoc,
} from '@reelforge/schema';

/** Every job of the project that is still queued or processing, project-level first. */
export function unfinishedJobs(project: ProjectDoc): ActiveJobDoc[] {
  return jobsOf(project).filter(isUnfinished);
}

export function computeStats(project: ProjectDoc, now: Timestamp): ProjectDoc['stats'] {
  const active = unfinishedJobs(project);
  const oldest = active.reduce<Timestamp | null>((min, job) => {
    const t = job.last_update as Timestamp;
    return !min || t.toMillis() < min.toMillis() ? t : min;
  }, null);
  // The moment the first of them goes stale by its own type's limit: the sweep's indexed candidate query.
  const staleAt = active.reduce<number | null>((min, job) => {
    const t = (job.last_update as Timestamp).toMillis() + JOB_STALE_MINUTES[job.type] * 60_000;
    return min === null || t < min ? t : min;
  }, null);
  return {
    total_scenes: project.scenes.length,
    completed_scenes: project.scenes.filter((s) => sceneIsComplete(s, !!project.assets.music_path)).length,
    active_jobs: active.length,
    last_activity: now,
    oldest_active_update: oldest,
    stale_at: staleAt === null ? null : Timestamp.fromMillis(staleAt),
    cost_usd: project.spend?.cost_usd ?? 0,
  };
}
