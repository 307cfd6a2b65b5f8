// Request and response schemas of every callable (DESIGN.md "Callable conventions"): snake_case,
// unknown keys refused, bounds from LIMITS. `CALLABLES` lets functions and tests iterate all of them.
import { z } from 'zod';
import { LIMITS } from './limits.js';
import {
  AspectRatioSchema,
  IdSchema,
  IsoTimestampSchema,
  JobStatusSchema,
  JobTypeSchema,
  ProductionStatusSchema,
  SceneAssetTypeSchema,
  SceneDurationSchema,
  StoragePathSchema,
  displayString,
  plainString,
  text,
} from './primitives.js';
import {
  CreativeBriefSchema,
  ProjectSchema,
  ProjectSettingsPatchSchema,
  ProjectSummarySchema,
  SceneSchema,
  VoiceoverTextSchema,
} from './project.js';
import { UsageSummarySchema } from './usage.js';
import { TakeIdSchema } from './takes.js';
import { uploadPathField } from './uploads.js';
import { LanguageTagSchema, MAX_LANGUAGES } from './languages.js';

/** Refuses a patch that names nothing to change besides its ids. */
function requireSomeField<T extends Record<string, unknown>>(idKeys: readonly string[]) {
  return (value: T) => Object.entries(value).some(([key, v]) => !idKeys.includes(key) && v !== undefined);
}

const projectResponse = z.strictObject({ project: ProjectSchema });
const sceneResponse = z.strictObject({ scene: SceneSchema });
const jobResponse = z.strictObject({ job_id: IdSchema });
const projectRef = z.strictObject({ project_id: IdSchema });

const nameField = text(LIMITS.NAME_MAX);
const descriptionField = plainString().trim().max(LIMITS.DESCRIPTION_MAX);

export const CreateProjectRequestSchema = z.strictObject({
  name: nameField,
  description: descriptionField.optional(),
  creative_brief: CreativeBriefSchema,
  settings: ProjectSettingsPatchSchema.optional(),
});
export const CreateProjectResponseSchema = projectResponse;

export const ListProjectsRequestSchema = z.strictObject({
  limit: z.number().int().min(1).max(LIMITS.PAGE_SIZE_MAX).optional(),
  /** Opaque: whatever the previous page returned as `next_cursor`. */
  cursor: z.string().min(1).max(LIMITS.CURSOR_MAX).optional(),
});
export const ListProjectsResponseSchema = z.strictObject({
  projects: z.array(ProjectSummarySchema),
  next_cursor: z.string().max(LIMITS.CURSOR_MAX).nullable(),
});

export const GetProjectRequestSchema = projectRef;
export const GetProjectResponseSchema = projectResponse;

/**
 * A brief patch: the fields it names replace the brief's. An empty call_to_action removes the line (the end
 * card then shows only the brand): the brief itself never holds an empty one.
 */
const CreativeBriefPatchSchema = CreativeBriefSchema.partial().extend({
  call_to_action: displayString().trim().max(LIMITS.CALL_TO_ACTION_MAX).optional(),
});

export const UpdateProjectRequestSchema = z
  .strictObject({
    project_id: IdSchema,
    name: nameField.optional(),
    description: descriptionField.optional(),
    /** The storyboard title. */
    title: text(LIMITS.TITLE_MAX).optional(),
    creative_brief: CreativeBriefPatchSchema.optional(),
    settings: ProjectSettingsPatchSchema.optional(),
  })
  .refine(requireSomeField(['project_id']), {
    message: 'nothing to update: give at least one of name, description, title, creative_brief, settings',
  });
export const UpdateProjectResponseSchema = projectResponse;

export const DeleteProjectRequestSchema = projectRef;
export const DeleteProjectResponseSchema = z.strictObject({ project_id: IdSchema, deleted: z.literal(true) });

export const SelectMoodRequestSchema = z.strictObject({ project_id: IdSchema, mood_id: IdSchema });
export const SelectMoodResponseSchema = projectResponse;

