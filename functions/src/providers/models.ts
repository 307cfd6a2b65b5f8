// Which Replicate model makes each kind of media, and how our neutral request becomes that model's input.
// Models are configuration: a param holds `owner/name` (official models, always the latest version) or
// `owner/name:version` (community models, pinned). A known model gets its own input mapping; an unknown one
// gets a generic mapping with the most common field names.
//
// Default models (copy for the README):
// - mood_image:  black-forest-labs/flux-schnell - prompt, aspect_ratio, num_outputs 1-4, png, seed -> list of URLs
// - scene_image: black-forest-labs/flux-schnell - the same with one output
// - video:       bytedance/seedance-1-lite (image-to-video) - prompt, image, duration (whole s, 2-12), 720p,
//                aspect_ratio, fps 24, seed -> one MP4 URL
// - audio:       meta/musicgen:671ac645ce5e552cc63a54a2bbff63fcf798043055d2dac5fc9e36a837eedcfb (by version) -
//                prompt, duration (whole s), model_version stereo-large, output_format mp3 -> one MP3 URL
// Also mapped when configured: black-forest-labs/flux-dev, black-forest-labs/flux-1.1-pro (one URL),
// kwaivgi/kling-v2.1 (start_image, duration 5 or 10), wan-video/wan-2.2-i2v-fast (num_frames at 16 fps).
// Video models take whole seconds with a floor (seedance: 2 s), so a clip can be up to half a second off
// the scene's duration (and 1 s scenes get 2 s): the render step trims each clip to its scene.
import type { AspectRatio } from '@reelforge/schema';

export type MediaKind = 'mood_image' | 'scene_image' | 'video' | 'audio';
export const MEDIA_KINDS: readonly MediaKind[] = ['mood_image', 'scene_image', 'video', 'audio'];

/** What the pipeline asks for, independent of any model's field names. */
export interface MediaInput {
  prompt: string;
  aspectRatio: AspectRatio;
  /** Clip or track length (video, audio). */
  durationSeconds?: number;
  /** Image-to-video start frame; must be reachable by the provider (a signed URL in production). */
  imageUrl?: string;
  /** Hex colours; models take them as text in the prompt (see prompts.ts), the stand-in tints with them. */
  palette?: readonly string[];
  seed?: number;
  /** Images per prediction (mood boards take up to 4); models without the option make one. */
  count?: number;
}

export interface MediaModel {
  /** `owner/name` (runs the latest version) ... */
  model?: `${string}/${string}`;
  /** ... or a pinned version id (for community models that have no latest-version endpoint). */
  version?: string;
  /** For logs and errors: `owner/name` or `owner/name:version`. */
  label: string;
  mapInput(input: MediaInput): Record<string, unknown>;
}

export type MediaModels = Record<MediaKind, MediaModel>;

function wholeSeconds(value: number | undefined, min: number, max: number, fallback: number): number {
  const seconds = Math.round(value ?? fallback);
  return Math.min(max, Math.max(min, seconds));
}

/** The prompt with the palette appended when the caller passed one the prompt does not already name. */
export function promptWithPalette(input: MediaInput): string {
  const missing = (input.palette ?? []).filter(
    (hex) => !input.prompt.toLowerCase().includes(hex.toLowerCase()),
  );
  return missing.length === 0 ? input.prompt : `${input.prompt} Colour palette: ${missing.join(', ')}.`;
}

function withSeed(input: MediaInput, fields: Record<string, unknown>): Record<string, unknown> {
  return input.seed === undefined ? fields : { ...fields, seed: input.seed };
}

type Mapper = (input: MediaInput) => Record<string, unknown>;

