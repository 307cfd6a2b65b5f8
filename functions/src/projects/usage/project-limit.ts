// The cap on projects per user (USER_MAX_PROJECTS). Counted with an aggregation query on the indexed
// `user_id`, one read unit per 1000 projects. Two creates racing at the cap could both pass: the cap bounds
// storage and listing sizes, not money (jobs are what cost, and their admission is atomic), so a rare
// project over it is accepted rather than serialising every create on one document.
import { LimitReached } from '../../errors.js';
import { projectsCol } from '../store.js';
import { currentLimits } from './record.js';

export async function checkProjectLimit(uid: string, max = currentLimits().maxProjects): Promise<void> {
  const snap = await projectsCol().where('user_id', '==', uid).count().get();
  const owned = snap.data().count;
  if (owned >= max) {
    throw new LimitReached(
      `You have ${owned} projects and the limit is ${max}; delete one to create another.`,
    );
  }
}