export const AddSceneRequestSchema = z.strictObject({
  project_id: IdSchema,
  title: text(LIMITS.TITLE_MAX),
  description: text(LIMITS.SCENE_TEXT_MAX),
  duration_seconds: SceneDurationSchema,
  voiceover_text: VoiceoverTextSchema.optional(),
  /** The product is on screen (its keyframe takes the product image as a reference); false when absent. */
  shows_product: z.boolean().optional(),
  /** 1-based; appended when absent. Positions past the end append. */
  position: z.number().int().min(1).optional(),
});
export const AddSceneResponseSchema = sceneResponse;

export const UpdateSceneRequestSchema = z
  .strictObject({
    project_id: IdSchema,
    scene_id: IdSchema,
    title: text(LIMITS.TITLE_MAX).optional(),
    description: text(LIMITS.SCENE_TEXT_MAX).optional(),
    duration_seconds: SceneDurationSchema.optional(),
    /** A changed line clears the scene's voiceover; an empty one removes the voice. */
    voiceover_text: VoiceoverTextSchema.optional(),
    /** A change marks the keyframe out of date (it was made with, or without, the product image). */
    shows_product: z.boolean().optional(),
  })
  .refine(requireSomeField(['project_id', 'scene_id']), {
    message:
      'nothing to update: give at least one of title, description, duration_seconds, voiceover_text, shows_product',
  });
export const UpdateSceneResponseSchema = sceneResponse;

export const DeleteSceneRequestSchema = z.strictObject({ project_id: IdSchema, scene_id: IdSchema });
export const DeleteSceneResponseSchema = projectResponse;

export const ReorderScenesRequestSchema = z.strictObject({
  project_id: IdSchema,
  scene_ids: z
    .array(IdSchema)
    .min(1)
    .max(LIMITS.MAX_SCENES)
    .refine((ids) => new Set(ids).size === ids.length, { message: 'scene_ids must not repeat an id' }),
});
export const ReorderScenesResponseSchema = projectResponse;

/** One take of one scene asset (schema/src/takes.ts). */
const takeRef = z.strictObject({
  project_id: IdSchema,
  scene_id: IdSchema,
  asset: SceneAssetTypeSchema,
  take_id: TakeIdSchema,
});
/** The take becomes the scene's asset (its files in the scene's asset fields). */
export const ChooseTakeRequestSchema = takeRef;
export const ChooseTakeResponseSchema = sceneResponse;
/** A pinned take is never dropped to make room for a new one. */
export const PinTakeRequestSchema = takeRef.extend({ pinned: z.boolean() });
export const PinTakeResponseSchema = sceneResponse;
/** Deletes the take and exactly its files; the chosen take cannot be deleted. */
export const DeleteTakeRequestSchema = takeRef;
export const DeleteTakeResponseSchema = sceneResponse;

export const GetAssetUrlsRequestSchema = projectRef.extend({
  /** Sign only these files (those the project does not name are left out of the answer); every file of
   * the project when absent. The client SDK asks for the one path it was asked about. */
  paths: z.array(StoragePathSchema).min(1).max(LIMITS.ASSET_URL_PATHS_MAX).optional(),
  /** URLs that save the file rather than show it (Content-Disposition: attachment), a render as
   * "<project name>-<format>.mp4": a cross-origin link ignores the `download` attribute. */
  download: z.boolean().optional(),
});
export const GetAssetUrlsResponseSchema = z.strictObject({
  /** Storage path -> short-lived signed URL. */
  urls: z.record(z.string(), z.string()),
  expires_at: IsoTimestampSchema,
});

export const ExchangeClerkTokenRequestSchema = z.strictObject({
  token: z.string().min(1).max(LIMITS.CLERK_TOKEN_MAX),
});
export const ExchangeClerkTokenResponseSchema = z.strictObject({
  custom_token: z.string().min(1),
  uid: z.string().min(1),
});

export const GenerateMoodsRequestSchema = projectRef;
export const GenerateMoodsResponseSchema = jobResponse;

export const GenerateStoryboardRequestSchema = z.strictObject({
  project_id: IdSchema,
  scene_count: z.number().int().min(LIMITS.MIN_SCENE_COUNT).max(LIMITS.MAX_SCENES).optional(),
});
export const GenerateStoryboardResponseSchema = jobResponse;

