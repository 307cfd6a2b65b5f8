// Repairs a usage record from the user's projects, which are the truth about which jobs are unfinished.
// Drift comes from a crash between two writes: after admission but before the project write (a slot with
// no job), or after a job ended but before its settle (a slot whose job is finished). The first is freed
// once it is older than any start could take; the second is settled as its end would have settled it.
// Slots are never added here: a job read as unfinished may have ended and settled since that read, and a
// slot given back to it would be settled (and its cost counted) a second time.
import type { Timestamp, WriteBatch } from 'firebase-admin/firestore';
import { isUnfinished, jobsOf, type ActiveJobDoc } from '@reelforge/schema';
import { usd } from '../../providers/prices.js';
import { parseProject, projectsCol } from '../store.js';
import { actualUsd, type EndedJob } from './job-ends.js';
import { NO_CHANGE, mutateUsage, USAGE } from './record.js';
import { ledgerEntry, ledgerRef } from './settle.js';
import { db } from '../../firebase.js';

/** A slot younger than this may belong to a start whose project write is still on its way. */
export const ADMISSION_GRACE_MS = 2 * 60_000;

export interface ReconcileResult {
  /** Slots of starts that never reached their project. */
  freed: number;
  /** Slots of jobs that had ended without being settled. */
  settled: number;
}

interface Located {
  projectId: string;
  job: ActiveJobDoc;
}

export async function reconcileUsage(uid: string, now: Date = new Date()): Promise<ReconcileResult> {
  const snap = await projectsCol().where('user_id', '==', uid).get();
  const jobs = new Map<string, Located>();
  for (const doc of snap.docs) {
    for (const job of jobsOf(parseProject(doc.id, doc.data())))
      jobs.set(job.job_id, { projectId: doc.id, job });
  }
  const cutoff = now.getTime() - ADMISSION_GRACE_MS;
  const decided = await mutateUsage(
    uid,
    (usage) => {
      const result: ReconcileResult & { ended: (EndedJob & { projectId: string })[] } = {
        freed: 0,
        settled: 0,
        ended: [],
      };
      for (const [id, slot] of Object.entries(usage.active)) {
        const found = jobs.get(id);
        if (found && isUnfinished(found.job)) continue;
        if (!found && slot.admitted_at.toMillis() > cutoff) continue;
        delete usage.active[id];
        if (found) {
          result.ended.push({
            job: found.job,
            ended_at: found.job.last_update as Timestamp,
            projectId: found.projectId,
          });
          result.settled += 1;
        } else result.freed += 1;
      }
      const cost = usd(result.ended.reduce((sum, e) => sum + actualUsd(e.job), 0));
      usage.spent_today_usd = usd(usage.spent_today_usd + cost);
      usage.spent_month_usd = usd(usage.spent_month_usd + cost);
      return result.freed + result.settled > 0 ? result : NO_CHANGE;
    },
    (batch: WriteBatch, result) => {
      for (const e of result.ended) batch.set(ledgerRef(e.job.job_id), ledgerEntry(uid, e.projectId, e));
    },
  );
  if (decided === NO_CHANGE) return { freed: 0, settled: 0 };
  return { freed: decided.freed, settled: decided.settled };
}

/** Reconciles every user who holds a slot (the sweep's part; `active_jobs` has Firestore's single-field index). */
export async function reconcileAllUsage(now: Date = new Date(), limit = 500): Promise<ReconcileResult> {
  const total: ReconcileResult = { freed: 0, settled: 0 };
  const users = await db().collection(USAGE).where('active_jobs', '>', 0).limit(limit).get();
  for (const doc of users.docs) {
    const r = await reconcileUsage(doc.id, now);
    total.freed += r.freed;
    total.settled += r.settled;
  }
  return total;
}
