// Mood boards: the language model proposes three moods from the brief, then an image model paints up to
// four images per mood. The three image predictions run at once and are polled (a webhook per prediction
// would need three resumes to line up); the job's provider_ref lists them so a cancel stops all three.
import { LIMITS, type Mood } from '@reelforge/schema';
import { prompts, type PredictionState } from '../../providers/index.js';
import { params } from '../../config.js';
import { moodImagePath } from '../../storage/paths.js';
import { persistOutput } from '../persist.js';
import { languageModel, mediaProvider } from '../providers.js';
import { billedWork } from './prediction.js';
import { JobCanceled, PermanentJobError } from '../../errors.js';
import type { JobContext, JobOutcome } from '../types.js';
import { classifyPredictionFailure } from '../../providers/errors.js';

export async function moodsJob(ctx: JobContext): Promise<JobOutcome> {
  const { project, job } = ctx;
  await ctx.progress(5);
  const proposals = await languageModel(ctx.cost).generateMoods(project.storyboard.creative_brief);
  await ctx.progress(20);

  const media = mediaProvider();
  // Ids derive from the job id: a retried job overwrites its own files instead of adding new ones.
  const moodIds = proposals.map((_, i) => `${job.job_id.slice(0, 8)}-${i + 1}`);
  const started = await Promise.all(
    proposals.map((mood) =>
      media.start('mood_image', {
        prompt: prompts.moodImagePrompt(mood, project.storyboard.creative_brief),
        aspectRatio: project.settings.aspect_ratio,
        palette: mood.color_palette,
        count: LIMITS.MAX_IMAGES_PER_MOOD,
      }),
    ),
  );
  await ctx.setProviderRef(started.map((p) => p.id).join(','));

  const progressOf = new Map<string, number>();
  const report = async () => {
    const values = [...progressOf.values()];
    const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, started.length);
    await ctx.progress(20 + mean * 0.6);
  };
  const finished: PredictionState[] = await Promise.all(
    started.map((p) =>
      media.waitUntilDone(p.id, {
        intervalMs: params.pollIntervalMs.value(),
        signal: ctx.signal,
        onProgress: async (state) => {
          progressOf.set(p.id, state.progress);
          await report();
        },
      }),
    ),
  );
  for (const state of finished) ctx.cost.media(billedWork('mood_image', state), state.predictSeconds);
  for (const state of finished) {
    if (state.status === 'canceled') throw new JobCanceled('the mood image predictions were canceled');
    if (state.status === 'failed') {
      throw classifyPredictionFailure({
        id: state.id,
        status: 'failed',
        ...(state.error ? { error: state.error } : {}),
      });
    }
  }

  await ctx.progress(85);
  const files: string[] = [];
  const moods: Mood[] = [];
  for (const [i, proposal] of proposals.entries()) {
    const urls = finished[i]!.outputUrls.slice(0, LIMITS.MAX_IMAGES_PER_MOOD);
    if (urls.length === 0)
      throw new PermanentJobError(`the image model returned no image for mood "${proposal.name}".`);
    const moodId = moodIds[i]!;
    const paths = await Promise.all(
      urls.map(async (url, n) => {
        const path = moodImagePath(project.id, moodId, n, job.job_id);
        await persistOutput(url, path, { kind: 'image', signal: ctx.signal });
        return path;
      }),
    );
    files.push(...paths);
    moods.push({ id: moodId, ...proposal, image_paths: paths });
  }

  return {
    files,
    apply(fresh) {
      const replaced = fresh.moods.flatMap((m) => m.image_paths).filter((p) => !files.includes(p));
      // The selected mood is a copy in the storyboard; its images stay referenced there, so keep them.
      const kept = new Set(fresh.storyboard.selected_mood?.image_paths ?? []);
      fresh.moods = moods;
      return replaced.filter((p) => !kept.has(p));
    },
  };
}
