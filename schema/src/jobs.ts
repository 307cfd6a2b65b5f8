// Job lifecycle constants and the Cloud Tasks payload: shared by the callables that enqueue, the task
// handlers that run, and the stale sweep that rescues.
import { z } from 'zod';
import { IdSchema, JobTypeSchema, SceneJobTypeSchema } from './primitives.js';
import type { JobStatus, JobType, SceneJobType } from './primitives.js';

/** Statuses after which a job never changes again (tasks for it acknowledge and do nothing). */
export const FINISHED_JOB_STATUSES = [
  'completed',
  'failed',
  'canceled',
] as const satisfies readonly JobStatus[];
export type FinishedJobStatus = (typeof FINISHED_JOB_STATUSES)[number];

export function isFinishedJobStatus(status: JobStatus): status is FinishedJobStatus {
  return (FINISHED_JOB_STATUSES as readonly JobStatus[]).includes(status);
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
