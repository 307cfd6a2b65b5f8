// Language-model jobs that write the storyboard itself: drafting all scenes, and rewriting one scene.
import { randomUUID } from 'node:crypto';
import { LIMITS, sceneAssetPaths, type SceneDoc } from '@reelforge/schema';
import { clearSceneAssets } from '../../projects/scenes.js';
import { languageModel } from '../providers.js';
import { moodOrNeutral } from './neutral-mood.js';
import { PermanentJobError } from '../../errors.js';
import type { JobContext, JobOutcome } from '../types.js';

export async function storyboardJob(ctx: JobContext): Promise<JobOutcome> {
  const { project } = ctx;
  const mood = project.storyboard.selected_mood;
  if (!mood) throw new PermanentJobError('no mood is selected; select a mood first.');
  await ctx.progress(10);
  const sceneCount = ctx.job.options?.scene_count ?? LIMITS.DEFAULT_SCENE_COUNT;
  const draft = await languageModel(ctx.cost).generateStoryboard({
    brief: project.storyboard.creative_brief,
    mood,
    sceneCount,
    targetDurationSeconds: project.settings.target_duration_seconds,
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
  const text = await languageModel(ctx.cost).regenerateSceneText({
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
      // New text invalidates every asset made from the old one (DESIGN: editing text clears all four).
      clearSceneAssets(fresh, 'text');
      return replaced;
    },
  };
}
