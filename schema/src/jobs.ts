// Job lifecycle constants and the Cloud Tasks payload: shared by the callables that enqueue, the task
// handlers that run, and the stale sweep that rescues.
import { z } from 'zod';
import { IdSchema, JobTypeSchema, SceneJobTypeSchema } from './primitives.js';
import type { JobStatus, JobType, SceneJobType } from './primitives.js';
import { RenderKeySchema } from './languages.js';
import type { ActiveJobDoc, SceneDoc } from './project.js';

/** Statuses after which a job never changes again (tasks for it acknowledge and do nothing). */
export const FINISHED_JOB_STATUSES = [
  'completed',
  'failed',
  'canceled',
] as const satisfies readonly JobStatus[];
export type FinishedJobStatus = (typeof FINISHED_JOB_STATUSES)[number];

/** Queued or processing. */
export type UnfinishedJobStatus = Exclude<JobStatus, FinishedJobStatus>;

export function isFinishedJobStatus(status: JobStatus): status is FinishedJobStatus {
  return (FINISHED_JOB_STATUSES as readonly JobStatus[]).includes(status);
}

/** True for a job that is still queued or processing: it holds its scene (or the project) and a user slot. */
export function isUnfinished<J extends { status: JobStatus }>(
  job: J | null | undefined,
): job is J & { status: UnfinishedJobStatus } {
  return !!job && !isFinishedJobStatus(job.status);
}

/** A job and the scene that holds it; absent for a project-level job. */
export interface JobLocation<J = ActiveJobDoc, S = SceneDoc> {
  job: J;
  scene?: S;
}

/**
 * What holds jobs: the stored document (`ProjectDoc`) and the wire and camelCase views alike, so that the
 * functions, the studio, the demo and the tests read jobs off a project the same way.
 */
interface HoldsJobs<J, S extends { active_job?: J | null }> {
  active_job?: J | null;
  scenes: readonly S[];
}

/** Every job the project holds, project-level first, each with its scene. */
export function jobLocations<J, S extends { active_job?: J | null }>(
  project: HoldsJobs<J, S>,
): JobLocation<J, S>[] {
  const found: JobLocation<J, S>[] = project.active_job ? [{ job: project.active_job }] : [];
  for (const scene of project.scenes) if (scene.active_job) found.push({ job: scene.active_job, scene });
  return found;
}

/** Every job the project holds, project-level first. */
export function jobsOf<J, S extends { active_job?: J | null }>(project: HoldsJobs<J, S>): J[] {
  return jobLocations(project).map((loc) => loc.job);
}

/** Finds a job by id wherever it lives in the project. */
export function findJob<J extends { job_id: string }, S extends { active_job?: J | null }>(
  project: HoldsJobs<J, S>,
  jobId: string,
): JobLocation<J, S> | undefined {
  return jobLocations(project).find((loc) => loc.job.job_id === jobId);
}

/** A job that a later snapshot holds another job in the place of (see `replacedInPlace`). */
export interface ReplacedJob<J, S> extends JobLocation<J, S> {
  /** The job now in its place. */
  successor: J;
}

/**
 * The unfinished jobs of `before` that `after` holds another job in the place of (the project's own job, or
 * the same scene's). The write that completes a production's step puts its next step in that place
 * (functions/src/jobs/production/advance.ts), so a listener never sees that job completed; nothing else puts
 * a job where an unfinished one is (a start is refused while its place holds one), so each of these
 * completed, in the write that created its successor (at the successor's `started_at`).
 */
export function replacedInPlace<
  J extends { job_id: string; status: JobStatus },
  S extends { id: string; active_job?: J | null },
>(before: HoldsJobs<J, S>, after: HoldsJobs<J, S>): ReplacedJob<J, S>[] {
  const now = new Map<string, J>();
  if (after.active_job) now.set('', after.active_job);
  for (const scene of after.scenes) if (scene.active_job) now.set(scene.id, scene.active_job);
  return jobLocations(before).flatMap((loc) => {
    const successor = now.get(loc.scene?.id ?? '');
    return isUnfinished(loc.job) && successor && successor.job_id !== loc.job.job_id
      ? [{ ...loc, successor }]
      : [];
  });
}

export function isSceneJobType(type: JobType): type is SceneJobType {
  return (SceneJobTypeSchema.options as readonly string[]).includes(type);
}

/** Body of every Cloud Task; the job's truth lives in the project document, this only points at it. */
export const TaskPayloadSchema = z
  .strictObject({
    project_id: IdSchema,
    job_id: IdSchema,
    type: JobTypeSchema,
    scene_id: IdSchema.optional(),
    /** A task for one part of a job done in parts (the render's format); absent for the job's own task. */
    part: RenderKeySchema.optional(),
  })
  // A scene job without its scene (or a project job with one) is a bug in the enqueuer: refuse it early.
  .superRefine((payload, ctx) => {
    const sceneJob = isSceneJobType(payload.type);
    if (sceneJob && payload.scene_id === undefined) {
      ctx.addIssue({ code: 'custom', path: ['scene_id'], message: `a ${payload.type} job needs a scene_id` });
    }
    if (!sceneJob && payload.scene_id !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['scene_id'],
        message: `a ${payload.type} job takes no scene_id`,
      });
    }
  });
export type TaskPayload = z.infer<typeof TaskPayloadSchema>;
