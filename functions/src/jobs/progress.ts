// Progress throttling. The project document is one hot document shared by every job of the project, and
// Firestore sustains about one write per second per document; so a progress value is written only when it
// moved by a real step AND enough time has passed since the job's last write. The rule reads only what is
// stored in the job, so a task and the webhook endpoint (different instances) apply the same limit.
// Worst case per job: 100 / PROGRESS_MIN_STEP progress writes, whatever the job's duration.
import type { ActiveJobDoc } from '@reelforge/schema';

export const PROGRESS_MIN_STEP = 15;
export const PROGRESS_MIN_INTERVAL_MS = 3_000;

export function progressWorthWriting(
  job: Pick<ActiveJobDoc, 'progress' | 'last_update'>,
  next: number,
  nowMs: number,
) {
  return (
    next >= job.progress + PROGRESS_MIN_STEP &&
    next < 100 &&
    nowMs - job.last_update.toMillis() >= PROGRESS_MIN_INTERVAL_MS
  );
}

/** Maps a sub-step's 0..100 onto a slice [from, to] of the job's overall progress. */
export const slice = (from: number, to: number) => (p: number) =>
  from + ((to - from) * Math.max(0, Math.min(100, p))) / 100;
