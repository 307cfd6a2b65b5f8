// Which Replicate model makes each kind of media, and how our neutral request becomes that model's input.
// Models are configuration: a param holds `owner/name` (official models, always the latest version) or
// `owner/name:version` (community models, pinned). A known model gets its own input mapping; an unknown one
// gets a generic mapping with the most common field names.
//
// Default models (copy for the README):
// - mood_image:  black-forest-labs/flux-schnell - prompt, aspect_ratio, num_outputs 1-4, png, seed -> list of URLs
// - scene_image: black-forest-labs/flux-schnell - the same with one output
// - video:       bytedance/seedance-1-lite (image-to-video) - prompt, image, duration (whole s, 2-12), the
//                project's resolution (1080p or 720p),
//                aspect_ratio (the nearest it takes: 4:5 -> 3:4), fps 24, seed -> one MP4 URL
// - product_image: black-forest-labs/flux-kontext-pro - the keyframe of a scene that shows the product, with
//                the project's product image as input_image (its reference), prompt, aspect_ratio (the
//                project's), png, safety_tolerance 2 (the most it allows with an input image), seed -> one URL
// - audio:       meta/musicgen:671ac645ce5e552cc63a54a2bbff63fcf798043055d2dac5fc9e36a837eedcfb (by version) -
//                prompt, duration (whole s), model_version stereo-large, output_format mp3 -> one MP3 URL
// Also mapped when configured: black-forest-labs/flux-dev, black-forest-labs/flux-1.1-pro (one URL; as a
// product_image model its reference goes in `image_prompt`, Flux Redux),
// kwaivgi/kling-v2.1 (start_image, duration 5 or 10), wan-video/wan-2.2-i2v-fast (num_frames at 16 fps).
// Video models take whole seconds with a floor (seedance: 2 s), so a clip can be up to half a second off
// the scene's duration (and 1 s scenes get 2 s): the render step trims each clip to its scene.
import type { AspectRatio, Resolution } from '@reelforge/schema';

export type MediaKind = 'mood_image' | 'scene_image' | 'product_image' | 'video' | 'audio';
export const MEDIA_KINDS: readonly MediaKind[] = [
  'mood_image',
  'scene_image',
  'product_image',
  'video',
  'audio',
];

/** What the pipeline asks for, independent of any model's field names. */
export interface MediaInput {
  prompt: string;
  aspectRatio: AspectRatio;
  /** Clip or track length (video, audio). */
  durationSeconds?: number;
  /** Image-to-video start frame; must be reachable by the provider (a signed URL in production). */
  imageUrl?: string;
  /**
   * An image the picture must show as it is (the project's product image), for models that take a reference
   * (`product_image`); reachable by the provider like `imageUrl`. Never described in the prompt.
   */
  referenceImageUrl?: string;
  /** Hex colours; models take them as text in the prompt (see prompts.ts), the stand-in tints with them. */
  palette?: readonly string[];
  seed?: number;
  /** Images per prediction (mood boards take up to 4); models without the option make one. */
  count?: number;
  /** Video: the project's resolution; each model is asked for it where its schema offers it (videoResolution). */
  resolution?: Resolution;
}

/**
 * What each video model is asked for at each project resolution, as its input schema (MODEL_SCHEMAS) offers
 * it: seedance-1-lite has 480p/720p/1080p; kling-v2.1 has no resolution field but its `mode` is the
 * resolution (standard 720p, pro 1080p, its model page on replicate.com); wan-2.2-i2v-fast offers 480p and
 * 720p only, so a 1080p ad asks it for 720p and the render scales the clip up (Lanczos). The price table
 * (prices.ts) prices the same choice.
 */
export const VIDEO_RESOLUTION_ASKED: Readonly<Record<string, Readonly<Record<Resolution, string>>>> = {
  'bytedance/seedance-1-lite': { '1080p': '1080p', '720p': '720p' },
  'kwaivgi/kling-v2.1': { '1080p': 'pro', '720p': 'standard' },
  'wan-video/wan-2.2-i2v-fast': { '1080p': '720p', '720p': '720p' },
};

