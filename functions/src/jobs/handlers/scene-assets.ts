// Scene asset jobs: composition (language model -> JSON file), keyframe image, video clip and audio
// (Replicate -> media file). Each writes to a job-id-derived path and sets one field of the scene's assets.
import type { Timestamp } from 'firebase-admin/firestore';
import { SCENE_ASSET_FIELD, type ProjectDoc, type SceneAssetType, type SceneDoc } from '@reelforge/schema';
import { prompts, type MediaInput, type MediaKind, type OutputKind } from '../../providers/index.js';
import { moodOrNeutral } from './neutral-mood.js';
import { sceneAssetPath } from '../../storage/paths.js';
import { assetUrls } from '../../storage/urls.js';
import { extensionFor } from '../../providers/media-types.js';
import { persistOutput } from '../persist.js';
import { saveJson } from '../../storage/upload.js';
import { slice } from '../progress.js';
import { languageModel } from '../provider-clients.js';
import { PermanentJobError } from '../../errors.js';
import type { JobContext, JobOutcome, JobResult } from '../types.js';
import { runPrediction } from './prediction.js';

export function sceneOf(ctx: JobContext): SceneDoc {
  if (!ctx.scene) throw new PermanentJobError('the scene no longer exists.');
  return ctx.scene;
}

/** Sets one asset path on the fresh scene and reports the path it replaced (to delete it). */
export function setAsset(
  scene: SceneDoc | undefined,
  type: SceneAssetType,
  path: string,
  now: Timestamp,
): string[] {
  if (!scene) return [];
  const field = SCENE_ASSET_FIELD[type];
  const previous = scene.assets[field];
  scene.assets[field] = path;
  scene.assets.generated_at = now;
  return previous && previous !== path ? [previous] : [];
}

export async function compositionJob(ctx: JobContext): Promise<JobOutcome> {
  const scene = sceneOf(ctx);
  const { project } = ctx;
  await ctx.progress(10);
  const composition = await languageModel(ctx.config.providers, ctx.cost, ctx.signal).generateComposition({
    brief: project.storyboard.creative_brief,
    mood: moodOrNeutral(project),
    scene,
    aspectRatio: project.settings.aspect_ratio,
  });
  const path = sceneAssetPath(project.id, scene.id, 'composition', ctx.outputId, 'json');
  await saveJson(path, { scene_id: scene.id, job_id: ctx.job.job_id, ...composition });
  return {
    files: [path],
    apply(_p: ProjectDoc, fresh, now) {
      if (fresh) fresh.composition = { ...composition, generated_at: now };
      return setAsset(fresh, 'composition', path, now);
    },
  };
}

/** What one media asset job asks a Replicate model for, and how its output is stored. */
interface MediaSpec {
  kind: MediaKind;
  output: OutputKind;
  /** The content type assumed when the output URL names no known extension. */
  contentType: string;
  /** The model's input, from the scene, its composition and the mood. */
  input(ctx: JobContext, scene: SceneDoc): MediaInput | Promise<MediaInput>;
}

function baseInput(ctx: JobContext) {
  return {
    aspectRatio: ctx.project.settings.aspect_ratio,
    palette: moodOrNeutral(ctx.project).color_palette,
  };
}

/** A job that makes one scene asset with a media model: start or resume the prediction, then store it. */
export function mediaJob(type: SceneAssetType, spec: MediaSpec) {
  return async (ctx: JobContext): Promise<JobOutcome> => {
    const scene = sceneOf(ctx);
    const input = await spec.input(ctx, scene);
    const outcome = await runPrediction(ctx, spec.kind, input, slice(0, 90));
    if (!outcome.done) return { ...outcome, waiting: true };
    const url = outcome.state.outputUrls[0]!;
    const path = sceneAssetPath(
      ctx.project.id,
      scene.id,
      type,
      ctx.outputId,
      extensionFor(url, spec.contentType),
    );
    await ctx.progress(90);
    await persistOutput(url, path, {
      kind: spec.output,
      policy: ctx.config.providers.output,
      signal: ctx.signal,
    });
    const result: JobResult = {
      files: [path],
      apply: (_p, fresh, now) => setAsset(fresh, type, path, now),
    };
    return result;
  };
}

export const imageJob = mediaJob('image', {
  kind: 'scene_image',
  output: 'image',
  contentType: 'image/png',
  input: (ctx, scene) => ({
    ...baseInput(ctx),
    prompt: prompts.sceneImagePrompt({
      scene,
      mood: moodOrNeutral(ctx.project),
      ...(scene.composition ? { composition: scene.composition } : {}),
    }),
  }),
});

export const videoJob = mediaJob('video', {
  kind: 'video',
  output: 'video',
  contentType: 'video/mp4',
  async input(ctx, scene) {
    const keyframe = scene.assets.thumbnail_path;
    if (!keyframe) throw new PermanentJobError('the scene has no keyframe image; generate the image first.');
    return {
      ...baseInput(ctx),
      durationSeconds: scene.duration_seconds,
      prompt: prompts.sceneVideoPrompt({
        scene,
        ...(scene.composition ? { composition: scene.composition } : {}),
      }),
      // The model fetches the keyframe itself, through a short-lived URL.
      imageUrl: (await assetUrls([keyframe], ctx.config.signedUrlTtlSeconds)).urls[keyframe],
    };
  },
});

export const audioJob = mediaJob('audio', {
  kind: 'audio',
  output: 'audio',
  contentType: 'audio/mpeg',
  input: (ctx, scene) => ({
    ...baseInput(ctx),
    durationSeconds: scene.duration_seconds,
    prompt: prompts.sceneAudioPrompt({
      scene,
      mood: moodOrNeutral(ctx.project),
      brief: ctx.project.storyboard.creative_brief,
    }),
  }),
});
