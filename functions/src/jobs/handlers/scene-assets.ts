// What the scene asset jobs share: the job's scene, recording what the job wrote (paths derived from the
// job id) as a new take that becomes the scene's asset (projects/takes.ts: the earlier takes are kept, up to
// the limit), and the media job that makes that file with a Replicate model (image, video, audio). Each job
// type is declared in its own file beside this one.
import type { Timestamp } from 'firebase-admin/firestore';
import { SCENE_ASSET_FIELD, type SceneAssetType, type SceneDoc } from '@reelforge/schema';
import { addTake, chosenTakes, knownTakes, type NewTake } from '../../projects/takes.js';
import type { MediaInput, MediaKind, OutputKind } from '../../providers/index.js';
import { moodOrNeutral } from './neutral-mood.js';
import { sceneAssetPath } from '../../storage/paths.js';
import { assetUrls } from '../../storage/urls.js';
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

/**
 * The job's result as a take of its scene's asset: in the completing write it becomes the scene's chosen
 * take, its document is written with the project, and takes past the limit are dropped (their files deleted
 * once the write commits). `check` refuses or completes the fresh scene first. The asset's takes are read
 * here, before that write: only this scene's job (one at a time) adds to them, so the write sees them all.
 */
export async function takeResult(
  ctx: JobContext,
  take: Omit<NewTake, 'jobId'>,
  check?: (fresh: SceneDoc, now: Timestamp) => void,
): Promise<JobResult> {
  const scene = sceneOf(ctx);
  const known = await knownTakes(ctx.project.id, scene.id, take.asset);
  return {
    files: Object.values(take.files).filter((p): p is string => !!p),
    apply(p, fresh, now, also) {
      if (!fresh) return [];
      check?.(fresh, now);
      return addTake(p.id, fresh, { ...take, jobId: ctx.job.job_id }, known, now, also);
    },
  };
}

/** What one media asset job asks a Replicate model for, and how its output is stored. */
interface MediaSpec {
  kind: MediaKind;
  output: OutputKind;
  /** The content type assumed when the output URL names no known extension. */
  contentType: string;
  /**
   * The model's input, from the scene, its composition and the mood; `referenced` when the job passes a
   * reference image (`reference`), which the job adds to it.
   */
  input(ctx: JobContext, scene: SceneDoc, referenced: boolean): MediaInput | Promise<MediaInput>;
  /** The scene's assets the input is made from: their chosen takes are recorded on the new take. */
  madeFrom: readonly SceneAssetType[];
  /**
   * A stored image the picture must show (the product image), when the scene has one: the model of `kind`
   * then paints with it as its reference, and the take records which image it was.
   */
  reference?: { kind: MediaKind; path(ctx: JobContext, scene: SceneDoc): string | undefined };
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
    const reference = spec.reference?.path(ctx, scene);
    const input = await spec.input(ctx, scene, reference !== undefined);
    if (reference) {
      // The model fetches the image itself, through a short-lived URL (as the video model its keyframe).
      input.referenceImageUrl = (await assetUrls([reference], ctx.config.signedUrlTtlSeconds)).urls[
        reference
      ];
    }
    const kind = reference && spec.reference ? spec.reference.kind : spec.kind;
    const outcome = await runPrediction(ctx, kind, input, slice(0, 90));
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
    return takeResult(ctx, {
      asset: type,
      files: { [SCENE_ASSET_FIELD[type]]: path },
      madeFrom: chosenTakes(scene, spec.madeFrom),
      ...(reference ? { productImagePath: reference } : {}),
    });
  };
}
