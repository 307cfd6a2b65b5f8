// The project document model (DESIGN.md "Data"). One definition, two timestamp representations:
// the Firestore document holds Timestamps, the callable wire format (and the camelCase view) ISO strings.
import { z } from 'zod';
import { LIMITS } from './limits.js';
import {
  AspectRatioSchema,
  HexColorSchema,
  ResolutionSchema,
  IdSchema,
  IsoTimestampSchema,
  JobStatusSchema,
  JobTypeSchema,
  ProductionStatusSchema,
  SCENE_ASSET_FIELD,
  SceneDurationSchema,
  TIMED_SCENE_ASSETS,
  StoragePathSchema,
  TargetDurationSchema,
  TimestampLikeSchema,
  TransitionSchema,
  isTimestampLike,
  displayString,
  displayText,
  plainString,
  text,
} from './primitives.js';
import type { SceneAssetPathField, TimestampLike } from './primitives.js';
import { RenderedSceneTakesSchema, SceneTakesSchema } from './takes.js';
import {
  LanguageTagSchema,
  LanguagesSchema,
  LocalizationKeySchema,
  MAX_LANGUAGES,
  RenderKeySchema,
} from './languages.js';

/** What the user tells us about the product; every prompt is built from it. */
export const CreativeBriefSchema = z.strictObject({
  brand_name: displayText(LIMITS.NAME_MAX),
  product_description: text(LIMITS.BRIEF_FIELD_MAX),
  target_audience: text(LIMITS.BRIEF_FIELD_MAX),
  key_message: text(LIMITS.BRIEF_FIELD_MAX),
  tone: text(LIMITS.BRIEF_FIELD_MAX),
  notes: plainString().trim().max(LIMITS.NOTES_MAX).optional(),
  /** The end card's line ("Order today at example.com"); the card shows only the brand without it. */
  call_to_action: displayString().trim().min(1).max(LIMITS.CALL_TO_ACTION_MAX).optional(),
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

const TransitionSecondsSchema = z
  .number()
  .min(LIMITS.TRANSITION_SECONDS_MIN)
  .max(LIMITS.TRANSITION_SECONDS_MAX);
const EndCardSecondsSchema = z.number().min(LIMITS.END_CARD_SECONDS_MIN).max(LIMITS.END_CARD_SECONDS_MAX);

/** The disclaimer: one line of plain text (no controls), drawn as written. */
export const DisclaimerSchema = displayString()
  .trim()
  .min(1)
  .max(LIMITS.DISCLAIMER_MAX)
  // Braces and backslashes are markup to the subtitle renderer: refused, so what is drawn is what was written.
  .refine((v) => !/[{}\\]/.test(v), 'must not contain "{", "}" or "\\"');

/** Render settings default on read, so documents written before they existed parse the same way. */
export const ProjectSettingsSchema = z.strictObject({
  aspect_ratio: AspectRatioSchema.default('9:16'),
  /** The ad's short side in every format (1080 px, or 720 px); the video clips are asked for it too. */
  resolution: ResolutionSchema.default('1080p'),
  target_duration_seconds: TargetDurationSchema.default(LIMITS.DEFAULT_TARGET_DURATION),
  /** The voiceover burned into the picture in short phrases. */
  captions: z.boolean().default(true),
  transition: TransitionSchema.default('crossfade'),
  /** Length of one crossfade (ignored for cuts). */
  transition_seconds: TransitionSecondsSchema.default(LIMITS.DEFAULT_TRANSITION_SECONDS),
  /** The brand card at the end of the ad; its seconds are added to the scenes'. */
  end_card: z.boolean().default(true),
  end_card_seconds: EndCardSecondsSchema.default(LIMITS.DEFAULT_END_CARD_SECONDS),
  /** A line drawn exactly as written on the end card (a price, a legal line); never sent to a provider. */
  disclaimer: DisclaimerSchema.optional(),
  /** The ad's languages (BCP-47): the first is the one the storyboard is written in; each other one gets its
   * own translation, voiceovers, captions and end card (the `translate` job), from the same clips. */
  languages: LanguagesSchema.default(['en']),
});
export type ProjectSettings = z.infer<typeof ProjectSettingsSchema>;

/** Settings as sent in a create/update request: every field optional and without defaults, so an update
 * never resets a field the caller did not mention. */
export const ProjectSettingsPatchSchema = z.strictObject({
  aspect_ratio: AspectRatioSchema.optional(),
  resolution: ResolutionSchema.optional(),
  target_duration_seconds: TargetDurationSchema.optional(),
  captions: z.boolean().optional(),
  transition: TransitionSchema.optional(),
  transition_seconds: TransitionSecondsSchema.optional(),
  end_card: z.boolean().optional(),
  end_card_seconds: EndCardSecondsSchema.optional(),
  /** An empty string removes the disclaimer. */
  disclaimer: z.union([DisclaimerSchema, z.literal('')]).optional(),
  languages: LanguagesSchema.optional(),
});
export type ProjectSettingsPatch = z.infer<typeof ProjectSettingsPatchSchema>;

/**
 * What one format of a render was made from, taken when the render job started (DESIGN.md "The finished
 * ad"): the render settings, the end card's words and colours, and the bed and logo it read. A setting
 * changed while the render ran does not reach this record, so the studio can tell which settings changed
 * since (`renderSettingsChanges`). A record, not a reference: the bed or logo it names may since have been
 * replaced and deleted (it is not among `projectFilePaths`).
 */
export const RenderSettingsSchema = z.strictObject({
  /** The project's ratio, which its clips were made in. */
  aspect_ratio: AspectRatioSchema,
  /** A record written before the setting existed was rendered at 720p, the only size there was. */
  resolution: ResolutionSchema.default('720p'),
  captions: z.boolean(),
  transition: TransitionSchema,
  transition_seconds: TransitionSecondsSchema,
  end_card: z.boolean(),
  end_card_seconds: EndCardSecondsSchema,
  brand_name: CreativeBriefSchema.shape.brand_name,
  call_to_action: CreativeBriefSchema.shape.call_to_action,
  /** The colours the captions and the card were drawn in: the selected mood's palette, or the default. */
  palette: z.array(HexColorSchema).min(1).max(LIMITS.PALETTE_MAX),
  /** The logo on the end card (absent without an end card). */
  logo_path: StoragePathSchema.optional(),
  /** The music bed under the ad (absent when the scenes' own audio was the bed). */
  music_path: StoragePathSchema.optional(),
  /** The product image composited on the end card as a packshot (absent without an end card). */
  product_image_path: StoragePathSchema.optional(),
  /** The disclaimer drawn on the end card, exactly. */
  disclaimer: DisclaimerSchema.optional(),
  /** The language of the voiceover, captions and card (absent: the storyboard's own, as before languages). */
  language: LanguageTagSchema.optional(),
});
export type RenderSettings = z.infer<typeof RenderSettingsSchema>;

/**
 * One measurement of the quality gate on a rendered file (functions/src/render/quality-gate.ts): what was
 * measured on the file, the limit it is held to, and whether it passed. A failing check says which scene
 * and which rule in `problem`; the file is delivered all the same, marked.
 */
export const RenderCheckSchema = z.strictObject({
  name: plainString().min(1).max(60),
  measured: z.union([z.number(), plainString().max(200)]),
  limit: z.union([z.number(), plainString().max(200)]),
  /** The unit of `measured` and `limit` (LUFS, dBTP, s, cps, px), absent for a name or a count. */
  unit: plainString().max(20).optional(),
  pass: z.boolean(),
  problem: plainString().max(1000).optional(),
});
export type RenderCheck = z.infer<typeof RenderCheckSchema>;

/** The delivery pack of one format: the MP4, its captions as SRT and WebVTT, a poster, and the gate. */
const RenderedFormatObject = z.strictObject({
  video_path: StoragePathSchema,
  srt_path: StoragePathSchema.optional(),
  vtt_path: StoragePathSchema.optional(),
  poster_path: StoragePathSchema.optional(),
  checks: z.array(RenderCheckSchema).max(40).optional(),
  /** The takes it was made from, scene by scene in the ad's order (`renderProject({ from_render })`). */
  takes: z.array(RenderedSceneTakesSchema).max(LIMITS.MAX_SCENES).optional(),
});

/** A format's entry in `assets.renders`. A document written before the delivery pack held the MP4's path
 * alone: it reads as a pack with only its video. */
export const RenderedFormatSchema = z.union([
  RenderedFormatObject,
  StoragePathSchema.transform((video_path): z.infer<typeof RenderedFormatObject> => ({ video_path })),
]);
export type RenderedFormat = z.infer<typeof RenderedFormatObject>;

/** Inputs a job carries from the callable that started it. */
export const JobOptionsSchema = z.strictObject({
  scene_count: z.number().int().min(LIMITS.MIN_SCENE_COUNT).max(LIMITS.MAX_SCENES).optional(),
  instructions: plainString().trim().max(LIMITS.INSTRUCTIONS_MAX).optional(),
  /** Render: the formats to make in this job (the project's own ratio when absent). */
  formats: z.array(AspectRatioSchema).min(1).max(AspectRatioSchema.options.length).optional(),
  /** Render: the languages to make each format in (every one of the project's when absent). */
  languages: z.array(LanguageTagSchema).min(1).max(MAX_LANGUAGES).optional(),
  /** Translate: the language to translate the ad into and voice. */
  language: LanguageTagSchema.optional(),
});
export type JobOptions = z.infer<typeof JobOptionsSchema>;

/** A scene's voiceover line: bounded so that it fits a scene when spoken. */
export const VoiceoverTextSchema = displayString().trim().max(LIMITS.VOICEOVER_TEXT_MAX);

/** One spoken word of a voiceover, in seconds from the start of its audio file. */
export const SpokenWordSchema = z.strictObject({
  word: displayString().min(1).max(LIMITS.VOICEOVER_TEXT_MAX),
  start: z.number().min(0),
  end: z.number().min(0),
});
export type SpokenWord = z.infer<typeof SpokenWordSchema>;

/** The timing file stored beside a voiceover (`voiceover_timing_path`). */
export const VoiceoverTimingSchema = z.strictObject({
  text: displayString().max(LIMITS.VOICEOVER_TEXT_MAX),
  duration_seconds: z.number().min(0),
  words: z.array(SpokenWordSchema).max(LIMITS.VOICEOVER_TEXT_MAX),
});
export type VoiceoverTiming = z.infer<typeof VoiceoverTimingSchema>;

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
  /** One part of a job done in parts: its own attempts, lease and progress, like a job's. */
  const JobPart = z.strictObject({
    status: JobStatusSchema,
    progress: z.number().min(0).max(100),
    attempt: z.number().int().min(0),
    /** How many tasks were enqueued for the part; names the next one (functions/src/jobs/queues.ts). */
    deliveries: z.number().int().min(0),
    lease_until: ts.nullish(),
    last_update: ts,
    error_message: z.string().max(LIMITS.DESCRIPTION_MAX).optional(),
    /** What the part made, until the job completes with it: the format's delivery pack and its gate. */
    pack: RenderedFormatObject.optional(),
    /** The settings the part was rendered with (recorded per format when the job completes). */
    settings: RenderSettingsSchema.optional(),
    /** A digest of the media the part read: the job refuses parts made from media edited since. */
    basis: z.string().max(64).optional(),
  });
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
    /** The production that started the job (absent for jobs a person started). */
    production_id: IdSchema.optional(),
    /**
     * A job done in parts, each its own task (the render: one per format, in parallel, retried alone; see
     * functions/src/jobs/parts.ts). Written when the job fans out; the job completes once every part has.
     */
    parts: z.partialRecord(RenderKeySchema, JobPart).optional(),
  });

  /** A step of a production that cannot go on, and why, in words a person reads. */
  const ProductionBlock = z.strictObject({
    /** The scene it is about; absent for the project's own steps (moods, storyboard, bed, render). */
    scene_id: IdSchema.optional(),
    /** The step that cannot go on: a job type, or what it waits for (`slots`, `budget`). */
    step: z.union([JobTypeSchema, z.enum(['slots', 'budget'])]),
    reason: z.string().max(LIMITS.DESCRIPTION_MAX),
  });

  /**
   * The backend's own plan for the project's ad (DESIGN.md "Productions"): what it was asked for and how far
   * it got. The jobs it starts carry its `production_id`; the planner (functions/src/jobs/production/)
   * recomputes the steps from the document itself, so an edit or a deleted scene changes the plan.
   */
  const Production = z.strictObject({
    production_id: IdSchema,
    status: ProductionStatusSchema,
    started_at: ts,
    /** When the production was last resumed by `retryProduction`: jobs that failed before it block nothing. */
    resumed_at: ts.nullish(),
    finished_at: ts.nullish(),
    formats: z.array(AspectRatioSchema).min(1).max(AspectRatioSchema.options.length),
    /** Started from the brief alone: moods, the first mood selected and the storyboard come first. */
    from_brief: z.boolean(),
    scene_count: z.number().int().min(LIMITS.MIN_SCENE_COUNT).max(LIMITS.MAX_SCENES).optional(),
    /** What the whole plan was estimated at when it started (or was resumed), in US dollars. */
    estimate_usd: z.number().min(0),
    /** The actual cost of the production's jobs that have ended. */
    spent_usd: z.number().min(0),
    steps_done: z.number().int().min(0),
    steps_total: z.number().int().min(0),
    blocked: z.array(ProductionBlock).max(LIMITS.MAX_SCENES + 8),
  });

  const SceneAssets = z.strictObject({
    ...ASSET_PATHS,
    /** Beside the voiceover (WAV): when each word is spoken (JSON, VoiceoverTimingSchema), for captions. */
    voiceover_timing_path: StoragePathSchema.optional(),
    /** The brand's own footage for the scene (setSceneClip): used instead of a generated video, and kept
     * through text edits (it was not made from the text). */
    clip_path: StoragePathSchema.optional(),
    generated_at: ts.optional(),
  });

  const Composition = z.strictObject({
    description: plainString().max(LIMITS.COMPOSITION_FIELD_MAX),
    styling: plainString().max(LIMITS.COMPOSITION_FIELD_MAX),
    animation: plainString().max(LIMITS.COMPOSITION_FIELD_MAX),
    generated_at: ts,
  });

  const Scene = z.strictObject({
    id: IdSchema,
    scene_number: z.number().int().min(1),
    title: text(LIMITS.TITLE_MAX),
    description: text(LIMITS.SCENE_TEXT_MAX),
    duration_seconds: SceneDurationSchema,
    /** The line spoken over the scene; empty or absent means the scene has no voice. */
    voiceover_text: VoiceoverTextSchema.optional(),
    /**
     * The product is on screen: with the project's product image, the keyframe is painted by the model that
     * takes it as a reference (`product_image`). Set by the storyboard, changed with `updateScene`; a scene
     * written before the field existed reads as false.
     */
    shows_product: z.boolean().default(false),
    assets: SceneAssets,
    active_job: ActiveJob.nullish(),
    composition: Composition.nullish(),
    /** Per asset: the chosen take, what it was made from, the pinned takes (schema/src/takes.ts). */
    takes: SceneTakesSchema.optional(),
  });

  const Storyboard = z.strictObject({
    id: IdSchema,
    /** Empty until the storyboard has been generated. */
    title: plainString().max(LIMITS.TITLE_MAX),
    creative_brief: CreativeBriefSchema,
    selected_mood: MoodSchema.nullable(),
  });

  const ProjectAssets = z.strictObject({
    /** The render in the project's own aspect ratio. */
    final_video_path: StoragePathSchema.optional(),
    /** The latest render of each format, by format: its delivery pack and its quality gate. */
    renders: z.partialRecord(RenderKeySchema, RenderedFormatSchema).optional(),
    /** What each file in `renders` was made from, by the same key (written by the render that made it). */
    render_settings: z.partialRecord(RenderKeySchema, RenderSettingsSchema).optional(),
    /** One music bed for the whole ad (the `music` job). */
    music_path: StoragePathSchema.optional(),
    /** The brand's logo for the end card (PNG or JPEG, set with `setLogo`). */
    logo_path: StoragePathSchema.optional(),
    /** The product as the customer receives it (a PNG, set with `setProductImage`): the end card's packshot. */
    product_image_path: StoragePathSchema.optional(),
    generated_at: ts.optional(),
  });

  /** One scene's line in another language and its voiceover in that language (files beside the scene's). */
  const LocalizedScene = z.strictObject({
    scene_id: IdSchema,
    voiceover_text: VoiceoverTextSchema,
    voiceover_path: StoragePathSchema.optional(),
    voiceover_timing_path: StoragePathSchema.optional(),
  });

  /**
   * The ad in one of its other languages (`settings.languages`), made by the `translate` job: every scene's
   * line translated and spoken, and the call to action translated (the brand name stays as written). The
   * clips, keyframes and bed are the storyboard's; only this differs. `basis` is a digest of what it was
   * translated from (the scenes' lines and lengths, the call to action): when that changes the translation is
   * out of date, and a production translates again.
   */
  const Localization = z.strictObject({
    language: LanguageTagSchema,
    call_to_action: CreativeBriefSchema.shape.call_to_action,
    scenes: z.array(LocalizedScene).max(LIMITS.MAX_SCENES),
    basis: z.string().max(64),
    generated_at: ts,
  });

  const ProjectStats = z.strictObject({
    total_scenes: z.number().int().min(0),
    completed_scenes: z.number().int().min(0),
    active_jobs: z.number().int().min(0),
    last_activity: ts,
    /** Minimum `last_update` over the project's unfinished jobs (null when none): the stale sweep's index. */
    oldest_active_update: ts.nullable(),
    /**
     * When the first unfinished job goes stale: min over them of `last_update` + its type's stale limit
     * (null when none). The stale sweep's indexed candidate query. A document written before the field
     * existed reads as null and gets it on its next write.
     */
    stale_at: ts.nullable().default(null),
    /** What the project's finished jobs cost, in US dollars (the sum of their ledger entries). */
    cost_usd: z.number().min(0).default(0),
  });

  const Project = z.strictObject({
    id: IdSchema,
    name: text(LIMITS.NAME_MAX),
    description: plainString().trim().max(LIMITS.DESCRIPTION_MAX).optional(),
    user_id: z.string().min(1).max(LIMITS.ID_MAX),
    created_at: ts,
    updated_at: ts,
    settings: ProjectSettingsSchema,
    storyboard: Storyboard,
    moods: z.array(MoodSchema).max(LIMITS.MOODS_PER_PROJECT),
    active_job: ActiveJob.nullish(),
    /** The latest production of the project's ad (startProduction), kept after it ended. */
    production: Production.nullish(),
    assets: ProjectAssets,
    scenes: z.array(Scene).max(LIMITS.MAX_SCENES),
    /** The ad in its other languages, by language tag (the `translate` job). */
    localizations: z.record(LocalizationKeySchema, Localization).optional(),
    stats: ProjectStats,
    /** Settled spend: the actual cost of every job of the project that has ended, and how many ended. */
    spend: z.strictObject({ cost_usd: z.number().min(0), jobs: z.number().int().min(0) }).optional(),
  });

  /** One row of `listProjects`: enough for a project grid without shipping every scene. */
  const ProjectSummary = z.strictObject({
    id: IdSchema,
    name: text(LIMITS.NAME_MAX),
    description: plainString().max(LIMITS.DESCRIPTION_MAX).optional(),
    created_at: ts,
    updated_at: ts,
    settings: ProjectSettingsSchema,
    stats: ProjectStats,
    storyboard_title: plainString().max(LIMITS.TITLE_MAX),
    /** The first scene's keyframe, if any. */
    thumbnail_path: StoragePathSchema.optional(),
    selected_mood_name: plainString().max(LIMITS.TITLE_MAX).optional(),
  });

  return {
    LocalizedScene,
    Localization,
    JobPart,
    ActiveJob,
    ProductionBlock,
    Production,
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
export const JobPartSchema = wire.JobPart;
export const LocalizationSchema = wire.Localization;
export const ActiveJobSchema = wire.ActiveJob;
export const ProductionSchema = wire.Production;
export const ProductionBlockSchema = wire.ProductionBlock;
export const SceneAssetsSchema = wire.SceneAssets;
export const CompositionSchema = wire.Composition;
export const SceneSchema = wire.Scene;
export const StoryboardSchema = wire.Storyboard;
export const ProjectAssetsSchema = wire.ProjectAssets;
export const ProjectStatsSchema = wire.ProjectStats;
export const ProjectSchema = wire.Project;
export const ProjectSummarySchema = wire.ProjectSummary;

export type JobPart = z.infer<typeof JobPartSchema>;
export type Localization = z.infer<typeof LocalizationSchema>;
export type ActiveJob = z.infer<typeof ActiveJobSchema>;
export type Production = z.infer<typeof ProductionSchema>;
export type ProductionBlock = z.infer<typeof ProductionBlockSchema>;
export type SceneAssets = z.infer<typeof SceneAssetsSchema>;
export type Composition = z.infer<typeof CompositionSchema>;
export type Scene = z.infer<typeof SceneSchema>;
export type Storyboard = z.infer<typeof StoryboardSchema>;
export type ProjectAssets = z.infer<typeof ProjectAssetsSchema>;
export type ProjectStats = z.infer<typeof ProjectStatsSchema>;
export type Project = z.infer<typeof ProjectSchema>;
export type ProjectSummary = z.infer<typeof ProjectSummarySchema>;

// Firestore document: Timestamps.
export const JobPartDocSchema = doc.JobPart;
export const LocalizationDocSchema = doc.Localization;
export const ActiveJobDocSchema = doc.ActiveJob;
export const ProductionDocSchema = doc.Production;
export const SceneAssetsDocSchema = doc.SceneAssets;
export const CompositionDocSchema = doc.Composition;
export const SceneDocSchema = doc.Scene;
export const StoryboardDocSchema = doc.Storyboard;
export const ProjectAssetsDocSchema = doc.ProjectAssets;
export const ProjectStatsDocSchema = doc.ProjectStats;
export const ProjectDocSchema = doc.Project;
export const ProjectSummaryDocSchema = doc.ProjectSummary;

export type JobPartDoc = z.infer<typeof JobPartDocSchema>;
export type LocalizationDoc = z.infer<typeof LocalizationDocSchema>;
export type ActiveJobDoc = z.infer<typeof ActiveJobDocSchema>;
export type ProductionDoc = z.infer<typeof ProductionDocSchema>;
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

/** The assets made from a scene's title and description: all but the voiceover, which is made from its own
 * line (`voiceover_text`). */
const TEXT_ASSET_FIELDS = Object.values(SCENE_ASSET_FIELD).filter((f) => f !== SCENE_ASSET_FIELD.voiceover);

/** What an edit invalidates. Editing the text (title/description) clears every asset made from it and the
 * scene's `composition` (a scene field, not an asset path); changing only the duration clears the
 * timed media (video and audio). */
export const ASSETS_CLEARED_ON = {
  text: [...TEXT_ASSET_FIELDS, 'composition'],
  duration: TIMED_SCENE_ASSETS.map((type) => SCENE_ASSET_FIELD[type]),
  voiceover: [SCENE_ASSET_FIELD.voiceover, 'voiceover_timing_path'],
} satisfies Record<
  'text' | 'duration' | 'voiceover',
  readonly (SceneAssetPathField | 'voiceover_timing_path' | 'composition')[]
>;

type WithAssets = {
  assets: Partial<Record<SceneAssetPathField | 'voiceover_timing_path' | 'clip_path', string>>;
};

/** The assets a scene's own clip stands in for: the video, and the composition and keyframe that exist only
 * to make it. A scene with its own clip never has them generated. */
export const ASSETS_A_CLIP_REPLACES: readonly SceneAssetPathField[] = [
  SCENE_ASSET_FIELD.composition,
  SCENE_ASSET_FIELD.image,
  SCENE_ASSET_FIELD.video,
];

/** The clip the render shows for a scene: its own footage when it has some, else the generated video. */
export function sceneVideoPath(scene: WithAssets): string | undefined {
  return scene.assets.clip_path ?? scene.assets.video_path;
}

/** A scene counts in `completed_scenes` when it has every asset made from its text; the voiceover is
 * optional (a scene may be silent), and so is its own music when the ad has a music bed (`hasBed`): the
 * bed is the ad's sound then, and a production never makes scene music beside it. */
export function sceneIsComplete(scene: WithAssets, hasBed = false): boolean {
  const ownClip = Boolean(scene.assets.clip_path);
  return TEXT_ASSET_FIELDS.every(
    (field) =>
      Boolean(scene.assets[field]) ||
      (hasBed && field === SCENE_ASSET_FIELD.audio) ||
      (ownClip && ASSETS_A_CLIP_REPLACES.includes(field)),
  );
}

/** What every message calls a scene: `scene 2 "Pour"`, by its number in the storyboard and its title. */
export function sceneName(scene: { scene_number: number; title: string }): string {
  return `scene ${scene.scene_number} "${scene.title}"`;
}

/** The Storage paths a scene's assets hold. */
export function sceneAssetPaths(scene: WithAssets): string[] {
  return [...Object.values(SCENE_ASSET_FIELD), 'voiceover_timing_path' as const, 'clip_path' as const]
    .map((field) => scene.assets[field])
    .filter((path): path is string => !!path);
}
