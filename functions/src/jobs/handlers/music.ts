// The music project job: one instrumental bed for the whole ad, as long as the ad (scenes plus end card),
// prompted from the selected mood and the brief's tone, made by the audio model. The render lays it under
// every scene, ducked under the voice.
import type { ProjectDoc } from '@reelforge/schema';
import { QUEUE_SIZING } from '../queue-sizing.js';
import { secrets } from '../../config.js';
import { prompts } from '../../providers/index.js';
import { extensionFor } from '../../providers/media-types.js';
import { musicPath } from '../../storage/paths.js';
import { persistOutput } from '../persist.js';
import { defineJob } from '../define.js';
import { slice } from '../progress.js';
import type { JobContext, JobOutcome, JobResult } from '../types.js';
import { moodOrNeutral } from './neutral-mood.js';
import { runPrediction } from './prediction.js';
import { billedSeconds } from '../work.js';

/** The ad's length in seconds: every scene plus the end card when it is on. */
export function adSeconds(project: ProjectDoc): number {
  const scenes = project.scenes.reduce((sum, s) => sum + s.duration_seconds, 0);
  const card = project.settings.end_card ? project.settings.end_card_seconds : 0;
  return scenes > 0 ? scenes + card : project.settings.target_duration_seconds;
}

async function runMusic(ctx: JobContext): Promise<JobOutcome> {
  const { project } = ctx;
  const mood = moodOrNeutral(project);
  const seconds = Math.ceil(adSeconds(project));
  const outcome = await runPrediction(
    ctx,
    'audio',
    {
      aspectRatio: project.settings.aspect_ratio,
      palette: mood.color_palette,
      durationSeconds: seconds,
      prompt: prompts.musicBedPrompt({ mood, brief: project.storyboard.creative_brief, seconds }),
    },
    slice(0, 90),
  );
  if (!outcome.done) return { ...outcome, waiting: true };
  const url = outcome.state.outputUrls[0]!;
  const path = musicPath(project.id, ctx.outputId, extensionFor(url, 'audio/mpeg'));
  await ctx.progress(90);
  await persistOutput(url, path, {
    kind: 'audio',
    policy: ctx.config.providers.output,
    signal: ctx.signal,
  });
  const result: JobResult = {
    files: [path],
    apply(fresh, _scene, now) {
      const previous = fresh.assets.music_path;
      fresh.assets.music_path = path;
      fresh.assets.generated_at = now;
      return previous && previous !== path ? [previous] : [];
    },
  };
  return result;
}

export const musicJob = defineJob({
  type: 'music',
  label: 'music',
  step: 'Music bed generation',
  queue: { ...QUEUE_SIZING.music },
  attempts: 3,
  secrets: [secrets.replicateApiToken],
  // As long as the ad: every scene and the end card.
  work: ({ project }) => [{ media: 'audio', seconds: billedSeconds(adSeconds(project)) }],
  handler: runMusic,
});
