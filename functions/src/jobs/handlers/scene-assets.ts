// Scene asset jobs: composition (language model -> JSON file), keyframe image, video clip and audio
// (Replicate -> media file). Each writes to a job-id-derived path and sets one field of the scene's assets.
import type { Timestamp } from 'firebase-admin/firestore';
import { SCENE_ASSET_FIELD, type ProjectDoc, type SceneAssetType, type SceneDoc } from '@reelforge/schema';
import { prompts, type MediaInput, type MediaKind, type OutputKind } from '../../providers/index.js';
import { moodOrNeutral } from './neutral-mood.js';
import { params } from '../../config.js';
import { sceneAssetPath } from '../../storage/paths.js';
import { assetUrls } from '../../storage/urls.js';
import { extensionFor } from '../extensions.js';
import { persistOutput, saveJson } from '../persist.js';
import { slice } from '../progress.js';
import { languageModel } from '../providers.js';
import { PermanentJobError, type JobContext, type JobOutcome, type JobResult } from '../types.js';
import { runPrediction } from './prediction.js';

function sceneOf(ctx: JobContext): SceneDoc {
  if (!ctx.scene) throw new PermanentJobError('the scene no longer exists.');
  return ctx.scene;
}

/** Sets one asset path on the fresh scene and reports the path it replaced (to delete it). */
function setAsset(scene: SceneDoc | undefined, type: SceneAssetType, path: string, now: Timestamp): string[] {
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
  const composition = await languageModel().generateComposition({
    brief: project.storyboard.creative_brief,
    mood: moodOrNeutral(project),
    scene,
    aspectRatio: project.settings.aspect_ratio,
  });
  const path = sceneAssetPath(project.id, scene.id, 'composition', ctx.job.job_id, 'json');
  await saveJson(path, { scene_id: scene.id, job_id: ctx.job.job_id, ...composition });
  return {
    files: [path],
    apply(_p: ProjectDoc, fresh, now) {
      if (fresh) fresh.composition = { ...composition, generated_at: now };
      return setAsset(fresh, 'composition', path, now);
    },
  };
}

/** What the image, video and audio models are asked for, from the scene, its composition and the mood. */
function mediaInput(ctx: JobContext, type: Exclude<SceneAssetType, 'composition'>): MediaInput {
  const scene = sceneOf(ctx);
  const { project } = ctx;
  const mood = moodOrNeutral(project);
  const composition = scene.composition ?? undefined;
  const base = { aspectRatio: project.settings.aspect_ratio, palette: mood.color_palette };
  switch (type) {
    case 'image':
      return {
        ...base,
        prompt: prompts.sceneImagePrompt({ scene, mood, ...(composition ? { composition } : {}) }),
      };
    case 'video':
      return {
        ...base,
        durationSeconds: scene.duration_seconds,
        prompt: prompts.sceneVideoPrompt({ scene, ...(composition ? { composition } : {}) }),
      };
    case 'audio':
      return {
        ...base,
        durationSeconds: scene.duration_seconds,
        prompt: prompts.sceneAudioPrompt({ scene, mood, brief: project.storyboard.creative_brief }),
      };
  }
}

const MEDIA: Record<
  Exclude<SceneAssetType, 'composition'>,
  { kind: MediaKind; output: OutputKind; fallbackExt: string }
> = {
  image: { kind: 'scene_image', output: 'image', fallbackExt: 'image/png' },
  video: { kind: 'video', output: 'video', fallbackExt: 'video/mp4' },
  audio: { kind: 'audio', output: 'audio', fallbackExt: 'audio/mpeg' },
};

export function mediaJob(type: Exclude<SceneAssetType, 'composition'>) {
  return async (ctx: JobContext): Promise<JobOutcome> => {
    const scene = sceneOf(ctx);
    const input = mediaInput(ctx, type);
    if (type === 'video') {
      const keyframe = scene.assets.thumbnail_path;
      if (!keyframe)
        throw new PermanentJobError('the scene has no keyframe image; generate the image first.');
      // The model fetches the keyframe itself, through a short-lived URL.
      input.imageUrl = (await assetUrls([keyframe], params.signedUrlTtlSeconds.value())).urls[keyframe];
    }
    const { kind, output, fallbackExt } = MEDIA[type];
    const outcome = await runPrediction(ctx, kind, input, slice(0, 90));
    if (!outcome.done) return { ...outcome, waiting: true };
    const url = outcome.state.outputUrls[0]!;
    const path = sceneAssetPath(
      ctx.project.id,
      scene.id,
      type,
      ctx.job.job_id,
      extensionFor(url, fallbackExt),
    );
    await ctx.progress(90);
    await persistOutput(url, path, { kind: output, signal: ctx.signal });
    const result: JobResult = {
      files: [path],
      apply: (_p, fresh, now) => setAsset(fresh, type, path, now),
    };
    return result;
  };
}
