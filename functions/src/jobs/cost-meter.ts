// Counts what one task execution spent at the providers, from their own figures: OpenAI's token `usage`
// per answer, and per finished Replicate prediction its outputs and `metrics.predict_time`. The runner adds
// the count to the job's `cost.actual_usd` in the same write that completes, fails or re-queues the job.
//
// Every language-model answer is a new call and is booked whenever the execution ends. A prediction is
// booked only when the job ends (completed or failed): a re-queued job resumes the same prediction, and the
// execution that finishes the job books it then, so no prediction is counted twice. A prediction that
// failed is the exception: its job forgets it (a retry starts a fresh one), so it is booked at once, like
// an answer, or it would never be booked at all.
import type { ActiveJobDoc } from '@reelforge/schema';
import {
  computeCost,
  mediaCost,
  speechCost,
  tokenCost,
  transcriptionCost,
  usd,
  type ComputeWork,
  type MediaWork,
  type TokenUsage,
} from '../providers/index.js';

export interface CostMeter {
  tokens(model: string, tokens: TokenUsage): void;
  /** A finished prediction; `resumable: false` when no later execution will pick it up again. */
  media(work: MediaWork, predictSeconds?: number, options?: { resumable: boolean }): void;
  /** Characters a speech model spoke: a new call every time, like an answer. */
  speech(model: string, characters: number): void;
  /** Seconds of audio a transcription model heard: a new call every time, like an answer. */
  transcription(model: string, seconds: number): void;
  /** Our own function's time (the render): spent whatever comes next, like an answer. */
  compute(work: ComputeWork): void;
  /** Dollars to book: everything when the job ends here, else only what cannot be resumed (answers). */
  usd(jobEnds: boolean): number;
}

export function costMeter(): CostMeter {
  let answers = 0;
  let predictions = 0;
  return {
    tokens(model, tokens) {
      answers += tokenCost(model, tokens);
    },
    media(work, predictSeconds, options = { resumable: true }) {
      if (options.resumable) predictions += mediaCost(work, predictSeconds);
      else answers += mediaCost(work, predictSeconds);
    },
    speech(model, characters) {
      answers += speechCost(model, characters);
    },
    transcription(model, seconds) {
      answers += transcriptionCost(model, seconds);
    },
    compute(work) {
      answers += computeCost(work);
    },
    usd(jobEnds) {
      return usd(answers + (jobEnds ? predictions : 0));
    },
  };
}

/** Adds an execution's spend to the job's actual cost (inside the write that changes the job's state). */
export function addActualCost(job: ActiveJobDoc, amount: number): void {
  job.cost = {
    estimated_usd: job.cost?.estimated_usd ?? 0,
    actual_usd: usd((job.cost?.actual_usd ?? 0) + amount),
  };
}
