// The image scene job: the scene's keyframe, painted by the image model from the scene, its composition and
// the mood. A scene that shows the product, in a project with a product image, is painted by the model that
// takes that image as its reference (`product_image`), so the product looks like the product.
import { productReferencePath } from '@reelforge/schema';
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
  reference: { kind: 'product_image', path: (ctx, scene) => productReferencePath(ctx.project, scene) },
  input: (ctx, scene, referenced) => ({
    ...baseInput(ctx),
    prompt: prompts.sceneImagePrompt({
      scene,
      mood: moodOrNeutral(ctx.project),
      ...(scene.composition ? { composition: scene.composition } : {}),
      withReference: referenced,
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
  // Priced as the model that will paint it, so the budget check before the call covers the dearer one.
  work: ({ project, scene }) => [
    { media: scene && productReferencePath(project, scene) ? 'product_image' : 'scene_image', images: 1 },
  ],
  handler: runImage,
  asset: { name: 'keyframe image' },
});
