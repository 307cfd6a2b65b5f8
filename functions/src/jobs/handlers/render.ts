// The final render: the finished ad (scene clips with crossfades, voiceover, captions, the music bed ducked
// under the voice, the brand end card, loudness-normalised) in every asked format from the same clips, in
// one job. Inputs are streamed from Storage into a temp folder and the results streamed back; the folder is
// removed on every path. Progress: downloads 0-10, mixing and encoding 10-90, uploads 90-100.
//
// The render reads only stored files: changing render settings (captions, end card, transition, logo,
// formats) and rendering again calls no provider.
//
// The settings are taken once, from the project as the job found it when it started (renderSettingsOf),
// and the ad is rendered from that snapshot. A setting changed while it renders (captions, end card, the
// call to action...) is not in the video, so the completion records, per format, the snapshot it rendered
// from, never the document's values at completion: the studio can then show what changed since.
import { join } from 'node:path';
import { QUEUE_SIZING } from '../queue-sizing.js';
import {
  renderSettingsOf,
  renderedFilePaths,
  type AspectRatio,
  type ProjectDoc,
  type RenderCheck,
} from '@reelforge/schema';
import { PermanentJobError, Unavailable } from '../../errors.js';
import { defineJob } from '../define.js';
import { downloadAd } from '../../render/inputs.js';
import { planRender } from '../../render/plan.js';
import { formatFileName, renderAd } from '../../render/render-ad.js';
import { FfmpegError } from '../../render/run.js';
import { RENDER_FUNCTION } from '../../render/function-size.js';
import { uploadFile } from '../../storage/transfer.js';
import { withTempDir } from '../../render/workdir.js';
import { renderPackPaths } from '../../storage/paths.js';
import { slice } from '../progress.js';
import type { JobContext, JobOutcome, JobResult } from '../types.js';

/** What the render depends on: the scenes in order with their media, and the project's bed and logo. */
function renderInputs(project: ProjectDoc): string {
  return JSON.stringify({
    scenes: [...project.scenes]
      .sort((a, b) => a.scene_number - b.scene_number)
      .map((s) => [
        s.id,
        s.duration_seconds,
        s.assets.video_path ?? null,
        s.assets.audio_path ?? null,
        s.assets.voiceover_path ?? null,
      ]),
    music: project.assets.music_path ?? null,
    logo: project.assets.logo_path ?? null,
  });
}