export const GenerateSceneAssetRequestSchema = z.strictObject({
  project_id: IdSchema,
  scene_id: IdSchema,
  type: SceneAssetTypeSchema,
});
export const GenerateSceneAssetResponseSchema = jobResponse;

export const RegenerateSceneTextRequestSchema = z.strictObject({
  project_id: IdSchema,
  scene_id: IdSchema,
  instructions: plainString().trim().max(LIMITS.INSTRUCTIONS_MAX).optional(),
});
export const RegenerateSceneTextResponseSchema = jobResponse;

export const CancelJobRequestSchema = z.strictObject({ project_id: IdSchema, job_id: IdSchema });
export const CancelJobResponseSchema = z.strictObject({ job_id: IdSchema, status: JobStatusSchema });

export const RetryJobRequestSchema = z.strictObject({ project_id: IdSchema, job_id: IdSchema });
export const RetryJobResponseSchema = jobResponse;

/** Formats to make from the same clips, each at most once; the project's own aspect ratio when absent. */
const formatsField = z
  .array(AspectRatioSchema)
  .min(1)
  .max(AspectRatioSchema.options.length)
  .refine((f) => new Set(f).size === f.length, { message: 'formats must not repeat a format' })
  .optional();

export const RenderProjectRequestSchema = z.strictObject({
  project_id: IdSchema,
  /** Every format to make from the same clips, in one job; the project's aspect ratio when absent. */
  formats: formatsField,
  /**
   * Render again from exactly the takes this format's last render recorded: they are chosen again on every
   * scene first (the storyboard's scenes and their order must be the ones it had), then the render runs as
   * any other; `formats` defaults to this one.
   */
  from_render: AspectRatioSchema.optional(),
  /** The languages to make every format in (each of `settings.languages`); all of the ad's when absent. */
  languages: z
    .array(LanguageTagSchema)
    .min(1)
    .max(MAX_LANGUAGES)
    .refine((l) => new Set(l).size === l.length, { message: 'languages must not repeat a language' })
    .optional(),
});
export const RenderProjectResponseSchema = jobResponse;

/** Translates the ad into one of its other languages and voices it there (the `translate` job). */
export const TranslateProjectRequestSchema = z.strictObject({
  project_id: IdSchema,
  language: LanguageTagSchema,
});
export const TranslateProjectResponseSchema = jobResponse;

export const GenerateMusicRequestSchema = projectRef;
export const GenerateMusicResponseSchema = jobResponse;

/** The brand logo as base64 (callables carry JSON); checked by its bytes, not by a name or a claimed type. */
export const SetLogoRequestSchema = z.strictObject({
  project_id: IdSchema,
  /** Base64 of a PNG or JPEG of at most LOGO_MAX_BYTES; null removes the logo. */
  image_base64: z
    .string()
    .max(Math.ceil(LIMITS.LOGO_MAX_BYTES / 3) * 4 + 4, 'the logo must be at most 2 MiB')
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64')
    .nullable(),
});
export const SetLogoResponseSchema = projectResponse;

/** The product image: an upload the caller made under uploads/{uid}/images/, checked by its bytes and moved
 * under the project; null removes it. */
export const SetProductImageRequestSchema = z.strictObject({
  project_id: IdSchema,
  upload_path: uploadPathField('images').nullable(),
});
export const SetProductImageResponseSchema = projectResponse;

/** A scene's own footage: an upload under uploads/{uid}/clips/, checked by its bytes and moved under the
 * project; null removes it (the scene goes back to a generated video). */
export const SetSceneClipRequestSchema = z.strictObject({
  project_id: IdSchema,
  scene_id: IdSchema,
  upload_path: uploadPathField('clips').nullable(),
});
export const SetSceneClipResponseSchema = sceneResponse;

/** Scene ids for a step over many scenes: each at most once; absent means every scene of the project. */
const sceneIdsField = z
  .array(IdSchema)
  .min(1)
  .max(LIMITS.MAX_SCENES)
  .refine((ids) => new Set(ids).size === ids.length, { message: 'scene_ids must not repeat an id' })
  .optional();

