// Merging a legacy Clerk user's usage record (`usage/<sub>`) into the one of their new uid
// (`usage/clerk:<sub>`), which exists when they already signed in after the functions were deployed.
// Both are the same person's: running jobs keep their slots (one per job id, so a job is never counted
// twice), and today's and this month's spend add up, each first rolled over to the current UTC day and
// month exactly as the admission code reads a record (a past day's spend is no longer today's).
import type { Timestamp } from 'firebase-admin/firestore';
import type { UsageDoc } from '@reelforge/schema';
import { rollOver } from '../../functions/src/projects/usage/record.js';
import { usd } from '../../functions/src/providers/prices.js';

export function mergeUsage(
  legacy: UsageDoc,
  current: UsageDoc | null,
  uid: string,
  now: Timestamp,
): UsageDoc {
  const old = { ...legacy, active: { ...legacy.active } };
  rollOver(old, now);
  const mine = current ? { ...current, active: { ...current.active } } : null;
  if (mine) rollOver(mine, now);
  const active = { ...old.active, ...mine?.active };
  return {
    user_id: uid,
    active,
    active_jobs: Object.keys(active).length,
    day: old.day,
    spent_today_usd: usd(old.spent_today_usd + (mine?.spent_today_usd ?? 0)),
    month: old.month,
    spent_month_usd: usd(old.spent_month_usd + (mine?.spent_month_usd ?? 0)),
    updated_at: now,
  };
}
