// Takes: every scene asset job adds one (its files, job, cost, when, what it was made from) instead of
// replacing the last, and the scene's asset is the chosen take. The takes themselves live beside the
// project, one document each in `projects/{project_id}/takes/{take_id}` (a full project document is already
// half of Firestore's 1 MiB: test/e2e/project-at-limits.test.ts), while the scene keeps only what every
// reader of the project needs: its asset paths (the chosen take's files, so the render, the production and
// every client read them as before) and, per asset, the chosen take's id, what it was made from and the
// pinned ids (small, and the completing write decides which take to drop from them).
import { z } from 'zod';
import { LIMITS } from './limits.js';
import {
  IdSchema,
  IsoTimestampSchema,
  SCENE_ASSET_FIELD,
  SceneAssetTypeSchema,
  StoragePathSchema,
  TimestampLikeSchema,
  type SceneAssetType,
} from './primitives.js';

/** A take's id: its job's id (jobs/start.ts makes UUIDs). */
export const TakeIdSchema = IdSchema.max(LIMITS.TAKE_ID_MAX);

/** The subcollection of a project that holds its takes. */
export const TAKES_COLLECTION = 'takes';

export function takeDocPath(projectId: string, takeId: string): string {
  return `projects/${projectId}/${TAKES_COLLECTION}/${takeId}`;
}

/** The scene's `assets` fields a take may fill: its asset's path, and the voiceover's timing file. */
export const TakeFileFieldSchema = z.enum([...Object.values(SCENE_ASSET_FIELD), 'voiceover_timing_path']);
export type TakeFileField = z.infer<typeof TakeFileFieldSchema>;

/** What one take of an asset was made from: the chosen takes of the assets it read, by asset. */
export const MadeFromSchema = z.partialRecord(SceneAssetTypeSchema, TakeIdSchema);
export type MadeFrom = z.infer<typeof MadeFromSchema>;

/** A scene's record of one asset's takes, in the project document. */
export const SceneAssetTakesSchema = z.strictObject({
  /** The take the scene's asset fields name (absent once an edit cleared the asset). */
  chosen: TakeIdSchema.optional(),
  /** What the chosen take was made from (copied from its take, so staleness needs no other read). */
  made_from: MadeFromSchema.optional(),
  /** The product image the chosen keyframe took as its reference (copied from its take, like `made_from`). */
  product_image_path: StoragePathSchema.optional(),
  /** Takes the person pinned: never dropped to make room. */
  pinned: z.array(TakeIdSchema).max(LIMITS.TAKES_PER_ASSET).optional(),
});
export type SceneAssetTakes = z.infer<typeof SceneAssetTakesSchema>;

export const SceneTakesSchema = z.partialRecord(SceneAssetTypeSchema, SceneAssetTakesSchema);
export type SceneTakes = z.infer<typeof SceneTakesSchema>;

function takeSchema<T extends z.ZodType>(ts: T) {
  return z.strictObject({
    /** The job that made it: one job makes one take. */
    take_id: TakeIdSchema,
    job_id: TakeIdSchema,
    scene_id: IdSchema,
    asset: SceneAssetTypeSchema,
    /** The scene's asset fields it fills when chosen. */
    files: z.partialRecord(TakeFileFieldSchema, StoragePathSchema),
    /** The same paths as a list, for the queries that ask which take names a file. */
    paths: z.array(StoragePathSchema).min(1).max(4),
    /** What the job cost, in US dollars (its actual cost when it completed). */
    cost_usd: z.number().min(0),
    created_at: ts,
    made_from: MadeFromSchema.optional(),
    /**
     * A keyframe painted with the project's product image as its reference: that image (a record, not a
     * reference: a replaced product image is deleted all the same). Absent when made without one.
     */
    product_image_path: StoragePathSchema.optional(),
    /** A composition take's text, put back on the scene when the take is chosen. */
    composition: z
      .strictObject({
        description: z.string().max(LIMITS.COMPOSITION_FIELD_MAX),
        styling: z.string().max(LIMITS.COMPOSITION_FIELD_MAX),
        animation: z.string().max(LIMITS.COMPOSITION_FIELD_MAX),
      })
      .optional(),
    /** A voiceover take's line: it can be chosen only while the scene still has that line. */
    voiceover_text: z.string().max(LIMITS.VOICEOVER_TEXT_MAX).optional(),
  });
}