async function runRender(ctx: JobContext): Promise<JobOutcome> {
  const { project, signal } = ctx;
  const plan = planRender(project.scenes);
  const formats: AspectRatio[] = ctx.job.options?.formats ?? [project.settings.aspect_ratio];
  // Each format's delivery pack: the MP4, its captions as SRT and WebVTT, and a poster.
  const packs = new Map(formats.map((f) => [f, renderPackPaths(project.id, ctx.outputId, f)]));
  const checks = new Map<AspectRatio, RenderCheck[]>();
  const inputs = renderInputs(project);
  const settings = renderSettingsOf(project);
  const startedMs = Date.now();
  try {
    await renderFiles();
  } finally {
    // The function's time is billed however the render ends: what it ran, at the size it is deployed with.
    ctx.cost.compute({
      vcpu: RENDER_FUNCTION.vcpu,
      memoryGiB: RENDER_FUNCTION.memoryGiB,
      seconds: (Date.now() - startedMs) / 1000,
    });
  }

  async function renderFiles() {
    await withTempDir('reelforge-render-', async (dir) => {
      const downloaded = slice(0, 10);
      const spec = await downloadAd(settings, plan, dir, {
        signal,
        onFile: (done, total) => ctx.progress(downloaded((100 * done) / total)),
      });
      const encoded = slice(10, 90);
      const local = (f: AspectRatio, extension = 'mp4') => join(dir, `ad-${formatFileName(f)}.${extension}`);
      try {
        const made = await renderAd({
          spec,
          formats,
          workDir: dir,
          outputFor: local,
          packFor: (f) => ({ srt: local(f, 'srt'), vtt: local(f, 'vtt'), poster: local(f, 'jpg') }),
          sceneNames: plan.map((s) => s.name),
          signal,
          onProgress: (p) => ctx.progress(encoded(p)),
        });
        for (const [format, gate] of Object.entries(made.checks)) checks.set(format as AspectRatio, gate);
      } catch (err) {
        // ffmpeg refusing the inputs (an undecodable clip) fails the same way every time; being killed (out
        // of memory) may not, so that stays retryable.
        if (err instanceof FfmpegError && err.exitCode !== null) {
          throw new PermanentJobError(
            `the clips could not be combined (${err.message.replaceAll(`${dir}/`, '')}).`,
          );
        }
        throw err;
      }
      const uploaded = slice(90, 100);
      for (const [i, format] of formats.entries()) {
        await ctx.progress(uploaded((100 * i) / formats.length));
        const pack = packs.get(format)!;
        await uploadFile(local(format), pack.video_path, 'video/mp4', signal);
        await uploadFile(local(format, 'srt'), pack.srt_path, 'application/x-subrip', signal);
        await uploadFile(local(format, 'vtt'), pack.vtt_path, 'text/vtt', signal);
        await uploadFile(local(format, 'jpg'), pack.poster_path, 'image/jpeg', signal);
      }
    });
  }

  const result: JobResult = {
    files: [...packs.values()].flatMap(renderedFilePaths),
    apply(fresh, _scene, now) {
      // The media were read when the render started; an edit since (a new clip, a changed duration, a new
      // voiceover, bed or logo, a deleted scene) would make these videos stale, so they are refused rather
      // than recorded, and the job renders again from the storyboard as it is now: a passing condition (the
      // next attempt reads the new inputs), failed for good only if edits keep coming past its attempts.
      if (renderInputs(fresh) !== inputs) {
        throw new Unavailable(
          'the scenes, the music bed or the logo changed while the ad was rendering; rendering again from them.',
        );
      }
      const renders = { ...fresh.assets.renders };
      const made = { ...fresh.assets.render_settings };
      const replaced = new Set<string>();
      for (const [format, pack] of packs) {
        const kept = new Set(renderedFilePaths(pack));
        for (const previous of renderedFilePaths(renders[format])) {
          if (!kept.has(previous)) replaced.add(previous);
        }
        // Delivered whatever its checks say: a failing check marks the file, it does not withhold it.
        renders[format] = { ...pack, checks: checks.get(format) ?? [] };
        made[format] = settings;
      }
      fresh.assets.renders = renders;
      fresh.assets.render_settings = made;
      const own = packs.get(fresh.settings.aspect_ratio)?.video_path;
      if (own) {
        const previous = fresh.assets.final_video_path;
        // A final video from before per-format renders is not in the map: delete it with the rest.
        const named = new Set(Object.values(renders).flatMap(renderedFilePaths));
        if (previous && previous !== own && !named.has(previous)) replaced.add(previous);
        fresh.assets.final_video_path = own;
      }
      fresh.assets.generated_at = now;
      return [...replaced];
    },
  };
  return result;
}

export const renderJob = defineJob({
  type: 'render',
  label: 'render',
  step: 'The final render',
  queue: {
    ...QUEUE_SIZING.render,
    memory: RENDER_FUNCTION.memory,
    cpu: RENDER_FUNCTION.vcpu,
    timeoutSeconds: RENDER_FUNCTION.timeoutSeconds,
    minBackoffSeconds: 30,
  },
  // A render is expensive: fewer tries.
  attempts: 2,
  secrets: [],
  // ffmpeg on our own function: no provider bill, but its compute. Estimated at the function's timeout (the
  // longest a render may run, all its formats together), so the estimate errs high like every other; the
  // handler books the seconds it really ran.
  work: () => [
    {
      compute: {
        vcpu: RENDER_FUNCTION.vcpu,
        memoryGiB: RENDER_FUNCTION.memoryGiB,
        seconds: RENDER_FUNCTION.timeoutSeconds,
      },
    },
  ],
  handler: runRender,
});
