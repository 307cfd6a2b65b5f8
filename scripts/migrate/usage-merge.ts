// Merging a legacy Clerk user's usage record (`usage/<sub>`) into the one of their new uid
// (`usage/clerk:<sub>`), which exists when they already signed in after the functions were deployed.
// Both are the same person's: running jobs keep their slots (one per job id, so a job is never counted
// twice), and today's and this month's spend add up, each first rolled over to the current UTC day and
// month exactly as the admission code reads a record (a past day's spend is no longer today's).
import type { Timestamp } from 'firebase-admin/firestore';
import type { UsageDoc } from '@reelforge/schema';
import { emptyUsage, rollOver } from '../../functions/src/projects/usage/record.js';
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
  // Productions' holds on today's budget are the same person's too (rollOver dropped a past day's).
  const held = { ...old.held, ...mine?.held };
  return {
    user_id: uid,
    active,
    ...(Object.keys(held).length ? { held } : {}),
    active_jobs: Object.keys(active).length,
    day: old.day,
    spent_today_usd: usd(old.spent_today_usd + (mine?.spent_today_usd ?? 0)),
    month: old.month,
    spent_month_usd: usd(old.spent_month_usd + (mine?.spent_month_usd ?? 0)),
    updated_at: now,
  };
}

/**
 * The slots of one project's jobs taken from the legacy record to the new uid's, as the project itself moves
 * (in the same transaction): a slot is always in the record of the uid its project carries, so neither a
 * settle nor the sweep's reconciliation ever meets a slot whose project it cannot find under its own uid.
 * Null when the legacy record holds no slot of that project. Spend stays for `mergeUsage`, at the end.
 */
export function moveProjectSlots(
  legacy: UsageDoc,
  current: UsageDoc | null,
  projectId: string,
  uid: string,
  now: Timestamp,
): { legacy: UsageDoc; current: UsageDoc } | null {
  const moving = Object.entries(legacy.active).filter(([, slot]) => slot.project_id === projectId);
  if (moving.length === 0) return null;
  const from: UsageDoc = { ...legacy, active: { ...legacy.active } };
  const to: UsageDoc = current ? { ...current, active: { ...current.active } } : emptyUsage(uid, now);
  rollOver(from, now);
  rollOver(to, now);
  for (const [id, slot] of moving) {
    delete from.active[id];
    to.active[id] = slot;
  }
  for (const record of [from, to]) {
    record.active_jobs = Object.keys(record.active).length;
    record.updated_at = now;
  }
  return { legacy: from, current: to };
}
