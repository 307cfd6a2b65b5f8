// Settling ended jobs on the user's side: free their slots, add their actual cost to today's and this
// month's spend, and record each in the cost ledger (`ledger/{job_id}`), all in one atomic write. It runs
// after the project write that ended them; a settle lost to a crash is done by the sweep (reconcile.ts).
// Repeating it changes nothing: spend is added only for a job that still held a slot, and a ledger entry
// is the same document written again.
import type { WriteBatch } from 'firebase-admin/firestore';
import type { LedgerEntryDoc } from '@reelforge/schema';
import { db } from '../../firebase.js';
import { usd } from '../../providers/prices.js';
import { actualUsd, type EndedJob } from './job-ends.js';
import { NO_CHANGE, mutateUsage } from './record.js';

export const LEDGER = 'ledger';
export const ledgerRef = (jobId: string) => db().collection(LEDGER).doc(jobId);

export function ledgerEntry(uid: string, projectId: string, ended: EndedJob): LedgerEntryDoc {
  const { job } = ended;
  return {
    job_id: job.job_id,
    user_id: uid,
    project_id: projectId,
    type: job.type,
    ...(job.scene_id ? { scene_id: job.scene_id } : {}),
    status: job.status,
    estimated_usd: usd(job.cost?.estimated_usd ?? 0),
    actual_usd: actualUsd(job),
    started_at: job.started_at,
    ended_at: ended.ended_at,
  };
}

export async function settleEndedJobs(uid: string, projectId: string, ended: EndedJob[]): Promise<void> {
  if (ended.length === 0) return;
  const entries = ended.map((e) => ledgerEntry(uid, projectId, e));
  const writeEntries = (batch: WriteBatch) => {
    for (const entry of entries) batch.set(ledgerRef(entry.job_id), entry);
  };
  const outcome = await mutateUsage(
    uid,
    (usage) => {
      const held = ended.filter((e) => e.job.job_id in usage.active);
      const cost = usd(held.reduce((sum, e) => sum + actualUsd(e.job), 0));
      for (const e of held) delete usage.active[e.job.job_id];
      usage.spent_today_usd = usd(usage.spent_today_usd + cost);
      usage.spent_month_usd = usd(usage.spent_month_usd + cost);
      return held.length > 0 ? true : NO_CHANGE;
    },
    writeEntries,
  );
  if (outcome !== NO_CHANGE) return;
  // No job held a slot (started before limits existed, or already reconciled): still record the entries.
  const batch = db().batch();
  writeEntries(batch);
  await batch.commit();
}
