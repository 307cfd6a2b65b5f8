// The image scene job: the scene's keyframe, painted by the image model from the scene, its composition and
// the mood.
import { secrets } from '../../config.js';
import { QUEUE_SIZING } from '../queue-sizing.js';
import { prompts } from '../../providers/index.js';
import { defineJob } from '../define.js';
import { moodOrNeutral } from './neutral-mood.js';
import { baseInput, mediaJob } from './scene-assets.js';

const runImage = mediaJob('image', {
  kind: 'scene_image',
  output: 'image',
  contentType: 'image/png',
  madeFrom: ['composition'],
  input: (ctx, scene) => ({
    ...baseInput(ctx),
    prompt: prompts.sceneImagePrompt({
      scene,
      mood: moodOrNeutral(ctx.project),
      ...(scene.composition ? { composition: scene.composition } : {}),
    }),
  }),
});

export const imageJob = defineJob({
  type: 'image',
  label: 'image',
  step: 'Keyframe image generation',
  queue: { ...QUEUE_SIZING.image },
  attempts: 3,
  secrets: [secrets.replicateApiToken],
  work: () => [{ media: 'scene_image', images: 1 }],
  handler: runImage,
  asset: { name: 'keyframe image' },
});
