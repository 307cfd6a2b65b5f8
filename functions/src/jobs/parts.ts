// Jobs done in parts, as pure functions on the project document (like state.ts, which they mirror). A job
// whose definition declares `parts` (the render: one part per format) fans out: its own task writes one
// part per piece of work into `job.parts` and enqueues a task for each, then waits. Each part task claims
// its part the way a task claims a job (attempts, a lease, a heartbeat), does its work on its own function
// instance and records what it made on its part; it is retried alone. The part write that leaves every part
// finished, or one failed for good, wakes the job's own task again (the fan-in), which completes the job
// from its parts or fails it; a job failed or canceled stops the parts still running (their stop checks).
//
//   part: queued ──claim──▶ processing ──record──▶ completed
//           ▲                  │  │
//           └──retryable error─┘  └──permanent error / last attempt──▶ failed
import { Timestamp } from 'firebase-admin/firestore';
import {
  isFinishedJobStatus,
  isUnfinished,
  type ActiveJobDoc,
  type RenderKey,
  type JobPartDoc,
  type JobLocation,
} from '@reelforge/schema';
import { failJob as failPart, leaseLive } from './state.js';

/** A part's name: the render's key (a format, or `format@language`). */
export type PartName = RenderKey;

/** A part not yet claimed. */
export function newPart(now: Timestamp): JobPartDoc {
  return { status: 'queued', progress: 0, attempt: 0, deliveries: 0, lease_until: null, last_update: now };
}

/** The parts of a job, by name, in the order the job asked for them. */
export function partsOf(job: Pick<ActiveJobDoc, 'parts'>): [PartName, JobPartDoc][] {
  return Object.entries(job.parts ?? {}).filter((e): e is [PartName, JobPartDoc] => e[1] !== undefined);
}

/** True when the part will not change again: recorded, or failed for good. */
export function partFinished(part: JobPartDoc | undefined): boolean {
  return !!part && isFinishedJobStatus(part.status);
}

/** Whether the job's own task has something to decide: every part finished, or one failed for good. */
export function fanInDue(job: ActiveJobDoc): boolean {
  const parts = partsOf(job).map(([, part]) => part);
  return parts.some((p) => p.status === 'failed') || parts.every(partFinished);
}

export type PartClaim =
  | { action: 'run'; part: JobPartDoc }
  | { action: 'skip'; reason: 'missing' | 'finished' }
  | { action: 'hand-back'; reason: 'running' }
  | { action: 'fail'; message: string };

/**
 * Takes the part for one task execution, as `claimJob` takes a job: a live lease hands the delivery back, a
 * part whose execution died (lease held, heartbeat lost) starts a new attempt, and a part out of attempts
 * fails for good (which fails the job at its fan-in). The job's `last_update` is touched with the part's,
 * so the stale sweep sees a job whose parts are working as alive.
 */
export function claimPart(
  loc: JobLocation | undefined,
  name: PartName,
  now: Timestamp,
  leaseSeconds: number,
  maxAttempts: number,
  lostMessage: string,
): PartClaim {
  if (!loc || !isUnfinished(loc.job)) return { action: 'skip', reason: 'finished' };
  const part = loc.job.parts?.[name];
  if (!part) return { action: 'skip', reason: 'missing' };
  if (partFinished(part)) return { action: 'skip', reason: 'finished' };
  const nowMs = now.toMillis();
  if (leaseLive(part, nowMs)) return { action: 'hand-back', reason: 'running' };
  if (part.attempt >= maxAttempts) {
    const message = part.lease_until
      ? lostMessage
      : `gave up after ${maxAttempts} attempts${part.error_message ? ` (${part.error_message})` : ''}`;
    failPart(part, message, now);
    loc.job.last_update = now;
    return { action: 'fail', message };
  }
  part.attempt += 1;
  part.status = 'processing';
  part.last_update = now;
  part.lease_until = Timestamp.fromMillis(nowMs + leaseSeconds * 1000);
  delete part.error_message;
  loc.job.last_update = now;
  return { action: 'run', part };
}

/** True while the part is the one the execution that claimed it with `lease` (ms) holds, in a live job. */
export function partHeldBy(loc: JobLocation | undefined, name: PartName, lease: number): boolean {
  return !!loc && isUnfinished(loc.job) && loc.job.parts?.[name]?.lease_until?.toMillis() === lease;
}

/** A part's status changes are a job's (state.ts): recorded, failed for good, handed back to its queue. */
export { completeJob as completePart, failJob as failPart, requeueJob as requeuePart } from './state.js';

/** The job's progress from its parts': their mean, so one bar moves as every format does. */
export function progressFromParts(job: ActiveJobDoc): number {
  const parts = partsOf(job);
  if (!parts.length) return job.progress;
  const mean = parts.reduce((sum, [, p]) => sum + p.progress, 0) / parts.length;
  return Math.max(job.progress, Math.min(99, Math.round(mean)));
}

/**
 * The fan-out's change: every named part present (a new one where it is absent or listed in `reset`), and
 * the names of the parts that need a task now: each one not finished whose execution is not live. A part
 * whose task still waits in its queue gets a second one, which is harmless: only one delivery claims it,
 * the other is handed back and then skipped. Returns the files of the reset parts, to delete once written.
 */
export function fanOutParts(
  job: ActiveJobDoc,
  names: readonly PartName[],
  reset: readonly PartName[],
  now: Timestamp,
): { enqueue: { name: PartName; n: number }[]; dropped: JobPartDoc[] } {
  const parts = { ...job.parts };
  const dropped: JobPartDoc[] = [];
  for (const name of names) {
    const before = parts[name];
    if (before && !reset.includes(name)) continue;
    if (before) dropped.push(before);
    // A reset part keeps its task counter: Cloud Tasks refuses an id it ran within the hour.
    parts[name] = { ...newPart(now), deliveries: before?.deliveries ?? 0 };
  }
  job.parts = parts;
  job.last_update = now;
  const enqueue = names.flatMap((name) => {
    const part = parts[name]!;
    if (partFinished(part) || leaseLive(part, now.toMillis())) return [];
    part.deliveries += 1;
    return [{ name, n: part.deliveries }];
  });
  return { enqueue, dropped };
}
