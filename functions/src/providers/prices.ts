// What the providers charge, per model, and the arithmetic that turns a job's work into US dollars. The
// table is configuration: a new model is a new row. Each price names its public source and the date it was
// read; these machines have no internet, so the figures below were not re-read on the day this file was
// written (2026-11-25) and should be checked against the pages before a deploy that bills anyone.
//
// Estimates take the work a job will ask for (images, seconds, an upper bound of tokens); actual costs take
// the provider's own figures where it reports them: Replicate's `metrics.predict_time` for models billed by
// GPU time, the output count and length for models billed per output, OpenAI's `usage` token counts.
import type { Resolution } from '@reelforge/schema';
import type { MediaKind } from './models.js';

export type Price =
  /** Billed per output image. */
  | { unit: 'image'; usd: number }
  /**
   * Billed per second of output video; `min_seconds` is the shortest clip the model makes and bills (a
   * shorter scene still pays for it).
   */
  | {
      unit: 'video_second';
      /** At 1080p, and at 720p: what the model is asked for at each (models.ts VIDEO_RESOLUTION_ASKED). */
      usd: Readonly<Record<Resolution, number>>;
      min_seconds?: number;
    }
  /**
   * Billed by the GPU time the prediction ran (Replicate `metrics.predict_time`); `seconds_per_output_second`
   * is what an estimate assumes before the prediction has run.
   */
  | { unit: 'gpu_second'; usd: number; seconds_per_output_second: number }
  /** Billed per 1k tokens, input and output priced apart. */
  | { unit: 'tokens'; input_per_1k: number; output_per_1k: number }
  /** Billed per 1k characters of text turned into speech. */
  | { unit: 'speech_characters'; per_1k: number }
  /** Billed per minute of audio transcribed (OpenAI rounds to the second). */
  | { unit: 'audio_minute'; per_minute: number };

export const PRICES: Readonly<Record<string, Price>> = {
  // https://replicate.com/black-forest-labs/flux-schnell ("$3.00 per thousand output images"), read 2025-06.
  'black-forest-labs/flux-schnell': { unit: 'image', usd: 0.003 },
  // https://replicate.com/black-forest-labs/flux-dev ("$0.025 per output image"), read 2025-06.
  'black-forest-labs/flux-dev': { unit: 'image', usd: 0.025 },
  // https://replicate.com/black-forest-labs/flux-1.1-pro ("$0.04 per output image"), read 2025-06.
  'black-forest-labs/flux-1.1-pro': { unit: 'image', usd: 0.04 },
  // https://replicate.com/black-forest-labs/flux-kontext-pro/api/schema ("$0.04/image"), read 2026-11 as
  // quoted from that page in a third-party model-selection document (a stored copy: the page itself cannot
  // be read from these machines). Billed per output image like the other FLUX models.
  'black-forest-labs/flux-kontext-pro': { unit: 'image', usd: 0.04 },
  // https://replicate.com/bytedance/seedance-1-lite ("$0.036 per second of output video" at 720p),
  // read 2025-07. Its 1080p price is not in that reading; ByteDance bills Seedance by video tokens (width x height
  // x fps x seconds / 1024, e.g. eachlabs.ai's seedance-v1-lite page: "$0.18 per 720p 5 s video, else $1.8
  // per million tokens"), so 1080p is priced at the 720p figure times its 2.25x pixels: $0.081.
  'bytedance/seedance-1-lite': { unit: 'video_second', usd: { '1080p': 0.081, '720p': 0.036 } },
  // https://replicate.com/kwaivgi/kling-v2.1 ("$0.05 per second of output video" in standard mode, 720p;
  // "$0.09" in pro mode, 1080p), read 2025-07. The pro figure was not re-read for this change.
  // Kling makes clips of 5 or 10 s only (its `duration` input), so a shorter scene is billed 5 s.
  'kwaivgi/kling-v2.1': { unit: 'video_second', usd: { '1080p': 0.09, '720p': 0.05 }, min_seconds: 5 },
  // https://replicate.com/wan-video/wan-2.2-i2v-fast ("$0.05 per output video" of about 5 s at 480p),
  // read 2025-08. models.ts now asks for 720p (its largest; at 1080p too), whose price was not in that reading:
  // priced at the 480p figure times its 2.25x pixels, $0.1125 a video ($0.0225 per second), as fal.ai and
  // eachlabs.ai price their Wan 2.2 720p at about twice their 480p.
  // Wan bills per video of at least about 5 s (81 frames at 16 fps), whatever the scene's length.
  'wan-video/wan-2.2-i2v-fast': {
    unit: 'video_second',
    usd: { '1080p': 0.0225, '720p': 0.0225 },
    min_seconds: 5,
  },
  // https://replicate.com/pricing: Nvidia A100 (80GB) GPU "$0.0014 per second", the hardware meta/musicgen
  // runs on (its model page); stereo-large takes about 2 s of GPU per second of music. Read 2025-06.
  'meta/musicgen': { unit: 'gpu_second', usd: 0.0014, seconds_per_output_second: 2 },
  // https://openai.com/api/pricing: gpt-4.1-mini "$0.40 / 1M input tokens, $1.60 / 1M output", read 2025-06.
  'gpt-4.1-mini': { unit: 'tokens', input_per_1k: 0.0004, output_per_1k: 0.0016 },
  // https://openai.com/api/pricing: gpt-4.1 "$2.00 / 1M input tokens, $8.00 / 1M output", read 2025-06.
  'gpt-4.1': { unit: 'tokens', input_per_1k: 0.002, output_per_1k: 0.008 },
  // https://openai.com/api/pricing: gpt-4o-mini "$0.15 / 1M input tokens, $0.60 / 1M output", read 2025-06.
  'gpt-4o-mini': { unit: 'tokens', input_per_1k: 0.00015, output_per_1k: 0.0006 },
  // https://openai.com/api/pricing: tts-1 "$15.00 / 1M characters", read 2025-06 (the voiceover's model).
  'tts-1': { unit: 'speech_characters', per_1k: 0.015 },
  // https://openai.com/api/pricing: gpt-4o-mini-tts "$0.015 / minute" (estimated, audio out), read 2025-06;
  // about 1,000 characters are spoken in a minute, so taken as $0.015 per 1k characters (the default voice
  // model; the page prices it by tokens, this is our per-character reading of its per-minute estimate).
  'gpt-4o-mini-tts': { unit: 'speech_characters', per_1k: 0.015 },
  // https://openai.com/api/pricing: whisper-1 "$0.006 / minute" of audio, read 2025-06 (times the captions).
  'whisper-1': { unit: 'audio_minute', per_minute: 0.006 },
  // https://openai.com/api/pricing: gpt-4o-transcribe "$0.006 / minute" (estimated), read 2025-06.
  'gpt-4o-transcribe': { unit: 'audio_minute', per_minute: 0.006 },
};

