// Money as the studio shows it, and the usage strip's figures kept current from the live usage record.
import type { UsageSummary } from '@reelforge/schema';
import type { UsageRecord } from '@reelforge/client';

// Jobs cost fractions of a cent (a keyframe is $0.003), so a spend that rounds to $0.00 is shown with a
// third decimal rather than as nothing.
export function formatUsd(usd: number): string {
  if (usd === 0) return '$0.00';
  if (usd < 0.001) return 'under $0.001';
  if (usd < 0.01) return `$${usd.toFixed(3)}`;
  return `$${usd.toFixed(2)}`;
}

/** Dollars to the hundredth of a cent, as the backend rounds its sums (so the two never differ by a float). */
function cents100(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

/**
 * The summary `getUsage` gave (it says the limits, which are configuration and not in the record), brought
 * up to date by the live record: running jobs, what is held (the running jobs' estimates and what running
 * productions hold for their later steps, as the backend's `reservedUsd` counts it), today's and this
 * month's spend. A record of a past day or month counts as nothing spent yet, and a hold of a past day as
 * nothing held (the backend rolls both over on its next write). `null`: the user has no record yet, so
 * nothing runs and nothing is spent.
 */
export function liveUsage(summary: UsageSummary, record: UsageRecord, now: Date): UsageSummary {
  const iso = now.toISOString();
  const day = iso.slice(0, 10);
  const month = iso.slice(0, 7);
  const slots = record ? Object.values(record.active) : [];
  const holds = Object.values(record?.held ?? {}).filter((hold) => hold.day === day);
  const reserved = cents100(
    slots.reduce((sum, slot) => sum + slot.estimated_usd, 0) + holds.reduce((sum, hold) => sum + hold.usd, 0),
  );
  const spentToday = record && record.day === day ? record.spent_today_usd : 0;
  const spentMonth = record && record.month === month ? record.spent_month_usd : 0;
  return {
    ...summary,
    active_jobs: record ? record.active_jobs : 0,
    reserved_usd: reserved,
    spent_today_usd: spentToday,
    spent_month_usd: spentMonth,
    remaining_today_usd: Math.max(0, cents100(summary.daily_budget_usd - spentToday - reserved)),
    day,
    month,
    as_of: record ? record.updated_at : summary.as_of,
  };
}
