// Enums and leaf schemas shared by the document model, the callables and the task payloads.
import { z } from 'zod';
import { LIMITS } from './limits.js';

/** The project's own ratio and every format a render can produce from the same clips. */
export const AspectRatioSchema = z.enum(['9:16', '16:9', '1:1', '4:5']);
export type AspectRatio = z.infer<typeof AspectRatioSchema>;

/** The ad's pixels: its short side 1080 px (what TikTok, Reels, Shorts and their peers deliver) or 720 px. */
export const ResolutionSchema = z.enum(['1080p', '720p']);
export type Resolution = z.infer<typeof ResolutionSchema>;

export const JobStatusSchema = z.enum(['queued', 'processing', 'completed', 'failed', 'canceled']);
export type JobStatus = z.infer<typeof JobStatusSchema>;

/**
 * A production's state: `running` while its jobs run, `waiting` while it has steps to start but no free
 * slot or no budget left today (it goes on by itself when they free up), then `completed`, `failed` (steps
 * blocked, named in `blocked`) or `canceled`.
 */
export const ProductionStatusSchema = z.enum(['running', 'waiting', 'completed', 'failed', 'canceled']);
export type ProductionStatus = z.infer<typeof ProductionStatusSchema>;
export const isActiveProductionStatus = (status: ProductionStatus | undefined): boolean =>
  status === 'running' || status === 'waiting';

/**
 * Every job type, declared once: whether its job lives on the project or on a scene, the field of the
 * scene's `assets` it fills (scene asset jobs; scene_text rewrites the text instead), and the minutes
 * without a `last_update` after which the stale sweep re-enqueues or fails it. The job type enums and the
 * asset fields below are made from this table. The stale limit is declared here, in the lowest layer,
 * because project stats (`stats.stale_at`, functions/src/projects/stats.ts, recomputed on every write) need
 * it and projects/ may not import jobs/. Everything else about a job type is its `defineJob` in
 * functions/src/jobs/handlers/. Scene rows are in pipeline order (video animates the keyframe).
 */
export const JOB_TYPE_TABLE = {
  moods: { on: 'project', staleMinutes: 10 },
  storyboard: { on: 'project', staleMinutes: 5 },
  render: { on: 'project', staleMinutes: 20 },
  music: { on: 'project', staleMinutes: 10 },
  translate: { on: 'project', staleMinutes: 10 },
  composition: { on: 'scene', staleMinutes: 5, assetField: 'composition_path' },
  image: { on: 'scene', staleMinutes: 10, assetField: 'thumbnail_path' },
  video: { on: 'scene', staleMinutes: 20, assetField: 'video_path' },
  audio: { on: 'scene', staleMinutes: 10, assetField: 'audio_path' },
  voiceover: { on: 'scene', staleMinutes: 5, assetField: 'voiceover_path' },
  scene_text: { on: 'scene', staleMinutes: 5 },
} as const satisfies Record<string, JobTypeRow>;

interface JobTypeRow {
  on: 'project' | 'scene';
  staleMinutes: number;
  assetField?: `${string}_path`;
}
type JobTypeTable = typeof JOB_TYPE_TABLE;
type TableType = keyof JobTypeTable;
/** The table's job types whose row is a `Row`. */
type TypesWhere<Row> = { [T in TableType]: JobTypeTable[T] extends Row ? T : never }[TableType];

/** The table's job types whose row passes `test`, in its order (z.enum wants a non-empty tuple). */
function typesWhere<Row>(test: (row: JobTypeRow) => boolean): [TypesWhere<Row>, ...TypesWhere<Row>[]] {
  const types = (Object.keys(JOB_TYPE_TABLE) as TableType[]).filter((type) => test(JOB_TYPE_TABLE[type]));
  return types as [TypesWhere<Row>, ...TypesWhere<Row>[]];
}

export const ProjectJobTypeSchema = z.enum(typesWhere<{ on: 'project' }>((row) => row.on === 'project'));
export type ProjectJobType = z.infer<typeof ProjectJobTypeSchema>;

export const SceneJobTypeSchema = z.enum(typesWhere<{ on: 'scene' }>((row) => row.on === 'scene'));
export type SceneJobType = z.infer<typeof SceneJobTypeSchema>;

/** Scene jobs that produce a file in the scene's assets (scene_text rewrites the text instead). */
export const SceneAssetTypeSchema = z.enum(
  typesWhere<{ assetField: string }>((row) => row.assetField !== undefined),
);
export type SceneAssetType = z.infer<typeof SceneAssetTypeSchema>;

/** The field of a scene's `assets` that each asset job fills; the scene-assets schema is made from it. */
export const SCENE_ASSET_FIELD = Object.fromEntries(
  SceneAssetTypeSchema.options.map((type) => [type, JOB_TYPE_TABLE[type].assetField]),
) as { readonly [T in SceneAssetType]: JobTypeTable[T]['assetField'] };
export type SceneAssetPathField = (typeof SCENE_ASSET_FIELD)[SceneAssetType];

/** Assets timed to the scene: changing only its duration clears them. */
export const TIMED_SCENE_ASSETS = ['video', 'audio'] as const satisfies readonly SceneAssetType[];

export const JobTypeSchema = z.enum([...ProjectJobTypeSchema.options, ...SceneJobTypeSchema.options]);
export type JobType = z.infer<typeof JobTypeSchema>;

/** Minutes without a `last_update` after which the stale sweep re-enqueues or fails a job, per type. */
export const JOB_STALE_MINUTES = Object.fromEntries(
  JobTypeSchema.options.map((type) => [type, JOB_TYPE_TABLE[type].staleMinutes]),
) as Readonly<Record<JobType, number>>;

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
