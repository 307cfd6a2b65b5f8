// What a job handler is given and what it returns. Handlers do the provider work and upload their files;
// the runner owns every state change of the job.
import type { Timestamp } from 'firebase-admin/firestore';
import type { CostMeter } from './cost-meter.js';
import type { ActiveJobDoc, ProjectDoc, SceneDoc, TaskPayload } from '@reelforge/schema';
import type { JobConfig } from '../config.js';

export interface JobContext {
  payload: TaskPayload;
  /** The project as it was when this execution claimed the job. */
  project: ProjectDoc;
  /** The job's scene, for scene jobs. */
  scene?: SceneDoc;
  job: ActiveJobDoc;
  /** Configuration and provider keys, read once by the task function (handlers never read params). */
  config: JobConfig;
  /** Reports 0..100; written to the document only when worth it (see progress.ts). */
  progress(value: number): Promise<void>;
  /** Records the provider's id for this job (a prediction), so cancel, webhooks and retries can find it. */
  setProviderRef(ref: string | null, options?: { releaseLease?: boolean }): Promise<void>;
  signal: AbortSignal;
  /**
   * Names this execution's output files: the job id and the claim. Two executions of one job (a killed
   * worker's and its successor's) never write the same object, so neither can delete the other's file.
   */
  outputId: string;
  /** When any wait for a provider must end (epoch ms), leaving time to persist before the function's timeout. */
  deadline: number;
  /** Told what the providers billed this execution (their own figures); the runner books it on the job. */
  cost: CostMeter;
}

export interface JobResult {
  /** Files this execution wrote; deleted again if the job turns out canceled or superseded at completion. */
  files: string[];
  /**
   * Applies the result inside the completing write, on the fresh document (it may run again if that write
   * loses a race). Returns the paths that the result replaced, which are deleted once it is written.
   */
  apply(project: ProjectDoc, scene: SceneDoc | undefined, now: Timestamp): string[];
}

/** The job waits for the provider's webhook; its completion enqueues the job's task again. */
export interface JobWaiting {
  waiting: true;
  /** The handler already gave the lease up (with its provider reference, in one write). */
  leaseReleased?: boolean;
  /**
   * Asked once more after the lease is released: true when the provider finished meanwhile. Its webhook
   * may have arrived while this execution still held the lease, and been turned away as a duplicate.
   */
  finishedMeanwhile(): Promise<boolean>;
}

export type JobOutcome = JobResult | JobWaiting;

export type JobHandler = (ctx: JobContext) => Promise<JobOutcome>;