export const GenerateAllRequestSchema = z.strictObject({
  project_id: IdSchema,
  type: SceneAssetTypeSchema,
  scene_ids: sceneIdsField,
});
export const GenerateAllResponseSchema = z.strictObject({
  jobs: z.array(z.strictObject({ scene_id: IdSchema, job_id: IdSchema })),
});

export const EstimateCostRequestSchema = z.strictObject({
  project_id: IdSchema,
  type: JobTypeSchema,
  scene_ids: sceneIdsField,
});
export const EstimateCostResponseSchema = z.strictObject({
  estimated_usd: z.number().min(0),
  jobs: z.array(z.strictObject({ scene_id: IdSchema.optional(), estimated_usd: z.number().min(0) })),
  remaining_today_usd: z.number().min(0),
  daily_budget_usd: z.number().min(0),
});

/** What a production is asked for: the project's ad in `formats`, from where it stands or from its brief. */
const productionGoal = {
  project_id: IdSchema,
  /** The formats of the finished ad; the project's own aspect ratio when absent. */
  formats: formatsField,
  /** On a project without a storyboard: generate the moods, select the first and draft the storyboard. */
  from_brief: z.boolean().optional(),
  /** How many scenes the storyboard it drafts has (with `from_brief`). */
  scene_count: z.number().int().min(LIMITS.MIN_SCENE_COUNT).max(LIMITS.MAX_SCENES).optional(),
};

/** One step of a production's plan, priced. */
const PlannedStepSchema = z.strictObject({
  type: JobTypeSchema,
  scene_id: IdSchema.optional(),
  estimated_usd: z.number().min(0),
});

export const StartProductionRequestSchema = z.strictObject(productionGoal);
export const StartProductionResponseSchema = z.strictObject({
  production_id: IdSchema,
  estimate_usd: z.number().min(0),
});

export const EstimateProductionRequestSchema = z.strictObject(productionGoal);
export const EstimateProductionResponseSchema = z.strictObject({
  estimate_usd: z.number().min(0),
  /** The steps still to make, in the order they would start (scenes' steps interleave at run time). */
  steps: z.array(PlannedStepSchema),
  remaining_today_usd: z.number().min(0),
  daily_budget_usd: z.number().min(0),
});

export const CancelProductionRequestSchema = projectRef;
export const CancelProductionResponseSchema = z.strictObject({
  production_id: IdSchema,
  status: ProductionStatusSchema,
});

export const RetryProductionRequestSchema = projectRef;
export const RetryProductionResponseSchema = StartProductionResponseSchema;

export const GetUsageRequestSchema = z.strictObject({});
export const GetUsageResponseSchema = z.strictObject({ usage: UsageSummarySchema });

