// Settling ended jobs on the user's side: free their slots, add their actual cost to today's and this
// month's spend, and record each in the cost ledger (`ledger/{job_id}`), all in one atomic write. It runs
// after the project write that ended them; a settle lost to a crash is done by the sweep (reconcile.ts).
// Repeating it changes nothing: spend is added only for a job that still held a slot, and a ledger entry
// is the same document written again.
//
// A job canceled while an execution still ran it keeps its slot (marked `stopping`) until that execution has
// stopped and booked what it used (stopped.ts), so start-cancel loops cannot run paid work past the cap or the
// budget; whichever of the two writes comes second frees the slot.
import type { WriteBatch } from 'firebase-admin/firestore';
import type { LedgerEntryDoc, UsageDoc } from '@reelforge/schema';
import { db } from '../../firebase.js';
import { usd } from '../../providers/prices.js';
import { actualUsd, type EndedJob } from './job-ends.js';
import { NO_CHANGE, mutateUsage } from './record.js';

export const LEDGER = 'ledger';
export const ledgerRef = (jobId: string) => db().collection(LEDGER).doc(jobId);

export function ledgerEntry(uid: string, projectId: string, ended: EndedJob, extraUsd = 0): LedgerEntryDoc {
  const { job } = ended;
  return {
    job_id: job.job_id,
    user_id: uid,
    project_id: projectId,
    type: job.type,
    ...(job.scene_id ? { scene_id: job.scene_id } : {}),
    ...(job.production_id ? { production_id: job.production_id } : {}),
    status: job.status,
    estimated_usd: usd(job.cost?.estimated_usd ?? 0),
    actual_usd: usd(actualUsd(job) + extraUsd),
    started_at: job.started_at,
    ended_at: ended.ended_at,
  };
}

export async function settleEndedJobs(uid: string, projectId: string, ended: EndedJob[]): Promise<void> {
  if (ended.length === 0) return;
  const outcome = await mutateUsage(
    uid,
    (usage) => settleSlots(usage, ended),
    (batch, stopped) => writeEntries(batch, uid, projectId, ended, stopped),
  );
  if (outcome !== NO_CHANGE) return;
  // No job held a slot (started before limits existed, or already reconciled): still record the entries.
  const batch = db().batch();
  writeEntries(batch, uid, projectId, ended, new Map());
  await batch.commit();
}

/**
 * The settle's change to one read of the record (pure apart from `usage`): the ended jobs' slots freed (or
 * kept while a stopped execution still runs) and their costs booked; what stopped executions had booked, by
 * job id, or NO_CHANGE when no ended job held a slot.
 */
export function settleSlots(usage: UsageDoc, ended: EndedJob[]): Map<string, number> | typeof NO_CHANGE {
  const held = ended.filter((e) => e.job.job_id in usage.active);
  // What stopped executions of these jobs booked before this settle (stopped.ts), by job id.
  const stopped = new Map(held.map((e) => [e.job.job_id, usage.active[e.job.job_id]!.stopped_usd ?? 0]));
  const cost = usd(held.reduce((sum, e) => sum + actualUsd(e.job) + stopped.get(e.job.job_id)!, 0));
  for (const e of held) {
    const slot = usage.active[e.job.job_id]!;
    if (e.execution_until && slot.stopped_usd === undefined) {
      slot.stopping = { until: e.execution_until, booked_usd: actualUsd(e.job) };
    } else delete usage.active[e.job.job_id];
  }
  usage.spent_today_usd = usd(usage.spent_today_usd + cost);
  usage.spent_month_usd = usd(usage.spent_month_usd + cost);
  return held.length > 0 ? stopped : NO_CHANGE;
}

function writeEntries(
  batch: WriteBatch,
  uid: string,
  projectId: string,
  ended: EndedJob[],
  stopped: Map<string, number>,
): void {
  for (const e of ended) {
    batch.set(ledgerRef(e.job.job_id), ledgerEntry(uid, projectId, e, stopped.get(e.job.job_id) ?? 0));
  }
}
