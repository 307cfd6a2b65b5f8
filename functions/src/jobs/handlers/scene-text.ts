// The scene_text scene job: the language model rewrites one scene's title, description, duration and
// voiceover line so it fits the scenes around it; the new text clears every asset made from the old one.
import { sceneAssetPaths } from '@reelforge/schema';
import { QUEUE_SIZING } from '../queue-sizing.js';
import { secrets } from '../../config.js';
import { PermanentJobError } from '../../errors.js';
import { clearSceneAssets } from '../../projects/scenes.js';
import { defineJob } from '../define.js';
import { languageModel } from '../provider-clients.js';
import type { JobContext, JobOutcome } from '../types.js';
import { sceneTextPromptBytes } from '../work.js';
import { moodOrNeutral } from './neutral-mood.js';

async function runSceneText(ctx: JobContext): Promise<JobOutcome> {
  const { project, scene } = ctx;
  if (!scene) throw new PermanentJobError('the scene no longer exists.');
  await ctx.progress(10);
  const text = await languageModel(ctx.config.providers, ctx.cost, ctx.signal).regenerateSceneText({
    brief: project.storyboard.creative_brief,
    mood: moodOrNeutral(project),
    scenes: project.scenes,
    sceneId: scene.id,
    ...(ctx.job.options?.instructions ? { instructions: ctx.job.options.instructions } : {}),
  });
  return {
    files: [],
    apply(_fresh, fresh) {
      if (!fresh) return [];
      const replaced = sceneAssetPaths(fresh);
      fresh.title = text.title;
      fresh.description = text.description;
      fresh.duration_seconds = text.duration_seconds;
      if (text.voiceover_text) fresh.voiceover_text = text.voiceover_text;
      else delete fresh.voiceover_text;
      // New text invalidates every asset made from the old one, the voiceover included (its line is new).
      clearSceneAssets(fresh, 'text');
      clearSceneAssets(fresh, 'voiceover');
      return replaced;
    },
  };
}

export const sceneTextJob = defineJob({
  type: 'scene_text',
  label: 'scene text',
  step: 'Scene text regeneration',
  queue: { ...QUEUE_SIZING.scene_text },
  attempts: 3,
  secrets: [secrets.openaiApiKey],
  // The prompt lists every scene of the storyboard: its size is counted, not assumed.
  work: (input) => [{ answer: 'scene_text', promptBytes: sceneTextPromptBytes(input) }],
  handler: runSceneText,
});
