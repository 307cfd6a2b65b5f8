// The cap on projects per user (USER_MAX_PROJECTS), exact under parallel creates. A count then a create
// let every create racing at cap - 1 see room and pass. Here the count and the create are one transaction
// that also writes the user's usage record: Firestore's transactions lock what they read, so two creates of
// one user conflict on that record and run one after the other, each counting what the other created. The
// projects themselves stay the truth (an aggregation query on the indexed `user_id`, one read unit per 1000
// projects): no counter to drift when a create or a delete dies halfway. Other users never wait.
import { Timestamp } from 'firebase-admin/firestore';
import type { ProjectDoc } from '@reelforge/schema';
import { LimitReached } from '../../errors.js';
import { db } from '../../firebase.js';
import { projectsCol } from '../store.js';
import { currentLimits, emptyUsage, usageRef } from './record.js';

/** Creates that race for one user retry on the fresh count; a burst of this many all get an answer. */
const TRANSACTION_ATTEMPTS = 30;

/** Creates `project` unless its owner already has `max` projects (LimitReached, resource-exhausted). */
export async function createWithinProjectLimit(
  project: ProjectDoc,
  max = currentLimits().maxProjects,
): Promise<void> {
  const uid = project.user_id;
  const ref = projectsCol().doc(project.id);
  await db().runTransaction(
    async (tx) => {
      const usage = await tx.get(usageRef(uid));
      const owned = (await tx.get(projectsCol().where('user_id', '==', uid).count())).data().count;
      if (owned >= max) {
        throw new LimitReached(
          `You have ${owned} projects and the limit is ${max}; delete one to create another.`,
        );
      }
      // Writing the record is what serialises the user's creates; `updated_at` says when it last changed.
      const now = Timestamp.now();
      if (usage.exists) tx.update(usageRef(uid), { updated_at: now });
      else tx.create(usageRef(uid), emptyUsage(uid, now));
      // `create` fails rather than overwrites if the id were ever taken.
      tx.create(ref, project);
    },
    { maxAttempts: TRANSACTION_ATTEMPTS },
  );
}
