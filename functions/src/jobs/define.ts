// A job type's declaration, made once in its handler file (handlers/<type>.ts) with `defineJob`, in the
// manner of Inngest's `createFunction({ id, retries }, trigger, handler)`: what the job is called, which
// handler runs it, how its queue behaves, how often it may try and which keys and provider work it needs.
// The registry lists the definitions and derives every per-type table from them. The stale limit is the
// one fact not given here: project stats need it below jobs/, so the schema's job type table declares it
// (JOB_TYPE_TABLE) and the definition reads it from there.
import type { SecretParam } from 'firebase-functions/params';
import { JOB_STALE_MINUTES, type JobType, type SceneAssetType } from '@reelforge/schema';
import type { JobHandler, PartHandler } from './types.js';
import type { ProviderWork, WorkInput } from './work.js';

/** What a handler file declares about its job type. */
export interface JobDeclaration<T extends JobType = JobType> {
  type: T;
  /** The job in a sentence: "scene 2 is busy with a <label> job". */
  label: string;
  /** The step a failure message starts with: "<step> failed: ...". */
  step: string;
  /**
   * Its Cloud Tasks queue: dispatch rate, concurrent deliveries and instances (from the sizing model,
   * queue-sizing.ts), and the function's size and time limit.
   */
  queue: {
    maxDispatchesPerSecond: number;
    maxConcurrentDispatches: number;
    maxInstances: number;
    memory?: '512MiB' | '1GiB' | '2GiB' | '4GiB' | '8GiB';
    cpu?: number;
    /** Also the task's dispatch deadline; Cloud Tasks allows at most 1800 s. */
    timeoutSeconds?: number;
    minBackoffSeconds?: number;
  };
  /** Task attempts before the job fails for good. */
  attempts: number;
  /** The provider keys its handler uses. */
  secrets: readonly SecretParam[];
  /** What one run asks the providers for: the basis of its estimated cost (estimate.ts). */
  work: (input: WorkInput) => ProviderWork[];
  handler: JobHandler;
  /**
   * For a job done in parts (jobs/parts.ts): what each part's task runs. The handler fans out
   * (`ctx.fanOut`) and, once its parts are done, completes the job from what they recorded.
   */
  parts?: { handler: PartHandler };
  /** For scene asset jobs: what the job makes, in words ("keyframe image"), and the scene assets it needs. */
  asset?: { name: string; needs?: readonly SceneAssetType[] };
}

/** A declared job type, with what the schema's job type table declares for it. */
export interface JobDefinition<T extends JobType = JobType> extends JobDeclaration<T> {
  /** Minutes without a `last_update` after which the stale sweep re-enqueues or fails the job. */
  readonly staleMinutes: number;
}

export function defineJob<T extends JobType>(declaration: JobDeclaration<T>): JobDefinition<T> {
  return { ...declaration, staleMinutes: JOB_STALE_MINUTES[declaration.type] };
}
