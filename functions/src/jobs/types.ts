// What a job handler is given and what it returns. Handlers do the provider work and upload their files;
// the runner owns every state change of the job.
import type { Timestamp } from 'firebase-admin/firestore';
import type { CostMeter } from './cost-meter.js';
import type { ActiveJobDoc, ProjectDoc, SceneDoc, TaskPayload } from '@reelforge/schema';

export interface JobContext {
  payload: TaskPayload;
  /** The project as it was when this execution claimed the job. */
  project: ProjectDoc;
  /** The job's scene, for scene jobs. */
  scene?: SceneDoc;
  job: ActiveJobDoc;
  /** Reports 0..100; written to the document only when worth it (see progress.ts). */
  progress(value: number): Promise<void>;
  /** Records the provider's id for this job (a prediction), so cancel, webhooks and retries can find it. */
  setProviderRef(ref: string | null, options?: { releaseLease?: boolean }): Promise<void>;
  signal: AbortSignal;
  /** Told what the providers billed this execution (their own figures); the runner books it on the job. */
  cost: CostMeter;
}

export interface JobResult {
  /** Files this execution wrote; deleted again if the job turns out canceled or superseded at completion. */
  files: string[];
  /**
   * Applies the result inside the completing transaction, on the fresh document. Returns the paths that
   * the result replaced, which are deleted after the transaction commits.
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
