// Helpers for the production tests: a user's own limits on their usage record (as an operator sets them),
// waiting for a production to end, and the most unfinished jobs the user held while it ran.
import { Timestamp } from 'firebase-admin/firestore';
import {
  UsageDocSchema,
  isActiveProductionStatus,
  jobsOf,
  type ActiveJobDoc,
  type ProjectDoc,
} from '@reelforge/schema';
import { adminDb, waitForProject } from '../support/index.js';

/** Sets the user's own cap and budget on their usage record (creating it as the functions would). */
export async function setUserLimits(
  uid: string,
  limits: { max_active_jobs?: number; daily_budget_usd?: number },
): Promise<void> {
  const ref = adminDb().collection('usage').doc(uid);
  await adminDb().runTransaction(async (tx) => {
    const snap = await tx.get(ref);
    const now = Timestamp.now();
    const iso = now.toDate().toISOString();
    const base = snap.exists
      ? UsageDocSchema.parse(snap.data())
      : {
          user_id: uid,
          active: {},
          active_jobs: 0,
          day: iso.slice(0, 10),
          spent_today_usd: 0,
          month: iso.slice(0, 7),
          spent_month_usd: 0,
          updated_at: now,
        };
    tx.set(ref, { ...base, limits, updated_at: now });
  });
}

/** Waits until the project's production has ended (completed, failed or canceled). */
export async function productionEnded(projectId: string, timeoutMs = 240_000): Promise<ProjectDoc> {
  const project = await waitForProject(
    projectId,
    (p) => !!p?.production && !isActiveProductionStatus(p.production.status),
    timeoutMs,
  );
  return project!;
}

/** Watches the user's usage record: the most slots held at once, until `stop` is called. */
export function watchSlots(uid: string): { max(): number; stop(): void } {
  let max = 0;
  const unsubscribe = adminDb()
    .collection('usage')
    .doc(uid)
    .onSnapshot((snap) => {
      const active = (snap.data()?.active ?? {}) as Record<string, unknown>;
      max = Math.max(max, Object.keys(active).length);
    });
  return { max: () => max, stop: unsubscribe };
}

/** The jobs of the project's ledger, as its entries record them. */
export async function ledgerJobs(projectId: string) {
  const snap = await adminDb().collection('ledger').where('project_id', '==', projectId).get();
  return snap.docs.map(
    (d) => d.data() as { type: string; scene_id?: string; status: string; job_id: string },
  );
}

export const productionJobs = (project: ProjectDoc, productionId: string): ActiveJobDoc[] =>
  jobsOf(project).filter((job) => job.production_id === productionId);
