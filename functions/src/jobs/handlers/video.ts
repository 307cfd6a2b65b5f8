// The video scene job: the video model animates the scene's keyframe for the scene's duration.
import { secrets } from '../../config.js';
import { QUEUE_SIZING } from '../queue-sizing.js';
import { PermanentJobError } from '../../errors.js';
import { prompts } from '../../providers/index.js';
import { assetUrls } from '../../storage/urls.js';
import { defineJob } from '../define.js';
import { sceneBilledSeconds } from '../work.js';
import { baseInput, mediaJob } from './scene-assets.js';

const runVideo = mediaJob('video', {
  kind: 'video',
  output: 'video',
  contentType: 'video/mp4',
  madeFrom: ['image'],
  async input(ctx, scene) {
    const keyframe = scene.assets.thumbnail_path;
    if (!keyframe) throw new PermanentJobError('the scene has no keyframe image; generate the image first.');
    return {
      ...baseInput(ctx),
      durationSeconds: scene.duration_seconds,
      // The clip is asked for at the ad's resolution where the model offers it (models.ts).
      resolution: ctx.project.settings.resolution,
      prompt: prompts.sceneVideoPrompt({
        scene,
        ...(scene.composition ? { composition: scene.composition } : {}),
      }),
      // The model fetches the keyframe itself, through a short-lived URL.
      imageUrl: (await assetUrls([keyframe], ctx.config.signedUrlTtlSeconds)).urls[keyframe],
    };
  },
});

export const videoJob = defineJob({
  type: 'video',
  label: 'video',
  step: 'Video clip generation',
  queue: { ...QUEUE_SIZING.video, memory: '1GiB', timeoutSeconds: 1800 },
  attempts: 3,
  secrets: [secrets.replicateApiToken],
  work: (input) => [
    { media: 'video', seconds: sceneBilledSeconds(input), resolution: input.project.settings.resolution },
  ],
  handler: runVideo,
  // The video model animates the scene's keyframe.
  asset: { name: 'video clip', needs: ['image'] },
});