/** The value a mapped video model is asked for (`resolution`, or kling's `mode`); 1080p unless told. */
function asked(model: string, input: MediaInput): string {
  return VIDEO_RESOLUTION_ASKED[model]![input.resolution ?? '1080p'];
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

/** Of the aspect ratios a model takes, the one closest in shape to the requested one (compared as logs). */
export function nearestAspectRatio(wanted: string, choices: readonly string[]): string {
  const logRatio = (ratio: string): number => {
    const [w, h] = ratio.split(':').map(Number);
    return Math.log((w ?? 1) / (h ?? 1));
  };
  if (choices.includes(wanted)) return wanted;
  const target = logRatio(wanted);
  return choices.reduce((best, choice) =>
    Math.abs(logRatio(choice) - target) < Math.abs(logRatio(best) - target) ? choice : best,
  );
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

/** The aspect ratios flux-kontext-pro takes besides `match_input_image` (MODEL_SCHEMAS). */
const KONTEXT_ASPECT_RATIOS = [
  '1:1',
  '16:9',
  '9:16',
  '4:3',
  '3:4',
  '3:2',
  '2:3',
  '4:5',
  '5:4',
  '21:9',
  '9:21',
  '2:1',
  '1:2',
] as const;

/** The aspect ratios seedance-1-lite takes (its published input schema, see MODEL_SCHEMAS). */
const SEEDANCE_ASPECT_RATIOS = ['16:9', '4:3', '1:1', '3:4', '9:16', '21:9', '9:21'] as const;

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
      ...(input.referenceImageUrl ? { image_prompt: input.referenceImageUrl } : {}),
      output_format: 'png',
      safety_tolerance: 2,
    }),
  'black-forest-labs/flux-kontext-pro': (input) =>
    withSeed(input, {
      prompt: promptWithPalette(input),
      ...(input.referenceImageUrl ? { input_image: input.referenceImageUrl } : {}),
      // The ad's shape, not the product photo's (`match_input_image`, the model's default).
      aspect_ratio: nearestAspectRatio(input.aspectRatio, KONTEXT_ASPECT_RATIOS),
      output_format: 'png',
      // Its schema: "2 is currently the maximum allowed when input images are used".
      safety_tolerance: 2,
    }),
  'bytedance/seedance-1-lite': (input) =>
    withSeed(input, {
      prompt: promptWithPalette(input),
      ...(input.imageUrl ? { image: input.imageUrl } : {}),
      duration: wholeSeconds(input.durationSeconds, 2, 12, 5),
      resolution: asked('bytedance/seedance-1-lite', input),
      // Seedance has no 4:5: the closest shape it takes (3:4). With a start image the model keeps the
      // image's shape anyway, and the render crops every clip to the project's format.
      aspect_ratio: nearestAspectRatio(input.aspectRatio, SEEDANCE_ASPECT_RATIOS),
      fps: 24,
    }),
  'kwaivgi/kling-v2.1': (input) => ({
    prompt: promptWithPalette(input),
    ...(input.imageUrl ? { start_image: input.imageUrl } : {}),
    duration: (input.durationSeconds ?? 5) > 7.5 ? 10 : 5,
    mode: asked('kwaivgi/kling-v2.1', input),
  }),
  'wan-video/wan-2.2-i2v-fast': (input) =>
    withSeed(input, {
      prompt: promptWithPalette(input),
      ...(input.imageUrl ? { image: input.imageUrl } : {}),
      frames_per_second: 16,
      num_frames: Math.min(121, Math.max(81, Math.round((input.durationSeconds ?? 5) * 16))),
      resolution: asked('wan-video/wan-2.2-i2v-fast', input),
      // No aspect_ratio: image-to-video takes the shape of its image (the model has no such input).
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

/** The models that have their own input mapping, by `owner/name`. */
export const MAPPED_MODELS: readonly string[] = Object.keys(MAPPERS);

/** Field names most Replicate models use: good enough for a model we have no mapping for. */
const genericMapper: Mapper = (input) =>
  withSeed(input, {
    prompt: promptWithPalette(input),
    aspect_ratio: input.aspectRatio,
    ...(input.durationSeconds === undefined ? {} : { duration: Math.round(input.durationSeconds) }),
    ...(input.imageUrl ? { image: input.imageUrl } : {}),
    // The name the FLUX Kontext models (pro, max, dev) give their reference image.
    ...(input.referenceImageUrl ? { input_image: input.referenceImageUrl } : {}),
  });

export const DEFAULT_MODEL_IDS: Record<MediaKind, string> = {
  mood_image: 'black-forest-labs/flux-schnell',
  scene_image: 'black-forest-labs/flux-schnell',
  product_image: 'black-forest-labs/flux-kontext-pro',
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
    product_image: pick('product_image'),
    video: pick('video'),
    audio: pick('audio'),
  };
}

// ---------------------------------------------------------------------------------------------------------
// The input schema of each model we map, as Replicate validates a prediction's `input` against it. The
// provider stand-in refuses what Replicate would refuse (scripts/standin/replicate.ts), and
// test/providers/model-schemas.test.ts runs every mapping above against its model's schema, so a mapping that
// sends a field its model does not take, or a value out of range, fails the suite instead of failing live.
// Each schema names its source; where the model's own source could not be found, it says so.

export type InputField =
  | { type: 'string'; required?: boolean; choices?: readonly string[]; format?: 'uri' }
  | {
      type: 'integer' | 'number';
      required?: boolean;
      min?: number;
      max?: number;
      choices?: readonly number[];
    }
  | { type: 'boolean'; required?: boolean }
  | { type: 'array'; required?: boolean; items: InputField };

export interface ModelSchema {
  /** Official models run by name (`POST /v1/models/{owner}/{name}/predictions`); others only by version. */
  official: boolean;
  /** Version ids known to run this schema: a community model runs only by version; an official one either way. */
  versions?: readonly string[];
  /** Where the schema was read. */
  source: string;
  input: Readonly<Record<string, InputField>>;
}

const FLUX_ASPECT_RATIOS = ['1:1', '16:9', '21:9', '3:2', '2:3', '4:5', '5:4', '3:4', '4:3', '9:16', '9:21'];
/** flux-1.1-pro's list: `custom` (width/height) and no 21:9 or 9:21. */
const FLUX_PRO_ASPECT_RATIOS = ['custom', '1:1', '16:9', '3:2', '2:3', '4:5', '5:4', '9:16', '3:4', '4:3'];
const COG_FLUX = 'github.com/replicate/cog-flux predict.py @ 2610fccf066d2d171b951b093390230fe3cffdaf';

/** Inputs flux-schnell and flux-dev share (cog-flux `Inputs`). */
const FLUX_COMMON: Record<string, InputField> = {
  prompt: { type: 'string', required: true },
  aspect_ratio: { type: 'string', choices: FLUX_ASPECT_RATIOS },
  num_outputs: { type: 'integer', min: 1, max: 4 },
  seed: { type: 'integer' },
  output_format: { type: 'string', choices: ['webp', 'jpg', 'png'] },
  output_quality: { type: 'integer', min: 0, max: 100 },
  disable_safety_checker: { type: 'boolean' },
  go_fast: { type: 'boolean' },
  megapixels: { type: 'string', choices: ['1', '0.25'] },
};

export const MODEL_SCHEMAS: Readonly<Record<string, ModelSchema>> = {
  'black-forest-labs/flux-schnell': {
    official: true,
    source: `${COG_FLUX} (SchnellPredictor.predict)`,
    input: { ...FLUX_COMMON, num_inference_steps: { type: 'integer', min: 1, max: 4 } },
  },
  'black-forest-labs/flux-dev': {
    official: true,
    source: `${COG_FLUX} (DevPredictor.predict)`,
    input: {
      ...FLUX_COMMON,
      image: { type: 'string', format: 'uri' },
      prompt_strength: { type: 'number', min: 0, max: 1 },
      num_inference_steps: { type: 'integer', min: 1, max: 50 },
      guidance: { type: 'number', min: 0, max: 10 },
    },
  },
  'black-forest-labs/flux-1.1-pro': {
    official: true,
    versions: ['96ccd0e758a1796926584ded2246369cdf8eb3d7c34475cf9c442be5e097d926'],
    source:
      'replicate.com/black-forest-labs/flux-1.1-pro/versions/96ccd0e758a1796926584ded2246369cdf8eb3d7c34475cf9c442be5e097d926/api ' +
      '(fields, types, ranges: width/height 256-1440, safety_tolerance 1-6, output_quality 0-100) and the ' +
      "model's llms.txt on replicate.com (same fields; prompt the only required one), read 2026-11-26. That " +
      'page does not print enum options: aspect_ratio (custom, 1:1, 16:9, 3:2, 2:3, 4:5, 5:4, 9:16, 3:4, 4:3; ' +
      'no 21:9 or 9:21) and output_format (webp, jpg, png) are from the Input schema as copied, marked ' +
      '"Official Replicate API schema", in a Genfeed (genfeedai) models document: a third-party copy. An older ' +
      'version, a91bed9b, had safety_tolerance 1-5 and no image_prompt',
    input: {
      prompt: { type: 'string', required: true },
      aspect_ratio: { type: 'string', choices: FLUX_PRO_ASPECT_RATIOS },
      width: { type: 'integer', min: 256, max: 1440 },
      height: { type: 'integer', min: 256, max: 1440 },
      image_prompt: { type: 'string', format: 'uri' },
      output_format: { type: 'string', choices: ['webp', 'jpg', 'png'] },
      output_quality: { type: 'integer', min: 0, max: 100 },
      safety_tolerance: { type: 'integer', min: 1, max: 6 },
      seed: { type: 'integer' },
      prompt_upsampling: { type: 'boolean' },
    },
  },
  'black-forest-labs/flux-kontext-pro': {
    official: true,
    versions: ['897a70f5a7dbd8a0611413b3b98cf417b45f266bd595c571a22947619d9ae462'],
    source:
      'github.com/nodetool-ai/nodetool-replicate src/nodetool/nodes/replicate/image/generate.py @ ' +
      "d21aa025d60ca4ffec4d1c451a1bb2b6827a44a7 (Flux_Kontext_Pro, generated from Replicate's schema, pinned " +
      'to version 897a70f5: seed, prompt, input_image "Must be jpeg, png, gif, or webp", aspect_ratio ' +
      'match_input_image or 13 ratios, output_format jpg/png, safety_tolerance 0-6 ("2 is currently the ' +
      'maximum allowed when input images are used"), prompt_upsampling), read 2026-11-27: a third-party copy. ' +
      'A stored copy of a Replicate pipeline-models guide gives the same fields as a Python signature, with ' +
      'input_image there without a default; the generated copy has every field but prompt optional, which is ' +
      'what is recorded here (the product_image mapping always sends input_image)',
    input: {
      prompt: { type: 'string', required: true },
      input_image: { type: 'string', format: 'uri' },
      aspect_ratio: { type: 'string', choices: ['match_input_image', ...KONTEXT_ASPECT_RATIOS] },
      output_format: { type: 'string', choices: ['jpg', 'png'] },
      safety_tolerance: { type: 'integer', min: 0, max: 6 },
      seed: { type: 'integer' },
      prompt_upsampling: { type: 'boolean' },
    },
  },
  'bytedance/seedance-1-lite': {
    official: true,
    versions: ['f22bbc7d965c70af30ba3b157e3bb05d232136555885e934b92878ad773f48c1'],
    source:
      'replicate.com/bytedance/seedance-1-lite/versions/f22bbc7d965c70af30ba3b157e3bb05d232136555885e934b92878ad773f48c1/api ' +
      '(fields and types; duration an integer 2-12; camera_fixed, last_frame_image, reference_images) and the ' +
      "model's llms.txt on replicate.com (prompt the only required field), read 2026-11-26. That page does not " +
      'print enum options: resolution (480p, 720p, 1080p), aspect_ratio (16:9, 4:3, 1:1, 3:4, 9:16, 21:9, ' +
      '9:21; no 4:5) and fps (24 only) are from the Input schema JSON as copied in third-party project notes ' +
      '(an "ai-video-gen-pipeline" model-selection doc; the same enums in a copy of seedance-1-pro\'s). ' +
      'Older versions (3b559596, 2ca0dadb) took duration as an enum and, in 2ca0dadb, `ratio`',
    input: {
      prompt: { type: 'string', required: true },
      image: { type: 'string', format: 'uri' },
      last_frame_image: { type: 'string', format: 'uri' },
      reference_images: { type: 'array', items: { type: 'string', format: 'uri' } },
      duration: { type: 'integer', min: 2, max: 12 },
      resolution: { type: 'string', choices: ['480p', '720p', '1080p'] },
      aspect_ratio: { type: 'string', choices: SEEDANCE_ASPECT_RATIOS },
      fps: { type: 'integer', choices: [24] },
      camera_fixed: { type: 'boolean' },
      seed: { type: 'integer' },
    },
  },
  'kwaivgi/kling-v2.1': {
    official: true,
    versions: ['daad218feb714b03e2a1ac445986aebb9d05243cd00da2af17be2e4049f48f69'],
    source:
      'replicate.com/kwaivgi/kling-v2.1/versions/daad218feb714b03e2a1ac445986aebb9d05243cd00da2af17be2e4049f48f69/api ' +
      "(fields: mode, duration, prompt, end_image, start_image, negative_prompt) and the model's llms.txt on " +
      'replicate.com (prompt and start_image required), read 2026-11-26. Enum options, which that page does not ' +
      'print (mode standard/pro, duration 5/10), from github.com/nodetool-ai/nodetool-replicate ' +
      'src/nodetool/nodes/replicate/video/generate.py @ 04a8f98cff297f661d965a2964e6fc1316faff73 (Kling_V2_1, ' +
      "generated from Replicate's schema, pinned to daad218f) and a Genfeed copy of the Input schema: third-party",
    input: {
      prompt: { type: 'string', required: true },
      start_image: { type: 'string', format: 'uri', required: true },
      end_image: { type: 'string', format: 'uri' },
      negative_prompt: { type: 'string' },
      duration: { type: 'integer', choices: [5, 10] },
      mode: { type: 'string', choices: ['standard', 'pro'] },
    },
  },
  'wan-video/wan-2.2-i2v-fast': {
    official: true,
    versions: ['4eaf2b01d3bf70d8a2e00b219efeb7cb415855ad18b7dacdc4cae664a73a6eea'],
    source:
      'version 4eaf2b01 (replicate.com/wan-video/wan-2.2-i2v-fast): no first-party page for it was found in the ' +
      'look-up index; read 2026-11-26 from github.com/nodetool-ai/nodetool-replicate ' +
      'src/nodetool/nodes/replicate/video/generate.py @ 04a8f98cff297f661d965a2964e6fc1316faff73 ' +
      "(Wan_2_2_I2V_Fast, generated from Replicate's OpenAPI schema: num_frames 81-121, frames_per_second 5-30, " +
      'sample_shift 1-20, resolution 480p/720p, no aspect_ratio) and a Replicate skill doc pinned to the same ' +
      'version (prompt and image required; last_image, interpolate_output, the LoRA fields): third-party copies',
    input: {
      prompt: { type: 'string', required: true },
      image: { type: 'string', format: 'uri', required: true },
      last_image: { type: 'string', format: 'uri' },
      num_frames: { type: 'integer', min: 81, max: 121 },
      resolution: { type: 'string', choices: ['480p', '720p'] },
      frames_per_second: { type: 'integer', min: 5, max: 30 },
      interpolate_output: { type: 'boolean' },
      go_fast: { type: 'boolean' },
      sample_shift: { type: 'number', min: 1, max: 20 },
      seed: { type: 'integer' },
      disable_safety_checker: { type: 'boolean' },
      lora_weights_transformer: { type: 'string' },
      lora_scale_transformer: { type: 'number' },
      lora_weights_transformer_2: { type: 'string' },
      lora_scale_transformer_2: { type: 'number' },
    },
  },
  'meta/musicgen': {
    // A community model: Replicate runs it only by version.
    official: false,
    versions: ['671ac645ce5e552cc63a54a2bbff63fcf798043055d2dac5fc9e36a837eedcfb'],
    source:
      'github.com/replicate/cog-musicgen predict.py @ b640bde067f9d4177ee3595a9102927286efd74a (the newest ' +
      'stored; whether it is exactly the build of version 671ac645 could not be confirmed)',
    input: {
      model_version: {
        type: 'string',
        choices: ['stereo-melody-large', 'stereo-large', 'melody-large', 'large'],
      },
      prompt: { type: 'string' },
      input_audio: { type: 'string', format: 'uri' },
      duration: { type: 'integer' },
      continuation: { type: 'boolean' },
      continuation_start: { type: 'integer', min: 0 },
      continuation_end: { type: 'integer', min: 0 },
      multi_band_diffusion: { type: 'boolean' },
      normalization_strategy: { type: 'string', choices: ['loudness', 'clip', 'peak', 'rms'] },
      top_k: { type: 'integer' },
      top_p: { type: 'number' },
      temperature: { type: 'number' },
      classifier_free_guidance: { type: 'integer' },
      output_format: { type: 'string', choices: ['wav', 'mp3'] },
      seed: { type: 'integer' },
    },
  },
};

/** One refused input field, in the shape of Replicate's 422 `invalid_fields`. */
export interface InvalidField {
  type: string;
  field: string;
  description: string;
}

/** The schema a model id or version id runs, if we know it. */
export function schemaFor(modelOrVersion: string): { name: string; schema: ModelSchema } | undefined {
  const direct = MODEL_SCHEMAS[modelOrVersion];
  if (direct) return { name: modelOrVersion, schema: direct };
  for (const [name, schema] of Object.entries(MODEL_SCHEMAS)) {
    if (schema.versions?.includes(modelOrVersion)) return { name, schema };
  }
  return undefined;
}

function wrongTypeOf(field: string, expected: string, value: unknown): InvalidField {
  const given = Array.isArray(value) ? 'array' : typeof value;
  return { type: 'invalid_type', field, description: `Invalid type. Expected: ${expected}, given: ${given}` };
}

function fieldProblem(name: string, spec: InputField, value: unknown): InvalidField | undefined {
  const field = `input.${name}`;
  if (spec.type === 'array') {
    if (!Array.isArray(value)) return wrongTypeOf(field, 'array', value);
    // Replicate names a bad item by its index: input.reference_images.1
    for (const [i, item] of value.entries()) {
      const problem = fieldProblem(`${name}.${i}`, spec.items, item);
      if (problem) return problem;
    }
    return undefined;
  }
  const wrongType = (expected: string): InvalidField => wrongTypeOf(field, expected, value);
  switch (spec.type) {
    case 'boolean':
      return typeof value === 'boolean' ? undefined : wrongType('boolean');
    case 'string':
      if (typeof value !== 'string') return wrongType('string');
      if (spec.choices && !spec.choices.includes(value))
        return {
          type: 'enum',
          field,
          description: `${name} must be one of the following: ${spec.choices.map((c) => `"${c}"`).join(', ')}`,
        };
      if (spec.format === 'uri' && !/^(https?:\/\/|data:)/.test(value))
        return { type: 'format', field, description: "Does not match format 'uri'" };
      return undefined;
    case 'integer':
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return wrongType(spec.type);
      if (spec.type === 'integer' && !Number.isInteger(value)) return wrongType('integer');
      if (spec.choices && !spec.choices.includes(value))
        return {
          type: 'enum',
          field,
          description: `${name} must be one of the following: ${spec.choices.join(', ')}`,
        };
      if (spec.min !== undefined && value < spec.min)
        return { type: 'number_gte', field, description: `Must be greater than or equal to ${spec.min}` };
      if (spec.max !== undefined && value > spec.max)
        return { type: 'number_lte', field, description: `Must be less than or equal to ${spec.max}` };
      return undefined;
    }
  }
}

/** Every problem Replicate would report for this input: missing, unknown, mistyped or out-of-range fields. */
export function validateInput(schema: ModelSchema, input: Record<string, unknown>): InvalidField[] {
  const problems: InvalidField[] = [];
  for (const [name, spec] of Object.entries(schema.input)) {
    if (spec.required && (input[name] === undefined || input[name] === null))
      problems.push({ type: 'required', field: 'input', description: `${name} is required` });
  }
  for (const [name, value] of Object.entries(input)) {
    const spec = schema.input[name];
    if (!spec) {
      problems.push({
        type: 'additional_property_not_allowed',
        field: 'input',
        description: `Additional property ${name} is not allowed`,
      });
      continue;
    }
    if (value === null) continue;
    const problem = fieldProblem(name, spec, value);
    if (problem) problems.push(problem);
  }
  return problems;
}
