// Mood boards: the language model proposes three moods from the brief, then an image model paints up to
// four images per mood. The three image predictions are polled together (a webhook per prediction would
// need three resumes to line up). Nothing is paid for twice across retries: the proposals are kept in the
// job's own file before the first prediction is created, each prediction is recorded in the job's
// provider_ref (one slot per mood, "id1,id2,id3") the moment it exists, and a retry resumes the recorded
// ones and creates only the missing. A cancel stops all three through the same list.
import { LIMITS, MoodsOutputCheckedSchema, type Mood } from '@reelforge/schema';
import { QUEUE_SIZING } from '../queue-sizing.js';
import { secrets } from '../../config.js';
import { defineJob } from '../define.js';
import { prompts, type MediaProvider, type MoodAnswer, type PredictionState } from '../../providers/index.js';
import { jobScratchPath, moodIdOf, moodImagePath } from '../../storage/paths.js';
import { persistOutput } from '../persist.js';
import { deleteFiles } from '../../storage/files.js';
import { loadJson, saveJson } from '../../storage/upload.js';
import { languageModel, mediaProvider } from '../provider-clients.js';
import { billedWork, outputMissing } from './prediction.js';
import { JobCanceled, PermanentJobError } from '../../errors.js';
import type { JobContext, JobOutcome } from '../types.js';
import { classifyPredictionFailure } from '../../providers/errors.js';
import { recordPrediction } from './record.js';

/** The moods of this job: the ones its earlier attempt proposed (their predictions may be running), or new. */
async function moodProposals(ctx: JobContext, path: string): Promise<MoodAnswer[]> {
  const kept = MoodsOutputCheckedSchema.safeParse(await loadJson(path));
  if (kept.success) return kept.data.moods;
  const moods = await languageModel(ctx.config.providers, ctx.cost, ctx.signal).generateMoods(
    ctx.project.storyboard.creative_brief,
  );
  await saveJson(path, { moods });
  return moods;
}

/** The recorded prediction per mood slot ('' where none is recorded yet). */
export function predictionSlots(providerRef: string | undefined, count: number): string[] {
  const recorded = (providerRef ?? '').split(',');
  return Array.from({ length: count }, (_, i) => recorded[i] ?? '');
}

/**
 * One prediction per mood, created one after another so that a failed create (a 429) leaves the earlier
 * ones recorded; slots already recorded by an earlier attempt are resumed, not created again.
 */
async function startPredictions(
  ctx: JobContext,
  media: MediaProvider,
  proposals: MoodAnswer[],
): Promise<string[]> {
  const slots = predictionSlots(ctx.job.provider_ref, proposals.length);
  for (const [i, mood] of proposals.entries()) {
    if (slots[i]) continue;
    const started = await media.start('mood_image', {
      prompt: prompts.moodImagePrompt(mood, ctx.project.storyboard.creative_brief),
      aspectRatio: ctx.project.settings.aspect_ratio,
      palette: mood.color_palette,
      count: LIMITS.MAX_IMAGES_PER_MOOD,
    });
    slots[i] = started.id;
    await recordPrediction(ctx, media, started.id, slots.join(','));
  }
  return slots;
}

async function runMoods(ctx: JobContext): Promise<JobOutcome> {
  const { project, job } = ctx;
  const proposalsPath = jobScratchPath(project.id, job.job_id, 'mood-proposals.json');
  await ctx.progress(5);
  const proposals = await moodProposals(ctx, proposalsPath);
  await ctx.progress(20);

  const media = mediaProvider(ctx.config.providers);
  // Mood ids derive from the job id: every execution of the job proposes the same moods.
  const moodIds = proposals.map((_, i) => moodIdOf(job.job_id, i));
  const ids = await startPredictions(ctx, media, proposals);

  const progressOf = new Map<string, number>();
  const report = async () => {
    const values = [...progressOf.values()];
    const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, ids.length);
    await ctx.progress(20 + mean * 0.6);
  };
  const finished: PredictionState[] = await Promise.all(
    ids.map((id) =>
      media.waitUntilDone(id, {
        intervalMs: ctx.config.pollIntervalMs,
        deadline: ctx.deadline,
        signal: ctx.signal,
        onProgress: async (state) => {
          progressOf.set(id, state.progress);
          await report();
        },
      }),
    ),
  );
  // A failed slot is forgotten below (a retry starts a new prediction there), so it is booked now.
  for (const state of finished)
    ctx.cost.media(billedWork(ctx.config.providers, 'mood_image', state), state.predictSeconds, {
      resumable: state.status !== 'failed',
    });
  if (finished.some((state) => state.status === 'canceled'))
    throw new JobCanceled('the mood image predictions were canceled');
  const failed = finished.find((state) => state.status === 'failed');
  if (failed) {
    // A retry creates new predictions for the failed slots only; the ones that succeeded are kept.
    const slots = finished.map((state) => (state.status === 'failed' ? '' : state.id));
    await ctx.setProviderRef(slots.join(','));
    throw classifyPredictionFailure({
      id: failed.id,
      status: 'failed',
      ...(failed.error ? { error: failed.error } : {}),
    });
  }

  await ctx.progress(85);
  const files: string[] = [];
  const moods: Mood[] = [];
  try {
    await persistMoods();
  } catch (err) {
    // A failed execution must not leave the images it did store: nothing would ever name them.
    await deleteFiles(files);
    throw err;
  }

  async function persistMoods() {
    for (const [i, proposal] of proposals.entries()) {
      const urls = finished[i]!.outputUrls.slice(0, LIMITS.MAX_IMAGES_PER_MOOD);
      if (urls.length === 0)
        throw new PermanentJobError(
          finished[i]!.outputRemoved
            ? `the images of mood "${proposal.name}": ${outputMissing(finished[i]!)}`
            : `the image model returned no image for mood "${proposal.name}".`,
        );
      const moodId = moodIds[i]!;
      const stored = await Promise.allSettled(
        urls.map(async (url, n) => {
          const path = moodImagePath(project.id, moodId, n, ctx.outputId);
          await persistOutput(url, path, {
            kind: 'image',
            policy: ctx.config.providers.output,
            signal: ctx.signal,
          });
          return path;
        }),
      );
      const paths = stored.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      files.push(...paths);
      const failed = stored.find((r) => r.status === 'rejected');
      if (failed) throw failed.reason;
      moods.push({ id: moodId, ...proposal, image_paths: paths });
    }
  }

  return {
    files,
    apply(fresh) {
      const replaced = fresh.moods.flatMap((m) => m.image_paths).filter((p) => !files.includes(p));
      // The selected mood is a copy in the storyboard; its images stay referenced there, so keep them.
      const kept = new Set(fresh.storyboard.selected_mood?.image_paths ?? []);
      fresh.moods = moods;
      // The proposals were only needed while the job could still be retried.
      return [...replaced.filter((p) => !kept.has(p)), proposalsPath];
    },
  };
}

export const moodsJob = defineJob({
  type: 'moods',
  label: 'mood board',
  step: 'Mood board generation',
  queue: { ...QUEUE_SIZING.moods },
  attempts: 3,
  secrets: [secrets.openaiApiKey, secrets.replicateApiToken],
  work: () => [
    { answer: 'moods' },
    { media: 'mood_image', images: LIMITS.MOODS_PER_PROJECT * LIMITS.MAX_IMAGES_PER_MOOD },
  ],
  handler: runMoods,
});
