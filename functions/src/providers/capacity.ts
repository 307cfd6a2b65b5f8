// What the providers let us do per minute, and how long their calls take: the published figures that size the
// job queues (jobs/queue-sizing.ts) and that the scale benchmark's simulated providers obey (bench/scale.ts).
// Configuration, like prices.ts: each figure names its public source and the date it was read. These machines
// have no internet; the figures marked "library" were read on 2026-12-03 from the stored copies of the pages
// in the tool library, the others are as the pages stood when last read by hand (date given) and should be
// checked before sizing a deployment on them. When a provider raises a limit (a higher OpenAI tier, a raise
// granted by Replicate), change the row here and recompute (README "Scaling").

/** A provider's limit on one kind of request, per account (Replicate) or per organization and model (OpenAI). */
export interface RateLimit {
  /** Requests per minute. */
  rpm: number;
  /** Tokens per minute (OpenAI counts a request's prompt tokens plus its `max_completion_tokens`). */
  tpm?: number;
  /**
   * How many seconds of the per-minute allowance a burst may take at once. Neither provider publishes the
   * shape: Replicate says "you can make short bursts of requests above the default rate limits before being
   * throttled", OpenAI that limits may be enforced over shorter periods than a minute. 10 s is our assumption.
   */
  burstSeconds: number;
  source: string;
}

export type RatePool =
  'replicate_create' | 'replicate_other' | 'openai_chat' | 'openai_speech' | 'openai_transcription';

/** OpenAI's usage tier the sizing assumes: 1 is where a new paying account starts ($5 paid). */
export type OpenAiTier = 1 | 5;
export const OPENAI_TIER: OpenAiTier = 1;

const REPLICATE = {
  // library: https://replicate.com/docs/topics/predictions/rate-limits ("You can create predictions at 600
  // requests per minute. All other endpoints you can call at 3000 requests per minute."; 429 with "Your rate
  // limit resets in ~30s"; higher limits on request), read 2026-12-03.
  replicate_create: {
    rpm: 600,
    burstSeconds: 10,
    source: 'replicate.com/docs/topics/predictions/rate-limits, 2026-12-03',
  },
  replicate_other: {
    rpm: 3000,
    burstSeconds: 10,
    source: 'replicate.com/docs/topics/predictions/rate-limits, 2026-12-03',
  },
} as const satisfies Partial<Record<RatePool, RateLimit>>;

/**
 * OpenAI publishes its limits per model page and tier (platform.openai.com/docs/models/<model>; the rate
 * limits guide, developers.openai.com/api/docs/guides/rate-limits, explains RPM/TPM and that a request counts
 * its max_tokens). gpt-4.1-mini as a "mini" model: Tier 1 500 RPM / 200,000 TPM, Tier 5 30,000 RPM /
 * 150,000,000 TPM (tier tables for the mini class as republished in the library's pages, e.g.
 * ai-buzz.com/ai-openai-rate-limits, 2026-12-03; OpenAI's own per-model page was not in the library).
 * gpt-4o-mini-tts and whisper-1: Tier 1 500 RPM, Tier 5 10,000 RPM (the models' pages as read 2025-06, not
 * re-read; no TPM is counted for them here).
 */
const OPENAI: Record<
  OpenAiTier,
  Pick<Record<RatePool, RateLimit>, 'openai_chat' | 'openai_speech' | 'openai_transcription'>
> = {
  1: {
    openai_chat: { rpm: 500, tpm: 200_000, burstSeconds: 10, source: 'gpt-4.1-mini tier 1, 2026-12-03' },
    openai_speech: { rpm: 500, burstSeconds: 10, source: 'gpt-4o-mini-tts tier 1, 2025-06' },
    openai_transcription: { rpm: 500, burstSeconds: 10, source: 'whisper-1 tier 1, 2025-06' },
  },
  5: {
    openai_chat: {
      rpm: 30_000,
      tpm: 150_000_000,
      burstSeconds: 10,
      source: 'gpt-4.1-mini tier 5, 2026-12-03',
    },
    openai_speech: { rpm: 10_000, burstSeconds: 10, source: 'gpt-4o-mini-tts tier 5, 2025-06' },
    openai_transcription: { rpm: 10_000, burstSeconds: 10, source: 'whisper-1 tier 5, 2025-06' },
  },
};

/** Every pool's limit for an OpenAI tier (Replicate's are the same for every account until raised). */
export function providerLimits(tier: OpenAiTier = OPENAI_TIER): Record<RatePool, RateLimit> {
  return { ...REPLICATE, ...OPENAI[tier] };
}

/**
 * Tokens OpenAI counts for a prompt before the answer's ceiling: our prompts (brief, mood, scenes) run to a
 * few thousand characters, about 1,000 tokens (4 characters a token); an estimate, not a measurement.
 */
export const PROMPT_TOKENS_TYPICAL = 1_000;

/** How long one call of a kind takes: median x e^(spread x z), z standard normal, plus per second of output. */
export interface LatencySpec {
  medianSeconds: number;
  perOutputSecond?: number;
  spread: number;
}

export type LatencyKind = 'chat' | 'speech' | 'transcription' | 'image' | 'video' | 'audio';

/**
 * The providers' typical latencies, rounded: approximations of what Replicate's model pages show under "Run
 * time and cost" and of the OpenAI API's usual response times for these requests, not our own measurements:
 * a structured answer of a few hundred tokens from gpt-4.1-mini (a scene's composition) about 4 s; one short
 * line from gpt-4o-mini-tts about 1.5 s and its whisper-1 transcription about 1.2 s; one flux-schnell image
 * about 2 s; a seedance-1-lite 720p clip about 20 s plus 6 s per second of video; meta/musicgen stereo-large
 * about 10 s plus 2 s of GPU per second of music (the figure prices.ts bills by). The spreads (log-normal
 * sigma) are wider for the language model, whose answer length varies, than for the media models, whose run
 * time follows what they are asked to make. Read 2025-06/07 with the prices. The stand-in plays them
 * (bench/production.ts, bench/scale.ts's calibration) and the scale simulation draws from them.
 */
export const TYPICAL_LATENCY: Readonly<Record<LatencyKind, LatencySpec>> = {
  chat: { medianSeconds: 4, spread: 0.4 },
  speech: { medianSeconds: 1.5, spread: 0.3 },
  transcription: { medianSeconds: 1.2, spread: 0.3 },
  image: { medianSeconds: 2, spread: 0.3 },
  video: { medianSeconds: 20, perOutputSecond: 6, spread: 0.25 },
  audio: { medianSeconds: 10, perOutputSecond: 2, spread: 0.2 },
};