/** Input mappings of the models we know, by `owner/name`. */
const MAPPERS: Record<string, Mapper> = {
  'black-forest-labs/flux-schnell': (input) =>
    withSeed(input, {
      prompt: promptWithPalette(input),
      aspect_ratio: input.aspectRatio,
      num_outputs: Math.min(4, Math.max(1, input.count ?? 1)),
      output_format: 'png',
      go_fast: true,
    }),
  'black-forest-labs/flux-dev': (input) =>
    withSeed(input, {
      prompt: promptWithPalette(input),
      aspect_ratio: input.aspectRatio,
      num_outputs: Math.min(4, Math.max(1, input.count ?? 1)),
      output_format: 'png',
    }),
  'black-forest-labs/flux-1.1-pro': (input) =>
    withSeed(input, {
      prompt: promptWithPalette(input),
      aspect_ratio: input.aspectRatio,
      output_format: 'png',
      safety_tolerance: 2,
    }),
  'bytedance/seedance-1-lite': (input) =>
    withSeed(input, {
      prompt: promptWithPalette(input),
      ...(input.imageUrl ? { image: input.imageUrl } : {}),
      duration: wholeSeconds(input.durationSeconds, 2, 12, 5),
      resolution: '720p',
      aspect_ratio: input.aspectRatio,
      fps: 24,
    }),
  'kwaivgi/kling-v2.1': (input) => ({
    prompt: promptWithPalette(input),
    ...(input.imageUrl ? { start_image: input.imageUrl } : {}),
    duration: (input.durationSeconds ?? 5) > 7.5 ? 10 : 5,
    mode: 'standard',
  }),
  'wan-video/wan-2.2-i2v-fast': (input) =>
    withSeed(input, {
      prompt: promptWithPalette(input),
      ...(input.imageUrl ? { image: input.imageUrl } : {}),
      frames_per_second: 16,
      num_frames: Math.min(121, Math.max(81, Math.round((input.durationSeconds ?? 5) * 16))),
      resolution: '480p',
      aspect_ratio: input.aspectRatio,
    }),
  'meta/musicgen': (input) =>
    withSeed(input, {
      prompt: promptWithPalette(input),
      duration: wholeSeconds(input.durationSeconds, 1, 30, 8),
      model_version: 'stereo-large',
      output_format: 'mp3',
      normalization_strategy: 'peak',
    }),
};

/** Field names most Replicate models use: good enough for a model we have no mapping for. */
const genericMapper: Mapper = (input) =>
  withSeed(input, {
    prompt: promptWithPalette(input),
    aspect_ratio: input.aspectRatio,
    ...(input.durationSeconds === undefined ? {} : { duration: Math.round(input.durationSeconds) }),
    ...(input.imageUrl ? { image: input.imageUrl } : {}),
  });

export const DEFAULT_MODEL_IDS: Record<MediaKind, string> = {
  mood_image: 'black-forest-labs/flux-schnell',
  scene_image: 'black-forest-labs/flux-schnell',
  video: 'bytedance/seedance-1-lite',
  audio: 'meta/musicgen:671ac645ce5e552cc63a54a2bbff63fcf798043055d2dac5fc9e36a837eedcfb',
};

/**
 * Parses `owner/name` or `owner/name:version` (or a bare 64-hex version id) into a MediaModel. Throws on
 * anything else, so a mistyped param fails at startup rather than on the first prediction.
 */
export function parseModelId(id: string): MediaModel {
  const trimmed = id.trim();
  const match = /^([\w.-]+)\/([\w.-]+)(?::([0-9a-f]{64}))?$/.exec(trimmed);
  if (match) {
    const ownerName = `${match[1]}/${match[2]}` as const;
    const mapInput = MAPPERS[ownerName] ?? genericMapper;
    return match[3]
      ? { version: match[3], label: `${ownerName}:${match[3].slice(0, 8)}`, mapInput }
      : { model: ownerName, label: ownerName, mapInput };
  }
  if (/^[0-9a-f]{64}$/.test(trimmed)) {
    return { version: trimmed, label: trimmed.slice(0, 8), mapInput: genericMapper };
  }
  throw new Error(`not a Replicate model id: "${id}" (expected owner/name or owner/name:version)`);
}

/** Each kind's model: the configured one (a model id string, or a MediaModel), else the default. */
export function resolveMediaModels(
  overrides: Partial<Record<MediaKind, string | MediaModel>> = {},
): MediaModels {
  const pick = (kind: MediaKind): MediaModel => {
    const value = overrides[kind];
    if (typeof value === 'object') return value;
    return parseModelId(value && value.trim() !== '' ? value : DEFAULT_MODEL_IDS[kind]);
  };
  return {
    mood_image: pick('mood_image'),
    scene_image: pick('scene_image'),
    video: pick('video'),
    audio: pick('audio'),
  };
}
