// Scene helpers for the scene callables: lookup, numbering, the busy-scene guard and what an edit invalidates.
// All of them change the project in memory, inside a `mutateProject` change (an optimistic compare-and-set write).
import { randomUUID } from 'node:crypto';
import {
  ASSETS_CLEARED_ON,
  SCENE_ASSET_FIELD,
  SceneAssetTypeSchema,
  isUnfinished,
  type ProjectDoc,
  type SceneDoc,
} from '@reelforge/schema';

const SCENE_ASSET_TYPES = SceneAssetTypeSchema.options;
import { NotFound, PreconditionFailed } from '../errors.js';

export function findScene(project: ProjectDoc, sceneId: string): SceneDoc {
  const scene = project.scenes.find((s) => s.id === sceneId);
  if (!scene) throw new NotFound('Scene');
  return scene;
}

/** `scene_number` is the 1-based position in the array; recomputed after every insert, delete or reorder. */
export function renumber(scenes: SceneDoc[]): void {
  scenes.forEach((scene, index) => (scene.scene_number = index + 1));
}

export interface NewSceneInput {
  title: string;
  description: string;
  duration_seconds: number;
  voiceover_text?: string | undefined;
  shows_product?: boolean | undefined;
}

export function newScene(input: NewSceneInput): SceneDoc {
  return {
    id: randomUUID(),
    scene_number: 0, // set by renumber once placed
    title: input.title,
    description: input.description,
    duration_seconds: input.duration_seconds,
    ...(input.voiceover_text ? { voiceover_text: input.voiceover_text } : {}),
    shows_product: input.shows_product ?? false,
    assets: {},
  };
}

/** Inserts at a 1-based position (past the end, or absent, appends) and renumbers. */
export function insertScene(project: ProjectDoc, scene: SceneDoc, position?: number): void {
  const index =
    position === undefined ? project.scenes.length : Math.min(position - 1, project.scenes.length);
  project.scenes.splice(index, 0, scene);
  renumber(project.scenes);
}

/** `an image`, `a video`: the word after the article English puts before it. */
export function withArticle(word: string): string {
  return `${/^[aeiou]/i.test(word) ? 'an' : 'a'} ${word}`;
}

/** A scene whose job is still queued or processing must not lose the text or timing the job works from, nor
 * disappear under it: the job would write its output to a scene that no longer means what it did. */
export function assertSceneIdle(scene: SceneDoc, action: string): void {
  const job = scene.active_job;
  if (isUnfinished(job)) {
    throw new PreconditionFailed(
      `Scene ${scene.scene_number} is busy with ${withArticle(job.type)} job (${job.status}); ` +
        `wait for it to finish or cancel it before you ${action}.`,
    );
  }
}

export type SceneChange = keyof typeof ASSETS_CLEARED_ON;

/** Drops what an edit made stale (DESIGN.md: text -> all four assets and the composition, duration -> video
 * and audio), so a client never shows media that no longer matches its scene. */
export function clearSceneAssets(scene: SceneDoc, change: SceneChange): void {
  for (const field of ASSETS_CLEARED_ON[change]) {
    if (field === 'composition') delete scene.composition;
    else delete scene.assets[field];
    // The asset's takes stay (and their files, which they name), none of them chosen; pins stay too.
    const type = SCENE_ASSET_TYPES.find((t) => SCENE_ASSET_FIELD[t] === field);
    const record = type ? scene.takes?.[type] : undefined;
    if (type && record) {
      const { chosen: _chosen, made_from: _from, product_image_path: _with, ...kept } = record;
      scene.takes = { ...scene.takes, [type]: kept };
    }
  }
  const { generated_at: _generatedAt, ...paths } = scene.assets;
  if (Object.keys(paths).length === 0) delete scene.assets.generated_at;
}
