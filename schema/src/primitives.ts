// Enums and leaf schemas shared by the document model, the callables and the task payloads.
import { z } from 'zod';
import { LIMITS } from './limits.js';

/** The project's own ratio and every format a render can produce from the same clips. */
export const AspectRatioSchema = z.enum(['9:16', '16:9', '1:1', '4:5']);
export type AspectRatio = z.infer<typeof AspectRatioSchema>;

export const JobStatusSchema = z.enum(['queued', 'processing', 'completed', 'failed', 'canceled']);
export type JobStatus = z.infer<typeof JobStatusSchema>;

export const ProjectJobTypeSchema = z.enum(['moods', 'storyboard', 'render', 'music']);
export type ProjectJobType = z.infer<typeof ProjectJobTypeSchema>;

export const SceneJobTypeSchema = z.enum([
  'composition',
  'image',
  'video',
  'audio',
  'voiceover',
  'scene_text',
]);
export type SceneJobType = z.infer<typeof SceneJobTypeSchema>;

/** Scene jobs that produce a file in the scene's assets (scene_text rewrites the text instead). */
export const SceneAssetTypeSchema = z.enum(['composition', 'image', 'video', 'audio', 'voiceover']);
export type SceneAssetType = z.infer<typeof SceneAssetTypeSchema>;

/** The field of a scene's `assets` that each asset job fills; the scene-assets schema is made from it. */
export const SCENE_ASSET_FIELD = {
  composition: 'composition_path',
  image: 'thumbnail_path',
  video: 'video_path',
  audio: 'audio_path',
  voiceover: 'voiceover_path',
} as const satisfies Record<SceneAssetType, `${string}_path`>;
export type SceneAssetPathField = (typeof SCENE_ASSET_FIELD)[SceneAssetType];

/** Assets timed to the scene: changing only its duration clears them. */
export const TIMED_SCENE_ASSETS = ['video', 'audio'] as const satisfies readonly SceneAssetType[];

export const JobTypeSchema = z.enum([...ProjectJobTypeSchema.options, ...SceneJobTypeSchema.options]);
export type JobType = z.infer<typeof JobTypeSchema>;

/** Firestore auto ids are alphanumeric and scene ids are uuids: both fit this pattern. */
export const IdSchema = z
  .string()
  .min(1)
  .max(LIMITS.ID_MAX)
  .regex(/^[A-Za-z0-9_-]+$/, 'must contain only letters, digits, "_" and "-"')
  // Firestore reserves ids of the form __name__; it would refuse them only after a slow round trip.
  .refine((id) => !/^__.*__$/.test(id), 'must not have the reserved form __name__');

export const HexColorSchema = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a hex color like #1a2b3c');

export const SceneDurationSchema = z.number().min(LIMITS.SCENE_DURATION_MIN).max(LIMITS.SCENE_DURATION_MAX);

/** How one scene gives way to the next in the render. */
export const TransitionSchema = z.enum(['cut', 'crossfade']);
export type Transition = z.infer<typeof TransitionSchema>;

export const TargetDurationSchema = z
  .number()
  .min(LIMITS.TARGET_DURATION_MIN)
  .max(LIMITS.TARGET_DURATION_MAX);

// Node 20 and every current browser have String.prototype.isWellFormed; TypeScript's ES2023 lib does not
// declare it yet.
const wellFormed = (value: string): boolean =>
  (String.prototype as unknown as { isWellFormed: (this: string) => boolean }).isWellFormed.call(value);
/** C0 controls except tab (U+0009) and newline (U+000A), and DEL. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F]/;
/** Bidirectional embedding/override (U+202A-U+202E) and isolate (U+2066-U+2069) controls. */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;

/**
 * Any text a person or a model sends us. A lone UTF-16 surrogate passes a plain z.string() and then fails
 * the Firestore write (the client saw `internal`); control characters have no place in a brief and break
 * the subtitle file and the prompts. Both are refused here, with the field's path.
 */
export function plainString() {
  return z
    .string()
    .refine(wellFormed, 'must be well-formed text (it holds a lone UTF-16 surrogate)')
    .refine((v) => !CONTROL.test(v), 'must not contain control characters other than tab and newline');
}

/**
 * Text the video shows (brand, call to action, captions): bidirectional override and isolate controls would
 * reorder what is burned into the picture, so that what the studio shows and what the ad shows differ.
 */
export function displayString() {
  return plainString().refine(
    (v) => !BIDI_CONTROL.test(v),
    'must not contain bidirectional override or isolate controls (U+202A-U+202E, U+2066-U+2069)',
  );
}

/** A trimmed, non-empty string of at most `max` characters. */
export function text(max: number) {
  return plainString().trim().min(1).max(max);
}

/** `text` for what the video shows. */
export function displayText(max: number) {
  return displayString().trim().min(1).max(max);
}

/** Storage object path (never a URL): bucket-relative, no leading slash. */
export const StoragePathSchema = z.string().min(1).max(1024);

/** Wire and camelCase timestamps: ISO 8601 with offset, as produced by `Date.prototype.toISOString`. */
export const IsoTimestampSchema = z.iso.datetime({ offset: true });

/** The structural part of a Firestore `Timestamp` we rely on, so this package needs no firebase import. */
export interface TimestampLike {
  toMillis(): number;
  toDate(): Date;
}

export function isTimestampLike(value: unknown): value is TimestampLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { toMillis?: unknown }).toMillis === 'function' &&
    typeof (value as { toDate?: unknown }).toDate === 'function'
  );
}

export const TimestampLikeSchema = z.custom<TimestampLike>(isTimestampLike, {
  message: 'expected a Firestore Timestamp',
});
