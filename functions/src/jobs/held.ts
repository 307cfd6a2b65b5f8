// The one guard every write of a running task execution goes through: it changes the job only while this
// execution still holds it (the job is live and its lease is the one the claim took). A job that was
// canceled, superseded, swept or taken over by another delivery is left alone.
import type { Timestamp } from 'firebase-admin/firestore';
import type { JobPartDoc, ProjectDoc } from '@reelforge/schema';
import { partHeldBy, type PartName } from './parts.js';
import { mutateProject, NO_WRITE, type MutationContext } from '../projects/store.js';
import { findJob, heldBy, type JobLocation } from './state.js';

export type HeldOutcome<T> =
  { held: true; value: T; project: ProjectDoc } | { held: false; project: ProjectDoc };

/**
 * Applies `change` to the job if this execution still holds it, and returns what `change` decided on the
 * document that was written. `change` may run several times (a lost race reruns it on fresh data); only
 * the run that was written counts, so a decision never leaks out of a run whose write lost.
 */
export async function mutateHeldJob<T>(
  projectId: string,
  jobId: string,
  lease: number,
  change: (own: JobLocation, project: ProjectDoc, now: Timestamp, ctx: MutationContext) => T,
): Promise<HeldOutcome<T>> {
  const outcome = await mutateProject<{ value: T }>(projectId, { uid: null }, (p, ctx) => {
    const own = findJob(p, jobId);
    if (!heldBy(own, lease)) return NO_WRITE;
    return { value: change(own, p, ctx.now, ctx) };
  });
  const { project } = outcome;
  return outcome.written && !outcome.deleted
    ? { held: true, value: outcome.value.value, project }
    : { held: false, project };
}

/**
 * `mutateHeldJob` for one part of a job done in parts (parts.ts): changes the job only while the job is
 * live and this execution still holds the part (its lease is the one the part's claim took).
 */
export async function mutateHeldPart<T>(
  projectId: string,
  jobId: string,
  name: PartName,
  lease: number,
  change: (own: JobLocation, part: JobPartDoc, now: Timestamp) => T,
): Promise<HeldOutcome<T>> {
  const outcome = await mutateProject<{ value: T }>(projectId, { uid: null }, (p, ctx) => {
    const own = findJob(p, jobId);
    if (!own || !partHeldBy(own, name, lease)) return NO_WRITE;
    return { value: change(own, own.job.parts![name]!, ctx.now) };
  });
  const { project } = outcome;
  return outcome.written && !outcome.deleted
    ? { held: true, value: outcome.value.value, project }
    : { held: false, project };
}