export const CALLABLES = {
  createProject: { request: CreateProjectRequestSchema, response: CreateProjectResponseSchema },
  listProjects: { request: ListProjectsRequestSchema, response: ListProjectsResponseSchema },
  getProject: { request: GetProjectRequestSchema, response: GetProjectResponseSchema },
  updateProject: { request: UpdateProjectRequestSchema, response: UpdateProjectResponseSchema },
  deleteProject: { request: DeleteProjectRequestSchema, response: DeleteProjectResponseSchema },
  selectMood: { request: SelectMoodRequestSchema, response: SelectMoodResponseSchema },
  addScene: { request: AddSceneRequestSchema, response: AddSceneResponseSchema },
  updateScene: { request: UpdateSceneRequestSchema, response: UpdateSceneResponseSchema },
  deleteScene: { request: DeleteSceneRequestSchema, response: DeleteSceneResponseSchema },
  reorderScenes: { request: ReorderScenesRequestSchema, response: ReorderScenesResponseSchema },
  getAssetUrls: { request: GetAssetUrlsRequestSchema, response: GetAssetUrlsResponseSchema },
  chooseTake: { request: ChooseTakeRequestSchema, response: ChooseTakeResponseSchema },
  pinTake: { request: PinTakeRequestSchema, response: PinTakeResponseSchema },
  deleteTake: { request: DeleteTakeRequestSchema, response: DeleteTakeResponseSchema },
  exchangeClerkToken: {
    request: ExchangeClerkTokenRequestSchema,
    response: ExchangeClerkTokenResponseSchema,
  },
  generateMoods: { request: GenerateMoodsRequestSchema, response: GenerateMoodsResponseSchema },
  generateStoryboard: {
    request: GenerateStoryboardRequestSchema,
    response: GenerateStoryboardResponseSchema,
  },
  generateSceneAsset: {
    request: GenerateSceneAssetRequestSchema,
    response: GenerateSceneAssetResponseSchema,
  },
  regenerateSceneText: {
    request: RegenerateSceneTextRequestSchema,
    response: RegenerateSceneTextResponseSchema,
  },
  cancelJob: { request: CancelJobRequestSchema, response: CancelJobResponseSchema },
  retryJob: { request: RetryJobRequestSchema, response: RetryJobResponseSchema },
  renderProject: { request: RenderProjectRequestSchema, response: RenderProjectResponseSchema },
  generateMusic: { request: GenerateMusicRequestSchema, response: GenerateMusicResponseSchema },
  translateProject: { request: TranslateProjectRequestSchema, response: TranslateProjectResponseSchema },
  setLogo: { request: SetLogoRequestSchema, response: SetLogoResponseSchema },
  setProductImage: { request: SetProductImageRequestSchema, response: SetProductImageResponseSchema },
  setSceneClip: { request: SetSceneClipRequestSchema, response: SetSceneClipResponseSchema },
  generateAll: { request: GenerateAllRequestSchema, response: GenerateAllResponseSchema },
  estimateCost: { request: EstimateCostRequestSchema, response: EstimateCostResponseSchema },
  getUsage: { request: GetUsageRequestSchema, response: GetUsageResponseSchema },
  startProduction: { request: StartProductionRequestSchema, response: StartProductionResponseSchema },
  estimateProduction: {
    request: EstimateProductionRequestSchema,
    response: EstimateProductionResponseSchema,
  },
  cancelProduction: { request: CancelProductionRequestSchema, response: CancelProductionResponseSchema },
  retryProduction: { request: RetryProductionRequestSchema, response: RetryProductionResponseSchema },
} as const;