/**
 * A model we have no row for is priced like the dearest known model of its kind, so a budget errs on the
 * side of refusing rather than letting an unpriced model run free.
 */
const FALLBACK: Record<MediaKind | 'language' | 'speech' | 'transcription', string> = {
  mood_image: 'black-forest-labs/flux-1.1-pro',
  scene_image: 'black-forest-labs/flux-1.1-pro',
  product_image: 'black-forest-labs/flux-kontext-pro',
  video: 'kwaivgi/kling-v2.1',
  audio: 'meta/musicgen',
  language: 'gpt-4.1',
  speech: 'tts-1',
  transcription: 'whisper-1',
};

/** The table's row for a model id (`owner/name`, `owner/name:version`, or an OpenAI model id). */
export function priceOf(model: string, kind: keyof typeof FALLBACK): Price {
  const bare = model.split(':')[0] ?? model;
  return PRICES[bare] ?? PRICES[FALLBACK[kind]]!;
}

/** Dollars rounded to a hundredth of a cent: enough for the smallest price, and stable sums in tests. */
export function usd(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

/** What a media prediction makes: images, or seconds of video or audio. */
export interface MediaWork {
  kind: MediaKind;
  model: string;
  images?: number;
  seconds?: number;
  /** Video: the project's resolution, which decides what the model is asked for (1080p when absent). */
  resolution?: Resolution;
}

/** The cost of a media prediction; with `predictSeconds` (Replicate's figure) GPU-billed models use it. */
export function mediaCost(work: MediaWork, predictSeconds?: number): number {
  const price = priceOf(work.model, work.kind);
  switch (price.unit) {
    case 'image':
      return usd(price.usd * (work.images ?? 1));
    case 'video_second': {
      // No clip (a failed prediction) bills nothing; any clip bills at least the model's shortest.
      const seconds = work.seconds ?? 0;
      const perSecond = price.usd[work.resolution ?? '1080p'];
      return usd(perSecond * (seconds > 0 ? Math.max(seconds, price.min_seconds ?? 0) : 0));
    }
    case 'gpu_second':
      return usd(price.usd * (predictSeconds ?? (work.seconds ?? 0) * price.seconds_per_output_second));
    default:
      // A language or speech model configured as a media model: price the work as nothing we can count.
      return 0;
  }
}

export interface TokenUsage {
  input_tokens: number;
  output_tokens: number;
}

/** The cost of a language-model call from its token counts (OpenAI `usage`, or an estimate's bounds). */
export function tokenCost(model: string, tokens: TokenUsage): number {
  const price = priceOf(model, 'language');
  if (price.unit !== 'tokens') return 0;
  return usd(
    (tokens.input_tokens / 1000) * price.input_per_1k + (tokens.output_tokens / 1000) * price.output_per_1k,
  );
}

/** The cost of turning `characters` of text into speech. */
export function speechCost(model: string, characters: number): number {
  const price = priceOf(model, 'speech');
  if (price.unit !== 'speech_characters') return 0;
  return usd((characters / 1000) * price.per_1k);
}

/** A function instance's size and how long it runs: what Cloud Functions (2nd gen) bills by. */
export interface ComputeWork {
  vcpu: number;
  memoryGiB: number;
  seconds: number;
}

/**
 * Cloud Functions (2nd gen) bill as Cloud Run services with request-based billing, per vCPU-second and
 * GiB-second of instance time while a request is handled: https://cloud.google.com/run/pricing, Tier 1
 * regions (us-central1, where the functions run), "CPU $0.000024 / vCPU-second, Memory $0.0000025 /
 * GiB-second" beyond the free tier, read 2025-06. The free tier is ignored: the budget counts each job as
 * if it were paid, so a busy month does not turn the estimate into zero.
 */
export const COMPUTE_PRICE = { vcpu_second: 0.000024, gib_second: 0.0000025 } as const;

/** The cost of running a function of this size for `seconds` (our own render, not a provider's). */
export function computeCost(work: ComputeWork): number {
  const perSecond = work.vcpu * COMPUTE_PRICE.vcpu_second + work.memoryGiB * COMPUTE_PRICE.gib_second;
  return usd(perSecond * Math.max(0, work.seconds));
}

/** The cost of transcribing `seconds` of audio. */
export function transcriptionCost(model: string, seconds: number): number {
  const price = priceOf(model, 'transcription');
  if (price.unit !== 'audio_minute') return 0;
  return usd((Math.ceil(seconds) / 60) * price.per_minute);
}
