// Language-model jobs that write the storyboard itself: drafting all scenes, and rewriting one scene.
import { randomUUID } from 'node:crypto';
import { LIMITS, sceneAssetPaths, type ProjectSettings, type SceneDoc } from '@reelforge/schema';
import { clearSceneAssets } from '../../projects/scenes.js';
import { languageModel } from '../provider-clients.js';
import { moodOrNeutral } from './neutral-mood.js';
import { PermanentJobError } from '../../errors.js';
import type { JobContext, JobOutcome } from '../types.js';

/** Seconds of scenes the storyboard plans: the target less the end card, never below one second a scene. */
export function scenesTarget(settings: ProjectSettings): number {
  const card = settings.end_card ? settings.end_card_seconds : 0;
  return Math.max(LIMITS.TARGET_DURATION_MIN, settings.target_duration_seconds - card);
}

export async function storyboardJob(ctx: JobContext): Promise<JobOutcome> {
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
        assets: {},
        active_job: null,
        composition: null,
      }));
      return replaced;
    },
  };
}

export async function sceneTextJob(ctx: JobContext): Promise<JobOutcome> {
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