export type CallableName = keyof typeof CALLABLES;
/** What a client sends (defaults not yet applied). */
export type CallableRequest<N extends CallableName> = z.input<(typeof CALLABLES)[N]['request']>;
/** What a handler works with after parsing. */
export type ParsedCallableRequest<N extends CallableName> = z.output<(typeof CALLABLES)[N]['request']>;
export type CallableResponse<N extends CallableName> = z.output<(typeof CALLABLES)[N]['response']>;
// Per-callable types, for handlers and clients that prefer names to `CallableRequest<'...'>`.
export type CreateProjectRequest = z.input<typeof CreateProjectRequestSchema>;
export type CreateProjectResponse = z.output<typeof CreateProjectResponseSchema>;
export type ListProjectsRequest = z.input<typeof ListProjectsRequestSchema>;
export type ListProjectsResponse = z.output<typeof ListProjectsResponseSchema>;
export type GetProjectRequest = z.input<typeof GetProjectRequestSchema>;
export type GetProjectResponse = z.output<typeof GetProjectResponseSchema>;
export type UpdateProjectRequest = z.input<typeof UpdateProjectRequestSchema>;
export type UpdateProjectResponse = z.output<typeof UpdateProjectResponseSchema>;
export type DeleteProjectRequest = z.input<typeof DeleteProjectRequestSchema>;
export type DeleteProjectResponse = z.output<typeof DeleteProjectResponseSchema>;
export type SelectMoodRequest = z.input<typeof SelectMoodRequestSchema>;
export type SelectMoodResponse = z.output<typeof SelectMoodResponseSchema>;
export type AddSceneRequest = z.input<typeof AddSceneRequestSchema>;
export type AddSceneResponse = z.output<typeof AddSceneResponseSchema>;
export type UpdateSceneRequest = z.input<typeof UpdateSceneRequestSchema>;
export type UpdateSceneResponse = z.output<typeof UpdateSceneResponseSchema>;
export type DeleteSceneRequest = z.input<typeof DeleteSceneRequestSchema>;
export type DeleteSceneResponse = z.output<typeof DeleteSceneResponseSchema>;
export type ReorderScenesRequest = z.input<typeof ReorderScenesRequestSchema>;
export type ReorderScenesResponse = z.output<typeof ReorderScenesResponseSchema>;
export type GetAssetUrlsRequest = z.input<typeof GetAssetUrlsRequestSchema>;
export type GetAssetUrlsResponse = z.output<typeof GetAssetUrlsResponseSchema>;
export type ExchangeClerkTokenRequest = z.input<typeof ExchangeClerkTokenRequestSchema>;
export type ExchangeClerkTokenResponse = z.output<typeof ExchangeClerkTokenResponseSchema>;
export type GenerateMoodsRequest = z.input<typeof GenerateMoodsRequestSchema>;
export type GenerateMoodsResponse = z.output<typeof GenerateMoodsResponseSchema>;
export type GenerateStoryboardRequest = z.input<typeof GenerateStoryboardRequestSchema>;
export type GenerateStoryboardResponse = z.output<typeof GenerateStoryboardResponseSchema>;
export type GenerateSceneAssetRequest = z.input<typeof GenerateSceneAssetRequestSchema>;
export type GenerateSceneAssetResponse = z.output<typeof GenerateSceneAssetResponseSchema>;
export type RegenerateSceneTextRequest = z.input<typeof RegenerateSceneTextRequestSchema>;
export type RegenerateSceneTextResponse = z.output<typeof RegenerateSceneTextResponseSchema>;
export type CancelJobRequest = z.input<typeof CancelJobRequestSchema>;
export type CancelJobResponse = z.output<typeof CancelJobResponseSchema>;
export type RetryJobRequest = z.input<typeof RetryJobRequestSchema>;
export type RetryJobResponse = z.output<typeof RetryJobResponseSchema>;
export type RenderProjectRequest = z.input<typeof RenderProjectRequestSchema>;
export type RenderProjectResponse = z.output<typeof RenderProjectResponseSchema>;
export type GenerateAllRequest = z.input<typeof GenerateAllRequestSchema>;
export type GenerateAllResponse = z.output<typeof GenerateAllResponseSchema>;
export type EstimateCostRequest = z.input<typeof EstimateCostRequestSchema>;
export type EstimateCostResponse = z.output<typeof EstimateCostResponseSchema>;
export type StartProductionRequest = z.input<typeof StartProductionRequestSchema>;
export type StartProductionResponse = z.output<typeof StartProductionResponseSchema>;
export type EstimateProductionRequest = z.input<typeof EstimateProductionRequestSchema>;
export type EstimateProductionResponse = z.output<typeof EstimateProductionResponseSchema>;
export type CancelProductionRequest = z.input<typeof CancelProductionRequestSchema>;
export type CancelProductionResponse = z.output<typeof CancelProductionResponseSchema>;
export type RetryProductionRequest = z.input<typeof RetryProductionRequestSchema>;
export type RetryProductionResponse = z.output<typeof RetryProductionResponseSchema>;
export type GetUsageRequest = z.input<typeof GetUsageRequestSchema>;
export type GetUsageResponse = z.output<typeof GetUsageResponseSchema>;

export const CALLABLE_NAMES = Object.keys(CALLABLES) as CallableName[];

/** One entry of an `invalid-argument` error's details. */
export interface InvalidArgumentDetail {
  path: string;
  message: string;
}

/** Flattens zod issues into `[{ path, message }]`, paths dotted (`creative_brief.tone`, `scene_ids.3`). */
export function zodIssuesToDetails(error: z.ZodError): InvalidArgumentDetail[] {
  return error.issues.flatMap((issue) => {
    const path = issue.path.map((segment) => String(segment));
    // An unknown key is reported on its parent object; point at the key itself so a client sees which.
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: [...path, key].join('.'), message: 'unknown field' }));
    }
    return [{ path: path.join('.'), message: issue.message }];
  });
}
