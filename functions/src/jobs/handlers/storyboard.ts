// The storyboard project job: the language model drafts every scene from the brief and the selected mood,
// replacing the scenes there were.
import { randomUUID } from 'node:crypto';
import { QUEUE_SIZING } from '../queue-sizing.js';
import { LIMITS, sceneAssetPaths, type ProjectSettings, type SceneDoc } from '@reelforge/schema';
import { secrets } from '../../config.js';
import { defineJob } from '../define.js';
import { languageModel } from '../provider-clients.js';
import { PermanentJobError } from '../../errors.js';
import type { JobContext, JobOutcome } from '../types.js';

/** Seconds of scenes the storyboard plans: the target less the end card, never below one second a scene. */
export function scenesTarget(settings: ProjectSettings): number {
  const card = settings.end_card ? settings.end_card_seconds : 0;
  return Math.max(LIMITS.TARGET_DURATION_MIN, settings.target_duration_seconds - card);
}

async function runStoryboard(ctx: JobContext): Promise<JobOutcome> {
  const { project } = ctx;
  const mood = project.storyboard.selected_mood;
  if (!mood) throw new PermanentJobError('no mood is selected; select a mood first.');
  await ctx.progress(10);
  const sceneCount = ctx.job.options?.scene_count ?? LIMITS.DEFAULT_SCENE_COUNT;
  const draft = await languageModel(ctx.config.providers, ctx.cost, ctx.signal).generateStoryboard({
    brief: project.storyboard.creative_brief,
    mood,
    sceneCount,
    // The ad is the scenes plus the end card: the scenes get what the card leaves of the target.
    targetDurationSeconds: scenesTarget(project.settings),
    aspectRatio: project.settings.aspect_ratio,
  });
  return {
    files: [],
    apply(fresh) {
      // The scenes are replaced whole; the start check refused this job while any scene had a job running.
      const replaced = fresh.scenes.flatMap(sceneAssetPaths);
      fresh.storyboard.title = draft.title;
      fresh.scenes = draft.scenes.map((s, i): SceneDoc => ({
        id: randomUUID(),
        scene_number: i + 1,
        title: s.title,
        description: s.description,
        duration_seconds: s.duration_seconds,
        ...(s.voiceover_text ? { voiceover_text: s.voiceover_text } : {}),
        shows_product: s.shows_product,
        assets: {},
        active_job: null,
        composition: null,
      }));
      return replaced;
    },
  };
}

export const storyboardJob = defineJob({
  type: 'storyboard',
  label: 'storyboard',
  step: 'Storyboard drafting',
  queue: { ...QUEUE_SIZING.storyboard },
  attempts: 3,
  secrets: [secrets.openaiApiKey],
  work: () => [{ answer: 'storyboard' }],
  handler: runStoryboard,
});
