// The composition scene job: the language model describes how the scene looks (description, styling,
// animation); the answer is kept on the scene and as a JSON file among its assets.
import { QUEUE_SIZING } from '../queue-sizing.js';
import { secrets } from '../../config.js';
import { sceneAssetPath } from '../../storage/paths.js';
import { saveJson } from '../../storage/upload.js';
import { defineJob } from '../define.js';
import { languageModel } from '../provider-clients.js';
import type { JobContext, JobOutcome } from '../types.js';
import { moodOrNeutral } from './neutral-mood.js';
import { sceneOf, takeResult } from './scene-assets.js';

async function runComposition(ctx: JobContext): Promise<JobOutcome> {
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
  return takeResult(
    ctx,
    { asset: 'composition', files: { composition_path: path }, composition },
    (fresh, now) => {
      fresh.composition = { ...composition, generated_at: now };
    },
  );
}

export const compositionJob = defineJob({
  type: 'composition',
  label: 'composition',
  step: 'Scene composition',
  queue: { ...QUEUE_SIZING.composition },
  attempts: 3,
  secrets: [secrets.openaiApiKey],
  work: () => [{ answer: 'composition' }],
  handler: runComposition,
  asset: { name: 'composition' },
});
