// What the scene asset jobs share: the job's scene, setting one field of the scene's assets to the path
// the job wrote (derived from the job id), and the media job that makes that file with a Replicate model
// (image, video, audio). Each job type is declared in its own file beside this one.
import type { Timestamp } from 'firebase-admin/firestore';
import { SCENE_ASSET_FIELD, type SceneAssetType, type SceneDoc } from '@reelforge/schema';
import type { MediaInput, MediaKind, OutputKind } from '../../providers/index.js';
import { moodOrNeutral } from './neutral-mood.js';
import { sceneAssetPath } from '../../storage/paths.js';
import { extensionFor } from '../../providers/media-types.js';
import { persistOutput } from '../persist.js';
import { slice } from '../progress.js';
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

/** What one media asset job asks a Replicate model for, and how its output is stored. */
interface MediaSpec {
  kind: MediaKind;
  output: OutputKind;
  /** The content type assumed when the output URL names no known extension. */
  contentType: string;
  /** The model's input, from the scene, its composition and the mood. */
  input(ctx: JobContext, scene: SceneDoc): MediaInput | Promise<MediaInput>;
}

export function baseInput(ctx: JobContext) {
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
