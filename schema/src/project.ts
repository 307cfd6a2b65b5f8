// The project document model (DESIGN.md "Data"). One definition, two timestamp representations:
// the Firestore document holds Timestamps, the callable wire format (and the camelCase view) ISO strings.
import { z } from 'zod';
import { LIMITS } from './limits.js';
import {
  AspectRatioSchema,
  HexColorSchema,
  IdSchema,
  IsoTimestampSchema,
  JobStatusSchema,
  JobTypeSchema,
  SCENE_ASSET_FIELD,
  SceneDurationSchema,
  TIMED_SCENE_ASSETS,
  StoragePathSchema,
  TargetDurationSchema,
  TimestampLikeSchema,
  isTimestampLike,
  text,
} from './primitives.js';
import type { SceneAssetPathField, TimestampLike } from './primitives.js';

/** What the user tells us about the product; every prompt is built from it. */
export const CreativeBriefSchema = z.strictObject({
  brand_name: text(LIMITS.NAME_MAX),
  product_description: text(LIMITS.BRIEF_FIELD_MAX),
  target_audience: text(LIMITS.BRIEF_FIELD_MAX),
  key_message: text(LIMITS.BRIEF_FIELD_MAX),
  tone: text(LIMITS.BRIEF_FIELD_MAX),
  notes: z.string().trim().max(LIMITS.NOTES_MAX).optional(),
});
export type CreativeBrief = z.infer<typeof CreativeBriefSchema>;

/** A visual direction candidate; `image_paths` fill in as the mood images arrive. */
export const MoodSchema = z.strictObject({
  id: IdSchema,
  name: text(LIMITS.TITLE_MAX),
  description: text(LIMITS.DESCRIPTION_MAX),
  visual_style: text(LIMITS.DESCRIPTION_MAX),
  color_palette: z.array(HexColorSchema).min(LIMITS.PALETTE_MIN).max(LIMITS.PALETTE_MAX),
  mood_keywords: z.array(text(LIMITS.TITLE_MAX)).min(LIMITS.KEYWORDS_MIN).max(LIMITS.KEYWORDS_MAX),
  image_paths: z.array(StoragePathSchema).max(LIMITS.MAX_IMAGES_PER_MOOD),
});
export type Mood = z.infer<typeof MoodSchema>;

export const ProjectSettingsSchema = z.strictObject({
  aspect_ratio: AspectRatioSchema.default('9:16'),
  target_duration_seconds: TargetDurationSchema.default(LIMITS.DEFAULT_TARGET_DURATION),
});
export type ProjectSettings = z.infer<typeof ProjectSettingsSchema>;

/** Settings as sent in a create/update request: every field optional and without defaults, so an update
 * never resets a field the caller did not mention. */
export const ProjectSettingsPatchSchema = z.strictObject({
  aspect_ratio: AspectRatioSchema.optional(),
  target_duration_seconds: TargetDurationSchema.optional(),
});
export type ProjectSettingsPatch = z.infer<typeof ProjectSettingsPatchSchema>;

/** Inputs a job carries from the callable that started it. */
export const JobOptionsSchema = z.strictObject({
  scene_count: z.number().int().min(LIMITS.MIN_SCENE_COUNT).max(LIMITS.MAX_SCENES).optional(),
  instructions: z.string().trim().max(LIMITS.INSTRUCTIONS_MAX).optional(),
});
export type JobOptions = z.infer<typeof JobOptionsSchema>;

/** A job's cost: `estimated_usd` from the price table when admitted, `actual_usd` when it ended. */
export const JobCostSchema = z.strictObject({
  estimated_usd: z.number().min(0),
  actual_usd: z.number().min(0).optional(),
});
export type JobCost = z.infer<typeof JobCostSchema>;

/** One optional Storage path per scene asset job (SCENE_ASSET_FIELD). */
const ASSET_PATHS = Object.fromEntries(
  Object.values(SCENE_ASSET_FIELD).map((field) => [field, StoragePathSchema.optional()]),
) as Record<SceneAssetPathField, z.ZodOptional<typeof StoragePathSchema>>;

