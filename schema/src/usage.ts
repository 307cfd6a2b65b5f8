// A user's usage record (`usage/{uid}`) and cost ledger entries (`ledger/{job_id}`). The usage record is the
// admission point of the per-user limits: each unfinished job holds a slot in `active`, keyed by its job
// id, with the cost it was estimated at; spend is settled into the day and month when a job ends.
import { z } from 'zod';
import {
  IdSchema,
  IsoTimestampSchema,
  JobStatusSchema,
  JobTypeSchema,
  TimestampLikeSchema,
} from './primitives.js';

/** `YYYY-MM-DD` (UTC): the day a spend total belongs to. */
export const UsageDaySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
/** `YYYY-MM` (UTC). */
export const UsageMonthSchema = z.string().regex(/^\d{4}-\d{2}$/);

export const UsageSlotSchema = z.strictObject({
  project_id: IdSchema,
  type: JobTypeSchema,
  estimated_usd: z.number().min(0),
  admitted_at: TimestampLikeSchema,
  /**
   * Set when the job ended (canceled, or gone with its scene or project) while an execution still ran it:
   * the slot, and its estimate against the budget, stay held until that execution has stopped and booked
   * what it used (`stopped_usd`), or until its lease ran out (`until`). `booked_usd` is what the job's
   * end already booked (its ledger entry's `actual_usd` then).
   */
  stopping: z.strictObject({ until: TimestampLikeSchema, booked_usd: z.number().min(0) }).optional(),
  /**
   * Set when a stopped execution booked its cost (dollars) before its job's end was settled: that settle
   * adds it and frees the slot.
   */
  stopped_usd: z.number().min(0).optional(),
  /**
   * The job whose ending write will place this one (a production's hand-off: the write that completes a
   * scene's step places its next one). While both are here they hold one slot between them: that write
   * ends the one as it places the other, and its settle then frees the ended one's. Left naming a settled
   * job, it means nothing.
   */
  replaces: IdSchema.optional(),
});
export type UsageSlot = z.infer<typeof UsageSlotSchema>;

/**
 * The slots `active` holds: one per entry, except that an entry and the one it `replaces` count once (at
 * most one successor per replaced job rides on its slot).
 */
export function slotsHeld(active: Record<string, UsageSlot>): number {
  const replaced = new Set<string>();
  for (const slot of Object.values(active)) {
    if (slot.replaces && slot.replaces in active) replaced.add(slot.replaces);
  }
  return Object.keys(active).length - replaced.size;
}

export const UsageDocSchema = z.strictObject({
  user_id: z.string().min(1),
  /** One entry per unfinished job of the user, across all projects: the concurrency slots. */
  active: z.record(IdSchema, UsageSlotSchema),
  /** `slotsHeld(active)`, kept beside it for the sweep's index and for clients. */
  active_jobs: z.number().int().min(0),
  day: UsageDaySchema,
  spent_today_usd: z.number().min(0),
  month: UsageMonthSchema,
  spent_month_usd: z.number().min(0),
  updated_at: TimestampLikeSchema,
  /**
   * What running productions hold of today's budget, by production id: the whole plan's estimate is held
   * when it starts, and each of its jobs draws its own estimate from the hold as it is admitted (the slot
   * holds it from then on). Released when the production ends; a hold left by a crash goes at the next
   * UTC day, with the budget it held.
   */
  held: z
    .record(IdSchema, z.strictObject({ project_id: IdSchema, usd: z.number().min(0), day: UsageDaySchema }))
    .optional(),
  /**
   * This user's own limits where they differ from the deployment's (a plan, a support decision): written by
   * an operator with the Admin SDK, never by a client. Absent fields use the deployment's params.
   */
  limits: z
    .strictObject({
      max_active_jobs: z.number().int().min(0).optional(),
      daily_budget_usd: z.number().min(0).optional(),
    })
    .optional(),
});
export type UsageDoc = z.infer<typeof UsageDocSchema>;

/** One ended job in the cost ledger (`ledger/{job_id}`); kept after its project is deleted. */
export const LedgerEntryDocSchema = z.strictObject({
  job_id: IdSchema,
  user_id: z.string().min(1),
  project_id: IdSchema,
  type: JobTypeSchema,
  scene_id: IdSchema.optional(),
  /** The production that started the job, if one did. */
  production_id: IdSchema.optional(),
  status: JobStatusSchema,
  estimated_usd: z.number().min(0),
  actual_usd: z.number().min(0),
  started_at: TimestampLikeSchema,
  ended_at: TimestampLikeSchema,
});
export type LedgerEntryDoc = z.infer<typeof LedgerEntryDocSchema>;

export const UsageSummarySchema = z.strictObject({
  active_jobs: z.number().int().min(0),
  max_active_jobs: z.number().int().min(0),
  max_projects: z.number().int().min(0),
  daily_budget_usd: z.number().min(0),
  /** Held against today's budget: the running jobs' estimates until they settle, and what running productions hold for their later steps. */
  reserved_usd: z.number().min(0),
  spent_today_usd: z.number().min(0),
  spent_month_usd: z.number().min(0),
  remaining_today_usd: z.number().min(0),
  day: UsageDaySchema,
  month: UsageMonthSchema,
  as_of: IsoTimestampSchema,
});
export type UsageSummary = z.infer<typeof UsageSummarySchema>;

/**
 * One shard of the spend admitted today across all users (`global_usage/{shard}`), the global ceiling's
 * counter (GLOBAL_DAILY_BUDGET_USD). Sharded so that admissions of different users rarely write the same
 * document; the total is the sum of the shards whose `day` is today. Clients never read it.
 */
export const GlobalUsageShardDocSchema = z.strictObject({
  day: UsageDaySchema,
  /** The estimates of the jobs admitted today through this shard (an estimate is what a job may cost). */
  admitted_usd: z.number().min(0),
  updated_at: TimestampLikeSchema,
});
export type GlobalUsageShardDoc = z.infer<typeof GlobalUsageShardDocSchema>;
