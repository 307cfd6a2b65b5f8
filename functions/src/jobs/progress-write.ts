// Writes a job's progress when the project's write budget allows it (progress.ts), deciding on the fresh
// document inside the write so that racing reporters (tasks, webhook deliveries) cannot overspend it.
import type { ActiveJobDoc, ProjectDoc } from '@reelforge/schema';
import { mutateProject, unchanged } from '../projects/store.js';
import { progressDecision, progressIntervalMs } from './progress.js';
import { setProgress } from './state.js';

export type ProgressWrite =
  | { held: false }
  | {
      held: true;
      written: boolean;
      /** The job's stored progress after this call. */
      progress: number;
      /** Reports before this moment cannot be written; a caller may drop them without reading. */
      notBeforeMs: number;
    };

/**
 * Records `value` as the job's progress if it is worth a write now. `ownJob` finds the job in the fresh
 * document only while the caller may still write it (its lease, or its prediction); otherwise nothing is
 * written and the answer is `held: false`.
 */
export async function recordProgress(
  projectId: string,
  value: number,
  ownJob: (project: ProjectDoc) => Pick<ActiveJobDoc, 'progress' | 'last_update'> | undefined,
  /** Also changed in a progress write that is made (a part's job shows the mean of its parts). */
  alongside?: (project: ProjectDoc) => void,
): Promise<ProgressWrite> {
  const { value: decided } = await mutateProject<ProgressWrite>(projectId, { uid: null }, (p, { now }) => {
    const job = ownJob(p);
    if (!job) return unchanged({ held: false });
    const decision = progressDecision(job, p, value, now.toMillis());
    if (!decision.write) {
      return unchanged({
        held: true,
        written: false,
        progress: job.progress,
        notBeforeMs: decision.notBeforeMs,
      });
    }
    setProgress(job, value, now);
    alongside?.(p);
    const notBeforeMs = now.toMillis() + progressIntervalMs(p.stats.active_jobs);
    return { held: true, written: true, progress: job.progress, notBeforeMs };
  });
  return decided;
}