/** Every entity schema, built over one timestamp schema `ts`. */
export function entitySchemas<T extends z.ZodType>(ts: T) {
  const ActiveJob = z.strictObject({
    job_id: IdSchema,
    type: JobTypeSchema,
    status: JobStatusSchema,
    progress: z.number().min(0).max(100),
    started_at: ts,
    last_update: ts,
    attempt: z.number().int().min(0),
    error_message: z.string().max(LIMITS.DESCRIPTION_MAX).optional(),
    provider_ref: z.string().max(LIMITS.DESCRIPTION_MAX).optional(),
    /** Set on scene jobs so a client watching the project can find the scene without a search. */
    scene_id: IdSchema.optional(),
    /** What the job was asked for beyond its type (kept here so a re-delivery by the sweep has it too). */
    options: JobOptionsSchema.optional(),
    /** How many times the job's task was delivered again (webhook completion, sweep); names the next task id. */
    deliveries: z.number().int().min(0).optional(),
    /**
     * While a task execution works on the job it holds a lease; a second delivery inside it is a duplicate.
     * Null while queued or while waiting for a provider's webhook.
     */
    lease_until: ts.nullish(),
    /** The job's cost in US dollars: estimated when it is admitted, actual once it ends (usage/prices). */
    cost: JobCostSchema.optional(),
  });

  const SceneAssets = z.strictObject({ ...ASSET_PATHS, generated_at: ts.optional() });

  const Composition = z.strictObject({
    description: z.string().max(LIMITS.COMPOSITION_FIELD_MAX),
    styling: z.string().max(LIMITS.COMPOSITION_FIELD_MAX),
    animation: z.string().max(LIMITS.COMPOSITION_FIELD_MAX),
    generated_at: ts,
  });

  const Scene = z.strictObject({
    id: IdSchema,
    scene_number: z.number().int().min(1),
    title: text(LIMITS.TITLE_MAX),
    description: text(LIMITS.SCENE_TEXT_MAX),
    duration_seconds: SceneDurationSchema,
    assets: SceneAssets,
    active_job: ActiveJob.nullish(),
    composition: Composition.nullish(),
  });

  const Storyboard = z.strictObject({
    id: IdSchema,
    /** Empty until the storyboard has been generated. */
    title: z.string().max(LIMITS.TITLE_MAX),
    creative_brief: CreativeBriefSchema,
    selected_mood: MoodSchema.nullable(),
  });

  const ProjectAssets = z.strictObject({
    final_video_path: StoragePathSchema.optional(),
    generated_at: ts.optional(),
  });

  const ProjectStats = z.strictObject({
    total_scenes: z.number().int().min(0),
    completed_scenes: z.number().int().min(0),
    active_jobs: z.number().int().min(0),
    last_activity: ts,
    /** Minimum `last_update` over the project's unfinished jobs (null when none): the stale sweep's index. */
    oldest_active_update: ts.nullable(),
    /** What the project's finished jobs cost, in US dollars (the sum of their ledger entries). */
    cost_usd: z.number().min(0).default(0),
  });

  const Project = z.strictObject({
    id: IdSchema,
    name: text(LIMITS.NAME_MAX),
    description: z.string().trim().max(LIMITS.DESCRIPTION_MAX).optional(),
    user_id: z.string().min(1).max(LIMITS.ID_MAX),
    created_at: ts,
    updated_at: ts,
    settings: ProjectSettingsSchema,
    storyboard: Storyboard,
    moods: z.array(MoodSchema).max(LIMITS.MOODS_PER_PROJECT),
    active_job: ActiveJob.nullish(),
    assets: ProjectAssets,
    scenes: z.array(Scene).max(LIMITS.MAX_SCENES),
    stats: ProjectStats,
    /** Settled spend: the actual cost of every job of the project that has ended, and how many ended. */
    spend: z.strictObject({ cost_usd: z.number().min(0), jobs: z.number().int().min(0) }).optional(),
  });

  /** One row of `listProjects`: enough for a project grid without shipping every scene. */
  const ProjectSummary = z.strictObject({
    id: IdSchema,
    name: text(LIMITS.NAME_MAX),
    description: z.string().max(LIMITS.DESCRIPTION_MAX).optional(),
    created_at: ts,
    updated_at: ts,
    settings: ProjectSettingsSchema,
    stats: ProjectStats,
    storyboard_title: z.string().max(LIMITS.TITLE_MAX),
    /** The first scene's keyframe, if any. */
    thumbnail_path: StoragePathSchema.optional(),
    selected_mood_name: z.string().max(LIMITS.TITLE_MAX).optional(),
  });

  return {
    ActiveJob,
    SceneAssets,
    Composition,
    Scene,
    Storyboard,
    ProjectAssets,
    ProjectStats,
    Project,
    ProjectSummary,
  };
}