export const TakeDocSchema = takeSchema(TimestampLikeSchema);
export const TakeSchema = takeSchema(IsoTimestampSchema);
export type TakeDoc = z.infer<typeof TakeDocSchema>;
export type Take = z.infer<typeof TakeSchema>;

/** The scene assets a render reads (the clip, its music, its voiceover): what a render records of takes. */
export const RENDERED_ASSETS = ['video', 'audio', 'voiceover'] as const satisfies readonly SceneAssetType[];

/** One scene of a render as it was made: the scene and the chosen takes of the assets the render read. */
export const RenderedSceneTakesSchema = z.strictObject({
  scene_id: IdSchema,
  video: TakeIdSchema.optional(),
  audio: TakeIdSchema.optional(),
  voiceover: TakeIdSchema.optional(),
});
export type RenderedSceneTakes = z.infer<typeof RenderedSceneTakesSchema>;

/** The takes a render of these scenes reads, in the ad's order (recorded with each format's pack). */
export function renderedTakes(
  scenes: readonly ({ id: string; scene_number: number } & WithTakes)[],
): RenderedSceneTakes[] {
  return [...scenes]
    .sort((a, b) => a.scene_number - b.scene_number)
    .map((scene) => ({
      scene_id: scene.id,
      ...Object.fromEntries(
        RENDERED_ASSETS.flatMap((asset) => {
          const chosen = scene.takes?.[asset]?.chosen;
          return chosen ? [[asset, chosen]] : [];
        }),
      ),
    }));
}

/** Any scene, document or wire. */
interface WithTakes {
  takes?: SceneTakes | null | undefined;
}

/**
 * The product image a keyframe of this scene takes as its reference: the project's, when the scene shows the
 * product; else none (the usual image model paints it from the text alone). The image job and staleness
 * both ask this, so what a keyframe is made with and what it is judged against never disagree.
 */
export function productReferencePath(
  project: { assets: { product_image_path?: string | undefined } },
  scene: { shows_product?: boolean | undefined },
): string | undefined {
  return scene.shows_product ? project.assets.product_image_path : undefined;
}

/**
 * The scene's assets whose chosen take was made from a take no longer chosen (a video animated from another
 * keyframe than the scene's), and a keyframe made with another product reference than the scene would take
 * now (the product image replaced or removed, or the scene's `shows_product` changed). The studio shows them;
 * the production leaves them (it remakes only what is missing), and regenerating the asset makes it current
 * again.
 */
export function outdatedAssets(
  scene: WithTakes & { shows_product?: boolean | undefined },
  project: { assets: { product_image_path?: string | undefined } },
): SceneAssetType[] {
  const takes = scene.takes ?? {};
  return SceneAssetTypeSchema.options.filter((type) => {
    const record = takes[type];
    if (!record?.chosen) return false;
    if (type === 'image' && record.product_image_path !== productReferencePath(project, scene)) return true;
    return Object.entries(record.made_from ?? {}).some(
      ([input, takeId]) => takes[input as SceneAssetType]?.chosen !== takeId,
    );
  });
}

/**
 * Which takes of one asset to drop so that at most `keep` stay: the oldest first, never the chosen one nor a
 * pinned one. `takes` are the asset's takes with their creation times (ms).
 */
export function takesToDrop(
  takes: readonly { take_id: string; created_ms: number }[],
  record: SceneAssetTakes | undefined,
  keep: number = LIMITS.TAKES_PER_ASSET,
): string[] {
  const spared = new Set([...(record?.chosen ? [record.chosen] : []), ...(record?.pinned ?? [])]);
  const excess = takes.length - keep;
  if (excess <= 0) return [];
  return [...takes]
    .sort((a, b) => a.created_ms - b.created_ms || a.take_id.localeCompare(b.take_id))
    .filter((t) => !spared.has(t.take_id))
    .slice(0, excess)
    .map((t) => t.take_id);
}
