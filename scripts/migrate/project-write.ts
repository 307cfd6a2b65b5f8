// One project change the way the functions write projects (functions/src/projects/store.ts): read the
// document, decide, write only if its update time is still the one read. A function that wrote the project
// in between wins; the migration re-reads and decides again on what it wrote, so it never overwrites a job
// update, and its change is never lost either. It does not go through `mutateProject`: that would also
// stamp `updated_at` and `last_activity`, and a migration is no activity of the user's.
import { firestoreProjectStore, retryWaitMs, type ProjectStore } from '../../functions/src/projects/store.js';

/** Rounds a project may be lost to concurrent writes before the migration gives up on it (and says so). */
const ATTEMPTS = 20;

export type ProjectDecision = Record<string, unknown> | null;

export interface ProjectWriteOutcome {
  /** What happened: written (or would be, in a dry run), nothing to do, or the document is gone. */
  outcome: 'written' | 'unchanged' | 'gone';
  /** Races lost to other writers before the write landed. */
  raced: number;
}

/**
 * `decide` gets the stored document and returns the fields to update (top-level fields are replaced whole),
 * or null for nothing to do. It may run several times, each time on a fresher document.
 */
export async function changeProject(
  projectId: string,
  decide: (data: Record<string, unknown>) => ProjectDecision,
  dryRun: boolean,
  store: ProjectStore = firestoreProjectStore,
): Promise<ProjectWriteOutcome> {
  for (let raced = 0; raced < ATTEMPTS; raced++) {
    const stored = await store.read(projectId);
    if (!stored) return { outcome: 'gone', raced };
    const update = decide(stored.data);
    if (!update) return { outcome: 'unchanged', raced };
    if (dryRun) return { outcome: 'written', raced };
    if (await store.update(projectId, update, stored.version)) return { outcome: 'written', raced };
    await new Promise((r) => setTimeout(r, retryWaitMs(raced + 1)));
  }
  throw new Error(`project ${projectId} was written by others ${ATTEMPTS} times in a row; run again later`);
}
