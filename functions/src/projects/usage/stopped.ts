// The other half of a job that ended under a running execution (canceled, or gone with its scene or
// project while a task was in a provider call): once that execution has really stopped, it books what it
// used here. Its slot was kept (settle.ts marks it `stopping`) so that the cap and the budget still counted
// the work; whichever of the job's settle and this booking comes second frees the slot.
import { usd } from '../../providers/prices.js';
import { NO_CHANGE, mutateUsage } from './record.js';
import { ledgerRef } from './settle.js';

export async function bookStoppedExecution(uid: string, jobId: string, costUsd: number): Promise<void> {
  const cost = usd(costUsd);
  await mutateUsage(
    uid,
    (usage) => {
      const slot = usage.active[jobId];
      if (slot?.stopping) {
        delete usage.active[jobId];
        usage.spent_today_usd = usd(usage.spent_today_usd + cost);
        usage.spent_month_usd = usd(usage.spent_month_usd + cost);
        return { ledgerUsd: usd(slot.stopping.booked_usd + cost) };
      }
      if (slot) {
        // The job's end is not settled yet: that settle adds this cost and frees the slot.
        slot.stopped_usd = usd((slot.stopped_usd ?? 0) + cost);
        return { ledgerUsd: undefined };
      }
      if (cost === 0) return NO_CHANGE;
      // No slot (a job from before limits existed, or one the reconciliation freed): the spend is still
      // the user's. Its ledger entry, if any, is left as its end wrote it.
      usage.spent_today_usd = usd(usage.spent_today_usd + cost);
      usage.spent_month_usd = usd(usage.spent_month_usd + cost);
      return { ledgerUsd: undefined };
    },
    (batch, { ledgerUsd }) => {
      // The entry was written by the settle that marked the slot, in the same batch.
      if (ledgerUsd !== undefined) batch.set(ledgerRef(jobId), { actual_usd: ledgerUsd }, { merge: true });
    },
  );
}
