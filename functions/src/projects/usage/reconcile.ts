// Repairs a usage record from the user's projects, which are the truth about which jobs are unfinished.
// Drift comes from a crash between two writes: after admission but before the project write (a slot with
// no job), or after a job ended but before its settle (a slot whose job is finished). The first is freed
// once it is older than any start could take; the second is settled as its end would have settled it.
// Slots are never added here: a job read as unfinished may have ended and settled since that read, and a
// slot given back to it would be settled (and its cost counted) a second time.
// A slot kept for a stopping execution (settle.ts) is freed once that execution's lease ran out without
// its booking (stopped.ts): it was killed during its work, whose cost nobody measured, and the job's
// estimate (its ceiling) is booked for it, as the runner books the ceiling of a call it aborted.
//
// Reads are bounded both ways. Per user, only the projects the user's slots name are read, and of those
// only the fields that hold jobs (a field mask: a field mask cannot reach into the scenes array, so scenes
// come whole, but moods, storyboard and brief stay behind): never every project of the user, whose count
// has no bound that matters here. Per run, a bounded slice of the usage records is walked in document id
// order after the cursor in `sweep_state/usage`, so every user is reached within a bounded number of runs,
// whatever their slot count (an order by `active_jobs` put the users with the most leaked slots last).
import { FieldPath, type Timestamp, type WriteBatch } from 'firebase-admin/firestore';
import { z } from 'zod';
import { ActiveJobDocSchema, UsageDocSchema, isUnfinished, type ActiveJobDoc } from '@reelforge/schema';
import { usd } from '../../providers/prices.js';
import { projectsCol } from '../store.js';
import { loadCursor, nextCursor, saveCursor, sliceAfter, withinBudget } from '../sweep-cursor.js';
import { actualUsd, type EndedJob } from './job-ends.js';
import { NO_CHANGE, mutateUsage, USAGE, usageRef } from './record.js';
import { ledgerEntry, ledgerRef } from './settle.js';
import { db } from '../../firebase.js';

/** A slot younger than this may belong to a start whose project write is still on its way. */
export const ADMISSION_GRACE_MS = 2 * 60_000;
/** Usage records looked at per run (each read masked to its slot count). */
export const USAGE_RECORDS_PER_RUN = 1000;
/** The sweep's projects part stops after 240 s of its 300; this part stops starting users after this. */
const RUN_BUDGET_MS = 45_000;
const CURSOR = 'usage';

/** The only fields of a project the reconciliation reads. */
export const PROJECT_JOB_FIELDS = ['user_id', 'active_job', 'scenes'] as const;

/** The masked read, parsed: a project's jobs without the rest of its scenes (unknown keys are dropped). */
const ProjectJobsSchema = z.object({
  user_id: z.string(),
  active_job: ActiveJobDocSchema.nullish(),
  scenes: z.array(z.object({ active_job: ActiveJobDocSchema.nullish() })),
});

export interface ReconcileResult {
  /** Slots of starts that never reached their project. */
  freed: number;
  /** Slots of jobs that had ended without being settled. */
  settled: number;
}

export interface ReconcileAllResult extends ReconcileResult {
  /** Usage records this run looked at. */
  users: number;
  /** Where the next run starts (the last uid this run reached), null when it wrapped around. */
  cursor: string | null;
}

export interface ReconcileAllOptions {
  /** Usage records per run (tests use a small one; production `USAGE_RECORDS_PER_RUN`). */
  maxUsers?: number;
  budgetMs?: number;
}

interface Located {
  projectId: string;
  job: ActiveJobDoc;
}

/** The jobs of the named projects that belong to `uid`, by job id, from masked reads. */
async function jobsOfProjects(uid: string, projectIds: readonly string[]): Promise<Map<string, Located>> {
  const jobs = new Map<string, Located>();
  if (projectIds.length === 0) return jobs;
  const refs = projectIds.map((id) => projectsCol().doc(id));
  const snaps = await db().getAll(...refs, { fieldMask: [...PROJECT_JOB_FIELDS] });
  for (const snap of snaps) {
    if (!snap.exists) continue;
    const project = ProjectJobsSchema.parse(snap.data());
    // A slot naming someone else's project finds no job of this user there.
    if (project.user_id !== uid) continue;
    for (const job of [project.active_job, ...project.scenes.map((s) => s.active_job)]) {
      if (job) jobs.set(job.job_id, { projectId: snap.id, job });
    }
  }
  return jobs;
}