const wire = entitySchemas(IsoTimestampSchema);
const doc = entitySchemas(TimestampLikeSchema);

// Wire format (callable requests/responses): ISO strings.
export const ActiveJobSchema = wire.ActiveJob;
export const SceneAssetsSchema = wire.SceneAssets;
export const CompositionSchema = wire.Composition;
export const SceneSchema = wire.Scene;
export const StoryboardSchema = wire.Storyboard;
export const ProjectAssetsSchema = wire.ProjectAssets;
export const ProjectStatsSchema = wire.ProjectStats;
export const ProjectSchema = wire.Project;
export const ProjectSummarySchema = wire.ProjectSummary;

export type ActiveJob = z.infer<typeof ActiveJobSchema>;
export type SceneAssets = z.infer<typeof SceneAssetsSchema>;
export type Composition = z.infer<typeof CompositionSchema>;
export type Scene = z.infer<typeof SceneSchema>;
export type Storyboard = z.infer<typeof StoryboardSchema>;
export type ProjectAssets = z.infer<typeof ProjectAssetsSchema>;
export type ProjectStats = z.infer<typeof ProjectStatsSchema>;
export type Project = z.infer<typeof ProjectSchema>;
export type ProjectSummary = z.infer<typeof ProjectSummarySchema>;

// Firestore document: Timestamps.
export const ActiveJobDocSchema = doc.ActiveJob;
export const SceneAssetsDocSchema = doc.SceneAssets;
export const CompositionDocSchema = doc.Composition;
export const SceneDocSchema = doc.Scene;
export const StoryboardDocSchema = doc.Storyboard;
export const ProjectAssetsDocSchema = doc.ProjectAssets;
export const ProjectStatsDocSchema = doc.ProjectStats;
export const ProjectDocSchema = doc.Project;
export const ProjectSummaryDocSchema = doc.ProjectSummary;

export type ActiveJobDoc = z.infer<typeof ActiveJobDocSchema>;
export type SceneAssetsDoc = z.infer<typeof SceneAssetsDocSchema>;
export type CompositionDoc = z.infer<typeof CompositionDocSchema>;
export type SceneDoc = z.infer<typeof SceneDocSchema>;
export type StoryboardDoc = z.infer<typeof StoryboardDocSchema>;
export type ProjectAssetsDoc = z.infer<typeof ProjectAssetsDocSchema>;
export type ProjectStatsDoc = z.infer<typeof ProjectStatsDocSchema>;
export type ProjectDoc = z.infer<typeof ProjectDocSchema>;
export type ProjectSummaryDoc = z.infer<typeof ProjectSummaryDocSchema>;

/** A document value with every Timestamp (and Date) replaced by its ISO string. */
export type Wire<T> = T extends TimestampLike | Date
  ? string
  : T extends readonly (infer U)[]
    ? Wire<U>[]
    : T extends object
      ? { [K in keyof T]: Wire<T[K]> }
      : T;

/** Deep copy of a document value with Timestamps as ISO strings: what a callable returns. */
export function toWire(value: ProjectDoc): Project;
export function toWire(value: SceneDoc): Scene;
export function toWire(value: ActiveJobDoc): ActiveJob;
export function toWire<T>(value: T): Wire<T>;
export function toWire(value: unknown): unknown {
  if (isTimestampLike(value)) return value.toDate().toISOString();
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item: unknown) => toWire(item));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toWire(item)]));
  }
  return value;
}

/** What an edit invalidates. Editing the text (title/description) clears every asset path and the
 * scene's `composition` (a scene field, not an asset path); changing only the duration clears the
 * timed media (video and audio). */
export const ASSETS_CLEARED_ON = {
  text: [...Object.values(SCENE_ASSET_FIELD), 'composition'],
  duration: TIMED_SCENE_ASSETS.map((type) => SCENE_ASSET_FIELD[type]),
} satisfies Record<'text' | 'duration', readonly (SceneAssetPathField | 'composition')[]>;

type WithAssets = { assets: Partial<Record<SceneAssetPathField, string>> };

/** A scene counts in `completed_scenes` when it has every asset. */
export function sceneIsComplete(scene: WithAssets): boolean {
  return Object.values(SCENE_ASSET_FIELD).every((field) => Boolean(scene.assets[field]));
}

/** The Storage paths a scene's assets hold. */
export function sceneAssetPaths(scene: WithAssets): string[] {
  return Object.values(SCENE_ASSET_FIELD)
    .map((field) => scene.assets[field])
    .filter((path): path is string => !!path);
}
