// Helpers for the production tests: a user's own limits on their usage record (as an operator sets them),
// waiting for a production to end, and the most unfinished jobs the user held while it ran.
import { Timestamp } from 'firebase-admin/firestore';
import {
  UsageDocSchema,
  isActiveProductionStatus,
  jobsOf,
  slotsHeld,
  type ActiveJobDoc,
  type ProjectDoc,
  type UsageSlot,
} from '@reelforge/schema';
import { adminDb, patchProject, waitForProject, type TestClient } from '../support/index.js';
import { projectWithStoryboard } from '../pipeline/jobs.js';

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

/**
 * Watches the user's usage record: the most slots held at once, until `stop` is called. Counted as the
 * record counts them (`slotsHeld`: a hand-off's successor rides on the slot of the job whose ending write
 * places it).
 */
export function watchSlots(uid: string): { max(): number; stop(): void } {
  let max = 0;
  const unsubscribe = adminDb()
    .collection('usage')
    .doc(uid)
    .onSnapshot((snap) => {
      const active = (snap.data()?.active ?? {}) as Record<string, UsageSlot>;
      max = Math.max(max, slotsHeld(active));
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

/** Short scenes keep the clips, and the test, short: two seconds each, and a one-word line on the first. */
export async function shortStoryboard(client: TestClient, scenes: number) {
  const project = await projectWithStoryboard(client, scenes);
  await patchProject(project.id, (p) => {
    for (const [i, s] of p.scenes.entries()) {
      s.duration_seconds = 2;
      if (i === 0) s.voiceover_text = 'Fresh.';
      else delete s.voiceover_text;
    }
  });
  return project.id;
}

/** The steps a finished production made, by type (from the ledger, which every ended job writes). */
export async function madeSteps(projectId: string, productionId: string) {
  await new Promise((r) => setTimeout(r, 300)); // the last job's settle follows its write by a moment
  const entries = (await ledgerJobs(projectId)).filter(
    (e) => (e as { production_id?: string }).production_id === productionId,
  );
  const byType: Record<string, number> = {};
  for (const e of entries) byType[e.type] = (byType[e.type] ?? 0) + 1;
  return { entries, byType };
}

/** Runs `call` again while the scene is busy with a job (the edit waits for it to be idle, as a person would). */
export async function retryWhileBusy<T>(call: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await call();
    } catch (err) {
      if ((err as { code?: string }).code !== 'functions/failed-precondition' || i > 200) throw err;
      await new Promise((r) => setTimeout(r, 150));
    }
  }
}
