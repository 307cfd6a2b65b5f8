// A job's estimated cost before it runs, from the work its definition says it asks the providers for
// (its `work`, jobs/define.ts) and the price table (providers/prices.ts). Language-model answers are priced
// at their token ceiling (a generous prompt and the answer's `max_completion_tokens`), media at what the
// configured model is asked to make; so an estimate errs high and the budget errs on the side of refusing.
import type { JobType } from '@reelforge/schema';
import { params, readMediaModels } from '../config.js';
import {
  MAX_TOKENS,
  computeCost,
  mediaCost,
  speechCost,
  tokenCost,
  transcriptionCost,
  usd,
} from '../providers/index.js';
import { mediaModelLabel } from './provider-clients.js';
import { JOBS } from './registry.js';
import type { ProviderWork, WorkInput } from './work.js';

/**
 * Prompt tokens an estimate assumes per answer for the prompt's fixed wording and a usual brief and mood; a
 * prompt that grows with the project (`promptBytes`) is added on top.
 */
export const PROMPT_TOKENS_CEILING = 4_000;

export function workCost(work: ProviderWork): number {
  if ('answer' in work) {
    return tokenCost(params.openaiModel.value(), {
      input_tokens: PROMPT_TOKENS_CEILING + (work.promptBytes ?? 0),
      output_tokens: MAX_TOKENS[work.answer],
    });
  }
  if ('speech' in work) return speechCost(params.ttsModel.value(), work.speech);
  if ('compute' in work) return computeCost(work.compute);
  if ('transcription' in work)
    return transcriptionCost(params.transcriptionModel.value(), work.transcription);
  return mediaCost({
    kind: work.media,
    model: mediaModelLabel(readMediaModels(), work.media),
    ...(work.images !== undefined ? { images: work.images } : {}),
    ...(work.seconds !== undefined ? { seconds: work.seconds } : {}),
    ...(work.resolution !== undefined ? { resolution: work.resolution } : {}),
  });
}

export function estimateJobCost(type: JobType, input: WorkInput): number {
  return usd(JOBS[type].work(input).reduce((sum, work) => sum + workCost(work), 0));
}
