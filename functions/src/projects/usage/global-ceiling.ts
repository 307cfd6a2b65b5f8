// The global daily ceiling (GLOBAL_DAILY_BUDGET_USD): every user's budget is per account, and accounts can be
// made, so one ceiling over all users bounds what a day can cost. It counts the estimates of every job
// admitted today (an estimate is what the job may cost; a canceled or failed job's estimate stays counted:
// a ceiling errs on the side of stopping) and refuses new paid work for everyone once they reach it.
//
// The count is sharded: a single document written by every admission of every user would be the hottest
// document of the database (Firestore sustains about one write per second on one document, and every lost
// compare-and-set race is a retry). Each admission adds its estimate to one shard picked at random, in the
// same atomic batch as the user's usage write and conditional on that shard's update time, and checks the
// sum of all shards read in one `getAll`. The price of sharding: two admissions at the same instant on
// different shards both see the other's shard without its new estimate, so the ceiling can be passed by
// the admissions in flight at that instant (each at most one user's budget), never by a day's traffic.
import { randomInt } from 'node:crypto';
import type { DocumentSnapshot, Timestamp, WriteBatch } from 'firebase-admin/firestore';
import { GlobalUsageShardDocSchema, type GlobalUsageShardDoc } from '@reelforge/schema';
import { globalDailyBudgetUsd } from '../../config.js';
import { LimitReached } from '../../errors.js';
import { db } from '../../firebase.js';
import { usd } from '../../providers/prices.js';
import { periodOf, type UsageCoWrite } from './record.js';

export const GLOBAL_USAGE = 'global_usage';
/** Shards of the count: admissions of about this many users per second write without contending. */
export const GLOBAL_SHARDS = 8;

export const globalShardRefs = () =>
  Array.from({ length: GLOBAL_SHARDS }, (_, i) => db().collection(GLOBAL_USAGE).doc(`shard-${i}`));

const dollars = (value: number) => `$${value.toFixed(2)}`;

/** What a shard counts for `day` (a shard last written on an earlier day counts nothing). */
function admittedOn(snap: DocumentSnapshot, day: string): number {
  if (!snap.exists) return 0;
  const shard = GlobalUsageShardDocSchema.parse(snap.data());
  return shard.day === day ? shard.admitted_usd : 0;
}

/** Throws LimitReached when admitting `estimateUsd` more would pass the ceiling (a pure decision). */
export function checkGlobalCeiling(admittedUsd: number, estimateUsd: number, ceilingUsd: number): void {
  if (admittedUsd >= ceilingUsd || admittedUsd + estimateUsd > ceilingUsd) {
    throw new LimitReached(
      `Reelforge has reached its spending ceiling for today (${dollars(admittedUsd)} of ` +
        `${dollars(ceilingUsd)} across all users), so new paid work is paused for everyone until midnight ` +
        'UTC; running jobs carry on.',
    );
  }
}

/** The ceiling's part of an admission of `estimateUsd`, committed with the user's usage write. */
export function globalCeiling(
  estimateUsd: number,
  ceilingUsd: number = globalDailyBudgetUsd(),
): UsageCoWrite {
  return {
    async prepare(now: Timestamp) {
      const { day } = periodOf(now);
      const refs = globalShardRefs();
      const snaps = await db().getAll(...refs);
      const admitted = usd(snaps.reduce((sum, snap) => sum + admittedOn(snap, day), 0));
      checkGlobalCeiling(admitted, estimateUsd, ceilingUsd);
      // A job priced at nothing changes no count: no write, so it contends with nobody.
      if (estimateUsd <= 0) return () => undefined;
      const i = randomInt(GLOBAL_SHARDS);
      const snap = snaps[i]!;
      const shard: GlobalUsageShardDoc = {
        day,
        admitted_usd: usd(admittedOn(snap, day) + estimateUsd),
        updated_at: now,
      };
      return (batch: WriteBatch) => {
        if (snap.exists) batch.update(refs[i]!, { ...shard }, { lastUpdateTime: snap.updateTime! });
        else batch.create(refs[i]!, shard);
      };
    },
  };
}