export async function reconcileUsage(uid: string, now: Date = new Date()): Promise<ReconcileResult> {
  const held = await usageRef(uid).get();
  if (!held.exists) return { freed: 0, settled: 0 };
  const slots = UsageDocSchema.parse(held.data()).active;
  // The projects read: a slot taken since this read (its project unread) is left to the next run.
  const read = new Set(Object.values(slots).map((slot) => slot.project_id));
  const jobs = await jobsOfProjects(uid, [...read]);
  const cutoff = now.getTime() - ADMISSION_GRACE_MS;
  const decided = await mutateUsage(
    uid,
    (usage) => {
      const result: ReconcileResult & {
        ended: (EndedJob & { projectId: string; extraUsd: number })[];
        expired: { jobId: string; ledgerUsd: number }[];
      } = { freed: 0, settled: 0, ended: [], expired: [] };
      let cost = 0;
      for (const [id, slot] of Object.entries(usage.active)) {
        if (slot.stopping) {
          if (slot.stopping.until.toMillis() > now.getTime()) continue;
          delete usage.active[id];
          cost += slot.estimated_usd;
          result.expired.push({ jobId: id, ledgerUsd: usd(slot.stopping.booked_usd + slot.estimated_usd) });
          result.settled += 1;
          continue;
        }
        if (!read.has(slot.project_id)) continue;
        const found = jobs.get(id);
        const stopped = slot.stopped_usd ?? 0;
        if (found && isUnfinished(found.job)) continue;
        if (!found && slot.admitted_at.toMillis() > cutoff) continue;
        delete usage.active[id];
        cost += stopped;
        if (found) {
          result.ended.push({
            job: found.job,
            ended_at: found.job.last_update as Timestamp,
            projectId: found.projectId,
            extraUsd: stopped,
          });
          cost += actualUsd(found.job);
          result.settled += 1;
        } else result.freed += 1;
      }
      cost = usd(cost);
      usage.spent_today_usd = usd(usage.spent_today_usd + cost);
      usage.spent_month_usd = usd(usage.spent_month_usd + cost);
      return result.freed + result.settled > 0 ? result : NO_CHANGE;
    },
    (batch: WriteBatch, result) => {
      for (const e of result.ended)
        batch.set(ledgerRef(e.job.job_id), ledgerEntry(uid, e.projectId, e, e.extraUsd));
      for (const e of result.expired)
        batch.set(ledgerRef(e.jobId), { actual_usd: e.ledgerUsd }, { merge: true });
    },
  );
  if (decided === NO_CHANGE) return { freed: 0, settled: 0 };
  return { freed: decided.freed, settled: decided.settled };
}

/**
 * Reconciles a bounded slice of the usage records, in document id order after the saved cursor: those
 * holding a slot. Ordered by id, not by slot count, so the order does not move under the run and the
 * query needs only the built-in id index; the records without slots cost one masked read each.
 */
export async function reconcileAllUsage(
  now: Date = new Date(),
  options: ReconcileAllOptions = {},
): Promise<ReconcileAllResult> {
  const startedMs = Date.now();
  const limit = options.maxUsers ?? USAGE_RECORDS_PER_RUN;
  const budgetMs = options.budgetMs ?? RUN_BUDGET_MS;
  const cursor = await loadCursor(CURSOR);
  let query = db()
    .collection(USAGE)
    .orderBy(FieldPath.documentId())
    .select('active_jobs')
    .limit(limit + 1);
  if (cursor !== null) query = query.startAfter(cursor);
  const page = await query.get();
  const holding = new Map(page.docs.map((doc) => [doc.id, Number(doc.get('active_jobs') ?? 0) > 0]));
  const listed = page.docs.map((doc) => doc.id);
  const slice = sliceAfter(listed.slice(0, limit), limit, listed.length > limit);
  const total: ReconcileAllResult = { freed: 0, settled: 0, users: 0, cursor };
  const done: string[] = [];
  for (const uid of slice.take) {
    if (!withinBudget(startedMs, Date.now(), budgetMs)) break;
    total.users += 1;
    if (holding.get(uid)) {
      const r = await reconcileUsage(uid, now);
      total.freed += r.freed;
      total.settled += r.settled;
    }
    done.push(uid);
  }
  total.cursor = nextCursor(slice, done, cursor);
  await saveCursor(CURSOR, total.cursor);
  return total;
}
