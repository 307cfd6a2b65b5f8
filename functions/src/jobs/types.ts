// What a job handler is given and what it returns. Handlers do the provider work and upload their files;
// the runner owns every state change of the job.
import type { Timestamp } from 'firebase-admin/firestore';
import type { CostMeter } from './cost-meter.js';
import type { ActiveJobDoc, JobPartDoc, ProjectDoc, SceneDoc, TaskPayload } from '@reelforge/schema';
import type { PartName } from './parts.js';
import type { JobConfig } from '../config.js';
import type { SideWrites } from '../projects/store.js';

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
  /**
   * For a job done in parts (its definition's `parts`): writes the parts named (anew where listed in
   * `reset`, their files deleted) and enqueues a task for each that needs one (jobs/parts.ts). The handler
   * then returns the waiting outcome this gives: the fan-in brings the job back.
   */
  fanOut(names: readonly PartName[], reset: readonly PartName[]): Promise<JobWaiting>;
}

/** What one part's task is given: the job's context, narrowed to its part. */
export interface PartContext {
  payload: TaskPayload & { part: PartName };
  part: PartName;
  /** The project as it was when this execution claimed the part. */
  project: ProjectDoc;
  job: ActiveJobDoc;
  config: JobConfig;
  /** Reports the part's 0..100 (the job shows the mean of its parts); written only when worth it. */
  progress(value: number): Promise<void>;
  signal: AbortSignal;
  /** Names this execution's output files, as a job execution's `outputId` does. */
  outputId: string;
  cost: CostMeter;
}

/** What a part made: its files, and how it is recorded on its part when its completing write wins. */
export interface PartResult {
  files: string[];
  record(part: JobPartDoc): void;
}

export type PartHandler = (ctx: PartContext) => Promise<PartResult>;

export interface JobResult {
  /** Files this execution wrote; deleted again if the job turns out canceled or superseded at completion. */
  files: string[];
  /**
   * Applies the result inside the completing write, on the fresh document (it may run again if that write
   * loses a race). Returns the paths that the result replaced, which are deleted once it is written.
   * `also` writes other documents in the same commit (a scene asset job's take).
   */
  apply(project: ProjectDoc, scene: SceneDoc | undefined, now: Timestamp, also: SideWrites): string[];
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
