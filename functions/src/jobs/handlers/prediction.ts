// Drives one Replicate prediction for a job, resumable across task deliveries: the prediction id is
// recorded on the job as soon as it exists, so a retry, a webhook-triggered resume or a sweep re-delivery
// continues the same prediction instead of paying for a second one.
import type { MediaInput, MediaKind, MediaWork, PredictionState } from '../../providers/index.js';
import { classifyPredictionFailure } from '../../providers/errors.js';
import type { ProviderConfig } from '../../config.js';
import { mediaModelLabel, mediaProvider, webhookUrlFor } from '../provider-clients.js';
import { billedSeconds } from '../work.js';
import { JobCanceled, PermanentJobError } from '../../errors.js';
import type { JobContext } from '../types.js';
import { recordPrediction } from './record.js';

export type PredictionOutcome =
  | { done: true; state: PredictionState }
  | { done: false; leaseReleased?: boolean; finishedMeanwhile(): Promise<boolean> };

/**
 * Starts the job's prediction (or picks up the recorded one) and returns its final state. With webhooks
 * configured and the prediction still running it returns `done: false`: the webhook will bring the job
 * back. Progress maps onto [0, toProgress] of the job.
 */
export async function runPrediction(
  ctx: JobContext,
  kind: MediaKind,
  input: MediaInput,
  toProgress: (p: number) => number,
): Promise<PredictionOutcome> {
  const webhookUrl = webhookUrlFor(ctx.config.providers, ctx.payload.project_id, ctx.payload.job_id);
  const media = mediaProvider(ctx.config.providers, webhookUrl);
  const finishedMeanwhile = (id: string) => async () => isTerminal(await media.get(id));
  let state: PredictionState;
  if (ctx.job.provider_ref) {
    state = await media.get(ctx.job.provider_ref);
    if (!isTerminal(state) && webhookUrl)
      return { done: false, finishedMeanwhile: finishedMeanwhile(state.id) };
  } else {
    state = await media.start(kind, input);
    if (webhookUrl && !isTerminal(state)) {
      // One write records the prediction and hands the job to its webhook.
      await recordPrediction(ctx, media, state.id, state.id, { releaseLease: true });
      return { done: false, leaseReleased: true, finishedMeanwhile: finishedMeanwhile(state.id) };
    }
    await recordPrediction(ctx, media, state.id, state.id);
  }
  if (!isTerminal(state)) {
    state = await media.waitUntilDone(state.id, {
      intervalMs: ctx.config.pollIntervalMs,
      deadline: ctx.deadline,
      signal: ctx.signal,
      onProgress: (s) => ctx.progress(toProgress(s.progress)),
    });
  }
  // A failed prediction is forgotten below (a retry starts afresh), so it is booked by this execution.
  ctx.cost.media(
    billedWork(ctx.config.providers, kind, state, input.durationSeconds, input.count, input.resolution),
    state.predictSeconds,
    {
      resumable: state.status !== 'failed',
    },
  );
  if (state.status === 'failed') {
    // A retry must start a fresh prediction, not resume the failed one.
    await ctx.setProviderRef(null);
  }
  return { done: true, state: checkSucceeded(state) };
}

/**
 * What a finished prediction is billed for: its outputs if it succeeded (GPU-time models: its run time).
 * Once Replicate has removed its data the outputs are no longer listed, but they were made and paid for:
 * the images asked for are booked instead.
 */
export function billedWork(
  config: ProviderConfig,
  kind: MediaKind,
  state: PredictionState,
  durationSeconds?: number,
  imagesAsked = 1,
  resolution?: MediaWork['resolution'],
): MediaWork {
  const succeeded = state.status === 'succeeded';
  const images = state.outputRemoved && state.outputUrls.length === 0 ? imagesAsked : state.outputUrls.length;
  return {
    kind,
    model: mediaModelLabel(config.replicate.models, kind),
    images: succeeded ? images : 0,
    seconds: succeeded && durationSeconds !== undefined ? billedSeconds(durationSeconds) : 0,
    ...(resolution ? { resolution } : {}),
  };
}

function isTerminal(state: PredictionState): boolean {
  return state.status === 'succeeded' || state.status === 'failed' || state.status === 'canceled';
}

function checkSucceeded(state: PredictionState): PredictionState {
  if (state.status === 'canceled') throw new JobCanceled('the prediction was canceled');
  if (state.status === 'failed') {
    throw classifyPredictionFailure({
      id: state.id,
      status: 'failed',
      ...(state.error ? { error: state.error } : {}),
    });
  }
  if (state.outputUrls.length === 0) throw new PermanentJobError(outputMissing(state));
  return state;
}

/**
 * Why a succeeded prediction gave no file. When Replicate has removed its data (an hour after it ended:
 * the job came back to it late, after a lost webhook, a long backoff or a queue it waited in), the output
 * cannot be fetched any more, and the job fails saying so instead of starting a new prediction on its own:
 * a retry that makes the media again pays for it again, which is the user's call (`retryJob`). Nothing
 * cheaper is correct here: an earlier execution writes its file under its own execution's path and names it
 * only in the write that completes the job, so a job that reaches this point has no saved copy it could
 * keep (one that saved the file and then died has left it unnamed, and the hourly storage reconciliation
 * removes unnamed files an hour old, the age at which Replicate removes the output).
 */
export function outputMissing(state: PredictionState): string {
  return state.outputRemoved
    ? "the model's output expired at the provider before it could be saved (Replicate removes outputs an " +
        'hour after a prediction ends); retry the step to make it again.'
    : 'the model finished without an output file.';
}
