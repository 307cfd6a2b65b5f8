// A production's hold on today's budget (`usage.held`): startProduction holds the whole plan's estimate
// before anything is written, so the budget admits the plan as a whole, never half an ad; its jobs then draw
// their estimates from it as they are admitted (admission.ts), and what is left goes back when the production
// ends. A hold a crash left behind goes with its day (record.ts's rollOver).
import type { Timestamp } from 'firebase-admin/firestore';
import type { UsageDoc } from '@reelforge/schema';
import { LimitReached } from '../../errors.js';
import { usd } from '../../providers/prices.js';
import { NO_CHANGE, limitsFor, mutateUsage, periodOf, remainingTodayUsd, type Limits } from './record.js';

const dollars = (value: number) => `$${value.toFixed(value < 1 ? 4 : 2)}`;

/** Holds `estimateUsd` of today's budget for the production, or refuses naming the estimate and what is left. */
export async function holdForProduction(
  uid: string,
  hold: { productionId: string; projectId: string; estimateUsd: number },
  limits: Limits,
): Promise<void> {
  await mutateUsage(uid, (usage, now) => {
    placeHold(usage, hold, limits, now);
    return true;
  });
}

/** The hold's change to one read of the record (pure apart from `usage`); throws LimitReached when it does not fit. */
export function placeHold(
  usage: UsageDoc,
  hold: { productionId: string; projectId: string; estimateUsd: number },
  limits: Limits,
  now: Timestamp,
): void {
  // A resumed production's earlier hold is replaced, not added to.
  const held = (usage.held ??= {});
  delete held[hold.productionId];
  const remaining = remainingTodayUsd(usage, limits);
  if (hold.estimateUsd > remaining) {
    throw new LimitReached(
      `The ad is estimated at ${dollars(hold.estimateUsd)}, and ${dollars(remaining)} of your daily budget of ` +
        `${dollars(limitsFor(usage, limits).dailyBudgetUsd)} remains (running jobs included); nothing was ` +
        'started. The budget resets at midnight UTC.',
    );
  }
  held[hold.productionId] = {
    project_id: hold.projectId,
    usd: usd(hold.estimateUsd),
    day: periodOf(now).day,
  };
}

/** Gives back what is left of the production's hold (it ended, or its start was refused after the hold). */
export async function releaseHold(uid: string, productionId: string): Promise<void> {
  await mutateUsage(uid, (usage) => {
    if (!usage.held || !(productionId in usage.held)) return NO_CHANGE;
    delete usage.held[productionId];
    return true;
  });
}
